"""Singular and plural with the count (fmt.counted) and status values as people read them (fmt.status_value)."""

from __future__ import annotations

import datetime as dt

import pytest

from ozg import fmt


@pytest.mark.parametrize(("count", "expected"), [
    (0, "0 Leistungen"), (1, "1 Leistung"), (2, "2 Leistungen"), (1234, "1.234 Leistungen")])
def test_counted(count, expected):
    assert fmt.counted(count, "Leistung", "Leistungen") == expected


@pytest.mark.parametrize(("field", "value", "expected"), [
    ("geplant_bis", dt.date(2027, 7, 15), "15.07.2027"),
    ("online_seit", "2024-05-02", "02.05.2024"),          # as status_change stores it
    ("ende_zu_ende", True, "ja"), ("bescheid_digital", False, "nein"),
    ("ende_zu_ende", "nein", "nein"),                     # stored text stays
    ("federfuehrung", "06631009", "Fulda"), ("federfuehrung", "06999999", "06999999"),
    ("reifegrad", 3, "3"), ("status", None, "–"), ("bemerkung", float("nan"), "–"),
    ("bemerkung", "- wartet", "- wartet"),
])
def test_status_value(field, value, expected):
    assert fmt.status_value(field, value, {"06631009": "Fulda"}) == expected


def test_leistungen_in_singular_and_plural():
    assert [fmt.leistungen(n) for n in (0, 1, 2, 1234)] == ["0 Leistungen", "1 Leistung", "2 Leistungen",
                                                            "1.234 Leistungen"]
