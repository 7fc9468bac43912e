"""Read a coordinator CSV: guess encoding (UTF-8 with/without BOM, else Windows-1252) and delimiter (; , tab).

Row numbers are the row numbers Excel shows when it opens the CSV: one per record, counting note lines and
blank lines; a cell with a line break inside quotes stays one row.

Memory stays bounded whatever the file holds: the bytes are decoded lazily (a stream over the upload, not one
big string), records are read one at a time and reading stops at the 5,001st data row.
"""

from __future__ import annotations

import codecs
import csv
import io

from loaders.cells import header_key
from loaders.file_kind import not_a_table
from loaders.problems import FileRejected, Problem
from loaders.raw_table import MAX_DATA_ROWS, RawTable

DELIMITERS = (";", ",", "\t")
HEADER_SEARCH_ROWS = 20
HEADER_KEY = header_key("OZG-ID")
FIELD_LIMIT = csv.field_size_limit()   # 128 KiB: Python's csv module refuses longer cells
_CHUNK = 1 << 20


def encoding_of(data: bytes, file_name: str) -> str:
    """'utf-8-sig' if the bytes are strict UTF-8 (checked chunk by chunk, nothing kept), else 'cp1252'."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        for start in range(0, len(data), _CHUNK):
            decoder.decode(data[start:start + _CHUNK])
        decoder.decode(b"", final=True)
        return "utf-8-sig"
    except UnicodeDecodeError:
        pass
    decoder = codecs.getincrementaldecoder("cp1252")()
    try:
        for start in range(0, len(data), _CHUNK):
            decoder.decode(data[start:start + _CHUNK])
        return "cp1252"
    except UnicodeDecodeError:
        raise not_a_table(file_name, "eine Datei in unbekannter Kodierung (weder UTF-8 noch Windows-1252)") from None


def decode(data: bytes, file_name: str) -> str:
    """Text of a CSV file: strict UTF-8 first (BOM removed), else Windows-1252."""
    return data.decode(encoding_of(data, file_name))


def _text_stream(data: bytes, encoding: str) -> io.TextIOWrapper:
    return io.TextIOWrapper(io.BytesIO(data), encoding=encoding, newline="")


def _is_header_key(cell: str) -> bool:
    return header_key(cell) == HEADER_KEY


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the header line (the first with an OZG-ID cell) into the most cells.
    `text` may be only the start of the file (its first HEADER_SEARCH_ROWS lines are looked at)."""
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


def _head(data: bytes, encoding: str) -> str:
    """The first lines of the file (enough to find the header), decoded."""
    stream = _text_stream(data, encoding)
    return "".join(stream.readline(FIELD_LIMIT) for _ in range(HEADER_SEARCH_ROWS))


def _too_many_rows(file_name: str, number: int) -> FileRejected:
    return FileRejected(Problem(
        file_name, f"Die Tabelle hat mehr als {MAX_DATA_ROWS:,} Datenzeilen – erwartet höchstens {MAX_DATA_ROWS:,}. "
                   f"Das Lesen wurde bei Zeile {number:,} beendet.".replace(",", ".")))


def read_csv(data: bytes, file_name: str) -> RawTable:
    """All records as RawTable rows; lines with more cells than the header are reported and left out.
    Stops with a whole-file rejection at the 5,001st non-empty data row."""
    encoding = encoding_of(data, file_name)
    delimiter = sniff_delimiter(_head(data, encoding))
    reader = csv.reader(_text_stream(data, encoding), delimiter=delimiter, strict=True)
    rows: list[tuple[int, list]] = []
    problems: list[Problem] = []
    header_width: int | None = None
    number = data_rows = 0
    while True:
        start_line = reader.line_num + 1
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            if "field larger than field limit" in str(exc):
                raise FileRejected(Problem(
                    file_name, f"Eine Zelle ab Zeile {number + 1} (Textzeile {start_line}) ist länger als "
                               f"{FIELD_LIMIT // 1024} KiB – erwartet Texte mit höchstens 2.000 Zeichen. Ist der "
                               "Rest der Datei in diese Zelle gerutscht, fehlt dort ein schließendes "
                               "Anführungszeichen.", row=number + 1)) from None
            raise FileRejected(Problem(
                file_name, f"Ein Anführungszeichen wird ab Zeile {number + 1} (Textzeile {start_line}) nicht "
                           f"geschlossen oder steht mitten im Wert ({exc}) – erwartet Werte mit Trennzeichen oder "
                           "Zeilenumbruch in \"…\" und \"\" für ein Anführungszeichen im Text.",
                row=number + 1)) from None
        number += 1
        cells = _trimmed(record)
        if header_width is None and number <= HEADER_SEARCH_ROWS and any(_is_header_key(c) for c in cells):
            header_width = len(cells)
        elif header_width is not None and any(c.strip() for c in cells):
            data_rows += 1
            if data_rows > MAX_DATA_ROWS:
                raise _too_many_rows(file_name, number)
        if header_width is not None and len(cells) > header_width:
            extra = delimiter.join(cells[header_width:])
            problems.append(Problem(
                file_name, f"Die Zeile hat {len(cells)} Zellen, die Kopfzeile aber nur {header_width} – erwartet "
                           f"höchstens so viele Zellen wie Spalten. Enthält ein Text das Trennzeichen „{delimiter}“, "
                           "muss er in Anführungszeichen stehen.", row=number, value=extra))
            continue
        rows.append((number, [c if c.strip() else None for c in cells]))
    return RawTable(sheet=None, rows=rows, problems=problems)
