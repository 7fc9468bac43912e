"""Usage figures (Fallzahlen): good files import, bad files are rejected with located problems, DB unchanged."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pandas as pd
import pytest

from loaders import cli
from loaders.problems import Problem
from loaders.usage_file import import_usage_file
from ozg import savings

HEADER = ["Monat", "Kommune", "OZG-ID", "Fälle gesamt", "Fälle digital"]


def xlsx(path, rows, sheet="Fallzahlen"):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def usage_rows(db):
    frame = savings.usage(db)[["month", "ags", "ozg_id", "cases_total", "cases_digital"]]
    return [[None if v is pd.NA else v for v in row] for row in frame.values.tolist()]


def test_good_xlsx_imports_and_second_import_changes_nothing(db, tmp_path):
    path = xlsx(tmp_path / "fallzahlen.xlsx", [
        ["Fallzahlen 2025 (Notiz über der Kopfzeile)"],
        HEADER,
        [dt.datetime(2025, 3, 1), "Marburg", 10023, 120, 84],
        ["04.2025", "06531005", "10023", "1.200", 300],
        ["2025-05", "giessen", 10023.0, None, 310],
    ])
    outcome = import_usage_file(db, path, None, "tester")
    assert outcome.ok and outcome.rows_changed == 3
    assert usage_rows(db) == [
        [pd_ts(2025, 3), "06534014", "10023", 120, 84],
        [pd_ts(2025, 4), "06531005", "10023", 1200, 300],
        [pd_ts(2025, 5), "06531005", "10023", None, 310],
    ]
    again = import_usage_file(db, path, None, "tester")
    assert again.ok and again.rows_changed == 0


def pd_ts(year, month):
    return pd.Timestamp(year, month, 1)


def test_bad_rows_are_located_and_nothing_changes(db, tmp_path):
    path = xlsx(tmp_path / "bad.xlsx", [
        HEADER,
        ["03.2025", "Marburg", 10023, 120, 84],            # fine, but the file is rejected as a whole
        ["13.2025", "Marburg", 10023, 5, 1],               # row 3: no such month
        ["04.2025", "Atlantis", 99999, "viele", 2],        # row 4: city, OZG-ID, count
        ["05.2025", "Marburg", 10023, 10, 11],             # row 5: digital > total
        ["03.2025", "Marburg", 10023, 7, 7],               # row 6: duplicate of row 2
        ["06.2025", "Marburg", 10023, "#NV", 1],           # row 7: Excel error value
        ["01.2099", "Marburg", 10023, 1, 1],               # row 8: future month
        ["Summe", None, None, 143, 105],                   # row 9: totals line
    ])
    before = usage_rows(db)
    outcome = import_usage_file(db, path, None, "tester")
    got = [(p.row, p.column, p.value) for p in outcome.errors]
    assert got == [
        (3, "Monat", "13.2025"),
        (4, "OZG-ID", "99999"),
        (4, "Kommune", "Atlantis"),
        (4, "Fälle gesamt", "viele"),
        (5, "Fälle digital", "11"),
        (6, "OZG-ID", "10023"),
        (7, "Fälle gesamt", "#NV"),
        (8, "Monat", "01.2099"),
        (9, "Monat", "Summe"),
        (9, "OZG-ID", None),
        (9, "Kommune", None),
    ]
    assert all(p.file == "bad.xlsx" and p.sheet == "Fallzahlen" for p in outcome.errors)
    duplicate = next(p for p in outcome.errors if p.row == 6)
    assert "Zeilen 2 und 6" in duplicate.message
    assert "erwartet" in outcome.errors[0].message
    assert usage_rows(db) == before == []
    assert outcome.batch_id is None


@pytest.mark.parametrize(("content", "message"), [
    (b"", "leer"),
    (b"%PDF-1.4 nope", "PDF"),
    ("Monat;Kommune;OZG-ID;Fälle gesamt\n".encode(), "keine Datenzeilen"),
    ("Monat;Kommune;Fälle gesamt\n03.2025;Marburg;5\n".encode(), "OZG-ID"),
    ("OZG-ID;Fälle gesamt\n10023;5\n".encode(), "Monat"),
])
def test_whole_file_problems(db, tmp_path, content, message):
    path = tmp_path / "fallzahlen.csv"
    path.write_bytes(content)
    outcome = import_usage_file(db, path, None, "tester")
    assert not outcome.ok
    assert message in outcome.errors[-1].message
    assert isinstance(outcome.errors[-1], Problem) and outcome.errors[-1].file == "fallzahlen.csv"
    assert usage_rows(db) == []


def test_csv_windows_1252_with_city_argument(db, tmp_path):
    path = tmp_path / "giessen.csv"
    path.write_bytes("Monat;OZG-ID;Fälle gesamt;Fälle digital\r\n03.2025;10023;1.234;1.000\r\n".encode("cp1252"))
    outcome = import_usage_file(db, path, "Gießen", "tester")
    assert outcome.ok, outcome.problems
    assert usage_rows(db) == [[pd_ts(2025, 3), "06531005", "10023", 1234, 1000]]


def test_row_of_another_city_is_rejected_when_city_given(db, tmp_path):
    path = tmp_path / "giessen.csv"
    path.write_text("Monat;Kommune;OZG-ID;Fälle gesamt\n03.2025;Marburg;10023;5\n", encoding="utf-8")
    outcome = import_usage_file(db, path, "Gießen", "tester")
    assert [(p.row, p.column) for p in outcome.errors] == [(2, "Kommune")]


def test_cli_exit_codes(db, tmp_path, capsys):
    good = tmp_path / "ok.csv"
    good.write_text("Monat;Kommune;OZG-ID;Fälle gesamt;Fälle digital\n03.2025;Marburg;10023;5;4\n", encoding="utf-8")
    bad = tmp_path / "bad.csv"
    bad.write_text("Monat;Kommune;OZG-ID;Fälle gesamt;Fälle digital\n03.2025;Marburg;10023;5;6\n", encoding="utf-8")
    assert cli.main(["--db", db.url, "usage", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "bad.csv, Zeile 2, Spalte „Fälle digital“" in err and "nichts wurde geändert" in err
    assert cli.main(["--db", db.url, "usage", str(good), "--dry-run"]) == 0
    assert usage_rows(db) == []
    assert cli.main(["--db", db.url, "usage", str(good)]) == 0
    assert len(usage_rows(db)) == 1
    assert cli.main(["--db", db.url, "usage", str(tmp_path / "missing.csv")]) == 2
