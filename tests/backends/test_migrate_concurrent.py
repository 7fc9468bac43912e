"""Two programs migrating the same empty PostgreSQL database at once (two replicas starting, a cron job and the app):
both succeed and every migration is applied exactly once — the version is checked again inside each transaction.

Deterministic: the test holds the write lock until both programs have read version 0 and queue behind it, so the
second one always meets a database the first has already moved on.
"""

from __future__ import annotations

import ast
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from ozg import migrations
from ozg.db import _PG_WRITE_LOCK_KEY, Database
from tests.conftest import _pg_admin, _pg_url_for, pg_server_url

pytestmark = pytest.mark.postgres

ROOT = Path(__file__).resolve().parents[2]
MIGRATE = ("import sys; from ozg import migrations; from ozg.db import Database; "
           "print(migrations.migrate(Database(sys.argv[1])))")
WAITING = ("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted "
           "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())")


@pytest.fixture
def empty_pg():
    server = pg_server_url()
    if not server:
        pytest.skip("PostgreSQL-Test übersprungen: OZG_TEST_PG ist nicht gesetzt (ci/postgres.sh start).")
    name = f"ozg_m_{uuid.uuid4().hex[:12]}"
    _pg_admin(server, f"CREATE DATABASE {name}")
    yield Database(_pg_url_for(server, name))
    _pg_admin(server, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def test_concurrent_migrate_applies_every_version_once(empty_pg):
    import psycopg

    holder = psycopg.connect(empty_pg.url)  # a transaction holding the lock every write transaction takes
    holder.execute("SELECT pg_advisory_xact_lock(%s)", [_PG_WRITE_LOCK_KEY])
    procs = [subprocess.Popen([sys.executable, "-c", MIGRATE, empty_pg.url], cwd=ROOT, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for _ in range(2)]
    try:
        deadline = time.monotonic() + 120
        while holder.execute(WAITING).fetchone()[0] < 2:
            assert all(p.poll() is None for p in procs), [p.communicate() for p in procs]
            assert time.monotonic() < deadline, "the two migrations never queued behind the lock"
            time.sleep(0.05)
    finally:
        holder.rollback()
        holder.close()
    outputs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs

    every = list(range(1, migrations.latest_version() + 1))
    applied = [ast.literal_eval(out.strip()) for out, _ in outputs]
    assert sorted(applied[0] + applied[1]) == every  # each version by exactly one of them
    with empty_pg.connect() as conn:
        assert [r[0] for r in conn.execute("SELECT version FROM schema_version ORDER BY version")] == every
    migrations.require_current(empty_pg)
