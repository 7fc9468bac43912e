"""Writes of shared projects, usage figures and cost parameters (tables of migration 0004).

Projects keep their history: definition changes are logged field by field in project_change, cost figures and
parameters are append-only (the newest row wins). Functions taking a Conn run inside the caller's transaction.
"""

from __future__ import annotations

import datetime as dt

from ozg import auth
from ozg.db import Conn, Database
from ozg.errors import NotFound, OzgError
from ozg.savings import SQL_LATEST_COSTS, CostFigures, ProjectSpec, shipped_defaults


def _now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


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
    old = _definition(conn, spec.project_id) or {}
    new = {"name": spec.name, "lead_ags": spec.lead_ags, "start_date": spec.start_date,
           "description": spec.description, "complexity": spec.complexity,
           "leistungen": sorted(spec.leistungen),
           "cities": [f"{a}:{d or ''}" for a, d in sorted(spec.cities)]}
    changed = [(f, _text(old.get(f)), _text(v)) for f, v in new.items() if _text(old.get(f)) != _text(v)]
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
