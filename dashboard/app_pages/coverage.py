"""Abdeckung: Leistungen × Städte, coloured by Reifegrad with a symbol, grouped and paged by Themenfeld, filters,
reuse opportunities (following the same filters)."""

import streamlit as st

from dashboard import charts, state, ui
from dashboard import matrix as matrix_view
from dashboard.data import load
from ozg import fmt, palette, queries
from ozg.domain import STATUSES

MAX_KOMMUNEN = 30  # the matrix and the reuse list are meant for a cooperation, not for a whole Land
SORTS = {
    "OZG-ID": None,
    "Am häufigsten online": "online_count",
    "Am seltensten online": "online_count_asc",
    "Name": "leistung",
}

view = state.sidebar_view()
ui.header("Abdeckung", view, "Welche Leistung ist in welcher Stadt wie weit? Farbe und Zahl zeigen den Reifegrad, "
          "der Status steht beim Zeigen auf eine Zelle und in der Tabelle.")

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
    c4, c5 = st.columns(2)
    with c4:
        sort = state.select("Sortierung (innerhalb eines Themenfelds)", list(SORTS), "sortierung")
    with c5:
        # short label: Streamlit cuts a toggle's label at the column's width (a phone showed "… onli…")
        only_reuse = st.toggle("Nur Nachnutzungschancen", key="nachnutzung", bind=state.URL,
                               help="Nur Leistungen, die in mindestens einer Stadt online sind und in einer anderen "
                                    "noch nicht – direkte Chancen, eine Lösung zu übernehmen.")

matrix = load(queries.coverage_matrix, as_of=view.as_of, group=view.group, themenfeld=themen, lage=lagen, typ=typen,
              efa=None if efa == "alle" else efa, federfuehrung=lead, status=status, search=search,
              threshold=view.threshold)
reuse = load(queries.reuse_opportunities, as_of=view.as_of, group=view.group, threshold=view.threshold)
if only_reuse:
    matrix = matrix[matrix["ozg_id"].isin(set(reuse["ozg_id"]))]
reuse = reuse[reuse["ozg_id"].isin(set(matrix["ozg_id"]))]  # the reuse list follows every filter above
if matrix.empty:
    st.info("Keine Leistungen für diese Filter. Filter lockern oder Suchbegriff ändern.")
else:
    levels, cells = charts.matrix_frames(matrix)
    online_count = matrix.assign(row=matrix["ozg_id"] + " " + matrix["leistung"]).groupby("row")["online"].sum()
    key = SORTS[sort]
    order = list(levels.index)
    if key == "online_count":
        order = online_count.sort_values(ascending=False, kind="stable").index.tolist()
    elif key == "online_count_asc":
        order = online_count.sort_values(ascending=True, kind="stable").index.tolist()
    elif key == "leistung":
        by = matrix.drop_duplicates("ozg_id").assign(row=lambda f: f["ozg_id"] + " " + f["leistung"])
        order = by.sort_values([key, "ozg_id"])["row"].tolist()
    levels, cells = levels.loc[order], cells.loc[order]
    rows = matrix.drop_duplicates("ozg_id").assign(row=lambda f: f["ozg_id"] + " " + f["leistung"])
    themen_of = dict(zip(rows["row"], rows["themenfeld"].fillna(""), strict=True))
    n = len(levels)
    st.markdown(f"**{fmt.leistungen(n)}** · davon in mindestens einer Stadt online: "
                f"**{fmt.number(int((online_count > 0).sum()))}**")

    parts = matrix_view.pages(order, themen_of)
    page_no = 1
    if len(parts) > 1:
        choices = list(range(1, len(parts) + 1))
        page_no = state.select("Seite der Matrix (nach Themenfeld)", choices, "seite",
                               format_func=lambda i: f"{i} von {len(parts)}: {parts[i - 1].label} "
                                                     f"({fmt.leistungen(len(parts[i - 1].rows))})")
    part = parts[min(page_no, len(parts)) - 1]
    st.html(matrix_view.legend_html())
    st.html(matrix_view.matrix_html(
        levels, cells, part.rows, themen_of,
        caption=f"Reifegrad je Leistung und Stadt – {part.label} ({fmt.leistungen(len(part.rows))}"
                + (f", Seite {page_no} von {len(parts)})" if len(parts) > 1 else ")")))
    ui.note("Zelle: Reifegrad (Zahl und Farbe, hell = niedrig, dunkel = hoch); Status beim Zeigen auf die Zelle "
            "und in der Tabelle darunter. OZG-ID anklicken: die Leistung im Detail.")

    def colour(value: str) -> str:
        level = value.split(" ", 1)[0] if value[:1].isdigit() else (
            charts.NOT_RELEVANT if value == charts.NOT_RELEVANT else charts.NO_VALUE)
        return f"background-color: {palette.reifegrad_fill(level)}; color: {palette.reifegrad_text(level)}"

    with st.expander(f"Reifegrad und Status als Tabelle ({fmt.leistungen(n)})"):
        table = cells.reset_index().rename(columns={"row": "Leistung"})
        table.insert(0, "Details", [f"leistung?leistung={r.split(' ', 1)[0]}" for r in table["Leistung"]])
        city_cols = [c for c in table.columns if c not in ("Details", "Leistung")]
        st.dataframe(table.style.map(colour, subset=city_cols), hide_index=True, width="stretch",
                     key="matrix_tabelle", column_config={"Details": st.column_config.LinkColumn(
                         "Details", display_text="öffnen", help="Leistung im Detail (alle Städte, Historie)")})
        ui.note("Zelle: Reifegrad · Status.")

    st.markdown("**Leistung im Detail öffnen**")
    pick = st.selectbox("Leistung", order, index=None, placeholder="Leistung wählen …", key="drilldown",
                        label_visibility="collapsed")
    if pick:
        st.page_link("app_pages/leistung.py", label=f"Details zu {pick}", icon=":material/arrow_forward:",
                     query_params={"leistung": pick.split(" ", 1)[0]})

st.subheader("Nachnutzung: in einer Stadt online, in einer anderen noch nicht")
ui.note("Direkte Chancen der Kooperation: die Lösung der einen Stadt kann die andere übernehmen. "
        "„Nicht relevant“ gemeldete Leistungen zählen nicht als fehlend. Die Liste folgt den Filtern oben.")
if reuse.empty:
    st.info("Keine Nachnutzungschancen für diese Filter: entweder ist noch keine Leistung online oder alle sind "
            "überall online.")
else:
    one = len(reuse) == 1
    st.markdown(f"**{fmt.leistungen(len(reuse))}** {'ist' if one else 'sind'} in mindestens einer Stadt online "
                f"und {'fehlt' if one else 'fehlen'} in einer anderen.")
    ui.table(ui.german_table(reuse, {
        "ozg_id": "OZG-ID", "leistung": "Leistung", "themenfeld": "Themenfeld", "online_in": "Online in",
        "missing_in": "Fehlt in", "online_count": "Städte online", "federfuehrung_name": "Federführung"}),
        key="nachnutzung")
