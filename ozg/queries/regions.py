"""Scale: coverage per Land, Kreis and Gemeinde and the national KPIs."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from ozg import clock
from ozg.db import Database
from ozg.domain import DEFAULT_ONLINE_THRESHOLD
from ozg.queries import rules
from ozg.queries.state import members_sql, state_sql

# AGS digits 1-2 = Land, 1-5 = Kreis (3 = Regierungsbezirk), 1-8 = Gemeinde. The current state is counted from
# status_summary (per-Kommune aggregates maintained on write, see ozg/summary.py); as_of, or a catalogue change
# since the summary was built, counts the same columns from the full state instead (exact, slower).

REGION_LEVELS: dict[str, int] = {"bund": 0, "land": 2, "kreis": 5, "gemeinde": 8}
_REGION_NAME = {"bund": "'Deutschland'", "land": "min(k.state)", "kreis": "min(k.kreis)", "gemeinde": "min(k.name)"}


# The state in summary shape: one row per status row, n = 1 (used for as_of and as the exact fallback).
def _summary_shaped_template() -> str:
    return f"""
SELECT s.ags, s.reifegrad, NOT {rules.relevant()} AS nicht_relevant,
       coalesce(s.ende_zu_ende, FALSE) AS ende_zu_ende, coalesce(s.bescheid_digital, FALSE) AS bescheid_digital,
       coalesce(s.federfuehrung = s.ags, FALSE) AS own_lead, s.geplant_bis, 1 AS n, s.changed_at AS last_change
FROM ({{state}}) s JOIN leistung l ON l.ozg_id = s.ozg_id AND {rules.active()}
"""


# The rules of ozg/queries/rules.py on summary rows, which carry `nicht_relevant` instead of the status.
_RELEVANT = "NOT s.nicht_relevant"


def _region_coverage_template() -> str:
    return f"""
WITH {rules.RULE_CTE},
members AS (SELECT ags FROM kommune WHERE ags LIKE ? {{in_group}}),
active AS (SELECT count(*) AS n FROM leistung l WHERE {rules.active()}),
per AS (
    SELECT substr(s.{{key}}, 1, {{digits}}) AS region,
           CAST(sum(s.n) FILTER (WHERE {rules.online("s", _RELEVANT)}) AS BIGINT) AS online,
           CAST(sum(s.n) FILTER (WHERE {rules.online("s", _RELEVANT)} AND s.ende_zu_ende) AS BIGINT) AS ende_zu_ende,
           CAST(sum(s.n) FILTER (WHERE {rules.online("s", _RELEVANT)} AND s.bescheid_digital) AS BIGINT)
               AS bescheid_digital,
           CAST(sum(s.n) FILTER (WHERE NOT {_RELEVANT}) AS BIGINT) AS nicht_relevant,
           CAST(sum(s.n) FILTER (WHERE {rules.overdue("s", _RELEVANT)}) AS BIGINT) AS overdue,
           CAST(sum(s.n) FILTER (WHERE s.own_lead) AS BIGINT) AS federfuehrung,
           max(s.last_change) AS last_change
    FROM ({{source}}) s CROSS JOIN rule
    WHERE s.{{key}} LIKE ? {{member_filter}}
    GROUP BY 1
),
regions AS (
    SELECT substr(k.ags, 1, {{digits}}) AS region, {{name}} AS name, count(*) AS kommunen,
           CAST(sum(k.population) AS BIGINT) AS population
    FROM kommune k WHERE k.ags IN (SELECT ags FROM members)
    GROUP BY 1
)
SELECT r.region, r.name, r.kommunen, r.population, active.n * r.kommunen AS catalogue,
       active.n * r.kommunen - coalesce(per.nicht_relevant, 0) AS relevant,
       coalesce(per.online, 0) AS online, coalesce(per.ende_zu_ende, 0) AS ende_zu_ende,
       coalesce(per.bescheid_digital, 0) AS bescheid_digital, coalesce(per.overdue, 0) AS overdue,
       coalesce(per.federfuehrung, 0) AS federfuehrung, per.last_change
FROM regions r CROSS JOIN active LEFT JOIN per ON per.region = r.region
ORDER BY r.region
"""


def coverage_by_region(db: Database, level: str = "land", prefix: str = "", as_of: dt.date | None = None,
                       group: str | None = None, threshold: int = DEFAULT_ONLINE_THRESHOLD) -> pd.DataFrame:
    """Coverage per region at `level` ('bund'|'land'|'kreis'|'gemeinde') among Kommunen whose AGS starts with
    `prefix` (e.g. '06' = Hessen, '06534' = Landkreis Marburg-Biedenkopf), optionally only members of `group`.

    Columns: region (AGS prefix), name, kommunen, population, catalogue, relevant, online, share, ende_zu_ende,
    bescheid_digital, overdue, federfuehrung, last_change. Same counting rules as coverage(); summed per region.
    """
    if level not in REGION_LEVELS:
        raise ValueError(f"level must be one of {', '.join(REGION_LEVELS)}, not {level!r}")
    from ozg import summary

    digits = REGION_LEVELS[level]
    members, mparams = members_sql(group)
    like = f"{prefix}%"
    day = as_of or clock.today()
    with db.connect() as conn:  # one connection: opening a DuckDB file costs more than the summary query
        key, member_filter = "ags", "AND s.ags IN (SELECT ags FROM members)"
        if as_of is not None or not summary.is_fresh(conn):
            state, sparams = state_sql(as_of)
            source = _summary_shaped_template().format(state=state)
        elif group is None and digits <= 5 and len(prefix) <= 5:
            # whole Kreise: the Kreis sums (every Gemeinde of a Kreis is in the kommune table)
            source, sparams, key, member_filter = "SELECT * FROM kreis_summary", [], "kreis", ""
        else:
            source, sparams = "SELECT * FROM status_summary", []
        in_group = f"AND ags IN ({members})" if group is not None else ""
        sql = _region_coverage_template().format(in_group=in_group, digits=digits, name=_REGION_NAME[level],
                                                 source=source, key=key, member_filter=member_filter)
        frame = conn.df(sql, [*rules.rule_params(threshold, day), like, *mparams, *sparams, like])
    frame["share"] = (frame["online"] / frame["relevant"].where(frame["relevant"] > 0)).fillna(0.0)
    return frame


def overview_kpis(db: Database, as_of: dt.date | None = None, group: str | None = None, prefix: str = "",
                  threshold: int = DEFAULT_ONLINE_THRESHOLD) -> pd.DataFrame:
    """One row of headline numbers over all Kommunen (of a group / AGS prefix): the national overview."""
    return coverage_by_region(db, "bund", prefix, as_of, group, threshold)


def region_children(level: str) -> str | None:
    """The level one drill-down step below `level` (None below Gemeinde)."""
    order = list(REGION_LEVELS)
    return order[order.index(level) + 1] if level != order[-1] else None
