"""Übersicht: how far is each city, how far is the cooperation together (what a mayor sees first)."""

import streamlit as st

from dashboard import cards, charts, state, ui
from dashboard.data import load
from ozg import fmt, queries
from ozg.queries import coverage_total, month_ends

MAX_TILES = 10  # more Kommunen (a Land, all Gemeinden) are shown as a table instead of cards
MAX_LINES = 12  # more Kommunen: the charts show the group's sum instead of one bar / line per Kommune

view = state.sidebar_view()
ui.header("Übersicht", view, "Wie weit ist jede Stadt, wie weit ist die Kooperation gemeinsam?")

cov = load(queries.coverage_change, as_of=view.as_of, group=view.group, threshold=view.threshold)
total = coverage_total(cov)
change = int(cov["online_change"].sum())
if total["online"] == 0 and not load(queries.history_span)[0]:
    st.info(ui.EMPTY_HINT)

st.subheader(ui.escape(view.group or "Alle Kommunen"))
cols = ui.kpi_columns(4, key="ozg_kpis")
with cols[0]:
    ui.kpi("Online (Summe der Städte)", fmt.number(total["online"]), change,
           help="Summe über alle Städte: eine Leistung, die in drei Städten online ist, zählt dreimal.")
with cols[1]:
    ui.kpi("Anteil online", fmt.percent(total["share"]),
           help="Online ÷ relevante Leistungen (Katalog ohne die als „nicht relevant“ gemeldeten).")
with cols[2]:
    ui.kpi("Ende-zu-Ende", fmt.number(total["ende_zu_ende"]),
           help="Antrag bis Bezahlung vollständig online (und nach der Zählregel online).")
with cols[3]:
    ui.kpi("Überfällig", fmt.number(total["overdue"]),
           help="„Geplant bis“ ist verstrichen, die Leistung ist noch nicht online.")

st.subheader("Je Stadt")
if len(cov) <= MAX_TILES:
    st.html(cards.cards([cards.card(city.name, [
        ("Online", fmt.number(city.online), f"{fmt.signed(int(city.online_change))} zum Vormonat"),
        ("Anteil", fmt.percent(city.share), ""),
        ("Ende-zu-Ende", fmt.number(city.ende_zu_ende), ""),
        ("Überfällig", fmt.number(city.overdue), ""),
    ]) for city in cov.itertuples()]))
per_city = ui.german_table(
    cov, {"name": "Stadt", "online": "Online", "online_change": "Änderung zum Vormonat", "relevant": "Relevant",
          "share": "Anteil", "ende_zu_ende": "Ende-zu-Ende", "overdue": "Überfällig"},
    numbers=("online", "relevant", "ende_zu_ende", "overdue"), percents=("share",)
).assign(**{"Änderung zum Vormonat": [fmt.signed(v) for v in cov["online_change"]]})
if len(cov) <= MAX_TILES:
    with st.expander("Je Stadt als Tabelle"):
        ui.table(per_city, key="uebersicht_tabelle")
else:
    ui.table(per_city, key="uebersicht_tabelle")

st.subheader("Reifegrad je Stadt")
dist = load(queries.reifegrad_distribution, as_of=view.as_of, group=view.group)
if dist["ags"].nunique() > MAX_LINES:
    dist = charts.group_sum(dist, by="reifegrad", value="leistungen")
ui.chart(charts.reifegrad_distribution(dist), alt="Gestapelte Balken: Zahl der relevanten Leistungen je Reifegrad "
         "und Stadt; dieselben Zahlen stehen in der Tabelle darunter.", key="reifegrad")
if not dist.empty:
    wide = dist.assign(reifegrad=dist["reifegrad"].map(charts.reifegrad_label)).pivot_table(
        index="name", columns="reifegrad", values="leistungen", aggfunc="sum", fill_value=0)
    with st.expander("Reifegrad als Tabelle"):
        ui.table(wide.reset_index().rename(columns={"name": "Stadt"}))

st.subheader("Fortschritt im Zeitverlauf")
first, _ = load(queries.history_span)
if first:
    days = month_ends(first, view.day)
    prog = load(queries.progress, days=days, group=view.group, threshold=view.threshold)
    if prog["ags"].nunique() > MAX_LINES:
        prog = charts.group_sum(prog)
    ui.chart(charts.progress_over_time(prog), alt="Linien je Stadt: Leistungen online am Ende jedes Monats.",
             key="verlauf")
else:
    st.info("Noch keine Historie – der Verlauf erscheint nach der ersten Meldung.")
ui.counting_rule_caption(view)
