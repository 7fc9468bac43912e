"""Import one federal export as a dated snapshot: read → check every record → store all or nothing.

Unknown OZG-IDs (the federal catalogue is newer than ours) are warnings; their records are kept, so they count as
soon as our catalogue learns the ID. Importing the same file with the same Stand again changes nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from loaders import bund_file
from loaders.bund_records import Collector
from loaders.problems import FileRejected, HasProblems, Problem
from ozg import bund, clock, fmt, migrations
from ozg.bootstrap import sha256_file
from ozg.db import Database

MAX_LISTED_UNKNOWN = 20


@dataclass
class BundImport(HasProblems):
    file_name: str
    stand: dt.date
    problems: list[Problem] = field(default_factory=list)
    records: int = 0
    snapshot_id: int | None = None
    already: bool = False           # the same file with the same Stand was imported before (snapshot_id)
    unknown_ozg_ids: int = 0


def import_bund_file(db: Database, path: Path, stand: dt.date | None, user: str,
                     file_name: str | None = None) -> BundImport:
    """Check the file completely, then store it as one snapshot (nothing is stored if any record is malformed)."""
    migrations.require_current(db)
    name = file_name or path.name
    outcome = BundImport(name, stand or clock.today())
    if (problem := future_stand(name, outcome.stand)) is not None:
        outcome.problems.append(problem)
        return outcome
    try:
        kind, sheet, rows = bund_file.records(path, name)
        collector = Collector(name, kind, sheet)
        for position, record in rows:
            collector.add(position, record)
    except FileRejected as exc:
        outcome.problems.append(exc.problem)
        return outcome
    table = collector.finish()
    outcome.records = collector.count
    outcome.problems.extend(collector.problems)
    if outcome.errors:
        return outcome
    if kind == "json" and (page := bund_file.page_info(path)) and page[1] > 1:
        outcome.problems.append(Problem(name, f"Die Datei ist Seite {page[0] + 1} von {page[1]} der API-Antwort – "
                                              "der Abgleich sieht nur diese Seite. Für alle Datensätze alle Seiten "
                                              "abrufen oder den Gesamtexport verwenden.", severity="Warnung"))
    outcome.unknown_ozg_ids, warnings = _unknown_ids(db, collector, name)
    outcome.problems.extend(warnings)
    sha = sha256_file(path)
    existing = bund.find_snapshot(db, sha, outcome.stand)
    if existing is not None:
        outcome.snapshot_id, outcome.already = existing, True
        return outcome
    outcome.snapshot_id = bund.store_snapshot(db, table, outcome.stand, name, sha, user, outcome.unknown_ozg_ids)
    return outcome


def future_stand(name: str, stand: dt.date) -> Problem | None:
    """The problem of a Stand after today (federal data cannot describe the future), else None."""
    if stand <= clock.today():
        return None
    return Problem(name, f"Der Stand {fmt.date(stand)} liegt in der Zukunft – erwartet ein Datum bis heute.",
                   code="unreadable")


def _unknown_ids(db: Database, collector: Collector, name: str) -> tuple[int, list[Problem]]:
    with db.connect() as conn:
        known = {row[0] for row in conn.execute("SELECT ozg_id FROM leistung")}
    unknown = sorted((pos, oid) for oid, pos in collector.ozg_ids.items() if oid not in known)
    where = "Datensatz" if collector.kind == "json" else "Zeile"
    problems = [Problem(name, f"OZG-ID {oid} (zuerst in {where} {pos}) ist in unserem Katalog unbekannt – die "
                              "Datensätze werden gespeichert und zählen, sobald der Katalog sie kennt.",
                        column="ozgid", value=oid, severity="Warnung", code="unknown_ozg_id")
                for pos, oid in unknown[:MAX_LISTED_UNKNOWN]]
    if len(unknown) > MAX_LISTED_UNKNOWN:
        problems.append(Problem(name, f"… und {len(unknown) - MAX_LISTED_UNKNOWN} weitere unbekannte OZG-IDs.",
                                severity="Warnung", code="unknown_ozg_id"))
    return len(unknown), problems
