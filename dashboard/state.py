"""Sidebar and filter widgets shared by the pages; every value lives in the URL so a link reproduces the view.

Widgets use Streamlit's own URL binding (`bind="query-params"`, the key is the parameter name): a value equal to
its default is left out of the URL, invalid values are ignored. Parameter names are German and short, because
people copy these links into e-mails: `stand`, `gruppe`, `ab`, `kommune`, `leistung`, `themenfeld`, ...
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from dashboard.data import load
from ozg import clock, queries
from ozg.domain import DEFAULT_ONLINE_THRESHOLD

URL = "query-params"
EARLIEST = dt.date(2017, 8, 18)  # the OZG came into force: no status can be older


@dataclass(frozen=True)
class View:
    """What every page shows: the state at `day` (as_of None = current), of `group`, counted from `threshold`."""

    as_of: dt.date | None
    day: dt.date
    group: str | None
    threshold: int


def sidebar_view() -> View:
    """Render the shared sidebar (Stand, Gruppe, Zählregel) and return the chosen view."""
    today = clock.today()
    first, _ = load(queries.history_span)
    groups = load(queries.groups)
    with st.sidebar:
        st.subheader("Ansicht")
        day = st.date_input(
            "Stand", value=today, min_value=min(first or today, today, EARLIEST), max_value=today,
            key="stand", bind=URL, persist_state="session", format="DD.MM.YYYY",
            help="Zeigt den Stand am Ende dieses Tages, rekonstruiert aus der Historie.")
        group = st.selectbox("Kooperation / Gruppe", groups, key="gruppe", bind=URL, persist_state="session") \
            if groups else None
        threshold = st.selectbox(
            "Zählregel: online ab Reifegrad", [1, 2, 3, 4], index=[1, 2, 3, 4].index(DEFAULT_ONLINE_THRESHOLD),
            key="ab", bind=URL, persist_state="session",
            help="Nach OZG gilt eine Leistung ab Reifegrad 3 (Reifegradmodell 1.1) als online.")
    day = day if isinstance(day, dt.date) else today
    return View(as_of=None if day >= today else day, day=day, group=group, threshold=int(threshold))


def kommune_labels(frame: pd.DataFrame) -> dict[str, str]:
    """AGS -> display name; names that occur twice (several 'Neustadt') get their AGS added."""
    counts = frame["name"].value_counts()
    return {ags: name if counts[name] == 1 else f"{name} ({ags})"
            for ags, name in zip(frame["ags"], frame["name"], strict=True)}


def kommune_select(frame: pd.DataFrame, label: str = "Kommune") -> str | None:
    """One Kommune of `frame` (queries.kommunen rows), by name in the URL (`kommune=Gießen`)."""
    if frame.empty:
        return None
    labels = kommune_labels(frame)
    return st.selectbox(label, list(labels), format_func=labels.get, key="kommune", bind=URL)


def leistung_select(frame: pd.DataFrame, label: str = "Leistung") -> str | None:
    """One Leistung of `frame` (queries.leistungen rows), by OZG-ID in the URL (`leistung=10001`).

    Not bound by Streamlit because a bound selectbox writes its display label into the URL; here the URL keeps
    the stable OZG-ID, and a changed URL (a drill-down link) wins over the remembered choice.
    """
    names = dict(zip(frame["ozg_id"], frame["name"], strict=True))
    wanted = st.query_params.get("leistung")
    if wanted in names and st.session_state.get("leistung_wahl") != wanted:
        st.session_state["leistung_wahl"] = wanted

    def remember() -> None:
        chosen = st.session_state.get("leistung_wahl")
        if chosen:
            st.query_params["leistung"] = chosen
        else:
            st.query_params.pop("leistung", None)

    chosen = st.selectbox(label, list(names), index=None, key="leistung_wahl", on_change=remember,
                          format_func=lambda oid: f"{oid} – {names[oid]}", placeholder="Leistung wählen …")
    if chosen and st.query_params.get("leistung") != chosen:
        st.query_params["leistung"] = chosen
    return chosen


def multiselect(label: str, options: Sequence, key: str, format_func: Callable = str, **kwargs) -> tuple:
    """A multiselect bound to the URL parameter `key`; returns the chosen values as a tuple."""
    return tuple(st.multiselect(label, list(options), key=key, bind=URL, format_func=format_func,
                                placeholder="alle", **kwargs))


def select(label: str, options: Sequence, key: str, index: int = 0, **kwargs):
    """A selectbox bound to the URL parameter `key`."""
    return st.selectbox(label, list(options), index=index, key=key, bind=URL, **kwargs)


def text(label: str, key: str, **kwargs) -> str:
    """A text input bound to the URL parameter `key`; returns the stripped text."""
    return (st.text_input(label, key=key, bind=URL, **kwargs) or "").strip()
