import pytest

from reports.safe import neutralise


@pytest.mark.parametrize("text", ['=HYPERLINK("http://x.example","Klick")', "+1", "-2+3", "@SUM(A1:A2)",
                                  "\tversteckt", "\rZeile"])
def test_trigger_characters_get_an_apostrophe(text):
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("value", ["Gießen", "10001", "a=b", " =1", "", None, 3, -1, 2.5])
def test_harmless_values_stay(value):
    assert neutralise(value) == value

