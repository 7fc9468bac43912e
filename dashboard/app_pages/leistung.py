"""Leistung: one OZG-Leistung — its catalogue entry, its status in every city and its full history."""

import streamlit as st

from dashboard import state, ui
from dashboard.auth import author_labels, current_user
from dashboard.data import load
from ozg import fmt, labels, queries

view = state.sidebar_view()
st.title("Leistung")
ui.sample_banner()
catalogue = load(queries.leistungen)
ozg_id = state.leistung_select(catalogue)
if not ozg_id:
    st.info("Bitte oben eine Leistung wählen – oder auf der Seite „Abdeckung“ eine Zeile öffnen.")
    st.stop()

info = load(queries.leistung_info, ozg_id=ozg_id).iloc[0]
ui.header(f"{ozg_id} – {info['name']}", view, level=2, banner=False)
st.text(f"Themenfeld: {info['themenfeld'] or '–'} · Lage: {info['lage'] or '–'} · Typ (LeiKa): {info['typ'] or '–'} "
        f"· EfA: {fmt.yes_no(info['efa'], missing='unbekannt')} · LeiKa-Einträge: {fmt.number(info['leika_count'])}")

cities = load(queries.leistung_status, ozg_id=ozg_id, as_of=view.as_of, group=view.group, threshold=view.threshold)
online, relevant = int(cities["online"].sum()), int(cities["relevant"].sum())
cols = st.columns(3)
with cols[0]:
    ui.kpi("Städte online", f"{fmt.number(online)} von {fmt.number(relevant)}",
           help="Städte, in denen die Leistung nach der Zählregel online ist, von denen, für die sie relevant ist.")
with cols[1]:
    ui.kpi("Ende-zu-Ende digital", fmt.number(int(cities["ende_zu_ende"].fillna(False).astype(bool).sum())))
lead = cities["federfuehrung_name"].dropna()
with cols[2]:
    ui.kpi("Federführung", lead.iloc[0] if len(lead) else "keine")

st.subheader("Status in jeder Stadt")
ui.table(ui.german_table(cities, {
    "kommune": "Stadt", "reifegrad": "Reifegrad", "status": "Status", "geplant_bis": "Geplant bis",
    "online_seit": "Online seit", "ende_zu_ende": "Ende-zu-Ende", "bescheid_digital": "Bescheid digital",
    "federfuehrung_name": "Federführung", "plattform": "Plattform", "link": "Link", "bemerkung": "Bemerkung",
    "changed_at": "Geändert am"},
    dates=("geplant_bis", "online_seit", "changed_at"), numbers=("reifegrad",),
    booleans=("ende_zu_ende", "bescheid_digital")),
    key="leistung_staedte", column_config={"Link": st.column_config.LinkColumn("Link")})

st.subheader("Historie")
history = load(queries.leistung_history, ozg_id=ozg_id)
if view.as_of is not None and not history.empty:
    history = history[history["valid_from"].dt.date <= view.as_of]
if history.empty:
    st.info("Für diese Leistung wurde noch nichts gemeldet.")
else:
    ui.note(f"{fmt.number(len(history))} Einträge, älteste zuerst; jede Zeile ist der vollständige Stand ab "
               "diesem Zeitpunkt.")
    history = history.assign(user_name=author_labels(history["user_name"], history["kommune"], current_user()),
                             kind=history["kind"].map(labels.batch_kind))
    ui.table(ui.german_table(history, {
        "valid_from": "Gültig ab", "kommune": "Stadt", "reifegrad": "Reifegrad", "status": "Status",
        "geplant_bis": "Geplant bis", "online_seit": "Online seit", "ende_zu_ende": "Ende-zu-Ende",
        "federfuehrung": "Federführung (AGS)", "plattform": "Plattform", "bemerkung": "Bemerkung",
        "batch_id": "Import", "kind": "Art", "user_name": "Von", "file_name": "Datei"},
        dates=("valid_from", "geplant_bis", "online_seit"), numbers=("reifegrad",), booleans=("ende_zu_ende",)),
        key="leistung_historie")
