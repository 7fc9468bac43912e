"""Spreadsheet formula injection (OWASP "CSV injection"): text that a spreadsheet would run is made inert.

Every export passes every text cell through `neutralise`. A cell starting with =, +, -, @, tab or CR gets a
leading apostrophe, which Excel and LibreOffice show as plain text instead of evaluating a formula such as
=HYPERLINK("http://evil", "Klick") or @SUM(...). Numbers and dates are written as typed values, never as text,
so a negative number is never affected.
"""

from __future__ import annotations

import pandas as pd

TRIGGERS: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """The value unchanged, or for text a spreadsheet would evaluate: the text with a leading apostrophe."""
    if isinstance(value, str) and value.startswith(TRIGGERS):
        return "'" + value
    return value


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of the frame with every text cell (and every header) neutralised."""
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col].dtype):
            out[col] = out[col].map(neutralise).astype(object)
    out.columns = [neutralise(c) for c in out.columns]
    return out
