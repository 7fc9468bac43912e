"""Read, check and import a usage-figure file (Fallzahlen: monthly case counts per Kommune × Leistung).

    | Monat   | Kommune | OZG-ID | Fälle gesamt | Fälle digital |
    | 03.2025 | Marburg | 10023  | 120          | 84            |

`Kommune` (name or AGS) may be left out when the city is given (--city); `Fälle gesamt` or `Fälle digital` may be
blank (unknown) but not both. Same standard as the status import: every problem is located (file, sheet, Excel
row, column, value, expectation); one error rejects the whole file and nothing changes; importing the same file
twice changes nothing the second time.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from loaders import cells
from loaders.keyed_table import INVALID, DataRow, read_keyed
from loaders.number_cells import parse_count, parse_month
from loaders.problems import NO_CITY, FileRejected, HasProblems, Problem
from ozg import clock, kommunen, migrations, savings_store
from ozg.batches import BatchInfo, close_batch, open_batch
from ozg.bootstrap import sha256_file
from ozg.db import Database

LABELS = {"month": "Monat", "kommune": "Kommune", "ozg_id": "OZG-ID", "cases_total": "Fälle gesamt",
          "cases_digital": "Fälle digital"}


@dataclass(frozen=True)
class UsageContext:
    known_ozg_ids: frozenset[str]
    kommune_index: dict[str, str]
    today: dt.date
    city_ags: str | None = None       # the city every row belongs to (--city), if given


@dataclass
class UsageOutcome(HasProblems):
    file_name: str
    problems: list[Problem] = field(default_factory=list)
    rows: list[tuple] = field(default_factory=list)     # (month, ags, ozg_id, total, digital)
    rows_changed: int = 0
    batch_id: int | None = None
    dry_run: bool = False


def read_usage_file(path: Path, ctx: UsageContext, file_name: str | None = None) -> UsageOutcome:
    """Read and check a usage file completely; writes nothing."""
    name = file_name or Path(path).name
    table, data, problems = read_keyed(Path(path), name, LABELS, "ozg_id")
    outcome = UsageOutcome(name, problems)
    if table is None or not data:
        return outcome
    try:
        table.require_columns("month", "ozg_id")
    except FileRejected as exc:
        outcome.problems = table.problems + [exc.problem]
        return outcome
    if ctx.city_ags is None and "kommune" not in table.columns:
        outcome.problems = [*table.problems, Problem(
            name, "Die Datei hat keine Spalte „Kommune“ und es ist keine Kommune angegeben – bitte die Spalte "
                  "„Kommune“ ergänzen oder die Kommune angeben (--city NAME).", table.sheet, table.header_row,
            code=NO_CITY)]
        return outcome
    first_row: dict[tuple, int] = {}
    this_month = ctx.today.replace(day=1)
    for row in data:
        values = _check_row(table, row, ctx, this_month)
        if values is None:
            continue
        key = values[:3]
        if key in first_row:
            table.problem(f"Monat {key[0]:%m.%Y}, Kommune {key[1]}, OZG-ID {key[2]} steht doppelt: Zeilen "
                          f"{first_row[key]} und {row.number} – erwartet jede Kombination höchstens einmal.",
                          row.number, "ozg_id", row.raw.get("ozg_id"))
            continue
        first_row[key] = row.number
        outcome.rows.append(values)
    outcome.problems = table.problems
    return outcome


def _check_row(table, row: DataRow, ctx: UsageContext, this_month: dt.date) -> tuple | None:
    before = len(table.problems)
    month = table.parse(row, "month", parse_month, table.table.epoch)
    if month is None:
        table.problem("Monat fehlt – erwartet einen Monat wie 03.2025 in jeder Zeile.", row.number, "month")
    elif month is not INVALID and month > this_month:
        table.problem(f"Monat {month:%m.%Y} liegt in der Zukunft – erwartet einen Monat bis "
                      f"{this_month:%m.%Y}.", row.number, "month", row.raw.get("month"))
    ozg_id = table.parse(row, "ozg_id", cells.parse_ozg_id) if not cells.is_blank(row.raw.get("ozg_id")) else None
    if ozg_id is None:
        table.problem("OZG-ID fehlt – erwartet eine OZG-ID in jeder ausgefüllten Zeile (Summenzeilen bitte "
                      "entfernen).", row.number, "ozg_id")
    elif ozg_id is not INVALID and ozg_id not in ctx.known_ozg_ids:
        table.problem(f"OZG-ID „{ozg_id}“ steht nicht im OZG-Katalog – erwartet eine OZG-ID aus dem aktuellen "
                      "Katalog.", row.number, "ozg_id", row.raw.get("ozg_id"))
    ags = ctx.city_ags
    if "kommune" in row.raw:
        found = table.parse(row, "kommune", cells.parse_kommune, ctx.kommune_index)
        if found is None and ags is None:
            table.problem("Kommune fehlt – erwartet Name oder AGS in jeder Zeile.", row.number, "kommune")
        elif found not in (None, INVALID) and ags is not None and found != ags:
            table.problem(f"Die Zeile gehört zu AGS {found}, importiert wird aber für AGS {ags} – erwartet nur "
                          "Zeilen dieser Kommune.", row.number, "kommune", row.raw.get("kommune"))
        ags = found if found not in (None, INVALID) else ags
    total = table.parse(row, "cases_total", parse_count) if "cases_total" in row.raw else None
    digital = table.parse(row, "cases_digital", parse_count) if "cases_digital" in row.raw else None
    if total is None and digital is None:
        table.problem("Keine Fallzahl – erwartet „Fälle gesamt“ und/oder „Fälle digital“.", row.number,
                      "cases_total")
    elif total not in (None, INVALID) and digital not in (None, INVALID) and digital > total:
        table.problem(f"{digital} digitale Fälle sind mehr als {total} Fälle gesamt – erwartet digital ≤ gesamt.",
                      row.number, "cases_digital", row.raw.get("cases_digital"))
    if len(table.problems) > before:
        return None
    return (month, ags, ozg_id, total, digital)


def usage_context(db: Database, city: str | None = None) -> UsageContext:
    """Catalogue, Kommunen and the city asked for, from the database."""
    with db.connect() as conn:
        ids = frozenset(r[0] for r in conn.execute("SELECT ozg_id FROM leistung WHERE NOT retired"))
        index = kommunen.name_index(conn)
        ags = kommunen.resolve(conn, city).ags if city else None
    return UsageContext(ids, index, clock.today(), ags)


def import_usage_file(db: Database, path: Path, city: str | None, user: str, dry_run: bool = False,
                      file_name: str | None = None) -> UsageOutcome:
    """Check the file completely; without errors, write all its rows in one transaction with an import record."""
    migrations.require_current(db)
    outcome = read_usage_file(Path(path), usage_context(db, city), file_name)
    outcome.dry_run = dry_run
    if outcome.errors or dry_run:
        return outcome
    info = BatchInfo("usage", user, outcome.file_name, sha256_file(path), None, note="Fallzahlen")
    with db.transaction() as conn:
        outcome.batch_id, _ = open_batch(conn, info)
        outcome.rows_changed = savings_store.save_usage(conn, outcome.rows, outcome.batch_id)
        close_batch(conn, outcome.batch_id, len(outcome.rows), outcome.rows_changed)
    return outcome
