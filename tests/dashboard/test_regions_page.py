"""Regionen page: Land → Kreis → Gemeinde drill-down through the URL, numbers equal the query module."""

from streamlit.testing.v1 import AppTest

from ozg import queries

APP = "../../dashboard/app.py"


def _open(database, monkeypatch, region: str | None = None) -> AppTest:
    monkeypatch.setenv("OZG_DB", database.url)
    at = AppTest.from_file(APP, default_timeout=120)
    if region is not None:
        at.query_params["region"] = region
    at.run()
    at.switch_page("app_pages/regions.py").run()
    assert not at.exception
    return at


def _metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def test_land_level_sums_equal_the_cooperation_totals(sample_db, monkeypatch):
    at = _open(sample_db, monkeypatch)
    total = queries.coverage_total(queries.coverage(sample_db))
    assert _metric(at, "Kommunen") == "5"
    assert _metric(at, "Leistungen online") == f"{total['online']}"
    assert any("Land – Deutschland" in h.value for h in at.subheader)
    assert at.dataframe[0].value["Land"].tolist() == ["Hessen"]


def test_drill_down_to_the_kreise_of_hessen(sample_db, monkeypatch):
    at = _open(sample_db, monkeypatch, region="06")
    assert any(h.value.replace("\\", "") == "Kreise in Hessen (AGS 06)" for h in at.subheader)  # escaped markdown
    kreise = at.dataframe[0].value
    assert set(kreise["Kreis"]) == {"Marburg-Biedenkopf", "Gießen", "Lahn-Dill-Kreis", "Fulda", "Limburg-Weilburg"}
    expected = queries.coverage_by_region(sample_db, "kreis", "06").set_index("name")
    assert kreise.set_index("Kreis").loc["Fulda", "online"] == str(expected.loc["Fulda", "online"])


def test_empty_database_shows_a_friendly_state(db, monkeypatch):
    at = _open(db, monkeypatch)
    assert _metric(at, "Leistungen online") == "0"
