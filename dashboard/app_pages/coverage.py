"""Abdeckung: Leistungen × Städte, coloured by Reifegrad with text labels, filters, reuse opportunities."""

import streamlit as st

from dashboard import charts, state, ui
from dashboard.data import load
from ozg import fmt, queries
from ozg.domain import STATUSES

MAX_KOMMUNEN = 30  # the matrix and the reuse list are meant for a cooperation, not for a whole Land
HEATMAP_ROWS = 60  # the chart stays readable on a projector; the table below always holds every row
SORTS = {
    "OZG-ID": None,
    "Am häufigsten online": "online_count",
    "Am seltensten online": "online_count_asc",
    "Name": "leistung",
    "Themenfeld": "themenfeld",
}
CELL_COLOURS = {**charts.REIFEGRAD_COLOURS, charts.NOT_RELEVANT: "#ffffff"}

view = state.sidebar_view()
ui.header("Abdeckung", view, "Welche Leistung ist in welcher Stadt wie weit? Farbe und Text zeigen den Reifegrad, "
          "dazu den Status.")

if not load(queries.history_span)[0]:
    st.info(ui.EMPTY_HINT)
options = load(queries.matrix_options)
kommunen = load(queries.kommunen, group=view.group)
if len(kommunen) > MAX_KOMMUNEN:
    st.info(f"Die Gruppe „{view.group}“ hat {fmt.number(len(kommunen))} Kommunen; die Matrix ist für "
            f"Kooperationen bis {MAX_KOMMUNEN} Kommunen gedacht. Bitte links eine kleinere Gruppe wählen.")
    st.stop()
labels = state.kommune_labels(kommunen) if not kommunen.empty else {}
with st.expander("Filter", expanded=True):
    c1, c2, c3 = st.columns(3)
    with c1:
        themen = state.multiselect("Themenfeld", options["themenfeld"], "themenfeld")
        lagen = state.multiselect("Lebenslage / Unternehmenslage", options["lage"], "lage")
    with c2:
        typen = state.multiselect("Typ (LeiKa)", options["typ"], "typ")
        status = state.multiselect("Status (in mindestens einer Stadt)", STATUSES, "status")
    with c3:
        efa = state.select("Einer für Alle (EfA)", ["alle", "ja", "nein", "unbekannt"], "efa")
        lead = state.multiselect("Federführung", list(labels), "federfuehrung", format_func=labels.get)
    search = state.text("Suche (Name oder OZG-ID)", "suche")
    sort = state.select("Sortierung", list(SORTS), "sortierung")

matrix = load(queries.coverage_matrix, as_of=view.as_of, group=view.group, themenfeld=themen, lage=lagen, typ=typen,
              efa=None if efa == "alle" else efa, federfuehrung=lead, status=status, search=search)
if matrix.empty:
    st.info("Keine Leistungen für diese Filter. Filter lockern oder Suchbegriff ändern.")
else:
    levels, cells = charts.matrix_frames(matrix)
    online = matrix.assign(on=matrix["reifegrad"].fillna(-1) >= view.threshold)
    online_count = online.assign(row=online["ozg_id"] + " " + online["leistung"]).groupby("row")["on"].sum()
    key = SORTS[sort]
    order = list(levels.index)
    if key == "online_count":
        order = online_count.sort_values(ascending=False, kind="stable").index.tolist()
    elif key == "online_count_asc":
        order = online_count.sort_values(ascending=True, kind="stable").index.tolist()
    elif key in ("leistung", "themenfeld"):
        by = matrix.drop_duplicates("ozg_id").assign(row=lambda f: f["ozg_id"] + " " + f["leistung"])
        order = by.sort_values([key, "ozg_id"])["row"].tolist()
    levels, cells = levels.loc[order], cells.loc[order]
    n = len(levels)
    st.markdown(f"**{fmt.number(n)} Leistungen** · davon in mindestens einer Stadt online: "
                f"**{fmt.number(int((online_count > 0).sum()))}**")

    shown = levels.head(HEATMAP_ROWS)
    ui.chart(charts.coverage_heatmap(shown, cells.loc[shown.index], title="Reifegrad je Leistung und Stadt"),
             alt="Matrix Leistungen mal Städte; jede Zelle nennt Reifegrad und Status. Die Tabelle darunter "
                 "enthält dieselben Angaben.", key="matrix")
    if n > HEATMAP_ROWS:
        ui.note(f"Das Diagramm zeigt die ersten {HEATMAP_ROWS} von {fmt.number(n)} Leistungen; die Tabelle "
                   "enthält alle.")

    def colour(value: str) -> str:
        level = value.split(" ", 1)[0] if value[:1].isdigit() else (
            charts.NOT_RELEVANT if value == charts.NOT_RELEVANT else charts.NO_VALUE)
        fill = CELL_COLOURS.get(level, "#ffffff")
        text = charts.REIFEGRAD_TEXT.get(level, "#000000")
        return f"background-color: {fill}; color: {text}"

    table = cells.reset_index().rename(columns={"row": "Leistung"})
    table.insert(0, "Details", [f"leistung?leistung={r.split(' ', 1)[0]}" for r in table["Leistung"]])
    city_cols = [c for c in table.columns if c not in ("Details", "Leistung")]
    st.dataframe(table.style.map(colour, subset=city_cols), hide_index=True, width="stretch", key="matrix_tabelle",
                 column_config={"Details": st.column_config.LinkColumn(
                     "Details", display_text="öffnen", help="Leistung im Detail (alle Städte, Historie)")})
    ui.note("Zelle: Reifegrad · Status. Farbe: hell = niedriger, dunkel = hoher Reifegrad; grau = keine "
               "Angabe; weiß = nicht relevant.")

    st.markdown("**Leistung im Detail öffnen**")
    pick = st.selectbox("Leistung", order, index=None, placeholder="Leistung wählen …", key="drilldown",
                        label_visibility="collapsed")
    if pick:
        st.page_link("app_pages/leistung.py", label=f"Details zu {pick}", icon="➡️",
                     query_params={"leistung": pick.split(" ", 1)[0]})

st.subheader("Nachnutzung: in einer Stadt online, in einer anderen noch nicht")
ui.note("Direkte Chancen der Kooperation: die Lösung der einen Stadt kann die andere übernehmen. "
           "„Nicht relevant“ gemeldete Leistungen zählen nicht als fehlend.")
reuse = load(queries.reuse_opportunities, as_of=view.as_of, group=view.group, threshold=view.threshold)
if reuse.empty:
    st.info("Keine Nachnutzungschancen: entweder ist noch keine Leistung online oder alle sind überall online.")
else:
    st.markdown(f"**{fmt.number(len(reuse))} Leistungen** sind in mindestens einer Stadt online und fehlen in "
                "einer anderen.")
    ui.table(ui.german_table(reuse, {
        "ozg_id": "OZG-ID", "leistung": "Leistung", "themenfeld": "Themenfeld", "online_in": "Online in",
        "missing_in": "Fehlt in", "online_count": "Städte online", "federfuehrung_name": "Federführung"}),
        key="nachnutzung")
