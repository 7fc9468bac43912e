"""Stream one worksheet of an .xlsx as values, with the limits checked while the XML goes past.

    book = open_book(path, on_damage, max_strings)   # sheet list, shared strings, date styles: no sheet parsed
    rows, merged = book.rows(sheet, limits)          # (row number, values) of rows with a value, merged ranges
    book.close()

A full `openpyxl.load_workbook` builds a Cell object with styles for every cell of every sheet: 27 s and over a
gigabyte for the largest sheet the limits allow (issue 12). This reads only the chosen sheet, keeps nothing of a
row once its values are taken, and stops at the first limit passed. Cell values mean what they mean to openpyxl
(its rules for types, dates by style and shared formulas, written out in _Cells); the XML goes through the C
parser of the standard library (the container was refused before if any part has a DOCTYPE, so there are no
entities to defuse).
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from openpyxl.formula.translate import Translator
from openpyxl.reader.excel import ExcelReader
from openpyxl.styles.stylesheet import apply_stylesheet
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import coordinate_to_tuple
from openpyxl.utils.datetime import from_excel, from_ISO8601
from openpyxl.worksheet.cell_range import CellRange
from openpyxl.xml.constants import SHARED_STRINGS, SHEET_MAIN_NS

from loaders.cells import ExcelError, UnsavedFormula
from loaders.raw_table import MergedRange

_NS = f"{{{SHEET_MAIN_NS}}}"
ROW, CELL, MERGE, SHEET_DATA = _NS + "row", _NS + "c", _NS + "mergeCell", _NS + "sheetData"
TEXT, RUN, SHARED_ITEM = _NS + "t", _NS + "r", _NS + "si"
VALUE, INLINE, FORMULA = _NS + "v", _NS + "is", _NS + "f"
_HAS_VALUE = (VALUE, INLINE, FORMULA)
_CELL_PARTS = frozenset({VALUE, INLINE, FORMULA, TEXT, RUN})   # kept until their row is read


class LimitPassed(Exception):
    """A limit was passed: `limit` is "rows", "cells", "columns" or "strings"; `column` the letter for "columns"."""

    def __init__(self, limit: str, column: str = ""):
        super().__init__(limit)
        self.limit, self.column = limit, column


@dataclass(frozen=True)
class Limits:
    rows: int       # rows that hold a value
    cells: int      # cells that hold a value (a value, an inline string or a formula)
    columns: int    # highest column with a value


@dataclass(frozen=True)
class SheetRef:
    title: str
    state: str      # visible | hidden | veryHidden
    part: str       # zip member, e.g. xl/worksheets/sheet1.xml


def text_of(node: ET.Element) -> str:
    """The text of a string item (<si> or <is>): its plain <t> and the <t> of each formatted run, phonetic
    guides (<rPh>) left out — what openpyxl's Text.content gives, without building Text objects."""
    parts = []
    for child in node:
        if child.tag == TEXT:
            parts.append(child.text or "")
        elif child.tag == RUN:
            parts.append(child.findtext(TEXT) or "")
    return "".join(parts)


def _shared_strings(archive: zipfile.ZipFile, part: str | None, limit: int) -> list[str]:
    """The workbook's shared strings; the table's root is emptied after each item (millions of emptied <si>
    would still pile up), and more than `limit` items raise LimitPassed("strings")."""
    if part is None:
        return []
    strings: list[str] = []
    root: ET.Element | None = None
    with archive.open(part) as source:
        for event, node in ET.iterparse(source, events=("start", "end")):
            if root is None:
                root = node
            elif event == "end" and node.tag == SHARED_ITEM:
                strings.append(text_of(node).replace("x005F_", ""))   # as openpyxl's read_string_table
                if len(strings) > limit:
                    raise LimitPassed("strings")
                root.clear()
    return strings


class _Cells:
    """Cell values as openpyxl's WorkSheetParser gives them with data_only=True (same number, date, boolean and
    string rules) and, in the same pass, a formula cell without a saved value as UnsavedFormula; Excel error
    values become ExcelError. Written out because openpyxl's version builds a Text object per inline string and a
    dict per cell: half the reading time of a large sheet."""

    def __init__(self, strings: list[str], epoch: dt.datetime, date_formats: set, timedelta_formats: set):
        self.strings, self.epoch = strings, epoch
        self.date_formats, self.timedelta_formats = date_formats, timedelta_formats
        self.shared_formulae: dict[str, Translator] = {}
        self.row = 0

    def row_values(self, element: ET.Element, max_columns: int) -> tuple[int, list]:
        number = element.get("r")
        self.row = int(float(number)) if number else self.row + 1
        column = 0
        found: list[tuple[int, object]] = []
        for cell in element:
            if cell.tag != CELL:
                continue
            reference = cell.get("r")
            column = coordinate_to_tuple(reference)[1] if reference else column + 1
            value = self.value(cell, reference)
            if value is not None:
                found.append((column, value))
        if not found:
            return self.row, []
        width = max(col for col, _ in found)
        if width > max_columns:
            raise LimitPassed("columns", get_column_letter(width))
        values: list = [None] * width
        for col, value in found:
            values[col - 1] = value
        return self.row, values

    def value(self, cell: ET.Element, reference: str | None) -> object:
        kind = cell.get("t", "n")
        if kind == "inlineStr":
            inline = cell.find(INLINE)
            value = text_of(inline) if inline is not None else None
        else:
            value = self._saved(kind, cell.findtext(VALUE) or None, cell.get("s"))
        formula = cell.find(FORMULA)
        if formula is not None:
            text = self._formula(formula, reference)   # always: a shared formula's first cell must be registered
            if value is None:
                return UnsavedFormula(text)
        return value

    def _saved(self, kind: str, text: str | None, style: str | None) -> object:
        if text is None:
            return None
        if kind == "n":
            number = float(text) if "." in text or "E" in text or "e" in text else int(text)
            if style and int(style) in self.date_formats:
                try:
                    return from_excel(number, self.epoch, timedelta=int(style) in self.timedelta_formats)
                except (OverflowError, ValueError):
                    return ExcelError("#VALUE!")   # a date style on a number no date can have (as openpyxl)
            return number
        if kind == "s":
            return self.strings[int(text)]
        if kind == "b":
            return bool(int(text))
        if kind == "e":
            return ExcelError(text)
        if kind == "d":
            return from_ISO8601(text)
        return text   # "str": a formula's saved text

    def _formula(self, formula: ET.Element, reference: str | None) -> str:
        text = "=" + (formula.text or "")
        if formula.get("t") == "shared":
            index = formula.get("si")
            if index in self.shared_formulae:
                return self.shared_formulae[index].translate_formula(reference)
            if text != "=":
                self.shared_formulae[index] = Translator(text, reference)
        return text


class Book:
    """An opened .xlsx: the sheets in order, the shared strings, the date styles and the epoch."""

    def __init__(self, file: BinaryIO, archive: zipfile.ZipFile, sheets: list[SheetRef], strings: list[str],
                 epoch: dt.datetime, date_formats: set, timedelta_formats: set):
        self.file, self.archive, self.sheets, self.strings, self.epoch = file, archive, sheets, strings, epoch
        self.date_formats, self.timedelta_formats = date_formats, timedelta_formats

    def close(self) -> None:
        self.archive.close()
        self.file.close()

    def rows(self, sheet: SheetRef, limits: Limits, stop_after_row: int | None = None
             ) -> tuple[list[tuple[int, list]], list[MergedRange]]:
        """Rows with a value, sorted by row number, and the merged ranges. Raises LimitPassed at once when a
        limit is passed; stop_after_row ends reading there (no merges then)."""
        rows: list[tuple[int, list]] = []
        merged: list[MergedRange] = []
        for kind, item in self._events(sheet, limits):
            if kind == "row":
                number, values = item
                if stop_after_row is not None and number > stop_after_row:
                    break
                rows.append(item)
                if len(rows) > limits.rows:
                    raise LimitPassed("rows")
            else:
                merged.append(item)
        rows.sort(key=lambda row: row[0])   # rows may be stored out of order; the checks read top to bottom
        return rows, merged

    def _events(self, sheet: SheetRef, limits: Limits) -> Iterator[tuple[str, object]]:
        # A cell's parts stay until its row has been read; a row, once read, is removed from sheetData (empty
        # rows too: a sheet of millions of <row/> must not pile up); everything else is emptied when it ends.
        cells = 0
        values = _Cells(self.strings, self.epoch, self.date_formats, self.timedelta_formats)
        data: ET.Element | None = None
        with self.archive.open(sheet.part) as source:
            for event, element in ET.iterparse(source, events=("start", "end")):
                tag = element.tag
                if event == "start":
                    if tag == SHEET_DATA:
                        data = element
                    continue
                if tag in _CELL_PARTS:
                    continue
                if tag == CELL:
                    if any(child.tag in _HAS_VALUE for child in element):
                        cells += 1
                        if cells > limits.cells:
                            raise LimitPassed("cells")
                    continue
                if tag == ROW:
                    number, found = values.row_values(element, limits.columns)
                    if found:
                        yield "row", (number, found)
                    if data is not None:
                        data.clear()
                        continue
                elif tag == MERGE:
                    bounds = CellRange(element.get("ref"))
                    yield "merge", MergedRange(bounds.coord, bounds.min_row, bounds.min_col, bounds.max_row)
                element.clear()


def open_book(path: Path, on_damage: Callable[[Exception], None], max_strings: int) -> Book:
    """Open the workbook part, the sheet list, the shared strings and the styles (openpyxl's own readers for the
    small parts). on_damage is called with the error when any of them cannot be read (it should raise); more than
    `max_strings` shared strings raise LimitPassed("strings")."""
    fh = path.open("rb")   # a file object, not the name: openpyxl would judge by the extension
    archive = None
    try:
        reader = ExcelReader(fh, read_only=True, data_only=True)
        archive = reader.archive
        reader.read_manifest()
        reader.read_workbook()
        apply_stylesheet(archive, reader.wb)
        sheets = [SheetRef(sheet.name, sheet.state or "visible", rel.target)
                  for sheet, rel in reader.parser.find_sheets()
                  if rel.target in reader.valid_files and "chartsheet" not in rel.Type]
        strings_part = reader.package.find(SHARED_STRINGS)
        strings = _shared_strings(archive, strings_part.PartName[1:] if strings_part is not None else None,
                                  max_strings)
        wb = reader.wb
        return Book(fh, archive, sheets, strings, wb.epoch, set(wb._date_formats), set(wb._timedelta_formats))
    except Exception as exc:  # noqa: BLE001 — openpyxl raises anything from KeyError to XML errors on bad input
        if archive is not None:
            archive.close()
        fh.close()
        if isinstance(exc, LimitPassed):
            raise
        on_damage(exc)
        raise
