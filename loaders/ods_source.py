"""Read a LibreOffice spreadsheet (.ods, OpenDocument) into the same RawTable the .xlsx reader produces.

Why our own reader: the libraries for .ods (odfpy, pandas' "odf" engine, pyexcel-ods) build the whole document
tree in memory and expand repeated cells — LibreOffice stores its empty million rows as one repeated row, and a
hostile file can repeat a filled cell a million times. This reader streams content.xml with defusedxml's
iterparse (no DOCTYPE, no entities; the zip container was checked by xlsx_source.check_zip first: sizes, ratio,
CRC, DOCTYPE), keeps only cells with a value, expands repeats only for those and stops at the same limits as the
.xlsx reader (rows, cells, columns). What it maps:

    <table:table table:name=… table:style-name=…>          sheet; hidden when its style says table:display="false"
      <table:table-row table:number-rows-repeated=n>        rows (empty repeats only advance the row number)
        <table:table-cell office:value-type=… office:value=… office:date-value=… office:boolean-value=…
                          table:formula=… table:number-columns-spanned=… table:number-rows-spanned=…>
          <text:p>…<text:s text:c=n/>…<text:line-break/>…</text:p>   string cells (several text:p = lines)
        <table:covered-table-cell/>                         inside a merged area
"""

from __future__ import annotations

import datetime as dt
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import NoReturn

from defusedxml import ElementTree as SafeET
from openpyxl.utils import get_column_letter

from loaders.cells import UnsavedFormula, match_key
from loaders.file_kind import UNREADABLE
from loaders.problems import FileRejected, Problem
from loaders.raw_table import MergedRange, RawTable
from loaders.xlsx_source import INFO_SHEET, MAX_CELLS, MAX_COLUMNS, MAX_ROWS_READ, STATUS_SHEET, check_zip, info_ags

ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
RESAVE = "Bitte die Datei in LibreOffice öffnen und als „ODF-Tabellendokument (.ods)“ oder .xlsx neu speichern."
_NS = {
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
}


def _q(name: str) -> str:
    prefix, local = name.split(":")
    return f"{{{_NS[prefix]}}}{local}"


TABLE, ROW, CELL, COVERED = _q("table:table"), _q("table:table-row"), _q("table:table-cell"), \
    _q("table:covered-table-cell")
STYLE, TABLE_PROPS = _q("style:style"), _q("style:table-properties")
P, S, TAB, BREAK = _q("text:p"), _q("text:s"), _q("text:tab"), _q("text:line-break")
A = {k: _q(k) for k in ("table:name", "table:style-name", "table:number-rows-repeated",
                        "table:number-columns-repeated", "table:number-columns-spanned",
                        "table:number-rows-spanned", "table:formula", "table:display", "office:value-type",
                        "office:value", "office:date-value", "office:boolean-value", "office:time-value",
                        "office:string-value", "style:name", "style:family", "text:c")}


def _reject(file_name: str, message: str, code: str = "") -> NoReturn:
    raise FileRejected(Problem(file_name, message, code=code))


def is_ods(path: Path) -> bool:
    """True if the zip at `path` declares itself an OpenDocument spreadsheet (its first member, `mimetype`)."""
    try:
        with zipfile.ZipFile(path) as zf:
            if "mimetype" not in zf.namelist():
                return False
            return zf.read("mimetype")[:200].strip() == ODS_MIMETYPE
    except (zipfile.BadZipFile, OSError, KeyError, ValueError):
        return False


@dataclass
class _Sheet:
    title: str
    hidden: bool
    rows: dict[int, dict[int, object]] = field(default_factory=dict)
    merged: list[MergedRange] = field(default_factory=list)
    cells: int = 0


def _text(cell) -> str:
    """The cell's text: paragraphs joined by line breaks, text:s as spaces, text:tab as tabs."""
    lines = []
    for p in cell.iter(P):
        parts: list[str] = []

        def walk(elem, parts=parts):
            if elem.text:
                parts.append(elem.text)
            for child in elem:
                if child.tag == S:
                    parts.append(" " * int(child.get(A["text:c"], "1")))
                elif child.tag == TAB:
                    parts.append("\t")
                elif child.tag == BREAK:
                    parts.append("\n")
                else:
                    walk(child)
                if child.tail:
                    parts.append(child.tail)

        walk(p)
        lines.append("".join(parts))
    return "\n".join(lines)


def _value(cell) -> object:
    """The cell's saved value as the xlsx reader would give it (None for an empty cell)."""
    kind = cell.get(A["office:value-type"])
    formula = cell.get(A["table:formula"])
    if kind in ("float", "percentage", "currency"):
        number = float(cell.get(A["office:value"], "nan"))
        return int(number) if number.is_integer() and abs(number) < 2**53 else number
    if kind == "date":
        text = cell.get(A["office:date-value"], "")
        return dt.datetime.fromisoformat(text) if "T" in text else dt.datetime.fromisoformat(text + "T00:00:00")
    if kind == "boolean":
        return cell.get(A["office:boolean-value"]) == "true"
    if kind == "time":
        return cell.get(A["office:time-value"])
    if kind == "string":
        return cell.get(A["office:string-value"]) or _text(cell)
    if formula:
        return UnsavedFormula(formula.split(":", 1)[-1] if formula.startswith("of:") else formula)
    text = _text(cell)
    return text or None


class _Reader:
    def __init__(self, file_name: str):
        self.file_name = file_name
        self.hidden_styles: set[str] = set()
        self.sheets: list[_Sheet] = []
        self.sheet: _Sheet | None = None
        self.row = 0
        self.rows_with_values = 0

    def limit(self, what: str) -> NoReturn:
        title = self.sheet.title if self.sheet else ""
        _reject(self.file_name, f"Die Tabelle „{title}“ hat {what}. Das Lesen wurde dort beendet.")

    def start_table(self, elem) -> None:
        self.sheet = _Sheet(elem.get(A["table:name"], ""), elem.get(A["table:style-name"]) in self.hidden_styles)
        self.sheets.append(self.sheet)
        self.row = 0
        self.rows_with_values = 0

    def end_row(self, elem) -> None:
        repeat = int(elem.get(A["table:number-rows-repeated"], "1"))
        cells: dict[int, object] = {}
        col = 0
        for cell in elem:
            if cell.tag not in (CELL, COVERED):
                continue
            span = int(cell.get(A["table:number-columns-repeated"], "1"))
            value = _value(cell) if cell.tag == CELL else None
            if value is not None:
                if col + span > MAX_COLUMNS:
                    self.limit(f"Werte in Spalte {get_column_letter(min(col + span, 16384))} – erwartet höchstens "
                               f"{MAX_COLUMNS} Spalten")
                if self.sheet.cells + span * repeat > MAX_CELLS:
                    self.limit(f"mehr als {MAX_CELLS:,} gefüllte Zellen – erwartet höchstens 5.000 Zeilen mit je "
                               "50 Spalten (die Vorlage hat 13)".replace(",", "."))
                for i in range(span):
                    cells[col + i + 1] = value
                self.sheet.cells += span * repeat
            if cell.tag == CELL:
                across = int(cell.get(A["table:number-columns-spanned"], "1"))
                down = int(cell.get(A["table:number-rows-spanned"], "1"))
                if across > 1 or down > 1:
                    ref = (f"{get_column_letter(col + 1)}{self.row + 1}:"
                           f"{get_column_letter(col + across)}{self.row + down}")
                    self.sheet.merged.append(MergedRange(ref, self.row + 1, col + 1, self.row + down))
            col += span
        if cells:
            self.rows_with_values += repeat
            if self.rows_with_values > MAX_ROWS_READ:
                self.limit(f"mehr als {MAX_ROWS_READ:,} Zeilen mit Werten – erwartet höchstens 5.000 "
                           "Datenzeilen".replace(",", "."))
            for i in range(repeat):
                self.sheet.rows[self.row + i + 1] = dict(cells)
        self.row += repeat
        elem.clear()

    def read(self, stream) -> None:
        for event, elem in SafeET.iterparse(stream, events=("start", "end"), forbid_dtd=True):
            if event == "start":
                if elem.tag == TABLE:
                    self.start_table(elem)
                continue
            if elem.tag == STYLE and elem.get(A["style:family"]) == "table":
                props = elem.find(TABLE_PROPS)
                if props is not None and props.get(A["table:display"]) == "false":
                    self.hidden_styles.add(elem.get(A["style:name"]))
            elif elem.tag == ROW and self.sheet is not None:
                self.end_row(elem)
            elif elem.tag == TABLE:
                elem.clear()
                self.sheet = None


def _as_rows(cells: dict[int, dict[int, object]]) -> list[tuple[int, list]]:
    rows = []
    for number in sorted(cells):
        values: list = [None] * max(cells[number])
        for col, value in cells[number].items():
            values[col - 1] = value
        rows.append((number, values))
    return rows


def read_ods(path: Path, file_name: str) -> RawTable:
    """Check the container like an .xlsx, then read the visible sheet „Status“ (else the first visible one)."""
    check_zip(path, file_name)
    reader = _Reader(file_name)
    try:
        with zipfile.ZipFile(path) as zf, zf.open("content.xml") as stream:
            reader.read(stream)
    except FileRejected:
        raise
    except (KeyError, ValueError, SyntaxError, zipfile.BadZipFile, OSError) as exc:
        # ValueError: bad numbers/dates in attributes; SyntaxError: XML errors (ParseError); defusedxml's
        # DTDForbidden/EntitiesForbidden are ValueError subclasses.
        _reject(file_name, f"Die Datei ist beschädigt und lässt sich nicht als Tabellendokument lesen "
                           f"({type(exc).__name__}: {exc}). {RESAVE}", UNREADABLE)
    visible = [s for s in reader.sheets if not s.hidden]
    named = [s for s in visible if match_key(s.title) == STATUS_SHEET]
    chosen = (named or visible or [None])[0]
    if chosen is None:
        _reject(file_name, "Das Tabellendokument hat keine sichtbare Tabelle – erwartet ein sichtbares Blatt "
                           "„Status“.")
    city_ags, problems = None, []
    for sheet in reader.sheets:
        if match_key(sheet.title) == INFO_SHEET:
            triples = ((n, row.get(1), row.get(2)) for n, row in sorted(sheet.rows.items()) if n <= 50)
            city_ags, problems = info_ags(sheet.title, triples, file_name)
            break
    return RawTable(sheet=chosen.title, rows=_as_rows(chosen.rows), merged=chosen.merged, city_ags=city_ags,
                    problems=problems)
