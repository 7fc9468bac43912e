"""A hand-built savings history (projects, costs, a parameter, Fallzahlen with timestamps) for as-of tests.

Written through the real write path (savings_store) with explicit timestamps; tests count their expected values by
hand from what is written here (see tests/ozg/test_savings_headline.py for the counts).
"""

from __future__ import annotations

import datetime as dt

from ozg import savings_store
from ozg.auth import User
from ozg.batches import BatchInfo, close_batch, open_batch
from ozg.db import Database
from ozg.savings import CostFigures, ProjectSpec

MARBURG, GIESSEN, WETZLAR, LIMBURG, FULDA = "06534014", "06531005", "06532023", "06533009", "06631009"
NEW_YEAR_2022 = dt.date(2022, 12, 31)


def _save(db, spec: ProjectSpec, when: dt.datetime) -> None:
    with db.transaction() as conn:
        batch_id, _ = open_batch(conn, BatchInfo("projects", "test", None, created_at=when))
        savings_store.save_project(conn, spec, "test", batch_id, when)
        close_batch(conn, batch_id, 1, 1)


def build_history(db: Database) -> Database:
    p1 = ProjectSpec("P1", "Gewerbe", MARBURG, ("10001",),
                     ((MARBURG, dt.date(2022, 6, 1)), (FULDA, dt.date(2022, 10, 1))),
                     costs=CostFigures(100_000.0, 20_000.0, 10_000.0, 10_000.0, "Plan"))
    _save(db, ProjectSpec("P3", "Hunde", WETZLAR, ("10002",), ((WETZLAR, None), (LIMBURG, None)),
                          costs=CostFigures(40_000.0, 4_000.0, 2_000.0, 2_000.0, "Plan")), dt.datetime(2022, 1, 1, 9))
    _save(db, p1, dt.datetime(2022, 3, 1, 10))
    _save(db, ProjectSpec("P2", "Wohngeld", FULDA, ("10003",), ((FULDA, None), (WETZLAR, dt.date(2023, 3, 1))),
                          costs=CostFigures(50_000.0, 5_000.0, 5_000.0, 5_000.0, "Plan")), dt.datetime(2023, 2, 1, 8))
    _save(db, ProjectSpec("P1", "Gewerbe", MARBURG, ("10001",), (*p1.cities, (GIESSEN, dt.date(2023, 5, 1))),
                          costs=CostFigures(120_000.0, 20_000.0, 10_000.0, 10_000.0, "Rechnung")),
          dt.datetime(2023, 5, 1, 12))
    with db.transaction() as conn:
        conn.execute("INSERT INTO cost_parameter (id, name, value, unit, source, set_by, set_at) VALUES "
                     "(nextval('cost_parameter_id_seq'), 'hourly_cost', 80, '€ je Stunde', 'KLR 2024', 'test', ?)",
                     [dt.datetime(2024, 1, 10, 9)])
        batch_id, _ = open_batch(conn, BatchInfo("usage", "test", ags=FULDA, created_at=dt.datetime(2023, 2, 2)))
        savings_store.save_usage(conn, [(dt.date(2022, 11, 1), FULDA, "10001", 500, 400),
                                        (dt.date(2022, 12, 1), FULDA, "10001", 300, 200),
                                        (dt.date(2023, 1, 1), FULDA, "10001", 1_200, 1_000)], batch_id)
        close_batch(conn, batch_id, 3, 3)
    savings_store.delete_project(db, User("chefin", "admin"), "P3")   # at the pinned now: 27.11.2026
    return db
