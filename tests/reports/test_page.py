"""The Berichte page (AppTest): choose day and cities, create the report, three download buttons."""

import io

import pytest
from openpyxl import load_workbook
from streamlit.testing.v1 import AppTest

from tests.reports.conftest import csv_rows, pdf_text

APP = "../../dashboard/app.py"



@pytest.fixture
def page(sample_db, monkeypatch) -> AppTest:
    monkeypatch.setenv("OZG_DB", sample_db.url)
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.switch_page("app_pages/reports.py")
    at.run()
    assert not at.exception
    return at


def _downloads(at: AppTest) -> list[str]:
    return [element.proto.label for element in at.get("download_button")]


def test_create_offers_all_three_formats(page):
    assert page.title[0].value == "Berichte"
    assert _downloads(page) == []  # nothing is generated before the click
    page.button[0].click().run()
    assert not page.exception and not page.error
    assert _downloads(page) == ["Excel (XLSX) herunterladen", "CSV (Ministerium) herunterladen",
                                "PDF (Kurzbericht) herunterladen"]
    files = page.session_state["bericht"][1]
    assert len(csv_rows(files["csv"])) == 1 + 5 * 557
    assert load_workbook(io.BytesIO(files["xlsx"])).sheetnames[0] == "Zusammenfassung"
    assert "Bericht zur OZG-Umsetzung" in pdf_text(files["pdf"])


def test_day_and_cities_reach_the_report(page):
    page.text_input(key="stand").set_value("30.06.2024").run()
    page.multiselect(key="bericht_kommunen").set_value(["06531005"]).run()
    page.button[0].click().run()
    assert not page.exception
    files = page.session_state["bericht"][1]
    rows = csv_rows(files["csv"])[1:]
    assert {r[1] for r in rows} == {"Gießen"} and len(rows) == 557
    assert "Stand: 30.06.2024" in pdf_text(files["pdf"])


def test_changed_selection_asks_for_a_new_report(page):
    page.button[0].click().run()
    page.multiselect(key="bericht_kommunen").set_value(["06531005", "06534014"]).run()
    assert _downloads(page) == []
    assert any("neu erstellen" in c.value for c in page.markdown)


def test_no_city_selected(page):
    page.multiselect(key="bericht_kommunen").set_value([]).run()
    assert not page.exception
    assert "mindestens eine Kommune" in page.info[0].value
