"""Shared setup of the hand-counted backend tests: imports at a given time, a newer catalogue edition, a Kommune
outside the cooperation."""

from __future__ import annotations

from ozg import catalogue, kommunen, queries, status
from ozg.batches import BatchInfo

MARBURG, GIESSEN, KASSEL = "06534014", "06531005", "06611000"


def import_at(db, ags, updates, when):
    """One status import of `ags` recorded at `when`."""
    return status.apply_updates(db, ags, updates, BatchInfo("status", "koordination", f"{ags}.xlsx", None, ags,
                                                            created_at=when))


def catalogue_entries(db) -> list[dict]:
    """The active catalogue as entries for catalogue.apply_catalogue (NaN as None)."""
    return [{c: (None if v != v else v) for c, v in row.items()}
            for row in queries.leistungen(db)[list(catalogue.CATALOGUE_COLUMNS)].to_dict("records")]


def retire(db, ozg_id):
    """A newer catalogue edition without `ozg_id`."""
    entries = [e for e in catalogue_entries(db) if e["ozg_id"] != ozg_id]
    result = catalogue.apply_catalogue(db, entries, "katalog-neu.csv", None, "admin")
    assert result.retired == 1


def add_outsider(db):
    """Kassel: a Kommune in the database that is not a member of the cooperation."""
    row = {c: None for c in kommunen.KOMMUNE_COLUMNS}
    row.update(ags=KASSEL, name="Kassel", state="Hessen", kreis="Kassel", population=200_000)
    with db.transaction() as conn:
        kommunen.upsert_kommunen(conn, [row])
