"""Open an .xlsx workbook safely and hand its status sheet over as a RawTable.

Order matters: the zip container is checked with `zipfile` (sizes, ratio, macros, DOCTYPE, CRC) before openpyxl
touches it, because openpyxl happily spends minutes and gigabytes on a zip bomb (FACTS.md).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import NoReturn

import openpyxl
from openpyxl.cell.cell import Cell
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from loaders.cells import ExcelError, UnsavedFormula, clean, display, match_key
from loaders.file_kind import UNREADABLE, not_a_table
from loaders.problems import FileRejected, Problem
from loaders.raw_table import MergedRange, RawTable

MAX_RATIO = 100                     # unpacked size / file size
MAX_UNPACKED = 100 * 1024 * 1024    # a 5,000-row status sheet unpacks to a few MB
MAX_MEMBERS = 1000
MAX_COLUMNS = 500
MAX_ROWS_READ = 5000 + 100          # data rows plus notes/header; the exact limit is checked on the data rows
MAX_CELLS = 250_000                 # cells with a value per sheet: 5,000 rows × 50 columns (the template has 13)
STATUS_SHEET = "status"
INFO_SHEET = "info"

_DOCTYPE = (re.compile(rb"<!doctype", re.IGNORECASE), "<!DOCTYPE".encode("utf-16-le"), "<!DOCTYPE".encode("utf-16-be"))
_FORMULA = re.compile(rb"<(?:\w+:)?f[\s/>]")
_BINARY_SUFFIXES = (".bin", ".png", ".jpeg", ".jpg", ".gif", ".emf", ".wmf", ".tif", ".tiff", ".bmp")
RESAVE = "Bitte die Datei in Excel öffnen und als „Excel-Arbeitsmappe (.xlsx)“ neu speichern."


def _reject(file_name: str, message: str, code: str = "") -> NoReturn:
    raise FileRejected(Problem(file_name, message, code=code))


def check_ole(path: Path, file_name: str) -> NoReturn:
    """An OLE compound file is either a password-protected .xlsx or an old .xls: both are rejected."""
    data = path.read_bytes()
    if "EncryptedPackage".encode("utf-16-le") in data:
        _reject(file_name, "Die Arbeitsmappe ist mit einem Kennwort verschlüsselt – erwartet eine Datei ohne "
                           "Kennwortschutz. Bitte den Kennwortschutz entfernen und neu speichern.", UNREADABLE)
    _reject(file_name, f"Die Datei ist im alten Excel-Format (.xls) – erwartet .xlsx oder .csv. {RESAVE}", UNREADABLE)


def check_zip(path: Path, file_name: str) -> bool:
    """Reject archives that are not plain .xlsx workbooks, before any XML parser sees them; True if any sheet
    holds a formula."""
    archive_size = max(path.stat().st_size, 1)
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            names = {i.filename.lower(): i.filename for i in infos}
            if len(infos) > MAX_MEMBERS:
                _reject(file_name, f"Das Archiv enthält {len(infos)} Teile – erwartet höchstens {MAX_MEMBERS}.")
            unpacked = sum(i.file_size for i in infos)
            if unpacked > MAX_RATIO * archive_size or unpacked > MAX_UNPACKED:
                _reject(file_name, f"Die Datei entpackt sich auf {unpacked / archive_size:,.0f}-fache Größe "
                                   f"({unpacked / 1e6:,.1f} MB) – erwartet höchstens das {MAX_RATIO}-fache und "
                                   f"{MAX_UNPACKED // 2**20} MB. Sie wird aus Sicherheitsgründen nicht gelesen.")
            if any(i.flag_bits & 0x1 for i in infos):
                _reject(file_name, "Das Archiv ist verschlüsselt – erwartet eine Datei ohne Kennwortschutz.",
                        UNREADABLE)
            _check_workbook_kind(zf, names, file_name)
            has_formulas = False
            for info in infos:
                if not info.is_dir() and not info.filename.lower().endswith(_BINARY_SUFFIXES):
                    has_formulas |= _scan_xml(zf, info, file_name)
                elif not info.is_dir():
                    _drain(zf, info)   # still verifies the CRC of binary parts
            return has_formulas
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, NotImplementedError, ValueError) as exc:
        _reject(file_name, f"Die Datei ist beschädigt und lässt sich nicht als Excel-Arbeitsmappe lesen ({exc}). "
                           f"{RESAVE}", UNREADABLE)


def _check_workbook_kind(zf: zipfile.ZipFile, names: dict[str, str], file_name: str) -> None:
    if any(n.endswith("vbaproject.bin") for n in names):
        _reject(file_name, f"Die Arbeitsmappe enthält Makros – erwartet eine Arbeitsmappe ohne Makros. {RESAVE}")
    types_name = names.get("[content_types].xml")
    if types_name and b"macroenabled" in zf.read(types_name)[:MAX_UNPACKED].lower():
        _reject(file_name, f"Die Arbeitsmappe ist makrofähig (.xlsm) – erwartet .xlsx ohne Makros. {RESAVE}")
    if "xl/workbook.xml" in names:
        return
    if "xl/workbook.bin" in names:
        _reject(file_name, f"Die Datei ist eine binäre Arbeitsmappe (.xlsb) – erwartet .xlsx oder .csv. {RESAVE}",
                UNREADABLE)
    if "mimetype" in names and b"opendocument" in zf.read(names["mimetype"])[:200]:
        if zf.read(names["mimetype"])[:200].strip() == b"application/vnd.oasis.opendocument.spreadsheet":
            return  # LibreOffice's .ods: read by loaders/ods_source.py after these same checks
        raise not_a_table(file_name, "ein OpenDocument-Textdokument oder eine Präsentation (.odt/.odp)")
    if "word/document.xml" in names:
        raise not_a_table(file_name, "ein Word-Dokument")
    raise not_a_table(file_name, "ein ZIP-Archiv")


class _SheetCounter:
    """Counts rows and cells that hold a value while a worksheet's XML streams past (ElementTree's pull parser,
    each row dropped once counted), and rejects the file the moment a limit is passed — before openpyxl builds a
    single cell object. A 5,100 × 500 sheet is stopped after 250,000 cells instead of costing a gigabyte."""

    def __init__(self, part: str, file_name: str):
        self.part, self.file_name = part, file_name
        self.parser = ET.XMLPullParser(events=("start", "end"))
        self.rows = self.cells = 0
        self.sheet_data: ET.Element | None = None
        self.row: ET.Element | None = None
        self.row_has_value = False

    def feed(self, chunk: bytes) -> None:
        try:
            self.parser.feed(chunk)
            events = list(self.parser.read_events())
        except ET.ParseError as exc:
            _reject(self.file_name, f"Die Datei ist beschädigt: „{self.part}“ ist kein gültiges XML ({exc}). "
                                    f"{RESAVE}", UNREADABLE)
        for event, elem in events:
            tag = elem.tag.rsplit("}", 1)[-1]
            if event == "start":
                if tag == "sheetData":
                    self.sheet_data = elem
                elif tag == "row":
                    self.row, self.row_has_value = elem, False
            elif tag == "c":
                if any(child.tag.rsplit("}", 1)[-1] in ("v", "is", "f") for child in elem):
                    self.cells += 1
                    self.row_has_value = True
                    self._check()
                if self.row is not None:
                    self.row.remove(elem)  # counted: keep nothing of it (a row may hold millions of <c>)
            elif tag == "row":
                self.rows += self.row_has_value
                self.row = None
                if self.sheet_data is not None:
                    self.sheet_data.clear()
                self._check()

    def _check(self) -> None:
        if self.rows > MAX_ROWS_READ:
            _reject(self.file_name, f"Ein Tabellenblatt („{self.part}“) hat mehr als {MAX_ROWS_READ:,} Zeilen mit "
                                    "Werten – erwartet höchstens 5.000 Datenzeilen. Das Lesen wurde dort beendet."
                                    .replace(",", "."))
        if self.cells > MAX_CELLS:
            _reject(self.file_name, f"Ein Tabellenblatt („{self.part}“) hat mehr als {MAX_CELLS:,} gefüllte Zellen "
                                    "– erwartet höchstens 5.000 Zeilen mit je 50 Spalten (die Vorlage hat 13). Das "
                                    "Lesen wurde dort beendet.".replace(",", "."))


def _scan_xml(zf: zipfile.ZipFile, info: zipfile.ZipInfo, file_name: str) -> bool:
    """Stream one member and look for a DOCTYPE (entity tricks need one); reading also checks the CRC. A
    worksheet is counted on the way (rows, cells: _SheetCounter). Returns True if it is a worksheet with a
    formula element."""
    tail = b""
    is_sheet = info.filename.lower().startswith("xl/worksheets/") and info.filename.lower().endswith(".xml")
    # (.ods: content.xml is counted by ods_source while it reads, with the same limits)
    counter = _SheetCounter(info.filename, file_name) if is_sheet else None
    formulas = False
    with zf.open(info) as fh:
        while chunk := fh.read(1 << 20):
            window = tail + chunk
            if _DOCTYPE[0].search(window) or _DOCTYPE[1] in window or _DOCTYPE[2] in window:
                _reject(file_name, f"Die Datei enthält XML mit einer DOCTYPE-Deklaration (in „{info.filename}“) – "
                                   "erwartet eine normale Excel-Arbeitsmappe. Sie wird aus Sicherheitsgründen nicht "
                                   f"gelesen. {RESAVE}")
            formulas = formulas or (is_sheet and _FORMULA.search(window) is not None)
            if counter is not None:  # fed only after the DOCTYPE check: the parser never sees one
                counter.feed(chunk)
            tail = window[-32:]
    return formulas


def _drain(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    with zf.open(info) as fh:
        while fh.read(1 << 20):
            pass


def _load(path: Path, file_name: str, data_only: bool) -> openpyxl.Workbook:
    try:
        # A file object, not the name: openpyxl would judge by the extension, we judged by content already.
        with path.open("rb") as fh:
            return openpyxl.load_workbook(fh, data_only=data_only)
    except Exception as exc:  # noqa: BLE001 — openpyxl raises anything from KeyError to XML errors on bad input
        _reject(file_name, f"Die Datei ist beschädigt und lässt sich nicht als Excel-Arbeitsmappe öffnen "
                           f"({type(exc).__name__}: {exc}). {RESAVE}", UNREADABLE)


def choose_sheet(wb: openpyxl.Workbook) -> Worksheet | None:
    """The visible sheet named „Status“, else the first visible sheet; hidden sheets never."""
    visible = [ws for ws in wb.worksheets if ws.sheet_state == "visible"]
    named = [ws for ws in visible if match_key(ws.title) == STATUS_SHEET]
    return (named or visible or [None])[0]


def _cell_value(formula_cell: Cell, value_cell: Cell | None) -> object:
    value = value_cell.value if value_cell is not None else None
    if value_cell is not None and value_cell.data_type == "e" and value is not None:
        return ExcelError(str(value))
    if formula_cell.data_type == "f" and value is None:
        text = getattr(formula_cell.value, "text", formula_cell.value)  # ArrayFormula keeps its text in .text
        text = str(text)
        return UnsavedFormula(text if text.startswith("=") else "=" + text)
    return value


def _rows(fws: Worksheet, vws: Worksheet, file_name: str) -> list[tuple[int, list]]:
    # Walk the stored cells only (sparse): iter_rows() would build every cell of a sheet that has one value in
    # A1 and one in XFD1048576. openpyxl keeps them in the dict `_cells`, keyed by (row, column).
    by_row: dict[int, dict[int, object]] = {}
    for (row, col), fcell in fws._cells.items():
        value = _cell_value(fcell, vws._cells.get((row, col)))
        if value is None:
            continue
        if col > MAX_COLUMNS:
            _reject(file_name, f"Die Tabelle „{fws.title}“ hat Werte in Spalte {get_column_letter(col)} – erwartet "
                               f"höchstens {MAX_COLUMNS} Spalten.")
        by_row.setdefault(row, {})[col] = value
    if len(by_row) > MAX_ROWS_READ:
        _reject(file_name, f"Die Tabelle „{fws.title}“ hat {len(by_row):,} Zeilen – erwartet höchstens 5.000 "
                           "Datenzeilen.".replace(",", "."))
    rows = []
    for row in sorted(by_row):
        cells = by_row[row]
        values: list = [None] * max(cells)
        for col, value in cells.items():
            values[col - 1] = value
        rows.append((row, values))
    return rows


def info_ags(title: str, rows: Iterable[tuple[int, object, object]], file_name: str
             ) -> tuple[str | None, list[Problem]]:
    """AGS from an Info sheet's (row, column A, column B) triples: the value next to the label „AGS“."""
    for row, label, value in rows:
        if not isinstance(label, str) or match_key(label) != "ags" or value is None:
            continue
        if isinstance(value, int | float) and not isinstance(value, bool) and float(value).is_integer():
            return str(int(value)).zfill(8), []
        text = clean(str(value))
        if text.isdigit() and len(text) <= 8:
            return text.zfill(8), []
        return None, [Problem(file_name, f"„{display(value)}“ ist kein AGS – erwartet 8 Ziffern; die Angabe "
                                         "wird ignoriert.", sheet=title, row=row, column="AGS",
                              value=display(value), severity="Warnung")]
    return None, []


def _info_ags(wb: openpyxl.Workbook, file_name: str) -> tuple[str | None, list[Problem]]:
    """AGS from the template's Info sheet (label „AGS“ in column A, value in column B), if there is one."""
    for ws in wb.worksheets:
        if match_key(ws.title) != INFO_SHEET:
            continue
        rows = ((row[0].row, row[0].value, row[1].value if len(row) > 1 else None)
                for row in ws.iter_rows(min_row=1, max_row=min(ws.max_row, 50), max_col=2))
        return info_ags(ws.title, rows, file_name)
    return None, []


def read_xlsx(path: Path, file_name: str) -> RawTable:
    """Check the container, then read the status sheet (values, unsaved formulas, merges) and the Info AGS."""
    has_formulas = check_zip(path, file_name)
    values = _load(path, file_name, data_only=True)
    # Formulas are only visible without data_only; the second (slow) load is needed only if there are any.
    formulas = _load(path, file_name, data_only=False) if has_formulas else values
    fws = choose_sheet(formulas)
    if fws is None:
        _reject(file_name, "Die Arbeitsmappe hat keine sichtbare Tabelle – erwartet ein sichtbares Blatt „Status“.")
    vws = values[fws.title]
    merged = [MergedRange(str(r.coord), r.min_row, r.min_col, r.max_row) for r in fws.merged_cells.ranges]
    city_ags, problems = _info_ags(values, file_name)
    return RawTable(sheet=fws.title, rows=_rows(fws, vws, file_name), epoch=values.epoch, merged=merged,
                    city_ags=city_ags, problems=problems)
