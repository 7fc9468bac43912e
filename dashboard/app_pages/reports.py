"""Berichte: the ministry report (XLSX, CSV, PDF) for the chosen day and cities — the same files as
`python -m reports ministry`, made by the same functions."""

import streamlit as st

import reports
from dashboard import state, ui
from dashboard.data import get_db, load
from ozg import fmt, kommunen, queries
from ozg.db import Database
from ozg.errors import OzgError


@st.cache_data(show_spinner=False, max_entries=16)
def _files(url: str, version: str, as_of, cities: tuple, threshold: int) -> dict[str, bytes]:
    return reports.export_all(Database(url), as_of=as_of, cities=list(cities), threshold=threshold)


view = state.sidebar_view()
ui.header("Berichte", view, "Bericht an das Ministerium und die Lenkungsgruppe: Excel mit Kennzahlen, Status, "
          "Fristen und Verlauf; CSV im vereinbarten Format; PDF als Kurzbericht. Der Stand (Stichtag) wird in der "
          "Seitenleiste gewählt und aus der Historie rekonstruiert.")

members = load(queries.kommunen, group=kommunen.cooperation_name())
labels = state.kommune_labels(members)
chosen = state.id_multiselect("Kommunen", list(labels), labels.get, param="kommunen", key="bericht_kommunen",
                              what="Kommunen")
if not chosen:
    st.info("Bitte mindestens eine Kommune wählen.")
    st.stop()

selection = (view.as_of, tuple(chosen), view.threshold)
if st.button("Bericht erstellen", type="primary"):
    db = get_db()
    try:
        with st.spinner("Bericht wird erstellt …"):
            st.session_state["bericht"] = (selection, _files(db.url, db.data_version(), *selection))
    except OzgError as exc:
        st.error(f"Fehler: {exc}")

made = st.session_state.get("bericht")
if made and made[0] == selection:
    st.success(f"Bericht für {fmt.counted(len(chosen), 'Kommune', 'Kommunen')}, Stand {fmt.date(view.day)}, "
               "ist bereit.")
    for column, (key, spec) in zip(st.columns(len(reports.FORMATS)), reports.FORMATS.items(), strict=True):
        column.download_button(f"{spec.label} herunterladen", made[1][key], key=f"download_{key}",
                               file_name=reports.file_name(key, view.day), mime=spec.mime, on_click="ignore",
                               width="stretch")
elif made:
    ui.note("Auswahl geändert – bitte den Bericht neu erstellen.")

ui.note("Excel (XLSX) ist die Datei für Menschen: Zahlen als Zahlen, Text genau wie eingegeben. Die CSV ist die "
           "Datei für Maschinen (vereinbartes Spaltenformat): Text steht in Anführungszeichen, beginnt er mit = + - @, "
           "steht ein Apostroph davor.")
st.markdown("Für Cron-Jobs: `python -m reports ministry --format xlsx|csv|pdf -o DATEI [--as-of JJJJ-MM-TT] "
           "[--cities …]`")
