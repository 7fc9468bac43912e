"""A cron import meets a process that holds the DuckDB file (e.g. the app in the middle of a query):
it waits and succeeds, or gives up after OZG_DB_TIMEOUT with a clear message — never half-applied."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.loaders.test_cli_import import fingerprint

ROOT = Path(__file__).resolve().parents[2]
HOLD = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1])
con.execute("SELECT count(*) FROM status_current").fetchall()
print("holding", flush=True)
if sys.argv[2] == "until-released":
    sys.stdin.readline()  # holds the file until the test writes a line or closes stdin
else:
    time.sleep(float(sys.argv[2]))
con.close()
"""


def _hold(db_path: str, seconds: float | str) -> subprocess.Popen:
    """A second process holding the DuckDB file for `seconds`, or "until-released" (the test closes its stdin)."""
    proc = subprocess.Popen([sys.executable, "-c", HOLD, db_path, str(seconds)], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "holding"
    return proc


def _import(db_path: str, csv_path: Path, timeout: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "OZG_DB": db_path, "OZG_DB_TIMEOUT": timeout, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "loaders", "status", str(csv_path), "--city", "Wetzlar"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


@pytest.fixture
def change_file(tmp_path) -> Path:
    path = tmp_path / "wetzlar.csv"
    path.write_text("OZG-ID;Bemerkung\n10000;per Cron gemeldet\n", encoding="utf-8")
    return path


def test_import_waits_for_a_short_reader_and_succeeds(db, change_file):
    holder = _hold(db.url, 1.5)
    started = time.monotonic()
    result = _import(db.url, change_file, timeout="30")
    holder.wait(timeout=30)
    assert result.returncode == 0, result.stderr
    assert time.monotonic() - started >= 1.0
    with db.connect() as conn:
        assert conn.one("SELECT bemerkung FROM status_current WHERE ags = '06532023' AND ozg_id = '10000'") == \
            "per Cron gemeldet"


def test_import_gives_up_with_a_clear_message_and_changes_nothing(db, change_file):
    before = fingerprint(db)
    holder = _hold(db.url, "until-released")  # however slow the import starts, the file is still held
    try:
        result = _import(db.url, change_file, timeout="0.5")
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)
    assert result.returncode == 2
    assert "ist gerade von einem anderen Programm belegt" in result.stderr
    assert "erneut versuchen" in result.stderr
    assert "Traceback" not in result.stderr
    assert fingerprint(db) == before
