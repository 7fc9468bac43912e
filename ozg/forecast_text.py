"""How a forecast date is said: month and year, and „nicht absehbar“ where a date would claim what nobody knows.

A linear projection of the last twelve months cannot name a day („01.08.2096“): it names a month („August 2027“).
Beyond HORIZON_YEARS from the Stand date, or without progress (pace ≤ 0), it says „nicht absehbar“.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

HORIZON_YEARS = 10
NOT_FORESEEABLE = "nicht absehbar"
DONE = "erreicht"
MONTHS = ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
          "November", "Dezember")


def month_year(day: dt.date) -> str:
    """'August 2027'."""
    return f"{MONTHS[day.month - 1]} {day.year}"


def horizon(day: dt.date) -> dt.date:
    """The last day a forecast made on `day` may name (HORIZON_YEARS later; 29 February → 28 February)."""
    try:
        return day.replace(year=day.year + HORIZON_YEARS)
    except ValueError:
        return day.replace(year=day.year + HORIZON_YEARS, day=28)


def as_date(value) -> dt.date | None:
    """A date from a query cell (date, Timestamp, None/NaT)."""
    if value is None or value is pd.NaT or (not isinstance(value, dt.date) and pd.isna(value)):
        return None
    return value.date() if isinstance(value, dt.datetime) else value


def foreseeable(reaches, day: dt.date) -> dt.date | None:
    """The forecast day if it lies within the horizon from `day`, else None."""
    when = as_date(reaches)
    return when if when is not None and when <= horizon(day) else None


def reaches_text(reaches, day: dt.date, remaining: int | None = None) -> str:
    """'August 2027', 'erreicht' (nothing remaining) or 'nicht absehbar'."""
    if remaining is not None and remaining <= 0:
        return DONE
    when = foreseeable(reaches, day)
    return month_year(when) if when else NOT_FORESEEABLE
