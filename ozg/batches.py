"""Import records (batches): one row per file, edit, revert, sample load or catalogue update."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ozg import clock
from ozg.db import Conn

# The one rule for which imports can be reverted, used by the app (Verlauf) and the CLI (status.revert_batch):
# what a person reported — a file import or a quick edit. Not a sample load (invented data; start again with
# `loaders init --sample` on an empty database), a catalogue update or a revert (import the file again instead).
REVERTIBLE_KINDS = frozenset({"status", "edit"})
REVERTIBLE_TEXT = "Datei-Importe und Schnellerfassungen"  # the rule above in words


@dataclass(frozen=True)
class BatchInfo:
    kind: str
    user_name: str
    file_name: str | None = None
    sha256: str | None = None
    ags: str | None = None
    note: str | None = None
    created_at: dt.datetime | None = None


def open_batch(conn: Conn, info: BatchInfo) -> tuple[int, dt.datetime]:
    """Create the import record inside the caller's transaction; counts are filled by close_batch."""
    created = info.created_at or clock.now()
    batch_id = conn.one("SELECT nextval('batch_id_seq')")
    conn.execute(
        "INSERT INTO import_batch (id, kind, file_name, sha256, ags, user_name, created_at, note) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [batch_id, info.kind, info.file_name, info.sha256, info.ags, info.user_name, created, info.note],
    )
    return int(batch_id), created


def close_batch(conn: Conn, batch_id: int, rows_read: int, rows_changed: int, rows_rejected: int = 0) -> None:
    conn.execute(
        "UPDATE import_batch SET rows_read = ?, rows_changed = ?, rows_rejected = ? WHERE id = ?",
        [rows_read, rows_changed, rows_rejected, batch_id],
    )
