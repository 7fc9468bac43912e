"""Ministry reports (XLSX, CSV, PDF) from the query module: `python -m reports` and the app's Berichte page."""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable
from dataclasses import dataclass

from ozg.db import Database
from ozg.domain import DEFAULT_ONLINE_THRESHOLD


@dataclass(frozen=True)
class Format:
    label: str
    extension: str
    mime: str


FORMATS: dict[str, Format] = {
    "xlsx": Format("Excel (XLSX)", "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "csv": Format("CSV (Ministerium)", "csv", "text/csv"),
    "pdf": Format("PDF (Kurzbericht)", "pdf", "application/pdf"),
}
_MODULES = {"xlsx": "xlsx", "csv": "csv_export", "pdf": "pdf"}  # reports.<module>.render writes the format


def file_name(fmt: str, day: dt.date) -> str:
    """Suggested download name, e.g. ozg-bericht-2026-11-27.xlsx."""
    return f"ozg-bericht-{day.isoformat()}.{FORMATS[fmt].extension}"


def _renderer(fmt: str) -> Callable:
    """The format's render function, importing only its own module (openpyxl or WeasyPrint take ~0.2–0.8 s)."""
    if fmt not in FORMATS:
        raise KeyError(fmt)  # the CLI only offers FORMATS
    return importlib.import_module(f"reports.{_MODULES[fmt]}").render


def export(db: Database, fmt: str, as_of: dt.date | None = None, cities: list[str] | None = None,
           threshold: int = DEFAULT_ONLINE_THRESHOLD) -> bytes:
    """The ministry report in one format ("xlsx", "csv", "pdf") as bytes."""
    from reports.data import build_report

    render = _renderer(fmt)
    with db.snapshot():  # one connection, one consistent read for every figure of the report
        report = build_report(db, as_of=as_of, cities=cities, threshold=threshold)
    return render(report)


def export_all(db: Database, as_of: dt.date | None = None, cities: list[str] | None = None,
               threshold: int = DEFAULT_ONLINE_THRESHOLD) -> dict[str, bytes]:
    """The report in every format, assembled once (the app's Berichte page offers all three)."""
    from reports.data import build_report

    with db.snapshot():
        report = build_report(db, as_of=as_of, cities=cities, threshold=threshold)
    return {fmt: _renderer(fmt)(report) for fmt in FORMATS}
