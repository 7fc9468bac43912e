"""Einsparungen: what shared development saves — per project, per city, over time — and how sure we can be."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import project_editor
from dashboard import savings_charts as charts
from dashboard.auth import current_user
from dashboard.data import get_db
from ozg import fmt, project_history, savings, savings_store
from ozg.db import Database
from ozg.errors import OzgError


@st.cache_data(show_spinner=False, max_entries=32)
def _frames(url: str, version: str) -> dict[str, pd.DataFrame]:
    return savings.load_frames(Database(url))


@st.cache_data(show_spinner=False, max_entries=32)
def _result(url: str, version: str, years: float) -> savings.SavingsResult:
    return savings.compute(_frames(url, version), years)


db = get_db()
version = db.data_version()
try:
    frames = _frames(db.url, version)
except OzgError as exc:
    st.error(f"Fehler: {exc}")
    st.stop()

st.title("Einsparungen durch gemeinsame Entwicklung")
st.caption("Vergleich: Jede Kommune entwickelt und betreibt eine Leistung allein – oder eine federführende Kommune "
           "entwickelt sie einmal für alle, die anderen passen sie an. Alle Annahmen stehen unten und lassen sich "
           "ändern.")
projects = frames["projects"]
if not projects.empty and projects["is_sample"].any():
    st.warning("Beispieldaten: Die Gemeinschaftsprojekte, Kosten und Fallzahlen sind erfunden (Kennzeichnung "
               "„Beispiel“).", icon="🧪")

default_years = float(frames["parameters"].set_index("name").loc["years", "value"])
years = st.slider("Betrachtungszeitraum für den Betrieb (Jahre)", 1, 15, int(round(default_years)), key="sv_years")
result = _result(db.url, version, float(years))
y = fmt.number(years)

if projects.empty:
    st.info("Noch keine Gemeinschaftsprojekte erfasst. Projekte als Tabelle laden: "
            "`python -m loaders projects DATEI.xlsx` (eine Zeile je Projekt und Kommune; Spalten Projekt-ID, Projekt, "
            "Federführung, OZG-IDs, Kommune, Go-live, Entwicklung, Anpassung je Kommune, Betrieb pro Jahr, "
            "Koordination, Quelle). Fallzahlen: `python -m loaders usage DATEI`.")
else:
    t = result.totals
    case_total = result.usage_by_city["case_savings_per_year"].sum() * years
    c1, c2, c3, c4 = st.columns(4)
    c1.metric(f"Einsparung gemeinsame Entwicklung ({y} Jahre)", fmt.euro(t["savings"]))
    c2.metric("davon Entwicklung (einmalig)", fmt.euro(t["development_savings"]))
    c3.metric(f"davon Betrieb ({y} Jahre)", fmt.euro(t["operation_savings"]))
    c4.metric(f"Zeitersparnis digitale Fälle ({y} Jahre)", fmt.euro(case_total))
    st.caption(f"Allein hätten die Kommunen {fmt.euro(t['alone'])} ausgegeben, gemeinsam {fmt.euro(t['shared'])} "
               f"({len(projects)} Gemeinschaftsprojekte).")

    st.plotly_chart(charts.alone_vs_shared(result.per_project, years), key="sv_projects")
    table = result.per_project.assign(**{c: result.per_project[c].map(fmt.euro) for c in (
        "development", "adaptation", "coordination", "operation", "alone", "shared", "savings")})
    st.dataframe(table[["project_id", "name", "lead", "n", "leistungen", "development", "adaptation",
                        "coordination", "operation", "alone", "shared", "savings", "defaults_used"]].rename(
        columns={"project_id": "Projekt-ID", "name": "Projekt", "lead": "Federführung", "n": "Kommunen (n)",
                 "leistungen": "Leistungen", "development": "Entwicklung B", "adaptation": "Anpassung A",
                 "coordination": "Koordination K", "operation": "Betrieb O/Jahr", "alone": "allein",
                 "shared": "gemeinsam", "savings": "Einsparung", "defaults_used": "Standardwerte für"}),
        hide_index=True, key="sv_project_table")

    st.subheader("Je Kommune")
    st.plotly_chart(charts.city_savings(result.per_city, years), key="sv_cities")
    usage = result.usage_by_city
    if not usage.empty:
        st.dataframe(pd.DataFrame({
            "Kommune": usage["kommune"], "Fälle (12 Monate)": usage["cases_total"].map(fmt.number),
            "davon digital": usage["cases_digital"].map(fmt.number),
            "Online-Anteil der Fälle": usage["online_share"].map(fmt.percent),
            "Zeitersparnis pro Jahr": usage["case_savings_per_year"].map(fmt.euro)}), hide_index=True,
            key="sv_usage")
        st.caption("Fallzahlen der letzten 12 Monate mit Daten; Online-Anteil = digitale Fälle ÷ alle Fälle, nur "
                   "wo beide bekannt sind.")

    st.subheader("Im Zeitverlauf")
    if result.timeline.empty:
        st.info("Noch keine nachnutzende Kommune ist live – es gibt noch keine realisierte Einsparung.")
    else:
        st.plotly_chart(charts.over_time(result.timeline), key="sv_timeline")
        st.caption(f"Bis heute realisiert: {fmt.euro(result.timeline['cumulative'].iloc[-1])}. Eine nachnutzende "
                   "Kommune realisiert ihre Entwicklungseinsparung im Monat ihres Go-live, die Betriebseinsparung "
                   "danach monatlich.")

    st.subheader("Wie sicher ist die Zahl? (Sensitivität)")
    st.plotly_chart(charts.tornado(result.sensitivity), key="sv_tornado")
    st.markdown("**So wird gerechnet:** " + savings.formula_text(result.params))

st.subheader("Kostenparameter")
params = frames["parameters"]
st.dataframe(pd.DataFrame({
    "Parameter": params["label"], "Wert": [fmt.number(v, 2 if v < 10 else 0) for v in params["value"]],
    "Einheit": params["unit"], "Quelle": params["source"], "gesetzt von": params["set_by"],
    "gesetzt am": params["set_at"].map(fmt.datetime), "Hinweis": params["note"]}), hide_index=True,
    key="sv_params")
st.caption("„Annahme“ heißt: Es gibt keine prüfbare Quelle für diesen Wert. Jede Änderung bleibt in der Historie.")

user = current_user()
admin = user if user is not None and user.is_admin else None   # the service layer checks the role again
if admin is None:
    st.caption("Parameter und Projekte ändern kann die Administration (nach Anmeldung in der Seitenleiste).")
else:
    st.markdown("**Parameter ändern** (Administration)")
    name = st.selectbox("Parameter", list(params["name"]), format_func=dict(zip(
        params["name"], params["label"], strict=True)).get, key="sv_param_name")
    current = float(params.set_index("name").loc[name, "value"])
    with st.form("sv_param_form"):
        value = st.number_input("Neuer Wert", min_value=0.0, value=current, step=0.01 if current < 10 else 1000.0,
                                format="%.2f", key="sv_param_value")
        source = st.text_input("Quelle (leer = Annahme)", key="sv_param_source")
        if st.form_submit_button("Speichern"):
            try:
                savings_store.save_parameter(db, admin, name, value, source)
                st.success("Gespeichert. Die Werte oben sind aktualisiert.")
                st.rerun()
            except OzgError as exc:
                st.error(f"Fehler: {exc}")
with st.expander("Historie der Parameter"):
    st.dataframe(savings.parameter_history(db), hide_index=True, key="sv_param_history")

if admin is not None:
    project_editor.render(db, admin, projects)
with st.expander("Historie der Gemeinschaftsprojekte (wer hat was wann geändert)"):
    st.dataframe(project_history.project_history(db), hide_index=True, key="sv_project_history")
