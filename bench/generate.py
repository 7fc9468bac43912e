"""Synthetic national status data: every real Gemeinde (data/gemeinden_de.csv) × the real catalogue, with history.

Written in DuckDB bulk SQL (no Python loop per row): each (Gemeinde, Leistung) gets a "fate" from hash-based
pseudo-random numbers with a fixed seed (idle, planned, late, in progress, online, online with Ende-zu-Ende;
federal Typ-1 Leistungen are "nicht relevant"), and its history is 1–5 events whose full states are a pure
function of (fate, event number). So the previous state of an event is the same function at k-1 — field-level
changes need no self-join. Events of one Gemeinde in one month form one import batch, as in the sample data.
All values are invented; meta.sample_data = 'ja' so the app shows its banner. Dates: 2019-03 … 2026-10.
"""

from __future__ import annotations

import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from ozg import config
from ozg.bootstrap import init_database
from ozg.db import Database

SEED = 20221231
GEMEINDEN_CSV = config.DATA_DIR / "gemeinden_de.csv"
SCALES = {"national": None, "hessen": "06", "smoke": "smoke"}
SMOKE_EXTRA = 25  # smoke: the cooperation's cities plus this many other Gemeinden
BATCH_ID_BASE = 1_000_000  # far above the ids init's catalogue batch took
CHUNK = 1_000  # Gemeinden per generation step
HISTORY_ID_STRIDE = 1_000  # history id = (month * #Gemeinden + gemeinde) * stride + leistung: time-ordered


@dataclass(frozen=True)
class Generated:
    gemeinden: int
    status_rows: int
    history_rows: int
    change_rows: int
    batches: int
    seconds: float


# DuckDB macros: u(...) in [0, 1) from a seeded hash; state fields as functions of (fate, k, per-row draws).
_MACROS = f"""
CREATE OR REPLACE TEMP MACRO u(a, b, c) AS (hash({SEED}, a, b, c) % 1000003) / 1000003.0;
CREATE OR REPLACE TEMP MACRO month_day(m) AS (DATE '2019-03-01' + to_months(CAST(m AS INTEGER)));
CREATE OR REPLACE TEMP MACRO batch_time(gi, m) AS
    CAST(month_day(m) + to_days(CAST(hash({SEED}, 'day', gi, m) % 28 AS INTEGER)) AS TIMESTAMP)
    + INTERVAL 9 HOUR;
CREATE OR REPLACE TEMP MACRO st_reifegrad(fate, k, r0) AS CASE
    WHEN fate = 'nr' THEN NULL
    WHEN k = 1 THEN r0
    WHEN fate = 'idle' THEN 1
    WHEN fate = 'planned' THEN r0
    WHEN k = 2 THEN r0
    WHEN k = 3 THEN 2
    WHEN k = 4 THEN 3
    ELSE 4 END;
CREATE OR REPLACE TEMP MACRO st_status(fate, k, pick) AS CASE
    WHEN fate = 'nr' THEN 'nicht relevant'
    WHEN k = 1 OR fate = 'idle' THEN 'nicht begonnen'
    WHEN fate = 'planned' THEN 'geplant'
    WHEN k = 2 THEN 'Konzeption'
    WHEN k = 3 AND fate = 'online' THEN 'Umsetzung'
    WHEN k = 3 THEN (CASE WHEN pick < 0.33 THEN 'Pilot' ELSE 'Umsetzung' END)
    ELSE 'online' END;
CREATE OR REPLACE TEMP MACRO st_plan(fate, k, plan) AS CASE
    WHEN k >= 2 AND fate IN ('planned', 'late', 'in_progress', 'online') THEN plan END;
CREATE OR REPLACE TEMP MACRO st_plattform(fate, k, pick) AS CASE
    WHEN k >= 2 AND fate IN ('late', 'in_progress', 'online')
    THEN (CASE WHEN pick < 0.2 THEN 'Stadtportal' ELSE 'civento' END) END;
CREATE OR REPLACE TEMP MACRO st_online_seit(fate, k, day4) AS CASE WHEN fate = 'online' AND k >= 4 THEN day4 END;
CREATE OR REPLACE TEMP MACRO st_e2e(fate, k) AS CASE WHEN fate = 'online' AND k >= 5 THEN TRUE END;
CREATE OR REPLACE TEMP MACRO st_bescheid(fate, k, pick) AS CASE
    WHEN fate = 'online' AND k >= 5 THEN TRUE WHEN fate = 'online' AND k = 4 THEN pick < 0.3 END;
CREATE OR REPLACE TEMP MACRO st_link(fate, k, ags, oid) AS CASE
    WHEN fate = 'online' AND k >= 4 THEN 'https://service.example.invalid/' || ags || '/' || oid END;
CREATE OR REPLACE TEMP MACRO st_bemerkung(fate) AS CASE WHEN fate = 'nr' THEN 'Bundesleistung (Typ 1)' END;
CREATE OR REPLACE TEMP MACRO txt_bool(b) AS CASE WHEN b THEN 'ja' WHEN NOT b THEN 'nein' END;
"""


def _gemeinden_sql(scale: str) -> tuple[str, list]:
    prefix = SCALES[scale]
    src = "SELECT * FROM read_csv(?, all_varchar = true, header = true)"
    if prefix is None:
        return src, [str(GEMEINDEN_CSV)]
    if prefix == "smoke":
        return (f"SELECT * FROM ({src}) WHERE ags IN (SELECT ags FROM kommune_group) "
                f"OR ags IN (SELECT ags FROM ({src}) WHERE ags LIKE '06%' ORDER BY ags LIMIT {SMOKE_EXTRA})",
                [str(GEMEINDEN_CSV), str(GEMEINDEN_CSV)])
    return f"SELECT * FROM ({src}) WHERE ags LIKE '{prefix}%'", [str(GEMEINDEN_CSV)]


def generate(path: Path, scale: str = "national", memory_limit: str = "1500MB", threads: int = 2) -> Generated:
    """Create a fresh DuckDB file at `path`: schema, catalogue, all Gemeinden of `scale`, status and history."""
    import duckdb

    started = time.perf_counter()
    path = Path(path)
    for stale in (path, Path(str(path) + ".wal")):
        stale.unlink(missing_ok=True)
    init_database(Database(str(path)))
    con = duckdb.connect(str(path), config={"memory_limit": memory_limit, "threads": threads,
                                            "temp_directory": str(path) + ".tmp",
                                            "preserve_insertion_order": True})
    try:
        con.execute("SET enable_progress_bar = false")
        for stmt in _MACROS.strip().split(";\n"):
            if stmt.strip():
                con.execute(stmt)
        sql, params = _gemeinden_sql(scale)
        con.execute(f"CREATE TEMP TABLE g AS SELECT CAST(row_number() OVER (ORDER BY ags) - 1 AS INTEGER) AS gi, "
                    f"* FROM ({sql})", params)
        # Every Gemeinde becomes a Kommune (the cooperation's five keep their curated rows and portal URLs).
        con.execute("INSERT INTO kommune (ags, ars, name, official_name, state, kreis, population) "
                    "SELECT ags, ars, split_part(name, ',', 1), name, state, kreis, CAST(population AS INTEGER) "
                    "FROM g WHERE ags NOT IN (SELECT ags FROM kommune)")
        con.execute("CREATE TEMP TABLE l AS SELECT CAST(row_number() OVER (ORDER BY ozg_id) - 1 AS INTEGER) AS li, "
                    "ozg_id, coalesce(typ, '') AS typ FROM leistung WHERE NOT retired")
        n_g = con.execute("SELECT count(*) FROM g").fetchone()[0]
        # Chunks of Gemeinden bound the memory (2 GiB target) and keep status_current ordered by AGS, so DuckDB's
        # zone maps skip most of the table when one Kommune is read or replaced.
        # One transaction per chunk: a single huge transaction would hold all of it in memory until COMMIT.
        # (A failed run leaves an incomplete file; generate() always starts from a fresh one.)
        for start in range(0, n_g, CHUNK):
            con.execute("BEGIN")
            con.execute(_PLAN.format(lo=start, hi=start + CHUNK))
            con.execute(_EVENTS.format(n_g=n_g, stride=HISTORY_ID_STRIDE, base=BATCH_ID_BASE))
            con.execute(_EVENT_STATES.format(state=_STATE.format(k="k")))
            con.execute(_INSERT_HISTORY)
            con.execute(_INSERT_CURRENT)
            con.execute(_INSERT_CHANGES)
            con.execute(_INSERT_BATCHES)
            con.execute("COMMIT")
        con.execute("BEGIN")
        for seq, table in (("history_id_seq", "status_history"), ("batch_id_seq", "import_batch")):
            start = con.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {table}").fetchone()[0]
            con.execute(f"DROP SEQUENCE {seq}")
            con.execute(f"CREATE SEQUENCE {seq} START {start}")
        con.execute("UPDATE meta SET value = 'ja' WHERE key = 'sample_data'")
        con.execute("DELETE FROM status_summary")
        con.execute(_SUMMARY)
        con.execute("DELETE FROM kreis_summary")
        con.execute(_KREIS_SUMMARY)
        con.execute("UPDATE meta SET value = CAST(CAST(value AS BIGINT) + 1 AS TEXT) WHERE key = 'data_version'")
        con.execute("COMMIT")
        counts = [con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                  for t in ("status_current", "status_history", "status_change")]
        batches = con.execute("SELECT count(*) FROM import_batch WHERE kind = 'sample'").fetchone()[0]
        con.execute("CHECKPOINT")
    finally:
        con.close()
        shutil.rmtree(str(path) + ".tmp", ignore_errors=True)
    return Generated(n_g, *counts, batches, time.perf_counter() - started)


# One row per (Gemeinde, Leistung): fate, event months and per-row draws.
_PLAN = """
CREATE OR REPLACE TEMP TABLE plan AS
SELECT gi, li, ags, ozg_id, fate,
       CASE WHEN fate = 'online' AND u(gi, li, 6) < 0.35 THEN 5
            WHEN fate = 'online' THEN 4
            WHEN fate IN ('late', 'in_progress') THEN 3
            WHEN fate = 'planned' THEN 2
            WHEN fate = 'idle' AND u(gi, li, 7) < 0.5 THEN 2
            ELSE 1 END AS n_events,
       CAST(CASE WHEN u(gi, li, 8) < 0.34 THEN 0 ELSE 1 END AS INTEGER) AS r0,
       u(gi, li, 9) AS pick,
       m2, m2 + 1 + CAST(floor(u(gi, li, 3) * 12) AS INTEGER) AS m3,
       m2 + 2 + CAST(floor(u(gi, li, 3) * 12) AS INTEGER) + CAST(floor(u(gi, li, 4) * 10) AS INTEGER) AS m4,
       m2 + 3 + CAST(floor(u(gi, li, 3) * 12) AS INTEGER) + CAST(floor(u(gi, li, 4) * 10) AS INTEGER)
          + CAST(floor(u(gi, li, 5) * 14) AS INTEGER) AS m5,
       CASE fate  -- planned go-live: month ends (planners write 30.06. / 31.12.), quarter ends for 'planned'
           WHEN 'planned' THEN last_day(DATE '2027-03-01' + to_months(3 * CAST(floor(u(gi, li, 10) * 6) AS INTEGER)))
           WHEN 'late' THEN last_day(DATE '2023-06-01' + to_months(CAST(floor(u(gi, li, 10) * 40) AS INTEGER)))
           WHEN 'in_progress' THEN last_day(DATE '2027-01-01' + to_months(CAST(floor(u(gi, li, 10) * 24) AS INTEGER)))
           WHEN 'online' THEN last_day(DATE '2019-03-01'
                                        + to_months(m2 + 6 + CAST(floor(u(gi, li, 10) * 14) AS INTEGER)))
       END AS plan
FROM (
    SELECT g.gi, l.li, g.ags, l.ozg_id,
           CASE WHEN l.typ = '1' THEN 'nr'
                WHEN x < p_online THEN 'online'
                WHEN x < p_online + 0.03 THEN 'late'
                WHEN x < p_online + 0.07 THEN 'in_progress'
                WHEN x < p_online + 0.13 THEN 'planned'
                ELSE 'idle' END AS fate,
           6 + CAST(floor(u(g.gi, l.li, 2) * 50) AS INTEGER) AS m2
    FROM (SELECT * FROM g WHERE gi >= {lo} AND gi < {hi}) g CROSS JOIN l,
         LATERAL (SELECT u(g.gi, l.li, 1) AS x,
                         0.02 + 0.30 * u(g.gi, -1, 0) + 0.20 * u(-1, l.li, 0) AS p_online)
)
ORDER BY gi, li
"""

# One row per event: the full state after it (k) and before it (k - 1).
_EVENTS = """
CREATE OR REPLACE TEMP TABLE ev AS
SELECT p.*,
       CASE k WHEN 1 THEN 0 WHEN 2 THEN m2 WHEN 3 THEN m3 WHEN 4 THEN m4 ELSE m5 END AS m,
       batch_time(gi, CASE k WHEN 1 THEN 0 WHEN 2 THEN m2 WHEN 3 THEN m3 WHEN 4 THEN m4 ELSE m5 END)
           AS valid_from,
       {base} + CAST(CASE k WHEN 1 THEN 0 WHEN 2 THEN m2 WHEN 3 THEN m3 WHEN 4 THEN m4 ELSE m5 END AS BIGINT)
           * {n_g} + gi AS batch_id,
       (CAST(CASE k WHEN 1 THEN 0 WHEN 2 THEN m2 WHEN 3 THEN m3 WHEN 4 THEN m4 ELSE m5 END AS BIGINT)
           * {n_g} + gi) * {stride} + li AS id,
       CAST(batch_time(gi, m4) AS DATE) AS day4
FROM (SELECT *, unnest(range(1, n_events + 1)) AS k FROM plan) p
"""

# The full state after each event, computed once per chunk (history and current state are projections of it).
_EVENT_STATES = """
CREATE OR REPLACE TEMP TABLE evs AS
SELECT id, batch_id, ags, ozg_id, valid_from, k, n_events, {state} FROM ev
"""

_STATE = """
st_reifegrad(fate, {k}, r0) AS reifegrad,
CASE WHEN st_reifegrad(fate, {k}, r0) IS NOT NULL THEN '1.1' END AS reifegrad_model,
st_status(fate, {k}, pick) AS status, st_plan(fate, {k}, plan) AS geplant_bis,
st_online_seit(fate, {k}, day4) AS online_seit, st_e2e(fate, {k}) AS ende_zu_ende,
st_bescheid(fate, {k}, pick) AS bescheid_digital, CAST(NULL AS TEXT) AS federfuehrung,
st_plattform(fate, {k}, pick) AS plattform, st_link(fate, {k}, ags, ozg_id) AS link,
st_bemerkung(fate) AS bemerkung
"""

_INSERT_HISTORY = """
INSERT INTO status_history (id, batch_id, ags, ozg_id, valid_from, reifegrad, reifegrad_model, status, geplant_bis,
    online_seit, ende_zu_ende, bescheid_digital, federfuehrung, plattform, link, bemerkung)
SELECT id, batch_id, ags, ozg_id, valid_from, reifegrad, reifegrad_model, status, geplant_bis, online_seit,
       ende_zu_ende, bescheid_digital, federfuehrung, plattform, link, bemerkung FROM evs
"""

_INSERT_CURRENT = """
INSERT INTO status_current (ags, ozg_id, reifegrad, reifegrad_model, status, geplant_bis, online_seit, ende_zu_ende,
    bescheid_digital, federfuehrung, plattform, link, bemerkung, batch_id, changed_at)
SELECT ags, ozg_id, reifegrad, reifegrad_model, status, geplant_bis, online_seit, ende_zu_ende, bescheid_digital,
       federfuehrung, plattform, link, bemerkung, batch_id, valid_from FROM evs WHERE k = n_events
"""

# Field-level diffs: the state at k against the state at k - 1 (all NULL before the first event).
_FIELD_PAIRS = [
    ("reifegrad", "CAST(st_reifegrad(fate, {k}, r0) AS TEXT)"),
    ("reifegrad_model", "CASE WHEN st_reifegrad(fate, {k}, r0) IS NOT NULL THEN '1.1' END"),
    ("status", "st_status(fate, {k}, pick)"),
    ("geplant_bis", "CAST(st_plan(fate, {k}, plan) AS TEXT)"),
    ("online_seit", "CAST(st_online_seit(fate, {k}, day4) AS TEXT)"),
    ("ende_zu_ende", "txt_bool(st_e2e(fate, {k}))"),
    ("bescheid_digital", "txt_bool(st_bescheid(fate, {k}, pick))"),
    ("plattform", "st_plattform(fate, {k}, pick)"),
    ("link", "st_link(fate, {k}, ags, ozg_id)"),
    ("bemerkung", "st_bemerkung(fate)"),
]


def _before(expr: str) -> str:
    return f"CASE WHEN k = 1 THEN NULL ELSE {expr.format(k='k - 1')} END"


_INSERT_CHANGES = """
INSERT INTO status_change (batch_id, ags, ozg_id, field, old_value, new_value)
SELECT batch_id, ags, ozg_id, c.f, c.o, c.n FROM (
    SELECT batch_id, ags, ozg_id, unnest(list_filter([{structs}], lambda x: x.o IS DISTINCT FROM x.n)) AS c
    FROM ev
)
""".format(structs=", ".join(
    f"{{'f': '{name}', 'o': {_before(expr)}, 'n': {expr.format(k='k')}}}" for name, expr in _FIELD_PAIRS))

_INSERT_BATCHES = """
INSERT INTO import_batch (id, kind, file_name, sha256, ags, user_name, created_at, rows_read, rows_changed,
    rows_rejected, note)
SELECT batch_id, 'sample', 'Synthetische Benchmarkdaten (erfunden)', NULL, min(ags), 'Benchmark', min(valid_from),
       count(*), count(*), 0, 'Synthetischer Datensatz für den Benchmark'
FROM ev GROUP BY batch_id
"""

_SUMMARY = """
INSERT INTO status_summary (ags, reifegrad, nicht_relevant, ende_zu_ende, bescheid_digital, own_lead, geplant_bis,
    n, last_change)
SELECT s.ags, s.reifegrad, coalesce(s.status = 'nicht relevant', FALSE), coalesce(s.ende_zu_ende, FALSE),
       coalesce(s.bescheid_digital, FALSE), coalesce(s.federfuehrung = s.ags, FALSE), s.geplant_bis,
       count(*), max(s.changed_at)
FROM status_current s JOIN leistung l ON l.ozg_id = s.ozg_id AND NOT l.retired
GROUP BY ALL
ORDER BY 1
"""

_KREIS_SUMMARY = """
INSERT INTO kreis_summary (kreis, reifegrad, nicht_relevant, ende_zu_ende, bescheid_digital, own_lead, geplant_bis,
    n, last_change)
SELECT substr(ags, 1, 5), reifegrad, nicht_relevant, ende_zu_ende, bescheid_digital, own_lead, geplant_bis,
       sum(n), max(last_change)
FROM status_summary
GROUP BY ALL
ORDER BY 1
"""
