"""Import one coordinator file for one Kommune: read → check → (preview | apply in one transaction).

Used by the CLI (`python -m loaders status`) and by the app's Meldung page alike.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from loaders.problems import NO_CITY, HasProblems, Problem
from loaders.status_file import CheckContext, read_status_file
from ozg import clock, kommunen, migrations, status
from ozg.batches import BatchInfo
from ozg.bootstrap import sha256_file
from ozg.db import Conn, Database
from ozg.domain import DEFAULT_MODEL, Kommune


@dataclass
class ImportOutcome(HasProblems):
    file_name: str
    sha256: str
    kommune: Kommune | None
    problems: list[Problem] = field(default_factory=list)
    result: status.ApplyResult | None = None
    dry_run: bool = False


def check_context(conn: Conn) -> CheckContext:
    """What the checks need to know from the database (catalogue, Kommunen)."""
    ids = frozenset(r[0] for r in conn.execute("SELECT ozg_id FROM leistung WHERE NOT retired"))
    return CheckContext(known_ozg_ids=ids, kommune_index=kommunen.name_index(conn), today=clock.today())


def _models(conn: Conn, kommune: Kommune | None) -> dict[str, str]:
    if kommune is None:
        return {}
    return {oid: s["reifegrad_model"] for oid, s in status.current_states(conn, kommune.ags).items()}


def import_status_file(db: Database, path: Path, city: str | None, user: str, dry_run: bool = False,
                       file_name: str | None = None, kommune: Kommune | None = None,
                       guard: Callable[[Conn, list[status.RowChange]], None] | None = None) -> ImportOutcome:
    """Check a status file completely; if it has no errors, apply it (or only preview it with dry_run).

    `city` is an AGS or a name; if None, the Kommune named in the template's Info sheet is used.
    `guard` is passed to ozg.status.apply_updates (runs inside the write transaction).
    Raises OzgError subclasses for an unknown city or a busy/unusable database.
    """
    migrations.require_current(db)
    name = file_name or Path(path).name
    sha = sha256_file(path)
    with db.connect() as conn:  # one short read for everything the checks need; the file is parsed after it
        if kommune is None and city is not None:
            kommune = kommunen.resolve(conn, city)
        ctx = check_context(conn).with_models(_models(conn, kommune))
    parsed = read_status_file(Path(path), ctx, file_name=name)
    if kommune is None and parsed.city_ags:  # city named only by the template's Info sheet
        with db.connect() as conn:
            kommune = kommunen.resolve(conn, parsed.city_ags)
            models = _models(conn, kommune)
        if any(model != DEFAULT_MODEL for model in models.values()):  # Reifegrad ranges depend on the model
            parsed = read_status_file(Path(path), ctx.with_models(models), file_name=name)
    outcome = ImportOutcome(name, sha, kommune, list(parsed.problems), dry_run=dry_run)
    if kommune is None:
        outcome.problems.append(Problem(name, "Die Datei nennt keine Kommune. Bitte die Kommune angeben "
                                              "(--city oder Auswahl im Formular).", code=NO_CITY))
        return outcome
    if parsed.city_ags and parsed.city_ags != kommune.ags:
        outcome.problems.append(Problem(
            name, f"Die Datei ist die Vorlage für AGS {parsed.city_ags}, importiert werden soll aber "
                  f"{kommune.name} ({kommune.ags}). Bitte die Vorlage von {kommune.name} verwenden.",
            sheet="Info", column="AGS", value=parsed.city_ags))
    if outcome.errors:
        return outcome
    if dry_run:
        outcome.result = status.preview(db, kommune.ags, parsed.updates)
        return outcome
    info = BatchInfo("status", user, name, sha, kommune.ags)
    outcome.result = status.apply_updates(db, kommune.ags, parsed.updates, info, guard=guard)
    return outcome
