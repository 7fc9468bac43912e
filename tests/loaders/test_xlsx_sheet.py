"""The streaming sheet reader gives the values openpyxl gives, for the cell kinds Excel and LibreOffice write:
shared strings with formatted runs and phonetic guides, inline strings, dates by style, booleans, errors, saved
formula results, formulas without a saved value (shared ones too), rows without references, rows out of order."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import openpyxl
import pytest

from loaders.cells import ExcelError, UnsavedFormula
from loaders.problems import FileRejected
from loaders.xlsx_source import read_xlsx

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml"
 ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
<Override PartName="/xl/worksheets/sheet1.xml"
 ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
<Override PartName="/xl/worksheets/sheet2.xml"
 ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
<Override PartName="/xl/styles.xml"
 ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>
<Override PartName="/xl/sharedStrings.xml"
 ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>
</Types>"""

ROOT_RELS = f"""<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>"""

WORKBOOK = f"""<?xml version="1.0" encoding="UTF-8"?>
<workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets>
<sheet name="Versteckt" sheetId="2" state="hidden" r:id="rId2"/>
<sheet name="Status" sheetId="1" r:id="rId1"/></sheets></workbook>"""

WORKBOOK_RELS = f"""<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>
<Relationship Id="rId2" Type="{REL}/worksheet" Target="worksheets/sheet2.xml"/>
<Relationship Id="rId3" Type="{REL}/styles" Target="styles.xml"/>
<Relationship Id="rId4" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/></Relationships>"""

STYLES = f"""<?xml version="1.0" encoding="UTF-8"?>
<styleSheet xmlns="{MAIN}"><fonts count="1"><font/></fonts>
<fills count="1"><fill><patternFill patternType="none"/></fill></fills>
<borders count="1"><border/></borders><cellStyleXfs count="1"><xf/></cellStyleXfs>
<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/></cellXfs>
<cellStyles count="1"><cellStyle name="Standard" xfId="0" builtinId="0"/></cellStyles></styleSheet>"""

SHARED = f"""<?xml version="1.0" encoding="UTF-8"?>
<sst xmlns="{MAIN}" count="3" uniqueCount="3">
<si><t>OZG-ID</t></si>
<si><r><rPr><b/></rPr><t>on</t></r><r><t xml:space="preserve">line </t></r><rPh sb="0" eb="1"><t>xx</t></rPh></si>
<si><t>Status</t></si></sst>"""

SHEET = f"""<?xml version="1.0" encoding="UTF-8"?>
<worksheet xmlns="{MAIN}"><sheetData>
<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>2</v></c>
 <c r="C1" t="inlineStr"><is><t>Notiz</t></is></c></row>
<row r="3"><c r="A3"><v>10001</v></c><c r="B3" t="s"><v>1</v></c><c r="C3" s="1"><v>45000</v></c>
 <c r="D3" t="b"><v>1</v></c><c r="E3" t="e"><v>#DIV/0!</v></c><c r="F3" t="str"><f>"a"&amp;"b"</f><v>ab</v></c>
 <c r="G3"><f t="shared" ref="G3:G4" si="0">A3*2</f></c><c r="H3"><v>2.5</v></c></row>
<row r="4"><c r="A4"><v>10002</v></c><c r="G4"><f t="shared" si="0"/></c>
 <c r="I4" t="inlineStr"><is><r><t>fett</t></r><r><t>er Text</t></r></is></c></row>
<row><c><v>7</v></c><c><v>8</v></c></row>
<row r="2"><c r="A2" t="inlineStr"><is><t>zwischen</t></is></c></row>
</sheetData><mergeCells count="1"><mergeCell ref="A4:B5"/></mergeCells></worksheet>"""

HIDDEN = f"""<?xml version="1.0" encoding="UTF-8"?>
<worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData></worksheet>"""


def _workbook(path: Path, sheet: str = SHEET) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in (("[Content_Types].xml", CONTENT_TYPES), ("_rels/.rels", ROOT_RELS),
                           ("xl/workbook.xml", WORKBOOK), ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS),
                           ("xl/styles.xml", STYLES), ("xl/sharedStrings.xml", SHARED),
                           ("xl/worksheets/sheet1.xml", sheet), ("xl/worksheets/sheet2.xml", HIDDEN)):
            zf.writestr(name, text)
    return path


def test_values_by_kind_as_excel_saved_them(tmp_path):
    table = read_xlsx(_workbook(tmp_path / "excel.xlsx"), "excel.xlsx")
    assert table.sheet == "Status"   # the hidden first sheet is never read
    rows = dict(table.rows)
    assert [n for n, _ in table.rows] == [1, 2, 3, 4, 5]   # sorted; the unnumbered row follows row 4
    assert rows[1] == ["OZG-ID", "Status", "Notiz"]
    assert rows[2] == ["zwischen"]
    assert rows[3] == [10001, "online ", dt.datetime(2023, 3, 15), True, ExcelError("#DIV/0!"), "ab",
                       UnsavedFormula("=A3*2"), 2.5]
    assert rows[4] == [10002, None, None, None, None, None, UnsavedFormula("=A4*2"), None, "fetter Text"]
    assert rows[5] == [7, 8]
    assert [(m.ref, m.min_row, m.min_col, m.max_row) for m in table.merged] == [("A4:B5", 4, 1, 5)]


def test_values_equal_what_openpyxl_reads(tmp_path):
    path = _workbook(tmp_path / "excel.xlsx")
    table = read_xlsx(path, "excel.xlsx")
    # read_only: the same cell parser as the full load, which drops the unnumbered row; read_only keeps that
    # one but drops row 2, stored after row 5. Every other cell must be the same.
    wb = openpyxl.load_workbook(path, data_only=True, read_only=True)
    theirs_by_cell = {(c.row, c.column): c.value for row in wb["Status"].iter_rows() for c in row
                      if getattr(c, "value", None) is not None}
    wb.close()
    ours = {(number, column) for number, values in table.rows for column, v in enumerate(values, start=1)
            if v is not None and not isinstance(v, UnsavedFormula)}
    assert ours - set(theirs_by_cell) == {(2, 1)} and set(theirs_by_cell) <= ours
    for number, values in table.rows:
        for column, value in enumerate(values, start=1):
            if (number, column) == (2, 1):
                continue
            theirs = theirs_by_cell.get((number, column))
            if isinstance(value, UnsavedFormula):
                assert theirs is None
            elif isinstance(value, ExcelError):
                assert theirs == str(value)
            else:
                assert value == theirs, (number, column)


def test_damaged_sheet_xml_is_a_located_rejection(tmp_path):
    path = _workbook(tmp_path / "kaputt.xlsx", SHEET.replace("</sheetData>", "<row r='9'><c r='A9'><v>1</v>"))
    with pytest.raises(FileRejected) as caught:
        read_xlsx(path, "kaputt.xlsx")
    assert caught.value.problem.message.startswith("Die Tabelle „Status“ ist beschädigt und lässt sich nicht lesen")


def test_empty_rows_by_the_hundred_thousand_do_not_pile_up_in_memory(tmp_path):
    import tracemalloc

    empty = "".join(f'<row r="{n}"/>' for n in range(2, 400_002))
    sheet = (f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}"><sheetData>'
             '<row r="1"><c r="A1" t="inlineStr"><is><t>OZG-ID</t></is></c></row>'
             f'{empty}<row r="400002"><c r="A400002"><v>10001</v></c></row></sheetData></worksheet>')
    path = _workbook(tmp_path / "leer.xlsx", sheet)
    tracemalloc.start()
    try:
        table = read_xlsx(path, "leer.xlsx")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert [n for n, _ in table.rows] == [1, 400_002]
    assert peak < 10 * 2**20   # kept as cleared children of sheetData they took 32 MB


def test_too_many_shared_strings_stop_reading_with_a_german_message(tmp_path, monkeypatch):
    from loaders import xlsx_source

    monkeypatch.setattr(xlsx_source, "MAX_SHARED_STRINGS", 2)   # the fixture has 3
    with pytest.raises(FileRejected) as caught:
        read_xlsx(_workbook(tmp_path / "texte.xlsx"), "texte.xlsx")
    assert caught.value.problem.message.startswith("Die Arbeitsmappe enthält mehr als 2 verschiedene Texte")
