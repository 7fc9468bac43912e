"""Write side of the link check: one run and its results, stored together in one transaction (append-only)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ozg import clock
from ozg.db import Database


@dataclass(frozen=True)
class LinkResult:
    """What one Link answered: the final HTTP status (None without an answer), the reason if broken."""

    ags: str
    ozg_id: str
    url: str
    http_status: int | None
    error: str | None
    final_url: str | None
    checked_at: dt.datetime

    @property
    def ok(self) -> bool:
        return self.error is None and self.http_status is not None and self.http_status < 400


def record_run(db: Database, results: list[LinkResult], ags: str | None, started_at: dt.datetime) -> int:
    """Store a run and its results; returns the run id."""
    finished = clock.now()
    with db.transaction() as conn:
        run_id = conn.one("SELECT nextval('link_run_id_seq')")
        conn.execute("INSERT INTO link_check_run (id, started_at, finished_at, ags, checked, broken) "
                     "VALUES (?, ?, ?, ?, ?, ?)",
                     [run_id, started_at, finished, ags, len(results), sum(not r.ok for r in results)])
        conn.executemany(
            "INSERT INTO link_check (run_id, ags, ozg_id, url, checked_at, http_status, error, final_url, ok) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(run_id, r.ags, r.ozg_id, r.url, r.checked_at, r.http_status, r.error, r.final_url, r.ok)
             for r in results])
    return int(run_id)
