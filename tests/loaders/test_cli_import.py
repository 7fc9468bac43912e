"""The command line end to end on real files: template → edit → import → history → revert, and bad files that
are rejected with their exact location while the database stays exactly as it was."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

from loaders.cli import main
from ozg import pipes, queries

ROOT = Path(__file__).resolve().parents[2]

MARBURG, GIESSEN = "06534014", "06531005"
COL = {"ozg_id": 1, "reifegrad": 4, "status": 5, "geplant_bis": 6, "online_seit": 7, "ende_zu_ende": 8,
       "link": 12, "bemerkung": 13}


def fingerprint(db) -> tuple:
    """Everything an import could touch."""
    with db.connect() as conn:
        return (
            conn.one("SELECT count(*) FROM import_batch"),
            conn.one("SELECT count(*) FROM status_history"),
            conn.one("SELECT count(*) FROM status_change"),
            tuple(conn.execute("SELECT * FROM status_current ORDER BY ags, ozg_id")),
        )


def run(db, *args) -> int:
    return main(["--db", db.url, *map(str, args)])


@pytest.fixture(scope="session")
def _marburg_template_file(_sample_file, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("template") / "marburg.xlsx"
    assert main(["--db", _sample_file, "template", "--city", "Marburg", "-o", str(path)]) == 0
    return path


@pytest.fixture
def marburg_template(sample_db, _marburg_template_file, tmp_path) -> Path:
    """The Marburg template of the sample database (a private copy to edit)."""
    path = tmp_path / "marburg.xlsx"
    shutil.copy(_marburg_template_file, path)
    return path


def edit(path: Path, cells: dict[tuple[int, int], object], target: Path | None = None) -> Path:
    wb = openpyxl.load_workbook(path)
    ws = wb["Status"]
    for (row, col), value in cells.items():
        ws.cell(row=row, column=col, value=value)
    wb.save(target or path)
    return target or path


def row_of(path: Path, ozg_id: str) -> int:
    ws = openpyxl.load_workbook(path)["Status"]
    return next(r for r in range(2, ws.max_row + 1) if str(ws.cell(r, 1).value) == ozg_id)


def test_template_of_giessen_imports_with_zero_changes(sample_db, tmp_path, capsys):
    path = tmp_path / "g.xlsx"
    assert run(sample_db, "template", "--city", "Gießen", "-o", path) == 0
    before = queries.coverage(sample_db)
    assert run(sample_db, "status", path, "--city", "Gießen") == 0
    assert "0 Leistungen geändert" in capsys.readouterr().out
    assert queries.coverage(sample_db).equals(before)


def _not_online(db, ags) -> str:
    table = queries.status_table(db, ags=[ags])
    return table[(table.reifegrad < 3) & (table.status != "nicht relevant")].ozg_id.iloc[0]


def test_round_trip_edit_import_history_revert(sample_db, marburg_template, capsys):
    oid = _not_online(sample_db, MARBURG)
    r = row_of(marburg_template, oid)
    before = queries.status_table(sample_db, ags=[MARBURG]).set_index("ozg_id").loc[oid]
    edit(marburg_template, {(r, COL["reifegrad"]): 4, (r, COL["status"]): "online",
                            (r, COL["online_seit"]): dt.date(2026, 11, 2), (r, COL["ende_zu_ende"]): "ja",
                            (r, COL["bemerkung"]): "Bezahlung über ePayBL"})

    assert run(sample_db, "status", marburg_template, "--user", "k.mueller") == 0  # city from the Info sheet
    out = capsys.readouterr().out
    assert f"{oid} Reifegrad: {before.reifegrad} → 4" in out and "1 Leistung geändert" in out
    assert f"{oid} Online seit: – → 02.11.2026" in out and f"{oid} Ende-zu-Ende: – → ja" in out
    assert "online_seit" not in out and "2026-11-02" not in out  # no internal names, no ISO dates

    after = queries.status_table(sample_db, ags=[MARBURG]).set_index("ozg_id").loc[oid]
    assert (after.reifegrad, after.status, after.bemerkung, bool(after.ende_zu_ende)) == \
        (4, "online", "Bezahlung über ePayBL", True)
    batch = queries.batches(sample_db).iloc[0]
    assert (batch.kind, batch.user_name, batch.file_name, batch.rows_changed, len(batch.sha256)) == \
        ("status", "k.mueller", "marburg.xlsx", 1, 64)
    changes = queries.batch_changes(sample_db, int(batch.id)).set_index("field")
    assert changes.loc["bemerkung", "new_value"] == "Bezahlung über ePayBL"

    assert run(sample_db, "history", "--city", "Marburg", "--limit", "1") == 0
    out = capsys.readouterr().out
    assert "marburg.xlsx" in out and " | Datei-Import | " in out and " | status | " not in out

    assert run(sample_db, "status", marburg_template) == 0  # idempotent
    assert "0 Leistungen geändert" in capsys.readouterr().out

    assert run(sample_db, "revert", int(batch.id), "--user", "admin") == 0
    assert "1 Leistung wiederhergestellt" in capsys.readouterr().out
    restored = queries.status_table(sample_db, ags=[MARBURG]).set_index("ozg_id").loc[oid]
    assert (restored.reifegrad, restored.status, restored.bemerkung) == \
        (before.reifegrad, before.status, before.bemerkung)


def test_dry_run_shows_changes_and_writes_nothing(sample_db, marburg_template, capsys):
    r = row_of(marburg_template, "10002")
    edit(marburg_template, {(r, COL["bemerkung"]): "nur geprüft"})
    before = fingerprint(sample_db)
    assert run(sample_db, "status", marburg_template, "--dry-run") == 0
    assert "würde ändern" in capsys.readouterr().out
    assert fingerprint(sample_db) == before


def _bad_xlsx(template: Path, tmp: Path, cells: dict, name="bad.xlsx", ozg_row=None):
    return edit(template, cells, tmp / name)


def _merged(template, tmp):
    wb = openpyxl.load_workbook(template)
    wb["Status"].merge_cells("M5:M6")
    wb.save(tmp / "merged.xlsx")
    return tmp / "merged.xlsx"


def _renamed_png(template, tmp):
    path = tmp / "bild.xlsx"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    return path


def _truncated(template, tmp):
    path = tmp / "kaputt.xlsx"
    path.write_bytes(template.read_bytes()[:4000])
    return path


def _empty(template, tmp):
    path = tmp / "leer.xlsx"
    path.write_bytes(b"")
    return path


def _macro(template, tmp):
    path = tmp / "makro.xlsx"
    with zipfile.ZipFile(template) as src, zipfile.ZipFile(path, "w") as dst:
        for item in src.namelist():
            dst.writestr(item, src.read(item))
        dst.writestr("xl/vbaProject.bin", b"\x00" * 10)
    return path


def _giessen_as_marburg(template, tmp):
    wb = openpyxl.load_workbook(template)
    wb["Info"]["B3"] = GIESSEN
    wb.save(tmp / "giessen.xlsx")
    return tmp / "giessen.xlsx"


def _csv_cp1252_unknown(template, tmp):
    path = tmp / "status.csv"
    path.write_bytes("OZG-ID;Bemerkung\n10000;Änderung für Gießen\n99999;Straße\n".encode("cp1252"))
    return path


def _csv_control_character(template, tmp):
    path = tmp / "status.csv"
    path.write_bytes(b"OZG-ID;Bemerkung\n10000;a\x07b\n")
    return path


def _totals_line(template, tmp):
    wb = openpyxl.load_workbook(template)
    ws = wb["Status"]
    ws.cell(row=ws.max_row + 1, column=1, value="Summe")
    wb.save(tmp / "summe.xlsx")
    return tmp / "summe.xlsx"


# (id, builder or cells on row of 10000, expected exit code, phrase in the error line)
BAD = [
    ("unknown OZG-ID", {(2, 1): "99999"}, 1, "Zeile 2, Spalte „OZG-ID“"),
    ("duplicate OZG-ID", {(3, 1): "10000"}, 1, "Zeile 3, Spalte „OZG-ID“"),
    ("Reifegrad 7 in model 1.1", {(2, 4): 7}, 1, "Zeile 2, Spalte „Reifegrad“"),
    ("Reifegrad not whole", {(2, 4): 2.5}, 1, "Zeile 2, Spalte „Reifegrad“"),
    ("unknown Status", {(4, 5): "fertig"}, 1, "Zeile 4, Spalte „Status“"),
    ("impossible date", {(2, 6): "31.02.2023"}, 1, "Zeile 2, Spalte „Geplant bis“"),
    ("online seit in future", {(2, 7): dt.date(2031, 1, 1)}, 1, "Zeile 2, Spalte „Online seit“"),
    ("link not http", {(2, 12): "javascript:alert(1)"}, 1, "Zeile 2, Spalte „Link“"),
    ("excel error value", {(5, 4): "#DIV/0!"}, 1, "Zeile 5, Spalte „Reifegrad“"),
    ("formula without value", {(6, 13): "=A6&B6"}, 1, "Zeile 6, Spalte „Bemerkung“"),
    ("text too long", {(2, 13): "x" * 2001}, 1, "Zeile 2, Spalte „Bemerkung“"),
    ("bad boolean", {(2, 8): "vielleicht"}, 1, "Zeile 2, Spalte „Ende-zu-Ende“"),
    ("unknown Federführung", {(2, 10): "Kassel"}, 1, "Zeile 2, Spalte „Federführung“"),
    ("header twice", {(1, 14): "Status"}, 1, "„Status“"),
    ("merged cells", _merged, 1, "Blatt „Status“"),
    ("totals line", _totals_line, 1, "Spalte „OZG-ID“"),
    ("Gießen file as Marburg", _giessen_as_marburg, 1, "Vorlage für AGS 06531005"),
    ("cp1252 csv unknown id", _csv_cp1252_unknown, 1, "status.csv, Zeile 3, Spalte „OZG-ID“"),
    ("png renamed xlsx", _renamed_png, 2, "bild.xlsx"),
    ("truncated xlsx", _truncated, 2, "kaputt.xlsx"),
    ("empty file", _empty, 1, "leer.xlsx: Die Datei ist leer"),
    ("macro-enabled", _macro, 1, "makro.xlsx: Die Arbeitsmappe enthält Makros"),
    ("csv control character", _csv_control_character, 1, "status.csv, Zeile 2, Spalte „Bemerkung“"),
]


@pytest.mark.parametrize("case, change, code, phrase", BAD, ids=[b[0] for b in BAD])
def test_bad_file_is_rejected_with_location_and_nothing_changes(sample_db, marburg_template, tmp_path, capsys,
                                                                  case, change, code, phrase):
    path = change(marburg_template, tmp_path) if callable(change) else \
        _bad_xlsx(marburg_template, tmp_path, change)
    before = fingerprint(sample_db)

    assert run(sample_db, "status", path, "--city", "Marburg") == code

    err = capsys.readouterr().err
    assert phrase in err, err
    assert "Traceback" not in err
    assert fingerprint(sample_db) == before


def test_unknown_city_is_a_usage_error(sample_db, marburg_template, capsys):
    assert run(sample_db, "status", marburg_template, "--city", "Kassel") == 2
    assert "Kommune „Kassel“ ist nicht bekannt" in capsys.readouterr().err


def test_missing_file_is_a_usage_error(sample_db, tmp_path, capsys):
    assert run(sample_db, "status", tmp_path / "gibtsnicht.xlsx", "--city", "Marburg") == 2
    assert "nicht gefunden" in capsys.readouterr().err


def test_good_csv_with_cp1252_umlauts_and_numbers_as_ids(sample_db, tmp_path):
    path = tmp_path / "fulda.csv"
    path.write_bytes("OZG-ID;Bemerkung;Geplant bis\n10000.0;Prüfung läuft;31.12.2027\n10001;;2027-06-30\n"
                     .encode("cp1252"))
    assert run(sample_db, "status", path, "--city", "fulda") == 0
    state = queries.status_table(sample_db, ags=["06631009"]).set_index("ozg_id")
    assert state.loc["10000", "bemerkung"] == "Prüfung läuft"
    assert str(state.loc["10001", "geplant_bis"])[:10] == "2027-06-30"


def test_csv_without_city_and_without_city_option_is_a_usage_error(sample_db, tmp_path, capsys):
    path = tmp_path / "ohne-kommune.csv"
    path.write_text("OZG-ID;Status\r\n10000;Pilot\r\n", encoding="utf-8")
    assert run(sample_db, "status", path) == 2
    assert "nennt keine Kommune" in capsys.readouterr().err
    assert run(sample_db, "status", path, "--city", "Marburg") == 0


def test_revert_of_a_sample_load_is_refused_with_the_rule(sample_db, capsys):
    sample_batch = int(queries.batches(sample_db, ags=MARBURG).query("kind == 'sample'").iloc[0].id)
    assert run(sample_db, "revert", sample_batch) == 2
    err = capsys.readouterr().err
    assert "vom Typ „Beispieldaten“" in err and "Datei-Importe und Schnellerfassungen" in err


@pytest.mark.parametrize("argv", [["history"], ["history", "--limit", "5000"]])  # buffered / written while running
def test_output_cut_short_by_the_reader_is_quiet(sample_db, argv):
    """`python -m loaders history | head`: the reader leaves early; no „Fehler: : Broken pipe“, no traceback."""
    proc = subprocess.Popen([sys.executable, "-m", "loaders", "--db", sample_db.url, *argv], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.close()  # before the interpreter has even started: its first write meets a closed pipe
    err = proc.stderr.read().decode()
    code = proc.wait(timeout=120)
    assert err == "" and code in (0, pipes.EXIT_BROKEN_PIPE)
