"""Ministry reports (XLSX, CSV, PDF) from the query module: `python -m reports` and the app's Berichte page."""

from __future__ import annotations

import datetime as dt
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


def file_name(fmt: str, day: dt.date) -> str:
    """Suggested download name, e.g. ozg-bericht-2026-11-27.xlsx."""
    return f"ozg-bericht-{day.isoformat()}.{FORMATS[fmt].extension}"


def _renderers() -> dict:
    from reports import csv_export, pdf, xlsx  # imported on use: `import reports` stays light for the app

    return {"xlsx": xlsx.render, "csv": csv_export.render, "pdf": pdf.render}


def export(db: Database, fmt: str, as_of: dt.date | None = None, cities: list[str] | None = None,
           threshold: int = DEFAULT_ONLINE_THRESHOLD) -> bytes:
    """The ministry report in one format ("xlsx", "csv", "pdf") as bytes."""
    from reports.data import build_report

    render = _renderers()[fmt]  # KeyError for an unknown format; the CLI only offers FORMATS
    return render(build_report(db, as_of=as_of, cities=cities, threshold=threshold))


def export_all(db: Database, as_of: dt.date | None = None, cities: list[str] | None = None,
               threshold: int = DEFAULT_ONLINE_THRESHOLD) -> dict[str, bytes]:
    """The report in every format, assembled once (the app's Berichte page offers all three)."""
    from reports.data import build_report

    report = build_report(db, as_of=as_of, cities=cities, threshold=threshold)
    return {fmt: render(report) for fmt, render in _renderers().items()}
