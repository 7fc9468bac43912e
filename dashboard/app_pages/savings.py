"""Einsparungen: what shared development saves — per project, per city, over time — and how sure we can be."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import project_editor, state, ui
from dashboard import savings_charts as charts
from dashboard.auth import current_user
from dashboard.data import get_db
from ozg import fmt, project_history, savings, savings_store, savings_text
from ozg.db import Database
from ozg.errors import OzgError


@st.cache_data(show_spinner=False, max_entries=32)
def _result(url: str, version: str, years: float | None, as_of, day) -> savings.SavingsResult:
    return savings.compute(savings.load_frames(Database(url), as_of), years, day)


view = state.sidebar_view()
db = get_db()
version = db.data_version()
try:
    base = _result(db.url, version, None, view.as_of, view.day)
except OzgError as exc:
    st.error(f"Fehler: {exc}")
    st.stop()

st.title("Einsparungen durch gemeinsame Entwicklung")
ui.note("Vergleich: Jede Kommune entwickelt und betreibt eine Leistung allein – oder eine federführende Kommune "
           "entwickelt sie einmal für alle, die anderen passen sie an. Alle Annahmen stehen unten und lassen sich "
           "ändern.")
ui.note(f"Stand {fmt.date(view.day)}" + ("" if view.as_of is None else
        " – Projekte, Kosten und Parameter wie an diesem Tag gespeichert, Fallzahlen und Go-lives bis dahin"))
if base.sample:
    st.warning("Beispieldaten: Die Gemeinschaftsprojekte, Kosten und Fallzahlen sind erfunden (Kennzeichnung "
               "„Beispiel“).", icon=":material/science:")

years = state.int_slider("Betrachtungszeitraum für den Betrieb (Jahre)", 1, 15, int(round(base.params.years)),
                         key="jahre", what="Betrachtungszeitraum (Jahre, 1 bis 15)")
result = base if years == base.params.years else _result(db.url, version, float(years), view.as_of, view.day)
y = fmt.number(years)

if not result.projects:
    st.info(("Am gewählten Stand waren noch keine Gemeinschaftsprojekte erfasst. " if view.as_of else
             "Noch keine Gemeinschaftsprojekte erfasst. ") +
            "Projekte als Tabelle laden: "
            "`python -m loaders projects DATEI.xlsx` (eine Zeile je Projekt und Kommune; Spalten Projekt-ID, Projekt, "
            "Federführung, OZG-IDs, Kommune, Go-live, Entwicklung, Anpassung je Kommune, Betrieb pro Jahr, "
            "Koordination, Quelle). Fallzahlen: `python -m loaders usage DATEI`.")
else:
    planned, realised = result.planned, result.realised
    st.metric(savings_text.headline_label(result), fmt.euro(planned.total), border=True)
    c1, c2, c3 = st.columns(3)
    c1.metric("davon Entwicklung (einmalig)", fmt.euro(planned.development))
    c2.metric(f"davon Betrieb ({y} Jahre)", fmt.euro(planned.operation))
    c3.metric(f"davon Zeitersparnis digitale Fälle ({y} Jahre)", fmt.euro(planned.cases))
    ui.note(savings_text.headline_definition(result))
    r1, r2, r3, r4 = st.columns(4)
    r1.metric(f"Variante: bis {fmt.date(result.day)} realisiert", fmt.euro(realised.total))
    r2.metric("davon Entwicklung (realisiert)", fmt.euro(realised.development))
    r3.metric("davon Betrieb (realisiert)", fmt.euro(realised.operation))
    r4.metric("davon digitale Fälle (realisiert)", fmt.euro(realised.cases))
    ui.note(savings_text.realised_definition(result))
    t = result.totals
    ui.note(f"Allein hätten die Kommunen {fmt.euro(t['alone'])} ausgegeben, gemeinsam {fmt.euro(t['shared'])}: "
               f"Entwicklung + Betrieb = {fmt.euro(t['savings'])} der Einsparung "
               f"({len(result.projects)} Gemeinschaftsprojekt{'' if len(result.projects) == 1 else 'e'}).")

    st.plotly_chart(charts.alone_vs_shared(result.per_project, years), key="sv_projects")
    table = result.per_project.assign(**{c: result.per_project[c].map(fmt.euro) for c in (
        "development", "adaptation", "coordination", "operation", "alone", "shared", "savings")})
    st.dataframe(table[["project_id", "name", "lead", "n", "leistungen", "development", "adaptation",
                        "coordination", "operation", "alone", "shared", "savings", "defaults_used"]].rename(
        columns={"project_id": "Projekt-ID", "name": "Projekt", "lead": "Federführung", "n": "Kommunen (n)",
                 "leistungen": "Leistungen", "development": "Entwicklung B", "adaptation": "Anpassung A",
                 "coordination": "Koordination K", "operation": "Betrieb O/Jahr", "alone": "allein",
                 "shared": "gemeinsam", "savings": "Einsparung"}),
        hide_index=True, key="sv_project_table")

    st.subheader("Je Kommune")
    st.plotly_chart(charts.city_savings(result.per_city, years), key="sv_cities")
    ui.note(f"Die Beiträge aller Kommunen ergeben zusammen die {savings_text.headline_label(result)} "
               f"({fmt.euro(planned.total)}).")
    usage = result.usage_by_city
    if not usage.empty:
        st.dataframe(pd.DataFrame({
            "Kommune": usage["kommune"], "Fälle (12 Monate)": usage["cases_total"].map(fmt.number),
            "davon digital": usage["cases_digital"].map(fmt.number),
            "Online-Anteil der Fälle": usage["online_share"].map(fmt.percent),
            "Zeitersparnis pro Jahr": usage["case_savings_per_year"].map(fmt.euro)}), hide_index=True,
            key="sv_usage")
        ui.note("Fallzahlen der letzten 12 Monate mit Daten; Online-Anteil = digitale Fälle ÷ alle Fälle, nur "
                   "wo beide bekannt sind.")

    st.subheader("Im Zeitverlauf")
    if result.timeline.empty:
        st.info("Noch keine nachnutzende Kommune ist live – es gibt noch keine realisierte Einsparung.")
    else:
        st.plotly_chart(charts.over_time(result.timeline), key="sv_timeline")
        ui.note(f"Die Linie endet bei der Variante „bis {fmt.date(result.day)} realisiert“ "
                   f"({fmt.euro(realised.total)}). Eine nachnutzende Kommune realisiert ihre Entwicklungseinsparung "
                   "im Monat ihres Go-live, die Betriebseinsparung danach monatlich.")

    st.subheader("Wie sicher ist die Zahl? (Sensitivität)")
    st.plotly_chart(charts.tornado(result.sensitivity, centre=f"Geplant ({y} Jahre)"), key="sv_tornado")
    ui.note(f"Die Mitte ist die {savings_text.headline_label(result)} ({fmt.euro(planned.total)}); jeder "
               "Balken zeigt sie, wenn nur eine Annahme um die Hälfte kleiner oder größer ist.")
    st.markdown("**So wird gerechnet:** " + savings_text.formula_text(result.params))

st.subheader("Kostenparameter")
params = result.parameters
st.dataframe(pd.DataFrame({
    "Parameter": params["label"], "Wert": [fmt.number(v, 2 if v < 10 else 0) for v in params["value"]],
    "Einheit": params["unit"], "Quelle": params["source"], "gesetzt von": params["set_by"],
    "gesetzt am": params["set_at"].map(fmt.datetime), "Hinweis": params["note"]}), hide_index=True,
    key="sv_params")
ui.note("„Annahme“ heißt: Es gibt keine prüfbare Quelle für diesen Wert. Jede Änderung bleibt in der Historie.")

user = current_user()
admin = user if user is not None and user.is_admin else None   # the service layer checks the role again
if admin is None:
    ui.note("Parameter und Projekte ändern kann die Administration (nach Anmeldung in der Seitenleiste).")
elif view.as_of is not None:
    admin = None
    ui.note(f"Geändert wird der aktuelle Stand – der Stand {fmt.date(view.day)} zeigt nur, was damals galt.")
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
    history = savings.parameter_history(db)
    labels = dict(zip(params["name"], params["label"], strict=True))   # ids such as hourly_cost stay internal
    st.dataframe(pd.DataFrame({
        "Parameter": [labels.get(n, n) for n in history["name"]],
        "Wert": [fmt.number(v, 2 if v < 10 else 0) for v in history["value"]], "Einheit": history["unit"],
        "Quelle": history["source"], "gesetzt von": history["set_by"],
        "gesetzt am": history["set_at"].map(fmt.datetime)}), hide_index=True, key="sv_param_history")

if admin is not None:
    project_editor.render(db, admin, result.per_project[["project_id", "name"]])
with st.expander("Historie der Gemeinschaftsprojekte (wer hat was wann geändert)"):
    st.dataframe(project_history.project_history(db), hide_index=True, key="sv_project_history")
