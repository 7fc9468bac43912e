"""Verzeichnis: a city's citizens' directory of online services — the same list and files as
`python -m reports verzeichnis`, made by the same functions, offered as a ZIP for the city's web team."""

import streamlit as st

from dashboard import link_box, state, ui
from dashboard.data import get_db, load
from ozg import fmt, links
from ozg.db import Database
from reports import verzeichnis, verzeichnis_html


@st.cache_data(show_spinner=False, max_entries=32)
def _directory(url: str, version: str, ags: str, as_of, threshold: int) -> verzeichnis.Directory:
    return verzeichnis.build(Database(url), ags, as_of=as_of, threshold=threshold)


view = state.sidebar_view()
kommunen = load("kommunen", group=view.group)
if kommunen.empty:
    st.title("Verzeichnis")
    st.info("Keine Kommunen in dieser Gruppe. `python -m loaders init` lädt die Städte der Kooperation.")
    st.stop()
with st.sidebar:
    ags = state.kommune_select(kommunen, "Stadt")
db = get_db()
directory = _directory(db.url, db.data_version(), ags, view.as_of, view.threshold)
ui.header(f"Verzeichnis: {directory.name}", view, "Online-Dienste-Verzeichnis für Bürgerinnen und Bürger: alle "
          "Leistungen, die in dieser Stadt online sind, zum Veröffentlichen auf der eigenen Website (als Seite, "
          "im iframe oder als HTML-Baustein) oder als JSON für das eigene CMS.")

cols = st.columns(3)
with cols[0]:
    ui.kpi("Leistungen im Verzeichnis", fmt.number(len(directory.entries)))
with cols[1]:
    ui.kpi("davon Ende-zu-Ende digital", fmt.number(sum(e.ende_zu_ende for e in directory.entries)))
with cols[2]:
    ui.kpi("vorübergehend nicht erreichbar", fmt.number(directory.unreachable),
           help="Links, die bei der letzten Linkprüfung nicht funktionierten: im Verzeichnis ohne Link.")
run = links.last_run(db)
ui.note(f"Letzte Linkprüfung: {fmt.datetime(run['finished_at'])}" if run else
        "Noch keine Linkprüfung: „python -m loaders linkcheck“ prüft alle Links (z. B. täglich per Cron).")

st.download_button(f"Verzeichnis {directory.name} herunterladen (ZIP: index.html, fragment.html, leistungen.json)",
                   data=lambda: verzeichnis.zip_bytes(directory), type="primary", on_click="ignore",
                   file_name=f"verzeichnis-{verzeichnis.folder_name(directory.name)}-{directory.stand}.zip",
                   mime="application/zip", key="verzeichnis_zip")
link_box.broken_links(ags)

st.subheader("So sieht das Verzeichnis aus")
st.html(verzeichnis_html.fragment(directory))
ui.note("Für Cron-Jobs: „python -m reports verzeichnis --city STADT -o ORDNER [--as-of JJJJ-MM-TT]“ oder „--all“")
