"""Counted nouns in singular and plural."""

from ozg import fmt


def test_counts_in_singular_and_plural():
    assert [fmt.leistungen(n) for n in (0, 1, 2, 1234)] == ["0 Leistungen", "1 Leistung", "2 Leistungen",
                                                            "1.234 Leistungen"]
