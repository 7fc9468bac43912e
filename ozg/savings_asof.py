"""Shared projects, cost figures, parameters and Fallzahlen as they stood at the end of a past day (as-of).

Reads only (the read SQL of migration 0004's history; writes: ozg/savings_store.py). Rules:
- a project's definition (name, Federführung, Leistungen, Kommunen with go-live, …) is today's, with every
  project_change recorded after the day undone, newest first (old_value back in place); a project whose undone
  state has no name did not exist yet; a project deleted after the day is back with the values it had;
- cost figures: the latest project_cost row set by the end of the day; parameters: the latest cost_parameter row
  set by then, else the shipped default;
- Fallzahlen: the months up to the day's month (a month's figures belong to its first day).
The frames have the same columns as the current ones of ozg/savings.py, so one computation serves both.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from ozg.db import Database

FIELDS = ("name", "lead_ags", "start_date", "description", "complexity", "leistungen", "cities")

SQL_DEFINITIONS = "SELECT id, name, lead_ags, start_date, description, complexity, is_sample FROM shared_project"
SQL_LEISTUNGEN = "SELECT project_id, ozg_id FROM project_leistung ORDER BY project_id, ozg_id"
SQL_CITIES = "SELECT project_id, ags, go_live FROM project_city ORDER BY project_id, ags"
SQL_CHANGES_AFTER = ("SELECT project_id, field, old_value, changed_by, changed_at FROM project_change "
                     "WHERE changed_at >= ? ORDER BY changed_at DESC")
SQL_LAST_CHANGE = ("SELECT project_id, max(changed_at) AS changed_at FROM project_change WHERE changed_at < ? "
                   "GROUP BY project_id")
SQL_KOMMUNEN = "SELECT ags, name FROM kommune"
SQL_COSTS_AS_OF = """
SELECT project_id, development, adaptation_per_city, operation_per_year, coordination, source, set_by, set_at
FROM (SELECT c.*, ROW_NUMBER() OVER (PARTITION BY project_id ORDER BY set_at DESC, id DESC) AS rn
      FROM project_cost c WHERE set_at < ?) latest WHERE rn = 1
"""
SQL_PARAMETERS_AS_OF = """
SELECT name, value, unit, source, set_by, set_at FROM (
    SELECT c.*, ROW_NUMBER() OVER (PARTITION BY name ORDER BY set_at DESC, id DESC) AS rn
    FROM cost_parameter c WHERE set_at < ?
) latest WHERE rn = 1
"""


def cutoff(day: dt.date) -> dt.datetime:
    """The first moment after `day`: everything recorded before it counts as of that day."""
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time())


def _text(value) -> str | None:
    """A stored value as project_change writes it (ozg/savings_store.py: str(), lists joined by ', ')."""
    if value is None or (not isinstance(value, (list, tuple, str)) and pd.isna(value)):
        return None
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    if isinstance(value, pd.Timestamp):
        value = value.date()
    if isinstance(value, dt.datetime):
        value = value.date()
    return str(value)


def _day(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text[:10]) if text else None


def _items(text: str | None) -> list[str]:
    return [item.strip() for item in (text or "").split(",") if item.strip()]


def definitions(db: Database, day: dt.date) -> dict[str, pd.DataFrame]:
    """projects, leistungen, cities frames (columns as in ozg/savings.py) as they stood at the end of `day`."""
    end = cutoff(day)
    with db.connect() as conn:
        current = conn.execute(SQL_DEFINITIONS)
        leistungen = conn.execute(SQL_LEISTUNGEN)
        cities = conn.execute(SQL_CITIES)
        changes = conn.execute(SQL_CHANGES_AFTER, [end])
        last_change = {pid: when for pid, when in conn.execute(SQL_LAST_CHANGE, [end])}
        names = dict(conn.execute(SQL_KOMMUNEN))
    state: dict[str, dict[str, str | None]] = {}
    sample: dict[str, bool] = {}
    for pid, name, lead, start, description, complexity, is_sample in current:
        state[pid] = {"name": name, "lead_ags": lead, "start_date": _text(start), "description": description,
                      "complexity": complexity, "leistungen": None, "cities": None}
        sample[pid] = bool(is_sample)
    for pid in state:
        state[pid]["leistungen"] = _text([o for p, o in leistungen if p == pid])
        state[pid]["cities"] = _text([f"{a}:{_text(d) or ''}" for p, a, d in cities if p == pid])
    for pid, field, old_value, _by, _at in changes:   # newest first: undo each change
        if field in FIELDS:
            state.setdefault(pid, dict.fromkeys(FIELDS))[field] = old_value
    projects, leistung_rows, city_rows = [], [], []
    for pid in sorted(state):
        s = state[pid]
        if not s.get("name"):
            continue   # created after the day
        projects.append({"project_id": pid, "name": s["name"], "lead_ags": s["lead_ags"],
                         "lead_name": names.get(s["lead_ags"]), "start_date": _day(s["start_date"]),
                         "description": s["description"], "complexity": s["complexity"],
                         "is_sample": sample.get(pid, False), "updated_by": None,
                         "updated_at": last_change.get(pid)})
        leistung_rows += [{"project_id": pid, "ozg_id": o} for o in _items(s["leistungen"])]
        for item in _items(s["cities"]):
            ags, _, live = item.partition(":")
            city_rows.append({"project_id": pid, "ags": ags, "kommune": names.get(ags), "go_live": _day(live)})
    return {
        "projects": pd.DataFrame(projects, columns=["project_id", "name", "lead_ags", "lead_name", "start_date",
                                                    "description", "complexity", "is_sample", "updated_by",
                                                    "updated_at"]),
        "leistungen": pd.DataFrame(leistung_rows, columns=["project_id", "ozg_id"]),
        "cities": pd.DataFrame(city_rows, columns=["project_id", "ags", "kommune", "go_live"]),
    }


def costs(db: Database, day: dt.date) -> pd.DataFrame:
    """The latest cost figures of every project set by the end of `day`."""
    with db.connect() as conn:
        return conn.df(SQL_COSTS_AS_OF, [cutoff(day)])


def parameter_rows(db: Database, day: dt.date) -> pd.DataFrame:
    """The latest stored value of every parameter set by the end of `day` (names never set: absent)."""
    with db.connect() as conn:
        return conn.df(SQL_PARAMETERS_AS_OF, [cutoff(day)])


def usage_until(frame: pd.DataFrame, day: dt.date) -> pd.DataFrame:
    """Fallzahlen of the months up to `day`'s month."""
    if frame.empty:
        return frame
    return frame[pd.to_datetime(frame["month"]) <= pd.Timestamp(day.replace(day=1))].reset_index(drop=True)
