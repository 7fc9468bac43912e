"""German formats pinned with literal expectations: what a mayor reads in the app and the ministry in the PDF."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pytest

from ozg import fmt


@pytest.mark.parametrize(("value", "decimals", "expected"), [
    (0, 0, "0"),
    (7, 0, "7"),
    (999, 0, "999"),
    (1000, 0, "1.000"),
    (1234, 0, "1.234"),
    (1234567, 0, "1.234.567"),
    (1234.5, 1, "1.234,5"),
    (1234.56, 2, "1.234,56"),
    (0.5, 1, "0,5"),
    (2.5, 0, "2"),        # Python rounds half to even
    (3.5, 0, "4"),
    (-1234.5, 1, "-1.234,5"),
    (12.0, 2, "12,00"),
])
def test_number(value, decimals, expected):
    assert fmt.number(value, decimals) == expected


@pytest.mark.parametrize("missing", [None, float("nan"), pd.NA, pd.NaT, math.inf])
def test_number_missing_is_a_dash(missing):
    assert fmt.number(missing) == "–"
    assert fmt.number(missing, missing="k. A.") == "k. A."


@pytest.mark.parametrize(("share", "decimals", "expected"), [
    (0, 1, "0,0 %"),
    (0.453, 1, "45,3 %"),
    (0.17, 1, "17,0 %"),
    (1, 1, "100,0 %"),
    (0.12345, 2, "12,35 %"),
    (0.5, 0, "50 %"),
    (12.5, 1, "1.250,0 %"),
])
def test_percent(share, decimals, expected):
    assert fmt.percent(share, decimals) == expected


def test_percent_missing():
    assert fmt.percent(None) == "–" and fmt.percent(float("nan")) == "–"


@pytest.mark.parametrize(("value", "decimals", "expected"), [
    (0, 0, "0 €"),
    (1234567, 0, "1.234.567 €"),
    (1234.5, 2, "1.234,50 €"),
    (99.99, 0, "100 €"),
])
def test_euro(value, decimals, expected):
    assert fmt.euro(value, decimals) == expected


def test_euro_missing():
    assert fmt.euro(None) == "–"


@pytest.mark.parametrize(("value", "expected"), [
    (dt.date(2022, 12, 31), "31.12.2022"),
    (dt.date(2026, 1, 5), "05.01.2026"),
    (dt.datetime(2026, 11, 27, 23, 59), "27.11.2026"),
    (pd.Timestamp("2024-02-29 10:00"), "29.02.2024"),
    ("2025-06-30", "30.06.2025"),
    ("2025-06-30T08:15:00", "30.06.2025"),
])
def test_date(value, expected):
    assert fmt.date(value) == expected


def test_date_missing():
    assert fmt.date(None) == "–" and fmt.date(pd.NaT) == "–" and fmt.date(None, missing="") == ""


@pytest.mark.parametrize(("value", "expected"), [
    (dt.datetime(2022, 12, 31, 14, 5), "31.12.2022, 14:05"),
    (dt.datetime(2026, 3, 1, 0, 0), "01.03.2026, 00:00"),
    (pd.Timestamp("2026-11-27 09:07:59"), "27.11.2026, 09:07"),
])
def test_datetime(value, expected):
    assert fmt.datetime(value) == expected


def test_datetime_missing():
    assert fmt.datetime(None) == "–"


@pytest.mark.parametrize(("value", "expected"), [(True, "ja"), (False, "nein"), (1, "ja"), (0, "nein"),
                                                 (None, ""), (float("nan"), "")])
def test_yes_no(value, expected):
    assert fmt.yes_no(value) == expected


@pytest.mark.parametrize(("value", "expected"), [(3, "+3"), (-2, "−2"), (0, "±0"), (1234, "+1.234"),
                                                 (-1234, "−1.234"), (None, "–")])
def test_signed(value, expected):
    assert fmt.signed(value) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("31.12.2022", dt.date(2022, 12, 31)),
    ("2022-12-31", dt.date(2022, 12, 31)),
    (" 01.02.2026 ", dt.date(2026, 2, 1)),
    ("29.02.2024", dt.date(2024, 2, 29)),
])
def test_parse_date(text, expected):
    assert fmt.parse_date(text) == expected


@pytest.mark.parametrize("text", ["", None, "31.02.2022", "2022/12/31", "12/31/2022", "morgen", "31.12.22"])
def test_parse_date_rejects_with_a_german_message(text):
    with pytest.raises(ValueError, match="ist kein Datum – erwartet TT.MM.JJJJ oder JJJJ-MM-TT"):
        fmt.parse_date(text)
