"""Invented sample status ("Beispieldaten") so the app means something on first start.

Modelled on what is public — Marburg runs about 50 Leistungen fully online including payment, the other four
cities fewer — but every value here is made up, generated with a fixed seed, and labelled as sample data in the
database (meta.sample_data, batch kind 'sample') so the app shows a banner. History runs from 2019 to today and
goes through the same write path as a real import (status.diff + status.write_changes).
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict

from ozg import clock, status
from ozg.batches import BatchInfo, close_batch, open_batch
from ozg.db import Database
from ozg.domain import StatusUpdate

SEED = 20191231
SAMPLE_USER = "Beispieldaten"
SAMPLE_FILE = "Beispieldaten (erfunden)"
START = dt.date(2019, 3, 15)

# Invented targets per city (AGS): Leistungen online today, of which Ende-zu-Ende (with payment), then how many are
# overdue („Geplant bis“ passed, not online), in progress (due later) and planned. The cities differ the way real
# ones do: Marburg far ahead with few overdue, Wetzlar with many overdue, Limburg starting late with much planned.
TARGETS: dict[str, tuple[int, int, int, int, int]] = {
    "06534014": (128, 50, 5, 41, 36),   # Marburg: about 50 end-to-end on its own portal (public), the rest invented
    "06531005": (86, 21, 17, 23, 28),   # Gießen
    "06631009": (74, 17, 11, 29, 19),   # Fulda
    "06532023": (61, 12, 24, 12, 22),   # Wetzlar
    "06533009": (44, 8, 8, 15, 41),     # Limburg an der Lahn
}
OTHER_CITY = (30, 5, 10, 16, 25)  # a member city without its own line above
SHARED_COUNT = 12  # Leistungen built once by a lead city for all five (Federführung)


def _date_between(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, max(0, (end - start).days)))


def _shift(day: dt.date, days: int, floor: dt.date, ceiling: dt.date) -> dt.date:
    return min(max(day + dt.timedelta(days=days), floor), ceiling)


def _timeline(rng: random.Random, ags: str, portal: str, oid: str, fate: str, online_at: dt.date | None,
              e2e: bool, lead: str | None, today: dt.date) -> list[tuple[dt.date, dict]]:
    """Events (date, field values) of one Leistung in one city from the 2019 inventory to today."""
    events = [(START, {"status": "nicht begonnen", "reifegrad": rng.choice((0, 1, 1)),
                       "reifegrad_model": "1.1"})]
    if fate == "idle":
        return events
    if fate == "planned":
        plan = _date_between(rng, dt.date(today.year + 1, 1, 1), dt.date(today.year + 2, 6, 30))
        events.append((_date_between(rng, dt.date(2024, 1, 1), today - dt.timedelta(days=20)),
                       {"status": "geplant", "geplant_bis": plan}))
        return events
    if fate == "late" or fate == "in_progress":
        plan = (_date_between(rng, dt.date(2023, 6, 1), today - dt.timedelta(days=30)) if fate == "late"
                else _date_between(rng, today + dt.timedelta(days=30), dt.date(today.year + 1, 12, 31)))
        begin = _shift(plan, -rng.randint(200, 500), START + dt.timedelta(days=30), today - dt.timedelta(days=60))
        events.append((begin, {"status": "Konzeption", "geplant_bis": plan, "plattform": "civento"}))
        events.append((_shift(begin, rng.randint(60, 200), begin, today - dt.timedelta(days=5)),
                       {"status": rng.choice(("Umsetzung", "Umsetzung", "Pilot")), "reifegrad": 2}))
        return events
    # online
    begin = _shift(online_at, -rng.randint(150, 420), START + dt.timedelta(days=20), online_at)
    plan = _shift(online_at, rng.randint(-90, 150), begin, dt.date(2030, 1, 1))
    platform = "civento (IKZ-Nachnutzung)" if lead and lead != ags else (
        "Stadtportal" if ags == "06534014" else "civento")
    base = {"federfuehrung": lead} if lead else {}
    events.append((begin, {"status": "Konzeption", "geplant_bis": plan, "plattform": platform, **base}))
    events.append((_shift(begin, (online_at - begin).days // 2, begin, online_at), {"status": "Umsetzung"}))
    events.append((_shift(online_at, -rng.randint(20, 60), begin, online_at), {"status": "Pilot", "reifegrad": 2}))
    events.append((online_at, {"status": "online", "reifegrad": 3, "online_seit": online_at,
                               "link": f"{portal.rstrip('/')}/leistungen/{oid}",
                               "bescheid_digital": rng.random() < 0.3}))
    if e2e:
        upgrade = _shift(online_at, rng.randint(0, 240), online_at, today)
        events.append((upgrade, {"reifegrad": 4, "ende_zu_ende": True, "bescheid_digital": True}))
    return events


def generate(leistungen: list[tuple[str, str]], cities: dict[str, str],
             today: dt.date) -> dict[str, list[tuple[dt.date, dict, str]]]:
    """Events per city: (date, values, ozg_id), deterministic for a given catalogue, cities and day."""
    rng = random.Random(SEED)
    relevant = [oid for oid, typ in leistungen if typ != "1"]  # Typ 1: federal services, not municipal
    not_relevant = [oid for oid, typ in leistungen if typ == "1"]
    popularity = {oid: rng.random() for oid in relevant}
    shared = sorted(relevant, key=lambda o: -popularity[o])[:SHARED_COUNT]
    member_list = sorted(c for c in cities if c in TARGETS) or sorted(cities)
    lead_of = {oid: member_list[i % len(member_list)] for i, oid in enumerate(shared)}
    lead_online = {oid: _date_between(rng, dt.date(2021, 1, 1), dt.date(2024, 6, 30)) for oid in shared}
    events: dict[str, list[tuple[dt.date, dict, str]]] = defaultdict(list)
    for ags in sorted(cities):
        online_n, e2e_n, late_n, progress_n, planned_n = TARGETS.get(ags, OTHER_CITY)
        order = sorted(relevant, key=lambda o: -(popularity[o] + rng.gauss(0, 0.25)))
        order = shared + [o for o in order if o not in lead_of]
        fates = {}
        for i, oid in enumerate(order):
            fates[oid] = ("online" if i < online_n else "late" if i < online_n + late_n else
                          "in_progress" if i < online_n + late_n + progress_n else
                          "planned" if i < online_n + late_n + progress_n + planned_n else "idle")
        e2e_set = set(rng.sample(order[:online_n], min(e2e_n, online_n)))
        for oid in order:
            lead = lead_of.get(oid)
            if lead:
                delay = 0 if lead == ags else rng.randint(60, 300)
                online_at = min(lead_online[oid] + dt.timedelta(days=delay), today)
            else:
                # more go-lives after the OZG deadline pressure of 2022
                online_at = _date_between(rng, dt.date(2019, 9, 1) if rng.random() < 0.3 else dt.date(2022, 1, 1),
                                          today - dt.timedelta(days=3))
            for day, values, in _timeline(rng, ags, cities[ags], oid, fates[oid], online_at,
                                          oid in e2e_set, lead, today):
                events[ags].append((day, values, oid))
        for oid in not_relevant:
            events[ags].append((START, {"status": "nicht relevant", "bemerkung": "Bundesleistung (Typ 1)"}, oid))
    return events


def sample_stamp(day: dt.date, today: dt.date) -> dt.datetime:
    """When a sample change of `day` was "recorded": 09:00, but never later than the start of today, so that a
    real change made later today (whatever the time) is always the newer one."""
    return dt.datetime.combine(day, dt.time(9, 0)) if day < today else dt.datetime.combine(today, dt.time(0, 0))


def load_sample(db: Database, today: dt.date | None = None) -> int:
    """Load the sample history once (skipped when any status exists). Returns the number of batches written."""
    today = today or clock.today()
    with db.connect() as conn:
        if conn.one("SELECT count(*) FROM status_history"):
            return 0
        leistungen = [(r[0], r[1] or "") for r in conn.execute(
            "SELECT ozg_id, typ FROM leistung WHERE NOT retired ORDER BY ozg_id")]
        cities = {r[0]: r[1] or "https://example.invalid" for r in conn.execute(
            "SELECT k.ags, k.portal_url FROM kommune k JOIN kommune_group g ON g.ags = k.ags")}
    events = generate(leistungen, cities, today)
    # One batch per city and month, in time order, so ids and valid_from agree.
    months: dict[tuple[dt.date, str], list[tuple[dt.date, dict, str]]] = defaultdict(list)
    for ags, items in events.items():
        for day, values, oid in items:
            months[(day.replace(day=1), ags)].append((day, values, oid))
    state: dict[str, dict[str, dict]] = {ags: {} for ags in events}
    groups: list[status.ChangeGroup] = []
    with db.transaction() as conn:
        for (_, ags), items in sorted(months.items()):
            items.sort(key=lambda e: e[0])
            when = sample_stamp(max(d for d, _, _ in items), today)
            batch_id, _ = open_batch(conn, BatchInfo("sample", SAMPLE_USER, SAMPLE_FILE, None, ags,
                                                     note="Erfundene Beispieldaten", created_at=when))
            merged: dict[str, dict] = {}
            for _, values, oid in items:
                merged.setdefault(oid, {}).update(values)
            updates = [StatusUpdate(oid, values) for oid, values in merged.items()]
            changes = status.diff(state[ags], updates)
            groups.append(status.ChangeGroup(batch_id, ags, changes, when))
            for change in changes:
                state[ags][change.ozg_id] = change.new
            close_batch(conn, batch_id, len(updates), len(changes))
        status.write_change_groups(conn, groups)
        conn.execute("UPDATE meta SET value = 'ja' WHERE key = 'sample_data'")
    return len(groups)
