"""Database.snapshot(): every read of a report from one moment and one connection, on both backends."""

from __future__ import annotations

import threading

import pytest

import reports
from ozg import queries, status
from ozg.batches import BatchInfo
from ozg.domain import StatusUpdate
from reports.data import build_report

MARBURG = "06534014"


def _go_online(db, ozg_id: str) -> None:
    status.apply_updates(db, MARBURG, [StatusUpdate(ozg_id, {"reifegrad": 3, "status": "online"})],
                         BatchInfo("status", "koordination", "marburg.xlsx", "cd" * 32, MARBURG))


def _marburg_online(db) -> int:
    frame = queries.coverage(db)
    return int(frame.loc[frame["ags"] == MARBURG, "online"].iloc[0])


def test_reads_inside_a_snapshot_share_one_connection(any_db):
    with any_db.connect() as a, any_db.connect() as b:
        assert a is not b  # outside: a connection per read
    with any_db.snapshot() as shared:
        with any_db.connect() as a, any_db.connect() as b:
            assert a is shared and b is shared
        with any_db.snapshot() as nested:  # nested: the outer one stands
            assert nested is shared
    with any_db.connect() as after:
        assert after is not shared
        assert after.one("SELECT count(*) FROM leistung") == 557  # the snapshot's close left the database usable


def test_a_snapshot_does_not_see_a_write_committed_meanwhile(any_db):
    before = _marburg_online(any_db)
    with any_db.snapshot():
        assert _marburg_online(any_db) == before
        _go_online(any_db, "10000")  # another connection commits while the snapshot is open
        assert _marburg_online(any_db) == before  # still the moment the snapshot began
    assert _marburg_online(any_db) == before + 1


def test_another_thread_reads_outside_the_snapshot(any_db):
    seen = {}

    def other_thread():
        with any_db.connect() as conn:
            seen["conn"] = conn

    with any_db.snapshot() as shared:
        worker = threading.Thread(target=other_thread)
        worker.start()
        worker.join()
    assert seen["conn"] is not shared


def test_the_report_reads_one_snapshot(any_db, monkeypatch):
    """An import committing between two of the report's queries does not make its tables disagree."""
    real_status_table = queries.status_table

    def status_table_then_import(db, **kwargs):
        frame = real_status_table(db, **kwargs)
        _go_online(db, "10001")  # a cron import commits in the middle of assembling the report
        return frame

    monkeypatch.setattr(queries, "status_table", status_table_then_import)
    before = _marburg_online(any_db)
    with any_db.snapshot():
        report = build_report(any_db)
    assert _marburg_online(any_db) == before + 1  # the import did commit
    summary = report.summary.frame.set_index("Kommune")
    progress = report.progress.frame
    last_point = progress[progress["Kommune"] == "Marburg"].iloc[-1]
    assert summary.loc["Marburg", "online"] == before
    assert last_point["online"] == before  # the series' last point: the same moment as the summary


@pytest.mark.parametrize("fmt", ["csv", "pdf"])
def test_export_opens_the_database_once(any_db, fmt, monkeypatch):
    opened = []
    real_open = type(any_db)._open

    def counting_open(self):
        opened.append(1)
        return real_open(self)

    monkeypatch.setattr(type(any_db), "_open", counting_open)
    reports.export(any_db, fmt)
    assert len(opened) == 1
