"""Read a federal „Dashboard Digitale Verwaltung“ export (JSON, CSV or XLSX) record by record, without loading it.

The API's record (DvDataDto) has the fields in FIELDS; coordinators download `GET /v1/data` (a page object
`{"content": [...], "totalPages": …}`) or `GET /v1/data/{ars}?filetype=csv|xlsx`. A national export has about a
million records, so every reader is a generator: JSON through ijson (a C-backed streaming parser: memory stays
bounded whatever the file size, which `json.load` cannot do), CSV through the csv module line by line, XLSX
through openpyxl's read-only mode. Each yields (position, record) where position is what a message names:
„Datensatz 17“ for JSON, the row number for CSV/XLSX (as a spreadsheet shows it, header = row 1).
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import NoReturn

from loaders.file_kind import UNREADABLE
from loaders.problems import FileRejected, Problem

FIELDS = ("leika_key", "leika_name", "ars", "ars_name", "ars_federal_state", "bundesland", "leika_bezeichnung",
          "ozgid", "ozg_bezeichnung", "url", "online_status", "aktiv", "art_flaechendeckung")
REQUIRED = ("ars", "ozgid", "online_status", "aktiv")
# Zip containers: a national XLSX unpacks to some hundred MB; a bomb unpacks to far more than 100× its size.
MAX_RATIO = 100
MAX_UNPACKED = 2 * 1024**3
EXPORT_HINT = ("Erwartet wird ein Export des „Dashboard Digitale Verwaltung“ (JSON, CSV oder XLSX) mit den "
               "Feldnamen der API (ars, ozgid, online_status, aktiv, …) als Kopfzeile.")


def _reject(file_name: str, message: str) -> NoReturn:
    raise FileRejected(Problem(file_name, message, code=UNREADABLE))


def kind_of(path: Path, file_name: str) -> str:
    """'json', 'csv' or 'xlsx', judged by the first bytes (never by the name)."""
    with path.open("rb") as fh:
        head = fh.read(4096)
    if not head.strip():
        _reject(file_name, f"Die Datei ist leer. {EXPORT_HINT}")
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return "xlsx"
    text = head.removeprefix(codecs.BOM_UTF8).lstrip()
    if text[:1] in (b"[", b"{"):
        return "json"
    if b"\x00" in head:
        _reject(file_name, f"Die Datei ist eine Binärdatei. {EXPORT_HINT}")
    return "csv"


def records(path: Path, file_name: str) -> tuple[str, str | None, Iterator[tuple[int, dict]]]:
    """(kind, sheet name or None, generator of (position, record)) for the file; whole-file problems raise."""
    kind = kind_of(path, file_name)
    if kind == "json":
        return kind, None, _json_records(path, file_name)
    if kind == "csv":
        return kind, None, _csv_records(path, file_name)
    sheet, rows = _xlsx_records(path, file_name)
    return kind, sheet, rows


# --- JSON ---------------------------------------------------------------------------------------------------------
def _json_records(path: Path, file_name: str) -> Iterator[tuple[int, dict]]:
    import ijson

    with path.open("rb") as fh:
        head = fh.read(4096).removeprefix(codecs.BOM_UTF8).lstrip()
        fh.seek(0)
        if fh.read(3) != codecs.BOM_UTF8:
            fh.seek(0)
        prefix = "item" if head[:1] == b"[" else "content.item"
        number = 0
        try:
            for number, item in enumerate(ijson.items(fh, prefix, use_float=True), start=1):
                if not isinstance(item, dict):
                    yield number, {"__not_an_object__": item}
                    continue
                yield number, item
        except ijson.JSONError as exc:
            _reject(file_name, f"Die JSON-Datei ist nach Datensatz {number} beschädigt ({exc}). {EXPORT_HINT}")
        if number == 0:
            where = "Die Liste" if prefix == "item" else "Das Feld „content“"
            _reject(file_name, f"{where} enthält keine Datensätze. {EXPORT_HINT}")


def page_info(path: Path) -> tuple[int, int] | None:
    """(number, totalPages) of an API page object, read from the file's head and tail; None if not a page."""
    with path.open("rb") as fh:
        head = fh.read(65536)
        fh.seek(max(0, path.stat().st_size - 65536))
        tail = fh.read()
    found = {}
    for key in ("totalPages", "number"):
        match = re.search(rb'"' + key.encode() + rb'"\s*:\s*(\d+)', tail) or re.search(
            rb'"' + key.encode() + rb'"\s*:\s*(\d+)', head)
        if match:
            found[key] = int(match.group(1))
    if "totalPages" not in found:
        return None
    return found.get("number", 0), found["totalPages"]


# --- CSV ----------------------------------------------------------------------------------------------------------
def _csv_records(path: Path, file_name: str) -> Iterator[tuple[int, dict]]:
    with path.open("rb") as raw:
        if raw.read(2) in (b"\xff\xfe", b"\xfe\xff"):
            _reject(file_name, f"Die Datei ist UTF-16-kodiert – erwartet UTF-8. {EXPORT_HINT}")
    with path.open(encoding="utf-8-sig", newline="") as fh:
        try:
            first = fh.readline()
        except UnicodeDecodeError:
            _reject(file_name, f"Die Datei ist nicht UTF-8-kodiert. {EXPORT_HINT}")
        delimiter = ";" if first.count(";") >= first.count(",") else ","
        header = [h.strip().lower() for h in next(csv.reader(io.StringIO(first), delimiter=delimiter), [])]
        _check_header(header, file_name, None)
        reader = csv.reader(fh, delimiter=delimiter, strict=True)
        row_no = 1
        try:
            for row_no, cells in enumerate(reader, start=2):
                if not any(c.strip() for c in cells):
                    continue
                if len(cells) > len(header):
                    yield row_no, {"__too_many_cells__": len(cells)}
                    continue
                yield row_no, dict(zip(header, cells, strict=False))
        except UnicodeDecodeError:
            _reject(file_name, f"Zeile {row_no + 1}: Die Datei ist nicht UTF-8-kodiert. {EXPORT_HINT}")
        except csv.Error as exc:
            _reject(file_name, f"Zeile {row_no + 1}: Die CSV-Datei ist beschädigt ({exc}). {EXPORT_HINT}")
        if row_no < 2:
            _reject(file_name, f"Die Datei enthält nur die Kopfzeile, keine Datensätze. {EXPORT_HINT}")


def _check_header(header: list[str], file_name: str, sheet: str | None) -> None:
    missing = [f for f in REQUIRED if f not in header]
    if missing:
        where = f"Blatt „{sheet}“, " if sheet else ""
        names = ", ".join(f"„{m}“" for m in missing)
        _reject(file_name, f"{where}Zeile 1: Es fehlt die Spalte {names}. {EXPORT_HINT}")
    seen: set[str] = set()
    for name in header:
        if name and name in seen:
            _reject(file_name, f"Zeile 1: Die Spalte „{name}“ steht zweimal in der Kopfzeile – erwartet jede einmal.")
        seen.add(name)


# --- XLSX ---------------------------------------------------------------------------------------------------------
def _check_zip(path: Path, file_name: str) -> None:
    size = max(path.stat().st_size, 1)
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            names = {i.filename.lower() for i in infos}
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        _reject(file_name, f"Die Datei ist beschädigt und lässt sich nicht als Excel-Arbeitsmappe lesen ({exc}).")
    unpacked = sum(i.file_size for i in infos)
    if unpacked > MAX_RATIO * size or unpacked > MAX_UNPACKED:
        _reject(file_name, f"Die Datei entpackt sich auf {unpacked / size:,.0f}-fache Größe – erwartet höchstens "
                           f"das {MAX_RATIO}-fache. Sie wird aus Sicherheitsgründen nicht gelesen.")
    if "xl/workbook.xml" not in names:
        _reject(file_name, f"Die Datei ist ein ZIP-Archiv, aber keine Excel-Arbeitsmappe (.xlsx). {EXPORT_HINT}")


def _xlsx_records(path: Path, file_name: str) -> tuple[str, Iterator[tuple[int, dict]]]:
    import openpyxl

    _check_zip(path, file_name)
    try:
        wb = openpyxl.load_workbook(path.open("rb"), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 — openpyxl raises anything from KeyError to XML errors on bad input
        _reject(file_name, f"Die Excel-Arbeitsmappe lässt sich nicht öffnen ({type(exc).__name__}: {exc}).")
    visible = [ws for ws in wb.worksheets if ws.sheet_state == "visible"]
    if not visible:
        _reject(file_name, "Die Arbeitsmappe hat keine sichtbare Tabelle.")
    ws = visible[0]
    ws.reset_dimensions()  # read-only mode trusts the declared <dimension>; a wrong one would drop rows
    rows = ws.iter_rows(values_only=True)
    header = [str(h).strip().lower() if h is not None else "" for h in next(rows, ())]
    _check_header(header, file_name, ws.title)

    def generate() -> Iterator[tuple[int, dict]]:
        seen = False
        try:
            for row_no, values in enumerate(rows, start=2):
                if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
                    continue
                seen = True
                yield row_no, {h: v for h, v in zip(header, values, strict=False) if h}
        finally:
            wb.close()
        if not seen:
            _reject(file_name, f"Blatt „{ws.title}“ enthält nur die Kopfzeile, keine Datensätze. {EXPORT_HINT}")

    return ws.title, generate()
