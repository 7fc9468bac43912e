"""LibreOffice's .ods goes through the same checks and limits as .xlsx (loaders/ods_source.py)."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest

from loaders.cells import UnsavedFormula
from loaders.ods_source import read_ods
from loaders.status_file import read_status_file
from tests.loaders.conftest import HEADER, make_ctx
from tests.loaders.ods_support import HEAD, TAIL, cell, row, table, write_ods

GOOD = ["10001", "Leistung A", "Themenfeld", 3, "online", None, dt.date(2022, 12, 31), "ja", "nein", None,
        "civento", "https://www.fulda.de/a", "Zeile 1\nZeile 2"]


def test_values_types_and_row_numbers_as_in_libreoffice(tmp_path):
    path = write_ods(tmp_path / "s.ods", table("Hinweise", [["nur lesen"]]),
                     table("Status", [["Statusmeldung Fulda"], HEADER, [], GOOD]),
                     table("Info", [["AGS", "06631009"]]))
    raw = read_ods(path, "s.ods")
    assert raw.sheet == "Status" and raw.city_ags == "06631009"
    assert [n for n, _ in raw.rows] == [1, 2, 4]
    assert raw.rows[2][1] == ["10001", "Leistung A", "Themenfeld", 3, "online", None,
                              dt.datetime(2022, 12, 31), "ja", "nein", None, "civento", "https://www.fulda.de/a",
                              "Zeile 1\nZeile 2"]


def test_a_status_file_as_ods_is_checked_like_xlsx(tmp_path):
    bad = ["10002", None, None, 9, "fertig"]
    path = write_ods(tmp_path / "fulda.ods", table("Status", [HEADER, GOOD, bad]))
    result = read_status_file(path, make_ctx())
    assert [(p.sheet, p.row, p.column) for p in result.problems] == [("Status", 3, "Reifegrad"),
                                                                     ("Status", 3, "Status")]


def test_hidden_sheets_are_never_read_and_repeats_expand_only_with_values(tmp_path):
    repeated = row([cell("10001"), cell(None, repeat=3), cell("x", repeat=2)], repeat=2)
    path = write_ods(tmp_path / "s.ods", table("Status", [HEADER], hidden=True), table("Daten", [HEADER, repeated]))
    raw = read_ods(path, "s.ods")
    assert raw.sheet == "Daten"
    assert raw.rows[1:] == [(2, ["10001", None, None, None, "x", "x"]), (3, ["10001", None, None, None, "x", "x"])]


def test_merged_cells_and_unsaved_formulas(tmp_path):
    merged = row([cell("10001"), cell("zusammen", raw=' table:number-columns-spanned="2"'),
                  "<table:covered-table-cell/>", '<table:table-cell table:formula="of:=[.A1]*2"/>'])
    raw = read_ods(write_ods(tmp_path / "s.ods", table("Status", [HEADER, merged])), "s.ods")
    assert [(m.ref, m.min_row, m.min_col) for m in raw.merged] == [("B2:C2", 2, 2)]
    assert raw.rows[1][1][3] == UnsavedFormula("=[.A1]*2")


def test_a_filled_cell_repeated_a_million_times_is_stopped(tmp_path):
    bomb = row([cell("10001"), cell("x", repeat=16000)], repeat=1000)
    path = write_ods(tmp_path / "bomb.ods", table("Status", [HEADER, bomb]))
    result = read_status_file(path, make_ctx())
    assert [p.message for p in result.problems] == [
        "Die Tabelle „Status“ hat Werte in Spalte WQK – erwartet höchstens 500 Spalten. Das Lesen wurde dort "
        "beendet."]
    many = row([cell("10001")] + [cell("x", repeat=60)], repeat=5000)
    result = read_status_file(write_ods(tmp_path / "many.ods", table("Status", [HEADER, many])), make_ctx())
    assert "mehr als 250.000 gefüllte Zellen" in result.problems[0].message


def test_too_many_rows_are_stopped(tmp_path):
    path = write_ods(tmp_path / "lang.ods", table("Status", [HEADER, row(["10001", "x"], repeat=5100)]))
    result = read_status_file(path, make_ctx())
    assert [p.message for p in result.problems] == [
        "Die Tabelle „Status“ hat mehr als 5.100 Zeilen mit Werten – erwartet höchstens 5.000 Datenzeilen. Das "
        "Lesen wurde dort beendet."]


def test_doctype_and_broken_xml_are_rejected(tmp_path):
    doctype = HEAD.replace("<office:document-content", '<!DOCTYPE x [<!ENTITY a "b">]><office:document-content')
    result = read_status_file(write_ods(tmp_path / "d.ods", content=doctype + TAIL), make_ctx())
    assert "DOCTYPE-Deklaration (in „content.xml“)" in result.problems[0].message
    result = read_status_file(write_ods(tmp_path / "b.ods", content=HEAD + "<table:table>"), make_ctx())
    assert result.problems[0].code == "unreadable" and "beschädigt" in result.problems[0].message


def test_an_odt_text_document_is_still_not_a_table(tmp_path):
    import zipfile

    path = tmp_path / "brief.odt"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        zf.writestr("content.xml", "<x/>")
    result = read_status_file(path, make_ctx())
    assert "OpenDocument-Textdokument" in result.problems[0].message


FIXTURE = Path(__file__).parent / "fixtures" / "fulda_template_libreoffice.ods"


def test_a_libreoffice_resave_of_the_template_imports_with_zero_changes(db, tmp_path):
    """The fixture is the Fulda template (empty database) opened and saved as .ods by LibreOffice 7.4."""
    from loaders.importer import import_status_file

    outcome = import_status_file(db, FIXTURE, "Fulda", "test", dry_run=True)
    assert outcome.errors == []
    assert outcome.result.rows_read == 557 and outcome.result.rows_changed == 0


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (libreoffice-calc-nogui) not installed")
def test_an_edit_saved_by_libreoffice_imports_exactly(db, tmp_path):
    import openpyxl

    from loaders import template
    from loaders.importer import import_status_file

    xlsx = tmp_path / "fulda.xlsx"
    template.write_template(db, "Fulda", xlsx)
    wb = openpyxl.load_workbook(xlsx)
    ws = wb["Status"]
    header = {c.value: c.column for c in ws[1]}
    ws.cell(row=2, column=header["Reifegrad"], value=3)
    ws.cell(row=2, column=header["Status"], value="online")
    ws.cell(row=2, column=header["Online seit"], value=dt.date(2024, 3, 1))
    wb.save(xlsx)
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "ods",
                    "--outdir", str(tmp_path), str(xlsx)], check=True, capture_output=True, timeout=300)
    outcome = import_status_file(db, tmp_path / "fulda.ods", "Fulda", "test", dry_run=True)
    assert outcome.errors == []
    assert outcome.result.rows_changed == 1
