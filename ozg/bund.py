"""Bund-Abgleich, write side and rules: which Kommunen a federal record applies to, and storing a snapshot.

The federal „Dashboard Digitale Verwaltung“ (PVOG data) lists, per ARS (12-digit Amtlicher Regionalschlüssel),
the online services (LeiKa) with their OZG-ID. Rules (issue 15, README „Bund-Abgleich“):
- ARS → AGS: the first five and the last three digits (`065340014014` → `06534014`).
- A Land-ARS (zeros after digit 2) whose art_flaechendeckung is „landesweit flächendeckend“ applies to every
  Kommune of that Land; a Kreis-ARS (zeros after digit 5) „kreisweit flächendeckend“ to every Kommune of the Kreis;
  „bundesweit flächendeckend“ applies everywhere. Every other record applies to the Kommune with its AGS.
- „online beim Bund“: online_status 'ok' and aktiv 'ja'.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pyarrow as pa

from ozg import clock
from ozg.db import Database

ONLINE_STATUS = {"ok": True, "nicht ok": False}
AKTIV = {"ja": True, "nein": False}
BUNDESWEIT = "bundesweit flächendeckend"
LANDESWEIT = "landesweit flächendeckend"
KREISWEIT = "kreisweit flächendeckend"
ART_VALUES = (BUNDESWEIT, LANDESWEIT, KREISWEIT, "in mind. einer Kommune verfügbar",
              "nicht in Auswertung berücksichtigt")

# Columns of bund_record as the loader hands them over (Arrow), in this order.
RECORD_SCHEMA = pa.schema([
    ("record_no", pa.int32()), ("ars", pa.string()), ("area", pa.string()), ("ozg_id", pa.string()),
    ("leika_key", pa.string()), ("status_ok", pa.bool_()), ("aktiv", pa.bool_()), ("art", pa.string()),
    ("url", pa.string()),
])


def ags_of(ars: str) -> str:
    """The AGS of a 12-digit ARS: digits 1–5 and 10–12 (the Gemeindeverband digits 6–9 are dropped)."""
    return ars[:5] + ars[9:]


def area_of(ars: str, art: str | None) -> str:
    """The AGS prefix a record applies to: '' (bundesweit), Land (2), Kreis (5) or one Kommune's AGS (8)."""
    if art == BUNDESWEIT:
        return ""
    if art == LANDESWEIT and ars[2:] == "0" * 10:
        return ars[:2]
    if art == KREISWEIT and ars[5:] == "0" * 7:
        return ars[:5]
    return ags_of(ars)


@dataclass(frozen=True)
class Snapshot:
    id: int
    stand: dt.date
    file_name: str
    sha256: str
    user_name: str
    created_at: dt.datetime
    records: int
    unknown_ozg_ids: int


def find_snapshot(db: Database, sha256: str, stand: dt.date) -> int | None:
    """The id of a snapshot of the same file with the same Stand (importing twice changes nothing)."""
    with db.connect() as conn:
        return conn.one("SELECT min(id) FROM bund_snapshot WHERE sha256 = ? AND stand = ?", [sha256, stand])


def store_snapshot(db: Database, table: pa.Table, stand: dt.date, file_name: str, sha256: str, user: str,
                   unknown_ozg_ids: int) -> int:
    """Write one snapshot (record + all its rows) in one transaction; returns its id."""
    with db.transaction() as conn:
        snapshot_id = int(conn.one("SELECT nextval('bund_snapshot_id_seq')"))
        conn.execute("INSERT INTO bund_snapshot (id, stand, file_name, sha256, user_name, created_at, records, "
                     "unknown_ozg_ids) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                     [snapshot_id, stand, file_name, sha256, user, clock.now(), table.num_rows, unknown_ozg_ids])
        rows = table.add_column(0, "snapshot_id", pa.array([snapshot_id] * table.num_rows, pa.int64()))
        conn.insert_arrow("bund_record", rows)
    return snapshot_id
