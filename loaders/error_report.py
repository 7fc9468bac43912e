"""The downloadable check report: an .xlsx with a sheet „Prüfbericht“ listing every problem, plus the uploaded data
with each bad cell marked red and the message as a cell comment — so a coordinator fixes the file where it is.

    build_error_report(problems, source_path, file_name) -> bytes

The upload is first read by the same reader as the check (zip safety checks, streaming limits). A small .xlsx
(up to FULL_COPY_CELLS filled cells; the template has about 7,000) is then copied with its formatting; a CSV, an
.ods or a larger .xlsx is laid out as a sheet of values with its row numbers kept — and above FULL_COPY_CELLS with
only the rows above the header, the header and the rows a problem points at (the report says so). The size is
bounded: the data copy is made only when a problem points at a cell (a whole-file rejection — too big, too many
rows, not a table — gets the problem list only), and at most MAX_LISTED problems are listed and marked.
"""

from __future__ import annotations

import io
import re
import tempfile
import zipfile
from pathlib import Path

import openpyxl
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from loaders import cells
from loaders.problems import FileRejected, Problem
from loaders.raw_table import RawTable
from loaders.table_file import open_table
from ozg import fmt

REPORT_SHEET = "Prüfbericht"
REPORT_COLUMNS = (("Art", 10), ("Blatt", 14), ("Zeile", 8), ("Spalte", 18), ("Wert", 30), ("Meldung", 100))
BAD_FILL = PatternFill("solid", fgColor="FFC7CE")
BAD_FONT = Font(color="9C0006", bold=True)
HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
ID_KEY = cells.header_key("OZG-ID")
_LETTERS = re.compile(r"[A-Z]{1,3}")
MAX_LISTED = 1000   # problems listed and cells marked; the rest is counted in one line
FULL_COPY_CELLS = 70_000   # up to this many filled cells the whole upload is copied (openpyxl: ~0.6 KiB a cell)
FULL_COPY_XML = 3 * 2**20  # … and only if all its sheets' XML is this small: openpyxl loads hidden sheets too
TOP_ROWS = 20              # rows always copied from a large upload: notes and the header are within the first 20


def _text_cell(ws: Worksheet, row: int, column: int, value: object) -> None:
    cell = ws.cell(row=row, column=column, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # never a live formula, whatever the uploaded text starts with


def _write_report(ws: Worksheet, file_name: str, problems: list[Problem], note: str | None) -> None:
    ws.append([f"Prüfbericht für {file_name}: {sum(p.severity == 'Fehler' for p in problems)} Fehler, "
               f"{sum(p.severity != 'Fehler' for p in problems)} Warnungen"])
    if note:
        ws.append([note])
    if len(problems) > MAX_LISTED:
        ws.append([f"Aufgeführt und markiert sind die ersten {MAX_LISTED:,}; bitte diese beheben und die Datei "
                   "erneut prüfen.".replace(",", ".")])
        problems = problems[:MAX_LISTED]
    ws["A1"].font = Font(bold=True, size=12)
    ws["A1"].data_type = "s"
    top = ws.max_row + 1 if ws.max_row > 1 else 3
    for col, (label, width) in enumerate(REPORT_COLUMNS, start=1):
        cell = ws.cell(row=top, column=col, value=label)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = HEADER_FILL
        ws.column_dimensions[get_column_letter(col)].width = width
    for r, p in enumerate(problems, start=top + 1):
        for col, value in enumerate((p.severity, p.sheet, p.row, p.column, p.value, p.message), start=1):
            _text_cell(ws, r, col, value)
    ws.freeze_panes = f"A{top + 1}"


def _header_columns(ws: Worksheet) -> dict[str, int]:
    """header_key(label) -> 1-based column, from the first row (within 20) that has an OZG-ID cell."""
    for row in ws.iter_rows(min_row=1, max_row=20):
        keys = {cells.header_key(str(c.value)): c.column for c in row if isinstance(c.value, str)}
        if ID_KEY in keys:
            return keys
    return {}


def _column_of(label: str | None, headers: dict[str, int]) -> int:
    if not label:
        return 1
    found = headers.get(cells.header_key(label))
    if found:
        return found
    return column_index_from_string(label) if _LETTERS.fullmatch(label) else 1


def _mark(wb: Workbook, problems: list[Problem], default_sheet: str) -> int:
    """Fill every cell a problem points at and attach the messages as a comment. Returns the cells marked."""
    by_cell: dict[tuple[str, int, int], list[Problem]] = {}
    headers: dict[str, dict[str, int]] = {}
    for p in problems:
        sheet = p.sheet or default_sheet
        if p.row is None or sheet not in wb.sheetnames:
            continue
        if sheet not in headers:
            headers[sheet] = _header_columns(wb[sheet])
        by_cell.setdefault((sheet, p.row, _column_of(p.column, headers[sheet])), []).append(p)
    for (sheet, row, col), found in by_cell.items():
        cell = wb[sheet].cell(row=row, column=col)
        cell.fill = BAD_FILL
        cell.font = BAD_FONT
        text = "\n".join(f"{p.severity}: {p.message}" for p in found)
        cell.comment = Comment(text[:30000], "OZG-Cockpit", width=400, height=160)
    return len(by_cell)


def _as_sheet(table: RawTable, keep: set[int] | None = None) -> Workbook:
    """A read table laid out as a sheet, row numbers kept; text never becomes a formula. `keep`: only these rows
    (and the first TOP_ROWS)."""
    wb = Workbook()
    ws = wb.active
    ws.title = table.sheet or "Daten"
    for number, values in table.rows:
        if keep is not None and number > TOP_ROWS and number not in keep:
            continue
        for col, value in enumerate(values, start=1):
            if value is not None:
                _text_cell(ws, number, col, value if isinstance(value, str | int | float | bool) else str(value))
    return wb


def _sheets_xml_size(source: Path) -> int:
    """Unpacked size of all worksheets and the shared strings (what a full openpyxl load would parse)."""
    with zipfile.ZipFile(source) as zf:
        return sum(i.file_size for i in zf.infolist()
                   if i.filename.startswith("xl/worksheets/") or i.filename == "xl/sharedStrings.xml")


def _source_workbook(source: Path, file_name: str, problems: list[Problem]
                     ) -> tuple[Workbook, str, str | None] | None:
    """The uploaded data as a workbook to mark up, its sheet with the data and a note on what was left out; None
    if it cannot be read safely."""
    try:
        kind, table = open_table(source, file_name)   # as the check read it
        filled = sum(v is not None for _, values in table.rows for v in values)
        if kind == "xlsx" and filled <= FULL_COPY_CELLS and _sheets_xml_size(source) <= FULL_COPY_XML:
            with source.open("rb") as fh:
                wb = openpyxl.load_workbook(fh)   # small (counted above): copied with its formatting
            return wb, table.sheet or wb.sheetnames[0], None
        if filled <= FULL_COPY_CELLS:
            return _as_sheet(table), table.sheet or "Daten", None
        marked = {p.row for p in problems[:MAX_LISTED] if p.row is not None}
        note = (f"Die Datei hat {fmt.number(filled)} gefüllte Zellen. Kopiert sind daher nur die "
                f"ersten {TOP_ROWS} Zeilen und die Zeilen mit Problemen, als Werte ohne Formatierung; die "
                "Zeilennummern sind die der Datei.")
        return _as_sheet(table, marked), table.sheet or "Daten", note
    except FileRejected:
        return None
    except Exception:  # noqa: BLE001 — a damaged upload still gets its problem list
        return None


def build_error_report(problems: list[Problem], source: Path | bytes | None, file_name: str) -> bytes:
    """The check report as .xlsx bytes: „Prüfbericht“ first, then the uploaded data with the bad cells marked."""
    if isinstance(source, bytes):
        with tempfile.TemporaryDirectory(prefix="ozg-report-") as tmp:
            path = Path(tmp) / "upload"
            path.write_bytes(source)
            return build_error_report(problems, path, file_name)
    points_at_cells = any(p.row is not None and p.column for p in problems)
    found = _source_workbook(Path(source), file_name, problems) if source is not None and points_at_cells else None
    note = None
    if found is None:
        wb = Workbook()
        report = wb.active
        report.title = REPORT_SHEET
    else:
        wb, default_sheet, note = found
        _mark(wb, problems[:MAX_LISTED], default_sheet)
        report = wb.create_sheet(REPORT_SHEET, 0)
        wb.active = 0
        for ws in wb.worksheets[1:]:
            ws.sheet_view.tabSelected = False
    _write_report(report, file_name, problems, note)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
