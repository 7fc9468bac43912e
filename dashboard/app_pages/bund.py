"""Bund-Abgleich: where a city's own status and the federal „Dashboard Digitale Verwaltung“ disagree."""

import pandas as pd
import streamlit as st

from dashboard import state, ui
from dashboard.data import get_db, load
from ozg import fmt, queries
from ozg.db import Database
from ozg.errors import OzgError
from ozg.queries import bund as bund_queries
from reports import abgleich
from reports.csv_export import table_csv
from reports.data import Table

ALL = "Alle Themenfelder"
CITY_ONLY = "Kommune meldet online, beim Bund nicht (oder „nicht ok“)"
BUND_ONLY = "Beim Bund online, Kommune meldet nicht online"
MAX_CITIES = 20  # a national group would be thousands of sections; the downloads carry every row
LINKS = {"link_kommune": st.column_config.LinkColumn("Link Kommune"),
         "link_bund": st.column_config.LinkColumn("Link Bund")}


@st.cache_data(show_spinner=False, max_entries=16)
def _download(url: str, version: str, fmt_: str, as_of, cities: tuple, threshold: int) -> bytes:
    return abgleich.export(Database(url), fmt_, as_of=as_of, cities=list(cities), threshold=threshold)


def leistungen_text(n: int) -> str:
    return f"{fmt.number(n)} {'Leistung' if n == 1 else 'Leistungen'}"


def group_table(rows: pd.DataFrame, key: str) -> None:
    shown = rows.assign(reifegrad=rows["reifegrad"].map(lambda v: fmt.number(v, missing="–")),
                        status=rows["status"].fillna("keine Meldung"))
    ui.table(shown[["ozg_id", "leistung", "themenfeld", "reifegrad", "status", "bund_state", "link_kommune",
                    "link_bund"]].rename(columns={"ozg_id": "OZG-ID", "leistung": "Leistung",
                                                  "themenfeld": "Themenfeld", "reifegrad": "Reifegrad",
                                                  "status": "Status (Kommune)", "bund_state": "Beim Bund"}),
             column_config=LINKS, key=key)


view = state.sidebar_view()
ui.header("Bund-Abgleich", view, "Wo sieht das Dashboard Digitale Verwaltung des Bundes (Daten aus dem PVOG) eine "
          "Leistung anders als die Stadt selbst? Zwei Gruppen je Stadt, beide Links nebeneinander.")

snapshot = load(bund_queries.bund_snapshot, as_of=view.as_of)
if snapshot is None:
    st.info(f"Noch keine Bundesdaten mit Stand bis {fmt.date(view.day)}. Den Export des Dashboards Digitale "
            "Verwaltung (JSON, CSV oder XLSX) importieren: `python -m loaders bund DATEI --stand TT.MM.JJJJ`.")
    st.stop()
ui.note(f"Bundesdaten: Stand {fmt.date(snapshot['stand'])} · Datei {snapshot['file_name']} · importiert am "
        f"{fmt.datetime(snapshot['created_at'])} von {snapshot['user_name']} · {fmt.number(snapshot['records'])} "
        "Datensätze. „Beim Bund online“: online_status „ok“ und aktiv „ja“ für die Stadt selbst, ihren Kreis oder "
        "ihr Land (flächendeckend) oder bundesweit.")

rows = load(bund_queries.bund_comparison, as_of=view.as_of, group=view.group, threshold=view.threshold)
themen = sorted(load(queries.leistungen)["themenfeld"].dropna().unique())
chosen = st.selectbox("Themenfeld", [ALL, *themen], key="themenfeld", bind=state.URL)
if chosen != ALL:
    rows = rows[rows["themenfeld"] == chosen]
suggestions = load(bund_queries.bund_link_suggestions, as_of=view.as_of, group=view.group,
                            threshold=view.threshold)
if chosen != ALL:
    suggestions = suggestions[suggestions["themenfeld"] == chosen]
members = load(queries.kommunen, group=view.group)

st.subheader("Unterschiede je Stadt")
city_online = rows[rows["kommune_online"].astype(bool)]
bund_online = rows[~rows["kommune_online"].astype(bool)]
ui.static_table(pd.DataFrame({
    "Stadt": members["name"],
    "Kommune online, Bund nicht": [fmt.number((city_online["ags"] == a).sum()) for a in members["ags"]],
    "Bund online, Kommune nicht": [fmt.number((bund_online["ags"] == a).sum()) for a in members["ags"]],
    "Link-Vorschläge": [fmt.number((suggestions["ags"] == a).sum()) for a in members["ags"]],
}))

for city in members.head(MAX_CITIES).itertuples():
    mine, theirs = city_online[city_online["ags"] == city.ags], bund_online[bund_online["ags"] == city.ags]
    with st.expander(f"{city.name}: {leistungen_text(len(mine) + len(theirs))} verschieden"):
        for label, part, key in ((CITY_ONLY, mine, "kommune"), (BUND_ONLY, theirs, "bund")):
            st.markdown(f"**{ui.escape(label)}** – {leistungen_text(len(part))}")
            if part.empty:
                st.markdown("Keine.")
            else:
                group_table(part, key=f"abgleich_{city.ags}_{key}")
        proposals = suggestions[suggestions["ags"] == city.ags]
        if not proposals.empty:
            st.markdown(f"**Link-Vorschläge aus den Bundesdaten** – {leistungen_text(len(proposals))} ohne eigenen "
                        "Link, die beim Bund online sind")
            ui.table(proposals[["ozg_id", "leistung", "link_bund"]].rename(
                columns={"ozg_id": "OZG-ID", "leistung": "Leistung"}),
                column_config={"link_bund": st.column_config.LinkColumn("Link (Vorschlag)")},
                key=f"vorschlag_{city.ags}")
            table = Table("Link-Vorschläge", proposals[["ozg_id", "leistung", "link_bund"]].set_axis(
                ["OZG-ID", "Leistung", "Link"], axis=1), {})
            st.download_button("Vorschläge als Statusdatei (CSV) herunterladen", table_csv(table),
                               file_name=f"link-vorschlaege-{city.ags}.csv", mime="text/csv", on_click="ignore",
                               key=f"vorschlag_csv_{city.ags}")
            ui.note("Die Datei enthält nur OZG-ID, Leistung und Link: auf der Seite „Meldung“ hochgeladen setzt sie "
                    "nur die Links dieser Leistungen. Bitte vorher prüfen, ob jeder Link auf das Angebot der Stadt "
                    "führt.")
if len(members) > MAX_CITIES:
    ui.note(f"Gezeigt: die ersten {MAX_CITIES} von {fmt.number(len(members))} Kommunen; die Downloads enthalten alle.")

st.subheader("Herunterladen")
db = get_db()
selection = (view.as_of, tuple(members["ags"]), view.threshold)
try:
    files = {f: _download(db.url, db.data_version(), f, *selection) for f in ("csv", "xlsx")}
except OzgError as exc:
    st.error(f"Fehler: {exc}")
    st.stop()
for column, (fmt_, content) in zip(st.columns(2), files.items(), strict=True):
    column.download_button(f"Abgleich als {fmt_.upper()} (alle Themenfelder)", content, on_click="ignore",
                           file_name=f"bund-abgleich-{view.day.isoformat()}.{fmt_}", key=f"abgleich_{fmt_}",
                           width="stretch")
ui.note("Für Cron-Jobs: python -m reports abgleich --format csv|xlsx -o DATEI [--cities …] [--as-of TT.MM.JJJJ]")
