"""AppTest of the Einsparungen page: sample projects, a database without projects, admin parameter and project editing.

Users sign in as dashboard/auth.py leaves it: the user name in st.session_state[SESSION_KEY], the user (role) in
the database.
"""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.auth import SESSION_KEY
from ozg import fmt, sample_projects, savings, savings_store, users
from tests.conftest import SAMPLE_DAY
from tests.ozg.auth_support import OPERATOR
from tests.ozg.savings_history import build_history

PAGE = "../../dashboard/app_pages/savings.py"



@pytest.fixture
def projects_db(sample_db):
    """The sample database with the sample shared projects and usage figures, and three users."""
    sample_projects.load_sample_projects(sample_db, today=SAMPLE_DAY)   # no-op when the fixture has them already
    assert len(savings.projects(sample_db)) >= 3
    users.add_user(sample_db, OPERATOR, "leser", "viewer")
    users.add_user(sample_db, OPERATOR, "fulda", "coordinator", ["Fulda"])
    users.add_user(sample_db, OPERATOR, "chefin", "admin")
    return sample_db


def run_page(db, monkeypatch, user: str | None = None, **params: str) -> AppTest:
    monkeypatch.setenv("OZG_DB", db.url)
    at = AppTest.from_file(PAGE, default_timeout=60)
    for key, value in params.items():  # as if the link was opened
        at.query_params[key] = value
    if user is not None:
        at.session_state[SESSION_KEY] = user
    return at.run()


def button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


def total_savings(at: AppTest) -> str:
    return next(m.value for m in at.metric if m.label.startswith("Geplante Einsparung über"))


def test_sample_projects_show_savings_and_sensitivity(projects_db, monkeypatch):
    at = run_page(projects_db, monkeypatch)
    assert not at.exception
    expected = savings.compute(savings.load_frames(projects_db), 5)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Geplante Einsparung über 5 Jahre"] == f"{expected.planned.total:,.0f} €".replace(",", ".")
    sample = next(w for w in at.warning if "Beispieldaten" in w.value)
    assert sample.icon == ":material/science:"  # a Material icon renders without an emoji font
    assert len(at.get("plotly_chart")) == 4          # projects, cities, timeline, tornado
    assert any("So wird gerechnet" in m.value for m in at.markdown)
    table = at.dataframe[0].value   # the projects table comes first
    assert len(table) >= 3 and table["Projekt"].str.contains("(Beispiel)", regex=False).all()


def test_years_slider_changes_the_result(projects_db, monkeypatch):
    at = run_page(projects_db, monkeypatch)
    before = at.metric[0].value
    at.slider(key="jahre").set_value(10).run()
    assert not at.exception
    assert at.metric[0].label == "Geplante Einsparung über 10 Jahre"
    assert at.metric[0].value != before


def test_years_from_the_link_preselect_the_slider(projects_db, monkeypatch):
    """Streamlit's own binding (bind="query-params"); the browser writes a moved slider into the URL."""
    at = run_page(projects_db, monkeypatch, jahre="10")
    assert not at.exception
    assert not [w for w in at.warning if "nicht übernommen" in w.value]
    assert at.slider(key="jahre").value == 10
    assert at.metric[0].label == "Geplante Einsparung über 10 Jahre"


@pytest.mark.parametrize("wrong", ["99", "zehn"])
def test_invalid_years_in_the_link_are_reported(projects_db, monkeypatch, wrong):
    at = run_page(projects_db, monkeypatch, jahre=wrong)
    assert not at.exception
    assert any(f"„{wrong}“" in w.value and "nicht übernommen" in w.value and "Jahre" in w.value for w in at.warning)
    assert at.metric[0].label == "Geplante Einsparung über 5 Jahre"   # the default period instead


def test_database_without_projects(db, monkeypatch):
    at = run_page(db, monkeypatch)
    assert not at.exception
    assert any("Noch keine Gemeinschaftsprojekte" in i.value for i in at.info)
    assert not at.metric
    params = at.dataframe[0].value   # without projects: the parameter table comes first
    assert set(params["Quelle"]) == {"Annahme"}


def test_parameter_editing_only_for_admins(projects_db, monkeypatch):
    at = run_page(projects_db, monkeypatch, user="leser")
    assert not at.get("form")
    at = run_page(projects_db, monkeypatch, user="chefin")
    at.selectbox(key="sv_param_name").set_value("hourly_cost").run()
    at.number_input(key="sv_param_value").set_value(75.0)
    at.text_input(key="sv_param_source").input("KLR der Stadt 2025")
    at.button[0].click().run()
    assert not at.exception
    stored = savings.parameters(projects_db).set_index("name").loc["hourly_cost"]
    assert (stored["value"], stored["source"], stored["set_by"]) == (75.0, "KLR der Stadt 2025", "chefin")
    history = next(d.value for d in at.dataframe if "gesetzt von" in d.value.columns and "Hinweis" not in
                   d.value.columns)   # the expander „Historie der Parameter“
    assert list(history.columns) == ["Parameter", "Wert", "Einheit", "Quelle", "gesetzt von", "gesetzt am"]
    row = history[history["gesetzt von"] == "chefin"].iloc[0]
    assert row["Parameter"] == "Kosten einer Arbeitsstunde in der Sachbearbeitung"   # the label, not hourly_cost
    assert (row["Wert"], row["gesetzt am"][:2].isdigit()) == ("75", True)


@pytest.mark.parametrize("user", [None, "leser", "fulda"])
def test_no_project_editing_without_admin(projects_db, monkeypatch, user):
    at = run_page(projects_db, monkeypatch, user=user)
    assert not at.exception
    assert "Projekte bearbeiten" not in [h.value for h in at.subheader]
    assert not [s for s in at.selectbox if s.key == "sv_pe_project"]
    assert not at.get("form")
    assert any("Administration" in c.value for c in at.markdown)


def test_admin_edits_a_cost_figure_and_the_savings_follow(projects_db, monkeypatch):
    spec = savings_store.load_project(projects_db, "BSP-01")
    assert spec.costs is not None and None not in (spec.costs.adaptation_per_city, spec.costs.coordination,
                                                   spec.costs.operation_per_year)
    n = len(spec.cities)
    at = run_page(projects_db, monkeypatch, user="chefin")
    before = savings.compute(savings.load_frames(projects_db), 5).planned.total
    assert total_savings(at) == fmt.euro(before)
    assert "Projekte bearbeiten" in [h.value for h in at.subheader]

    at.selectbox(key="sv_pe_project").set_value("BSP-01").run()
    field = at.number_input(key="sv_pe_BSP-01_development")
    assert field.value == spec.costs.development
    field.set_value(spec.costs.development + 10_000)
    button(at, "Änderungen speichern").click().run()
    assert not at.exception and not at.error

    # With its own A, K and O, only n × B − B changes: the savings grow by (n − 1) × 10.000 €.
    assert total_savings(at) == fmt.euro(before + (n - 1) * 10_000)
    assert any("BSP-01 gespeichert" in s.value for s in at.success)
    stored = savings_store.load_project(projects_db, "BSP-01").costs
    assert stored.development == spec.costs.development + 10_000
    history = savings.cost_history(projects_db)
    latest = history[history["project_id"] == "BSP-01"].iloc[-1]
    assert latest["set_by"] == "chefin" and latest["development"] == spec.costs.development + 10_000


def test_admin_creates_and_deletes_a_project(projects_db, monkeypatch):
    at = run_page(projects_db, monkeypatch, user="chefin")
    count = len(savings.projects(projects_db))
    at.text_input(key="sv_pe___neu___id").input("P-TEST")
    at.text_input(key="sv_pe___neu___name").input("Testprojekt")
    at.selectbox(key="sv_pe___neu___lead").set_value("06534014")          # Marburg
    at.multiselect(key="sv_pe___neu___leistungen").set_value(["10023"])
    at.checkbox(key="sv_pe___neu___city_06534014").check()
    at.checkbox(key="sv_pe___neu___city_06631009").check()                # Fulda
    at.number_input(key="sv_pe___neu___development").set_value(50_000.0)
    button(at, "Projekt anlegen").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert any("P-TEST angelegt" in s.value for s in at.success)
    assert at.selectbox(key="sv_pe_project").value == "P-TEST"
    created = savings_store.load_project(projects_db, "P-TEST")
    assert (created.name, created.lead_ags, created.leistungen) == ("Testprojekt", "06534014", ("10023",))
    assert dict(created.cities) == {"06534014": None, "06631009": None}
    assert created.costs.development == 50_000 and len(savings.projects(projects_db)) == count + 1

    at.checkbox(key="sv_pe_P-TEST_confirm").check().run()
    button(at, "Projekt löschen").click().run()
    assert not at.exception
    assert any("P-TEST gelöscht" in s.value for s in at.success)
    assert len(savings.projects(projects_db)) == count
    changes = savings.project_changes(projects_db)
    mine = changes[changes["project_id"] == "P-TEST"]
    assert set(mine["changed_by"]) == {"chefin"} and "deleted" in set(mine["field"])


def test_invalid_project_shows_an_error_and_saves_nothing(projects_db, monkeypatch):
    at = run_page(projects_db, monkeypatch, user="chefin")
    count = len(savings.projects(projects_db))
    at.text_input(key="sv_pe___neu___id").input("P-LEER")
    at.text_input(key="sv_pe___neu___name").input("Ohne Leistungen")
    at.checkbox(key="sv_pe___neu___city_06534014").check()
    at.selectbox(key="sv_pe___neu___lead").set_value("06534014")
    button(at, "Projekt anlegen").click().run()
    assert not at.exception
    assert any("Keine Leistung gewählt" in e.value for e in at.error)
    assert len(savings.projects(projects_db)) == count


def headline_parts(at: AppTest) -> list[str]:
    """The headline, its three parts, the realised variant and its three parts, as the page shows them."""
    return [m.value for m in at.metric][:8]


def test_headline_with_parts_today_and_as_of_31_12_2022(any_db, monkeypatch):
    """Counted by hand in tests/ozg/test_savings_headline.py; the sidebar Stand comes from the URL."""
    db = build_history(any_db)
    today = run_page(db, monkeypatch)
    assert not today.exception
    assert headline_parts(today) == ["483.750 €", "230.000 €", "93.750 €", "160.000 €",
                                     "332.625 €", "230.000 €", "70.625 €", "32.000 €"]
    then = run_page(db, monkeypatch, stand="2022-12-31")
    assert not then.exception
    assert [m.label for m in then.metric][4] == "Variante: bis 31.12.2022 realisiert"
    assert headline_parts(then) == ["194.000 €", "104.000 €", "45.000 €", "45.000 €",
                                    "80.250 €", "70.000 €", "1.250 €", "9.000 €"]
    assert list(then.dataframe[0].value["Projekt-ID"]) == ["P1", "P3"]


def test_past_stand_offers_no_editing(projects_db, monkeypatch):
    at = run_page(projects_db, monkeypatch, user="chefin", stand="2025-12-31")
    assert not at.exception
    assert not at.get("form") and "Projekte bearbeiten" not in [h.value for h in at.subheader]
    assert any("Geändert wird der aktuelle Stand" in c.value for c in at.markdown)
