"""Schema migrations: fresh files, upgrading an older file without data loss, refusing a newer one."""


import pytest

from ozg import clock, migrations, queries, status
from ozg.batches import BatchInfo
from ozg.db import Database
from ozg.domain import StatusUpdate
from ozg.errors import SchemaError


def test_fresh_database_is_at_latest_version(db):
    with db.connect() as conn:
        assert migrations.current_version(conn) == migrations.latest_version()


def test_running_migrate_again_applies_nothing(db):
    assert migrations.migrate(db) == []


def test_older_file_is_upgraded_and_keeps_its_data(tmp_path):
    db = Database(str(tmp_path / "old.duckdb"))
    assert migrations.migrate(db, target=1) == [1]
    with db.transaction() as conn:
        conn.execute("INSERT INTO kommune (ags, name) VALUES ('06534014', 'Marburg')")
        conn.execute("INSERT INTO leistung (ozg_id, name, retired) VALUES ('10000', 'Elterngeld', FALSE)")
    status.apply_updates(db, "06534014", [StatusUpdate("10000", {"reifegrad": 3, "status": "online"})],
                         BatchInfo("status", "alt", "alt.xlsx", "0" * 64, "06534014"))

    applied = migrations.migrate(db)

    assert applied == [number for number, _ in migrations.available() if number >= 2]
    with db.connect() as conn:
        assert migrations.current_version(conn) == migrations.latest_version()
        assert conn.execute("SELECT ozg_id, reifegrad, status FROM status_current") == [("10000", 3, "online")]
        assert conn.one("SELECT count(*) FROM status_history") == 1
        assert conn.one("SELECT count(*) FROM deadline") == 0  # table from migration 2 exists
    assert queries.batches(db)["file_name"].tolist() == ["alt.xlsx"]


def test_newer_file_is_refused_with_a_clear_message(db):
    with db.transaction() as conn:
        conn.execute("INSERT INTO schema_version VALUES (999, ?)", [clock.now()])
    with pytest.raises(SchemaError, match="Schema-Version 999.*bitte OZG-Cockpit aktualisieren|Bitte OZG-Cockpit"):
        migrations.migrate(db)
    with pytest.raises(SchemaError):
        migrations.require_current(db)


def test_uninitialised_file_tells_how_to_fix(tmp_path):
    with pytest.raises(SchemaError, match="python -m loaders init"):
        migrations.require_current(Database(str(tmp_path / "leer.duckdb")))


def test_a_lower_migration_that_lands_after_a_higher_one_is_still_applied(db):
    # Numbers are reserved per feature (0006 security, 0007 bund, 0008 links) and may land in any order: a
    # database already at the highest number must still receive a lower one that arrives later. Simulated by
    # forgetting migration 2 while the later ones stay recorded.
    with db.transaction() as conn:
        conn.execute("DROP TABLE deadline")
        conn.execute("DELETE FROM schema_version WHERE version = 2")
        assert migrations.current_version(conn) == migrations.latest_version()
    with pytest.raises(SchemaError, match="veraltet"):
        migrations.require_current(db)

    assert migrations.migrate(db) == [2]
    migrations.require_current(db)
    with db.connect() as conn:
        assert conn.one("SELECT count(*) FROM deadline") == 0
