"""Number cells of usage and project files: case counts and euro amounts, written the German or the Excel way.

Like loaders/cells.py: each parser returns the clean value (None for a blank cell) or raises CellError whose
message says what was expected. German notation wins where text is ambiguous: „1.234“ is one thousand two hundred
thirty-four, „1,5“ is one and a half.
"""

from __future__ import annotations

import datetime as dt
import re

from openpyxl.utils.datetime import CALENDAR_WINDOWS_1900

from loaders import cells
from loaders.cells import CellError, clean, display, is_blank

COUNT_EXPECTED = "erwartet eine ganze Zahl ≥ 0, z. B. 1234 oder 1.234"
AMOUNT_EXPECTED = "erwartet einen Betrag in Euro ≥ 0, z. B. 120000, 120.000 oder 120.000,50 €"
MONTH_EXPECTED = "erwartet einen Monat wie 03.2025, 2025-03, 01.03.2025 oder ein Excel-Datum"

_GERMAN = re.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?")      # 1.234.567,89 or 1234,5
_ENGLISH = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+\.\d+")          # 1,234,567.89 or 1234.5
_MONTH_GERMAN = re.compile(r"(\d{1,2})[./](\d{4})")
_MONTH_ISO = re.compile(r"(\d{4})-(\d{1,2})")
_SPACES = re.compile(r"[\s\u00a0\u202f']")


def _number(value: object, expected: str) -> float | None:
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise CellError(f"„{display(value)}“ ist keine Zahl – {expected}.")
    if isinstance(value, int | float):
        number = float(value)
    else:
        text = _SPACES.sub("", clean(str(value))).removesuffix("€").removesuffix("EUR").removeprefix("€")
        sign = -1.0 if text[:1] in ("-", "−") else 1.0
        text = text.lstrip("+-−")
        if _GERMAN.fullmatch(text):
            number = sign * float(text.replace(".", "").replace(",", "."))
        elif _ENGLISH.fullmatch(text):
            number = sign * float(text.replace(",", ""))
        else:
            raise CellError(f"„{display(value)}“ ist keine Zahl – {expected}.")
    if number < 0:
        raise CellError(f"„{display(value)}“ ist negativ – {expected}.")
    return number


def parse_count(value: object) -> int | None:
    """A case count: a whole number ≥ 0 (1234, 1.234, 1234.0)."""
    number = _number(value, COUNT_EXPECTED)
    if number is None:
        return None
    if not float(number).is_integer():
        raise CellError(f"„{display(value)}“ ist keine ganze Zahl – {COUNT_EXPECTED}.")
    return int(number)


def parse_amount(value: object) -> float | None:
    """A euro amount ≥ 0, with or without € sign and thousands separators."""
    number = _number(value, AMOUNT_EXPECTED)
    return None if number is None else round(number, 2)


def parse_month(value: object, epoch: dt.datetime = CALENDAR_WINDOWS_1900) -> dt.date | None:
    """The first day of the month named by a date, an Excel date, „03.2025“, „3/2025“ or „2025-03“."""
    if is_blank(value):
        return None
    if isinstance(value, str):
        text = clean(value)
        for pattern, order in ((_MONTH_GERMAN, (2, 1)), (_MONTH_ISO, (1, 2))):
            found = pattern.fullmatch(text)
            if found:
                year, month = (int(found.group(i)) for i in order)
                if 1 <= month <= 12:
                    return dt.date(year, month, 1)
                raise CellError(f"„{text}“ ist kein gültiger Monat – {MONTH_EXPECTED}.")
    try:
        day = cells.parse_date(value, epoch)
    except CellError:
        raise CellError(f"„{display(value)}“ ist kein Monat – {MONTH_EXPECTED}.") from None
    return day.replace(day=1) if day else None
