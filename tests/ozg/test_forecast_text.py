"""Forecast dates are said as month and year, and „nicht absehbar“ beyond ten years or without progress."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from ozg import forecast_text as ft

DAY = dt.date(2026, 11, 27)


def test_month_and_year_in_german():
    assert ft.reaches_text(dt.date(2027, 8, 1), DAY) == "August 2027"
    assert ft.reaches_text(pd.Timestamp("2030-03-15"), DAY) == "März 2030"


def test_beyond_ten_years_or_without_pace_is_not_foreseeable():
    assert ft.reaches_text(dt.date(2096, 8, 1), DAY) == "nicht absehbar"
    assert ft.reaches_text(dt.date(2036, 11, 28), DAY) == "nicht absehbar"
    assert ft.reaches_text(dt.date(2036, 11, 27), DAY) == "November 2036"
    assert ft.reaches_text(None, DAY) == "nicht absehbar"
    assert ft.reaches_text(pd.NaT, DAY) == "nicht absehbar"


def test_nothing_remaining_is_reached():
    assert ft.reaches_text(None, DAY, remaining=0) == "erreicht"


def test_horizon_of_a_leap_day():
    assert ft.horizon(dt.date(2028, 2, 29)) == dt.date(2038, 2, 28)

