"""Two coordinators commit at the same moment: nobody's changes are lost, nothing is ever half-applied.

- Two real processes (as two app servers or an app and a cron job would be) import different cities into one
  DuckDB file at once: DuckDB lets one process write, the other waits (retry in ozg/db.py) and both succeed.
- A process that cannot get the file in time gets the clear "bitte erneut versuchen" message and writes nothing.
- Two sessions of one app (threads) confirm previews of the same city at once: one commits, the other is told
  to check again (PreviewOutdated) instead of overwriting the colleague's change.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from loaders import service
from ozg import queries, users
from ozg.errors import PreviewOutdated
from tests.ozg.auth_support import FULDA, OPERATOR, WETZLAR, status_file

ROOT = Path(__file__).resolve().parents[2]
# Runs in its own process: import `path` for `city` as `user` through the service layer, `rounds` times,
# starting at the wall-clock time `at` so both processes collide. Prints one line per import.
WORKER = """
import sys, time
from pathlib import Path
from loaders import service
from ozg import users
from ozg.db import Database
from ozg.errors import OzgError
db_url, user_name, city, at, rounds, *paths = sys.argv[1:]
db = Database(db_url)
user = users.get_user(db, user_name)
print("ready", flush=True)
time.sleep(max(0.0, float(at) - time.time()))
for i in range(int(rounds)):
    path = Path(paths[i % len(paths)])
    try:
        outcome = service.import_file(db, user, path, city)
        print("ok", outcome.result.batch_id, outcome.result.rows_changed, flush=True)
    except OzgError as exc:
        print("refused", type(exc).__name__, exc, flush=True)
"""


def _worker(db_url: str, user: str, city: str, at: float, rounds: int, paths: list[Path],
            timeout: str = "60") -> subprocess.Popen:
    env = {**os.environ, "OZG_DB_TIMEOUT": timeout, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-c", WORKER, db_url, user, city, str(at), str(rounds),
                             *map(str, paths)], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def _everything(city_name: str, reifegrad: int, ids: list[str]) -> dict[str, dict[str, object]]:
    return {oid: {"Reifegrad": reifegrad, "Bemerkung": f"{city_name} Runde {reifegrad}"} for oid in ids}


def _all_ids(db) -> list[str]:
    return list(queries.leistungen(db)["ozg_id"])


def _consistent(db) -> None:
    """Every batch wrote exactly as many history rows as it says it changed (no partial import)."""
    with db.connect() as conn:
        rows = conn.execute("SELECT b.id, b.rows_changed, (SELECT count(*) FROM status_history h "
                            "WHERE h.batch_id = b.id) FROM import_batch b WHERE b.kind IN ('status', 'edit')")
    assert rows and all(changed == written for _, changed, written in rows), rows


@pytest.fixture
def coordinators(db, tmp_path):
    users.add_user(db, OPERATOR, "fulda", "coordinator", ["Fulda"], users_path=tmp_path / "u.toml")
    users.add_user(db, OPERATOR, "wetzlar", "coordinator", ["Wetzlar"], users_path=tmp_path / "u.toml")
    return db


def test_two_processes_import_different_cities_at_once(coordinators, tmp_path):
    db = coordinators
    ids = _all_ids(db)
    files = {}
    for city in ("Fulda", "Wetzlar"):  # two full files per city (every Leistung changes in every round)
        files[city] = [status_file(db, tmp_path / f"{city}-{n}.xlsx", city, _everything(city, n, ids))
                       for n in (1, 2)]
    at = time.time() + 4  # both start at the same instant, after their imports are loaded
    procs = [_worker(db.url, "fulda", "Fulda", at, 3, files["Fulda"]),
             _worker(db.url, "wetzlar", "Wetzlar", at, 3, files["Wetzlar"])]
    outputs = [p.communicate(timeout=600) for p in procs]
    for (out, err), p in zip(outputs, procs, strict=True):
        assert p.returncode == 0, err
        lines = out.splitlines()[1:]  # after "ready"
        assert [line.split()[0] for line in lines] == ["ok", "ok", "ok"], out
        assert [int(line.split()[2]) for line in lines] == [len(ids)] * 3
    # the last round of each city wrote Reifegrad 1 (rounds 1, 2, 1): both cities' changes are all there
    table = queries.status_table(db, ags=[FULDA, WETZLAR])
    assert set(table["reifegrad"]) == {1}
    assert set(table[table.ags == FULDA]["bemerkung"]) == {"Fulda Runde 1"}
    assert set(table[table.ags == WETZLAR]["bemerkung"]) == {"Wetzlar Runde 1"}
    assert len(queries.batches(db, ags=FULDA)) == 3 and len(queries.batches(db, ags=WETZLAR)) == 3
    _consistent(db)


HOLD = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1])
con.execute("BEGIN"); con.execute("UPDATE meta SET value = value WHERE key = 'data_version'")
print("holding", flush=True)
time.sleep(float(sys.argv[2]))
con.close()
"""


def test_busy_database_gives_the_retry_message_and_changes_nothing(coordinators, tmp_path):
    db = coordinators
    path = status_file(db, tmp_path / "fulda.xlsx", "Fulda", {"10000": {"Reifegrad": 4}})
    proc = _worker(db.url, "fulda", "Fulda", time.time() + 8, 1, [path], timeout="0.5")
    assert proc.stdout.readline().strip() == "ready"  # signed in; the import starts a few seconds later
    holder = subprocess.Popen([sys.executable, "-c", HOLD, db.url, "20"], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "holding"
        out, err = proc.communicate(timeout=120)
    finally:
        holder.kill()
        holder.wait()
    assert out.startswith("refused DatabaseBusy Die Datenbank"), (out, err)
    assert "erneut versuchen" in out
    assert queries.batches(db, ags=FULDA).empty


def test_two_sessions_confirm_the_same_city_at_once(coordinators, tmp_path):
    db = coordinators
    fulda = users.get_user(db, "fulda")
    colleague = users.add_user(db, OPERATOR, "fulda2", "coordinator", ["Fulda"], users_path=tmp_path / "u.toml")
    mine = status_file(db, tmp_path / "a.xlsx", "Fulda", {"10000": {"Status": "online"}})
    theirs = status_file(db, tmp_path / "b.xlsx", "Fulda", {"10000": {"Status": "Pilot"}})
    (_, version_a), (_, version_b) = (service.check_file(db, fulda, mine, "Fulda"),
                                      service.check_file(db, colleague, theirs, "Fulda"))
    results: dict[str, object] = {}
    start = threading.Barrier(2)

    def confirm(name, user, path, version):
        start.wait()
        try:
            results[name] = service.import_file(db, user, path, "Fulda", preview=version).result.batch_id
        except PreviewOutdated as exc:
            results[name] = exc

    threads = [threading.Thread(target=confirm, args=("a", fulda, mine, version_a)),
               threading.Thread(target=confirm, args=("b", colleague, theirs, version_b))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    outcomes = sorted(type(v).__name__ for v in results.values())
    assert outcomes == ["PreviewOutdated", "int"], results
    winner = "online" if isinstance(results["a"], int) else "Pilot"
    with db.connect() as conn:
        assert conn.one("SELECT status FROM status_current WHERE ags = ? AND ozg_id = '10000'", [FULDA]) == winner
    assert len(queries.batches(db, ags=FULDA)) == 1
