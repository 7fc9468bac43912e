"""Two coordinator files for one Gemeinde (the real template with 20 Bemerkungen changed, A and B), so every
timed import really changes and commits rows."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from loaders.template import write_template
from ozg.db import Database

CHANGED_ROWS = 20


def city_files(db: Database, folder: Path) -> tuple[str, list[Path]]:
    """(AGS, [file A, file B]) for the first Hessian Gemeinde outside the cooperation."""
    with db.connect() as conn:
        ags = conn.one("SELECT min(ags) FROM kommune WHERE ags LIKE '06%' "
                       "AND ags NOT IN (SELECT ags FROM kommune_group)") or conn.one("SELECT min(ags) FROM kommune")
    base = folder / "template.xlsx"
    write_template(db, ags, base)
    files = []
    for variant in ("A", "B"):
        wb = openpyxl.load_workbook(base)
        ws = wb["Status"]
        header = [c.value for c in ws[1]]
        col = header.index("Bemerkung")
        for row in ws.iter_rows(min_row=2, max_row=1 + CHANGED_ROWS):
            row[col].value = f"Benchmark {variant}"
        path = folder / f"{ags}_{variant}.xlsx"
        wb.save(path)
        files.append(path)
    return ags, files
