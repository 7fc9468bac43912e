"""Exports keep what people wrote: XLSX text exactly as imported, numbers as numbers, CSV text quoted.

The XLSX is the file for people: a typed string cell is never evaluated, so text needs no apostrophe. The CSV is
the file for machines: text is quoted (a spreadsheet's „quoted field as text“ keeps the AGS leading zero) and
neutralised (OWASP).
"""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

import reports
from ozg.batches import BatchInfo
from ozg.domain import StatusUpdate
from ozg.status import apply_updates

WETZLAR = "06532023"
REMARKS = {"10000": "- wartet auf Landesverfahren", "10001": "=1+1", "10002": "@x",
           "10003": 'Text mit "Zitat"; Semikolon'}


@pytest.fixture
def remarks_files(any_sample_db):
    apply_updates(any_sample_db, WETZLAR, [
        StatusUpdate(ozg_id, {"reifegrad": 1, "status": "Umsetzung", "bemerkung": text})
        for ozg_id, text in REMARKS.items()], BatchInfo("edit", "test", ags=WETZLAR))
    return reports.export_all(any_sample_db)


def test_xlsx_cells_read_back_exactly_as_imported(remarks_files):
    ws = load_workbook(io.BytesIO(remarks_files["xlsx"]))["Status"]
    header = [c.value for c in ws[1]]
    col = {name: i for i, name in enumerate(header)}
    rows = {(r[col["AGS"]].value, r[col["OZG-ID"]].value): r for r in ws.iter_rows(min_row=2)}
    for ozg_id, text in REMARKS.items():
        cell = rows[(WETZLAR, ozg_id)][col["Bemerkung"]]
        assert cell.value == text and cell.data_type == "s"
        assert cell.quotePrefix == text.startswith(("=", "+", "-", "@"))


def test_csv_quotes_text_and_neutralises_formulas(remarks_files):
    lines = remarks_files["csv"][3:].decode("utf-8").split("\r\n")
    assert lines[0].startswith("AGS;Kommune;OZG-ID;Leistung;Themenfeld;Reifegrad;Reifegradmodell;Status;")
    row = next(line for line in lines if line.startswith(f'"{WETZLAR}";"Wetzlar";"10001";'))
    assert ';"\'=1+1";' in row
    line = next(line for line in lines if line.startswith(f'"{WETZLAR}";"Wetzlar";"10000";'))
    # Reifegrad 1 bare, then the quoted model, the quoted status; the remark keeps its text behind the apostrophe.
    assert ';1;"1.1";"Umsetzung";' in line and ';"\'- wartet auf Landesverfahren";' in line
    quoted = next(line for line in lines if line.startswith(f'"{WETZLAR}";"Wetzlar";"10003";'))
    assert ';"Text mit ""Zitat""; Semikolon";' in quoted


def test_every_count_and_amount_is_a_number_in_every_sheet(sample_workbook):
    numeric = ("Einwohner", "Leistungen", "online", "relevant", "überfällig", "federführend", "Ende-zu-Ende",
               "Bescheid digital", "Reifegrad", "Tage", "(€)", "(n)", "Wert", "Anteil")
    for ws in sample_workbook.worksheets:
        headers = {}
        for row in ws.iter_rows():
            texts = [c.value for c in row]
            if texts and texts[0] in ("Kommune", "AGS", "Art", "Stichtag", "Projekt-ID", "Parameter"):
                headers = {i: v for i, v in enumerate(texts) if isinstance(v, str)}
                continue
            for i, c in enumerate(row):
                name = headers.get(i, "")
                if c.value is None or not any(word in name for word in numeric) or name in (
                        "Reifegradmodell", "Leistung", "Standardwerte genutzt für"):
                    continue
                if name in ("Ende-zu-Ende", "Bescheid digital") and ws.title == "Status":
                    continue   # ja/nein per Leistung there
                assert isinstance(c.value, (int, float)), f"{ws.title}!{c.coordinate} ({name}): {c.value!r}"
