"""Several processes importing at once: PostgreSQL serialises them (no lost update); DuckDB serialises them via
the lock retry or refuses with the clear busy message — never a half-applied batch or a broken file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from ozg import queries

WORKER = Path(__file__).with_name("concurrent_worker.py")
CITIES = ["06534014", "06531005", "06532023", "06631009", "06533009"]
BATCHES = 6


def _run_workers(url: str, timeout_env: str | None = None, before_go=None) -> list[dict]:
    env = {**os.environ}
    if timeout_env is not None:
        env["OZG_DB_TIMEOUT"] = timeout_env
    procs = [subprocess.Popen([sys.executable, str(WORKER), url, ags, str(n), str(BATCHES)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
             for n, ags in enumerate(CITIES)]
    for proc in procs:  # all started and connected once: release them together
        assert proc.stdout.readline().strip() == "ready", proc.stderr.read()
    if before_go is not None:
        before_go()
    for proc in procs:
        proc.stdin.write("go\n")
        proc.stdin.flush()
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=900)
        assert proc.returncode == 0, err
        results.extend(json.loads(line) for line in out.splitlines())
    assert len(results) == len(CITIES) * BATCHES
    return results


def _check_consistent(db, results: list[dict]) -> int:
    """Every committed batch is complete, nothing else was written, current = latest history. Returns #ok."""
    ok_ids = sorted(r["batch_id"] for r in results if r["ok"])
    with db.connect() as conn:
        batches = conn.execute("SELECT id, rows_changed FROM import_batch WHERE kind = 'status' ORDER BY id")
        history = dict(conn.execute("SELECT batch_id, count(*) FROM status_history GROUP BY batch_id"))
        assert [b[0] for b in batches] == ok_ids  # no record of a failed attempt, none lost
        for batch_id, rows_changed in batches:
            assert history.get(batch_id, 0) == rows_changed
        stale = conn.one(
            "SELECT count(*) FROM status_current c JOIN (SELECT ags, ozg_id, max(id) AS id FROM status_history "
            "GROUP BY ags, ozg_id) m ON m.ags = c.ags AND m.ozg_id = c.ozg_id "
            "JOIN status_history h ON h.id = m.id WHERE h.batch_id <> c.batch_id")
        assert stale == 0
    return len(ok_ids)


def _check_no_lost_update(db) -> None:
    """The contested Leistung's changes form one chain: each old value is the value the previous change wrote."""
    chain = queries.leistung_history(db, "10000", "06534014")
    with db.connect() as conn:
        olds = conn.execute("SELECT c.old_value, c.new_value FROM status_change c JOIN import_batch b "
                            "ON b.id = c.batch_id WHERE c.ags = '06534014' AND c.ozg_id = '10000' "
                            "AND c.field = 'bemerkung' ORDER BY c.batch_id")
    assert len(olds) == len(chain)
    for (old, _), (_, previous_new) in zip(olds[1:], olds[:-1], strict=True):
        assert old == previous_new


def test_postgres_serialises_concurrent_imports(pg_database):
    db = pg_database("plain")
    results = _run_workers(db.url)
    assert all(r["ok"] for r in results)  # PostgreSQL waits on the advisory lock; nobody is refused
    assert _check_consistent(db, results) == len(CITIES) * BATCHES
    _check_no_lost_update(db)
    with db.connect() as conn:
        assert conn.one("SELECT count(DISTINCT ags) FROM status_current") == len(CITIES)
        per_city = conn.one("SELECT count(*) FROM status_current WHERE ags = '06531005'")
    assert per_city == 50


def test_duckdb_serialises_concurrent_imports(db):
    # Patient enough for any machine load: each waits for the file lock (retrying) instead of being refused, so the
    # outcome does not depend on how busy the machine is. Refusing impatient writers is tested below, on its own.
    results = _run_workers(db.url, timeout_env="600")
    assert all(r["ok"] for r in results), [r for r in results if not r["ok"]]
    assert _check_consistent(db, results) == len(CITIES) * BATCHES
    _check_no_lost_update(db)


def test_duckdb_refuses_clearly_while_another_program_holds_the_file(db):
    """Impatient writers (0.05 s) against a file another program holds for the whole run: every attempt is refused
    with the busy message and nothing is written. Deterministic: who wins a race does not matter here."""
    import duckdb

    holder = []
    try:
        results = _run_workers(db.url, timeout_env="0.05", before_go=lambda: holder.append(duckdb.connect(db.url)))
    finally:
        for conn in holder:
            conn.close()
    assert [r["ok"] for r in results] == [False] * len(CITIES) * BATCHES
    for r in results:
        assert "gerade von einem anderen Programm belegt" in r["message"]
    assert _check_consistent(db, results) == 0
    with db.connect() as conn:
        assert conn.one("SELECT count(*) FROM status_current") == 0
