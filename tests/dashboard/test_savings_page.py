"""AppTest of the Einsparungen page: sample projects, a database without projects, admin parameter editing."""

from __future__ import annotations

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from ozg import sample_projects, savings
from tests.conftest import SAMPLE_DAY

PAGE = "../../dashboard/app_pages/savings.py"


@pytest.fixture(autouse=True)
def _clear_caches():
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture
def projects_db(sample_db):
    """The sample database plus the sample shared projects and usage figures."""
    assert sample_projects.load_sample_projects(sample_db, today=SAMPLE_DAY) >= 3
    return sample_db


def run_page(db, monkeypatch, user=None) -> AppTest:
    monkeypatch.setenv("OZG_DB", db.url)
    at = AppTest.from_file(PAGE, default_timeout=60)
    if user is not None:
        at.session_state["user"] = user
    return at.run()


def test_sample_projects_show_savings_and_sensitivity(projects_db, monkeypatch):
    at = run_page(projects_db, monkeypatch)
    assert not at.exception
    expected = savings.compute(savings.load_frames(projects_db), 5)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Einsparung gemeinsame Entwicklung (5 Jahre)"] == f"{expected.totals['savings']:,.0f} €".replace(
        ",", ".")
    assert any("Beispieldaten" in w.value for w in at.warning)
    assert len(at.get("plotly_chart")) == 4          # projects, cities, timeline, tornado
    assert any("So wird gerechnet" in m.value for m in at.markdown)
    table = at.dataframe[0].value   # the projects table comes first
    assert len(table) >= 3 and table["Projekt"].str.contains("(Beispiel)", regex=False).all()


def test_years_slider_changes_the_result(projects_db, monkeypatch):
    at = run_page(projects_db, monkeypatch)
    before = at.metric[0].value
    at.slider(key="sv_years").set_value(10).run()
    assert not at.exception
    assert at.metric[0].label == "Einsparung gemeinsame Entwicklung (10 Jahre)"
    assert at.metric[0].value != before


def test_database_without_projects(db, monkeypatch):
    at = run_page(db, monkeypatch)
    assert not at.exception
    assert any("Noch keine Gemeinschaftsprojekte" in i.value for i in at.info)
    assert not at.metric
    params = at.dataframe[-1].value   # without projects: only the parameter table
    assert set(params["Quelle"]) == {"Annahme"}


def test_parameter_editing_only_for_admins(projects_db, monkeypatch):
    at = run_page(projects_db, monkeypatch, user={"name": "leser", "role": "viewer"})
    assert not at.get("form")
    at = run_page(projects_db, monkeypatch, user={"name": "chefin", "role": "admin"})
    at.selectbox(key="sv_param_name").set_value("hourly_cost").run()
    at.number_input(key="sv_param_value").set_value(75.0)
    at.text_input(key="sv_param_source").input("KLR der Stadt 2025")
    at.button[0].click().run()
    assert not at.exception
    stored = savings.parameters(projects_db).set_index("name").loc["hourly_cost"]
    assert (stored["value"], stored["source"], stored["set_by"]) == (75.0, "KLR der Stadt 2025", "chefin")
