"""The naive paths the benchmark compares against: what a hurried developer writes — fetch the rows into pandas
on every page load, then compute. Same counting rules as ozg.queries, so results can be checked for equality."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from ozg import clock
from ozg.db import Database


def _load(db: Database, table: str) -> pd.DataFrame:
    with db.connect() as conn:
        return conn.df(f"SELECT * FROM {table}")


def _active_state(db: Database, state: pd.DataFrame) -> pd.DataFrame:
    leistung = _load(db, "leistung")
    return state[state["ozg_id"].isin(leistung.loc[~leistung["retired"], "ozg_id"])]


def _counts(state: pd.DataFrame, day: dt.date, threshold: int) -> dict:
    rel = state["status"].ne("nicht relevant") | state["status"].isna()
    reif = state["reifegrad"]
    plan = pd.to_datetime(state["geplant_bis"])
    return {
        "online": int(((reif >= threshold) & rel).sum()),
        "ende_zu_ende": int((state["ende_zu_ende"].fillna(False).astype(bool) & (reif >= threshold) & rel).sum()),
        "nicht_relevant": int((~rel).sum()),
        "overdue": int((((reif < threshold) | reif.isna()) & (plan < pd.Timestamp(day)) & rel).sum()),
    }


def overview_kpis(db: Database, threshold: int = 3) -> dict:
    """National totals from all current rows fetched into pandas."""
    state = _active_state(db, _load(db, "status_current"))
    kommunen = _load(db, "kommune")
    return {"kommunen": len(kommunen), **_counts(state, clock.today(), threshold)}


def coverage_land(db: Database, prefix: str, threshold: int = 3) -> pd.DataFrame:
    """Per Gemeinde of one Land: fetch everything, filter in pandas, group."""
    state = _active_state(db, _load(db, "status_current"))
    state = state[state["ags"].str.startswith(prefix)]
    rows = [{"ags": ags, **_counts(part, clock.today(), threshold)} for ags, part in state.groupby("ags")]
    return pd.DataFrame(rows)


def overdue(db: Database, threshold: int = 3) -> pd.DataFrame:
    """The overdue list: every current row, filter and join names in pandas."""
    state = _active_state(db, _load(db, "status_current"))
    kommune = _load(db, "kommune")[["ags", "name"]]
    leistung = _load(db, "leistung")[["ozg_id", "name", "themenfeld"]]
    plan = pd.to_datetime(state["geplant_bis"])
    rel = state["status"].ne("nicht relevant") | state["status"].isna()
    late = state[((state["reifegrad"] < threshold) | state["reifegrad"].isna()) & (plan < pd.Timestamp(clock.today()))
                 & rel]
    late = late.merge(kommune, on="ags").merge(leistung, on="ozg_id", suffixes=("_kommune", "_leistung"))
    return late.sort_values(["geplant_bis", "name_kommune", "ozg_id"])


def as_of_kpis(db: Database, day: dt.date, threshold: int = 3) -> dict:
    """The state at the end of `day` from the whole history in pandas: sort, keep the last row per key."""
    history = _load(db, "status_history")
    history = history[history["valid_from"] < pd.Timestamp(day + dt.timedelta(days=1))]
    state = history.sort_values(["valid_from", "id"]).drop_duplicates(["ags", "ozg_id"], keep="last")
    return _counts(_active_state(db, state), day, threshold)
