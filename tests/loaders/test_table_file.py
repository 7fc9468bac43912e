"""open_table judges a file by its content, never by its name, and says which kind it read."""

from __future__ import annotations

import openpyxl
import pytest

from loaders.problems import FileRejected
from loaders.table_file import MAX_BYTES, open_table
from tests.loaders.ods_support import table, write_ods


def test_each_kind_is_read_by_content_whatever_the_name(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.title = "Status"
    wb.active.append(["OZG-ID", "Status"])
    wb.active.append(["10000", "online"])
    wb.save(tmp_path / "eigentlich.csv")          # an .xlsx under a .csv name
    write_ods(tmp_path / "daten.xlsx", table("Status", [["OZG-ID", "Status"], ["10001", "Pilot"]]))
    (tmp_path / "liste.xlsx").write_text("OZG-ID;Status\r\n10002;geplant\r\n", encoding="utf-8")

    xlsx = open_table(tmp_path / "eigentlich.csv", "eigentlich.csv")
    ods = open_table(tmp_path / "daten.xlsx", "daten.xlsx")
    csv = open_table(tmp_path / "liste.xlsx", "liste.xlsx")
    assert (xlsx.kind, ods.kind, csv.kind) == ("xlsx", "ods", "csv")
    assert [values[:2] for _, values in xlsx.table.rows] == [["OZG-ID", "Status"], ["10000", "online"]]
    assert [values[:2] for _, values in ods.table.rows] == [["OZG-ID", "Status"], ["10001", "Pilot"]]
    assert [values[:2] for _, values in csv.table.rows] == [["OZG-ID", "Status"], ["10002", "geplant"]]


@pytest.mark.parametrize(("content", "expected"), [
    (b"", "Die Datei ist leer"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "alten Excel-Format (.xls)"),
    (b"%PDF-1.7\n", "sondern eine PDF-Datei"),
])
def test_what_is_no_table_is_named(tmp_path, content, expected):
    path = tmp_path / "upload.xlsx"
    path.write_bytes(content)
    with pytest.raises(FileRejected) as rejected:
        open_table(path, "upload.xlsx")
    assert expected in rejected.value.problem.message and rejected.value.problem.file == "upload.xlsx"


def test_a_file_above_the_limit_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "gross.csv"
    with path.open("wb") as fh:
        fh.truncate(MAX_BYTES + 1)   # sparse: nothing to read, only the size counts
    with pytest.raises(FileRejected, match="Die Datei ist 20,0 MB groß – erwartet höchstens 20 MB"):
        open_table(path, "gross.csv")
