"""python -m reports abgleich: the CSV contract as a literal string, the XLSX read back, the ministry sheet."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

import reports
from loaders.bund_import import import_bund_file
from ozg import status
from ozg.batches import BatchInfo
from ozg.domain import StatusUpdate
from reports import abgleich
from reports import cli as reports_cli
from tests.bund_support import FIXTURES, WZ, set_city_status

STAND = dt.date(2026, 11, 1)
HEADER = "AGS;Kommune;OZG-ID;Leistung;Kommune online;Bund online;Link Kommune;Link Bund;Befund"
# Wetzlar, counted by hand (tests/ozg/test_bund_compare.py): its own 10004 (R3) is 'aktiv nein' at the Bund; the Bund
# has 10001 (Hessen landesweit) and 10002 (bundesweit) online, Wetzlar reported neither.
WETZLAR_CSV = (
    "\ufeff" + HEADER + "\r\n"
    '"06532023";"Wetzlar";"10004";"Hebammenhilfe";ja;nein;"https://wetzlar.example/hebamme";'
    '"https://bund.example/wz/hebamme";"Kommune online, Bund nicht"\r\n'
    '"06532023";"Wetzlar";"10001";"Erklärung zur Vaterschafts-/Mutterschaftsanerkennung";nein;ja;;'
    '"https://bund.example/he/vaterschaft";"Bund online, Kommune nicht"\r\n'
    '"06532023";"Wetzlar";"10002";"Familienversicherung";nein;ja;;"https://bund.example/de/familienversicherung";'
    '"Bund online, Kommune nicht"\r\n'
)


@pytest.fixture
def compared(any_db):
    set_city_status(any_db)
    import_bund_file(any_db, FIXTURES / "bund_page.json", STAND, "k")
    return any_db


def test_csv_follows_the_contract_exactly(compared):
    assert abgleich.export(compared, "csv", cities=["Wetzlar"]).decode("utf-8") == WETZLAR_CSV


def test_csv_of_all_cities_has_the_hand_counted_rows(compared):
    text = abgleich.export(compared, "csv").decode("utf-8-sig")
    lines = text.splitlines()
    assert lines[0] == HEADER
    assert len(lines) - 1 == 14
    assert sum(line.endswith('"Bund online, Kommune nicht"') for line in lines) == 11


def test_text_a_spreadsheet_would_run_is_neutralised(db):
    status.apply_updates(db, WZ, [StatusUpdate("10004", {"reifegrad": 3, "link": "=HYPERLINK(\"http://x\")"})],
                         BatchInfo("status", "t", "w.xlsx", "0" * 64, WZ))
    import_bund_file(db, FIXTURES / "bund.csv", STAND, "k")
    row = [line for line in abgleich.export(db, "csv", cities=["Wetzlar"]).decode("utf-8-sig").splitlines()
           if ';"10004";' in line][0]
    assert ';"\'=HYPERLINK(""http://x"")";' in row  # a leading apostrophe; the CSV writer quotes the cell


def test_xlsx_has_the_stand_of_both_sides_and_the_same_rows(compared):
    wb = load_workbook(io.BytesIO(abgleich.export(compared, "xlsx", cities=["Wetzlar"])))
    ws = wb["Abgleich Bund"]
    assert wb.sheetnames == ["Abgleich Bund"]
    assert ws["A1"].value.startswith("Bundesdaten: Stand 01.11.2026 (Datei bund_page.json, importiert 27.11.2026")
    assert ws["A1"].value.endswith("Kommunen: Stand 27.11.2026")
    assert [c.value for c in ws[4]] == HEADER.split(";")
    assert [[c.value for c in row] for row in ws.iter_rows(min_row=5, max_col=6)] == [
        ["06532023", "Wetzlar", "10004", "Hebammenhilfe", "ja", "nein"],
        ["06532023", "Wetzlar", "10001", "Erklärung zur Vaterschafts-/Mutterschaftsanerkennung", "nein", "ja"],
        ["06532023", "Wetzlar", "10002", "Familienversicherung", "nein", "ja"],
    ]


def test_ministry_workbook_gets_the_sheet_only_with_federal_data(db):
    set_city_status(db)
    without = load_workbook(io.BytesIO(reports.export(db, "xlsx")))
    assert "Abgleich Bund" not in without.sheetnames
    import_bund_file(db, FIXTURES / "bund.xlsx", STAND, "k")
    ws = load_workbook(io.BytesIO(reports.export(db, "xlsx", cities=["Wetzlar", "Fulda"])))["Abgleich Bund"]
    assert ws["A1"].value.startswith("Bundesdaten: Stand 01.11.2026")
    assert [(r[1].value, r[2].value) for r in ws.iter_rows(min_row=5)] == [
        ("Fulda", "10001"), ("Fulda", "10002"), ("Wetzlar", "10004"), ("Wetzlar", "10001"), ("Wetzlar", "10002")]


def test_cli_writes_the_file_and_says_so(compared, tmp_path, capsys):
    target = tmp_path / "abgleich.csv"
    code = reports_cli.main(["--db", compared.url, "abgleich", "--format", "csv", "-o", str(target),
                             "--cities", "Wetzlar"])
    assert code == 0, capsys.readouterr().err
    assert target.read_bytes().decode("utf-8") == WETZLAR_CSV


def test_cli_without_federal_data_for_the_day_says_what_to_do(compared, tmp_path, capsys):
    code = reports_cli.main(["--db", compared.url, "abgleich", "--format", "xlsx", "-o", str(tmp_path / "a.xlsx"),
                             "--as-of", "31.10.2026"])
    assert code == 2
    assert "keine Bundesdaten mit Stand bis 31.10.2026" in capsys.readouterr().err
    assert not (tmp_path / "a.xlsx").exists()
