"""Master data: the Leistung catalogue, the Kommunen and their groups, and the meta flags."""

from __future__ import annotations

import pandas as pd

from ozg.db import Database
from ozg.queries.state import members_sql


def meta(db: Database, key: str) -> str | None:
    with db.connect() as conn:
        return conn.one("SELECT value FROM meta WHERE key = ?", [key])


def is_sample(db: Database) -> bool:
    """True when the database holds the invented sample status (the app shows a banner)."""
    return meta(db, "sample_data") == "ja"


def kommunen(db: Database, group: str | None = None) -> pd.DataFrame:
    """Kommunen (of a group, or all), ordered by name."""
    members, params = members_sql(group)
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
