"""Invented sample shared projects and usage figures ("Beispieldaten"), built on the sample status.

The sample status (ozg/sample.py) marks a dozen Leistungen with a Federführung: a lead city built them and the
other cities reuse them. Here those Leistungen become one Gemeinschaftsprojekt per lead city, with invented cost
figures and monthly case counts — fixed seed, every project flagged is_sample and named „(Beispiel)“, the cost
source and the usage import say „erfunden“. Each project has an invented recording history (history_steps), so that
a past Stand shows the projects as they were known then: created at its start with a cost estimate and no go-live,
then one change per go-live day; the lead city's go-live brings the final cost figures.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from collections import defaultdict

import pandas as pd

from ozg import clock, savings, savings_store
from ozg.batches import BatchInfo, close_batch, open_batch
from ozg.costmodel import Parameters
from ozg.db import Database
from ozg.sample import sample_stamp

SEED = 20240601
SAMPLE_USER = "Beispieldaten"
COST_SOURCE = "Beispieldaten (erfunden)"
USAGE_MONTHS = 36          # monthly case counts for at most the last three years

_SQL_SHARED = """
SELECT s.federfuehrung, s.ozg_id, l.name, s.ags, s.online_seit, k.population
FROM status_current s JOIN leistung l ON l.ozg_id = s.ozg_id JOIN kommune k ON k.ags = s.ags
WHERE s.federfuehrung IS NOT NULL ORDER BY s.federfuehrung, s.ozg_id, s.ags
"""
_SQL_START = """
SELECT min(valid_from) FROM status_history WHERE ags = ? AND ozg_id = ? AND status = 'Konzeption'
"""


def _round(value: float, step: int) -> float:
    return float(round(value / step) * step)


def build_specs(rows: list[tuple], starts: dict[tuple[str, str], dt.date | None],
                names: dict[str, str]) -> list[savings.ProjectSpec]:
    """One project per lead city from the shared-Leistung rows (deterministic for the same rows)."""
    rng = random.Random(SEED)
    defaults = Parameters()
    by_lead: dict[str, dict[str, dict]] = defaultdict(dict)
    for lead, ozg_id, name, ags, online, _ in rows:
        entry = by_lead[lead].setdefault(ozg_id, {"name": name, "cities": {}})
        entry["cities"][ags] = online
    specs = []
    for number, lead in enumerate(sorted(by_lead), start=1):
        leistungen = by_lead[lead]
        first = leistungen[min(leistungen)]["name"]
        cities: dict[str, dt.date | None] = {}
        for entry in leistungen.values():
            for ags, online in entry["cities"].items():
                if online is not None and (cities.get(ags) is None or online < cities[ags]):
                    cities[ags] = online
                cities.setdefault(ags, online)
        complexity = rng.choice(("einfach", "mittel", "mittel", "komplex"))
        development = _round(len(leistungen) * defaults.build_cost(complexity) * rng.uniform(0.7, 1.3), 1000)
        costs = savings.CostFigures(
            development=development,
            adaptation_per_city=_round(development * rng.uniform(0.08, 0.20), 500),
            operation_per_year=_round(development * rng.uniform(0.12, 0.25), 500),
            coordination=_round(development * rng.uniform(0.05, 0.12), 500),
            source=COST_SOURCE)
        begin = [starts.get((lead, o)) for o in leistungen]
        more = f" und {len(leistungen) - 1} weitere" if len(leistungen) > 1 else ""
        specs.append(savings.ProjectSpec(
            project_id=f"BSP-{number:02d}", name=f"{first}{more} (Beispiel)", lead_ags=lead,
            leistungen=tuple(sorted(leistungen)), cities=tuple(sorted(cities.items())),
            start_date=min((d for d in begin if d), default=None),
            description=(f"Erfundenes Beispielprojekt: {names.get(lead, lead)} entwickelt "
                         f"{', '.join(e['name'] for e in leistungen.values())}; die anderen Kommunen nutzen nach."),
            complexity=complexity, costs=costs, is_sample=True))
    return specs


def history_steps(spec: savings.ProjectSpec, today: dt.date) -> list[tuple[dt.date, savings.ProjectSpec]]:
    """(day, state) of one sample project as it was recorded: created at its start (or 90 days before the first
    go-live) with a cost estimate of 90 % of B, then the state after each go-live day; the last state is `spec`."""
    lives = sorted({d for _, d in spec.cities if d is not None and d <= today})
    start = spec.start_date or (lives[0] - dt.timedelta(days=90) if lives else today)
    start = min(start, today, *lives[:1])
    estimate = spec.costs and dataclasses.replace(
        spec.costs, development=_round(spec.costs.development * 0.9, 1000), source=f"{COST_SOURCE}, Schätzung")
    lead_live = dict(spec.cities).get(spec.lead_ags)

    def state(day: dt.date) -> savings.ProjectSpec:
        cities = tuple((a, d if d is not None and d <= day else None) for a, d in spec.cities)
        final = lead_live is not None and lead_live <= day
        return dataclasses.replace(spec, cities=cities, costs=spec.costs if final else estimate)

    steps = [(start, state(start))] + [(day, state(day)) for day in lives if day > start]
    if steps[-1][1] != spec:   # e.g. a go-live after today: the project as it is stands from today on
        steps.append((today, spec))
    return steps


def build_usage(rows: list[tuple], today: dt.date) -> pd.DataFrame:
    """Monthly case counts per city × shared Leistung from its go-live to last month (invented, fixed seed)."""
    rng = random.Random(SEED + 1)
    last = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    first_allowed = (pd.Timestamp(last) - pd.DateOffset(months=USAGE_MONTHS - 1)).date()
    demand = {}
    records = []
    for _lead, ozg_id, _name, ags, online, population in rows:
        if online is None:
            continue
        per_10k = demand.setdefault(ozg_id, rng.uniform(1, 10))  # cases per 10,000 inhabitants and month
        month = max(online.replace(day=1), first_allowed)
        while month <= last:
            age = (month.year - online.year) * 12 + month.month - online.month
            total = max(0, round(per_10k * (population or 50_000) / 10_000 * rng.uniform(0.8, 1.2)))
            share = min(0.85, 0.15 + 0.025 * age + rng.uniform(-0.05, 0.05))
            records.append((month, ags, ozg_id, total, round(total * max(share, 0.0))))
            month = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return pd.DataFrame(records, columns=["month", "ags", "ozg_id", "cases_total", "cases_digital"])


def _read_shared(conn) -> tuple[list[tuple], dict, dict]:
    rows = conn.execute(_SQL_SHARED)
    names = dict(conn.execute("SELECT ags, name FROM kommune"))
    starts = {}
    for lead, ozg_id in {(r[0], r[1]) for r in rows}:
        value = conn.one(_SQL_START, [lead, ozg_id])
        starts[(lead, ozg_id)] = value.date() if value else None
    return rows, starts, names


def sample_specs(db: Database) -> list[savings.ProjectSpec]:
    """The sample projects as they are today, built from the sample status (what load_sample_projects stores)."""
    with db.connect() as conn:
        rows, starts, names = _read_shared(conn)
    return build_specs(rows, starts, names) if rows else []


def load_sample_projects(db: Database, today: dt.date | None = None) -> int:
    """Load the sample projects and usage figures once (skipped when any project exists). Returns #projects."""
    today = today or clock.today()
    with db.connect() as conn:
        if conn.one("SELECT count(*) FROM shared_project"):
            return 0
        rows, starts, names = _read_shared(conn)
    if not rows:
        return 0
    specs = build_specs(rows, starts, names)
    usage = build_usage(rows, today)
    with db.transaction() as conn:
        when = sample_stamp(today, today)
        batch_id, _ = open_batch(conn, BatchInfo("sample", SAMPLE_USER, "Beispielprojekte (erfunden)",
                                                 note="Erfundene Gemeinschaftsprojekte", created_at=when))
        for spec in specs:
            for day, step in history_steps(spec, today):
                savings_store.save_project(conn, step, SAMPLE_USER, batch_id, sample_stamp(day, today))
        close_batch(conn, batch_id, len(specs), len(specs))
        batch_id, _ = open_batch(conn, BatchInfo("sample", SAMPLE_USER, "Beispiel-Fallzahlen (erfunden)",
                                                 note="Erfundene Fallzahlen", created_at=when))
        usage["batch_id"] = batch_id
        conn.insert_df("usage_figure", usage)
        close_batch(conn, batch_id, len(usage), len(usage))
    return len(specs)
