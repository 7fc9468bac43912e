"""Coverage: how many Leistungen each Kommune has online, relevant, Ende-zu-Ende, overdue — the counting rules.

Every condition comes from ozg/queries/rules.py (online, relevant, overdue); the denominator of shares is the active
catalogue minus the Leistungen a Kommune marked "nicht relevant".
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from ozg import clock
from ozg.db import Database
from ozg.domain import DEFAULT_ONLINE_THRESHOLD
from ozg.queries import rules
from ozg.queries.history import month_before
from ozg.queries.state import members_sql, state_sql


def _coverage_template() -> str:
    return f"""
WITH {rules.RULE_CTE}, s AS ({{state}}),
active AS (SELECT count(*) AS n FROM leistung l WHERE {rules.active()}),
per AS (
    SELECT s.ags,
           count(*) FILTER (WHERE {rules.online()}) AS online,
           count(*) FILTER (WHERE {rules.online()} AND s.ende_zu_ende) AS ende_zu_ende,
           count(*) FILTER (WHERE {rules.online()} AND s.bescheid_digital) AS bescheid_digital,
           count(*) FILTER (WHERE NOT {rules.relevant()}) AS nicht_relevant,
           count(*) FILTER (WHERE {rules.overdue()}) AS overdue,
           count(*) FILTER (WHERE s.federfuehrung = s.ags) AS federfuehrung,
           max(s.changed_at) AS last_change
    FROM s CROSS JOIN rule JOIN leistung l ON l.ozg_id = s.ozg_id AND {rules.active()}
    GROUP BY s.ags
)
SELECT k.ags, k.name, k.population, active.n AS catalogue,
       active.n - coalesce(per.nicht_relevant, 0) AS relevant,
       coalesce(per.online, 0) AS online, coalesce(per.ende_zu_ende, 0) AS ende_zu_ende,
       coalesce(per.bescheid_digital, 0) AS bescheid_digital, coalesce(per.overdue, 0) AS overdue,
       coalesce(per.federfuehrung, 0) AS federfuehrung, per.last_change
FROM kommune k CROSS JOIN active LEFT JOIN per ON per.ags = k.ags
WHERE k.ags IN ({{members}})
ORDER BY k.name
"""


def coverage(db: Database, as_of: dt.date | None = None, group: str | None = None,
             threshold: int = DEFAULT_ONLINE_THRESHOLD) -> pd.DataFrame:
    """Per Kommune: Leistungen online (counting rule), share of relevant catalogue, Ende-zu-Ende, overdue."""
    state, sparams = state_sql(as_of, group)
    members, mparams = members_sql(group)
    day = as_of or clock.today()
    sql = _coverage_template().format(state=state, members=members)
    with db.connect() as conn:
        frame = conn.df(sql, [*rules.rule_params(threshold, day), *sparams, *mparams])
    frame["share"] = (frame["online"] / frame["relevant"].where(frame["relevant"] > 0)).fillna(0.0)
    return frame


def coverage_total(frame: pd.DataFrame) -> dict:
    """Cooperation totals from a coverage() frame (sums; share over the summed denominators)."""
    relevant = int(frame["relevant"].sum())
    online = int(frame["online"].sum())
    return {
        "kommunen": len(frame), "online": online, "relevant": relevant,
        "share": online / relevant if relevant else 0.0,
        "ende_zu_ende": int(frame["ende_zu_ende"].sum()), "overdue": int(frame["overdue"].sum()),
    }


def _reifegrad_dist_template() -> str:
    return f"""
WITH s AS ({{state}})
SELECT k.ags, k.name, coalesce(CAST(s.reifegrad AS TEXT), 'keine Angabe') AS reifegrad, count(*) AS leistungen
FROM kommune k CROSS JOIN leistung l
LEFT JOIN s ON s.ags = k.ags AND s.ozg_id = l.ozg_id
WHERE {rules.active()} AND k.ags IN ({{members}}) AND {rules.relevant()}
GROUP BY k.ags, k.name, s.reifegrad
ORDER BY k.name, reifegrad
"""


def reifegrad_distribution(db: Database, as_of: dt.date | None = None, group: str | None = None) -> pd.DataFrame:
    """Count of relevant Leistungen per Kommune and Reifegrad ('keine Angabe' where none was reported)."""
    state, sparams = state_sql(as_of, group)
    members, mparams = members_sql(group)
    with db.connect() as conn:
        return conn.df(_reifegrad_dist_template().format(state=state, members=members), [*sparams, *mparams])


def coverage_change(db: Database, as_of: dt.date | None = None, group: str | None = None,
                    threshold: int = DEFAULT_ONLINE_THRESHOLD) -> pd.DataFrame:
    """coverage() plus `online_before` / `online_change`: Leistungen online now versus one month earlier."""
    day = as_of or clock.today()
    now = coverage(db, as_of, group, threshold)
    before = coverage(db, month_before(day), group, threshold)[["ags", "online"]]
    frame = now.merge(before.rename(columns={"online": "online_before"}), on="ags", how="left")
    frame["online_before"] = frame["online_before"].fillna(0).astype(int)
    frame["online_change"] = frame["online"] - frame["online_before"]
    return frame


def _reuse_template() -> str:
    return f"""
WITH {rules.RULE_CTE}, s AS ({{state}}),
cells AS (
    SELECT l.ozg_id, l.name AS leistung, l.themenfeld, k.name AS kommune, s.federfuehrung,
           {rules.online()} AS is_online, {rules.pending()} AS is_missing
    FROM kommune k CROSS JOIN leistung l CROSS JOIN rule
    LEFT JOIN s ON s.ags = k.ags AND s.ozg_id = l.ozg_id
    WHERE {rules.active()} AND k.ags IN ({{members}})
),
per AS (
    SELECT ozg_id, leistung, themenfeld,
           count(*) FILTER (WHERE is_online) AS online_count,
           count(*) FILTER (WHERE is_missing) AS missing_count,
           string_agg(kommune, ', ' ORDER BY kommune) FILTER (WHERE is_online) AS online_in,
           string_agg(kommune, ', ' ORDER BY kommune) FILTER (WHERE is_missing) AS missing_in,
           max(federfuehrung) AS federfuehrung
    FROM cells GROUP BY ozg_id, leistung, themenfeld
)
SELECT per.ozg_id, per.leistung, per.themenfeld, per.online_count, per.missing_count, per.online_in,
       per.missing_in, f.name AS federfuehrung_name
FROM per LEFT JOIN kommune f ON f.ags = per.federfuehrung
WHERE per.online_count > 0 AND per.missing_count > 0
ORDER BY per.online_count DESC, per.missing_count DESC, per.ozg_id
"""


def reuse_opportunities(db: Database, as_of: dt.date | None = None, group: str | None = None,
                        threshold: int = DEFAULT_ONLINE_THRESHOLD) -> pd.DataFrame:
    """Leistungen online in at least one Kommune of the group and missing (relevant, not online) in another."""
    state, sparams = state_sql(as_of, group)
    members, mparams = members_sql(group)
    with db.connect() as conn:
        return conn.df(_reuse_template().format(state=state, members=members),
                       [*rules.rule_params(threshold), *sparams, *mparams])
