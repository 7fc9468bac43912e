"""The OZG catalogue: load the shipped edition or a newer one without touching any status.

A newer edition updates names and attributes, adds new Leistungen and marks those it no longer lists as retired
(never deleted: their status history stays readable).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ozg import clock, config
from ozg.batches import BatchInfo, close_batch, open_batch
from ozg.db import Database

CATALOGUE_COLUMNS = ("ozg_id", "name", "themenfeld", "lage", "lage_kind", "typ", "programm", "efa")
SHIPPED_CATALOGUE = config.DATA_DIR / "ozg_services.csv"
SHIPPED_LEIKA = config.DATA_DIR / "leika_mapping.csv"


@dataclass(frozen=True)
class CatalogueResult:
    added: int
    updated: int
    retired: int
    unchanged: int
    batch_id: int


def _efa(value: str | None) -> bool | None:
    value = (value or "").strip().lower()
    if value in ("ja", "1", "true", "x"):
        return True
    if value in ("nein", "0", "false"):
        return False
    return None


def apply_catalogue(db: Database, entries: list[dict], file_name: str, sha256: str | None,
                    user: str, leika: list[dict] | None = None) -> CatalogueResult:
    """Make the catalogue equal to `entries` (validated dicts with CATALOGUE_COLUMNS) in one transaction."""
    now = clock.now()
    wanted = {e["ozg_id"]: tuple(e.get(c) for c in CATALOGUE_COLUMNS) for e in entries}
    with db.transaction() as conn:
        existing = {r[0]: (tuple(r[:8]), r[8]) for r in conn.execute(
            f"SELECT {', '.join(CATALOGUE_COLUMNS)}, retired FROM leistung")}
        batch_id, _ = open_batch(conn, BatchInfo("catalogue", user, file_name, sha256, created_at=now))
        changed = [oid for oid, values in wanted.items()
                   if oid not in existing or existing[oid][0] != values or existing[oid][1]]
        added = sum(1 for oid in changed if oid not in existing)
        updated = len(changed) - added
        unchanged = len(wanted) - len(changed)
        for start in range(0, len(changed), 500):
            chunk = changed[start:start + 500]
            conn.execute(f"DELETE FROM leistung WHERE ozg_id IN ({', '.join('?' * len(chunk))})", chunk)
        frame = pd.DataFrame([wanted[oid] for oid in changed], columns=list(CATALOGUE_COLUMNS), dtype=object)
        frame["efa"] = frame["efa"].astype("boolean")
        conn.insert_df("leistung", frame.assign(retired=False, catalogue_batch=batch_id, updated_at=now))
        to_retire = [oid for oid, (_, retired) in existing.items() if oid not in wanted and not retired]
        for ozg_id in to_retire:
            conn.execute("UPDATE leistung SET retired = TRUE, catalogue_batch = ?, updated_at = ? WHERE ozg_id = ?",
                         [batch_id, now, ozg_id])
        if leika is not None:
            conn.execute("DELETE FROM leika")
            conn.insert_df("leika", pd.DataFrame(
                [(r["leika_key"] or None, r["leika_name"], r["leika_typ"], r["ozg_id"]) for r in leika],
                columns=["leika_key", "leika_name", "leika_typ", "ozg_id"], dtype=object))
        close_batch(conn, batch_id, len(entries), added + updated + len(to_retire))
    return CatalogueResult(added, updated, len(to_retire), unchanged, batch_id)


def read_shipped_leika() -> list[dict]:
    with SHIPPED_LEIKA.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def normalise_entry(raw: dict) -> dict:
    """Catalogue CSV row -> stored values (empty strings become NULL, efa becomes a boolean or NULL)."""
    entry = {c: ((raw.get(c) or "").strip() or None) for c in CATALOGUE_COLUMNS}
    entry["efa"] = _efa(raw.get("efa"))
    return entry


def shipped_path() -> Path:
    return SHIPPED_CATALOGUE
