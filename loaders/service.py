"""The guarded write operations the app uses: check/import a file, quick-edit one Leistung, revert an import.

Every function takes the acting user and checks the permission (ozg/auth.py) BEFORE it reads or writes status,
so hiding a button is never the only protection. The work itself is done by loaders.importer and ozg.status.
It lives in loaders/ because it reads files (the status reader checks uploads and quick edits alike); ozg/ itself
never imports loaders/ (tests/ozg/test_layering.py).

Lost updates: a preview returns a PreviewToken — the city's data version (the newest import that changed its
status) and the fingerprint of the diff on screen. The commit re-checks both inside its write transaction and is
refused with PreviewOutdated if anyone changed the city since or the diff is no longer the one shown — the page
re-checks and shows the new diff with a new confirmation instead of silently overwriting the other change. A quick
edit carries the version its form was pre-filled from. The write transaction cannot be interleaved by another
session or process (docs/concurrency.md).
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from loaders import importer
from loaders.importer import ImportOutcome
from loaders.problems import HasProblems, Problem
from loaders.status_file import read_status_file
from ozg import auth, kommunen, queries, status
from ozg.auth import BatchRef, User
from ozg.batches import BatchInfo
from ozg.db import Conn, Database
from ozg.domain import FIELD_LABELS, STATUS_FIELDS, Kommune
from ozg.errors import InvalidEdit, NotFound, PreviewOutdated

QUICK_EDIT_FILE = "Schnellerfassung"
# The fields the quick-edit form sets (Reifegradmodell stays as it is: the reader keeps the current model).
EDIT_FIELDS: tuple[str, ...] = tuple(f for f in STATUS_FIELDS if f != "reifegrad_model")

_CITY_VERSION_SQL = "SELECT coalesce(max(id), 0) FROM import_batch WHERE ags = ? AND rows_changed > 0"


@dataclass(frozen=True)
class PreviewToken:
    """What a preview showed: the city's data version and the fingerprint of the diff (status.fingerprint)."""

    version: int
    changes: str

    @property
    def key(self) -> str:
        """Short text for widget keys: a new preview gets a new confirmation button."""
        return f"{self.version}-{self.changes[:16]}"


@dataclass
class EditOutcome(HasProblems):
    """Result of a quick edit: problems (same checks as a file) or the applied change."""

    problems: list[Problem] = field(default_factory=list)
    result: status.ApplyResult | None = None


def kommune_for_write(db: Database, user: User | None, city: str) -> Kommune:
    """Resolve `city` (AGS or name) and check that `user` may write for it."""
    with db.connect() as conn:
        kommune = kommunen.resolve(conn, city)
    auth.require_write(user, kommune.ags, kommune.name)
    return kommune


def city_version(db: Database, ags: str) -> int:
    """Id of the newest import that changed this city's status (0 if none): the preview's staleness token."""
    with db.connect() as conn:
        return _city_version(conn, ags)


def _city_version(conn: Conn, ags: str) -> int:
    return int(conn.one(_CITY_VERSION_SQL, [ags]))


def check_file(db: Database, user: User | None, path: Path, city: str, file_name: str | None = None
               ) -> tuple[ImportOutcome, PreviewToken]:
    """Validate a file and compute its diff without writing; returns the outcome and the token of its preview."""
    kommune = kommune_for_write(db, user, city)
    version = city_version(db, kommune.ags)  # read before the diff: a write in between makes the token stale
    outcome = importer.import_status_file(db, Path(path), None, user.name, dry_run=True,
                                          file_name=file_name, kommune=kommune)
    changes = status.fingerprint(outcome.result.changes) if outcome.result is not None else ""
    return outcome, PreviewToken(version, changes)


def _outdated(kommune: Kommune, what: str) -> PreviewOutdated:
    return PreviewOutdated(f"Seit {what} wurde der Stand von {kommune.name} geändert (anderer Import oder "
                           "Schnellerfassung).")


def _preview_guard(kommune: Kommune, preview: PreviewToken | None
                   ) -> Callable[[Conn, list[status.RowChange]], None] | None:
    """Run inside the write transaction: refuse unless the city and the diff are exactly what the preview showed."""
    if preview is None:
        return None

    def guard(conn: Conn, changes: list[status.RowChange]) -> None:
        if (_city_version(conn, kommune.ags) != preview.version
                or status.fingerprint(changes) != preview.changes):
            raise _outdated(kommune, "der Vorschau")

    return guard


def _version_guard(kommune: Kommune, expected: int | None) -> Callable[[Conn, list[status.RowChange]], None] | None:
    """Run inside the write transaction: refuse when the city changed since the form was pre-filled."""
    if expected is None:
        return None

    def guard(conn: Conn, _changes: list[status.RowChange]) -> None:
        if _city_version(conn, kommune.ags) != expected:
            raise _outdated(kommune, "dem Öffnen des Formulars")

    return guard


def import_file(db: Database, user: User | None, path: Path, city: str, file_name: str | None = None,
                preview: PreviewToken | None = None) -> ImportOutcome:
    """Validate and apply a file for `city` as `user`: one transaction with history and import record.

    With `preview` (from check_file) it saves only if the city and the diff are still what that preview showed.
    """
    kommune = kommune_for_write(db, user, city)
    # The staleness check runs inside the write transaction, which no other session or process can interleave
    # with (DuckDB: one process holds the file; PostgreSQL: advisory lock), so check and write are atomic.
    return importer.import_status_file(db, Path(path), None, user.name, dry_run=False, file_name=file_name,
                                       kommune=kommune, guard=_preview_guard(kommune, preview))


@contextlib.contextmanager
def _as_file(data: bytes) -> Iterator[Path]:
    """Uploaded bytes as a temporary file (the reader judges content, never the name); removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="ozg-upload-") as tmp:
        path = Path(tmp) / "upload"
        path.write_bytes(data)
        yield path


def check_upload(db: Database, user: User | None, city: str, file_name: str, data: bytes
                 ) -> tuple[ImportOutcome, PreviewToken]:
    """check_file for uploaded bytes (the app's upload widget)."""
    kommune_for_write(db, user, city)  # refuse before the bytes even touch the disk
    with _as_file(data) as path:
        return check_file(db, user, path, city, file_name)


def import_upload(db: Database, user: User | None, city: str, file_name: str, data: bytes,
                  preview: PreviewToken | None = None) -> ImportOutcome:
    """import_file for uploaded bytes (after the coordinator confirmed the preview)."""
    kommune_for_write(db, user, city)
    with _as_file(data) as path:
        return import_file(db, user, path, city, file_name, preview)


def _edit_cell(value: object) -> str:
    """A form value written the way a coordinator would type it into the spreadsheet."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nein"
    if isinstance(value, dt.date):
        return f"{value:%d.%m.%Y}"
    return str(value)


def edit_as_csv(ozg_id: str, values: dict[str, object]) -> bytes:
    """The one-row status file a quick edit stands for (so it passes exactly the same checks as an upload)."""
    fields = [f for f in EDIT_FIELDS if f in values]
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([FIELD_LABELS["ozg_id"], *(FIELD_LABELS[f] for f in fields)])
    writer.writerow([ozg_id, *(_edit_cell(values[f]) for f in fields)])
    return buffer.getvalue().encode("utf-8")


def edit_state(db: Database, user: User | None, city: str, ozg_id: str) -> tuple[dict, int]:
    """The current state of one Leistung and the city version it belongs to (read together): the form's pre-fill."""
    kommune = kommune_for_write(db, user, city)
    with db.connect() as conn:
        version = _city_version(conn, kommune.ags)
        state = status.current_states(conn, kommune.ags).get(ozg_id, status.empty_state())
    return state, version


def quick_edit(db: Database, user: User | None, city: str, ozg_id: str, values: dict[str, object],
               expected_version: int | None = None) -> EditOutcome:
    """Set the fields in `values` for one Leistung, checked like a file row; written as a batch of kind 'edit'.

    With `expected_version` (from edit_state) it saves only if the city has not changed since the form was filled.
    """
    kommune = kommune_for_write(db, user, city)
    unknown = set(values) - set(EDIT_FIELDS)
    if unknown:
        raise InvalidEdit(f"Die Schnellerfassung kennt diese Felder nicht: {', '.join(sorted(unknown))}.")
    with db.connect() as conn:
        models = {oid: s["reifegrad_model"] for oid, s in status.current_states(conn, kommune.ags).items()}
        ctx = importer.check_context(conn).with_models(models)
    with tempfile.TemporaryDirectory(prefix="ozg-edit-") as tmp:
        path = Path(tmp) / "edit.csv"
        path.write_bytes(edit_as_csv(ozg_id, values))
        parsed = read_status_file(path, ctx, file_name=QUICK_EDIT_FILE)
    outcome = EditOutcome(list(parsed.problems))
    if not outcome.ok:
        return outcome
    info = BatchInfo("edit", user.name, QUICK_EDIT_FILE, None, kommune.ags, note=f"Schnellerfassung {ozg_id}")
    outcome.result = status.preview(db, kommune.ags, parsed.updates)
    if outcome.result.changes:  # an edit that changes nothing leaves no empty record behind
        outcome.result = status.apply_updates(db, kommune.ags, parsed.updates, info,
                                              guard=_version_guard(kommune, expected_version))
    return outcome


def batch_ref(db: Database, batch_id: int) -> BatchRef:
    """The facts about one import that the revert check needs."""
    ref = queries.batch_ref(db, batch_id)
    if ref is None:
        raise NotFound(f"Import {batch_id} gibt es nicht.")
    return ref


def revert(db: Database, user: User | None, batch_id: int) -> status.ApplyResult:
    """Undo one import as `user` (admin, or the coordinator who made it); the undo is itself a recorded import."""
    batch = batch_ref(db, batch_id)
    auth.require_revert(user, batch)
    return status.revert_batch(db, batch_id, user.name)
