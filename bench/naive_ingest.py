"""The naive national ingest: a Python loop per Gemeinde through the sample loader (ozg.sample: events in Python,
status.diff, status.write_change_groups) — what one writes first; the benchmark times it on a few Gemeinden."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from bench.generate import GEMEINDEN_CSV
from ozg import sample
from ozg.bootstrap import init_database
from ozg.db import Database
from ozg.kommunen import upsert_kommunen


def ingest_python(path: Path, gemeinden: int) -> int:
    """Fresh database with `gemeinden` Hessian Gemeinden loaded via the Python sample path. Returns #batches."""
    database = Database(str(path))
    init_database(database)
    with GEMEINDEN_CSV.open(encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if r["ags"].startswith("06")][:gemeinden]
    kommunen = [{"ags": r["ags"], "ars": r["ars"], "name": r["name"].split(",")[0], "official_name": r["name"],
                 "state": r["state"], "kreis": r["kreis"], "population": int(r["population"] or 0),
                 "portal_url": None} for r in rows]
    with database.transaction() as conn:
        conn.execute("DELETE FROM kommune_group")
        upsert_kommunen(conn, kommunen, group="Benchmark")
    return sample.load_sample(database, today=dt.date(2026, 10, 31))
