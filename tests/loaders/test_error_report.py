"""The downloadable check report: every problem listed, the bad cells of the uploaded file marked red with the
message as a comment; CSV uploads laid out as a sheet; unreadable files get the list only; no live formulas."""

from __future__ import annotations

import io

import openpyxl

from loaders.error_report import BAD_FILL, REPORT_SHEET, build_error_report
from loaders.problems import Problem


def _open(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def _xlsx(tmp_path, rows):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Status"
    for row in rows:
        ws.append(row)
    path = tmp_path / "fulda.xlsx"
    wb.save(path)
    return path


def test_xlsx_cells_are_marked_and_listed(tmp_path):
    path = _xlsx(tmp_path, [["Hinweis: bitte ausfüllen"], ["OZG-ID", "Reifegrad", "Status"], ["10000", 9, "online"],
                            ["10001", 2, "fertig"]])
    problems = [Problem("fulda.xlsx", "Reifegrad 9 liegt außerhalb …", "Status", 3, "Reifegrad", "9"),
                Problem("fulda.xlsx", "„fertig“ ist kein Status …", "Status", 4, "Status", "fertig"),
                Problem("fulda.xlsx", "Unbekannte Spalte", "Status", 2, "Spalte D", None, "Warnung")]
    wb = _open(build_error_report(problems, path, "fulda.xlsx"))
    assert wb.sheetnames == [REPORT_SHEET, "Status"]
    report = wb[REPORT_SHEET]
    assert report["A1"].value == "Prüfbericht für fulda.xlsx: 2 Fehler, 1 Warnungen"
    assert [c.value for c in report[3]] == ["Art", "Blatt", "Zeile", "Spalte", "Wert", "Meldung"]
    assert [c.value for c in report[4]] == ["Fehler", "Status", 3, "Reifegrad", "9", "Reifegrad 9 liegt außerhalb …"]
    ws = wb["Status"]
    assert ws["B3"].fill.fgColor.rgb[-6:] == BAD_FILL.fgColor.rgb[-6:] == "FFC7CE"
    assert ws["A3"].fill.fgColor.rgb[-6:] != "FFC7CE"
    assert ws["B3"].comment.text == "Fehler: Reifegrad 9 liegt außerhalb …"
    assert ws["C4"].comment.text == "Fehler: „fertig“ ist kein Status …"
    assert ws["C3"].comment is None and ws["B4"].comment is None


def test_csv_upload_becomes_a_sheet_and_text_never_a_formula(tmp_path):
    data = b"OZG-ID;Bemerkung\n10000;=HYPERLINK(\"http://x\")\n"
    problems = [Problem("f.csv", "Text enthält ein Steuerzeichen", None, 2, "Bemerkung", "=HYPERLINK(\"http://x\")")]
    wb = _open(build_error_report(problems, data, "f.csv"))
    assert wb.sheetnames == [REPORT_SHEET, "Daten"]
    cell = wb["Daten"]["B2"]
    assert cell.data_type == "s" and cell.value == "=HYPERLINK(\"http://x\")" and cell.comment is not None
    assert wb[REPORT_SHEET]["E4"].data_type == "s"


def test_unreadable_file_gets_the_problem_list_only():
    problems = [Problem("x.xlsx", "Die Datei ist keine Excel- (.xlsx) oder CSV-Datei, sondern eine PDF-Datei.")]
    wb = _open(build_error_report(problems, b"%PDF-1.7 ...", "x.xlsx"))
    assert wb.sheetnames == [REPORT_SHEET]
    assert wb[REPORT_SHEET]["F4"].value.startswith("Die Datei ist keine Excel")


def test_a_whole_file_rejection_gets_the_list_only(tmp_path):
    path = _xlsx(tmp_path, [["OZG-ID", "Status"]] + [["10000", "online"]] * 50)
    problems = [Problem("fulda.xlsx", "Die Tabelle hat mehr als 5.000 Datenzeilen …")]
    wb = _open(build_error_report(problems, path, "fulda.xlsx"))
    assert wb.sheetnames == [REPORT_SHEET]
    assert wb[REPORT_SHEET]["F4"].value == "Die Tabelle hat mehr als 5.000 Datenzeilen …"


def test_the_report_lists_and_marks_at_most_1000_problems(tmp_path):
    path = _xlsx(tmp_path, [["OZG-ID", "Status"]] + [[str(10000 + i), "fertig"] for i in range(1500)])
    problems = [Problem("fulda.xlsx", f"Problem {i}", "Status", i + 2, "Status", "fertig") for i in range(1500)]
    wb = _open(build_error_report(problems, path, "fulda.xlsx"))
    report = wb[REPORT_SHEET]
    assert report["A1"].value == "Prüfbericht für fulda.xlsx: 1500 Fehler, 0 Warnungen"
    assert report["A2"].value == ("Aufgeführt und markiert sind die ersten 1.000; bitte diese beheben und die Datei "
                                  "erneut prüfen.")
    assert report.max_row == 3 + 1000 and report.cell(1003, 6).value == "Problem 999"
    marked = [c.coordinate for row in wb["Status"].iter_rows() for c in row if c.comment is not None]
    assert len(marked) == 1000 and marked[-1] == "B1001"


def test_a_large_upload_is_copied_as_the_rows_with_problems_only(tmp_path, monkeypatch):
    # 2,000 rows × 40 columns = 80,040 filled cells: over FULL_COPY_CELLS, so openpyxl must not load the upload
    header = ["OZG-ID", "Status"] + [f"Spalte {c}" for c in range(3, 41)]
    rows = [header] + [[str(10000 + i), "online"] + [i] * 38 for i in range(2000)]
    path = _xlsx(tmp_path, rows)
    problems = [Problem("fulda.xlsx", "„fertig“ ist kein Status …", "Status", 1500, "Status", "fertig"),
                Problem("fulda.xlsx", "Unbekannte Spalte", "Status", 1, "Spalte 3", None, "Warnung")]
    monkeypatch.setattr(openpyxl, "load_workbook", lambda *a, **k: (_ for _ in ()).throw(AssertionError("loaded")))
    data = build_error_report(problems, path, "fulda.xlsx")
    monkeypatch.undo()
    wb = _open(data)
    report, ws = wb[REPORT_SHEET], wb["Status"]
    assert report["A2"].value == ("Die Datei hat 80.040 gefüllte Zellen. Kopiert sind daher nur die ersten 20 Zeilen "
                                  "und die Zeilen mit Problemen, als Werte ohne Formatierung; die Zeilennummern sind "
                                  "die der Datei.")
    assert [c.value for c in report[3]] == ["Art", "Blatt", "Zeile", "Spalte", "Wert", "Meldung"]
    assert [c.value for c in report[4]][:3] == ["Fehler", "Status", 1500]
    copied = sorted({cell.row for row in ws.iter_rows() for cell in row if cell.value is not None})
    assert copied == list(range(1, 21)) + [1500]
    assert ws["A1500"].value == "11498" and ws["B1500"].comment.text == "Fehler: „fertig“ ist kein Status …"
    assert ws["C1"].comment.text == "Warnung: Unbekannte Spalte"
    assert len(data) < 100_000


def test_a_large_hidden_sheet_is_never_loaded_for_the_report(tmp_path, monkeypatch):
    # a small visible Status sheet with one problem, and a hidden sheet of 120,000 cells (4 MB of XML, over 3 MiB)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Status"
    ws.append(["OZG-ID", "Status"])
    ws.append(["10000", "fertig"])
    hidden = wb.create_sheet("Alt")
    hidden.sheet_state = "hidden"
    for r in range(3000):
        hidden.append([r] * 40)
    path = tmp_path / "versteckt.xlsx"
    wb.save(path)
    problems = [Problem("versteckt.xlsx", "„fertig“ ist kein Status …", "Status", 2, "Status", "fertig")]
    monkeypatch.setattr(openpyxl, "load_workbook", lambda *a, **k: (_ for _ in ()).throw(AssertionError("loaded")))
    data = build_error_report(problems, path, "versteckt.xlsx")
    monkeypatch.undo()
    report = _open(data)
    assert report.sheetnames == [REPORT_SHEET, "Status"]
    assert report["Status"]["B2"].comment.text == "Fehler: „fertig“ ist kein Status …"
