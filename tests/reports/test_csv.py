import datetime as dt

from ozg import queries
from ozg.db import Database
from reports.data import DESIGN_CSV_HEADER
from tests.reports.conftest import csv_rows

DESIGN_HEADER = ["AGS", "Kommune", "OZG-ID", "Leistung", "Themenfeld", "Reifegrad", "Reifegradmodell", "Status",
                 "Geplant bis", "Online seit", "Ende-zu-Ende", "Bescheid digital", "Federführung"]


def test_header_is_the_design_contract(sample_files):
    header = csv_rows(sample_files["csv"])[0]
    assert header[:13] == DESIGN_HEADER == list(DESIGN_CSV_HEADER)


def test_bom_delimiter_and_line_endings(sample_files):
    content = sample_files["csv"]
    assert content.startswith(b"\xef\xbb\xbfAGS;Kommune;OZG-ID;")
    assert b"\r\n" in content


def test_one_row_per_city_and_active_leistung(sample_files, _sample_file):
    db = Database(_sample_file)
    rows = csv_rows(sample_files["csv"])[1:]
    active = len(queries.leistungen(db))
    assert len(rows) == 5 * active == 5 * 557
    assert {r[1] for r in rows} == {"Fulda", "Gießen", "Limburg an der Lahn", "Marburg", "Wetzlar"}


def test_values_are_german_formatted(sample_files, _sample_file):
    rows = csv_rows(sample_files["csv"])[1:]
    header = csv_rows(sample_files["csv"])[0]
    col = {name: i for i, name in enumerate(header)}
    for row in rows:
        assert row[col["Ende-zu-Ende"]] in ("ja", "nein", "")
        for name in ("Geplant bis", "Online seit"):
            if row[col[name]]:
                dt.datetime.strptime(row[col[name]], "%d.%m.%Y")
        assert len(row[col["AGS"]]) == 8 and row[col["AGS"]].startswith("06")


def test_a_known_row_equals_the_query(sample_files, _sample_file):
    db = Database(_sample_file)
    status = queries.status_table(db)
    online = status[(status["kommune"] == "Gießen") & status["online_seit"].notna()].iloc[0]
    rows = csv_rows(sample_files["csv"])
    row = next(r for r in rows if r[1] == "Gießen" and r[2] == online["ozg_id"])
    assert row[5] == str(int(online["reifegrad"]))
    assert row[9] == online["online_seit"].strftime("%d.%m.%Y")
    assert row[3] == online["leistung"]
