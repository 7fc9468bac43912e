"""Bund-Abgleich, read side: the snapshot in force on a day and where a Kommune's own status and the Bund's differ.

„Kommune online“ is the counting rule in force (Reifegrad ≥ threshold, relevant, active Leistung); „Bund online“:
some record of the snapshot that applies to the Kommune (its AGS, its Kreis or Land when flächendeckend, or
bundesweit; ozg/bund.py) has online_status 'ok' and aktiv 'ja'. The snapshot in force on a day is the latest one
whose Stand is on or before that day (ties: the later import).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from ozg import clock
from ozg.db import Database
from ozg.domain import DEFAULT_ONLINE_THRESHOLD
from ozg.queries import rules
from ozg.queries.state import members_sql as _members_sql
from ozg.queries.state import state_sql as _state_sql

_SNAPSHOTS = ("SELECT id, stand, file_name, sha256, user_name, created_at, records, unknown_ozg_ids "
              "FROM bund_snapshot ORDER BY stand DESC, id DESC")
_IN_FORCE = "SELECT id FROM bund_snapshot WHERE stand <= ? ORDER BY stand DESC, id DESC LIMIT 1"


def bund_snapshots(db: Database) -> pd.DataFrame:
    """Every imported snapshot of the federal data, newest Stand first."""
    with db.connect() as conn:
        return conn.df(_SNAPSHOTS)


def bund_snapshot(db: Database, as_of: dt.date | None = None) -> dict | None:
    """The snapshot in force at the end of `as_of` (None: today) as a dict, or None if there is none yet."""
    frame = bund_snapshots(db)
    day = pd.Timestamp(as_of or clock.today())
    frame = frame[pd.to_datetime(frame["stand"]) <= day]
    return None if frame.empty else frame.iloc[0].to_dict()


# The records that apply to each selected Kommune: its AGS, its Kreis (5), its Land (2) or everywhere ('').
_MATCHED = """
k AS (SELECT ags, name FROM kommune WHERE ags IN ({members}) {extra}),
matched AS (
    SELECT k.ags, r.ozg_id, r.status_ok, r.aktiv, r.url, r.area, r.record_no
    FROM bund_record r JOIN k ON r.area IN (k.ags, substr(k.ags, 1, 5), substr(k.ags, 1, 2), '')
    WHERE r.snapshot_id = ({in_force})
),
b AS (
    SELECT ags, ozg_id, bool_or(status_ok AND aktiv) AS online, bool_or(status_ok) AS any_ok
    FROM matched GROUP BY ags, ozg_id
),
u AS (  -- the Bund's link: from an online record first, the most specific area first
    SELECT ags, ozg_id, url FROM (
        SELECT ags, ozg_id, url, ROW_NUMBER() OVER (
            PARTITION BY ags, ozg_id ORDER BY (status_ok AND aktiv) DESC, length(area) DESC, record_no) AS rn
        FROM matched WHERE url IS NOT NULL AND url <> ''
    ) ranked WHERE rn = 1
),
joined AS (
    SELECT k.ags, k.name AS kommune, l.ozg_id, l.name AS leistung, l.themenfeld,
           {city_online} AS kommune_online, coalesce(b.online, FALSE) AS bund_online,
           s.link AS link_kommune, u.url AS link_bund, s.status, s.reifegrad,
           CASE WHEN b.ozg_id IS NULL THEN 'nicht gelistet' WHEN b.online THEN 'online'
                WHEN NOT b.any_ok THEN 'nicht ok' ELSE 'nicht aktiv' END AS bund_state
    FROM k CROSS JOIN leistung l CROSS JOIN rule
    LEFT JOIN ({state}) s ON s.ags = k.ags AND s.ozg_id = l.ozg_id
    LEFT JOIN b ON b.ags = k.ags AND b.ozg_id = l.ozg_id
    LEFT JOIN u ON u.ags = k.ags AND u.ozg_id = l.ozg_id
    WHERE {active}
)
"""
_COMPARISON = "WITH " + rules.RULE_CTE + "," + _MATCHED + """
SELECT * FROM joined WHERE kommune_online <> bund_online
ORDER BY kommune, bund_online, ozg_id
"""
_SUGGESTIONS = "WITH " + rules.RULE_CTE + "," + _MATCHED + """
SELECT ags, kommune, ozg_id, leistung, themenfeld, link_bund, bund_state FROM joined
WHERE (link_kommune IS NULL OR link_kommune = '') AND link_bund IS NOT NULL AND bund_online
ORDER BY kommune, ozg_id
"""


def _frame(db: Database, sql: str, as_of: dt.date | None, group: str | None, ags: list[str] | None,
           threshold: int) -> pd.DataFrame:
    members, mparams = _members_sql(group)
    extra, eparams = "", []
    if ags:
        extra = f"AND ags IN ({', '.join('?' * len(ags))})"
        eparams = list(ags)
    state, sparams = _state_sql(as_of, group)
    # city_online: the counting rule, the same as every count in the cockpit
    sql = sql.format(members=members, extra=extra, in_force=_IN_FORCE, city_online=rules.online("s"), state=state,
                     active=rules.active("l"))
    params = [*rules.rule_params(threshold), *mparams, *eparams, as_of or clock.today(), *sparams]
    with db.connect() as conn:
        return conn.df(sql, params)


def bund_comparison(db: Database, as_of: dt.date | None = None, group: str | None = None,
                    ags: list[str] | None = None, threshold: int = DEFAULT_ONLINE_THRESHOLD) -> pd.DataFrame:
    """One row per Kommune × active Leistung where the Kommune's and the Bund's „online“ differ (see module)."""
    return _frame(db, _COMPARISON, as_of, group, ags, threshold)


def bund_link_suggestions(db: Database, as_of: dt.date | None = None, group: str | None = None,
                          ags: list[str] | None = None,
                          threshold: int = DEFAULT_ONLINE_THRESHOLD) -> pd.DataFrame:
    """Leistungen online beim Bund with a Bund URL where the Kommune's own Link is empty (template suggestions)."""
    return _frame(db, _SUGGESTIONS, as_of, group, ags, threshold)
