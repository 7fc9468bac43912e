"""Deadlines: Leistungen overdue or planned against their 'Geplant bis', fixed deadlines, the forecast."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from ozg import clock
from ozg.db import Database
from ozg.domain import DEFAULT_ONLINE_THRESHOLD
from ozg.queries import rules
from ozg.queries.counting import coverage
from ozg.queries.history import months_before, progress
from ozg.queries.state import members_sql, state_sql


def _overdue_template() -> str:
    return f"""
WITH {rules.RULE_CTE}, s AS ({{state}})
SELECT k.ags, k.name AS kommune, l.ozg_id, l.name AS leistung, l.themenfeld, s.reifegrad, s.status,
       s.geplant_bis, rule.day - s.geplant_bis AS days_late, f.name AS federfuehrung_name
FROM s CROSS JOIN rule JOIN kommune k ON k.ags = s.ags JOIN leistung l ON l.ozg_id = s.ozg_id AND {rules.active()}
LEFT JOIN kommune f ON f.ags = s.federfuehrung
WHERE {rules.overdue()} AND k.ags IN ({{members}})
ORDER BY s.geplant_bis, k.name, l.ozg_id
"""


def overdue(db: Database, as_of: dt.date | None = None, group: str | None = None,
            threshold: int = DEFAULT_ONLINE_THRESHOLD) -> pd.DataFrame:
    """Leistungen whose planned go-live ('Geplant bis') has passed without reaching the counting rule, most
    overdue first."""
    state, sparams = state_sql(as_of, group)
    members, mparams = members_sql(group)
    params = [*rules.rule_params(threshold, as_of or clock.today()), *sparams, *mparams]
    with db.connect() as conn:
        return conn.df(_overdue_template().format(state=state, members=members), params)


def _planned_template() -> str:
    return f"""
WITH {rules.RULE_CTE}, s AS ({{state}})
SELECT k.ags, k.name AS kommune, l.ozg_id, l.name AS leistung, l.themenfeld, s.status, s.reifegrad, s.geplant_bis
FROM s CROSS JOIN rule JOIN kommune k ON k.ags = s.ags JOIN leistung l ON l.ozg_id = s.ozg_id AND {rules.active()}
WHERE {rules.planned()} AND k.ags IN ({{members}})
ORDER BY s.geplant_bis, k.name, l.ozg_id
"""


def planned(db: Database, as_of: dt.date | None = None, group: str | None = None,
            threshold: int = DEFAULT_ONLINE_THRESHOLD) -> pd.DataFrame:
    """Relevant Leistungen not yet online with a planned go-live on or after the day (due today included)."""
    state, sparams = state_sql(as_of, group)
    members, mparams = members_sql(group)
    params = [*rules.rule_params(threshold, as_of or clock.today()), *sparams, *mparams]
    with db.connect() as conn:
        return conn.df(_planned_template().format(state=state, members=members), params)


def deadlines(db: Database) -> pd.DataFrame:
    with db.connect() as conn:
        return conn.df("SELECT id, title, due, kind, applies_to, source FROM deadline ORDER BY due, id", [])


def forecast(db: Database, as_of: dt.date | None = None, group: str | None = None,
             threshold: int = DEFAULT_ONLINE_THRESHOLD, window_months: int = 12) -> pd.DataFrame:
    """Per Kommune: pace of go-lives over the last `window_months` and the day full coverage is reached.

    Assumption (stated on the page): the Kommune keeps going live at the same average rate per month (linear).
    `reaches` is None when the pace is zero or negative; `months_needed` is 0 when everything relevant is online.
    """
    day = as_of or clock.today()
    start = months_before(day, window_months)
    cov = coverage(db, as_of, group, threshold)[["ags", "name", "relevant", "online"]]
    past = progress(db, [start], group, threshold)[["ags", "online"]].rename(columns={"online": "online_start"})
    frame = cov.merge(past, on="ags", how="left")
    frame["online_start"] = frame["online_start"].fillna(0).astype(int)
    frame["pace"] = (frame["online"] - frame["online_start"]) / window_months
    frame["remaining"] = (frame["relevant"] - frame["online"]).clip(lower=0)
    months = frame["remaining"] / frame["pace"].where(frame["pace"] > 0)
    frame["months_needed"] = months.where(frame["remaining"] > 0, 0.0)
    frame["reaches"] = [
        None if pd.isna(m) else day + dt.timedelta(days=round(float(m) * 30.4375)) for m in frame["months_needed"]]
    frame["window_start"] = start
    return frame
