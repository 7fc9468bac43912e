"""The Bund-Abgleich list as a report: CSV (contract in DESIGN.md/README), XLSX, and a sheet of the ministry workbook.

CSV: `;`, UTF-8 with BOM, header exactly CSV_HEADER, one row per Kommune × OZG-ID where „Kommune online“ and
„Bund online“ differ, `ja`/`nein`, text neutralised against formula injection (reports/csv_export.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from ozg import clock, fmt, kommunen
from ozg.db import Database
from ozg.domain import DEFAULT_ONLINE_THRESHOLD, counting_rule_text
from ozg.errors import NotFound
from ozg.queries import bund as bund_queries
from reports.data import BOOL, Table, resolve_cities

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


def render_xlsx(abgleich: Abgleich) -> bytes:
    from reports.xlsx import abgleich_sheet, workbook_bytes  # openpyxl only when a workbook is written

    return workbook_bytes([abgleich_sheet], abgleich, f"Bund-Abgleich, Stand {fmt.date(abgleich.day)}")


RENDERERS = {"csv": render_csv, "xlsx": render_xlsx}


def export(db: Database, fmt: str, as_of: dt.date | None = None, cities: list[str] | None = None,
           threshold: int = DEFAULT_ONLINE_THRESHOLD) -> bytes:
    """The list as CSV or XLSX bytes (`python -m reports abgleich`); NotFound without federal data."""
    return RENDERERS[fmt](build_abgleich(db, as_of=as_of, cities=cities, threshold=threshold))
