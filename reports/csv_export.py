"""The ministry CSV (DESIGN.md): `;`, UTF-8 with BOM, one row per Kommune × Leistung, dd.mm.yyyy, ja/nein.

The BOM makes German Excel read the file as UTF-8 (Umlauts intact); `;` is the list separator Excel expects in a
German locale. Lines end in CRLF like Excel's own CSV. Text is neutralised against formula injection.
"""

from __future__ import annotations

import csv
import io

from ozg import fmt
from ozg.fmt import missing
from reports.data import BOOL, DATE, DATETIME, DECIMAL, EURO, INT, PERCENT, MinistryReport, Table
from reports.safe import neutralise


def cell(value, kind: str) -> str:
    """One value as the ministry CSV writes it."""
    if missing(value):
        return ""
    if kind == INT:
        return str(int(value))
    if kind in (DECIMAL, EURO):
        return fmt.number(value, 2).replace(".", "")  # 1234,50 — no thousands separator in machine-read CSV
    if kind == PERCENT:
        return fmt.number(float(value) * 100, 1).replace(".", "")
    if kind == DATE:
        return fmt.date(value)
    if kind == DATETIME:
        return value.strftime("%d.%m.%Y %H:%M")
    if kind == BOOL:
        return fmt.yes_no(value)
    return neutralise(str(value))


def table_csv(table: Table) -> bytes:
    """A table as `;`-separated UTF-8 with BOM."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    columns = list(table.frame.columns)
    writer.writerow([neutralise(c) for c in columns])
    kinds = [table.kind(c) for c in columns]
    for row in table.frame.itertuples(index=False, name=None):
        writer.writerow([cell(v, k) for v, k in zip(row, kinds, strict=True)])
    return out.getvalue().encode("utf-8-sig")


def render(report: MinistryReport) -> bytes:
    """The ministry CSV of a report."""
    return table_csv(report.status)
