"""„Projekte bearbeiten“ on the Einsparungen page: widgets only, for admins.

Create, edit and delete a shared project. Every write goes through ozg.savings_store (which checks the admin role
again, validates and logs who and when); this module only turns widgets into a ProjectSpec and back.
Widget keys carry the project ID, so choosing another project shows that project's stored values.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from dashboard import ui
from dashboard.data import load
from ozg import auth, costmodel, queries, savings, savings_store
from ozg.db import Database
from ozg.errors import OzgError
from ozg.savings import CostFigures, ProjectSpec

NEW = "__neu__"
PREFIX = "sv_pe_"
FLASH, NEXT = f"{PREFIX}flash", f"{PREFIX}next"
FIRST_DAY, LAST_DAY = dt.date(2000, 1, 1), dt.date(2050, 12, 31)


def _forget(project_id: str) -> None:
    """Drop the widget values of one project (after create or delete, its form starts from the database)."""
    for key in [k for k in st.session_state if str(k).startswith(f"{PREFIX}{project_id}_")]:
        del st.session_state[key]


def _done(message: str, select: str | None = None) -> None:
    st.session_state[FLASH] = message
    if select is not None:
        st.session_state[NEXT] = select
    st.rerun()


def render(db: Database, admin: auth.User, projects: pd.DataFrame) -> None:
    """The admin section: pick a project (or „Neues Projekt“), edit it in a form, or delete it."""
    st.subheader("Projekte bearbeiten")
    ui.note("Nur für die Administration. Jede Änderung wird mit Person und Zeitpunkt in der Historie gespeichert.")
    if message := st.session_state.pop(FLASH, None):
        st.success(message)
    if (select := st.session_state.pop(NEXT, None)) is not None:
        st.session_state[f"{PREFIX}project"] = select   # before the selectbox exists, so this is allowed
    names = dict(zip(projects["project_id"], projects["name"], strict=True))
    if st.session_state.get(f"{PREFIX}project") not in (NEW, *names):
        st.session_state[f"{PREFIX}project"] = NEW
    project_id = st.selectbox("Projekt", [NEW, *names], key=f"{PREFIX}project",
                              format_func=lambda p: "Neues Projekt anlegen" if p == NEW else f"{p} – {names[p]}")
    try:
        spec = None if project_id == NEW else savings_store.load_project(db, project_id)
    except OzgError as exc:
        st.error(f"Fehler: {exc}")
        return
    _form(db, admin, project_id, spec)
    if spec is not None:
        _delete(db, admin, spec)


def _form(db: Database, admin: auth.User, project_id: str, spec: ProjectSpec | None) -> None:
    k = f"{PREFIX}{project_id}_"
    cities = load(queries.kommunen)
    city_names = dict(zip(cities["ags"], cities["name"], strict=True))
    catalogue = load(queries.leistungen)
    ozg_names = dict(zip(catalogue["ozg_id"], catalogue["name"], strict=True))
    go_live = dict(spec.cities) if spec else {}
    costs = spec.costs if spec and spec.costs else CostFigures()
    with st.form(f"{PREFIX}form_{project_id}"):
        new_id = (st.text_input("Projekt-ID (kurzes Kürzel, z. B. P-GEWERBE)", key=f"{k}id") if spec is None
                  else spec.project_id)
        name = st.text_input("Name", value=spec.name if spec else "", key=f"{k}name")
        leads = list(city_names)
        lead = st.selectbox("Federführung", leads, format_func=city_names.get, key=f"{k}lead",
                            index=leads.index(spec.lead_ags) if spec and spec.lead_ags in leads else 0)
        left, right = st.columns(2)
        start = left.date_input("Start", value=spec.start_date if spec else None, min_value=FIRST_DAY,
                                max_value=LAST_DAY, format="DD.MM.YYYY", key=f"{k}start")
        levels = ["", *costmodel.COMPLEXITIES]
        complexity = right.selectbox("Komplexität", levels, key=f"{k}complexity",
                                     index=levels.index(spec.complexity) if spec and spec.complexity in levels else 0,
                                     format_func=lambda c: c or "unbekannt (zählt als mittel)")
        leistungen = st.multiselect("Leistungen", list(ozg_names), key=f"{k}leistungen",
                                    default=[o for o in (spec.leistungen if spec else ()) if o in ozg_names],
                                    format_func=lambda o: f"{o} – {ozg_names[o]}")
        st.markdown("**Beteiligte Kommunen und Go-live** (die federführende Kommune gehört dazu)")
        chosen = []
        for ags, city in city_names.items():
            left, right = st.columns(2)
            taking_part = left.checkbox(city, value=ags in go_live, key=f"{k}city_{ags}")
            day = right.date_input(f"Go-live {city}", value=go_live.get(ags), min_value=FIRST_DAY,
                                   max_value=LAST_DAY, format="DD.MM.YYYY", key=f"{k}golive_{ags}")
            if taking_part:
                chosen.append((ags, day))
        st.markdown("**Kosten in €** (leer = Standardwert aus den Kostenparametern)")
        columns = st.columns(len(savings.COST_FIELDS))
        values = {field: column.number_input(savings.COST_LABELS[field], min_value=0.0, step=1000.0, format="%.0f",
                                             value=getattr(costs, field), key=f"{k}{field}")
                  for column, field in zip(columns, savings.COST_FIELDS, strict=True)}
        source = st.text_input("Quelle der Kosten (z. B. Rechnung, Haushaltsplan)", value=costs.source or "",
                               key=f"{k}source")
        description = st.text_area("Beschreibung", value=(spec.description or "") if spec else "",
                                   key=f"{k}description")
        submitted = st.form_submit_button("Projekt anlegen" if spec is None else "Änderungen speichern")
    if not submitted:
        return
    edited = ProjectSpec(
        project_id=(new_id or "").strip(), name=name.strip(), lead_ags=lead, leistungen=tuple(leistungen),
        cities=tuple(chosen), start_date=start, description=description.strip() or None,
        complexity=complexity or None, costs=savings_store.cost_figures(values, source, spec.costs if spec else None),
        is_sample=spec.is_sample if spec else False)
    try:
        if spec is None:
            savings_store.create_project(db, admin, edited)
        else:
            changed = savings_store.update_project(db, admin, edited)
    except OzgError as exc:
        st.error(f"Fehler: {exc}")
        return
    if spec is None:
        _forget(NEW)
        _forget(edited.project_id)
        _done(f"Projekt {edited.project_id} angelegt.", select=edited.project_id)
    _done(f"Projekt {edited.project_id} gespeichert." if changed else "Keine Änderung – nichts gespeichert.")


def _delete(db: Database, admin: auth.User, spec: ProjectSpec) -> None:
    with st.expander(f"Projekt {spec.project_id} löschen"):
        ui.note("Das Projekt zählt dann nicht mehr bei den Einsparungen. Seine Angaben bleiben in der Historie.")
        sure = st.checkbox(f"Ja, {spec.project_id} löschen", key=f"{PREFIX}{spec.project_id}_confirm")
        if st.button("Projekt löschen", disabled=not sure, key=f"{PREFIX}{spec.project_id}_delete"):
            try:
                savings_store.delete_project(db, admin, spec.project_id)
            except OzgError as exc:
                st.error(f"Fehler: {exc}")
                return
            _forget(spec.project_id)
            _done(f"Projekt {spec.project_id} gelöscht.", select=NEW)
