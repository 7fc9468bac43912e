"""The state of every (Kommune, Leistung) now or at the end of a past day, and the tables read straight from it.

`as_of` (a date) reads the state at the end of that day from the append-only history; None reads the current state.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from ozg.db import Database
from ozg.domain import DEFAULT_ONLINE_THRESHOLD, STATUS_FIELDS
from ozg.queries import rules

_FIELDS = ", ".join(STATUS_FIELDS)

# The state of every (ags, ozg_id) that has one: current table, or the latest history row before a moment.
_CURRENT_STATE = f"SELECT ags, ozg_id, {_FIELDS}, batch_id, changed_at FROM status_current"
_STATE_AS_OF = f"""
SELECT ags, ozg_id, {_FIELDS}, batch_id, valid_from AS changed_at FROM (
    SELECT h.*, ROW_NUMBER() OVER (PARTITION BY ags, ozg_id ORDER BY valid_from DESC, id DESC) AS rn
    FROM status_history h WHERE valid_from < ? {{members}}
) latest WHERE rn = 1
"""


def state_sql(as_of: dt.date | None, group: str | None = None) -> tuple[str, list]:
    """SQL of the state table and its parameters; for a past day only the group's history is windowed."""
    if as_of is None:
        return _CURRENT_STATE, []
    cutoff = dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time())
    if group is None:
        return _STATE_AS_OF.format(members=""), [cutoff]
    members, mparams = members_sql(group)
    return _STATE_AS_OF.format(members=f"AND ags IN ({members})"), [cutoff, *mparams]


def members_sql(group: str | None) -> tuple[str, list]:
    if group is None:
        return "SELECT ags FROM kommune", []
    return "SELECT ags FROM kommune_group WHERE group_name = ?", [group]


def _status_table_template() -> str:
    return f"""
SELECT k.ags, k.name AS kommune, l.ozg_id, l.name AS leistung, l.themenfeld, l.lage, l.typ, l.efa,
       s.reifegrad, s.reifegrad_model, s.status, s.geplant_bis, s.online_seit, s.ende_zu_ende,
       s.bescheid_digital, s.federfuehrung, f.name AS federfuehrung_name, s.plattform, s.link, s.bemerkung,
       s.batch_id, s.changed_at
FROM kommune k CROSS JOIN leistung l
LEFT JOIN ({{state}}) s ON s.ags = k.ags AND s.ozg_id = l.ozg_id
LEFT JOIN kommune f ON f.ags = s.federfuehrung
WHERE {rules.active()} AND k.ags IN ({{members}}) {{extra}}
ORDER BY k.name, l.ozg_id
"""


def _status_table_sql(as_of: dt.date | None, group: str | None, ags: list[str] | None) -> tuple[str, list]:
    """SQL and parameters of status_table (optionally only the Kommunen `ags`)."""
    state, sparams = state_sql(as_of, group)
    members, mparams = members_sql(group)
    extra, eparams = "", []
    if ags:
        extra = f"AND k.ags IN ({', '.join('?' * len(ags))})"
        eparams = list(ags)
    return _status_table_template().format(state=state, members=members, extra=extra), [*sparams, *mparams, *eparams]


def status_table(db: Database, as_of: dt.date | None = None, group: str | None = None,
                 ags: list[str] | None = None) -> pd.DataFrame:
    """One row per Kommune × active Leistung with its status (NULLs where nothing was reported)."""
    sql, params = _status_table_sql(as_of, group, ags)
    with db.connect() as conn:
        return conn.df(sql, params)


def online_status_table(db: Database, as_of: dt.date | None = None, group: str | None = None,
                        ags: list[str] | None = None, threshold: int = DEFAULT_ONLINE_THRESHOLD) -> pd.DataFrame:
    """The rows of status_table that are online under the counting rule (rules.online) — e.g. for the directory."""
    inner, params = _status_table_sql(as_of, group, ags)
    sql = f"WITH {rules.RULE_CTE}, t AS ({inner}) SELECT t.* FROM t CROSS JOIN rule WHERE {rules.online('t')}"
    with db.connect() as conn:
        return conn.df(sql, [*rules.rule_params(threshold), *params])


_MATRIX_FILTERS = {
    "themenfeld": "l.themenfeld IN ({marks})",
    "lage": "l.lage IN ({marks})",
    # Typ holds the LeiKa types joined by '|' (e.g. '2/3|4'): match whole parts.
    "typ": "({likes})",
    "federfuehrung": "l.ozg_id IN (SELECT ozg_id FROM s WHERE federfuehrung IN ({marks}))",
    "status": "l.ozg_id IN (SELECT ozg_id FROM s WHERE status IN ({marks}) AND ags IN ({members}))",
}


def _matrix_template() -> str:
    return f"""
WITH {rules.RULE_CTE}, s AS ({{state}})
SELECT l.ozg_id, l.name AS leistung, l.themenfeld, l.lage, l.typ, l.efa, k.ags, k.name AS kommune,
       s.reifegrad, s.reifegrad_model, s.status, s.ende_zu_ende, s.geplant_bis, s.online_seit,
       s.federfuehrung, f.name AS federfuehrung_name, {rules.online()} AS online
FROM kommune k CROSS JOIN leistung l CROSS JOIN rule
LEFT JOIN s ON s.ags = k.ags AND s.ozg_id = l.ozg_id
LEFT JOIN kommune f ON f.ags = s.federfuehrung
WHERE {rules.active()} AND k.ags IN ({{members}}) {{where}}
ORDER BY l.ozg_id, k.name
"""


def _like_pattern(text: str) -> str:
    """A LIKE pattern that finds `text` literally (with ESCAPE '!')."""
    return "%" + text.replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%"


def coverage_matrix(db: Database, as_of: dt.date | None = None, group: str | None = None,
                    themenfeld: tuple[str, ...] = (), lage: tuple[str, ...] = (), typ: tuple[str, ...] = (),
                    efa: str | None = None, federfuehrung: tuple[str, ...] = (), status: tuple[str, ...] = (),
                    search: str = "", threshold: int = DEFAULT_ONLINE_THRESHOLD) -> pd.DataFrame:
    """Long table Leistung × Kommune (of a group) with Reifegrad, Status and `online` (the counting rule), filtered
    on the Leistung.

    status / federfuehrung keep a Leistung when at least one Kommune of the group has that Status / lead city.
    efa: 'ja', 'nein' or 'unbekannt'. search: part of the name or the OZG-ID (case-insensitive).
    """
    state, sparams = state_sql(as_of, group)
    members, mparams = members_sql(group)
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
    sql = _matrix_template().format(state=state, members=members, where=where)
    with db.connect() as conn:
        return conn.df(sql, [*rules.rule_params(threshold), *sparams, *mparams, *params])


def _leistung_status_template() -> str:
    return f"""
WITH {rules.RULE_CTE}, s AS ({{state}})
SELECT k.ags, k.name AS kommune, s.reifegrad, s.reifegrad_model, s.status, s.geplant_bis, s.online_seit,
       s.ende_zu_ende, s.bescheid_digital, f.name AS federfuehrung_name, s.plattform, s.link, s.bemerkung,
       s.changed_at, {rules.online()} AS online, {rules.relevant()} AS relevant
FROM kommune k CROSS JOIN rule LEFT JOIN s ON s.ags = k.ags AND s.ozg_id = ?
LEFT JOIN kommune f ON f.ags = s.federfuehrung
WHERE k.ags IN ({{members}})
ORDER BY k.name
"""


def leistung_status(db: Database, ozg_id: str, as_of: dt.date | None = None, group: str | None = None,
                    threshold: int = DEFAULT_ONLINE_THRESHOLD) -> pd.DataFrame:
    """One Leistung's status in every Kommune of the group (NULLs where nothing was reported), with `online` and
    `relevant` by the counting rules — the page counts these columns, never the Reifegrad itself."""
    state, sparams = state_sql(as_of, group)
    members, mparams = members_sql(group)
    with db.connect() as conn:
        return conn.df(_leistung_status_template().format(state=state, members=members),
                       [*rules.rule_params(threshold), *sparams, ozg_id, *mparams])
