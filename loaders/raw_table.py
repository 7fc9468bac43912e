"""The shape both sources (xlsx, csv) hand to the checks: numbered rows of raw cell values, before any parsing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from openpyxl.utils.datetime import CALENDAR_WINDOWS_1900

from loaders.problems import Problem

MAX_DATA_ROWS = 5000   # per file; the readers stop reading at the 5,001st (DESIGN.md)


@dataclass(frozen=True)
class MergedRange:
    """A merged cell area, e.g. "A5:C5", with its top-left row and column (1-based)."""

    ref: str
    min_row: int
    min_col: int
    max_row: int


@dataclass
class RawTable:
    """Rows as (row number as Excel shows it, cell values); values are str/int/float/bool/datetime/None,
    cells.ExcelError or cells.UnsavedFormula. Trailing empty cells may be missing."""

    sheet: str | None
    rows: list[tuple[int, list]]
    epoch: dt.datetime = CALENDAR_WINDOWS_1900      # for Excel serial numbers in date columns
    merged: list[MergedRange] = field(default_factory=list)
    city_ags: str | None = None
    problems: list[Problem] = field(default_factory=list)   # found while reading (info sheet, CSV lines)
