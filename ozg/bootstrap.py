"""Create or upgrade a database and load the shipped reference data (catalogue, cooperation, deadlines)."""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass

from ozg import catalogue, config, kommunen, migrations
from ozg.db import Database

DEADLINES_FILE = config.DATA_DIR / "deadlines.csv"


@dataclass(frozen=True)
class InitResult:
    migrations_applied: list[int]
    kommunen: int
    catalogue: catalogue.CatalogueResult | None
    sample_batches: int


def sha256_file(path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def load_deadlines(db: Database) -> int:
    with DEADLINES_FILE.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    with db.transaction() as conn:
        conn.execute("DELETE FROM deadline")
        conn.executemany(
            "INSERT INTO deadline (id, title, due, kind, applies_to, source) VALUES (?, ?, CAST(? AS DATE), ?, ?, ?)",
            [(r["id"], r["title"], r["due"], r["kind"], r["applies_to"] or None, r["source"]) for r in rows])
    return len(rows)


def shipped_catalogue_loaded(db: Database, sha: str) -> bool:
    with db.connect() as conn:
        return bool(conn.one("SELECT count(*) FROM import_batch WHERE kind = 'catalogue' AND sha256 = ?", [sha]))


def init_database(db: Database, sample: bool = False, user: str = "init") -> InitResult:
    """Migrate, then load cooperation, shipped catalogue (once per file version) and deadlines. Safe to re-run."""
    applied = migrations.migrate(db)
    count = kommunen.load_cooperation(db)
    path = catalogue.shipped_path()
    sha = sha256_file(path)
    result = None
    if not shipped_catalogue_loaded(db, sha):
        with path.open(encoding="utf-8", newline="") as fh:
            entries = [catalogue.normalise_entry(r) for r in csv.DictReader(fh)]
        result = catalogue.apply_catalogue(db, entries, path.name, sha, user, leika=catalogue.read_shipped_leika())
    load_deadlines(db)
    batches = 0
    if sample:
        from ozg import sample as sample_data

        batches = sample_data.load_sample(db)
        from ozg import sample_projects

        sample_projects.load_sample_projects(db)
    return InitResult(applied, count, result, batches)
