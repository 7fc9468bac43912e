"""A newer catalogue edition renames, adds and retires Leistungen without touching status."""

from ozg import catalogue, queries, status
from ozg.batches import BatchInfo
from ozg.domain import StatusUpdate


def _entries(db):
    frame = queries.leistungen(db)
    return [{c: (None if v != v else v) for c, v in row.items()}
            for row in frame[list(catalogue.CATALOGUE_COLUMNS)].to_dict("records")]


def test_new_edition_updates_adds_and_retires_but_keeps_status(db):
    status.apply_updates(db, "06534014", [StatusUpdate("10001", {"reifegrad": 3})],
                         BatchInfo("status", "u", "m.xlsx", None, "06534014"))
    entries = _entries(db)
    assert len(entries) == 557
    renamed = next(e for e in entries if e["ozg_id"] == "10000")
    renamed["name"] = "Elterngeld (neu)"
    entries = [e for e in entries if e["ozg_id"] != "10001"]  # retired in the new edition
    entries.append({**renamed, "ozg_id": "10700", "name": "Neue Leistung"})

    result = catalogue.apply_catalogue(db, entries, "katalog-2024.csv", None, "admin")

    assert (result.added, result.updated, result.retired) == (1, 1, 1)
    active = queries.leistungen(db).set_index("ozg_id")
    assert active.loc["10000", "name"] == "Elterngeld (neu)"
    assert "10700" in active.index and "10001" not in active.index
    everything = queries.leistungen(db, include_retired=True).set_index("ozg_id")
    assert bool(everything.loc["10001", "retired"]) is True
    with db.connect() as conn:
        assert conn.one("SELECT reifegrad FROM status_current WHERE ozg_id = '10001'") == 3


def test_same_edition_twice_changes_nothing(db):
    entries = _entries(db)
    result = catalogue.apply_catalogue(db, entries, "same.csv", None, "admin")
    assert (result.added, result.updated, result.retired, result.unchanged) == (0, 0, 0, 557)
