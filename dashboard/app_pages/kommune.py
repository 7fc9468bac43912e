"""Kommune: everything about one city — KPIs, Reifegrad, its Leistungen, progress and import history."""

import streamlit as st

from dashboard import charts, link_box, state, ui
from dashboard.data import load
from ozg import fmt
from ozg.queries import month_ends

view = state.sidebar_view()
kommunen = load("kommunen", group=view.group)
if kommunen.empty:
    st.title("Kommune")
    st.info("Keine Kommunen in dieser Gruppe. `python -m loaders init` lädt die Städte der Kooperation.")
    st.stop()
with st.sidebar:
    ags = state.kommune_select(kommunen, "Stadt")
city = kommunen.set_index("ags").loc[ags]
ui.header(f"Kommune: {city['name']}", view,
          f"AGS {ags} · {city['official_name'] or ''} · Kreis {city['kreis'] or '–'} · "
          f"{fmt.number(city['population'])} Einwohner (31.12.2022)")
if city["portal_url"]:
    st.link_button("Serviceportal der Stadt öffnen", str(city["portal_url"]))
link_box.broken_links(ags)

cov = load("coverage_change", as_of=view.as_of, group=view.group, threshold=view.threshold)
row = cov.set_index("ags").loc[ags]
cols = st.columns(5)
with cols[0]:
    ui.kpi("Leistungen online", fmt.number(row["online"]), int(row["online_change"]))
with cols[1]:
    ui.kpi("Anteil am relevanten Katalog", fmt.percent(row["share"]),
           help=f"{fmt.number(row['online'])} von {fmt.number(row['relevant'])} relevanten Leistungen")
with cols[2]:
    ui.kpi("Ende-zu-Ende digital", fmt.number(row["ende_zu_ende"]))
with cols[3]:
    ui.kpi("Überfällig", fmt.number(row["overdue"]))
with cols[4]:
    ui.kpi("Federführung für", fmt.number(row["federfuehrung"]), help="Leistungen, die diese Stadt für die "
           "Kooperation baut")
if row["online"] == 0 and not load("history_span")[0]:
    st.info(ui.EMPTY_HINT)

st.subheader("Reifegrad")
dist = load("reifegrad_distribution", as_of=view.as_of, group=view.group)
ui.chart(charts.reifegrad_distribution(dist[dist["ags"] == ags], title=f"Reifegrad in {city['name']}"),
         alt="Balken: Zahl der relevanten Leistungen je Reifegrad in dieser Stadt.", key="kommune_reifegrad")

st.subheader("Leistungen")
rows = load("status_table", as_of=view.as_of, group=view.group, ags=[ags])
status_filter = state.multiselect("Status", sorted(rows["status"].dropna().unique()), "status")
shown = rows[rows["status"].isin(status_filter)] if status_filter else rows
ui.note(f"{fmt.number(len(shown))} von {fmt.number(len(rows))} Leistungen")
ui.table(ui.german_table(shown, {
    "ozg_id": "OZG-ID", "leistung": "Leistung", "themenfeld": "Themenfeld", "reifegrad": "Reifegrad",
    "status": "Status", "geplant_bis": "Geplant bis", "online_seit": "Online seit", "ende_zu_ende": "Ende-zu-Ende",
    "bescheid_digital": "Bescheid digital", "federfuehrung_name": "Federführung", "plattform": "Plattform",
    "link": "Link", "bemerkung": "Bemerkung"},
    dates=("geplant_bis", "online_seit"), numbers=("reifegrad",), booleans=("ende_zu_ende", "bescheid_digital")),
    key="kommune_leistungen", column_config={"Link": st.column_config.LinkColumn("Link")})

st.subheader("Verlauf")
first, _ = load("history_span")
if first:
    prog = load("progress", days=month_ends(first, view.day), group=view.group, threshold=view.threshold)
    ui.chart(charts.progress_over_time(prog[prog["ags"] == ags], title=f"Leistungen online in {city['name']}"),
             alt="Linie: Leistungen online dieser Stadt am Ende jedes Monats.", key="kommune_verlauf")
imports = load("batches", ags=ags, limit=50)
if imports.empty:
    st.info("Diese Stadt hat noch nichts gemeldet.")
else:
    st.markdown("**Letzte Meldungen**")
    ui.table(ui.german_table(imports, {
        "created_at": "Zeitpunkt", "kind": "Art", "user_name": "Von", "file_name": "Datei", "rows_read": "Zeilen",
        "rows_changed": "geändert"}, dates=("created_at",), numbers=("rows_read", "rows_changed")),
        key="kommune_importe")
