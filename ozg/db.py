"""The one module that owns database connections: DuckDB file (embedded default) or PostgreSQL (server mode).

SQL elsewhere is written once in the subset both dialects share, with `?` placeholders; this module adapts the
placeholder style for psycopg. Connections are short-lived on purpose: DuckDB lets one *process* hold a file, so a
long-lived connection in the app would block a cron import (and vice versa). Every open retries briefly on a
file lock and then raises DatabaseBusy with a message a person can act on.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

import pandas as pd

from ozg import config
from ozg.errors import DatabaseBusy, DatabaseDamaged, DatabaseMissing

_PG_PREFIXES = ("postgresql://", "postgres://")
# One writer at a time inside this process (Streamlit sessions are threads; DuckDB would raise on conflicts).
_WRITE_LOCK = threading.RLock()
# PostgreSQL: every write transaction takes this advisory lock, so imports from many processes are serialised.
_PG_WRITE_LOCK_KEY = 4_711_2022


def _is_lock_error(exc: Exception) -> bool:
    text = str(exc)
    return "lock" in text.lower() and ("Could not set lock" in text or "Conflicting lock" in text)


class Conn:
    """A thin, dialect-neutral wrapper around one open connection."""

    def __init__(self, raw, kind: str):
        self.raw = raw
        self.kind = kind

    def _sql(self, sql: str) -> str:
        if self.kind == "postgres":
            return sql.replace("%", "%%").replace("?", "%s")
        return sql

    def execute(self, sql: str, params: Sequence = ()) -> list[tuple]:
        """Run one statement; return its rows (empty list for statements without a result)."""
        if self.kind == "duckdb":
            cur = self.raw.execute(sql, list(params))
            return cur.fetchall() if cur.description else []
        with self.raw.cursor() as cur:
            cur.execute(self._sql(sql), list(params) if params else None)
            return cur.fetchall() if cur.description else []

    def one(self, sql: str, params: Sequence = ()):
        """First column of the first row, or None."""
        rows = self.execute(sql, params)
        return rows[0][0] if rows else None

    def df(self, sql: str, params: Sequence = ()) -> pd.DataFrame:
        """Run a query and return a DataFrame."""
        if self.kind == "duckdb":
            return self.raw.execute(sql, list(params)).df()
        with self.raw.cursor() as cur:
            cur.execute(self._sql(sql), list(params) if params else None)
            return _pg_frame(cur.description, cur.fetchall())

    def executemany(self, sql: str, rows: Sequence[Sequence]) -> None:
        if not rows:
            return
        if self.kind == "duckdb":
            self.raw.executemany(sql, [list(r) for r in rows])
        else:
            with self.raw.cursor() as cur:
                cur.executemany(self._sql(sql), [list(r) for r in rows])

    def insert_df(self, table: str, frame: pd.DataFrame) -> None:
        """Bulk-insert a DataFrame whose column names match the table's (fast path for both backends)."""
        if frame.empty:
            return
        cols = ", ".join(frame.columns)
        if self.kind == "duckdb":
            self._duckdb_insert(table, cols, frame)
            return
        with self.raw.cursor() as cur, cur.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
            for row in frame.itertuples(index=False, name=None):
                copy.write_row([None if _isna(v) else v for v in row])

    def insert_arrow(self, table: str, data) -> None:
        """Bulk-insert a pyarrow Table whose column names match the table's: DuckDB scans the Arrow table
        directly, PostgreSQL gets it as CSV through COPY (a million rows in seconds, no row-by-row Python)."""
        if data.num_rows == 0:
            return
        cols = ", ".join(data.column_names)
        if self.kind == "duckdb":
            self._duckdb_insert(table, cols, data)
            return
        import pyarrow.csv as pacsv

        # Strings are written quoted and NULLs unquoted-empty, which is how COPY's CSV format tells '' from NULL.
        options = pacsv.WriteOptions(include_header=False, quoting_style="needed")
        with self.raw.cursor() as cur, cur.copy(f"COPY {table} ({cols}) FROM STDIN (FORMAT csv)") as copy:
            for batch in data.to_batches(max_chunksize=100_000):
                buffer = io.BytesIO()
                pacsv.write_csv(batch, buffer, options)
                copy.write(buffer.getvalue())

    def _duckdb_insert(self, table: str, cols: str, data) -> None:
        """DuckDB scans a registered DataFrame or Arrow table in place (no row-by-row copy)."""
        self.raw.register("_ozg_insert_data", data)
        try:
            self.raw.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM _ozg_insert_data")
        finally:
            self.raw.unregister("_ozg_insert_data")

# PostgreSQL type OIDs -> the pandas dtype DuckDB's .df() gives for the same SQL type (nullable variant when the
# column holds NULLs), so pages and reports see the same frame on both backends (e.g. `.dt` on DATE columns).
_PG_INTS = {21: ("int16", "Int16"), 23: ("int32", "Int32"), 20: ("int64", "Int64")}
_PG_BOOL, _PG_DATE, _PG_TIMESTAMP, _PG_FLOATS = 16, 1082, 1114, (700, 701, 1700)


def _pg_frame(description, rows: list[tuple]) -> pd.DataFrame:
    """psycopg rows -> DataFrame with DuckDB's dtypes (dates as datetime64, nullable ints and booleans)."""
    frame = pd.DataFrame(rows, columns=[d.name for d in description])
    for i, d in enumerate(description):
        series = frame.iloc[:, i]
        has_null = bool(series.isna().any())
        if d.type_code in _PG_INTS:
            frame.isetitem(i, series.astype(_PG_INTS[d.type_code][1 if has_null else 0]))
        elif d.type_code == _PG_BOOL:
            frame.isetitem(i, series.astype("boolean" if has_null else "bool"))
        elif d.type_code in (_PG_DATE, _PG_TIMESTAMP):
            frame.isetitem(i, pd.to_datetime(series).astype("datetime64[us]"))
        elif d.type_code in _PG_FLOATS:
            frame.isetitem(i, series.astype("float64"))
    return frame


def _isna(value) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


class Database:
    """Opens short-lived connections to one database URL (a DuckDB path or a postgresql:// URL)."""

    def __init__(self, url: str | None = None, create: bool = True):
        self.url = config.db_url(url)
        self.kind = "postgres" if self.url.startswith(_PG_PREFIXES) else "duckdb"
        # create=False (the app): a missing DuckDB file is an error, never silently created empty.
        self.create = create
        self._shared = threading.local()  # the connection of an open snapshot(), per thread

    def __repr__(self) -> str:
        return f"Database({self.display_name!r})"

    @property
    def display_name(self) -> str:
        """The URL without a password, for messages."""
        return re.sub(r"://([^:/@]+):[^@]*@", r"://\1:***@", self.url)

    @contextlib.contextmanager
    def connect(self) -> Iterator[Conn]:
        """A connection for reading (autocommit). Closed on exit, so other processes can use the file.

        Inside snapshot() (same thread) every connect() returns the snapshot's connection instead."""
        shared = getattr(self._shared, "conn", None)
        if shared is not None:
            yield shared
            return
        raw = self._open()
        try:
            yield Conn(raw, self.kind)
        finally:
            raw.close()

    @contextlib.contextmanager
    def snapshot(self) -> Iterator[Conn]:
        """Every read inside (this thread) shares one connection and one read-only transaction, so the figures of
        a report come from one moment even while an import commits, and the file is opened once, not per query.
        Writes (transaction()) inside a snapshot use their own connection and are not seen by it."""
        if getattr(self._shared, "conn", None) is not None:  # nested: the outer snapshot stands
            yield self._shared.conn
            return
        raw = self._open()
        conn = Conn(raw, self.kind)
        try:
            conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY" if self.kind == "postgres"
                         else "BEGIN TRANSACTION")
            self._shared.conn = conn
            yield conn
        finally:
            self._shared.conn = None
            with contextlib.suppress(Exception):
                conn.execute("ROLLBACK")
            raw.close()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Conn]:
        """One write transaction: everything inside commits together or not at all."""
        with _WRITE_LOCK:
            raw = self._open()
            conn = Conn(raw, self.kind)
            try:
                conn.execute("BEGIN")
                if self.kind == "postgres":
                    conn.execute("SELECT pg_advisory_xact_lock(?)", [_PG_WRITE_LOCK_KEY])
                yield conn
                conn.execute("UPDATE meta SET value = CAST(CAST(value AS BIGINT) + 1 AS TEXT) "
                             "WHERE key = 'data_version'")
                conn.execute("COMMIT")
            except BaseException:
                with contextlib.suppress(Exception):
                    conn.execute("ROLLBACK")
                raise
            finally:
                raw.close()

    def data_version(self) -> str:
        """Changes whenever committed data changes; used as a cache key (cheap: no connection for DuckDB)."""
        if self.kind == "duckdb":
            parts = []
            for path in (Path(self.url), Path(self.url + ".wal")):
                with contextlib.suppress(FileNotFoundError):
                    st = path.stat()
                    parts.append(f"{st.st_mtime_ns}:{st.st_size}")
            return "|".join(parts) or "missing"
        with self.connect() as conn:
            return str(conn.one("SELECT value FROM meta WHERE key = 'data_version'"))

    def _open(self):
        if self.kind == "postgres":
            import psycopg

            return psycopg.connect(self.url, autocommit=True)
        import duckdb

        if self.url != ":memory:":
            if not self.create and not Path(self.url).is_file():
                raise DatabaseMissing(
                    f"Die Datenbank {os.path.basename(self.url)} fehlt. Bitte auf dem Server "
                    "`python -m loaders init` ausführen (mit `--sample` für Beispieldaten).")
            Path(self.url).parent.mkdir(parents=True, exist_ok=True)
        deadline = time.monotonic() + config.lock_timeout_seconds()
        delay = 0.05
        while True:
            try:
                return duckdb.connect(self.url)
            except duckdb.IOException as exc:
                if "not a valid DuckDB database file" in str(exc):
                    raise DatabaseDamaged(
                        f"Die Datenbank {os.path.basename(self.url)} ist beschädigt (keine gültige DuckDB-Datei). "
                        "Bitte die Datei aus der Sicherung zurückspielen oder sie umbenennen und "
                        "`python -m loaders init` ausführen.") from exc
                if not _is_lock_error(exc):
                    raise
                if time.monotonic() >= deadline:
                    holder = re.search(r"PID (\d+)", str(exc))
                    who = f" (Prozess {holder.group(1)})" if holder else ""
                    raise DatabaseBusy(
                        f"Die Datenbank {os.path.basename(self.url)} ist gerade von einem anderen Programm "
                        f"belegt{who}. Bitte in einigen Sekunden erneut versuchen."
                    ) from exc
                time.sleep(delay)
                delay = min(delay * 2, 0.5)
