"""Sidebar and filter widgets shared by the pages; every value lives in the URL so a link reproduces the view.

Widgets use Streamlit's own URL binding (`bind="query-params"`, the key is the parameter name): a value equal to
its default is left out of the URL, invalid values are ignored. Parameter names are German and short, because
people copy these links into e-mails: `stand`, `gruppe`, `ab`, `kommune`, `leistung`, `themenfeld`, `jahre`
(Einsparungen), `kommunen` (Berichte), ...
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from dashboard.data import load
from ozg import clock, fmt, queries
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


def _stand(today: dt.date, earliest: dt.date) -> dt.date:
    """The Stand date typed into the sidebar (TT.MM.JJJJ or JJJJ-MM-TT, Enter applies), bound to `stand`.

    A text field and not st.date_input: Streamlit's date picker applies a typed date only when the field loses
    focus, not on Enter. Wrong or out-of-range input is named in German and today is shown instead.
    """
    typed = st.text_input(
        "Stand (TT.MM.JJJJ)", key="stand", bind=URL, persist_state="session", placeholder=f"heute, {fmt.date(today)}",
        help="Zeigt den Stand am Ende dieses Tages, rekonstruiert aus der Historie. Leer: heute. "
             "Datum eintippen und Enter drücken.")
    if not (typed or "").strip():
        return today
    try:
        day = fmt.parse_date(typed)
    except ValueError as exc:
        st.error(f"Stand: {exc} Gezeigt wird der heutige Stand.")
        return today
    if day > today:
        st.error(f"Stand {fmt.date(day)} liegt in der Zukunft. Gezeigt wird der heutige Stand ({fmt.date(today)}).")
        return today
    if day < earliest:
        st.error(f"Stand {fmt.date(day)} liegt vor der ältesten Meldung ({fmt.date(earliest)}); gezeigt wird der "
                 f"{fmt.date(earliest)}.")
        return earliest
    return day


def report_invalid(key: str, allowed: Sequence[str], what: str) -> None:
    """Say so when the URL parameter `key` holds values that are not among `allowed` (Streamlit drops them)."""
    wanted = st.query_params.get_all(key)
    wrong = [v for v in wanted if v not in set(allowed)]
    if wrong:
        shown = ", ".join(f"„{v}“" for v in wrong)
        st.warning(f"Aus dem Link nicht übernommen – {what}: {shown} (unbekannt oder hier nicht wählbar).",
                   icon=":material/link_off:")


def sidebar_view() -> View:
    """Render the shared sidebar (Stand, Gruppe, Zählregel) and return the chosen view."""
    today = clock.today()
    first, _ = load(queries.history_span)
    groups = load(queries.groups)
    with st.sidebar:
        st.subheader("Ansicht")
        day = _stand(today, min(first or today, today, EARLIEST))
        if groups:
            report_invalid("gruppe", groups, "Gruppe")
        group = st.selectbox("Kooperation / Gruppe", groups, key="gruppe", bind=URL, persist_state="session") \
            if groups else None
        report_invalid("ab", ["1", "2", "3", "4"], "Zählregel")
        threshold = st.selectbox(
            "Zählregel: online ab Reifegrad", [1, 2, 3, 4], index=[1, 2, 3, 4].index(DEFAULT_ONLINE_THRESHOLD),
            key="ab", bind=URL, persist_state="session",
            help="Nach OZG gilt eine Leistung ab Reifegrad 3 (Reifegradmodell 1.1) als online.")
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
    report_invalid("kommune", list(labels.values()), label)
    return st.selectbox(label, list(labels), format_func=labels.get, key="kommune", bind=URL)


def leistung_select(frame: pd.DataFrame, label: str = "Leistung") -> str | None:
    """One Leistung of `frame` (queries.leistungen rows), by OZG-ID in the URL (`leistung=10001`).

    Not bound by Streamlit because a bound selectbox writes its display label into the URL; here the URL keeps
    the stable OZG-ID, and a changed URL (a drill-down link) wins over the remembered choice.
    """
    names = dict(zip(frame["ozg_id"], frame["name"], strict=True))
    report_invalid("leistung", list(names), "OZG-ID")
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


def id_select(label: str, ids: Sequence, format_func: Callable, param: str, key: str, what: str):
    """A selectbox of `ids` (first preselected) whose id — not its long display label — is the URL parameter
    `param`; an unknown id in the link is reported."""
    by_text = {str(i): i for i in ids}
    report_invalid(param, list(by_text), what)
    wanted = st.query_params.get(param)
    if wanted in by_text and st.session_state.get(f"{key}_url") != wanted:
        st.session_state[key] = by_text[wanted]  # a changed link wins over the remembered choice
        st.session_state[f"{key}_url"] = wanted

    def remember() -> None:
        st.query_params[param] = str(st.session_state[key])
        st.session_state[f"{key}_url"] = str(st.session_state[key])

    return st.selectbox(label, list(ids), format_func=format_func, key=key, on_change=remember)


def id_multiselect(label: str, ids: Sequence, format_func: Callable, param: str, key: str, what: str) -> list:
    """A multiselect of `ids`, all chosen by default, whose choice is the repeated URL parameter `param` in display
    text (`kommunen=Fulda&kommunen=Gießen`); without the parameter all are chosen, unknown values are reported.

    Not bound by Streamlit because the widget's key (kept for existing sessions and tests) is not the short
    German parameter name; a changed URL (a copied link) wins over the remembered choice.
    """
    ids = list(ids)
    by_text = {str(format_func(i)): i for i in ids}
    report_invalid(param, list(by_text), what)
    link = tuple(dict.fromkeys(v for v in st.query_params.get_all(param) if v))
    if key not in st.session_state or st.session_state.get(f"{key}_url") != link:
        st.session_state[key] = [by_text[v] for v in link if v in by_text] or ids
        st.session_state[f"{key}_url"] = link
    else:  # the options may have changed since the choice was made (another group): keep what still exists
        st.session_state[key] = [i for i in st.session_state[key] if i in ids]

    def remember() -> None:
        chosen = list(st.session_state[key])
        texts = tuple(str(format_func(i)) for i in chosen) if set(chosen) != set(ids) else ()
        if texts or not chosen:
            st.query_params[param] = list(texts)
        else:
            st.query_params.pop(param, None)  # all chosen: the default, a clean link
        st.session_state[f"{key}_url"] = texts

    return st.multiselect(label, ids, format_func=format_func, key=key, on_change=remember)


def int_slider(label: str, low: int, high: int, value: int, key: str, what: str, **kwargs) -> int:
    """A whole-number slider bound to the URL parameter `key` (`jahre=10`); values outside low…high are reported."""
    allowed = [str(n) for n in range(low, high + 1)]
    report_invalid(key, allowed + [f"{n}.0" for n in range(low, high + 1)], what)
    return int(st.slider(label, low, high, value, key=key, bind=URL, **kwargs))


def multiselect(label: str, options: Sequence, key: str, format_func: Callable = str, **kwargs) -> tuple:
    """A multiselect bound to the URL parameter `key`; returns the chosen values as a tuple."""
    report_invalid(key, [str(format_func(o)) for o in options] + [str(o) for o in options], label)
    return tuple(st.multiselect(label, list(options), key=key, bind=URL, format_func=format_func,
                                placeholder="alle", **kwargs))


def select(label: str, options: Sequence, key: str, index: int = 0, **kwargs):
    """A selectbox bound to the URL parameter `key`."""
    shown = kwargs.get("format_func", str)
    report_invalid(key, [str(shown(o)) for o in options] + [str(o) for o in options], label)
    return st.selectbox(label, list(options), index=index, key=key, bind=URL, **kwargs)


def text(label: str, key: str, **kwargs) -> str:
    """A text input bound to the URL parameter `key`; returns the stripped text."""
    return (st.text_input(label, key=key, bind=URL, **kwargs) or "").strip()
