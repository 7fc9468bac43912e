"""The shared-projects template: pre-filled with the current projects, dropdowns, Info sheet, reads back unchanged."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest

from loaders import cli
from loaders.projects_file import LABELS, import_projects_file
from loaders.projects_template import write_projects_template
from ozg import savings, savings_store
from ozg.auth import User
from ozg.savings import CostFigures, ProjectSpec

MARBURG, FULDA = "06534014", "06631009"


def validations(ws) -> dict[str, str]:
    """First cell of each validated range -> its list formula or type."""
    return {str(r).split(":")[0]: v.formula1 if v.type == "list" else v.type
            for v in ws.data_validations.dataValidation for r in v.sqref.ranges}


def test_sample_projects_prefilled_with_dropdowns_and_info(sample_db, tmp_path):
    path = tmp_path / "projekte.xlsx"
    count = write_projects_template(sample_db, path)
    projects = savings.projects(sample_db)
    assert count == len(projects) >= 3
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Projekte", "Info"]
    ws = wb["Projekte"]
    assert [c.value for c in ws[1]] == list(LABELS.values())
    first = savings_store.load_project(sample_db, projects["project_id"][0])
    row = {label: cell.value for label, cell in zip(LABELS.values(), ws[2], strict=True)}
    assert row["Projekt-ID"] == first.project_id and row["Projekt"] == first.name
    assert row["OZG-IDs"] == ", ".join(first.leistungen) and row["Entwicklung"] == first.costs.development
    assert row["Kommune"] == row["Federführung"]                      # the lead city's row comes first
    assert ws["H2"].number_format == "DD.MM.YYYY" and ws["I2"].number_format == "#,##0"
    rows_of_first = [r for r in ws.iter_rows(min_row=2, values_only=True) if r[0] == first.project_id]
    assert len(rows_of_first) == len(first.cities)
    assert all(r[1] is None for r in rows_of_first[1:])                # project fields only on the first row
    checks = validations(ws)
    assert checks["C2"] == checks["G2"] == "Info!$A$13:$A$17"          # Federführung and Kommune
    assert checks["E2"] == '"einfach,mittel,komplex"' and checks["D2"] == "date" and checks["I2"] == "decimal"
    info = wb["Info"]
    assert info["B2"].value == "1" and isinstance(info["B3"].value, dt.datetime) and info["B4"].value == count
    cities = [(info.cell(r, 1).value, info.cell(r, 2).value) for r in range(13, 18)]
    assert ("Marburg", MARBURG) in cities and ("Fulda", FULDA) in cities


def test_template_reads_back_with_no_changes(sample_db, tmp_path):
    path = tmp_path / "projekte.xlsx"
    write_projects_template(sample_db, path)
    before = len(savings.project_changes(sample_db)), len(savings.cost_history(sample_db))
    outcome = import_projects_file(sample_db, path, "tester")
    assert outcome.ok, outcome.problems
    assert outcome.rows_changed == 0 and len(outcome.projects) == len(savings.projects(sample_db))
    assert (len(savings.project_changes(sample_db)), len(savings.cost_history(sample_db))) == before


def test_formula_like_text_stays_text(db, tmp_path):
    savings_store.create_project(db, User("chefin", "admin"), ProjectSpec(
        "P-X", "=HYPERLINK(\"http://x\")", MARBURG, ("10023",), ((MARBURG, None),),
        costs=CostFigures(None, None, None, None, "+Annahme")))
    path = tmp_path / "projekte.xlsx"
    write_projects_template(db, path)
    ws = openpyxl.load_workbook(path)["Projekte"]
    assert ws["B2"].data_type == "s" and ws["M2"].data_type == "s"
    assert import_projects_file(db, path, "tester").rows_changed == 0


def test_cli_writes_the_template(sample_db, tmp_path, capsys):
    path = tmp_path / "vorlage.xlsx"
    assert cli.main(["--db", sample_db.url, "projects-template", "-o", str(path)]) == 0
    assert "vorlage.xlsx" in capsys.readouterr().out
    assert openpyxl.load_workbook(path)["Projekte"]["A2"].value == "BSP-01"
    with pytest.raises(SystemExit) as exited:                                    # -o is required
        cli.main(["--db", sample_db.url, "projects-template"])
    assert exited.value.code == 2


def test_empty_database_gives_header_only(db, tmp_path):
    path = tmp_path / "leer.xlsx"
    assert write_projects_template(db, path) == 0
    ws = openpyxl.load_workbook(path)["Projekte"]
    assert ws.max_row == 1 and ws["A1"].value == "Projekt-ID"
