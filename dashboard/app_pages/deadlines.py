"""Fristen: deadlines as data, overdue Leistungen per city, planned go-lives and a forecast at the recent pace."""

import pandas as pd
import streamlit as st

from dashboard import cards, charts, state, ui
from dashboard.data import load
from dashboard.fold_table import fold_table
from ozg import fmt, forecast_text, queries
from ozg.queries import month_ends

WINDOW_MONTHS = 12
MAX_TILES = 10  # cards up to this size; larger groups: the overdue list and the Übersicht table carry the numbers
MAX_LINES = 12  # larger groups: the burn-up shows the group's sum instead of one line per Kommune

view = state.sidebar_view()
ui.header("Fristen", view, "Was ist gesetzlich und nach eigenen Zielen fällig, was ist überfällig, und wann "
          "erreicht jede Stadt beim jetzigen Tempo die volle Abdeckung?")

st.subheader("Fristen")
deadlines = load(queries.deadlines)
if deadlines.empty:
    st.info("Keine Fristen hinterlegt (data/deadlines.csv).")
else:
    days_left = [(pd.Timestamp(d).date() - view.day).days for d in deadlines["due"]]
    due = deadlines.assign(
        lage=[f"verstrichen seit {fmt.counted(-n, 'Tag', 'Tagen')}" if n < 0 else "heute fällig" if n == 0
              else f"in {fmt.counted(n, 'Tag', 'Tagen')}" for n in days_left],
        gilt=deadlines["applies_to"].fillna("alle Leistungen"))
    # on a phone Art, Gilt für and Quelle fold into the Frist cell: nothing scrolls sideways
    st.html(fold_table(ui.german_table(due, {"due": "Fällig am", "title": "Frist", "kind": "Art", "gilt": "Gilt für",
                                             "lage": "Lage", "source": "Quelle"}, dates=("due",)),
                       keep=("Fällig am", "Frist", "Lage"), fold_into="Frist", nowrap=("Fällig am",)))

st.subheader("Überfällige Leistungen je Stadt")
ui.note("Überfällig: „Geplant bis“ liegt vor dem Stand-Datum und die Leistung ist nach der Zählregel noch "
           "nicht online.")
late = load(queries.overdue, as_of=view.as_of, group=view.group, threshold=view.threshold)
per_city = load(queries.coverage, as_of=view.as_of, group=view.group, threshold=view.threshold)
if len(per_city) <= MAX_TILES:
    st.html(cards.cards([cards.card(city.name, [("Überfällig", fmt.number(city.overdue), "")])
                         for city in per_city.itertuples()]))
if late.empty:
    st.success("Keine überfälligen Leistungen.")
else:
    st.markdown(f"**{fmt.counted(len(late), 'überfällige Leistung', 'überfällige Leistungen')}** insgesamt")
    ui.table(ui.german_table(late, {
        "kommune": "Stadt", "ozg_id": "OZG-ID", "leistung": "Leistung", "status": "Status", "reifegrad": "Reifegrad",
        "geplant_bis": "Geplant bis", "days_late": "Tage überfällig", "federfuehrung_name": "Federführung"},
        dates=("geplant_bis",), numbers=("days_late", "reifegrad")), key="ueberfaellig")

st.subheader("Geplante Go-lives")
plan = load(queries.planned, as_of=view.as_of, group=view.group, threshold=view.threshold)
ui.chart(charts.planned_timeline(plan), alt="Gestapelte Balken: geplante Go-lives je Quartal und Stadt; die "
         "Liste steht darunter.", key="geplant")
if not plan.empty:
    with st.expander(f"Alle {fmt.number(len(plan))} geplanten Go-lives"):
        ui.table(ui.german_table(plan, {"geplant_bis": "Geplant bis", "kommune": "Stadt", "ozg_id": "OZG-ID",
                                        "leistung": "Leistung", "status": "Status"}, dates=("geplant_bis",)))

st.subheader("Prognose: volle Abdeckung beim jetzigen Tempo")
ui.note(f"Annahme: Jede Stadt schaltet weiterhin so viele Leistungen je Monat frei wie im Mittel der letzten "
           f"{WINDOW_MONTHS} Monate (lineare Fortschreibung). Ziel: alle für die Stadt relevanten Leistungen "
           "online. Eine Prognose, keine Zusage.")
first, _ = load(queries.history_span)
fc = load(queries.forecast, as_of=view.as_of, group=view.group, threshold=view.threshold, window_months=WINDOW_MONTHS)
if not first:
    st.info("Noch keine Historie – eine Prognose braucht Meldungen aus mindestens zwei Zeitpunkten.")
else:
    prog = load(queries.progress, days=month_ends(first, view.day), group=view.group, threshold=view.threshold)
    if len(fc) > MAX_LINES:
        prog, fc = charts.group_sum(prog), charts.group_sum_forecast(fc, view.day)
    ui.chart(charts.burn_up(prog, fc, deadlines, day=view.day),
             alt="Burn-up je Stadt: Anteil der relevanten Leistungen online über die Zeit und gepunktete "
                 "Fortschreibung bis 100 %; Fristen als senkrechte Linien.", key="burnup")
    ui.static_table(ui.german_table(fc.assign(
        pace_text=[fmt.number(p, 1) for p in fc["pace"]],
        reaches_text=[forecast_text.reaches_text(r, view.day, n) for r, n in zip(fc["reaches"], fc["remaining"],
                                                                                  strict=True)]),
        {"name": "Stadt", "online": "Online", "remaining": "Noch offen", "pace_text": "Tempo je Monat",
         "reaches_text": "Voraussichtlich vollständig"},
        numbers=("online", "remaining")))
    ui.note(f"Tempo: neu online gegangene Leistungen je Monat im Mittel der letzten {WINDOW_MONTHS} Monate. "
            f"Vollständig: Monat, in dem beim jetzigen Tempo alle relevanten Leistungen online wären; "
            f"„{forecast_text.NOT_FORESEEABLE}“ ohne Fortschritt oder später als {forecast_text.HORIZON_YEARS} "
            "Jahre nach dem Stand.")
