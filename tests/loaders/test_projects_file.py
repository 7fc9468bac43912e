"""Shared-projects files: a good file loads (with history), bad files are rejected with located problems and the
database stays exactly as it was."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest

from loaders import cli
from loaders.problems import Problem
from loaders.projects_file import import_projects_file
from ozg import savings, savings_store
from ozg.savings import CostFigures, ProjectSpec

HEADER = ["Projekt-ID", "Projekt", "Federführung", "Start", "Komplexität", "OZG-IDs", "Kommune", "Go-live",
          "Entwicklung", "Anpassung je Kommune", "Betrieb pro Jahr", "Koordination", "Quelle"]
MARBURG, GIESSEN, FULDA = "06534014", "06531005", "06631009"
TABLES = ("shared_project", "project_leistung", "project_city", "project_cost", "project_change", "import_batch")


def xlsx(path, rows, sheet="Projekte"):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def snapshot(db) -> dict[str, list]:
    """Every row of every table an import may touch."""
    with db.connect() as conn:
        return {t: sorted(map(repr, conn.execute(f"SELECT * FROM {t}"))) for t in TABLES}


GOOD = [
    ["Gemeinschaftsprojekte 2025 (Notiz über der Kopfzeile)"],
    HEADER,
    ["P-GEWERBE", "Gewerbe digital", "Marburg", "15.01.2024", "Mittel", "10023, 10247", "Marburg",
     dt.datetime(2024, 9, 1), 120000, "12.000", 18000.5, 9000, "Haushaltsplan 2024"],
    ["P-GEWERBE", None, None, None, None, None, "giessen", "2025-02-01", None, None, None, None, None],
    ["P-GEWERBE", "Gewerbe digital", None, None, None, None, "06631009", None, None, None, None, None, None],
    ["P-KITA", "Kita-Anmeldung", "Fulda", None, None, 10487, "Fulda", None, None, None, None, None, None],
]


def test_good_file_loads_and_a_second_import_changes_nothing(db, tmp_path):
    path = xlsx(tmp_path / "projekte.xlsx", GOOD)
    outcome = import_projects_file(db, path, "tester")
    assert outcome.ok, outcome.problems
    assert (len(outcome.projects), outcome.rows_changed) == (2, 2)
    assert savings_store.load_project(db, "P-GEWERBE") == ProjectSpec(
        "P-GEWERBE", "Gewerbe digital", MARBURG, ("10023", "10247"),
        ((GIESSEN, dt.date(2025, 2, 1)), (MARBURG, dt.date(2024, 9, 1)), (FULDA, None)),
        start_date=dt.date(2024, 1, 15), complexity="mittel",
        costs=CostFigures(120000.0, 12000.0, 18000.5, 9000.0, "Haushaltsplan 2024"))
    kita = savings_store.load_project(db, "P-KITA")
    assert (kita.leistungen, kita.cities, kita.costs) == (("10487",), ((FULDA, None),), None)
    changes = savings.project_changes(db)
    assert set(changes["changed_by"]) == {"tester"} and set(changes["batch_id"]) == {outcome.batch_id}
    again = import_projects_file(db, path, "tester")
    assert again.ok and again.rows_changed == 0
    assert len(savings.project_changes(db)) == len(changes) and len(savings.cost_history(db)) == 1


def test_dry_run_writes_nothing(db, tmp_path):
    before = snapshot(db)
    outcome = import_projects_file(db, xlsx(tmp_path / "projekte.xlsx", GOOD), "tester", dry_run=True)
    assert outcome.ok and len(outcome.projects) == 2 and outcome.batch_id is None
    assert snapshot(db) == before


def test_bad_rows_are_located_and_nothing_changes(db, tmp_path):
    path = xlsx(tmp_path / "bad.xlsx", [
        HEADER,
        ["P-A", "Alpha", "Marburg", None, None, "10023", "Marburg", dt.datetime(2025, 3, 1), 100000, None, None, None,
         None],                                                                         # fine, file still rejected
        ["P-A", "Alpha anders", None, None, None, None, "Gießen", "31.13.2023", None, None, None, None, None],
        ["P-A", None, None, None, None, None, "Atlantis", None, None, None, None, None, None],
        ["P-A", None, None, None, None, None, "Marburg", None, None, None, None, None, None],
        ["P B!", "Beta", "Fulda", None, None, "10023", "Fulda", None, None, None, None, None, None],
        ["P-C", "Gamma", "Fulda", None, "riesig", "10023, 99999", "Wetzlar", None, "viel", None, None, None, None],
        ["P-D", None, "Fulda", None, None, "10023", "Fulda", None, "#NV", None, None, None, None],
    ])
    before = snapshot(db)
    outcome = import_projects_file(db, path, "tester")
    assert [(p.row, p.column, p.value) for p in outcome.errors] == [
        (3, "Projekt", "Alpha anders"),        # project value differs from row 2
        (3, "Go-live", "31.13.2023"),          # impossible date
        (4, "Kommune", "Atlantis"),            # unknown city
        (5, "Kommune", "Marburg"),             # city twice in one project
        (6, "Projekt-ID", "P B!"),             # malformed project ID
        (7, "Komplexität", "riesig"),          # unknown complexity
        (7, "Entwicklung", "viel"),            # not an amount
        (8, "Entwicklung", "#NV"),             # Excel error value
        (7, "OZG-IDs", "99999"),               # not in the catalogue
        (7, "Federführung", FULDA),            # lead city not among the project's cities
        (8, "Projekt", None),                  # required project field missing
    ]
    assert all(p.file == "bad.xlsx" and p.sheet == "Projekte" for p in outcome.errors)
    assert all("erwartet" in p.message for p in outcome.errors)
    assert "Zeilen 2 und 5" in outcome.errors[3].message and "Zeile 2" in outcome.errors[0].message
    assert outcome.batch_id is None and snapshot(db) == before


@pytest.mark.parametrize(("content", "message"), [
    (b"", "leer"),
    (b"%PDF-1.4 nope", "PDF"),
    (b"Projekt-ID;Projekt;Kommune\n", "keine Datenzeilen"),
    (b"Projekt-ID;Projekt;OZG-IDs\nP-A;Alpha;10023\n", "„Kommune“"),
    (b"Projekt;Kommune\nAlpha;Marburg\n", "Projekt-ID"),
    (b"Projekt-ID;Kommune;Projekt-ID\nP-A;Marburg;P-A\n", "doppelt"),
])
def test_whole_file_problems(db, tmp_path, content, message):
    path = tmp_path / "projekte.csv"
    path.write_bytes(content)
    before = snapshot(db)
    outcome = import_projects_file(db, path, "tester")
    assert not outcome.ok
    problem = outcome.errors[-1]
    assert isinstance(problem, Problem) and problem.file == "projekte.csv" and message in problem.message
    assert snapshot(db) == before


def test_an_existing_project_is_replaced_with_history(db, tmp_path):
    assert import_projects_file(db, xlsx(tmp_path / "a.xlsx", GOOD), "erste").ok
    changed = [HEADER, ["P-KITA", "Kita-Anmeldung", "Fulda", None, None, "10487", "Fulda", None, 40000, None, None,
                        None, None],
               ["P-KITA", None, None, None, None, None, "Marburg", "01.06.2025", None, None, None, None, None]]
    outcome = import_projects_file(db, xlsx(tmp_path / "b.xlsx", changed), "zweite")
    assert outcome.ok and outcome.rows_changed == 1
    kita = savings_store.load_project(db, "P-KITA")
    assert kita.cities == ((MARBURG, dt.date(2025, 6, 1)), (FULDA, None))     # read back ordered by AGS
    assert kita.costs.development == 40000.0
    latest = savings.project_changes(db).query("changed_by == 'zweite'")
    assert list(latest["field"]) == ["cities"]
    assert savings_store.load_project(db, "P-GEWERBE").name == "Gewerbe digital"     # absent: unchanged


def test_cli_exit_codes(db, tmp_path, capsys):
    bad = xlsx(tmp_path / "bad.xlsx", [HEADER, ["P-A", "Alpha", "Marburg", None, None, "99999", "Marburg"]])
    assert cli.main(["--db", db.url, "projects", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "bad.xlsx, Blatt „Projekte“, Zeile 2, Spalte „OZG-IDs“" in err and "nichts wurde geändert" in err
    good = xlsx(tmp_path / "good.xlsx", GOOD)
    assert cli.main(["--db", db.url, "projects", str(good), "--dry-run"]) == 0
    assert savings.projects(db).empty
    assert cli.main(["--db", db.url, "projects", str(good), "--user", "cron"]) == 0
    assert list(savings.projects(db)["project_id"]) == ["P-GEWERBE", "P-KITA"]
    assert cli.main(["--db", db.url, "projects", str(tmp_path / "fehlt.xlsx")]) == 2
