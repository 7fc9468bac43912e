"""The benchmark at a tiny scale (the cooperation plus 25 Gemeinden): every step runs and the table is complete.
No timing assertions — CI machines vary; the numbers that matter are in bench/RESULTS.md."""

from __future__ import annotations

import pytest

from bench import generate, run
from ozg import queries
from ozg.db import Database


@pytest.fixture(scope="module")
def smoke_db(tmp_path_factory) -> Database:
    path = tmp_path_factory.mktemp("bench") / "smoke.duckdb"
    info = generate.generate(path, "smoke")
    assert info.gemeinden == 30 and info.status_rows == 30 * 557
    assert info.history_rows > info.status_rows and info.change_rows > info.history_rows
    return Database(str(path))


def test_generated_data_is_consistent(smoke_db):
    with smoke_db.connect() as conn:
        # current = the latest history row of every key; every batch's rows_changed = its history rows
        assert conn.one("SELECT count(*) FROM (SELECT ags, ozg_id, max(id) FROM status_history GROUP BY 1, 2) t") \
            == conn.one("SELECT count(*) FROM status_current")
        assert conn.one("SELECT count(*) FROM import_batch b WHERE kind = 'sample' AND rows_changed <> "
                        "(SELECT count(*) FROM status_history h WHERE h.batch_id = b.id)") == 0
        assert conn.one("SELECT max(valid_from) FROM status_history") < conn.one(
            "SELECT CAST(DATE '2026-11-01' AS TIMESTAMP)")
        assert conn.one("SELECT nextval('history_id_seq')") > conn.one("SELECT max(id) FROM status_history")
    fast = queries.overview_kpis(smoke_db).iloc[0]
    exact = queries.coverage_total(queries.coverage(smoke_db))
    assert (int(fast["online"]), int(fast["relevant"]), int(fast["overdue"])) == \
        (exact["online"], exact["relevant"], exact["overdue"])


def test_generation_is_deterministic(smoke_db, tmp_path):
    again = Database(str(tmp_path / "again.duckdb"))
    generate.generate(tmp_path / "again.duckdb", "smoke")
    sql = "SELECT ags, ozg_id, reifegrad, status, geplant_bis FROM status_current ORDER BY 1, 2"
    with smoke_db.connect() as a, again.connect() as b:
        assert a.execute(sql) == b.execute(sql)


def test_benchmark_command_prints_the_full_table(tmp_path, capsys):
    out = tmp_path / "results.md"
    assert run.main(["--scale", "smoke", "--runs", "1", "--db", str(tmp_path / "b.duckdb"), "--out", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    for step in ("ingest", "overview KPIs", "coverage of one Land", "overdue list", "as-of reconstruction",
                 "city file import", "ministry report XLSX", "page render: overview", "page render: verlauf"):
        assert step in text
    assert "equal to naive: yes" in text and "equal to naive: NO" not in text
    assert text in capsys.readouterr().out
