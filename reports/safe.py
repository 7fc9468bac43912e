"""Spreadsheet formula injection (OWASP "CSV injection"): text that a spreadsheet would run is made inert.

The CSV (the file for machines) and the PDF pass every text cell through `neutralise`. A cell starting with =, +,
-, @, tab or CR gets a leading apostrophe, which Excel and LibreOffice show as plain text instead of evaluating a
formula such as =HYPERLINK("http://evil", "Klick") or @SUM(...). Numbers and dates are written as typed values,
never as text, so a negative number is never affected. The XLSX keeps text as entered instead: a typed string cell
is never evaluated (reports/xlsx.py).
"""

from __future__ import annotations

TRIGGERS: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """The value unchanged, or for text a spreadsheet would evaluate: the text with a leading apostrophe."""
    if isinstance(value, str) and value.startswith(TRIGGERS):
        return "'" + value
    return value

