"""The per-city template: pre-filled from the database, dropdowns, an Info sheet naming the city."""

import datetime as dt

import openpyxl
import pytest

from loaders.template import COLUMNS, build_template
from ozg import kommunen, queries, status
from ozg.batches import BatchInfo
from ozg.domain import FIELD_LABELS, StatusUpdate

MARBURG = "06534014"


@pytest.fixture
def marburg(db):
    with db.connect() as conn:
        return kommunen.resolve(conn, "marburg")


def test_header_and_one_row_per_active_leistung(db, marburg):
    ws = build_template(db, marburg)["Status"]
    header = [c.value for c in ws[1]]
    assert header[:13] == ["OZG-ID", "Leistung", "Themenfeld", "Reifegrad", "Status", "Geplant bis", "Online seit",
                           "Ende-zu-Ende", "Bescheid digital", "Federführung", "Plattform", "Link", "Bemerkung"]
    assert header == [FIELD_LABELS[f] for f, _ in COLUMNS]
    assert ws.max_row == 1 + len(queries.leistungen(db))
    assert ws.freeze_panes == "B2"


def test_prefilled_with_current_status_as_real_excel_values(db, marburg):
    status.apply_updates(db, MARBURG, [StatusUpdate("10001", {
        "reifegrad": 3, "status": "online", "online_seit": dt.date(2024, 2, 1), "ende_zu_ende": True,
        "federfuehrung": "06531005", "bemerkung": "=nicht rechnen"})], BatchInfo("status", "t", None, None, MARBURG))
    ws = build_template(db, marburg)["Status"]
    row = next(r for r in ws.iter_rows(min_row=2) if r[0].value == "10001")
    values = {FIELD_LABELS[f]: cell for (f, _), cell in zip(COLUMNS, row)}
    assert values["Reifegrad"].value == 3
    assert values["Status"].value == "online"
    assert values["Online seit"].value == dt.date(2024, 2, 1)
    assert values["Online seit"].number_format == "DD.MM.YYYY"
    assert values["Ende-zu-Ende"].value == "ja"
    assert values["Federführung"].value == "Gießen"
    assert (values["Bemerkung"].value, values["Bemerkung"].data_type) == ("=nicht rechnen", "s")


def test_dropdowns_for_status_reifegrad_and_yes_no(db, marburg):
    ws = build_template(db, marburg)["Status"]
    rules = {str(dv.sqref).split(":")[0][0]: dv for dv in ws.data_validations.dataValidation}
    assert "nicht begonnen" in rules["E"].formula1 and "online" in rules["E"].formula1
    assert rules["D"].type == "whole"
    assert rules["H"].formula1 == '"ja,nein"'


def test_info_sheet_names_city_ags_version_and_time(db, marburg, tmp_path):
    path = tmp_path / "m.xlsx"
    build_template(db, marburg, now=dt.datetime(2026, 11, 27, 8, 0)).save(path)
    info = {row[0].value: row[1].value for row in openpyxl.load_workbook(path)["Info"].iter_rows()}
    assert info["Kommune"] == "Marburg"
    assert info["AGS"] == "06534014"
    assert info["Vorlagenversion"] == "1"
    assert info["Erstellt am"] == dt.datetime(2026, 11, 27, 8, 0)
