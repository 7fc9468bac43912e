"""Shared projects, cost parameters and usage figures in the database, and the savings computed from them.

This module holds the read SQL of its own tables (migration 0004; writes: ozg/savings_store.py) and turns rows
into ozg.costmodel inputs; ozg/savings_asof.py gives the same inputs as they stood on a past day, and
ozg/savings_text.py the German-labelled tables and definitions that pages and reports show.
Parameters: the latest row per name in cost_parameter wins; a name never set there falls back to the shipped
default in data/cost_parameters.csv (each labelled with its source or "Annahme").
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
from dataclasses import dataclass

import pandas as pd

from ozg import clock, config, costmodel, savings_asof
from ozg.db import Database

PARAMETERS_FILE = config.DATA_DIR / "cost_parameters.csv"
SHIPPED = "Auslieferung (data/cost_parameters.csv)"
COST_FIELDS = ("development", "adaptation_per_city", "operation_per_year", "coordination")
COST_LABELS = {"development": "Entwicklung", "adaptation_per_city": "Anpassung je Kommune",
               "operation_per_year": "Betrieb pro Jahr", "coordination": "Koordination"}

# --- SQL (reads) -----------------------------------------------------------------------------------------------
SQL_PROJECTS = """
SELECT p.id AS project_id, p.name, p.lead_ags, k.name AS lead_name, p.start_date, p.description, p.complexity,
       p.is_sample, p.updated_by, p.updated_at
FROM shared_project p LEFT JOIN kommune k ON k.ags = p.lead_ags ORDER BY p.id
"""
SQL_PROJECT_LEISTUNGEN = """
SELECT pl.project_id, pl.ozg_id, l.name AS leistung FROM project_leistung pl
LEFT JOIN leistung l ON l.ozg_id = pl.ozg_id ORDER BY pl.project_id, pl.ozg_id
"""
SQL_PROJECT_CITIES = """
SELECT pc.project_id, pc.ags, k.name AS kommune, pc.go_live FROM project_city pc
LEFT JOIN kommune k ON k.ags = pc.ags ORDER BY pc.project_id, k.name
"""
# Latest cost row per project (append-only table, newest wins).
SQL_LATEST_COSTS = """
SELECT project_id, development, adaptation_per_city, operation_per_year, coordination, source, set_by, set_at
FROM (SELECT c.*, ROW_NUMBER() OVER (PARTITION BY project_id ORDER BY set_at DESC, id DESC) AS rn
      FROM project_cost c) latest WHERE rn = 1
"""
SQL_PARAMETER_ROWS = """
SELECT name, value, unit, source, set_by, set_at FROM (
    SELECT c.*, ROW_NUMBER() OVER (PARTITION BY name ORDER BY set_at DESC, id DESC) AS rn FROM cost_parameter c
) latest WHERE rn = 1
"""
SQL_PARAMETER_HISTORY = "SELECT name, value, unit, source, set_by, set_at FROM cost_parameter ORDER BY set_at, id"
SQL_USAGE = """
SELECT u.month, u.ags, k.name AS kommune, u.ozg_id, l.name AS leistung, u.cases_total, u.cases_digital, u.batch_id
FROM usage_figure u LEFT JOIN kommune k ON k.ags = u.ags LEFT JOIN leistung l ON l.ozg_id = u.ozg_id
ORDER BY u.month, u.ags, u.ozg_id
"""
SQL_PROJECT_CHANGES = ("SELECT project_id, field, old_value, new_value, changed_by, changed_at, batch_id "
                       "FROM project_change ORDER BY changed_at, project_id")
SQL_COST_HISTORY = ("SELECT project_id, development, adaptation_per_city, operation_per_year, coordination, source, "
                    "set_by, set_at, batch_id FROM project_cost ORDER BY set_at, id")


@dataclass(frozen=True)
class ParameterDefault:
    name: str
    value: float
    unit: str
    label: str
    source: str
    note: str


@dataclass(frozen=True)
class CostFigures:
    """Cost figures of a project as entered (None = unknown, the model uses its default)."""

    development: float | None = None
    adaptation_per_city: float | None = None
    operation_per_year: float | None = None
    coordination: float | None = None
    source: str | None = None


@dataclass(frozen=True)
class ProjectSpec:
    """A shared project as it is stored: definition, Leistungen, participating cities with go-live, costs."""

    project_id: str
    name: str
    lead_ags: str
    leistungen: tuple[str, ...]
    cities: tuple[tuple[str, dt.date | None], ...]   # (AGS, go-live); the lead city is one of them
    start_date: dt.date | None = None
    description: str | None = None
    complexity: str | None = None
    costs: CostFigures | None = None
    is_sample: bool = False


def shipped_defaults() -> dict[str, ParameterDefault]:
    """The defaults shipped in data/cost_parameters.csv, by name."""
    with PARAMETERS_FILE.open(encoding="utf-8", newline="") as fh:
        return {r["name"]: ParameterDefault(r["name"], float(r["value"]), r["unit"], r["label"], r["source"],
                                            r["note"]) for r in csv.DictReader(fh)}


# --- reads ------------------------------------------------------------------------------------------------------
def _df(db: Database, sql: str) -> pd.DataFrame:
    with db.connect() as conn:
        return conn.df(sql)


def projects(db: Database) -> pd.DataFrame:
    """Shared projects with the lead city's name."""
    return _df(db, SQL_PROJECTS)


def project_leistungen(db: Database) -> pd.DataFrame:
    return _df(db, SQL_PROJECT_LEISTUNGEN)


def project_cities(db: Database) -> pd.DataFrame:
    return _df(db, SQL_PROJECT_CITIES)


def latest_costs(db: Database) -> pd.DataFrame:
    return _df(db, SQL_LATEST_COSTS)


def project_changes(db: Database) -> pd.DataFrame:
    return _df(db, SQL_PROJECT_CHANGES)


def cost_history(db: Database) -> pd.DataFrame:
    """Every cost figure row of every project (append-only), oldest first."""
    return _df(db, SQL_COST_HISTORY)


def usage(db: Database) -> pd.DataFrame:
    """All usage figures (Fallzahlen) with city and Leistung names."""
    return _df(db, SQL_USAGE)


def parameter_history(db: Database) -> pd.DataFrame:
    """Every value any parameter ever had, oldest first."""
    return _df(db, SQL_PARAMETER_HISTORY)


def parameters(db: Database, as_of: dt.date | None = None) -> pd.DataFrame:
    """Value of every parameter now (or at the end of `as_of`): the latest stored row, else the shipped default.

    Columns: name, label, value, unit, source, set_by, set_at, note.
    """
    rows = _df(db, SQL_PARAMETER_ROWS) if as_of is None else savings_asof.parameter_rows(db, as_of)
    stored = {r.name: r for r in rows.itertuples()}
    rows = []
    for name, default in shipped_defaults().items():
        row = stored.get(name)
        rows.append({"name": name, "label": default.label,
                     "value": float(row.value) if row else default.value,
                     "unit": row.unit if row else default.unit,
                     "source": row.source if row else default.source,
                     "set_by": row.set_by if row else SHIPPED,
                     "set_at": row.set_at if row else pd.NaT,
                     "note": default.note})
    return pd.DataFrame(rows)


def model_parameters(frame: pd.DataFrame) -> costmodel.Parameters:
    """costmodel.Parameters from the parameters() table."""
    values = dict(zip(frame["name"], frame["value"], strict=True))
    known = {f.name for f in dataclasses.fields(costmodel.Parameters)}
    return costmodel.Parameters(**{k: float(v) for k, v in values.items() if k in known})


def _date(value) -> dt.date | None:
    if value is None or pd.isna(value):
        return None
    return value.date() if isinstance(value, (pd.Timestamp, dt.datetime)) else value


def _num(value) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def model_projects(frames: dict[str, pd.DataFrame]) -> list[costmodel.Project]:
    """costmodel.Project per stored project, from the frames of load_frames()."""
    leistungen = frames["leistungen"].groupby("project_id")["ozg_id"].count().to_dict()
    cities = frames["cities"]
    costs = {r.project_id: r for r in frames["costs"].itertuples()}
    result = []
    for p in frames["projects"].itertuples():
        mine = cities[cities["project_id"] == p.project_id]
        c = costs.get(p.project_id)
        result.append(costmodel.Project(
            p.project_id, p.name, p.lead_ags, tuple(mine["ags"]), int(leistungen.get(p.project_id, 0)),
            p.complexity, *(_num(getattr(c, f)) if c else None for f in COST_FIELDS),
            go_live=tuple((a, _date(d)) for a, d in zip(mine["ags"], mine["go_live"], strict=True))))
    return result


def load_frames(db: Database, as_of: dt.date | None = None) -> dict[str, pd.DataFrame]:
    """Everything the savings computation needs, read once: now, or as it stood at the end of `as_of`
    (projects, costs and parameters from their history, Fallzahlen up to that month; ozg/savings_asof.py)."""
    if as_of is None:
        return {"projects": projects(db), "leistungen": project_leistungen(db), "cities": project_cities(db),
                "costs": latest_costs(db), "parameters": parameters(db), "usage": usage(db)}
    return {**savings_asof.definitions(db, as_of), "costs": savings_asof.costs(db, as_of),
            "parameters": parameters(db, as_of), "usage": savings_asof.usage_until(usage(db), as_of)}


# --- computation ------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Headline:
    """One savings figure and the three parts it is the sum of (€): development + operation + cases = total."""

    development: float   # shared build instead of n builds (one-off)
    operation: float     # one shared installation instead of n
    cases: float         # staff time saved by digital cases

    @property
    def total(self) -> float:
        return self.development + self.operation + self.cases


@dataclass
class SavingsResult:
    """Everything the Einsparungen page and the reports show, computed from load_frames().

    `planned` is THE headline: savings over the period of Y years; every other figure is a part of it (per
    project, per city, development/operation/cases) or its variant `realised` (what happened by `day`); the
    sensitivity table is centred on planned.total.
    """

    day: dt.date
    params: costmodel.Parameters
    parameters: pd.DataFrame
    sample: bool
    projects: list[costmodel.Project]
    results: list[costmodel.ProjectSavings]
    totals: dict[str, float]
    planned: Headline
    realised: Headline
    per_project: pd.DataFrame
    per_city: pd.DataFrame
    usage_by_city: pd.DataFrame
    digital_cases_per_year: float
    sensitivity: pd.DataFrame
    timeline: pd.DataFrame


def last_twelve_months(usage_frame: pd.DataFrame) -> pd.DataFrame:
    """Usage rows of the latest 12 months that have figures (the basis of 'per year')."""
    if usage_frame.empty:
        return usage_frame
    months = pd.to_datetime(usage_frame["month"])
    return usage_frame[months > months.max() - pd.DateOffset(months=12)]


def compute(frames: dict[str, pd.DataFrame], years: float | None = None,
            until: dt.date | None = None) -> SavingsResult:
    """Savings per project, per city, in total, over time up to `until` (default today) and their sensitivity
    (pure: no database access)."""
    day = until or clock.today()
    params = model_parameters(frames["parameters"])
    if years is not None:
        params = dataclasses.replace(params, years=float(years))
    projects_ = model_projects(frames)
    results = [costmodel.project_savings(p, params) for p in projects_]
    usage_frame = frames["usage"]
    recent = last_twelve_months(usage_frame)
    digital_per_year = float(recent["cases_digital"].fillna(0).sum()) if not recent.empty else 0.0
    usage_by_city = _usage_by_city(recent, params)
    monthly = ({} if usage_frame.empty else
               {_date(m): float(v) for m, v in usage_frame.groupby("month")["cases_digital"].sum().items()})
    totals = costmodel.total(results)
    timeline = costmodel.timeline(projects_, params, day, monthly)
    planned = Headline(totals["development_savings"], totals["operation_savings"], costmodel.case_savings(
        digital_per_year, params.minutes_saved_per_case, params.hourly_cost) * params.years)
    realised = Headline(*(float(timeline[c].sum()) if not timeline.empty else 0.0
                          for c in ("development", "operation", "cases")))
    return SavingsResult(
        day, params, frames["parameters"], bool(frames["projects"]["is_sample"].any()), projects_, results, totals,
        planned, realised, _per_project(frames, projects_, results), _per_city(projects_, params, frames,
                                                                             usage_by_city),
        usage_by_city, digital_per_year, costmodel.sensitivity(projects_, params, digital_per_year), timeline)


def _per_project(frames: dict[str, pd.DataFrame], projects_: list[costmodel.Project],
                 results: list[costmodel.ProjectSavings]) -> pd.DataFrame:
    names = dict(zip(frames["projects"]["project_id"], frames["projects"]["lead_name"], strict=True))
    return pd.DataFrame([{
        "project_id": r.project_id, "name": r.name, "lead": names.get(r.project_id), "n": r.n,
        "leistungen": p.leistungen, "development": r.costs.development, "adaptation": r.costs.adaptation,
        "coordination": r.costs.coordination, "operation": r.costs.operation,
        "development_alone": r.development_alone, "development_shared": r.development_shared,
        "operation_alone": r.operation_alone, "operation_shared": r.operation_shared,
        "alone": r.alone, "shared": r.shared, "savings": r.savings,
        "defaults_used": ", ".join(COST_LABELS.get(d, COST_LABELS.get(d + "_per_city", d))
                                   for d in r.costs.defaulted)}
        for p, r in zip(projects_, results, strict=True)],
        columns=["project_id", "name", "lead", "n", "leistungen", "development", "adaptation", "coordination",
                 "operation", "development_alone", "development_shared", "operation_alone", "operation_shared",
                 "alone", "shared", "savings", "defaults_used"])


def _usage_by_city(recent: pd.DataFrame, params: costmodel.Parameters) -> pd.DataFrame:
    columns = ["ags", "kommune", "cases_total", "cases_digital", "online_share", "case_savings_per_year"]
    if recent.empty:
        return pd.DataFrame(columns=columns)
    frame = recent.groupby(["ags", "kommune"], as_index=False)[["cases_total", "cases_digital"]].sum()
    frame["online_share"] = frame["cases_digital"] / frame["cases_total"].where(frame["cases_total"] > 0)
    frame["case_savings_per_year"] = [costmodel.case_savings(c, params.minutes_saved_per_case, params.hourly_cost)
                                      for c in frame["cases_digital"]]
    return frame[columns]


def _per_city(projects_: list[costmodel.Project], params: costmodel.Parameters,
              frames: dict[str, pd.DataFrame], usage_by_city: pd.DataFrame) -> pd.DataFrame:
    shares = [row for p in projects_ for row in costmodel.city_shares(p, params)]
    columns = ["ags", "kommune", "projects", "lead_of", "alone", "shared", "savings", "case_savings"]
    names = dict(zip(frames["cities"]["ags"], frames["cities"]["kommune"], strict=True))
    names.update(zip(usage_by_city["ags"], usage_by_city["kommune"], strict=True))
    if not shares and usage_by_city.empty:
        return pd.DataFrame(columns=columns)
    frame = pd.DataFrame(shares, columns=["project_id", "ags", "is_lead", "alone", "shared", "savings"])
    grouped = frame.groupby("ags").agg(projects=("project_id", "count"), lead_of=("is_lead", "sum"),
                                       alone=("alone", "sum"), shared=("shared", "sum"), savings=("savings", "sum"))
    cases = usage_by_city.set_index("ags")["case_savings_per_year"] * params.years
    grouped = grouped.reindex(grouped.index.union(cases.index), fill_value=0)
    grouped["case_savings"] = cases.reindex(grouped.index).fillna(0.0)
    grouped = grouped.reset_index().rename(columns={"index": "ags"})
    grouped["kommune"] = grouped["ags"].map(names)
    return grouped[columns].sort_values("savings", ascending=False).reset_index(drop=True)
