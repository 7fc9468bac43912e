"""The per-city coordinator template: sheet „Status“ pre-filled with the city's current status, dropdowns for
Status, Reifegrad and ja/nein, and a sheet „Info“ naming the city (AGS), the template version and when it was made.

The columns are the contract of DESIGN.md; `loaders.status_file` reads this file back unchanged (0 changes).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from ozg import clock, kommunen, queries
from ozg.db import Database
from ozg.domain import FIELD_LABELS, REIFEGRAD_MODELS, STATUSES, Kommune
from ozg.fmt import missing

TEMPLATE_VERSION = "1"
DATE_FORMAT = "DD.MM.YYYY"
# (field, width) in the order of DESIGN.md; Reifegradmodell follows as a further column.
COLUMNS: tuple[tuple[str, int], ...] = (
    ("ozg_id", 9), ("leistung", 48), ("themenfeld", 22), ("reifegrad", 10), ("status", 15), ("geplant_bis", 12),
    ("online_seit", 12), ("ende_zu_ende", 13), ("bescheid_digital", 15), ("federfuehrung", 18),
    ("plattform", 22), ("link", 40), ("bemerkung", 40), ("reifegrad_model", 16),
)
READ_ONLY_FILL = PatternFill("solid", fgColor="EEEEEE")
HEADER_FILL = PatternFill("solid", fgColor="1F4E79")


def _cell_value(field: str, row: pd.Series):
    value = row["federfuehrung_name"] if field == "federfuehrung" else row[field]
    if missing(value):
        return None
    if field in ("ende_zu_ende", "bescheid_digital"):
        return "ja" if bool(value) else "nein"
    if field in ("geplant_bis", "online_seit"):
        return pd.Timestamp(value).date()
    if field == "reifegrad":
        return int(value)
    return value


def build_template(db: Database, kommune: Kommune, now: dt.datetime | None = None) -> Workbook:
    """Workbook for one Kommune, pre-filled with its current status."""
    now = now or clock.now()
    table = queries.status_table(db, ags=[kommune.ags])
    wb = Workbook()
    ws = wb.active
    ws.title = "Status"
    for col, (field, width) in enumerate(COLUMNS, start=1):
        cell = ws.cell(row=1, column=col, value=FIELD_LABELS[field])
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.column_dimensions[get_column_letter(col)].width = width
    for r, (_, row) in enumerate(table.iterrows(), start=2):
        for col, (field, _) in enumerate(COLUMNS, start=1):
            cell = ws.cell(row=r, column=col, value=_cell_value(field, row))
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text stays text, even if it starts with "=" (no live formula)
            if field in ("geplant_bis", "online_seit"):
                cell.number_format = DATE_FORMAT
            if field in ("ozg_id", "leistung", "themenfeld"):
                cell.fill = READ_ONLY_FILL
    last = max(2, len(table) + 1)
    _add_dropdowns(ws, last, len(table) + 200)
    ws.freeze_panes = "B2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{last}"
    _info_sheet(wb, kommune, now)
    return wb


def _add_dropdowns(ws, last_row: int, until: int) -> None:
    letters = {field: get_column_letter(i) for i, (field, _) in enumerate(COLUMNS, start=1)}
    statuses = DataValidation(type="list", formula1='"' + ",".join(STATUSES) + '"', allow_blank=True,
                              showErrorMessage=True, errorTitle="Status", error="Bitte einen Status aus der Liste.")
    top = max(REIFEGRAD_MODELS.values())
    levels = DataValidation(type="whole", operator="between", formula1="0", formula2=str(top), allow_blank=True,
                            showErrorMessage=True, errorTitle="Reifegrad",
                            error="Reifegrad: ganze Zahl 0–4 (Modell 1.1) bzw. 0–7 (Modell 2.0).")
    yes_no = DataValidation(type="list", formula1='"ja,nein"', allow_blank=True, showErrorMessage=True,
                            errorTitle="ja/nein", error="Bitte ja oder nein.")
    models = DataValidation(type="list", formula1='"' + ",".join(REIFEGRAD_MODELS) + '"', allow_blank=True)
    dates = DataValidation(type="date", operator="greaterThan", formula1="1", allow_blank=True,
                           showErrorMessage=True, errorTitle="Datum", error="Bitte ein Datum (TT.MM.JJJJ).")
    for validation, fields in ((statuses, ["status"]), (levels, ["reifegrad"]),
                               (yes_no, ["ende_zu_ende", "bescheid_digital"]), (models, ["reifegrad_model"]),
                               (dates, ["geplant_bis", "online_seit"])):
        for field in fields:
            validation.add(f"{letters[field]}2:{letters[field]}{until}")
        ws.add_data_validation(validation)


def _info_sheet(wb: Workbook, kommune: Kommune, now: dt.datetime) -> None:
    info = wb.create_sheet("Info")
    rows = [
        ("OZG-Cockpit – Meldevorlage", None),
        ("Kommune", kommune.name),
        ("AGS", kommune.ags),
        ("Vorlagenversion", TEMPLATE_VERSION),
        ("Erstellt am", now),
        ("Hinweis", "Bitte nur das Blatt „Status“ bearbeiten. OZG-ID ist der Schlüssel; Leistung und Themenfeld "
                    "dienen nur zur Orientierung. Leere Zellen bedeuten „keine Angabe“; fehlende Spalten bleiben "
                    "unverändert."),
    ]
    for r, (label, value) in enumerate(rows, start=1):
        info.cell(row=r, column=1, value=label).font = Font(bold=True)
        cell = info.cell(row=r, column=2, value=value)
        if isinstance(value, str):
            cell.data_type = "s"
    info["B3"].number_format = "@"
    info["B5"].number_format = "DD.MM.YYYY HH:MM"
    info.column_dimensions["A"].width = 28
    info.column_dimensions["B"].width = 90


def write_template(db: Database, city: str, path: Path) -> Kommune:
    """Write the template of `city` (AGS or name) to `path`; returns the Kommune."""
    with db.connect() as conn:
        kommune = kommunen.resolve(conn, city)
    wb = build_template(db, kommune)
    wb.save(path)
    return kommune
