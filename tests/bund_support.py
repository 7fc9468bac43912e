"""Shared data of the Bund-Abgleich tests: the fixture folder and the five cities' own status (see
tests/ozg/test_bund_compare.py for what the comparison must make of it, counted by hand)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ozg import status
from ozg.batches import BatchInfo
from ozg.domain import StatusUpdate

FIXTURES = Path(__file__).parent / "fixtures" / "bund"
MR, GI, WZ, FD, LM = "06534014", "06531005", "06532023", "06631009", "06533009"
CITY_STATUS = {
    MR: [("10000", 3, "online", "https://marburg.example/elterngeld"), ("10001", 1, "Umsetzung", None),
         ("10009", 4, "online", "https://marburg.example/sorge")],
    GI: [("10003", 3, "online", None), ("10001", 3, "nicht relevant", None)],
    WZ: [("10004", 3, "online", "https://wetzlar.example/hebamme")],
    FD: [("10002", 2, "Umsetzung", None)],
    LM: [("10007", 3, "online", None)],
}


def set_city_status(db, day: dt.datetime | None = None) -> None:
    """The five cities' own status of CITY_STATUS, one import per city (at `day`, default now)."""
    for ags, rows in CITY_STATUS.items():
        updates = [StatusUpdate(oid, {"reifegrad": r, "reifegrad_model": "1.1", "status": s, "link": link})
                   for oid, r, s, link in rows]
        status.apply_updates(db, ags, updates, BatchInfo("status", "test", f"{ags}.xlsx", "0" * 64, ags,
                                                         created_at=day))
