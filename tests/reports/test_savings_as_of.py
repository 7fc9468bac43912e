"""The ministry XLSX/PDF for 31.12.2022 and for today differ exactly where the savings history says they should.

History and hand counts: tests/ozg/savings_history.py and tests/ozg/test_savings_headline.py.
"""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from reports import pdf, xlsx
from reports.data import build_report
from tests.ozg.savings_history import NEW_YEAR_2022, build_history
from tests.reports.conftest import pdf_text


@pytest.fixture
def history_db(any_db):
    return build_history(any_db)


def headline(report) -> list[float]:
    return [float(v) for v in report.savings_total.frame["Wert (€)"]]


def test_report_data_as_of_and_today(history_db):
    today, then = build_report(history_db), build_report(history_db, as_of=NEW_YEAR_2022)
    assert list(then.savings.frame["Projekt-ID"]) == ["P1", "P3"]
    assert list(today.savings.frame["Projekt-ID"]) == ["P1", "P2"]
    assert list(then.savings.frame["Kommunen (n)"]) == [2, 2] and list(today.savings.frame["Kommunen (n)"]) == [3, 2]
    assert list(then.savings.frame["Entwicklung B (€)"]) == [100_000, 40_000]
    rate = {r: t.savings_parameters.frame.set_index("Parameter").loc["hourly_cost", "Wert"]
            for r, t in (("today", today), ("then", then))}
    assert rate == {"today": 80, "then": 60}
    # headline, its three parts, the realised variant, its three parts (counted by hand)
    assert headline(then) == pytest.approx([194_000, 104_000, 45_000, 45_000, 80_250, 70_000, 1_250, 9_000])
    assert headline(today) == pytest.approx([483_750, 230_000, 93_750, 160_000, 332_625, 230_000, 70_625, 32_000])


def _sheet_values(content: bytes) -> dict[str, object]:
    ws = load_workbook(io.BytesIO(content))["Einsparungen"]
    return {row[0].value: row[1].value for row in ws.iter_rows() if isinstance(row[0].value, str) and len(row) > 1}


def test_xlsx_einsparungen_sheet_for_31_12_2022(history_db):
    then = _sheet_values(xlsx.render(build_report(history_db, as_of=NEW_YEAR_2022)))
    today = _sheet_values(xlsx.render(build_report(history_db)))
    assert then["Geplante Einsparung über 5 Jahre (Summe der drei Teile)"] == 194_000
    assert today["Geplante Einsparung über 5 Jahre (Summe der drei Teile)"] == 483_750
    assert then["Variante: bis 31.12.2022 realisiert (Summe der drei Teile)"] == 80_250
    assert today["Variante: bis 27.11.2026 realisiert (Summe der drei Teile)"] == 332_625
    assert "P3" in then and "P2" not in then and "P2" in today and "P3" not in today


def test_pdf_for_31_12_2022_lists_the_projects_of_then(history_db):
    then = pdf_text(pdf.render(build_report(history_db, as_of=NEW_YEAR_2022)))
    today = pdf_text(pdf.render(build_report(history_db)))
    assert "Hunde" in then and "Wohngeld" not in then
    assert "Wohngeld" in today and "Hunde" not in today
