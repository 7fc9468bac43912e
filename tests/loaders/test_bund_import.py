"""python -m loaders bund: the three fixture formats, malformed records, snapshots, exit codes (both backends)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from loaders import cli
from loaders.bund_import import import_bund_file

FIXTURES = Path(__file__).parent.parent / "fixtures" / "bund"
GOOD = ["bund_page.json", "bund.csv", "bund.xlsx"]
STAND = dt.date(2026, 11, 1)
# The area each fixture record applies to, worked out by hand from ARS and art_flaechendeckung (make_fixtures.py):
# Gemeinde-ARS -> its AGS; Hessen landesweit -> '06'; bundesweit -> ''; Kreis kreisweit -> '06534';
# Bayern landesweit -> '09'; a Land-ARS that is only "in mind. einer Kommune" -> the AGS 06000000 (nobody).
AREAS = ["06534014", "06", "", "06531005", "06532023", "06631009", "06534", "09", "06533009", "06000000"]


def _records(db) -> list[tuple]:
    with db.connect() as conn:
        return conn.execute("SELECT record_no, area, ozg_id, status_ok, aktiv FROM bund_record ORDER BY record_no")


@pytest.mark.parametrize("name", GOOD)
def test_each_format_imports_the_same_snapshot(any_db, name):
    outcome = import_bund_file(any_db, FIXTURES / name, STAND, "koordination")

    assert outcome.errors == []
    assert [p.value for p in outcome.warnings] == ["99999"]  # the unknown OZG-ID is a warning, not an error
    assert outcome.records == 10 and outcome.unknown_ozg_ids == 1
    rows = _records(any_db)
    positions = list(range(1, 11)) if name.endswith(".json") else list(range(2, 12))  # CSV/XLSX: header = row 1
    assert [r[0] for r in rows] == positions
    assert [r[1] for r in rows] == AREAS
    assert [r[2] for r in rows] == ["10000", "10001", "10002", "10003", "10004", "99999", "10005", "10006",
                                    "10007", "10008"]
    assert [(r[3], r[4]) for r in rows][3:5] == [(False, True), (True, False)]  # 'nicht ok' · aktiv 'nein'
    with any_db.connect() as conn:
        snap = conn.execute("SELECT stand, file_name, sha256, user_name, records, unknown_ozg_ids FROM bund_snapshot")
    assert len(snap) == 1
    stand, file_name, sha, user, records, unknown = snap[0]
    assert (file_name, user, records, unknown) == (name, "koordination", 10, 1)
    assert str(stand)[:10] == "2026-11-01" and len(sha) == 64


MALFORMED = {
    "bund_malformed.json": [
        "bund_malformed.json: Datensatz 4, Feld „ars“: „0653100050“ ist kein ARS – erwartet ARS (12 Ziffern).",
        "bund_malformed.json: Datensatz 7, Feld „ozgid“: „10005a“ ist keine OZG-ID – erwartet OZG-ID (eine ganze "
        "Zahl, z. B. 10000).",
        "bund_malformed.json: Datensatz 9, Feld „online_status“: „teilweise“ ist unbekannt – erwartet „ok“ oder "
        "„nicht ok“.",
    ],
    "bund_malformed.csv": [
        "bund_malformed.csv, Zeile 5, Spalte „ars“: „0653100050“ ist kein ARS – erwartet ARS (12 Ziffern).",
        "bund_malformed.csv, Zeile 8, Spalte „ozgid“: „10005a“ ist keine OZG-ID – erwartet OZG-ID (eine ganze "
        "Zahl, z. B. 10000).",
        "bund_malformed.csv, Zeile 10, Spalte „online_status“: „teilweise“ ist unbekannt – erwartet „ok“ oder "
        "„nicht ok“.",
    ],
    "bund_malformed.xlsx": [
        "bund_malformed.xlsx, Blatt „Sheet“, Zeile 5, Spalte „ars“: „0653100050“ ist kein ARS – erwartet ARS "
        "(12 Ziffern).",
        "bund_malformed.xlsx, Blatt „Sheet“, Zeile 8, Spalte „ozgid“: „10005a“ ist keine OZG-ID – erwartet OZG-ID "
        "(eine ganze Zahl, z. B. 10000).",
        "bund_malformed.xlsx, Blatt „Sheet“, Zeile 10, Spalte „online_status“: „teilweise“ ist unbekannt – "
        "erwartet „ok“ oder „nicht ok“.",
    ],
}


@pytest.mark.parametrize("name", sorted(MALFORMED))
def test_a_malformed_record_rejects_the_whole_file_naming_record_and_field(any_db, name):
    outcome = import_bund_file(any_db, FIXTURES / name, STAND, "koordination")

    assert [str(p) for p in outcome.errors] == MALFORMED[name]
    assert outcome.snapshot_id is None
    with any_db.connect() as conn:
        assert conn.one("SELECT count(*) FROM bund_snapshot") == 0
        assert conn.one("SELECT count(*) FROM bund_record") == 0


def test_cli_exit_codes_and_a_second_import_of_the_same_file_changes_nothing(db, capsys):
    base = ["--db", db.url, "bund"]
    assert cli.main([*base, str(FIXTURES / "bund.csv"), "--stand", "01.11.2026", "--user", "k"]) == 0
    assert "10 Datensätze mit Stand 01.11.2026 importiert" in capsys.readouterr().out
    assert cli.main([*base, str(FIXTURES / "bund.csv"), "--stand", "2026-11-01"]) == 0
    assert "bereits importiert" in capsys.readouterr().out
    assert cli.main([*base, str(FIXTURES / "bund.csv"), "--stand", "15.11.2026"]) == 0  # a new Stand: new snapshot
    assert cli.main([*base, str(FIXTURES / "bund_malformed.csv")]) == 1
    assert "Abgelehnt: 3 Fehler" in capsys.readouterr().err
    assert cli.main([*base, str(FIXTURES / "fehlt.json")]) == 2
    with pytest.raises(SystemExit) as exit_info:
        cli.main([*base, str(FIXTURES / "bund.csv"), "--stand", "31.13.2026"])
    assert exit_info.value.code == 2
    assert cli.main([*base, str(FIXTURES / "bund.csv"), "--stand", "01.12.2026"]) == 2  # the future
    assert "liegt in der Zukunft" in capsys.readouterr().err
    with db.connect() as conn:
        assert conn.execute("SELECT CAST(stand AS TEXT) FROM bund_snapshot ORDER BY id") == [("2026-11-01",),
                                                                                              ("2026-11-15",)]


def _write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


RECORD = {"ars": "065340014014", "ozgid": 10000, "online_status": "ok", "aktiv": "ja",
          "art_flaechendeckung": "in mind. einer Kommune verfügbar", "url": "https://bund.example/x"}


def test_a_plain_json_list_with_bom_and_numbers_a_spreadsheet_made_is_read(db, tmp_path):
    record = RECORD | {"ars": 65340014014, "ozgid": 10000.0, "online_status": " OK ", "aktiv": "Ja"}
    path = _write(tmp_path, "liste.json", b"\xef\xbb\xbf" + json.dumps([record]).encode())
    outcome = import_bund_file(db, path, None, "k")
    assert outcome.errors == [] and outcome.records == 1 and outcome.stand == dt.date(2026, 11, 27)
    assert _records(db) == [(1, "06534014", "10000", True, True)]


@pytest.mark.parametrize(("content", "message"), [
    ("", "Die Datei ist leer."),
    ('{"content": [], "totalPages": 0}', "Das Feld „content“ enthält keine Datensätze."),
    ('[{"ars": "065340014014", "ozgid": 1', "Die JSON-Datei ist nach Datensatz 0 beschädigt"),
    ("ars;ozgid;aktiv\n065340014014;10000;ja\n", "Es fehlt die Spalte „online_status“."),
    ("ars;ozgid;online_status;aktiv\n", "Die Datei enthält nur die Kopfzeile, keine Datensätze."),
    ("ars;ozgid;online_status;ars;aktiv\n1;2;3;4;5\n", "Die Spalte „ars“ steht zweimal in der Kopfzeile"),
])
def test_whole_file_problems_are_named(db, tmp_path, content, message):
    outcome = import_bund_file(db, _write(tmp_path, "bund.txt", content), STAND, "k")
    assert len(outcome.errors) == 1 and message in str(outcome.errors[0])
    assert outcome.errors[0].code == "unreadable"


def test_a_page_of_a_paged_answer_is_imported_with_a_warning(db, tmp_path):
    path = _write(tmp_path, "seite.json", json.dumps({"totalPages": 3, "number": 0, "content": [RECORD]}))
    outcome = import_bund_file(db, path, STAND, "k")
    assert outcome.errors == []
    assert ["Seite 1 von 3" in str(p) for p in outcome.warnings] == [True]


def test_a_record_that_is_not_an_object_and_missing_fields_are_errors(db, tmp_path):
    path = _write(tmp_path, "b.json", json.dumps([RECORD, 17, {"ars": "065340014014", "ozgid": 1, "aktiv": "ja"}]))
    outcome = import_bund_file(db, path, STAND, "k")
    assert [str(p) for p in outcome.errors] == [
        "b.json: Datensatz 2: ist kein Objekt – erwartet {\"ars\": …, \"ozgid\": …, …}.",
        "b.json: Datensatz 3, Feld „online_status“: fehlt – erwartet „ok“ oder „nicht ok“.",
    ]


def test_many_malformed_records_are_listed_up_to_a_limit(db, tmp_path):
    bad = [RECORD | {"ars": "123"} for _ in range(60)]
    outcome = import_bund_file(db, _write(tmp_path, "b.json", json.dumps(bad)), STAND, "k")
    assert len(outcome.errors) == 51
    assert str(outcome.errors[-1]) == "b.json: … und 10 weitere fehlerhafte Datensätze."
