"""The ministry CSV (DESIGN.md): `;`, UTF-8 with BOM, one row per Kommune × Leistung, dd.mm.yyyy, ja/nein.

The CSV is the file for machines (the XLSX is the file for people). The BOM makes German Excel read the file as
UTF-8 (Umlauts intact); `;` is the list separator Excel expects in a German locale. Lines end in CRLF like Excel's
own CSV. Every text field (AGS, OZG-ID, names, remarks) is quoted, so a spreadsheet's „quoted field as text“ option
keeps the AGS leading zero; numbers, dates and ja/nein are not. Text is neutralised against formula injection.
"""

from __future__ import annotations

from ozg import fmt
from ozg.fmt import missing
from reports.data import BOOL, DATE, DATETIME, INT, TEXT, MinistryReport, Table
from reports.safe import neutralise


def _quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def cell(value, kind: str) -> str:
    """One value as the ministry CSV writes it: text quoted and neutralised, everything else bare."""
    if missing(value):
        return ""
    if kind == INT:
        return str(int(value))
    if kind == DATE:
        return fmt.date(value)
    if kind == DATETIME:
        return value.strftime("%d.%m.%Y %H:%M")
    if kind == BOOL:
        return fmt.yes_no(value)
    if kind != TEXT:
        raise ValueError(f"the ministry CSV has no format for column kind {kind!r}")
    return _quoted(neutralise(str(value)))


def _header(name: str) -> str:
    text = neutralise(str(name))
    return _quoted(text) if any(ch in text for ch in ';"\r\n') else text


def table_csv(table: Table) -> bytes:
    """A table as `;`-separated UTF-8 with BOM and CRLF line ends."""
    columns = list(table.frame.columns)
    kinds = [table.kind(c) for c in columns]
    lines = [";".join(_header(c) for c in columns)]
    lines += [";".join(cell(v, k) for v, k in zip(row, kinds, strict=True))
              for row in table.frame.itertuples(index=False, name=None)]
    return ("\r\n".join(lines) + "\r\n").encode("utf-8-sig")


def render(report: MinistryReport) -> bytes:
    """The ministry CSV of a report."""
    return table_csv(report.status)
