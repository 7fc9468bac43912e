"""Every read query of the project, defined once; pages and reports call these and never write SQL.

All functions take a Database and return pandas DataFrames with snake_case columns. `as_of` (a date) reads the
state at the end of that day from the append-only history; None reads the current state.
The counting rule: a Leistung is online when its Reifegrad >= `threshold` (default 3, model 1.1).
Denominator of shares: active catalogue Leistungen minus those a Kommune marked "nicht relevant".
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from ozg import clock
from ozg.db import Database
from ozg.domain import DEFAULT_ONLINE_THRESHOLD, STATUS_FIELDS

_FIELDS = ", ".join(STATUS_FIELDS)

# The state of every (ags, ozg_id) that has one: current table, or the latest history row before a moment.
_CURRENT_STATE = f"SELECT ags, ozg_id, {_FIELDS}, batch_id, changed_at FROM status_current"
_STATE_AS_OF = f"""
SELECT ags, ozg_id, {_FIELDS}, batch_id, valid_from AS changed_at FROM (
    SELECT h.*, ROW_NUMBER() OVER (PARTITION BY ags, ozg_id ORDER BY valid_from DESC, id DESC) AS rn
    FROM status_history h WHERE valid_from < ? {{members}}
) latest WHERE rn = 1
"""


def _state(as_of: dt.date | None, group: str | None = None) -> tuple[str, list]:
    """SQL of the state table and its parameters; for a past day only the group's history is windowed."""
    if as_of is None:
        return _CURRENT_STATE, []
    cutoff = dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time())
    if group is None:
        return _STATE_AS_OF.format(members=""), [cutoff]
    members, mparams = _members(group)
    return _STATE_AS_OF.format(members=f"AND ags IN ({members})"), [cutoff, *mparams]


def _members(group: str | None) -> tuple[str, list]:
    if group is None:
        return "SELECT ags FROM kommune", []
    return "SELECT ags FROM kommune_group WHERE group_name = ?", [group]


def meta(db: Database, key: str) -> str | None:
    with db.connect() as conn:
        return conn.one("SELECT value FROM meta WHERE key = ?", [key])


def is_sample(db: Database) -> bool:
    """True when the database holds the invented sample status (the app shows a banner)."""
    return meta(db, "sample_data") == "ja"


def kommunen(db: Database, group: str | None = None) -> pd.DataFrame:
    """Kommunen (of a group, or all), ordered by name."""
    members, params = _members(group)
    sql = (f"SELECT ags, ars, name, official_name, state, kreis, population, portal_url FROM kommune "
           f"WHERE ags IN ({members}) ORDER BY name")
    with db.connect() as conn:
        return conn.df(sql, params)


def groups(db: Database) -> list[str]:
    with db.connect() as conn:
        return [r[0] for r in conn.execute("SELECT DISTINCT group_name FROM kommune_group ORDER BY 1")]


def leistungen(db: Database, include_retired: bool = False) -> pd.DataFrame:
    """The catalogue with the number of LeiKa entries per Leistung."""
    sql = ("SELECT l.ozg_id, l.name, l.themenfeld, l.lage, l.lage_kind, l.typ, l.programm, l.efa, l.retired, "
           "(SELECT count(*) FROM leika k WHERE k.ozg_id = l.ozg_id) AS leika_count FROM leistung l "
           + ("" if include_retired else "WHERE NOT l.retired ") + "ORDER BY l.ozg_id")
    with db.connect() as conn:
        return conn.df(sql, [])


_STATUS_TABLE = """
SELECT k.ags, k.name AS kommune, l.ozg_id, l.name AS leistung, l.themenfeld, l.lage, l.typ, l.efa,
       s.reifegrad, s.reifegrad_model, s.status, s.geplant_bis, s.online_seit, s.ende_zu_ende,
       s.bescheid_digital, s.federfuehrung, f.name AS federfuehrung_name, s.plattform, s.link, s.bemerkung,
       s.batch_id, s.changed_at
FROM kommune k CROSS JOIN leistung l
LEFT JOIN ({state}) s ON s.ags = k.ags AND s.ozg_id = l.ozg_id
LEFT JOIN kommune f ON f.ags = s.federfuehrung
WHERE NOT l.retired AND k.ags IN ({members}) {extra}
ORDER BY k.name, l.ozg_id
"""


def status_table(db: Database, as_of: dt.date | None = None, group: str | None = None,
                 ags: list[str] | None = None) -> pd.DataFrame:
    """One row per Kommune × active Leistung with its status (NULLs where nothing was reported)."""
    state, sparams = _state(as_of, group)
    members, mparams = _members(group)
    extra, eparams = "", []
    if ags:
        extra = f"AND k.ags IN ({', '.join('?' * len(ags))})"
        eparams = list(ags)
    sql = _STATUS_TABLE.format(state=state, members=members, extra=extra)
    with db.connect() as conn:
        return conn.df(sql, [*sparams, *mparams, *eparams])


_COVERAGE = """
WITH s AS ({state}),
active AS (SELECT count(*) AS n FROM leistung WHERE NOT retired),
per AS (
    SELECT s.ags,
           count(*) FILTER (WHERE s.reifegrad >= ? AND s.status IS DISTINCT FROM 'nicht relevant') AS online,
           count(*) FILTER (WHERE s.ende_zu_ende AND s.reifegrad >= ?) AS ende_zu_ende,
           count(*) FILTER (WHERE s.bescheid_digital AND s.reifegrad >= ?) AS bescheid_digital,
           count(*) FILTER (WHERE s.status = 'nicht relevant') AS nicht_relevant,
           count(*) FILTER (WHERE (s.reifegrad IS NULL OR s.reifegrad < ?) AND s.geplant_bis < ?
                            AND s.status IS DISTINCT FROM 'nicht relevant') AS overdue,
           count(*) FILTER (WHERE s.federfuehrung = s.ags) AS federfuehrung,
           max(s.changed_at) AS last_change
    FROM s JOIN leistung l ON l.ozg_id = s.ozg_id AND NOT l.retired
    GROUP BY s.ags
)
SELECT k.ags, k.name, k.population, active.n AS catalogue,
       active.n - coalesce(per.nicht_relevant, 0) AS relevant,
       coalesce(per.online, 0) AS online, coalesce(per.ende_zu_ende, 0) AS ende_zu_ende,
       coalesce(per.bescheid_digital, 0) AS bescheid_digital, coalesce(per.overdue, 0) AS overdue,
       coalesce(per.federfuehrung, 0) AS federfuehrung, per.last_change
FROM kommune k CROSS JOIN active LEFT JOIN per ON per.ags = k.ags
WHERE k.ags IN ({members})
ORDER BY k.name
"""


def coverage(db: Database, as_of: dt.date | None = None, group: str | None = None,
             threshold: int = DEFAULT_ONLINE_THRESHOLD) -> pd.DataFrame:
    """Per Kommune: Leistungen online (counting rule), share of relevant catalogue, Ende-zu-Ende, overdue."""
    state, sparams = _state(as_of, group)
    members, mparams = _members(group)
    day = as_of or clock.today()
    sql = _COVERAGE.format(state=state, members=members)
    with db.connect() as conn:
        frame = conn.df(sql, [*sparams, threshold, threshold, threshold, threshold, day, *mparams])
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


_REIFEGRAD_DIST = """
WITH s AS ({state})
SELECT k.ags, k.name, coalesce(CAST(s.reifegrad AS TEXT), 'keine Angabe') AS reifegrad, count(*) AS leistungen
FROM kommune k CROSS JOIN leistung l
LEFT JOIN s ON s.ags = k.ags AND s.ozg_id = l.ozg_id
WHERE NOT l.retired AND k.ags IN ({members}) AND s.status IS DISTINCT FROM 'nicht relevant'
GROUP BY k.ags, k.name, s.reifegrad
ORDER BY k.name, reifegrad
"""


def reifegrad_distribution(db: Database, as_of: dt.date | None = None, group: str | None = None) -> pd.DataFrame:
    """Count of relevant Leistungen per Kommune and Reifegrad ('keine Angabe' where none was reported)."""
    state, sparams = _state(as_of, group)
    members, mparams = _members(group)
    with db.connect() as conn:
        return conn.df(_REIFEGRAD_DIST.format(state=state, members=members), [*sparams, *mparams])


_OVERDUE = """
WITH s AS ({state})
SELECT k.ags, k.name AS kommune, l.ozg_id, l.name AS leistung, l.themenfeld, s.reifegrad, s.status,
       s.geplant_bis, CAST(? AS DATE) - s.geplant_bis AS days_late, f.name AS federfuehrung_name
FROM s JOIN kommune k ON k.ags = s.ags JOIN leistung l ON l.ozg_id = s.ozg_id AND NOT l.retired
LEFT JOIN kommune f ON f.ags = s.federfuehrung
WHERE (s.reifegrad IS NULL OR s.reifegrad < ?) AND s.geplant_bis < ?
  AND s.status IS DISTINCT FROM 'nicht relevant' AND k.ags IN ({members})
ORDER BY s.geplant_bis, k.name, l.ozg_id
"""


def overdue(db: Database, as_of: dt.date | None = None, group: str | None = None,
            threshold: int = DEFAULT_ONLINE_THRESHOLD) -> pd.DataFrame:
    """Leistungen whose planned go-live ('Geplant bis') has passed without reaching the counting rule."""
    state, sparams = _state(as_of, group)
    members, mparams = _members(group)
    day = as_of or clock.today()
    with db.connect() as conn:
        return conn.df(_OVERDUE.format(state=state, members=members), [*sparams, day, threshold, day, *mparams])


_PLANNED = """
WITH s AS ({state})
SELECT k.ags, k.name AS kommune, l.ozg_id, l.name AS leistung, l.themenfeld, s.status, s.reifegrad, s.geplant_bis
FROM s JOIN kommune k ON k.ags = s.ags JOIN leistung l ON l.ozg_id = s.ozg_id AND NOT l.retired
WHERE (s.reifegrad IS NULL OR s.reifegrad < ?) AND s.geplant_bis >= ? AND k.ags IN ({members})
ORDER BY s.geplant_bis, k.name, l.ozg_id
"""


def planned(db: Database, as_of: dt.date | None = None, group: str | None = None,
            threshold: int = DEFAULT_ONLINE_THRESHOLD) -> pd.DataFrame:
    """Leistungen not yet online with a planned go-live on or after the day."""
    state, sparams = _state(as_of, group)
    members, mparams = _members(group)
    day = as_of or clock.today()
    with db.connect() as conn:
        return conn.df(_PLANNED.format(state=state, members=members), [*sparams, threshold, day, *mparams])


_PROGRESS = """
WITH spans AS (
    SELECT ags, ozg_id, reifegrad, ende_zu_ende, valid_from,
           LEAD(valid_from) OVER (PARTITION BY ags, ozg_id ORDER BY valid_from, id) AS valid_to
    FROM status_history
    WHERE ags IN ({members})  -- filter before the window: the group's history only, not the nation's
),
days AS (SELECT CAST(d AS DATE) AS day FROM unnest(CAST(? AS DATE[])) AS t(d))
SELECT days.day, k.ags, k.name,
       count(*) FILTER (WHERE spans.reifegrad >= ?) AS online,
       count(*) FILTER (WHERE spans.reifegrad >= ? AND spans.ende_zu_ende) AS ende_zu_ende
FROM days CROSS JOIN kommune k
LEFT JOIN spans ON spans.ags = k.ags AND spans.valid_from < days.day + 1
     AND (spans.valid_to IS NULL OR spans.valid_to >= days.day + 1)
WHERE k.ags IN ({members})
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
    """Leistungen online (and Ende-zu-Ende) per Kommune at the end of each given day, from the history."""
    members, mparams = _members(group)
    with db.connect() as conn:
        return conn.df(_PROGRESS.format(members=members), [*mparams, days, threshold, threshold, *mparams])


def history_span(db: Database) -> tuple[dt.date | None, dt.date | None]:
    """First and last day with recorded status changes."""
    with db.connect() as conn:
        row = conn.execute("SELECT min(valid_from), max(valid_from) FROM status_history")[0]
    return (row[0].date() if row[0] else None, row[1].date() if row[1] else None)


_LAST_REPORT = """
SELECT k.ags, k.name, max(b.created_at) AS last_report
FROM kommune k LEFT JOIN import_batch b ON b.ags = k.ags AND b.kind IN ('status', 'edit', 'sample', 'revert')
WHERE k.ags IN ({members})
GROUP BY k.ags, k.name ORDER BY k.name
"""


def last_reports(db: Database, group: str | None = None) -> pd.DataFrame:
    """Data freshness: when each Kommune last reported (import, edit or revert)."""
    members, mparams = _members(group)
    with db.connect() as conn:
        return conn.df(_LAST_REPORT.format(members=members), mparams)


def batches(db: Database, ags: str | None = None, limit: int = 500) -> pd.DataFrame:
    """Import records, newest first."""
    where, params = ("WHERE b.ags = ?", [ags]) if ags else ("", [])
    sql = (f"SELECT b.id, b.kind, b.created_at, b.user_name, b.ags, k.name AS kommune, b.file_name, b.sha256, "
           f"b.rows_read, b.rows_changed, b.rows_rejected, b.reverts_batch, b.reverted_by, b.note "
           f"FROM import_batch b LEFT JOIN kommune k ON k.ags = b.ags {where} ORDER BY b.id DESC LIMIT ?")
    with db.connect() as conn:
        return conn.df(sql, [*params, limit])


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


def deadlines(db: Database) -> pd.DataFrame:
    with db.connect() as conn:
        return conn.df("SELECT id, title, due, kind, applies_to, source FROM deadline ORDER BY due, id", [])


# --- Ministry reports (reports/) ----------------------------------------------------------------------------------

_LAST_REPORT_UNTIL = """
SELECT k.ags, k.name, max(b.created_at) AS last_report
FROM kommune k LEFT JOIN import_batch b ON b.ags = k.ags AND b.kind IN ('status', 'edit', 'sample', 'revert')
     AND b.created_at < ?
WHERE k.ags IN ({members})
GROUP BY k.ags, k.name ORDER BY k.name
"""


def last_reports_as_of(db: Database, as_of: dt.date | None = None, group: str | None = None) -> pd.DataFrame:
    """Data freshness as it was at the end of `as_of` (None: now, same as last_reports)."""
    if as_of is None:
        return last_reports(db, group)
    members, mparams = _members(group)
    until = dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time())
    with db.connect() as conn:
        return conn.df(_LAST_REPORT_UNTIL.format(members=members), [until, *mparams])


# --- Dashboard (dashboard/app_pages: Übersicht, Abdeckung, Fristen, Kommune, Leistung) ------------------------------
# Everything below aggregates in SQL (GROUP BY) or filters to one Kommune / one Leistung first, so the pages stay
# fast when the database holds every Gemeinde (6 M status rows), not only the five cities.

def month_before(day: dt.date) -> dt.date:
    """The same day one month earlier (clamped to the month's end): 31.03. -> 28./29.02."""
    year, month = (day.year - 1, 12) if day.month == 1 else (day.year, day.month - 1)
    last = (dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month, min(day.day, last))


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


# Leistung filters of the coverage matrix: fixed SQL fragments, values always bound.
_MATRIX_FILTERS = {
    "themenfeld": "l.themenfeld IN ({marks})",
    "lage": "l.lage IN ({marks})",
    # Typ holds the LeiKa types joined by '|' (e.g. '2/3|4'): match whole parts.
    "typ": "({likes})",
    "federfuehrung": "l.ozg_id IN (SELECT ozg_id FROM s WHERE federfuehrung IN ({marks}))",
    "status": "l.ozg_id IN (SELECT ozg_id FROM s WHERE status IN ({marks}) AND ags IN ({members}))",
}
_MATRIX = """
WITH s AS ({state})
SELECT l.ozg_id, l.name AS leistung, l.themenfeld, l.lage, l.typ, l.efa, k.ags, k.name AS kommune,
       s.reifegrad, s.reifegrad_model, s.status, s.ende_zu_ende, s.geplant_bis, s.online_seit,
       s.federfuehrung, f.name AS federfuehrung_name
FROM kommune k CROSS JOIN leistung l
LEFT JOIN s ON s.ags = k.ags AND s.ozg_id = l.ozg_id
LEFT JOIN kommune f ON f.ags = s.federfuehrung
WHERE NOT l.retired AND k.ags IN ({members}) {where}
ORDER BY l.ozg_id, k.name
"""


def _like_pattern(text: str) -> str:
    """A LIKE pattern that finds `text` literally (with ESCAPE '!')."""
    return "%" + text.replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%"


def coverage_matrix(db: Database, as_of: dt.date | None = None, group: str | None = None,
                    themenfeld: tuple[str, ...] = (), lage: tuple[str, ...] = (), typ: tuple[str, ...] = (),
                    efa: str | None = None, federfuehrung: tuple[str, ...] = (), status: tuple[str, ...] = (),
                    search: str = "") -> pd.DataFrame:
    """Long table Leistung × Kommune (of a group) with Reifegrad and Status, filtered on the Leistung.

    status / federfuehrung keep a Leistung when at least one Kommune of the group has that Status / lead city.
    efa: 'ja', 'nein' or 'unbekannt'. search: part of the name or the OZG-ID (case-insensitive).
    """
    state, sparams = _state(as_of, group)
    members, mparams = _members(group)
    clauses, params = [], []
    for key, values in (("themenfeld", themenfeld), ("lage", lage), ("federfuehrung", federfuehrung)):
        if values:
            clauses.append(_MATRIX_FILTERS[key].format(marks=", ".join("?" * len(values))))
            params += list(values)
    if typ:
        clauses.append(_MATRIX_FILTERS["typ"].format(
            likes=" OR ".join(["('|' || coalesce(l.typ, '') || '|') LIKE ? ESCAPE '!'"] * len(typ))))
        params += [_like_pattern(f"|{t}|") for t in typ]
    if status:
        clauses.append(_MATRIX_FILTERS["status"].format(marks=", ".join("?" * len(status)), members=members))
        params += [*status, *mparams]
    if efa in ("ja", "nein"):
        clauses.append("l.efa = ?")
        params.append(efa == "ja")
    elif efa == "unbekannt":
        clauses.append("l.efa IS NULL")
    if search.strip():
        clauses.append("(lower(l.name) LIKE ? ESCAPE '!' OR l.ozg_id = ?)")
        params += [_like_pattern(search.strip().lower()), search.strip()]
    where = "".join(f" AND {c}" for c in clauses)
    sql = _MATRIX.format(state=state, members=members, where=where)
    with db.connect() as conn:
        return conn.df(sql, [*sparams, *mparams, *params])


_REUSE = """
WITH s AS ({state}),
cells AS (
    SELECT l.ozg_id, l.name AS leistung, l.themenfeld, k.name AS kommune, s.federfuehrung,
           coalesce(s.reifegrad >= ?, FALSE) AS is_online,
           s.status IS DISTINCT FROM 'nicht relevant' AS is_relevant
    FROM kommune k CROSS JOIN leistung l
    LEFT JOIN s ON s.ags = k.ags AND s.ozg_id = l.ozg_id
    WHERE NOT l.retired AND k.ags IN ({members})
),
per AS (
    SELECT ozg_id, leistung, themenfeld,
           count(*) FILTER (WHERE is_online) AS online_count,
           count(*) FILTER (WHERE is_relevant AND NOT is_online) AS missing_count,
           string_agg(kommune, ', ' ORDER BY kommune) FILTER (WHERE is_online) AS online_in,
           string_agg(kommune, ', ' ORDER BY kommune) FILTER (WHERE is_relevant AND NOT is_online) AS missing_in,
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
    state, sparams = _state(as_of, group)
    members, mparams = _members(group)
    with db.connect() as conn:
        return conn.df(_REUSE.format(state=state, members=members), [*sparams, threshold, *mparams])


_LEISTUNG_STATUS = """
WITH s AS ({state})
SELECT k.ags, k.name AS kommune, s.reifegrad, s.reifegrad_model, s.status, s.geplant_bis, s.online_seit,
       s.ende_zu_ende, s.bescheid_digital, f.name AS federfuehrung_name, s.plattform, s.link, s.bemerkung,
       s.changed_at
FROM kommune k LEFT JOIN s ON s.ags = k.ags AND s.ozg_id = ?
LEFT JOIN kommune f ON f.ags = s.federfuehrung
WHERE k.ags IN ({members})
ORDER BY k.name
"""


def leistung_status(db: Database, ozg_id: str, as_of: dt.date | None = None,
                    group: str | None = None) -> pd.DataFrame:
    """One Leistung's status in every Kommune of the group (NULLs where nothing was reported)."""
    state, sparams = _state(as_of, group)
    members, mparams = _members(group)
    with db.connect() as conn:
        return conn.df(_LEISTUNG_STATUS.format(state=state, members=members), [*sparams, ozg_id, *mparams])


def leistung_info(db: Database, ozg_id: str) -> pd.DataFrame:
    """The catalogue entry of one Leistung (empty frame when unknown)."""
    sql = ("SELECT ozg_id, name, themenfeld, lage, lage_kind, typ, programm, efa, retired, "
           "(SELECT count(*) FROM leika k WHERE k.ozg_id = l.ozg_id) AS leika_count FROM leistung l "
           "WHERE l.ozg_id = ?")
    with db.connect() as conn:
        return conn.df(sql, [ozg_id])


def matrix_options(db: Database) -> dict[str, list[str]]:
    """Distinct filter values of the catalogue: Themenfelder, Lagen and single LeiKa types."""
    with db.connect() as conn:
        themen = [r[0] for r in conn.execute(
            "SELECT DISTINCT themenfeld FROM leistung WHERE NOT retired AND themenfeld IS NOT NULL ORDER BY 1")]
        lagen = [r[0] for r in conn.execute(
            "SELECT DISTINCT lage FROM leistung WHERE NOT retired AND lage IS NOT NULL ORDER BY 1")]
        typs = [r[0] for r in conn.execute(
            "SELECT DISTINCT typ FROM leistung WHERE NOT retired AND typ IS NOT NULL ORDER BY 1")]
    single = sorted({part for value in typs for part in value.split("|") if part})
    return {"themenfeld": themen, "lage": lagen, "typ": single}


def forecast(db: Database, as_of: dt.date | None = None, group: str | None = None,
             threshold: int = DEFAULT_ONLINE_THRESHOLD, window_months: int = 12) -> pd.DataFrame:
    """Per Kommune: pace of go-lives over the last `window_months` and the day full coverage is reached.

    Assumption (stated on the page): the Kommune keeps going live at the same average rate per month (linear).
    `reaches` is None when the pace is zero or negative; `months_needed` is 0 when everything relevant is online.
    """
    day = as_of or clock.today()
    start = day
    for _ in range(window_months):
        start = month_before(start)
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


# --- Scale: Land → Kreis → Gemeinde drill-down and national KPIs (bench helper; migration 0005) -----------------
# AGS digits 1-2 = Land, 1-5 = Kreis (3 = Regierungsbezirk), 1-8 = Gemeinde. The current state is counted from
# status_summary (per-Kommune aggregates maintained on write, see ozg/summary.py); as_of, or a catalogue change
# since the summary was built, counts the same columns from the full state instead (exact, slower).

REGION_LEVELS: dict[str, int] = {"bund": 0, "land": 2, "kreis": 5, "gemeinde": 8}
_REGION_NAME = {"bund": "'Deutschland'", "land": "min(k.state)", "kreis": "min(k.kreis)", "gemeinde": "min(k.name)"}

# The state in summary shape: one row per status row, n = 1 (used for as_of and as the exact fallback).
_SUMMARY_SHAPED = """
SELECT s.ags, s.reifegrad, coalesce(s.status = 'nicht relevant', FALSE) AS nicht_relevant,
       coalesce(s.ende_zu_ende, FALSE) AS ende_zu_ende, coalesce(s.bescheid_digital, FALSE) AS bescheid_digital,
       coalesce(s.federfuehrung = s.ags, FALSE) AS own_lead, s.geplant_bis, 1 AS n, s.changed_at AS last_change
FROM ({state}) s JOIN leistung l ON l.ozg_id = s.ozg_id AND NOT l.retired
"""

_REGION_COVERAGE = """
WITH members AS (SELECT ags FROM kommune WHERE ags LIKE ? {in_group}),
active AS (SELECT count(*) AS n FROM leistung WHERE NOT retired),
per AS (
    SELECT substr(s.{key}, 1, {digits}) AS region,
           CAST(sum(s.n) FILTER (WHERE s.reifegrad >= ? AND NOT s.nicht_relevant) AS BIGINT) AS online,
           CAST(sum(s.n) FILTER (WHERE s.ende_zu_ende AND s.reifegrad >= ?) AS BIGINT) AS ende_zu_ende,
           CAST(sum(s.n) FILTER (WHERE s.bescheid_digital AND s.reifegrad >= ?) AS BIGINT) AS bescheid_digital,
           CAST(sum(s.n) FILTER (WHERE s.nicht_relevant) AS BIGINT) AS nicht_relevant,
           CAST(sum(s.n) FILTER (WHERE (s.reifegrad IS NULL OR s.reifegrad < ?) AND s.geplant_bis < ?
                                   AND NOT s.nicht_relevant) AS BIGINT) AS overdue,
           CAST(sum(s.n) FILTER (WHERE s.own_lead) AS BIGINT) AS federfuehrung,
           max(s.last_change) AS last_change
    FROM ({source}) s
    WHERE s.{key} LIKE ? {member_filter}
    GROUP BY 1
),
regions AS (
    SELECT substr(k.ags, 1, {digits}) AS region, {name} AS name, count(*) AS kommunen,
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
    members, mparams = _members(group)
    like = f"{prefix}%"
    day = as_of or clock.today()
    with db.connect() as conn:  # one connection: opening a DuckDB file costs more than the summary query
        key, member_filter = "ags", "AND s.ags IN (SELECT ags FROM members)"
        if as_of is not None or not summary.is_fresh(conn):
            state, sparams = _state(as_of)
            source = _SUMMARY_SHAPED.format(state=state)
        elif group is None and digits <= 5 and len(prefix) <= 5:
            # whole Kreise: the Kreis sums (every Gemeinde of a Kreis is in the kommune table)
            source, sparams, key, member_filter = "SELECT * FROM kreis_summary", [], "kreis", ""
        else:
            source, sparams = "SELECT * FROM status_summary", []
        in_group = f"AND ags IN ({members})" if group is not None else ""
        sql = _REGION_COVERAGE.format(in_group=in_group, digits=digits, name=_REGION_NAME[level], source=source,
                                      key=key, member_filter=member_filter)
        frame = conn.df(sql, [like, *mparams, threshold, threshold, threshold, threshold, day, *sparams, like])
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
