"""python -m reports ministry: files for cron, exit codes 0/2, one German line per error, never a traceback."""

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest

from ozg import pipes
from reports.cli import build_parser, main
from tests.reports.conftest import csv_rows

ROOT = Path(__file__).resolve().parents[2]
MAGIC = {"xlsx": b"PK\x03\x04", "csv": b"\xef\xbb\xbfAGS;", "pdf": b"%PDF"}


@pytest.mark.parametrize("fmt", ["xlsx", "csv", "pdf"])
def test_writes_each_format(db, tmp_path, fmt, capsys):
    target = tmp_path / f"bericht.{fmt}"
    assert main(["--db", db.url, "ministry", "--format", fmt, "-o", str(target)]) == 0
    assert target.read_bytes().startswith(MAGIC[fmt])
    assert "geschrieben" in capsys.readouterr().out
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")] == []


def test_cities_and_as_of(db, tmp_path):
    target = tmp_path / "zwei.csv"
    argv = ["ministry", "--db", db.url, "--format", "csv", "-o", str(target), "--as-of", "2025-01-31",
            "--cities", "giessen", "06534014"]
    assert main(argv) == 0
    rows = csv_rows(target.read_bytes())[1:]
    assert {r[1] for r in rows} == {"Gießen", "Marburg"} and len(rows) == 2 * 557


def _fails(argv, capsys) -> str:
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2
    return capsys.readouterr().err


def _error(code: int, capsys) -> str:
    assert code == 2
    err = capsys.readouterr().err
    assert err.startswith("Fehler: ") and err.count("\n") == 1 and "Traceback" not in err
    return err


def test_bad_format_is_a_usage_error(db, tmp_path, capsys):
    err = _fails(["--db", db.url, "ministry", "--format", "docx", "-o", str(tmp_path / "x.docx")], capsys)
    assert "Fehler:" in err and "Traceback" not in err


def test_bad_date_is_a_usage_error(db, tmp_path, capsys):
    err = _fails(["--db", db.url, "ministry", "--format", "csv", "-o", str(tmp_path / "x.csv"), "--as-of",
                  "31.13.2025"], capsys)
    assert "„31.13.2025“ ist kein Datum – erwartet TT.MM.JJJJ oder JJJJ-MM-TT" in err


@pytest.mark.parametrize("typed", ["31.12.2025", "2025-12-31"])
def test_german_and_iso_dates_are_both_accepted(db, tmp_path, typed):
    target = tmp_path / "x.csv"
    assert main(["--db", db.url, "ministry", "--format", "csv", "-o", str(target), "--as-of", typed]) == 0
    assert target.stat().st_size > 0


def test_future_date_is_a_usage_error(db, tmp_path, capsys):
    err = _fails(["--db", db.url, "ministry", "--format", "csv", "-o", str(tmp_path / "x.csv"), "--as-of",
                  "2999-01-01"], capsys)
    assert "Zukunft" in err


def test_missing_directory(db, tmp_path, capsys):
    err = _error(main(["--db", db.url, "ministry", "--format", "csv", "-o", str(tmp_path / "fehlt" / "x.csv")]),
                 capsys)
    assert "gibt es nicht" in err


def test_unwritable_target(db, tmp_path, capsys):
    target = tmp_path / "ein-ordner"
    target.mkdir()  # a directory cannot be replaced by a file (root ignores permission bits, this still fails)
    err = _error(main(["--db", db.url, "ministry", "--format", "pdf", "-o", str(target)]), capsys)
    assert "kann nicht geschrieben werden" in err
    assert [p.name for p in tmp_path.iterdir()] == ["ozg.duckdb", "ein-ordner"] or ".part" not in err


def test_unknown_city(db, tmp_path, capsys):
    err = _error(main(["--db", db.url, "ministry", "--format", "csv", "-o", str(tmp_path / "x.csv"),
                       "--cities", "Kassel"]), capsys)
    assert "Kassel" in err


def test_missing_database_is_not_created(tmp_path, capsys):
    missing = tmp_path / "keine.duckdb"
    err = _error(main(["--db", str(missing), "ministry", "--format", "csv", "-o", str(tmp_path / "x.csv")]), capsys)
    assert "nicht gefunden" in err and not missing.exists()


def test_as_of_accepts_german_and_iso_dates():
    for text in ("31.12.2022", "2022-12-31"):
        args = build_parser().parse_args(["ministry", "--format", "csv", "-o", "x.csv", "--as-of", text])
        assert args.as_of == dt.date(2022, 12, 31)


def test_output_cut_short_by_the_reader_is_quiet(db, tmp_path):
    """`python -m reports ministry … | head`: no „Fehler: … Broken pipe“ when the reader has gone."""
    proc = subprocess.Popen([sys.executable, "-m", "reports", "ministry", "--db", db.url, "--format",
                             "csv", "-o", str(tmp_path / "r.csv")], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    proc.stdout.close()
    err = proc.stderr.read().decode()
    code = proc.wait(timeout=300)
    assert err == "" and code in (0, pipes.EXIT_BROKEN_PIPE) and (tmp_path / "r.csv").is_file()
