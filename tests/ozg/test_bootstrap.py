"""init is safe to run again; the cooperation is data: a sixth city joins by editing data/cities.csv."""

import shutil

from ozg import bootstrap, config, kommunen, queries
from ozg.db import Database


def test_init_twice_changes_nothing(db):
    before = (len(queries.leistungen(db)), len(queries.kommunen(db)), len(queries.batches(db)))
    result = bootstrap.init_database(db)
    assert result.catalogue is None and result.migrations_applied == []
    assert (len(queries.leistungen(db)), len(queries.kommunen(db)), len(queries.batches(db))) == before


def test_sample_only_into_a_database_without_status(sample_db):
    assert bootstrap.init_database(sample_db, sample=True).sample_batches == 0
    assert queries.is_sample(sample_db)


def test_a_sixth_city_joins_by_editing_data(tmp_path, monkeypatch):
    data = tmp_path / "data"
    shutil.copytree(config.DATA_DIR, data, ignore=shutil.ignore_patterns("*.duckdb*", "users.toml"))
    with (data / "cities.csv").open("a", encoding="utf-8") as fh:
        fh.write('06611000,Kassel,Hessen,200406,2022,https://www.kassel.de,066110000000,"Kassel, documenta-Stadt",'
                 'Kassel,test,test\n')
    monkeypatch.setattr(config, "DATA_DIR", data)
    db = Database(str(tmp_path / "six.duckdb"))
    bootstrap.init_database(db, sample=True)
    members = queries.kommunen(db, group=kommunen.cooperation_name())
    assert len(members) == 6 and "06611000" in set(members["ags"])
    assert queries.coverage(db).set_index("ags").loc["06611000", "online"] > 0
