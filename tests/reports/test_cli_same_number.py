"""The scenario of issue 17, through the command lines only: in the sample data Marburg marks two of its online
Leistungen „nicht relevant“ and a newer catalogue edition retires a third. The ministry XLSX must then say the same
number in „Zusammenfassung“ and in the last „Verlauf“ row (on main it said 125 and 128), three fewer than before."""

from __future__ import annotations

import csv

import openpyxl

from loaders.cli import main as loaders_main
from ozg.catalogue import CATALOGUE_COLUMNS
from reports.cli import main as reports_main
from tests.conftest import SAMPLE_DAY

STATUS_COLUMN, REIFEGRAD_COLUMN, ID_COLUMN = 5, 4, 1


def _xlsx(db, path) -> tuple[int, int]:
    """(online in Zusammenfassung, online in the last Verlauf row) for Marburg, read from the CLI's file."""
    assert reports_main(["--db", db.url, "ministry", "--format", "xlsx", "-o", str(path)]) == 0
    wb = openpyxl.load_workbook(path)
    ws = wb["Zusammenfassung"]
    header_row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "Kommune")
    header = [c.value for c in ws[header_row]]
    summary = next(dict(zip(header, (c.value for c in row))) for row in ws.iter_rows(min_row=header_row + 1)
                   if row[0].value == "Marburg")
    verlauf = wb["Verlauf"]
    vheader = [c.value for c in verlauf[1]]
    rows = [dict(zip(vheader, (c.value for c in row))) for row in verlauf.iter_rows(min_row=2)]
    last = [r for r in rows if r["Kommune"] == "Marburg"][-1]
    assert last["Stichtag"].date() == SAMPLE_DAY
    return summary["online"], last["online"]


def test_nicht_relevant_and_retired_change_both_sheets_alike(sample_db, tmp_path, capsys):
    online_before, verlauf_before = _xlsx(sample_db, tmp_path / "vorher.xlsx")
    assert online_before == verlauf_before

    template = tmp_path / "marburg.xlsx"
    assert loaders_main(["--db", sample_db.url, "template", "--city", "Marburg", "-o", str(template)]) == 0
    wb = openpyxl.load_workbook(template)
    ws = wb["Status"]
    online_rows = [r for r in range(2, ws.max_row + 1)
                   if (ws.cell(r, REIFEGRAD_COLUMN).value or 0) >= 3 and ws.cell(r, STATUS_COLUMN).value == "online"]
    assert len(online_rows) >= 3
    for r in online_rows[:2]:  # Reifegrad stays 3 or 4: only the Status says „nicht relevant“
        ws.cell(r, STATUS_COLUMN, value="nicht relevant")
    retired = str(ws.cell(online_rows[2], ID_COLUMN).value)
    wb.save(template)
    assert loaders_main(["--db", sample_db.url, "status", str(template), "--user", "koordination"]) == 0
    assert "2 Leistungen geändert" in capsys.readouterr().out

    with sample_db.connect() as conn:
        names = ", ".join(CATALOGUE_COLUMNS)
        rows = conn.execute(f"SELECT {names} FROM leistung WHERE NOT retired AND ozg_id <> ? ORDER BY ozg_id",
                            [retired])
    edition = tmp_path / "katalog-neu.csv"
    with edition.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(CATALOGUE_COLUMNS)
        for row in rows:
            writer.writerow(["" if v is None else ("ja" if v is True else "nein" if v is False else v) for v in row])
    assert loaders_main(["--db", sample_db.url, "catalogue", str(edition), "--user", "admin"]) == 0
    assert "1 entfallen" in capsys.readouterr().out

    online_after, verlauf_after = _xlsx(sample_db, tmp_path / "nachher.xlsx")
    assert online_after == verlauf_after == online_before - 3
