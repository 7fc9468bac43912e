"""Read side of the link check (migration 0008): which Links to check, their latest verdict, broken Links.

A verdict belongs to the Link it was made for: when a coordinator changes a Link, the old verdict no longer
applies and the new Link counts as unchecked (shown with its link) until the next check.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from ozg.db import Database

_TARGETS = """
SELECT s.ags, k.name AS kommune, s.ozg_id, l.name AS leistung, s.link AS url
FROM status_current s JOIN kommune k ON k.ags = s.ags JOIN leistung l ON l.ozg_id = s.ozg_id AND NOT l.retired
WHERE s.link IS NOT NULL AND trim(s.link) <> '' {where}
ORDER BY k.name, s.ozg_id
"""


def targets(db: Database, ags: str | None = None) -> pd.DataFrame:
    """Every non-empty current Link (of one Kommune or all): ags, kommune, ozg_id, leistung, url."""
    where, params = ("AND s.ags = ?", [ags]) if ags else ("", [])
    with db.connect() as conn:
        return conn.df(_TARGETS.format(where=where), params)


_LATEST = """
SELECT ags, ozg_id, url, checked_at, http_status, error, final_url, ok FROM (
    SELECT c.*, ROW_NUMBER() OVER (PARTITION BY ags, ozg_id ORDER BY checked_at DESC, run_id DESC) AS rn
    FROM link_check c WHERE checked_at < ? {where}
) latest WHERE rn = 1
"""


def _cutoff(as_of: dt.date | None) -> dt.datetime:
    day = as_of or dt.date.max - dt.timedelta(days=1)
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time())


def latest_checks(db: Database, ags: str | None = None, as_of: dt.date | None = None) -> pd.DataFrame:
    """The newest check per Kommune × Leistung (made by the end of `as_of`, else the newest of all)."""
    where, params = ("AND ags = ?", [ags]) if ags else ("", [])
    with db.connect() as conn:
        return conn.df(_LATEST.format(where=where), [_cutoff(as_of), *params])


_BROKEN = """
WITH latest AS ({latest})
SELECT s.ags, k.name AS kommune, s.ozg_id, l.name AS leistung, s.link AS url, c.http_status, c.error,
       c.final_url, c.checked_at
FROM status_current s JOIN latest c ON c.ags = s.ags AND c.ozg_id = s.ozg_id AND c.url = s.link
JOIN kommune k ON k.ags = s.ags JOIN leistung l ON l.ozg_id = s.ozg_id AND NOT l.retired
WHERE NOT c.ok {where}
ORDER BY k.name, s.ozg_id
"""


def broken(db: Database, ags: str | None = None) -> pd.DataFrame:
    """Current Links whose latest check failed: ags, kommune, ozg_id, leistung, url, http_status, error, …"""
    where, params = ("AND s.ags = ?", [ags]) if ags else ("", [])
    sql = _BROKEN.format(latest=_LATEST.format(where=""), where=where)
    with db.connect() as conn:
        return conn.df(sql, [_cutoff(None), *params])


def last_run(db: Database) -> dict | None:
    """The newest link-check run (id, started_at, finished_at, ags, checked, broken), or None."""
    with db.connect() as conn:
        rows = conn.execute("SELECT id, started_at, finished_at, ags, checked, broken FROM link_check_run "
                            "ORDER BY id DESC LIMIT 1")
    if not rows:
        return None
    return dict(zip(("id", "started_at", "finished_at", "ags", "checked", "broken"), rows[0]))


def history(db: Database, ags: str, ozg_id: str) -> pd.DataFrame:
    """Every check of one Kommune × Leistung, newest first."""
    sql = ("SELECT checked_at, url, http_status, error, final_url, ok FROM link_check "
           "WHERE ags = ? AND ozg_id = ? ORDER BY checked_at DESC, run_id DESC")
    with db.connect() as conn:
        return conn.df(sql, [ags, ozg_id])
