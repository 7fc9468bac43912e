"""Bad coordinator files: every rule of DESIGN.md, each with the exact place it is reported."""

from __future__ import annotations

import datetime as dt
import random
import zipfile
from pathlib import Path

import pytest

from loaders.status_file import read_status_file
from tests.loaders.conftest import HEADER, make_ctx, patch_zip, write_xlsx

# ---------------------------------------------------------------------------------------------- row problems
# (id, rows written from A1 of sheet "Status", expected [(row, column, value, phrase)]); all of severity "Fehler".
GOOD = [10000, "Elterngeld", "Familie & Kind", 3, "online", None, "01.03.2023", "ja", "ja", "Marburg", "civento",
        "https://www.marburg.de/elterngeld", None]


def row_with(**cells) -> list:
    """GOOD as OZG-ID 10001 with some cells changed, given by header label (spaces/hyphens as underscores)."""
    row = [10001, *GOOD[1:]]
    for label, value in cells.items():
        row[[h.replace(" ", "_").replace("-", "_") for h in HEADER].index(label)] = value
    return row


ROW_CASES = [
    ("unknown-id", [HEADER, row_with(OZG_ID=99999)], [(2, "OZG-ID", "99999", "nicht im OZG-Katalog")]),
    ("malformed-id", [HEADER, row_with(OZG_ID="ABC-1")], [(2, "OZG-ID", "ABC-1", "ist keine OZG-ID")]),
    ("negative-id", [HEADER, row_with(OZG_ID=-10001)], [(2, "OZG-ID", "-10001", "ist keine OZG-ID")]),
    ("totals-line", [HEADER, GOOD, row_with(), ["Summe", None, None, 6]],
     [(4, "OZG-ID", "Summe", "Summen- und Fußnotenzeilen")]),
    ("footnote-in-id-column", [HEADER, GOOD, [], ["* Hinweis: Stand 1.11."]],
     [(4, "OZG-ID", "* Hinweis: Stand 1.11.", "ist keine OZG-ID")]),
    ("footnote-without-id", [HEADER, GOOD, [None, "Quelle: Fachamt"]], [(3, "OZG-ID", None, "OZG-ID fehlt")]),
    ("same-id-twice", [HEADER, row_with(), GOOD, row_with(Status="Pilot")],
     [(4, "OZG-ID", "10001", "steht doppelt: Zeilen 2 und 4")]),
    ("reifegrad-above-1.1", [HEADER, row_with(Reifegrad=5)],
     [(2, "Reifegrad", "5", "außerhalb von Reifegradmodell 1.1")]),
    ("reifegrad-above-2.0", [HEADER + ["Reifegradmodell"], row_with(Reifegrad=8) + ["2.0"]],
     [(2, "Reifegrad", "8", "außerhalb von Reifegradmodell 2.0")]),
    ("reifegrad-negative", [HEADER, row_with(Reifegrad=-1)], [(2, "Reifegrad", "-1", "außerhalb")]),
    ("reifegrad-fraction", [HEADER, row_with(Reifegrad=2.5)], [(2, "Reifegrad", "2.5", "keine ganze Zahl")]),
    ("reifegrad-fraction-text", [HEADER, row_with(Reifegrad="2,5")], [(2, "Reifegrad", "2,5", "keine ganze Zahl")]),
    ("reifegrad-word", [HEADER, row_with(Reifegrad="drei")], [(2, "Reifegrad", "drei", "ist kein Reifegrad")]),
    ("unknown-model", [HEADER + ["Reifegradmodell"], row_with() + ["3.0"]],
     [(2, "Reifegradmodell", "3.0", "kein bekanntes Reifegradmodell – erwartet 1.1 oder 2.0")]),
    ("unknown-status", [HEADER, row_with(Status="fertig")], [(2, "Status", "fertig", "ist kein Status")]),
    ("impossible-date", [HEADER, row_with(Geplant_bis="31.02.2023")],
     [(2, "Geplant bis", "31.02.2023", "kein gültiges Datum")]),
    ("month-13", [HEADER, row_with(Online_seit="31.13.2022")],
     [(2, "Online seit", "31.13.2022", "„31.13.2022“ ist kein gültiges Datum")]),
    ("not-a-date", [HEADER, row_with(Geplant_bis="Ende 2024")],
     [(2, "Geplant bis", "Ende 2024", "ist kein Datum – erwartet TT.MM.JJJJ, JJJJ-MM-TT oder ein Excel-Datum")]),
    ("excel-serial-60", [HEADER, row_with(Geplant_bis=60)],
     [(2, "Geplant bis", "60", "29.02.1900, den es nicht gibt")]),
    ("date-formatted-serial-60", [HEADER, row_with(Online_seit=dt.date(1900, 2, 28))],   # what openpyxl reads
     [(2, "Online seit", "1900-02-28", "28.02.1900 liegt vor dem 01.01.2000")]),
    ("online-before-2000", [HEADER, row_with(Online_seit="31.12.1999")],
     [(2, "Online seit", "31.12.1999", "liegt vor dem 01.01.2000 – bitte das Jahr prüfen")]),
    ("planned-before-2000", [HEADER, row_with(Geplant_bis="1926-03-31")],
     [(2, "Geplant bis", "1926-03-31", "liegt vor dem 01.01.2000")]),
    ("planned-after-2100", [HEADER, row_with(Geplant_bis="01.01.2101")],
     [(2, "Geplant bis", "01.01.2101", "01.01.2101 liegt nach dem 31.12.2100")]),
    ("serial-after-2100", [HEADER, row_with(Geplant_bis=74000)],
     [(2, "Geplant bis", "74000", "liegt nach dem 31.12.2100")]),
    ("online-in-future", [HEADER, row_with(Online_seit=dt.date(2026, 11, 28))],
     [(2, "Online seit", "2026-11-28", "liegt in der Zukunft")]),
    ("link-javascript", [HEADER, row_with(Link="javascript:alert(1)")],
     [(2, "Link", "javascript:alert(1)", "kein Web-Link")]),
    ("link-ftp", [HEADER, row_with(Link="ftp://files.marburg.de/a")],
     [(2, "Link", "ftp://files.marburg.de/a", "http:// oder https://")]),
    ("link-plain-text", [HEADER, row_with(Link="www.marburg.de")], [(2, "Link", "www.marburg.de", "kein Web-Link")]),
    ("cached-error-na", [HEADER, row_with(Reifegrad="#N/A")], [(2, "Reifegrad", "#N/A", "Excel-Fehlerwert")]),
    ("typed-error-nv", [HEADER, row_with(Status="#NV")], [(2, "Status", "#NV", "Excel-Fehlerwert")]),
    ("error-bezug-in-id", [HEADER, row_with(OZG_ID="#BEZUG!")], [(2, "OZG-ID", "#BEZUG!", "Excel-Fehlerwert")]),
    ("error-div0", [HEADER, row_with(Geplant_bis="#DIV/0!")], [(2, "Geplant bis", "#DIV/0!", "Excel-Fehlerwert")]),
    ("formula-without-value", [HEADER, row_with(Reifegrad="=VLOOKUP(A2,Z:Z,1,0)")],
     [(2, "Reifegrad", "=VLOOKUP(A2,Z:Z,1,0)", "keinen gespeicherten Wert")]),
    ("text-too-long", [HEADER, row_with(Bemerkung="a" * 2001)],
     [(2, "Bemerkung", "a" * 117 + "…", "2.001 Zeichen ist zu lang – erwartet höchstens 2.000")]),
    ("unknown-city", [HEADER, row_with(Federführung="Kassel")],
     [(2, "Federführung", "Kassel", "keine bekannte Kommune")]),
    ("unknown-ags", [HEADER, row_with(Federführung="06611000")],
     [(2, "Federführung", "06611000", "keine bekannte Kommune")]),
    ("yes-no-not-understood", [HEADER, row_with(Ende_zu_Ende="vielleicht")],
     [(2, "Ende-zu-Ende", "vielleicht", "kein Ja/Nein-Wert")]),
    ("yes-no-number", [HEADER, row_with(Bescheid_digital=2)], [(2, "Bescheid digital", "2", "kein Ja/Nein-Wert")]),
    ("all-problems-of-a-row", [HEADER, row_with(Reifegrad=9, Status="??", Link="mailto:a@b.de")],
     [(2, "Reifegrad", "9", "außerhalb"), (2, "Status", "??", "kein Status"),
      (2, "Link", "mailto:a@b.de", "Web-Link")]),
    ("problems-in-many-rows", [HEADER, row_with(Status="x"), GOOD, [10002, None, None, 7]],
     [(2, "Status", "x", "kein Status"), (4, "Reifegrad", "7", "außerhalb")]),
]


@pytest.mark.parametrize("rows, expected", [c[1:] for c in ROW_CASES], ids=[c[0] for c in ROW_CASES])
def test_row_problems(tmp_path, rows, expected):
    result = read_status_file(write_xlsx(tmp_path / "gießen.xlsx", rows), make_ctx())
    assert [(p.row, p.column, p.value) for p in result.problems] == [e[:3] for e in expected]
    for problem, (*_, phrase) in zip(result.problems, expected, strict=True):
        assert phrase in problem.message
        assert (problem.file, problem.sheet, problem.severity) == ("gießen.xlsx", "Status", "Fehler")
    assert not result.ok
    assert not {u.source_row for u in result.updates} & {e[0] for e in expected}  # only clean rows are updates


def test_merged_cells_in_the_data(tmp_path):
    def merge(wb):
        wb["Status"].merge_cells("A1:D1")   # a title above the header is fine
        wb["Status"].merge_cells("B4:C4")
    path = write_xlsx(tmp_path / "s.xlsx", [["Statusmeldung"], HEADER, GOOD, row_with()], edit=merge)
    result = read_status_file(path, make_ctx())
    assert [(p.row, p.column, p.value) for p in result.problems] == [(4, "Leistung", "B4:C4")]
    assert "Verbundene Zellen B4:C4 im Datenbereich" in result.problems[0].message


def test_control_character_in_csv_text(csv_file, read):
    result = read(csv_file('OZG-ID;Bemerkung\n10001;Gong\x07\n10002;"Tab\tund\r\nZeilenumbruch sind erlaubt"\n'))
    assert [(p.row, p.column, p.value) for p in result.problems] == [(2, "Bemerkung", "Gong␇")]  # shown visibly
    assert "Steuerzeichen U+0007" in result.problems[0].message
    assert result.updates[0].values == {"bemerkung": "Tab\tund\r\nZeilenumbruch sind erlaubt"}


def test_csv_line_with_more_cells_than_the_header(csv_file, read):
    result = read(csv_file("OZG-ID,Status,Bemerkung\n10001,online,ok\n10002,Pilot,Stand: 1,5 Mio\n"))
    assert [(p.row, p.column, p.value, p.severity) for p in result.problems] == [(3, None, "5 Mio", "Fehler")]
    assert "Die Zeile hat 4 Zellen, die Kopfzeile aber nur 3" in result.problems[0].message


# --------------------------------------------------------------------------------------------- file problems
def _xlsx(tmp_path: Path, rows=None, **options) -> Path:
    return write_xlsx(tmp_path / "status.xlsx", rows or [HEADER, GOOD], **options)


def pdf(tmp_path):
    (tmp_path / "status.xlsx").write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
    return tmp_path / "status.xlsx"


def png(tmp_path):
    (tmp_path / "status.xlsx").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    return tmp_path / "status.xlsx"


def random_bytes(tmp_path):
    (tmp_path / "status.xlsx").write_bytes(random.Random(7).randbytes(3000))
    return tmp_path / "status.xlsx"


def html(tmp_path):
    (tmp_path / "status.xls").write_text("<html><table><tr><td>OZG-ID</td></tr></table></html>")
    return tmp_path / "status.xls"


def old_xls(tmp_path):
    (tmp_path / "status.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500 +
                                          "Workbook".encode("utf-16-le"))
    return tmp_path / "status.xls"


def encrypted(tmp_path):
    (tmp_path / "status.xlsx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500 +
                                           "EncryptedPackage".encode("utf-16-le") + b"\x00" * 100)
    return tmp_path / "status.xlsx"


def macros(tmp_path):
    return patch_zip(_xlsx(tmp_path), {"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0 macro"})


def xlsm_content_type(tmp_path):
    return patch_zip(_xlsx(tmp_path), {"[Content_Types].xml": lambda xml: xml.replace(
        b"spreadsheetml.sheet.main+xml", b"application/vnd.ms-excel.sheet.macroEnabled.main+xml")})


def too_big(tmp_path):
    path = tmp_path / "status.csv"
    with path.open("wb") as fh:
        fh.write(b"OZG-ID;Status\n")
        fh.truncate(20 * 1024 * 1024 + 1)
    return path


def too_many_rows(tmp_path):
    lines = ["OZG-ID;Status"] + ["10001;online"] * 5001
    (tmp_path / "status.csv").write_text("\n".join(lines))
    return tmp_path / "status.csv"


def zip_bomb(tmp_path):
    return patch_zip(_xlsx(tmp_path), {"xl/media/padding.xml": b"<a>" + b" " * 30_000_000 + b"</a>"})


def doctype(tmp_path):
    evil = b'<!DOCTYPE x [<!ENTITY a "aaaa">]>'
    return patch_zip(_xlsx(tmp_path), {"xl/worksheets/sheet1.xml": lambda xml: evil + xml})


def corrupt_zip(tmp_path):
    path = _xlsx(tmp_path)
    path.write_bytes(path.read_bytes()[:1500])
    return path


def crc_error(tmp_path):
    path = patch_zip(_xlsx(tmp_path), {}, compression=zipfile.ZIP_STORED)
    data = bytearray(path.read_bytes())
    at = data.index(b"<sheetData>")
    data[at + 1: at + 6] = b"XXXXX"
    path.write_bytes(bytes(data))
    return path


def plain_zip(tmp_path):
    path = tmp_path / "status.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("notes.txt", "hallo")
    return path


def header_twice(tmp_path):
    return _xlsx(tmp_path, [["OZG-ID", "Status", "Reifegrad", "STATUS "], [10001, "online", 3, "Pilot"]])


def unclosed_quote(tmp_path):
    (tmp_path / "status.csv").write_text('OZG-ID;Bemerkung\n10001;ok\n10002;"nicht zu\n10003;ok\n')
    return tmp_path / "status.csv"


def empty_file(tmp_path):
    (tmp_path / "status.csv").write_bytes(b"")
    return tmp_path / "status.csv"


def empty_sheet(tmp_path):
    return _xlsx(tmp_path, [[]])


def header_only(tmp_path):
    return _xlsx(tmp_path, [HEADER, [], [None, "  "]])


def no_id_column(tmp_path):
    return _xlsx(tmp_path, [["Leistung", "Status"], ["Elterngeld", "online"]])


def only_hidden_sheets(tmp_path):
    # openpyxl refuses to hide the only sheet; Excel files edited by other tools can still say so.
    hide = {"xl/workbook.xml": lambda xml: xml.replace(b'state="visible"', b'state="hidden"')}
    return patch_zip(_xlsx(tmp_path), hide)


def bad_encoding(tmp_path):
    (tmp_path / "status.csv").write_bytes(b"OZG-ID;Bemerkung\n10001;\x81\x8d\n")
    return tmp_path / "status.csv"


def utf16_text(tmp_path):
    (tmp_path / "status.csv").write_bytes("OZG-ID\tStatus\n10001\tonline\n".encode("utf-16"))
    return tmp_path / "status.csv"


# (builder, sheet, row, column, phrase, code)
FILE_CASES = [
    (pdf, None, None, None, "sondern eine PDF-Datei", "unreadable"),
    (png, None, None, None, "sondern ein PNG-Bild", "unreadable"),
    (random_bytes, None, None, None, "sondern eine Binärdatei", "unreadable"),
    (html, None, None, None, "HTML- oder XML-Datei", "unreadable"),
    (old_xls, None, None, None, "alten Excel-Format (.xls)", "unreadable"),
    (encrypted, None, None, None, "mit einem Kennwort verschlüsselt", "unreadable"),
    (macros, None, None, None, "enthält Makros", ""),
    (xlsm_content_type, None, None, None, "makrofähig (.xlsm)", ""),
    (too_big, None, None, None, "erwartet höchstens 20 MB", ""),
    (too_many_rows, None, None, None, "mehr als 5.000 Datenzeilen – erwartet höchstens 5.000", ""),
    (zip_bomb, None, None, None, "erwartet höchstens das 100-fache", ""),
    (doctype, None, None, None, "DOCTYPE-Deklaration (in „xl/worksheets/sheet1.xml“)", ""),
    (corrupt_zip, None, None, None, "beschädigt", "unreadable"),
    (crc_error, None, None, None, "beschädigt", "unreadable"),
    (plain_zip, None, None, None, "sondern ein ZIP-Archiv", "unreadable"),
    (header_twice, "Status", 1, "STATUS", "Die Spalte „STATUS“ steht doppelt (Spalten B und D)", ""),
    (unclosed_quote, None, 3, None, "Anführungszeichen wird ab Zeile 3", ""),
    (empty_file, None, None, None, "Die Datei ist leer", ""),
    (empty_sheet, "Status", None, None, "Die Tabelle ist leer", ""),
    (header_only, "Status", 1, None, "keine Datenzeilen", ""),
    (no_id_column, "Status", None, None, "Keine Kopfzeile mit der Spalte „OZG-ID“", ""),
    (only_hidden_sheets, None, None, None, "keine sichtbare Tabelle", ""),
    (bad_encoding, None, None, None, "weder UTF-8 noch Windows-1252", "unreadable"),
    (utf16_text, None, None, None, "UTF-16-Textdatei", "unreadable"),
]


@pytest.mark.parametrize("build, sheet, row, column, phrase, code", FILE_CASES, ids=[c[0].__name__ for c in FILE_CASES])
def test_file_problems(tmp_path, build, sheet, row, column, phrase, code):
    path = build(tmp_path)
    result = read_status_file(path, make_ctx())
    assert len(result.problems) == 1, result.problems
    problem = result.problems[0]
    assert (problem.file, problem.sheet, problem.row, problem.column, problem.severity, problem.code) == (
        path.name, sheet, row, column, "Fehler", code)
    assert phrase in problem.message
    assert result.updates == []


def test_zip_checks_run_before_openpyxl(tmp_path, monkeypatch):
    import openpyxl

    def fail(*args, **kwargs):
        raise AssertionError("openpyxl must not see a zip bomb")

    monkeypatch.setattr(openpyxl, "load_workbook", fail)
    assert "100-fache" in read_status_file(zip_bomb(tmp_path), make_ctx()).problems[0].message


def test_a_wrong_dimension_does_not_hide_rows(tmp_path):
    path = _xlsx(tmp_path, [HEADER, GOOD, row_with(Status="fertig")])
    patch_zip(path, {"xl/worksheets/sheet1.xml": lambda xml: xml.replace(b'<dimension ref="A1:M3"', b'<dimension '
                                                                         b'ref="A1:B2"')})
    result = read_status_file(path, make_ctx())
    assert [(p.row, p.column, p.value) for p in result.problems] == [(3, "Status", "fertig")]


@pytest.mark.parametrize("char", ["\u202e", "\u202a", "\u2066", "\u2069", "\u200e", "\u200f"])
def test_invisible_direction_characters_in_text_are_rejected(csv_file, read, char):
    result = read(csv_file(f"OZG-ID;Bemerkung;Link\n10001;Rechnung{char}fdp.exe\n10002;ok;https://x.de/{char}a\n"))
    assert [(p.row, p.column, p.value) for p in result.problems] == [
        (2, "Bemerkung", "Rechnung\ufffdfdp.exe"), (3, "Link", "https://x.de/\ufffda")]
    assert all(f"unsichtbare Schreibrichtungszeichen U+{ord(char):04X}" in p.message for p in result.problems)


def test_a_csv_cell_over_128_kib_is_called_what_it_is(csv_file, read):
    result = read(csv_file("OZG-ID;Bemerkung\n10001;kurz\n10002;" + "x" * 140_000 + "\n"))
    assert [(p.row, p.severity) for p in result.problems] == [(3, "Fehler")]
    assert result.problems[0].message.startswith("Eine Zelle ab Zeile 3 (Textzeile 3) ist länger als 128 KiB")
    assert "Anführungszeichen wird" not in result.problems[0].message


def test_csv_reading_stops_at_the_5001st_data_row(csv_file, read):
    lines = ["Hinweis: Meldung Fulda", "OZG-ID;Status"] + ["10001;online", ""] * 5000 + ["10002;online"] * 10_000
    result = read(csv_file("\n".join(lines)))
    assert len(result.problems) == 1
    # 2 note/header lines, 5,000 data rows each followed by a blank line, then the 5,001st data row
    assert result.problems[0].message == ("Die Tabelle hat mehr als 5.000 Datenzeilen – erwartet höchstens 5.000. "
                                          "Das Lesen wurde bei Zeile 10.003 beendet.")


def _wide_sheet(tmp_path: Path, rows: int, columns: int) -> Path:
    return write_xlsx(tmp_path / "breit.xlsx", [HEADER] + [[10001 + r] + [1] * (columns - 1) for r in range(rows)])


def test_xlsx_with_too_many_cells_is_stopped_while_streaming(tmp_path, monkeypatch):
    import openpyxl

    path = _wide_sheet(tmp_path, 600, 500)  # 300,500 cells with values > 250,000

    def fail(*args, **kwargs):
        raise AssertionError("openpyxl must not load a sheet over the limits")

    monkeypatch.setattr(openpyxl, "load_workbook", fail)
    result = read_status_file(path, make_ctx())
    assert [p.message for p in result.problems] == [
        "Die Tabelle „Status“ hat mehr als 250.000 gefüllte Zellen – erwartet höchstens "
        "5.000 Zeilen mit je 50 Spalten (die Vorlage hat 13). Das Lesen wurde dort beendet."]


def test_xlsx_with_too_many_rows_is_stopped_while_streaming(tmp_path, monkeypatch):
    import openpyxl

    path = write_xlsx(tmp_path / "lang.xlsx", [HEADER] + [[10001]] * 5100)  # header + 5,100 rows = 5,101
    monkeypatch.setattr(openpyxl, "load_workbook", lambda *a, **k: pytest.fail("openpyxl must not load it"))
    result = read_status_file(path, make_ctx())
    assert [p.message for p in result.problems] == [
        "Die Tabelle „Status“ hat mehr als 5.100 Zeilen mit Werten – erwartet höchstens "
        "5.000 Datenzeilen. Das Lesen wurde dort beendet."]
