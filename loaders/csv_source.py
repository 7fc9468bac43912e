"""Read a coordinator CSV: guess encoding (UTF-8 with/without BOM, else Windows-1252) and delimiter (; , tab).

Row numbers are the row numbers Excel shows when it opens the CSV: one per record, counting note lines and
blank lines; a cell with a line break inside quotes stays one row.
"""

from __future__ import annotations

import csv
import io

from loaders.cells import header_key
from loaders.file_kind import not_a_table
from loaders.problems import FileRejected, Problem
from loaders.raw_table import RawTable

DELIMITERS = (";", ",", "\t")
HEADER_SEARCH_ROWS = 20
HEADER_KEY = header_key("OZG-ID")


def decode(data: bytes, file_name: str) -> str:
    """Text of a CSV file: strict UTF-8 first (BOM removed), else Windows-1252."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise not_a_table(file_name, "eine Datei in unbekannter Kodierung (weder UTF-8 noch Windows-1252)") from None


def _is_header_key(cell: str) -> bool:
    return header_key(cell) == HEADER_KEY


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the header line (the first with an OZG-ID cell) into the most cells."""
    head = "\n".join(text.splitlines()[:HEADER_SEARCH_ROWS])
    best, best_cells = DELIMITERS[0], 0
    for delimiter in DELIMITERS:
        try:
            rows = list(csv.reader(io.StringIO(head), delimiter=delimiter))
        except csv.Error:
            continue
        for row in rows:
            if any(_is_header_key(c) for c in row):
                if len(row) > best_cells:
                    best, best_cells = delimiter, len(row)
                break
    if best_cells == 0:  # no header found: the most frequent candidate on the first line
        first = text.splitlines()[0] if text else ""
        best = max(DELIMITERS, key=first.count)
    return best


def _trimmed(row: list[str]) -> list[str]:
    end = len(row)
    while end and not row[end - 1].strip():
        end -= 1
    return row[:end]


def read_csv(data: bytes, file_name: str) -> RawTable:
    """All records as RawTable rows; lines with more cells than the header are reported and left out."""
    text = decode(data, file_name)
    delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[tuple[int, list]] = []
    problems: list[Problem] = []
    header_width: int | None = None
    number = 0
    while True:
        start_line = reader.line_num + 1
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise FileRejected(Problem(
                file_name, f"Ein Anführungszeichen wird ab Zeile {number + 1} (Textzeile {start_line}) nicht "
                           f"geschlossen oder steht mitten im Wert ({exc}) – erwartet Werte mit Trennzeichen oder "
                           "Zeilenumbruch in \"…\" und \"\" für ein Anführungszeichen im Text.",
                row=number + 1)) from None
        number += 1
        cells = _trimmed(record)
        if header_width is None and number <= HEADER_SEARCH_ROWS and any(_is_header_key(c) for c in cells):
            header_width = len(cells)
        elif header_width is not None and len(cells) > header_width:
            extra = delimiter.join(cells[header_width:])
            problems.append(Problem(
                file_name, f"Die Zeile hat {len(cells)} Zellen, die Kopfzeile aber nur {header_width} – erwartet "
                           f"höchstens so viele Zellen wie Spalten. Enthält ein Text das Trennzeichen „{delimiter}“, "
                           "muss er in Anführungszeichen stehen.", row=number, value=extra))
            continue
        rows.append((number, [c if c.strip() else None for c in cells]))
    return RawTable(sheet=None, rows=rows, problems=problems)
