"""History and freshness: progress over time, imports and their changes, when each Kommune last reported."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from ozg.auth import BatchRef
from ozg.db import Database
from ozg.domain import DEFAULT_ONLINE_THRESHOLD, STATUS_FIELDS
from ozg.queries import rules
from ozg.queries.state import members_sql


def _progress_template() -> str:
    return f"""
WITH {rules.RULE_CTE},
spans AS (
    SELECT h.ags, h.ozg_id, h.reifegrad, h.status, h.ende_zu_ende, h.valid_from,
           LEAD(h.valid_from) OVER (PARTITION BY h.ags, h.ozg_id ORDER BY h.valid_from, h.id) AS valid_to
    FROM status_history h JOIN leistung l ON l.ozg_id = h.ozg_id AND {rules.active()}
    WHERE h.ags IN ({{members}})  -- filter before the window: the group's history only, not the nation's
),
days AS (SELECT CAST(d AS DATE) AS day FROM unnest(CAST(? AS DATE[])) AS t(d))
SELECT days.day, k.ags, k.name,
       count(*) FILTER (WHERE {rules.online("spans")}) AS online,
       count(*) FILTER (WHERE {rules.online("spans")} AND spans.ende_zu_ende) AS ende_zu_ende
FROM days CROSS JOIN kommune k CROSS JOIN rule
LEFT JOIN spans ON spans.ags = k.ags AND spans.valid_from < days.day + 1
     AND (spans.valid_to IS NULL OR spans.valid_to >= days.day + 1)
WHERE k.ags IN ({{members}})
GROUP BY days.day, k.ags, k.name
ORDER BY days.day, k.name
"""


def month_ends(start: dt.date, end: dt.date) -> list[dt.date]:
    """Last day of each month from start's month to end's month (end itself for the running month)."""
    days, year, month = [], start.year, start.month
    while (year, month) <= (end.year, end.month):
        nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
        days.append(min(nxt - dt.timedelta(days=1), end))
        year, month = nxt.year, nxt.month
    return days


def progress(db: Database, days: list[dt.date], group: str | None = None,
             threshold: int = DEFAULT_ONLINE_THRESHOLD) -> pd.DataFrame:
    """Leistungen online (and Ende-zu-Ende) per Kommune at the end of each given day, from the history: the same
    rule as coverage() (relevant, active catalogue), so the last point of a series equals the tile of that day."""
    members, mparams = members_sql(group)
    with db.connect() as conn:
        return conn.df(_progress_template().format(members=members),
                       [*rules.rule_params(threshold), *mparams, days, *mparams])


def history_span(db: Database) -> tuple[dt.date | None, dt.date | None]:
    """First and last day with recorded status changes."""
    with db.connect() as conn:
        row = conn.execute("SELECT min(valid_from), max(valid_from) FROM status_history")[0]
    return (row[0].date() if row[0] else None, row[1].date() if row[1] else None)


_LAST_REPORT = """
SELECT k.ags, k.name, max(b.created_at) AS last_report
FROM kommune k LEFT JOIN import_batch b ON b.ags = k.ags AND b.kind IN ('status', 'edit', 'sample', 'revert')
     {until}
WHERE k.ags IN ({members})
GROUP BY k.ags, k.name ORDER BY k.name
"""


def last_reports(db: Database, as_of: dt.date | None = None, group: str | None = None) -> pd.DataFrame:
    """Data freshness: when each Kommune last reported (import, edit or revert), as it was at the end of `as_of`
    (None: now)."""
    members, mparams = members_sql(group)
    until, uparams = "", []
    if as_of is not None:
        until, uparams = "AND b.created_at < ?", [dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time())]
    with db.connect() as conn:
        return conn.df(_LAST_REPORT.format(until=until, members=members), [*uparams, *mparams])


# The name the reports and pages used before last_reports took `as_of`.


def batches(db: Database, ags: str | None = None, limit: int = 500) -> pd.DataFrame:
    """Import records, newest first."""
    where, params = ("WHERE b.ags = ?", [ags]) if ags else ("", [])
    sql = (f"SELECT b.id, b.kind, b.created_at, b.user_name, b.ags, k.name AS kommune, b.file_name, b.sha256, "
           f"b.rows_read, b.rows_changed, b.rows_rejected, b.reverts_batch, b.reverted_by, b.note "
           f"FROM import_batch b LEFT JOIN kommune k ON k.ags = b.ags {where} ORDER BY b.id DESC LIMIT ?")
    with db.connect() as conn:
        return conn.df(sql, [*params, limit])


def batch_ref(db: Database, batch_id: int) -> BatchRef | None:
    """The facts about one import that the revert check needs; None if there is no such import."""
    with db.connect() as conn:
        rows = conn.execute("SELECT id, kind, ags, user_name, reverted_by FROM import_batch WHERE id = ?",
                            [batch_id])
    if not rows:
        return None
    bid, kind, ags, user_name, reverted_by = rows[0]
    return BatchRef(int(bid), kind, ags, user_name, int(reverted_by) if reverted_by is not None else None)


def batch_changes(db: Database, batch_id: int) -> pd.DataFrame:
    """Field-level changes of one import (old -> new as text)."""
    sql = ("SELECT c.ozg_id, l.name AS leistung, c.field, c.old_value, c.new_value FROM status_change c "
           "LEFT JOIN leistung l ON l.ozg_id = c.ozg_id WHERE c.batch_id = ? ORDER BY c.ozg_id, c.field")
    with db.connect() as conn:
        return conn.df(sql, [batch_id])


def leistung_history(db: Database, ozg_id: str, ags: str | None = None) -> pd.DataFrame:
    """Every recorded state of one Leistung (in one or all Kommunen), oldest first, with who and which import."""
    where, params = ("AND h.ags = ?", [ags]) if ags else ("", [])
    sql = (f"SELECT h.valid_from, h.ags, k.name AS kommune, {', '.join('h.' + f for f in STATUS_FIELDS)}, "
           f"h.batch_id, b.kind, b.user_name, b.file_name FROM status_history h "
           f"JOIN kommune k ON k.ags = h.ags JOIN import_batch b ON b.id = h.batch_id "
           f"WHERE h.ozg_id = ? {where} ORDER BY h.valid_from, h.id")
    with db.connect() as conn:
        return conn.df(sql, [ozg_id, *params])


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day `months` months earlier, clamped to that month's end: 31.08. -> 28.02. (6) -> 31.08. (12).
    Counted in one step: stepping one month at a time would stay clamped (31.08. -> ... 28.02. -> ... 28.08.)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    last = (dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month, min(day.day, last))


def month_before(day: dt.date) -> dt.date:
    """The same day one month earlier (clamped to the month's end): 31.03. -> 28./29.02."""
    return months_before(day, 1)
