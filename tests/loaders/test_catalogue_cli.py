"""`python -m loaders catalogue FILE`: a newer edition updates the catalogue; a bad one changes nothing."""

import csv

from loaders.cli import main
from ozg import queries
from ozg.catalogue import CATALOGUE_COLUMNS


def _write(path, rows, delimiter=","):
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(CATALOGUE_COLUMNS), delimiter=delimiter)
        writer.writeheader()
        writer.writerows(rows)
    return path


def _current(db):
    frame = queries.leistungen(db)[list(CATALOGUE_COLUMNS)].astype(object)
    return [{k: ("" if v is None or v != v else v) for k, v in r.items()} for r in frame.to_dict("records")]


def test_newer_edition_via_cli(db, tmp_path, capsys):
    rows = [r for r in _current(db) if r["ozg_id"] != "10003"]
    rows[0]["name"] = "Elterngeld (Edition 2024)"
    rows.append({**rows[1], "ozg_id": "10650", "name": "Neue Leistung 2024"})
    path = _write(tmp_path / "katalog.csv", rows, delimiter=";")
    assert main(["--db", db.url, "catalogue", str(path), "--user", "admin"]) == 0
    assert "1 neu, 1 geändert, 1 entfallen" in capsys.readouterr().out
    names = queries.leistungen(db).set_index("ozg_id")["name"]
    assert names["10000"] == "Elterngeld (Edition 2024)" and "10003" not in names.index


def test_duplicate_and_malformed_ids_reject_the_whole_file(db, tmp_path, capsys):
    rows = _current(db)
    rows.append(dict(rows[0]))
    rows.append({**rows[1], "ozg_id": "1x"})
    path = _write(tmp_path / "kaputt.csv", rows)
    before = queries.leistungen(db)
    assert main(["--db", db.url, "catalogue", str(path)]) == 1
    err = capsys.readouterr().err
    assert "kaputt.csv, Zeile 559, Spalte „ozg_id“: OZG-ID 10000 steht doppelt im Katalog (Zeilen 2 und 559)" in err
    assert "kaputt.csv, Zeile 560, Spalte „ozg_id“: „1x“ ist keine OZG-ID" in err
    assert queries.leistungen(db).equals(before)
