"""The ministry workbook: Zusammenfassung, Status, Fristen, Verlauf and (when available) Einsparungen.

Values are real Excel numbers and dates with number formats (German Excel shows them with its own separators).
Text is kept exactly as entered: every text cell is a typed string cell, which Excel and LibreOffice never evaluate
(openpyxl alone would write "=…" as a live formula); text starting with = + - @ also gets the quotePrefix style, so
it stays text when someone edits the cell in Excel — without a visible apostrophe (the CSV, for machines, is
neutralised instead: reports/safe.py).
Every table sheet has a frozen header row, an autofilter, column widths, print titles and landscape pages.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ozg import fmt
from ozg.fmt import missing
from reports.abgleich import SHEET as ABGLEICH_SHEET
from reports.abgleich import Abgleich
from reports.data import BOOL, DATE, DATETIME, DECIMAL, EURO, INT, PERCENT, MinistryReport, Table
from reports.safe import TRIGGERS

NUMBER_FORMATS = {INT: "#,##0", DECIMAL: "#,##0.00", PERCENT: "0.0%", EURO: '#,##0 "€"',
                  DATE: "DD.MM.YYYY", DATETIME: "DD.MM.YYYY HH:MM"}
HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
TOTAL_FONT = Font(bold=True)
TITLE_FONT = Font(bold=True, size=14)
MAX_WIDTH = 60


def excel_value(value, kind: str):
    """A Python value Excel stores natively (int, float, date, datetime) or the text as entered."""
    if missing(value):
        return None
    if kind == INT:
        return int(value)
    if kind in (DECIMAL, EURO, PERCENT):
        return float(value)
    if kind == DATE:
        return value.date() if isinstance(value, dt.datetime) else value
    if kind == DATETIME:
        return value.to_pydatetime() if isinstance(value, pd.Timestamp) else value
    if kind == BOOL:
        return fmt.yes_no(value)
    # openpyxl refuses control characters other than tab/CR/LF; they cannot be shown in a cell anyway.
    return ILLEGAL_CHARACTERS_RE.sub("", str(value))


def put(ws: Worksheet, row: int, column: int, value) -> Cell:
    """Write one value; text becomes a typed string cell (never a formula), quote-prefixed if it starts like one."""
    c = ws.cell(row=row, column=column, value=value)
    if isinstance(value, str):
        c.data_type = "s"
        if value.startswith(TRIGGERS):
            c.quotePrefix = True
    return c


def write_table(ws: Worksheet, table: Table, top: int = 1, total_last: bool = False) -> int:
    """Write header and rows from row `top`; return the last row written. Sets widths and formats."""
    columns = list(table.frame.columns)
    for col, name in enumerate(columns, start=1):
        c = put(ws, top, col, str(name))
        c.font, c.fill = HEADER_FONT, HEADER_FILL
        c.alignment = Alignment(wrap_text=True, vertical="top")
    kinds = [table.kind(c) for c in columns]
    formats = [NUMBER_FORMATS.get(k) for k in kinds]
    widths = [len(str(name)) + 2 for name in columns]
    row_no = top
    for row_no, row in enumerate(table.frame.itertuples(index=False, name=None), start=top + 1):
        for col, (value, kind, number_format) in enumerate(zip(row, kinds, formats, strict=True), start=1):
            value = excel_value(value, kind)
            if value is None:
                continue
            c = put(ws, row_no, col, value)
            if number_format:
                c.number_format = number_format
            widths[col - 1] = max(widths[col - 1], 12 if number_format else len(value) + 1 if isinstance(
                value, str) else 8)
    if total_last and row_no > top:
        for col in range(1, len(columns) + 1):
            ws.cell(row=row_no, column=col).font = TOTAL_FONT
    for col, width in enumerate(widths, start=1):
        letter = get_column_letter(col)
        ws.column_dimensions[letter].width = max(ws.column_dimensions[letter].width or 0, min(width, MAX_WIDTH))
    return row_no


def _data_sheet(wb: Workbook, name: str, table: Table) -> Worksheet:
    """A sheet holding one table from A1: frozen header, autofilter, print titles."""
    ws = wb.create_sheet(name)
    last = write_table(ws, table)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(max(len(table.frame.columns), 1))}{max(last, 1)}"
    ws.print_title_rows = "1:1"
    return ws


def _page_setup(ws: Worksheet, report: MinistryReport) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages as the rows need
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.oddHeader.left.text = f"{report.cooperation} – Stand {fmt.date(report.day)}"
    ws.oddFooter.center.text = "Seite &P von &N"
    ws.oddFooter.right.text = f"erstellt {fmt.datetime(report.generated_at)}"


def _summary_sheet(wb: Workbook, report: MinistryReport) -> Worksheet:
    ws = wb.create_sheet("Zusammenfassung")
    lines = [
        (report.cooperation, TITLE_FONT),
        (f"Bericht zur OZG-Umsetzung – Stand {fmt.date(report.day)}"
         + ("" if report.as_of else " (aktueller Datenstand)"), Font(bold=True, size=12)),
        (f"Erstellt am {fmt.datetime(report.generated_at)}", None),
        (report.counting_rule + "; Anteil = online / relevante Leistungen (Katalog ohne „nicht relevant“)", None),
    ]
    if report.sample:
        lines.append(("Achtung: Die Datenbank enthält erfundene Beispieldaten.", Font(bold=True, color="C00000")))
    for row, (text, font) in enumerate(lines, start=1):
        c = put(ws, row, 1, text)
        if font:
            c.font = font
    top = len(lines) + 2
    write_table(ws, report.summary, top=top, total_last=True)
    ws.freeze_panes = f"B{top + 1}"
    ws.print_title_rows = f"{top}:{top}"
    ws.column_dimensions["A"].width = 24  # the title lines overflow to the right; keep the city column compact
    return ws


def labelled_parameters(table: Table) -> Table:
    """The cost parameters named by their German label („Bedeutung“, from data/cost_parameters.csv via
    ozg.savings.parameters), not by their internal id such as build_cost_simple."""
    frame = table.frame.drop(columns=["Parameter"]).rename(columns={"Bedeutung": "Parameter"})
    return Table(table.title, frame, table.kinds)


def _savings_sheet(wb: Workbook, report: MinistryReport) -> Worksheet:
    ws = _data_sheet(wb, "Einsparungen", report.savings)
    params = report.savings_parameters and labelled_parameters(report.savings_parameters)
    for table in (report.savings_total, params):
        if table is not None:
            top = ws.max_row + 3
            put(ws, top - 1, 1, f"{table.title} – Stand {fmt.date(report.day)}").font = TOTAL_FONT
            write_table(ws, table, top=top)
    return ws


def abgleich_sheet(wb: Workbook, abgleich: Abgleich) -> Worksheet:
    """The sheet „Abgleich Bund“: the Stand of both sides and the rule in two lines, then the table."""
    ws = wb.create_sheet(ABGLEICH_SHEET)
    put(ws, 1, 1, abgleich.stand_text).font = TOTAL_FONT
    put(ws, 2, 1, f"{abgleich.counting_rule}; Bund online = online_status „ok“ und aktiv „ja“")
    last = write_table(ws, abgleich.table, top=4)
    ws.freeze_panes = "A5"
    ws.auto_filter.ref = f"A4:{get_column_letter(len(abgleich.table.frame.columns))}{max(last, 4)}"
    ws.print_title_rows = "4:4"
    ws.page_setup.orientation = "landscape"
    return ws


def workbook_bytes(sheets: list[Callable[[Workbook, object], Worksheet]], source, title: str,
                   finish: Callable[[Worksheet], None] | None = None) -> bytes:
    """A workbook of the given sheet writers (each called with the workbook and `source`) as bytes."""
    wb = Workbook()
    wb.remove(wb.active)
    for write in sheets:
        ws = write(wb, source)
        if finish is not None:
            finish(ws)
    wb.properties.title = title
    wb.properties.creator = "OZG-Cockpit"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def render(report: MinistryReport) -> bytes:
    """The workbook as bytes."""
    sheets = [_summary_sheet, lambda wb, r: _data_sheet(wb, "Status", r.status),
              lambda wb, r: _data_sheet(wb, "Fristen", r.deadlines),
              lambda wb, r: _data_sheet(wb, "Verlauf", r.progress)]
    if report.savings is not None:
        sheets.append(_savings_sheet)
    if report.abgleich is not None:
        sheets.append(lambda wb, r: abgleich_sheet(wb, r.abgleich))
    return workbook_bytes(sheets, report, f"OZG-Bericht {report.cooperation}, Stand {fmt.date(report.day)}",
                          finish=lambda ws: _page_setup(ws, report))
