"""Land → Kreis → Gemeinde coverage and the summary tables behind it, on both backends: the summary path always
equals the exact scan of the state (forced via as_of = today), after imports, reverts and catalogue changes."""

from __future__ import annotations

import datetime as dt

import pytest

from ozg import clock, migrations, queries, status, summary
from ozg.batches import BatchInfo
from ozg.domain import StatusUpdate
from ozg.kommunen import cooperation_name

MARBURG = "06534014"
COLUMNS = ["region", "kommunen", "catalogue", "relevant", "online", "ende_zu_ende", "bescheid_digital", "overdue",
           "federfuehrung"]


def _exact(db, level, prefix="", group=None, threshold=3):
    """The same numbers from the full state (as_of = today reads the history, never the summary)."""
    return queries.coverage_by_region(db, level, prefix, as_of=clock.today(), group=group, threshold=threshold)


def _same(db, level, prefix="", group=None, threshold=3):
    fast = queries.coverage_by_region(db, level, prefix, group=group, threshold=threshold)
    exact = _exact(db, level, prefix, group, threshold)
    assert fast[COLUMNS].values.tolist() == exact[COLUMNS].values.tolist()
    return fast


@pytest.mark.parametrize("level", ["bund", "land", "kreis", "gemeinde"])
def test_region_levels_match_coverage(any_sample_db, level):
    frame = _same(any_sample_db, level)
    total = queries.coverage_total(queries.coverage(any_sample_db))
    assert int(frame["online"].sum()) == total["online"]
    assert int(frame["relevant"].sum()) == total["relevant"]
    assert int(frame["overdue"].sum()) == total["overdue"]
    assert int(frame["kommunen"].sum()) == 5
    assert list(frame["region"].str.len().unique()) == [queries.REGION_LEVELS[level]]


def test_drill_down_names_and_prefixes(any_sample_db):
    land = _same(any_sample_db, "land")
    assert land[["region", "name"]].values.tolist() == [["06", "Hessen"]]
    kreise = _same(any_sample_db, "kreis", "06")
    assert "06534" in set(kreise["region"]) and queries.region_children("land") == "kreis"
    marburg_kreis = _same(any_sample_db, "gemeinde", "06534")
    assert marburg_kreis[["region", "name"]].values.tolist() == [[MARBURG, "Marburg"]]
    coverage = queries.coverage(any_sample_db).set_index("ags").loc[MARBURG]
    row = marburg_kreis.iloc[0]
    assert (row.online, row.relevant, row.overdue) == (coverage.online, coverage.relevant, coverage.overdue)
    assert row.share == pytest.approx(coverage.share)
    kpis = queries.overview_kpis(any_sample_db)
    assert len(kpis) == 1 and int(kpis.iloc[0]["kommunen"]) == 5


@pytest.mark.parametrize("threshold", [1, 2, 4])
def test_other_thresholds_and_groups(any_sample_db, threshold):
    _same(any_sample_db, "kreis", threshold=threshold)
    _same(any_sample_db, "gemeinde", group=cooperation_name(), threshold=threshold)


def test_summary_follows_imports_and_reverts(any_sample_db):
    info = BatchInfo("status", "koordination", "m.xlsx", None, MARBURG)
    before = _same(any_sample_db, "bund")
    result = status.apply_updates(any_sample_db, MARBURG, [
        StatusUpdate("10001", {"reifegrad": 4, "status": "online", "ende_zu_ende": True}),
        StatusUpdate("10002", {"reifegrad": 0, "geplant_bis": dt.date(2020, 1, 31)}),
    ], info)
    after = _same(any_sample_db, "bund")
    assert after[COLUMNS].values.tolist() != before[COLUMNS].values.tolist()
    status.revert_batch(any_sample_db, result.batch_id, "admin")
    reverted = _same(any_sample_db, "bund")
    assert reverted[COLUMNS].values.tolist() == before[COLUMNS].values.tolist()


def test_catalogue_change_falls_back_to_scan_until_next_write(any_sample_db):
    with any_sample_db.transaction() as conn:
        conn.execute("UPDATE leistung SET retired = TRUE WHERE ozg_id IN ('10000', '10001')")
    with any_sample_db.connect() as conn:
        assert not summary.is_fresh(conn)
    _same(any_sample_db, "kreis")  # stale summary is not used
    status.apply_updates(any_sample_db, MARBURG, [StatusUpdate("10003", {"bemerkung": "neu"})],
                         BatchInfo("status", "koordination", "m.xlsx", None, MARBURG))
    with any_sample_db.connect() as conn:
        assert summary.is_fresh(conn)  # the write rebuilt everything for the new catalogue
    _same(any_sample_db, "kreis")
    _same(any_sample_db, "gemeinde", group=cooperation_name())


def test_migration_0005_builds_the_summary_for_existing_data(any_sample_db):
    path = next(p for n, p in migrations.available() if n == 5)
    with any_sample_db.transaction() as conn:  # as a version-4 database with status but no summary tables
        conn.execute("DROP TABLE status_summary")
        conn.execute("DROP TABLE kreis_summary")
        conn.execute("DELETE FROM meta WHERE key = 'summary_catalogue'")
    with any_sample_db.transaction() as conn:
        for sql in migrations.statements(path, any_sample_db.kind):
            conn.execute(sql)
    _same(any_sample_db, "bund")
    _same(any_sample_db, "gemeinde", "06")


def test_each_region_level_drills_down_to_the_next_and_gemeinde_to_none():
    assert [queries.region_children(level) for level in ("bund", "land", "kreis", "gemeinde")] == [
        "land", "kreis", "gemeinde", None]
