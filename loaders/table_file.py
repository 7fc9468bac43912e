"""The one safe opener of an uploaded table file: size, emptiness, kind judged by content, then the right source.

    open_table(path, file_name) -> OpenedTable(kind, table)

Every reader of coordinator files (status, usage, projects) and the check report open files here, so a file the
check read is the file the report copies, by the same limits and zip checks.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from loaders.csv_source import read_csv
from loaders.file_kind import UNREADABLE, sniff_kind
from loaders.ods_source import is_ods, read_ods
from loaders.problems import FileRejected, Problem
from loaders.raw_table import RawTable
from loaders.xlsx_source import check_ole, read_xlsx

MAX_BYTES = 20 * 1024 * 1024


class OpenedTable(NamedTuple):
    kind: str          # 'xlsx', 'ods' or 'csv': what the content is, whatever the name says
    table: RawTable


def open_table(path: Path, file_name: str) -> OpenedTable:
    """Judge the file by its content and read it with the right source; FileRejected (German, located) if not."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise FileRejected(Problem(file_name, f"Die Datei lässt sich nicht lesen ({exc}).", code=UNREADABLE)) from None
    if size > MAX_BYTES:
        raise FileRejected(Problem(file_name, f"Die Datei ist {size / 2**20:.1f} MB groß – erwartet höchstens "
                                              f"{MAX_BYTES // 2**20} MB.".replace(".", ",", 1)))
    with path.open("rb") as fh:
        head = fh.read(4096)
    if size <= len(head) and not head.lstrip(b"\xef\xbb\xbf").strip():
        raise FileRejected(Problem(file_name, "Die Datei ist leer – erwartet eine Kopfzeile mit „OZG-ID“ und "
                                              "mindestens eine Datenzeile."))
    kind = sniff_kind(head, file_name)
    if kind == "ole":
        check_ole(path, file_name)   # always rejects: an old .xls or an encrypted workbook
    if kind == "xlsx":  # a zip: .xlsx, or LibreOffice's own .ods (same checks and limits)
        if is_ods(path):
            return OpenedTable("ods", read_ods(path, file_name))
        return OpenedTable("xlsx", read_xlsx(path, file_name))
    return OpenedTable("csv", read_csv(path.read_bytes(), file_name))
