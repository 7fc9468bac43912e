"""Open an .xlsx workbook safely and hand its status sheet over as a RawTable.

Order matters: the zip container is checked with `zipfile` (sizes, ratio, macros, DOCTYPE, CRC) before openpyxl
touches it, because openpyxl happily spends minutes and gigabytes on a zip bomb (FACTS.md). Then only the chosen
sheet is streamed (loaders/xlsx_sheet.py), its rows, cells and columns counted on the way.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import NoReturn

from loaders.cells import clean, display, match_key
from loaders.file_kind import UNREADABLE, not_a_table
from loaders.problems import FileRejected, Problem
from loaders.raw_table import MergedRange, RawTable
from loaders.xlsx_sheet import Book, LimitPassed, Limits, SheetRef, open_book

MAX_RATIO = 100                     # unpacked size / file size
MAX_UNPACKED = 100 * 1024 * 1024    # a 5,000-row status sheet unpacks to a few MB
MAX_MEMBERS = 1000
MAX_COLUMNS = 500
MAX_ROWS_READ = 5000 + 100          # data rows plus notes/header; the exact limit is checked on the data rows
MAX_CELLS = 250_000                 # cells with a value per sheet: 5,000 rows × 50 columns (the template has 13)
MAX_SHARED_STRINGS = 1_000_000      # texts of all sheets together; about 60 MB held while the sheet is read
STATUS_SHEET = "status"
INFO_SHEET = "info"
LIMITS = Limits(rows=MAX_ROWS_READ, cells=MAX_CELLS, columns=MAX_COLUMNS)
_LIMIT_MESSAGES = {
    "rows": f"mehr als {MAX_ROWS_READ:,} Zeilen mit Werten – erwartet höchstens 5.000 Datenzeilen.".replace(",", "."),
    "cells": f"mehr als {MAX_CELLS:,} gefüllte Zellen – erwartet höchstens 5.000 Zeilen mit je 50 Spalten (die "
             "Vorlage hat 13).".replace(",", "."),
    "columns": f"Werte in Spalte {{}} – erwartet höchstens {MAX_COLUMNS} Spalten.",
}

_DOCTYPE = (re.compile(rb"<!doctype", re.IGNORECASE), "<!DOCTYPE".encode("utf-16-le"), "<!DOCTYPE".encode("utf-16-be"))
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


def check_zip(path: Path, file_name: str) -> None:
    """Reject archives that are not plain .xlsx workbooks, before any XML parser sees them."""
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
            for info in infos:
                if not info.is_dir() and not info.filename.lower().endswith(_BINARY_SUFFIXES):
                    _scan_xml(zf, info, file_name)
                elif not info.is_dir():
                    _drain(zf, info)   # still verifies the CRC of binary parts
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


def _scan_xml(zf: zipfile.ZipFile, info: zipfile.ZipInfo, file_name: str) -> None:
    """Stream one member and look for a DOCTYPE (entity tricks need one); reading also checks the CRC. Rows and
    cells are counted later, while the one sheet that is read streams past (xlsx_sheet, ods_source)."""
    tail = b""
    with zf.open(info) as fh:
        while chunk := fh.read(1 << 20):
            window = tail + chunk
            if _DOCTYPE[0].search(window) or _DOCTYPE[1] in window or _DOCTYPE[2] in window:
                _reject(file_name, f"Die Datei enthält XML mit einer DOCTYPE-Deklaration (in „{info.filename}“) – "
                                   "erwartet eine normale Excel-Arbeitsmappe. Sie wird aus Sicherheitsgründen nicht "
                                   f"gelesen. {RESAVE}")
            tail = window[-32:]


def _drain(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    with zf.open(info) as fh:
        while fh.read(1 << 20):
            pass


def _open(path: Path, file_name: str) -> Book:
    def damaged(exc: Exception) -> NoReturn:
        _reject(file_name, f"Die Datei ist beschädigt und lässt sich nicht als Excel-Arbeitsmappe öffnen "
                           f"({type(exc).__name__}: {exc}). {RESAVE}", UNREADABLE)
    try:
        return open_book(path, damaged, MAX_SHARED_STRINGS)
    except LimitPassed:
        _reject(file_name, f"Die Arbeitsmappe enthält mehr als {MAX_SHARED_STRINGS:,} verschiedene Texte – erwartet "
                           "eine Statusdatei (die Vorlage hat wenige Tausend). Bitte nur das Blatt „Status“ in eine "
                           "neue Arbeitsmappe kopieren. Das Lesen wurde dort beendet.".replace(",", "."))


def choose_sheet(sheets: list[SheetRef]) -> SheetRef | None:
    """The visible sheet named „Status“, else the first visible sheet; hidden sheets never."""
    visible = [s for s in sheets if s.state == "visible"]
    named = [s for s in visible if match_key(s.title) == STATUS_SHEET]
    return (named or visible or [None])[0]


def sheet_rows(book: Book, sheet: SheetRef, file_name: str, stop_after_row: int | None = None
               ) -> tuple[list[tuple[int, list]], list[MergedRange]]:
    """The sheet's rows and merges; a limit passed or damaged XML rejects the file with the sheet named."""
    try:
        return book.rows(sheet, LIMITS, stop_after_row)
    except LimitPassed as exc:
        _reject(file_name, f"Die Tabelle „{sheet.title}“ hat {_LIMIT_MESSAGES[exc.limit].format(exc.column)} "
                           "Das Lesen wurde dort beendet.")
    except Exception as exc:  # noqa: BLE001 — bad XML, cell references or numbers: all mean „damaged“
        _reject(file_name, f"Die Tabelle „{sheet.title}“ ist beschädigt und lässt sich nicht lesen "
                           f"({type(exc).__name__}: {exc}). {RESAVE}", UNREADABLE)


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


def _info_ags(book: Book, file_name: str) -> tuple[str | None, list[Problem]]:
    """AGS from the template's Info sheet (label „AGS“ in column A, value in column B), if there is one; only its
    first 50 rows are read."""
    for sheet in book.sheets:
        if match_key(sheet.title) != INFO_SHEET:
            continue
        rows, _ = sheet_rows(book, sheet, file_name, stop_after_row=50)
        return info_ags(sheet.title, ((n, *(values + [None, None])[:2]) for n, values in rows), file_name)
    return None, []


def read_xlsx(path: Path, file_name: str) -> RawTable:
    """Check the container, then stream the status sheet (values, unsaved formulas, merges) and the Info AGS."""
    check_zip(path, file_name)
    book = _open(path, file_name)
    try:
        sheet = choose_sheet(book.sheets)
        if sheet is None:
            _reject(file_name, "Die Arbeitsmappe hat keine sichtbare Tabelle – erwartet ein sichtbares Blatt "
                               "„Status“.")
        rows, merged = sheet_rows(book, sheet, file_name)
        city_ags, problems = _info_ags(book, file_name)
        return RawTable(sheet=sheet.title, rows=rows, epoch=book.epoch, merged=merged, city_ags=city_ags,
                        problems=problems)
    finally:
        book.close()
