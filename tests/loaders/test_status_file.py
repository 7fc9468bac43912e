"""Good coordinator files: what read_status_file makes of them, value by value."""

from __future__ import annotations

import datetime as dt

import pytest

from loaders.status_file import read_status_file
from ozg.domain import StatusUpdate
from tests.loaders.conftest import HEADER, make_ctx, patch_zip

FULL_ROW = [10001, "Vaterschaft", "Familie & Kind", 3, "online", "31.12.2022", "2023-01-15", "ja", "nein",
            "Gießen", "civento", "https://www.marburg.de/vaterschaft", "läuft"]
FULL_VALUES = {
    "reifegrad": 3, "status": "online", "geplant_bis": dt.date(2022, 12, 31), "online_seit": dt.date(2023, 1, 15),
    "ende_zu_ende": True, "bescheid_digital": False, "federfuehrung": "06531005", "plattform": "civento",
    "link": "https://www.marburg.de/vaterschaft", "bemerkung": "läuft",
}


def only_update(result) -> StatusUpdate:
    assert [p for p in result.problems if p.severity == "Fehler"] == []
    assert len(result.updates) == 1
    return result.updates[0]


def test_full_template_row(xlsx, read):
    result = read(xlsx([HEADER, FULL_ROW], info_ags="06534014"))
    assert result.problems == []
    assert result.sheet == "Status"
    assert result.city_ags == "06534014"
    assert result.updates == [StatusUpdate("10001", FULL_VALUES, 2)]


def test_file_name_defaults_to_path_name_and_can_be_given(xlsx, ctx):
    path = xlsx([HEADER, FULL_ROW], name="upload-123.xlsx")
    assert read_status_file(path, ctx).file_name == "upload-123.xlsx"
    assert read_status_file(path, ctx, file_name="gießen.xlsx").file_name == "gießen.xlsx"


def test_blank_cells_are_none(xlsx, read):
    update = only_update(read(xlsx([HEADER, [10001]])))
    assert update.values == dict.fromkeys(FULL_VALUES)


def test_absent_columns_are_absent_keys(xlsx, read):
    update = only_update(read(xlsx([["OZG-ID", "Status"], ["10002", "Pilot"]])))
    assert update == StatusUpdate("10002", {"status": "Pilot"}, 2)


def test_columns_in_any_order(xlsx, read):
    order = list(reversed(range(len(HEADER))))
    update = only_update(read(xlsx([[HEADER[i] for i in order], [FULL_ROW[i] for i in order]])))
    assert update.values == FULL_VALUES


def test_forgiving_headers_and_status_values(xlsx, read):
    header = ["\u00a0ozg-id ", "\u200bSTATUS", "reifegrad\u202f", "ende zu ende", "Federfuehrung", "BESCHEID DIGITAL"]
    rows = [header, [10001, " KONZEPTION\u00a0", 2, " JA\u200b", "MARBURG", "Nein"],
            [10002, "Nicht  Begonnen", 0, "x", "06531005", None]]
    result = read(xlsx(rows))
    assert result.problems == []
    assert [u.values for u in result.updates] == [
        {"status": "Konzeption", "reifegrad": 2, "ende_zu_ende": True, "federfuehrung": "06534014",
         "bescheid_digital": False},
        {"status": "nicht begonnen", "reifegrad": 0, "ende_zu_ende": True, "federfuehrung": "06531005",
         "bescheid_digital": None},
    ]


def test_notes_above_header_and_empty_rows_are_skipped(xlsx, read):
    rows = [["Statusmeldung Marburg"], ["Bitte bis 30.11. zurücksenden", None, "Danke!"], [],
            ["OZG-ID", "Status"], [10001, "online"], [None, "   "], [10002, "Pilot"]]
    result = read(xlsx(rows))
    assert result.problems == []
    assert [(u.ozg_id, u.source_row) for u in result.updates] == [("10001", 5), ("10002", 7)]


@pytest.mark.parametrize("cell, expected", [
    ("31.12.2022", dt.date(2022, 12, 31)),
    ("1.2.2023", dt.date(2023, 2, 1)),
    ("2022-12-31", dt.date(2022, 12, 31)),
    ("2022-12-31 00:00:00", dt.date(2022, 12, 31)),
    (dt.datetime(2022, 12, 31, 14, 5), dt.date(2022, 12, 31)),
    (dt.date(2021, 6, 1), dt.date(2021, 6, 1)),
    (44926, dt.date(2022, 12, 31)),       # Excel serial in the 1900 system
    (44926.75, dt.date(2022, 12, 31)),
    ("01.01.2000", dt.date(2000, 1, 1)),  # the plausible range's ends are accepted
    ("31.12.2100", dt.date(2100, 12, 31)),
])
def test_dates(xlsx, read, cell, expected):
    update = only_update(read(xlsx([["OZG-ID", "Geplant bis"], [10001, cell]])))
    assert update.values == {"geplant_bis": expected}


def test_dates_in_a_1904_workbook(xlsx, read):
    path = xlsx([["OZG-ID", "Online seit", "Geplant bis"], [10001, dt.date(2022, 12, 31), 43464]], epoch1904=True)
    update = only_update(read(path))
    # 43464 days after 1904-01-01 is the same day as serial 44926 in the 1900 system.
    assert update.values == {"online_seit": dt.date(2022, 12, 31), "geplant_bis": dt.date(2022, 12, 31)}


@pytest.mark.parametrize("cell", [10001, 10001.0, "10001.0", "10001", " 10001 ", "10001,0"])
def test_ozg_ids_written_as_numbers_are_text(xlsx, read, cell):
    assert only_update(read(xlsx([["OZG-ID", "Status"], [cell, "online"]]))).ozg_id == "10001"


@pytest.mark.parametrize("cell, expected", [
    ("ja", True), ("Nein", False), ("x", True), ("X", True), (None, None), ("true", True), ("FALSE", False),
    ("wahr", True), ("falsch", False), ("1", True), ("0", False), (1, True), (0, False), (True, True),
    (False, False),
])
def test_booleans(xlsx, read, cell, expected):
    update = only_update(read(xlsx([["OZG-ID", "Ende-zu-Ende"], [10001, cell]])))
    assert update.values == {"ende_zu_ende": expected}


@pytest.mark.parametrize("cell, expected", [(0, 0), (4, 4), (3.0, 3), ("2", 2), ("3 – Online-Leistung", 3)])
def test_reifegrad_values(xlsx, read, cell, expected):
    assert only_update(read(xlsx([["OZG-ID", "Reifegrad"], [10001, cell]]))).values == {"reifegrad": expected}


def test_reifegrad_with_model_column(xlsx, read):
    rows = [["OZG-ID", "Reifegrad", "Reifegradmodell"], [10001, 7, "2.0"], [10002, 4, 1.1], [10003, 6, 2],
            [10000, None, None]]
    result = read(xlsx(rows))
    assert result.problems == []
    assert [u.values for u in result.updates] == [
        {"reifegrad": 7, "reifegrad_model": "2.0"}, {"reifegrad": 4, "reifegrad_model": "1.1"},
        {"reifegrad": 6, "reifegrad_model": "2.0"}, {"reifegrad": None, "reifegrad_model": None},
    ]


def test_blank_model_next_to_a_score_keeps_the_current_model(xlsx, read):
    rows = [["OZG-ID", "Reifegrad", "Reifegradmodell"], [10001, 6, None], [10002, 3, None]]
    result = read(xlsx(rows), models={"10001": "2.0"})
    assert [u.values for u in result.updates] == [{"reifegrad": 6, "reifegrad_model": "2.0"},
                                                  {"reifegrad": 3, "reifegrad_model": "1.1"}]


def test_without_model_column_the_current_model_sets_the_range(xlsx, read):
    update = only_update(read(xlsx([["OZG-ID", "Reifegrad"], [10001, 6]]), models={"10001": "2.0"}))
    assert update.values == {"reifegrad": 6}


def test_federfuehrung_by_name_ags_or_number(xlsx, read):
    rows = [["OZG-ID", "Federführung"], [10000, "GIESSEN"], [10001, "Gießen"], [10002, 6534014], [10003, "06534014"]]
    result = read(xlsx(rows))
    assert [u.values["federfuehrung"] for u in result.updates] == ["06531005", "06531005", "06534014", "06534014"]


def test_read_only_columns_are_ignored_even_with_errors(xlsx, read):
    rows = [["OZG-ID", "Leistung", "Themenfeld", "Status"], [10001, "#NV", "=SVERWEIS(A2;K:L;2;0)", "online"]]
    update = only_update(read(xlsx(rows)))
    assert update.values == {"status": "online"}


def test_formula_with_a_saved_value_uses_the_value(xlsx, read):
    path = xlsx([["OZG-ID", "Reifegrad"], [10001, "=1+2"]])
    patch_zip(path, {"xl/worksheets/sheet1.xml": lambda xml: xml.replace(b"<f>1+2</f><v />", b"<f>1+2</f><v>3</v>")})
    assert only_update(read(path)).values == {"reifegrad": 3}


def test_unknown_extra_column_is_only_a_warning(xlsx, read):
    result = read(xlsx([["OZG-ID", "Status", "Ansprechpartner"], [10001, "online", "Frau Muster"]]))
    assert [(p.severity, p.row, p.column, p.value) for p in result.problems] == [
        ("Warnung", 1, "Ansprechpartner", "Ansprechpartner")]
    assert "Unbekannte Spalte „Ansprechpartner“ wird ignoriert" in result.problems[0].message
    assert result.ok and len(result.updates) == 1


def test_sheet_named_status_wins_over_first_sheet(xlsx, read):
    def edit(wb):
        other = wb.create_sheet("Notizen", 0)
        other.append(["nur Notizen"])
    result = read(xlsx([["OZG-ID", "Status"], [10001, "online"]], edit=edit))
    assert result.sheet == "Status" and len(result.updates) == 1


def test_hidden_sheets_are_never_read(xlsx, read):
    def edit(wb):
        wb["Status"].sheet_state = "hidden"
        visible = wb.create_sheet("Daten")
        visible.append(["OZG-ID", "Status"])
        visible.append([10002, "Pilot"])
    result = read(xlsx([["OZG-ID", "Status"], [10001, "online"]], edit=edit))
    assert result.sheet == "Daten"
    assert result.updates == [StatusUpdate("10002", {"status": "Pilot"}, 2)]


@pytest.mark.parametrize("ags, expected", [("06534014", "06534014"), (6534014, "06534014"), (None, None)])
def test_info_sheet_names_the_city(xlsx, read, ags, expected):
    assert read(xlsx([HEADER, FULL_ROW], info_ags=ags)).city_ags == expected


def test_info_sheet_with_a_bad_ags_warns(xlsx, read):
    result = read(xlsx([HEADER, FULL_ROW], info_ags="Marburg"))
    assert result.city_ags is None
    assert [(p.severity, p.sheet, p.row, p.column, p.value) for p in result.problems] == [
        ("Warnung", "Info", 2, "AGS", "Marburg")]


CSV_TEXT = ("OZG-ID;Leistung;Reifegrad;Status;Online seit;Federführung;Bemerkung\n"
            "10001;Vaterschaft;3;online;15.01.2023;Gießen;Änderung „geplant“\n"
            "10002;Elterngeld;;Konzeption;;;\n")
CSV_VALUES = [
    {"reifegrad": 3, "status": "online", "online_seit": dt.date(2023, 1, 15), "federfuehrung": "06531005",
     "bemerkung": "Änderung „geplant“"},
    {"reifegrad": None, "status": "Konzeption", "online_seit": None, "federfuehrung": None, "bemerkung": None},
]


@pytest.mark.parametrize("content", [
    CSV_TEXT.encode("utf-8"),
    b"\xef\xbb\xbf" + CSV_TEXT.encode("utf-8"),
    CSV_TEXT.encode("cp1252"),
    CSV_TEXT.replace(";", ",").encode("utf-8"),
    CSV_TEXT.replace("\n", "\r\n").encode("utf-8"),
    CSV_TEXT.replace(";", "\t").encode("utf-8"),
], ids=["utf8", "utf8-bom", "cp1252", "comma", "crlf", "tab"])
def test_csv_encodings_and_delimiters(csv_file, read, content):
    result = read(csv_file(content))
    assert result.problems == []
    assert (result.sheet, result.city_ags) == (None, None)
    assert [u.values for u in result.updates] == CSV_VALUES
    assert [u.source_row for u in result.updates] == [2, 3]


def test_csv_with_notes_quotes_and_line_breaks(csv_file, read):
    text = ('Statusmeldung Gießen;;\n\n"OZG-ID","Status","Bemerkung"\n'
            '10001,online,"Zeile 1\nZeile 2, mit Komma"\n10002,Pilot,"sagt ""fertig"""\n')
    result = read(csv_file(text))
    assert result.problems == []
    assert [(u.source_row, u.values["bemerkung"]) for u in result.updates] == [
        (4, "Zeile 1\nZeile 2, mit Komma"), (5, 'sagt "fertig"')]


def test_csv_trailing_empty_cells_are_not_extra_cells(csv_file, read):
    result = read(csv_file("OZG-ID;Status;;\n10001;online;;;;\n"))
    assert result.problems == [] and result.updates[0].values == {"status": "online"}


def test_csv_content_wins_over_the_name(csv_file, read):
    assert read(csv_file("OZG-ID;Status\n10001;online\n", name="status.xlsx")).updates[0].ozg_id == "10001"


def test_xlsx_content_wins_over_the_name(xlsx, read):
    assert read(xlsx([["OZG-ID", "Status"], [10001, "online"]], name="status.csv")).sheet == "Status"


def test_reading_writes_nothing(xlsx, tmp_path):
    path = xlsx([HEADER, FULL_ROW])
    before = sorted(p.name for p in tmp_path.iterdir()), path.read_bytes()
    read_status_file(path, make_ctx())
    assert (sorted(p.name for p in tmp_path.iterdir()), path.read_bytes()) == before
