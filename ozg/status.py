"""The write side of status: diff an import against the current state, apply it with history, revert it.

Every change is one status_history row (the full state from then on) plus field-level status_change rows, written
in the same transaction as the import record and the status_current row it replaces.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from ozg import fmt, summary
from ozg.batches import REVERTIBLE_KINDS, REVERTIBLE_TEXT, BatchInfo, close_batch, open_batch
from ozg.db import Conn, Database
from ozg.domain import DEFAULT_MODEL, STATUS_FIELDS, StatusUpdate
from ozg.errors import NotFound, RevertConflict
from ozg.labels import batch_kind

_FIELDS_SQL = ", ".join(STATUS_FIELDS)


@dataclass(frozen=True)
class FieldChange:
    ozg_id: str
    field: str
    old: object
    new: object


@dataclass(frozen=True)
class RowChange:
    ozg_id: str
    old: dict
    new: dict

    @property
    def fields(self) -> list[FieldChange]:
        return [FieldChange(self.ozg_id, f, self.old.get(f), self.new.get(f))
                for f in STATUS_FIELDS if self.old.get(f) != self.new.get(f)]


@dataclass
class ApplyResult:
    rows_read: int
    changes: list[RowChange] = field(default_factory=list)
    batch_id: int | None = None

    @property
    def rows_changed(self) -> int:
        return len(self.changes)


def as_text(value) -> str | None:
    """Stored representation of a field value in status_change (ISO dates, ja/nein)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "ja" if value else "nein"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return str(value)


def current_states(conn: Conn, ags: str) -> dict[str, dict]:
    """Current status of every Leistung of one Kommune that has one: ozg_id -> {field: value}."""
    rows = conn.execute(f"SELECT ozg_id, {_FIELDS_SQL} FROM status_current WHERE ags = ?", [ags])
    return {r[0]: dict(zip(STATUS_FIELDS, r[1:])) for r in rows}


def empty_state() -> dict:
    return dict.fromkeys(STATUS_FIELDS)


def diff(current: dict[str, dict], updates: list[StatusUpdate]) -> list[RowChange]:
    """Row changes that `updates` would make; untouched fields and absent Leistungen stay as they are."""
    changes = []
    for update in updates:
        old = current.get(update.ozg_id, empty_state())
        new = {**old, **update.values}
        if "reifegrad" in update.values and "reifegrad_model" not in update.values:
            new["reifegrad_model"] = old.get("reifegrad_model") or DEFAULT_MODEL
        if new["reifegrad"] is None and "reifegrad_model" not in update.values:
            new["reifegrad_model"] = None
        if new != old:
            changes.append(RowChange(update.ozg_id, old, new))
    return changes


def fingerprint(changes: list[RowChange]) -> str:
    """SHA-256 over every field change (Leistung, field, old, new): equal exactly when two diffs show the same."""
    digest = hashlib.sha256()
    for change in sorted(changes, key=lambda c: c.ozg_id):
        for fc in change.fields:
            digest.update(repr((fc.ozg_id, fc.field, as_text(fc.old), as_text(fc.new))).encode())
    return digest.hexdigest()


def preview(db: Database, ags: str, updates: list[StatusUpdate]) -> ApplyResult:
    """What an import would change, without writing anything."""
    with db.connect() as conn:
        return ApplyResult(len(updates), diff(current_states(conn, ags), updates))


@dataclass(frozen=True)
class ChangeGroup:
    """The row changes of one batch in one Kommune, effective from valid_from."""

    batch_id: int
    ags: str
    changes: list[RowChange]
    valid_from: dt.datetime


def write_changes(conn: Conn, batch_id: int, ags: str, changes: list[RowChange], valid_from: dt.datetime) -> None:
    """Append history and field changes for `changes` and replace their status_current rows."""
    write_change_groups(conn, [ChangeGroup(batch_id, ags, changes, valid_from)])


def write_change_groups(conn: Conn, groups: list[ChangeGroup]) -> None:
    """Write several batches' changes with one bulk insert per table (groups in time order)."""
    total = sum(len(g.changes) for g in groups)
    if not total:
        return
    ids = iter(int(r[0]) for r in conn.execute(
        "SELECT nextval('history_id_seq') FROM generate_series(1, ?)", [total]))
    history, field_rows, latest = [], [], {}
    for g in groups:
        for c in g.changes:
            hid = next(ids)
            history.append((hid, g.batch_id, g.ags, c.ozg_id, g.valid_from, *(c.new[f] for f in STATUS_FIELDS)))
            field_rows.extend((g.batch_id, g.ags, fc.ozg_id, fc.field, as_text(fc.old), as_text(fc.new))
                              for fc in c.fields)
            latest[(g.ags, c.ozg_id)] = (*(c.new[f] for f in STATUS_FIELDS), g.batch_id, g.valid_from)
    conn.insert_df("status_history", _frame(history, ["id", "batch_id", "ags", "ozg_id", "valid_from",
                                                      *STATUS_FIELDS]))
    conn.insert_df("status_change", pd.DataFrame(
        field_rows, columns=["batch_id", "ags", "ozg_id", "field", "old_value", "new_value"], dtype=object))
    by_ags: dict[str, list[str]] = {}
    for ags, oid in latest:
        by_ags.setdefault(ags, []).append(oid)
    for ags, ids_of_ags in by_ags.items():
        _delete_current(conn, ags, ids_of_ags)
    # A state with no values at all (a revert back to "never reported") has no current row.
    current = [(ags, oid, *values) for (ags, oid), values in latest.items()
               if any(v is not None for v in values[:len(STATUS_FIELDS)])]
    conn.insert_df("status_current", _frame(current, ["ags", "ozg_id", *STATUS_FIELDS, "batch_id", "changed_at"]))
    summary.refresh(conn, sorted(by_ags))  # per-Kommune aggregates for national views (migration 0005)


def _delete_current(conn: Conn, ags: str, ozg_ids: list[str]) -> None:
    for start in range(0, len(ozg_ids), 500):
        chunk = ozg_ids[start:start + 500]
        conn.execute(f"DELETE FROM status_current WHERE ags = ? AND ozg_id IN ({', '.join('?' * len(chunk))})",
                     [ags, *chunk])


_NULLABLE_TYPES = {"reifegrad": "Int64", "ende_zu_ende": "boolean", "bescheid_digital": "boolean"}


def _frame(rows: list[tuple], columns: list[str]) -> pd.DataFrame:
    """Rows -> DataFrame with types both backends insert cleanly (nullable ints/bools, dates as objects)."""
    frame = pd.DataFrame(rows, columns=columns, dtype=object)
    for col, dtype in _NULLABLE_TYPES.items():
        frame[col] = frame[col].astype(dtype)
    return frame


def apply_updates(db: Database, ags: str, updates: list[StatusUpdate], info: BatchInfo,
                  guard: Callable[[Conn, list[RowChange]], None] | None = None) -> ApplyResult:
    """Apply validated updates for one Kommune as one batch: all or nothing, with history and import record.

    `guard(conn, changes)` runs inside the write transaction (which no other writer can interleave with), after
    the diff against the state in that transaction was computed and before anything is written. It may raise to
    refuse the write, e.g. when the city changed since a preview or the diff is not the one that was shown.
    """
    with db.transaction() as conn:
        changes = diff(current_states(conn, ags), updates)
        if guard is not None:
            guard(conn, changes)
        batch_id, created = open_batch(conn, info)
        write_changes(conn, batch_id, ags, changes, created)
        close_batch(conn, batch_id, len(updates), len(changes))
    return ApplyResult(len(updates), changes, batch_id)


def revert_batch(db: Database, batch_id: int, user: str) -> ApplyResult:
    """Undo one import by writing the previous states back, as a new batch that is itself in the history."""
    with db.transaction() as conn:
        row = conn.execute("SELECT kind, ags, reverted_by, file_name FROM import_batch WHERE id = ?", [batch_id])
        if not row:
            raise NotFound(f"Import {batch_id} gibt es nicht. `python -m loaders history` listet alle Importe.")
        kind, ags, reverted_by, file_name = row[0]
        if kind not in REVERTIBLE_KINDS:
            raise RevertConflict(f"Import {batch_id} ist vom Typ „{batch_kind(kind)}“ und kann nicht zurückgenommen "
                                 f"werden. Zurücknehmen lassen sich {REVERTIBLE_TEXT}.")
        if reverted_by is not None:
            raise RevertConflict(f"Import {batch_id} wurde bereits durch Import {reverted_by} zurückgenommen.")
        own = conn.execute("SELECT ozg_id, id FROM status_history WHERE batch_id = ? AND ags = ?", [batch_id, ags])
        later = conn.execute(
            "SELECT c.ozg_id, c.batch_id FROM status_current c JOIN status_history h "
            "ON h.ags = c.ags AND h.ozg_id = c.ozg_id WHERE h.batch_id = ? AND c.ags = ? AND c.batch_id <> ? "
            "ORDER BY c.ozg_id", [batch_id, ags, batch_id])
        if later:
            shown = ", ".join(f"{oid} (Import {bid})" for oid, bid in later[:5])
            raise RevertConflict(
                f"Import {batch_id} kann nicht zurückgenommen werden: "
                f"{fmt.counted(len(later), 'Leistung wurde', 'Leistungen wurden')} danach erneut geändert: {shown}. "
                "Bitte zuerst die späteren Importe zurücknehmen."
            )
        previous = _previous_states(conn, batch_id, ags)
        current = current_states(conn, ags)
        changes = [RowChange(oid, current.get(oid, empty_state()), previous.get(oid, empty_state()))
                   for oid, _ in sorted(own)]
        changes = [c for c in changes if c.old != c.new]
        new_id, created = open_batch(conn, BatchInfo("revert", user, file_name, None, ags,
                                                     note=f"Rücknahme von Import {batch_id}"))
        conn.execute("UPDATE import_batch SET reverts_batch = ? WHERE id = ?", [batch_id, new_id])
        write_changes(conn, new_id, ags, changes, created)
        close_batch(conn, new_id, len(own), len(changes))
        conn.execute("UPDATE import_batch SET reverted_by = ? WHERE id = ?", [new_id, batch_id])
    return ApplyResult(len(own), changes, new_id)


def _previous_states(conn: Conn, batch_id: int, ags: str) -> dict[str, dict]:
    rows = conn.execute(
        f"SELECT h.ozg_id, h.id, {', '.join('h.' + f for f in STATUS_FIELDS)} FROM status_history h "
        "JOIN status_history b ON b.ags = h.ags AND b.ozg_id = h.ozg_id AND h.id < b.id "
        "WHERE b.batch_id = ? AND b.ags = ? ORDER BY h.id", [batch_id, ags])
    return {r[0]: dict(zip(STATUS_FIELDS, r[2:])) for r in rows}  # later ids overwrite earlier ones
