"""Broken Links of one Kommune (from the last link check) as a box for the coordinator: Kommune and Meldung pages.

One call per page (`broken_links(ags)`); nothing is shown when every checked Link works.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import ui
from dashboard.data import get_db
from ozg import fmt, links
from ozg.db import Database


@st.cache_data(show_spinner=False, max_entries=64)
def _broken(url: str, version: str, ags: str) -> pd.DataFrame:
    return links.broken(Database(url), ags)


def broken_frame(ags: str) -> pd.DataFrame:
    """links.broken() of this Kommune, cached until the data changes (a new check or a changed Link)."""
    db = get_db()
    return _broken(db.url, db.data_version(), ags)


def broken_links(ags: str) -> None:
    """A warning with one row per broken Link: OZG-ID, Leistung, Befund, Link, geprüft am."""
    frame = broken_frame(ags)
    if frame.empty:
        return
    n = len(frame)
    st.warning(f"{'1 Link ist' if n == 1 else f'{fmt.number(n)} Links sind'} laut letzter Linkprüfung nicht "
               "erreichbar. Bitte den Link in der Meldung korrigieren; bis dahin zeigt das Online-Dienste-"
               "Verzeichnis die Leistung ohne Link („vorübergehend nicht erreichbar“).", icon=":material/link_off:")
    ui.static_table(ui.german_table(frame.assign(befund=frame["error"]), {
        "ozg_id": "OZG-ID", "leistung": "Leistung", "befund": "Befund", "url": "Link", "checked_at": "geprüft am"},
        dates=("checked_at",)))
