"""--as-of reproduces the state of that day from the history, in every format."""

import datetime as dt
import io

from openpyxl import load_workbook

import reports
from ozg.batches import BatchInfo
from ozg.domain import StatusUpdate
from ozg.status import apply_updates
from tests.reports.conftest import csv_rows, pdf_text

GIESSEN = "06531005"
EARLIER = dt.datetime(2025, 3, 1, 10, 0)


def _history(db) -> None:
    """Gießen: Leistung 10000 in Konzeption on 01.03.2025, online (Reifegrad 3) today."""
    first = apply_updates(db, GIESSEN, [StatusUpdate("10000", {"reifegrad": 1, "status": "Konzeption",
                                                               "bemerkung": "alt"})],
                          BatchInfo("status", "test", "alt.xlsx", ags=GIESSEN))
    with db.transaction() as conn:  # backdate the first import: history rows and import record
        conn.execute("UPDATE status_history SET valid_from = ? WHERE batch_id = ?", [EARLIER, first.batch_id])
        conn.execute("UPDATE status_current SET changed_at = ? WHERE batch_id = ?", [EARLIER, first.batch_id])
        conn.execute("UPDATE import_batch SET created_at = ? WHERE id = ?", [EARLIER, first.batch_id])
    apply_updates(db, GIESSEN, [StatusUpdate("10000", {"reifegrad": 3, "status": "online", "bemerkung": "neu",
                                                       "online_seit": dt.date(2026, 1, 15)})],
                  BatchInfo("status", "test", "neu.xlsx", ags=GIESSEN))


def _row(files: dict, ozg_id: str) -> dict:
    rows = csv_rows(files["csv"])
    return dict(zip(rows[0], next(r for r in rows if r[0] == GIESSEN and r[2] == ozg_id), strict=True))


def _summary(files: dict) -> dict:
    ws = load_workbook(io.BytesIO(files["xlsx"]))["Zusammenfassung"]
    rows = list(ws.iter_rows(values_only=True))
    top = next(i for i, r in enumerate(rows) if r[0] == "Kommune")
    return dict(zip(rows[top], next(r for r in rows if r[0] == "Gießen"), strict=True))


def test_earlier_day_shows_the_old_value(db):
    _history(db)
    old = reports.export_all(db, as_of=dt.date(2025, 6, 30))
    row = _row(old, "10000")
    assert (row["Reifegrad"], row["Status"], row["Bemerkung"], row["Online seit"]) == ("1", "Konzeption", "alt", "")
    summary = _summary(old)
    assert summary["online"] == 0
    assert summary["Letzte Meldung"] == EARLIER
    assert "Stand: 30.06.2025" in pdf_text(old["pdf"])


def test_current_report_shows_the_new_value(db):
    _history(db)
    now = reports.export_all(db)
    row = _row(now, "10000")
    assert (row["Reifegrad"], row["Status"], row["Bemerkung"], row["Online seit"]) == ("3", "online", "neu",
                                                                                      "15.01.2026")
    assert _summary(now)["online"] == 1


def test_day_before_any_history_is_empty(db):
    _history(db)
    files = reports.export_all(db, as_of=dt.date(2024, 12, 31))
    assert _row(files, "10000")["Reifegrad"] == ""
    assert _summary(files)["Letzte Meldung"] is None
