"""The Abdeckung matrix (queries.coverage_matrix): every filter alone and combined, on both backends.

Expected Leistungen come from the shipped catalogue file (data/ozg_services.csv) and the status below, never from
the query under test:

  catalogue edition „katalog-efa.csv“: 10000 EfA ja, 10001 EfA nein, every other Leistung EfA unknown
  Marburg  10000 Reifegrad 3, online, Federführung Gießen     10004 Reifegrad 2, Pilot
  Gießen   10001 Reifegrad 2, Pilot, Federführung Gießen      10000 Reifegrad 1, Konzeption
  Kassel (no member of the cooperation)  10002 Reifegrad 4, online, Federführung Kassel
"""

from __future__ import annotations

import csv
import datetime as dt

import pytest

from ozg import catalogue, config, queries
from ozg.domain import StatusUpdate
from ozg.kommunen import cooperation_name
from tests.backends.built_support import GIESSEN, KASSEL, MARBURG, add_outsider, catalogue_entries, import_at

GROUP = cooperation_name()
with (config.DATA_DIR / "ozg_services.csv").open(encoding="utf-8", newline="") as _fh:
    CATALOGUE = list(csv.DictReader(_fh))
EFA = {"10000": True, "10001": False}


def ids(keep) -> set[str]:
    """OZG-IDs of the shipped catalogue rows for which keep(row) is true."""
    return {row["ozg_id"] for row in CATALOGUE if keep(row)}


def found(frame) -> set[str]:
    return set(frame["ozg_id"])


@pytest.fixture
def filtered(any_db):
    entries = catalogue_entries(any_db)
    for entry in entries:
        entry["efa"] = EFA.get(entry["ozg_id"])
    catalogue.apply_catalogue(any_db, entries, "katalog-efa.csv", None, "admin")
    add_outsider(any_db)
    import_at(any_db, MARBURG, [
        StatusUpdate("10000", {"reifegrad": 3, "status": "online", "federfuehrung": GIESSEN}),
        StatusUpdate("10004", {"reifegrad": 2, "status": "Pilot"})], dt.datetime(2026, 6, 1, 9, 0))
    import_at(any_db, GIESSEN, [
        StatusUpdate("10001", {"reifegrad": 2, "status": "Pilot", "federfuehrung": GIESSEN}),
        StatusUpdate("10000", {"reifegrad": 1, "status": "Konzeption"})], dt.datetime(2026, 6, 2, 9, 0))
    import_at(any_db, KASSEL, [
        StatusUpdate("10002", {"reifegrad": 4, "status": "online", "federfuehrung": KASSEL})],
        dt.datetime(2026, 6, 3, 9, 0))
    return any_db


def test_efa_ja_nein_and_unknown(filtered):
    assert found(queries.coverage_matrix(filtered, group=GROUP, efa="ja")) == {"10000"}
    assert found(queries.coverage_matrix(filtered, group=GROUP, efa="nein")) == {"10001"}
    assert found(queries.coverage_matrix(filtered, group=GROUP, efa="unbekannt")) == ids(lambda r: True) - set(EFA)
    assert found(queries.coverage_matrix(filtered, group=GROUP)) == ids(lambda r: True)


def test_lage_themenfeld_and_search_combined(filtered):
    geburt = queries.coverage_matrix(filtered, group=GROUP, lage=("Geburt",))
    assert found(geburt) == ids(lambda r: r["lage"] == "Geburt") and len(found(geburt)) > 1
    combined = queries.coverage_matrix(filtered, group=GROUP, themenfeld=("Familie & Kind",), lage=("Geburt",),
                                       search="Geld")
    assert found(combined) == ids(lambda r: r["themenfeld"] == "Familie & Kind" and r["lage"] == "Geburt"
                                  and "geld" in r["name"].lower())
    assert "10000" in found(combined)   # Elterngeld
    by_id = queries.coverage_matrix(filtered, group=GROUP, lage=("Geburt",), search="10004")
    assert found(by_id) == {"10004"}


def test_typ_combined_with_themenfeld(filtered):
    typ_1 = queries.coverage_matrix(filtered, group=GROUP, themenfeld=("Familie & Kind",), typ=("1",))
    assert found(typ_1) == ids(lambda r: r["themenfeld"] == "Familie & Kind" and "1" in r["typ"].split("|"))
    assert "10005" in found(typ_1) and "10000" not in found(typ_1)   # '1|2/3' matches '1'; '2/3' does not


def test_federfuehrung_and_status_in_at_least_one_city_combined(filtered):
    assert found(queries.coverage_matrix(filtered, group=GROUP, federfuehrung=(GIESSEN,))) == {"10000", "10001"}
    assert found(queries.coverage_matrix(filtered, group=GROUP, status=("Pilot",))) == {"10001", "10004"}
    both = queries.coverage_matrix(filtered, group=GROUP, federfuehrung=(GIESSEN,), status=("Pilot",))
    assert found(both) == {"10001"}
    three = queries.coverage_matrix(filtered, group=GROUP, lage=("Geburt",), federfuehrung=(GIESSEN,),
                                    status=("Pilot", "online"))
    assert found(three) == {"10000", "10001"}


def test_the_group_keeps_other_kommunen_out_of_rows_and_filters(filtered):
    # Kassel's 10002 is online, but Kassel is not in the cooperation: neither its rows nor its status count
    assert queries.coverage_matrix(filtered, group=GROUP, status=("online",))["ozg_id"].unique().tolist() == ["10000"]
    assert set(queries.coverage_matrix(filtered, group=GROUP, search="10002")["ags"]) == {
        MARBURG, GIESSEN, "06532023", "06631009", "06533009"}
    assert KASSEL in set(queries.coverage_matrix(filtered, search="10002")["ags"])


def test_a_past_day_shows_that_days_status(filtered):
    before = queries.coverage_matrix(filtered, as_of=dt.date(2026, 5, 31), group=GROUP, search="10000")
    assert before["reifegrad"].isna().all() and not before["online"].any()
    june = queries.coverage_matrix(filtered, as_of=dt.date(2026, 6, 1), group=GROUP, search="10000")
    assert june.set_index("ags")["reifegrad"].dropna().to_dict() == {MARBURG: 3}
