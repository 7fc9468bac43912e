"""The Bund-Abgleich list as a report: CSV (contract in DESIGN.md/README), XLSX, and a sheet of the ministry workbook.

CSV: `;`, UTF-8 with BOM, header exactly CSV_HEADER, one row per Kommune × OZG-ID where „Kommune online“ and
„Bund online“ differ, `ja`/`nein`, text neutralised against formula injection (reports/csv_export.py).
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ozg import clock, fmt, kommunen
from ozg.db import Database
from ozg.domain import DEFAULT_ONLINE_THRESHOLD, counting_rule_text
from ozg.errors import NotFound
from ozg.queries import bund as bund_queries
from reports.data import BOOL, Table, resolve_cities
from reports.safe import neutralise

CSV_HEADER = ("AGS", "Kommune", "OZG-ID", "Leistung", "Kommune online", "Bund online", "Link Kommune", "Link Bund",
              "Befund")
CITY_ONLY, BUND_ONLY = "Kommune online, Bund nicht", "Bund online, Kommune nicht"
SHEET = "Abgleich Bund"


@dataclass(frozen=True)
class Abgleich:
    day: dt.date                 # the day the cities' status describes (as_of or today)
    snapshot: dict               # the federal snapshot in force (ozg.bund_queries.bund_snapshot)
    counting_rule: str
    table: Table

    @property
    def stand_text(self) -> str:
        s = self.snapshot
        return (f"Bundesdaten: Stand {fmt.date(s['stand'])} (Datei {s['file_name']}, importiert "
                f"{fmt.datetime(s['created_at'])}); Kommunen: Stand {fmt.date(self.day)}")


def table_of(rows: pd.DataFrame) -> Table:
    """The comparison rows (ozg.bund_queries.bund_comparison) under the CSV contract's German headers."""
    frame = pd.DataFrame({
        "AGS": rows["ags"], "Kommune": rows["kommune"], "OZG-ID": rows["ozg_id"], "Leistung": rows["leistung"],
        "Kommune online": rows["kommune_online"].astype(bool), "Bund online": rows["bund_online"].astype(bool),
        "Link Kommune": rows["link_kommune"], "Link Bund": rows["link_bund"],
        "Befund": [CITY_ONLY if city else BUND_ONLY for city in rows["kommune_online"]],
    }, columns=list(CSV_HEADER)).astype(object)
    return Table("Abgleich Bund", frame, {"Kommune online": BOOL, "Bund online": BOOL})


def build_abgleich(db: Database, as_of: dt.date | None = None, cities: list[str] | None = None,
                   threshold: int = DEFAULT_ONLINE_THRESHOLD, required: bool = True) -> Abgleich | None:
    """The list for the cooperation's cities (or the given ones); None (or NotFound if required) without data."""
    snapshot = bund_queries.bund_snapshot(db, as_of)
    day = as_of or clock.today()
    if snapshot is None:
        if not required:
            return None
        raise NotFound(f"Es gibt keine Bundesdaten mit Stand bis {fmt.date(day)}. Bitte zuerst einen Export des "
                       "Dashboards Digitale Verwaltung mit `python -m loaders bund DATEI --stand DATUM` importieren.")
    group = kommunen.cooperation_name()
    ags = resolve_cities(db, cities, group)
    rows = bund_queries.bund_comparison(db, as_of=as_of, group=group, ags=ags, threshold=threshold)
    return Abgleich(day, snapshot, counting_rule_text(threshold), table_of(rows))


def render_csv(abgleich: Abgleich) -> bytes:
    from reports.csv_export import table_csv

    return table_csv(abgleich.table)


def write_sheet(wb: Workbook, abgleich: Abgleich) -> Worksheet:
    """The sheet „Abgleich Bund“: the Stand of both sides and the rule in two lines, then the table."""
    from reports.xlsx import write_table

    ws = wb.create_sheet(SHEET)
    ws.cell(row=1, column=1, value=neutralise(abgleich.stand_text)).font = Font(bold=True)
    ws.cell(row=2, column=1, value=neutralise(
        f"{abgleich.counting_rule}; Bund online = online_status „ok“ und aktiv „ja“"))
    last = write_table(ws, abgleich.table, top=4)
    ws.freeze_panes = "A5"
    ws.auto_filter.ref = f"A4:{get_column_letter(len(CSV_HEADER))}{max(last, 4)}"
    ws.print_title_rows = "4:4"
    ws.page_setup.orientation = "landscape"
    return ws


def render_xlsx(abgleich: Abgleich) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    write_sheet(wb, abgleich)
    wb.properties.title = f"Bund-Abgleich, Stand {fmt.date(abgleich.day)}"
    wb.properties.creator = "OZG-Cockpit"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


RENDERERS = {"csv": render_csv, "xlsx": render_xlsx}


def export(db: Database, fmt: str, as_of: dt.date | None = None, cities: list[str] | None = None,
           threshold: int = DEFAULT_ONLINE_THRESHOLD) -> bytes:
    """The list as CSV or XLSX bytes (`python -m reports abgleich`); NotFound without federal data."""
    return RENDERERS[fmt](build_abgleich(db, as_of=as_of, cities=cities, threshold=threshold))
