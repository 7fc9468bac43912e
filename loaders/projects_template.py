"""The shared-projects template: sheet „Projekte“ pre-filled with the current projects, one row per project × Kommune,
dropdowns for Federführung, Kommune and Komplexität, and a sheet „Info“ (version, date, how to fill it in, and the
list of Kommunen the dropdowns use).

    | Projekt-ID | Projekt | Federführung | Start | Komplexität | OZG-IDs      | Kommune | Go-live    | Entwicklung | …
    | BSP-01     | Musik…  | Gießen       | …     | einfach     | 10023, 10247 | Gießen  | 30.04.2021 | 88000       |
    | BSP-01     |         |              |       |             |              | Marburg | 28.11.2021 |             |

Project columns are written on the project's first row (the lead city's) only; loaders/projects_file.py reads the
file back unchanged (0 changes).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from loaders.projects_file import LABELS
from ozg import clock, costmodel, queries, savings
from ozg.db import Database
from ozg.fmt import missing

TEMPLATE_VERSION = "1"
SHEET, INFO = "Projekte", "Info"
DATE_FORMAT, AMOUNT_FORMAT = "DD.MM.YYYY", "#,##0"
WIDTHS = {"project_id": 12, "name": 40, "lead": 18, "start": 12, "complexity": 13, "ozg_ids": 18, "kommune": 18,
          "go_live": 12, "development": 13, "adaptation_per_city": 13, "operation_per_year": 13, "coordination": 13,
          "source": 28, "description": 50}
DATE_FIELDS = ("start", "go_live")
AMOUNT_FIELDS = ("development", "adaptation_per_city", "operation_per_year", "coordination")
HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
EMPTY_ROWS = 200          # rows below the data that still carry the dropdowns
CITY_LIST_ROW = 12        # first row of the Kommunen list on the Info sheet (the dropdowns point there)


def _day(value) -> dt.date | None:
    return None if missing(value) else pd.Timestamp(value).date()


def template_rows(db: Database) -> list[dict[str, object]]:
    """The current projects as template rows (field -> value), one per project × Kommune, lead city first."""
    frames = savings.load_frames(db)
    names = dict(zip(frames["cities"]["ags"], frames["cities"]["kommune"], strict=True))
    names.update(zip(frames["projects"]["lead_ags"], frames["projects"]["lead_name"], strict=True))
    costs = {r.project_id: r for r in frames["costs"].itertuples()}
    rows = []
    for p in frames["projects"].itertuples():
        leistungen = frames["leistungen"][frames["leistungen"]["project_id"] == p.project_id]["ozg_id"]
        cities = frames["cities"][frames["cities"]["project_id"] == p.project_id]
        cities = sorted(zip(cities["ags"], cities["go_live"], strict=True), key=lambda c: (c[0] != p.lead_ags,
                                                                                         names.get(c[0]) or c[0]))
        c = costs.get(p.project_id)
        first = {"project_id": p.project_id, "name": p.name, "lead": names.get(p.lead_ags, p.lead_ags),
                 "start": _day(p.start_date), "complexity": None if missing(p.complexity) else p.complexity,
                 "ozg_ids": ", ".join(leistungen), "source": None if c is None or missing(c.source) else c.source,
                 "description": None if missing(p.description) else p.description,
                 **{f: (None if c is None or missing(getattr(c, f)) else float(getattr(c, f))) for f in AMOUNT_FIELDS}}
        for index, (ags, go_live) in enumerate(cities or [(p.lead_ags, None)]):
            row = dict(first) if index == 0 else {"project_id": p.project_id}
            rows.append({**row, "kommune": names.get(ags, ags), "go_live": _day(go_live)})
    return rows


def build_projects_template(db: Database, now: dt.datetime | None = None) -> Workbook:
    """Workbook with the current shared projects, dropdowns and an Info sheet."""
    now = now or clock.now()
    fields = list(LABELS)
    rows = template_rows(db)
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    for col, field in enumerate(fields, start=1):
        cell = ws.cell(row=1, column=col, value=LABELS[field])
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.column_dimensions[get_column_letter(col)].width = WIDTHS[field]
    for r, row in enumerate(rows, start=2):
        for col, field in enumerate(fields, start=1):
            cell = ws.cell(row=r, column=col, value=row.get(field))
            if isinstance(cell.value, str):
                cell.data_type = "s"   # text stays text, even if it starts with "=" (no live formula)
            if field in DATE_FIELDS:
                cell.number_format = DATE_FORMAT
            elif field in AMOUNT_FIELDS:
                cell.number_format = AMOUNT_FORMAT
    cities = queries.kommunen(db)
    _add_dropdowns(ws, fields, len(rows) + 1 + EMPTY_ROWS, len(cities))
    ws.freeze_panes = "B2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(fields))}{max(2, len(rows) + 1)}"
    _info_sheet(wb, now, len({r['project_id'] for r in rows}), cities)
    return wb


def _add_dropdowns(ws, fields: list[str], until: int, city_count: int) -> None:
    letter = {field: get_column_letter(i) for i, field in enumerate(fields, start=1)}
    city_range = f"{INFO}!$A${CITY_LIST_ROW + 1}:$A${CITY_LIST_ROW + max(city_count, 1)}"
    cities = DataValidation(type="list", formula1=city_range, allow_blank=True, showErrorMessage=True,
                            errorTitle="Kommune", error="Bitte eine Kommune aus der Liste (Blatt „Info“).")
    complexity = DataValidation(type="list", formula1='"' + ",".join(costmodel.COMPLEXITIES) + '"',
                                allow_blank=True, showErrorMessage=True, errorTitle="Komplexität",
                                error="Bitte einfach, mittel oder komplex.")
    dates = DataValidation(type="date", operator="greaterThan", formula1="1", allow_blank=True,
                           showErrorMessage=True, errorTitle="Datum", error="Bitte ein Datum (TT.MM.JJJJ).")
    amounts = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True,
                             showErrorMessage=True, errorTitle="Betrag", error="Bitte einen Betrag in € (≥ 0).")
    for validation, names in ((cities, ["lead", "kommune"]), (complexity, ["complexity"]), (dates, DATE_FIELDS),
                              (amounts, AMOUNT_FIELDS)):
        for name in names:
            validation.add(f"{letter[name]}2:{letter[name]}{until}")
        ws.add_data_validation(validation)


def _info_sheet(wb: Workbook, now: dt.datetime, projects: int, cities: pd.DataFrame) -> None:
    info = wb.create_sheet(INFO)
    rows = [
        ("OZG-Cockpit – Vorlage Gemeinschaftsprojekte", None),
        ("Vorlagenversion", TEMPLATE_VERSION),
        ("Erstellt am", now),
        ("Projekte", projects),
        ("Import", "python -m loaders projects DATEI.xlsx (mit --dry-run nur prüfen)"),
        ("Aufbau", "Eine Zeile je Projekt und beteiligter Kommune. Projekt-ID, Kommune in jeder Zeile; die übrigen "
                   "Projektangaben (Projekt, Federführung, OZG-IDs, Kosten …) genügen in einer Zeile des Projekts."),
        ("Federführung", "Die federführende Kommune muss auch als beteiligte Kommune (Spalte „Kommune“) stehen."),
        ("OZG-IDs", "Mehrere OZG-IDs durch Komma trennen, z. B. „10023, 10247“."),
        ("Kosten", "Beträge in € (z. B. 120000). Leer = unbekannt: dann gelten die Kostenparameter. "
                   "Quelle angeben (Rechnung, Haushaltsplan) – ohne Quelle gilt der Wert als Annahme."),
        ("Wirkung", "Projekte in der Datei werden durch den Inhalt der Datei ersetzt (mit Historie); Projekte, die "
                    "nicht in der Datei stehen, bleiben unverändert. Löschen geht nur in der App."),
    ]
    for r, (label, value) in enumerate(rows, start=1):
        info.cell(row=r, column=1, value=label).font = Font(bold=True)
        cell = info.cell(row=r, column=2, value=value)
        if isinstance(value, str):
            cell.data_type = "s"
    info["B3"].number_format = "DD.MM.YYYY HH:MM"
    info.cell(row=CITY_LIST_ROW, column=1, value="Kommunen (für die Auswahllisten)").font = Font(bold=True)
    info.cell(row=CITY_LIST_ROW, column=2, value="AGS").font = Font(bold=True)
    for r, city in enumerate(cities.itertuples(), start=CITY_LIST_ROW + 1):
        info.cell(row=r, column=1, value=city.name).data_type = "s"
        ags = info.cell(row=r, column=2, value=city.ags)
        ags.data_type, ags.number_format = "s", "@"   # leading zero
    info.column_dimensions["A"].width = 34
    info.column_dimensions["B"].width = 100


def write_projects_template(db: Database, path: Path) -> int:
    """Write the projects template to `path`; returns the number of projects in it."""
    wb = build_projects_template(db)
    wb.save(path)
    return int(wb[INFO]["B4"].value)
