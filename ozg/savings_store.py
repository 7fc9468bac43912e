"""Writes of shared projects, usage figures and cost parameters (tables of migration 0004).

Projects keep their history: definition changes are logged field by field in project_change, cost figures and
parameters are append-only (the newest row wins). Functions taking a Conn run inside the caller's transaction.
The functions taking a Database and a User are the app's service layer: they check the role themselves
(auth.require_admin), validate, and write in one transaction with an import record naming who and when.
"""

from __future__ import annotations

import datetime as dt
import math
import re

from ozg import auth, clock, costmodel
from ozg.batches import BatchInfo, close_batch, open_batch
from ozg.db import Conn, Database
from ozg.errors import NotFound, OzgError
from ozg.savings import COST_FIELDS, SQL_LATEST_COSTS, CostFigures, ProjectSpec, shipped_defaults

PROJECT_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]{0,39}")   # the same rule as the projects spreadsheet
MAX_TEXT = 2000
EDIT_NOTE = "Bearbeitung in der App"
DELETED_SOURCE = "Projekt gelöscht"


class InvalidProject(OzgError):
    """A project definition that cannot be saved (the message says which field and what is expected)."""


def _now() -> dt.datetime:
    return clock.now()


def _text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    return str(value)


def _definition(conn: Conn, project_id: str) -> dict | None:
    rows = conn.execute("SELECT name, lead_ags, start_date, description, complexity FROM shared_project "
                        "WHERE id = ?", [project_id])
    if not rows:
        return None
    name, lead, start, description, complexity = rows[0]
    leistungen = [r[0] for r in conn.execute(
        "SELECT ozg_id FROM project_leistung WHERE project_id = ? ORDER BY ozg_id", [project_id])]
    cities = [f"{a}:{d or ''}" for a, d in conn.execute(
        "SELECT ags, go_live FROM project_city WHERE project_id = ? ORDER BY ags", [project_id])]
    return {"name": name, "lead_ags": lead, "start_date": start, "description": description,
            "complexity": complexity, "leistungen": leistungen, "cities": cities}


def save_project(conn: Conn, spec: ProjectSpec, user: str, batch_id: int | None,
                 when: dt.datetime | None = None) -> int:
    """Create or replace one project inside the caller's transaction; returns the number of changed fields.

    Definition changes go to project_change (old → new); cost figures are appended to project_cost when they
    differ from the latest row, so nothing is ever overwritten.
    """
    when = when or _now()
    changed = _changed_fields(conn, spec)
    conn.executemany("INSERT INTO project_change (project_id, field, old_value, new_value, changed_by, changed_at, "
                     "batch_id) VALUES (?, ?, ?, ?, ?, ?, ?)",
                     [(spec.project_id, f, o, n, user, when, batch_id) for f, o, n in changed])
    if changed:
        for table, key in (("shared_project", "id"), ("project_leistung", "project_id"),
                           ("project_city", "project_id")):
            conn.execute(f"DELETE FROM {table} WHERE {key} = ?", [spec.project_id])
        conn.execute("INSERT INTO shared_project (id, name, lead_ags, start_date, description, complexity, "
                     "is_sample, batch_id, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                     [spec.project_id, spec.name, spec.lead_ags, spec.start_date, spec.description,
                      spec.complexity, spec.is_sample, batch_id, user, when])
        conn.executemany("INSERT INTO project_leistung (project_id, ozg_id) VALUES (?, ?)",
                         [(spec.project_id, o) for o in sorted(set(spec.leistungen))])
        conn.executemany("INSERT INTO project_city (project_id, ags, go_live) VALUES (?, ?, ?)",
                         [(spec.project_id, a, d) for a, d in spec.cities])
    if spec.costs is not None and _costs_differ(conn, spec.project_id, spec.costs):
        c = spec.costs
        conn.execute("INSERT INTO project_cost (id, project_id, development, adaptation_per_city, "
                     "operation_per_year, coordination, source, set_by, set_at, batch_id) "
                     "VALUES (nextval('project_cost_id_seq'), ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                     [spec.project_id, c.development, c.adaptation_per_city, c.operation_per_year,
                      c.coordination, c.source, user, when, batch_id])
        changed.append(("costs", None, None))
    return len(changed)


def _changed_fields(conn: Conn, spec: ProjectSpec) -> list[tuple[str, str | None, str | None]]:
    """(field, old text, new text) for every definition field `spec` would change."""
    old = _definition(conn, spec.project_id) or {}
    new = {"name": spec.name, "lead_ags": spec.lead_ags, "start_date": spec.start_date,
           "description": spec.description, "complexity": spec.complexity,
           "leistungen": sorted(spec.leistungen),
           "cities": [f"{a}:{d or ''}" for a, d in sorted(spec.cities)]}
    return [(f, _text(old.get(f)), _text(v)) for f, v in new.items() if _text(old.get(f)) != _text(v)]


def _costs_differ(conn: Conn, project_id: str, costs: CostFigures) -> bool:
    rows = conn.execute(SQL_LATEST_COSTS.replace("FROM project_cost c", "FROM project_cost c WHERE project_id = ?"),
                        [project_id])
    if not rows:
        return True
    latest = dict(zip(("development", "adaptation_per_city", "operation_per_year", "coordination", "source"),
                      rows[0][1:6], strict=True))
    return any(latest[k] != getattr(costs, k) for k in latest)


def save_usage(conn: Conn, rows: list[tuple[dt.date, str, str, int | None, int | None]], batch_id: int) -> int:
    """Insert or replace usage figures (month, ags, ozg_id, total, digital); returns how many rows changed."""
    changed = 0
    for month, ags, ozg_id, total_cases, digital in rows:
        old = conn.execute("SELECT cases_total, cases_digital FROM usage_figure WHERE month = ? AND ags = ? "
                           "AND ozg_id = ?", [month, ags, ozg_id])
        if old and tuple(old[0]) == (total_cases, digital):
            continue
        conn.execute("DELETE FROM usage_figure WHERE month = ? AND ags = ? AND ozg_id = ?", [month, ags, ozg_id])
        conn.execute("INSERT INTO usage_figure (month, ags, ozg_id, cases_total, cases_digital, batch_id) "
                     "VALUES (?, ?, ?, ?, ?, ?)", [month, ags, ozg_id, total_cases, digital, batch_id])
        changed += 1
    return changed


def save_parameter(db: Database, user: auth.User | None, name: str, value: float, source: str) -> None:
    """Store a new value of a cost parameter (admins only); the old value stays in the history."""
    auth.require_admin(user)
    defaults = shipped_defaults()
    if name not in defaults:
        raise NotFound(f"Kostenparameter „{name}“ ist nicht bekannt. Erwartet: {', '.join(defaults)}.")
    if value < 0 or (name.endswith("_share") and value > 5):
        raise OzgError(f"Wert {value} für „{defaults[name].label}“ ist nicht plausibel – erwartet eine Zahl ≥ 0 "
                       "(Anteile als Dezimalzahl, z. B. 0,15 für 15 %).")
    source = (source or "").strip() or "Annahme"
    with db.transaction() as conn:
        conn.execute("INSERT INTO cost_parameter (id, name, value, unit, source, set_by, set_at) "
                     "VALUES (nextval('cost_parameter_id_seq'), ?, ?, ?, ?, ?, ?)",
                     [name, float(value), defaults[name].unit, source, user.name, _now()])


# --- service layer: project editing in the app (admins only) ----------------------------------------------------
def load_project(db: Database, project_id: str) -> ProjectSpec:
    """The stored project with its Leistungen, cities and latest cost figures (NotFound if there is none)."""
    with db.connect() as conn:
        rows = conn.execute("SELECT name, lead_ags, start_date, description, complexity, is_sample "
                            "FROM shared_project WHERE id = ?", [project_id])
        if not rows:
            raise NotFound(f"Das Gemeinschaftsprojekt „{project_id}“ gibt es nicht (mehr).")
        name, lead, start, description, complexity, is_sample = rows[0]
        leistungen = tuple(r[0] for r in conn.execute(
            "SELECT ozg_id FROM project_leistung WHERE project_id = ? ORDER BY ozg_id", [project_id]))
        cities = tuple((a, _day(d)) for a, d in conn.execute(
            "SELECT ags, go_live FROM project_city WHERE project_id = ? ORDER BY ags", [project_id]))
        cost_rows = conn.execute(SQL_LATEST_COSTS.replace("FROM project_cost c",
                                                          "FROM project_cost c WHERE project_id = ?"), [project_id])
    costs = CostFigures(*cost_rows[0][1:6]) if cost_rows else None
    return ProjectSpec(project_id, name, lead, leistungen, cities, _day(start), description, complexity, costs,
                       bool(is_sample))


def cost_figures(values: dict[str, float | None], source: str | None,
                 previous: CostFigures | None) -> CostFigures | None:
    """Cost figures as entered in a form; None when nothing is entered and nothing was stored (nothing to log)."""
    source = (source or "").strip() or None
    if previous is None and source is None and all(values.get(f) is None for f in COST_FIELDS):
        return None
    return CostFigures(*(None if values.get(f) is None else float(values[f]) for f in COST_FIELDS), source)


def _day(value) -> dt.date | None:
    return value.date() if isinstance(value, dt.datetime) else value


def check_project(conn: Conn, spec: ProjectSpec) -> None:
    """Raise InvalidProject naming the field and what is expected, unless `spec` can be saved as it is."""
    if not PROJECT_ID.fullmatch(spec.project_id or ""):
        raise InvalidProject(f"„{spec.project_id}“ ist keine Projekt-ID – erwartet ein kurzes Kürzel aus Buchstaben, "
                             "Ziffern und - _ . (höchstens 40 Zeichen), z. B. P-GEWERBE.")
    for label, text in (("Name", spec.name), ("Beschreibung", spec.description)):
        if text is not None and (len(text) > MAX_TEXT or any(ord(ch) < 32 and ch not in "\n\t" for ch in text)):
            raise InvalidProject(f"„{label}“ ist zu lang oder enthält Steuerzeichen – erwartet Text bis "
                                 f"{MAX_TEXT} Zeichen.")
    if not (spec.name or "").strip():
        raise InvalidProject("Der Projektname fehlt – erwartet einen Namen, z. B. „Gewerbeanmeldung digital“.")
    known_cities = {r[0] for r in conn.execute("SELECT ags FROM kommune")}
    cities = [a for a, _ in spec.cities]
    if not cities:
        raise InvalidProject("Keine beteiligte Kommune – erwartet mindestens die federführende Kommune.")
    if unknown := sorted(set(cities + [spec.lead_ags]) - known_cities):
        raise InvalidProject(f"Unbekannte Kommune {', '.join(map(str, unknown))} – erwartet Kommunen der Kooperation.")
    if len(set(cities)) != len(cities):
        raise InvalidProject("Eine Kommune steht doppelt – erwartet jede Kommune einmal je Projekt.")
    if spec.lead_ags not in cities:
        raise InvalidProject("Die federführende Kommune ist nicht unter den beteiligten Kommunen – erwartet sie "
                             "dort (sie zählt bei n mit).")
    if not spec.leistungen:
        raise InvalidProject("Keine Leistung gewählt – erwartet mindestens eine OZG-Leistung.")
    known = {r[0] for r in conn.execute("SELECT ozg_id FROM leistung WHERE NOT retired")}
    if unknown := sorted(set(spec.leistungen) - known):
        raise InvalidProject(f"OZG-ID {', '.join(unknown)} steht nicht im OZG-Katalog – erwartet OZG-IDs aus dem "
                             "aktuellen Katalog.")
    if spec.complexity is not None and spec.complexity not in costmodel.COMPLEXITIES:
        raise InvalidProject(f"„{spec.complexity}“ ist keine Komplexität – erwartet "
                             f"{', '.join(costmodel.COMPLEXITIES)}.")
    if spec.costs is not None:
        for name, label in (("development", "Entwicklung"), ("adaptation_per_city", "Anpassung je Kommune"),
                            ("operation_per_year", "Betrieb pro Jahr"), ("coordination", "Koordination")):
            value = getattr(spec.costs, name)
            if value is not None and (not math.isfinite(value) or value < 0):
                raise InvalidProject(f"„{label}“ = {value} ist kein Betrag – erwartet einen Betrag ≥ 0 € oder leer "
                                     "(leer = Standardwert aus den Kostenparametern).")


def _exists(conn: Conn, project_id: str) -> bool:
    return bool(conn.one("SELECT count(*) FROM shared_project WHERE id = ?", [project_id]))


def _edit_batch(conn: Conn, user: auth.User, project_id: str, what: str, when: dt.datetime) -> int:
    batch_id, _ = open_batch(conn, BatchInfo("projects", user.name, None, note=f"{EDIT_NOTE}: {project_id} {what}",
                                             created_at=when))
    return batch_id


def create_project(db: Database, user: auth.User | None, spec: ProjectSpec) -> int:
    """Create a new project (admins only); returns the id of its import record."""
    auth.require_admin(user)
    when = _now()
    with db.transaction() as conn:
        if _exists(conn, spec.project_id):
            raise InvalidProject(f"Die Projekt-ID „{spec.project_id}“ ist schon vergeben – erwartet eine neue ID "
                                 "(oder das bestehende Projekt bearbeiten).")
        check_project(conn, spec)
        batch_id = _edit_batch(conn, user, spec.project_id, "angelegt", when)
        save_project(conn, spec, user.name, batch_id, when)
        close_batch(conn, batch_id, 1, 1)
    return batch_id


def update_project(db: Database, user: auth.User | None, spec: ProjectSpec) -> int:
    """Save an edited project (admins only); returns the number of changed fields (0: nothing written)."""
    auth.require_admin(user)
    when = _now()
    with db.transaction() as conn:
        if not _exists(conn, spec.project_id):
            raise NotFound(f"Das Gemeinschaftsprojekt „{spec.project_id}“ gibt es nicht (mehr).")
        check_project(conn, spec)
        costs_change = spec.costs is not None and _costs_differ(conn, spec.project_id, spec.costs)
        if not _changed_fields(conn, spec) and not costs_change:
            return 0
        batch_id = _edit_batch(conn, user, spec.project_id, "geändert", when)
        changed = save_project(conn, spec, user.name, batch_id, when)
        close_batch(conn, batch_id, 1, 1)
    return changed


def delete_project(db: Database, user: auth.User | None, project_id: str) -> int:
    """Delete a project (admins only). Every old value goes to project_change, the costs get a closing empty row,
    so the history shows what was deleted, by whom and when. Returns the id of the import record."""
    auth.require_admin(user)
    when = _now()
    with db.transaction() as conn:
        old = _definition(conn, project_id)
        if old is None:
            raise NotFound(f"Das Gemeinschaftsprojekt „{project_id}“ gibt es nicht (mehr).")
        batch_id = _edit_batch(conn, user, project_id, "gelöscht", when)
        rows = [(project_id, f, _text(v), None, user.name, when, batch_id) for f, v in old.items() if _text(v)]
        rows.append((project_id, "deleted", None, "gelöscht", user.name, when, batch_id))
        conn.executemany("INSERT INTO project_change (project_id, field, old_value, new_value, changed_by, "
                         "changed_at, batch_id) VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
        if conn.one("SELECT count(*) FROM project_cost WHERE project_id = ?", [project_id]):
            # Costs are append-only: an empty closing row ends them, so a new project with this ID starts blank.
            conn.execute("INSERT INTO project_cost (id, project_id, source, set_by, set_at, batch_id) "
                         "VALUES (nextval('project_cost_id_seq'), ?, ?, ?, ?, ?)",
                         [project_id, DELETED_SOURCE, user.name, when, batch_id])
        for table, key in (("shared_project", "id"), ("project_leistung", "project_id"),
                           ("project_city", "project_id")):
            conn.execute(f"DELETE FROM {table} WHERE {key} = ?", [project_id])
        close_batch(conn, batch_id, 1, 1)
    return batch_id
