"""Regionen: coverage aggregated Land → Kreis → Gemeinde (AGS prefixes), for deployments beyond the cooperation."""

import plotly.graph_objects as go
import streamlit as st

from dashboard import state, ui
from dashboard.data import load
from ozg import fmt, palette, queries
from ozg.queries import REGION_LEVELS, region_children

LEVEL_LABELS = {"land": "Land", "kreis": "Kreis", "gemeinde": "Gemeinde"}
LEVEL_PLURALS = {"land": "Länder", "kreis": "Kreise", "gemeinde": "Gemeinden"}
ALL = "Alle geladenen Kommunen"

view = state.sidebar_view()
ui.header("Regionen", view, "Abdeckung nach Land, Kreis und Gemeinde – für alle geladenen Kommunen oder eine Gruppe.")

scopes = [ALL, *([view.group] if view.group else [])]
state.report_invalid("umfang", scopes, "Umfang")
scope = st.radio("Umfang", scopes, horizontal=True, key="umfang", bind=state.URL)
group = None if scope == ALL else view.group
prefix = "".join(ch for ch in st.query_params.get("region", "") if ch.isdigit())[:8]
level = next((lvl for lvl, digits in REGION_LEVELS.items() if digits > len(prefix) and lvl != "bund"), "gemeinde")

total = load(queries.overview_kpis, as_of=view.as_of, group=group, prefix=prefix, threshold=view.threshold)
if total.empty or int(total["kommunen"].iloc[0]) == 0:
    st.info("Keine Kommunen in dieser Auswahl.")
    st.stop()
row = total.iloc[0]
cols = st.columns(4)
with cols[0]:
    ui.kpi("Kommunen", fmt.number(row["kommunen"]))
with cols[1]:
    ui.kpi("Leistungen online", fmt.number(row["online"]))
with cols[2]:
    ui.kpi("Anteil online", fmt.percent(row["share"]))
with cols[3]:
    ui.kpi("Überfällig", fmt.number(row["overdue"]))

regions = load(queries.coverage_by_region, level=level, prefix=prefix, as_of=view.as_of, group=group,
               threshold=view.threshold)
path = "Deutschland"
if prefix:  # name the region the prefix stands for ("Hessen"), from the level above
    above = next((lvl for lvl, digits in REGION_LEVELS.items() if digits == len(prefix)), None)
    parents = load(queries.coverage_by_region, level=above, prefix=prefix, as_of=view.as_of, group=group,
                   threshold=view.threshold) if above else None
    named = parents[parents["region"] == prefix]["name"] if parents is not None and not parents.empty else []
    path = f"{named.iloc[0]} (AGS {prefix})" if len(named) else f"AGS {prefix}"
st.subheader(ui.escape(f"{LEVEL_PLURALS[level]} in {path}" if prefix else f"{LEVEL_LABELS[level]} – {path}"))
if prefix and st.button("Eine Ebene nach oben"):
    parent_digits = max(d for d in REGION_LEVELS.values() if d < len(prefix))
    st.query_params["region"] = prefix[:parent_digits]
    st.rerun()

top = regions.sort_values("share", ascending=True).tail(40)
ui.note(f"Anteil online je {LEVEL_LABELS[level]}" + (" (die 40 höchsten)" if len(regions) > 40 else ""))
fig = go.Figure(go.Bar(x=top["share"] * 100, y=top["name"], orientation="h", marker_color=palette.city_colour(0),
                       text=[fmt.percent(v) for v in top["share"]], textposition="outside", cliponaxis=False,
                       hovertemplate="%{y}: %{text}<extra></extra>"))
fig.update_layout(font={"size": 16, "color": palette.INK}, template="plotly_white", separators=",.",
                  height=max(200, 34 * len(top) + 70), margin={"l": 10, "r": 70, "t": 10, "b": 40},
                  paper_bgcolor=palette.PAPER, plot_bgcolor=palette.PAPER)
fig.update_xaxes(title="Anteil online in %", rangemode="tozero", nticks=5)
fig.update_yaxes(automargin=True)  # the names are never clipped
ui.chart(fig, alt=f"Balken: Anteil der relevanten Leistungen online je {LEVEL_LABELS[level]}.", key="regions_bar")

ui.table(ui.german_table(regions, {
    "region": "AGS-Präfix", "name": LEVEL_LABELS[level], "kommunen": "Kommunen", "population": "Einwohner",
    "online": "online", "share": "Anteil", "ende_zu_ende": "Ende-zu-Ende", "overdue": "Überfällig"},
    numbers=("kommunen", "population", "online", "ende_zu_ende", "overdue"), percents=("share",)),
    key="regions_table")

child = region_children(level)
if child is not None and level != "gemeinde":
    options = dict(zip(regions["region"], regions["name"]))
    chosen = st.selectbox(f"{LEVEL_LABELS[level]} öffnen", list(options), index=None,
                          format_func=lambda r: f"{options[r]} ({r})", placeholder="Region wählen …")
    if chosen:
        st.query_params["region"] = chosen
        st.rerun()
