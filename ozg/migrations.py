"""Numbered schema migrations (ozg/migrations/NNNN_name.sql) and the runner that applies them.

Opening an older database upgrades it in place, one migration per transaction; a database written by a newer
program version is refused with a clear message instead of being guessed at.
"""

from __future__ import annotations

import re
from pathlib import Path

from ozg import clock
from ozg.db import Conn, Database
from ozg.errors import SchemaError

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
_PG_ONLY = "-- @postgres"


def available() -> list[tuple[int, Path]]:
    """All migration files as (version, path), in order."""
    found = []
    for path in sorted(MIGRATIONS_DIR.glob("[0-9][0-9][0-9][0-9]_*.sql")):
        found.append((int(path.name[:4]), path))
    return found


def latest_version() -> int:
    return available()[-1][0]


def statements(path: Path, kind: str) -> list[str]:
    """Split a migration file into statements, dropping those marked for PostgreSQL only when on DuckDB."""
    result = []
    for chunk in re.split(r";\s*\n", path.read_text(encoding="utf-8")):
        lines = chunk.strip().splitlines()
        pg_only = any(line.strip() == _PG_ONLY for line in lines)
        body = "\n".join(line for line in lines if not line.strip().startswith("--")).strip().rstrip(";")
        if not body or (pg_only and kind != "postgres"):
            continue
        result.append(body)
    return result


def current_version(conn: Conn) -> int:
    exists = conn.one(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_version'"
    )
    if not exists:
        return 0
    return conn.one("SELECT coalesce(max(version), 0) FROM schema_version") or 0


def applied_versions(conn: Conn) -> set[int]:
    """Every migration recorded in schema_version (numbers are reserved per feature and may land out of order)."""
    if not current_version(conn):
        return set()
    return {row[0] for row in conn.execute("SELECT version FROM schema_version")}


def _missing(conn: Conn, target: int) -> list[int]:
    done = applied_versions(conn)
    return [number for number, _ in available() if number <= target and number not in done]


def migrate(db: Database, target: int | None = None) -> list[int]:
    """Bring the schema up to `target` (default: latest). Returns the versions applied."""
    target = latest_version() if target is None else target
    with db.connect() as conn:
        version = current_version(conn)
    if version > latest_version():
        raise SchemaError(
            f"Die Datenbank {db.display_name} hat Schema-Version {version}, dieses Programm kennt nur bis "
            f"{latest_version()}. Bitte OZG-Cockpit aktualisieren."
        )
    with db.connect() as conn:
        missing = set(_missing(conn, target))
    applied = []
    for number, path in available():
        if number not in missing:  # also fills a gap: a lower number that landed after a higher one
            continue
        with db.transaction() as conn:
            if number in applied_versions(conn):  # another process (e.g. a second replica's init) was faster
                continue
            if number == 1:
                conn.execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at TIMESTAMP)")
            for sql in statements(path, db.kind):
                conn.execute(sql)
            conn.execute("INSERT INTO schema_version VALUES (?, ?)", [number, clock.now()])
        applied.append(number)
    return applied


def require_current(db: Database) -> None:
    """Raise SchemaError unless the database is exactly at the latest version (used by readers)."""
    with db.connect() as conn:
        version = current_version(conn)
        missing = _missing(conn, latest_version())
    if version == latest_version() and not missing:
        return
    if version > latest_version():
        migrate(db)  # raises the "newer" message
    raise SchemaError(
        f"Die Datenbank {db.display_name} ist nicht eingerichtet oder veraltet (Version {version}). "
        "Bitte `python -m loaders init` ausführen."
    )
