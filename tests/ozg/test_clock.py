"""The clock seam: OZG_TODAY pins the day, and nothing outside ozg/clock.py reads the real clock."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from ozg import clock

REPO = Path(__file__).resolve().parents[2]
REAL_CLOCK = re.compile(r"\b(?:date|datetime|Timestamp)\.(?:today|now|utcnow)\(|\bdatetime\.now\(|\btime\.localtime\(")


def test_ozg_today_pins_the_day_and_keeps_the_time_running(monkeypatch):
    monkeypatch.setenv("OZG_TODAY", "2031-02-28")
    assert clock.today() == dt.date(2031, 2, 28)
    now = clock.now()
    assert now.date() == dt.date(2031, 2, 28) and now.microsecond == 0


def test_without_ozg_today_the_real_day_is_used(monkeypatch):
    monkeypatch.delenv("OZG_TODAY")
    real = dt.date.today()  # the one place a test may look at the real clock: to compare the seam with it
    assert clock.today() in {real, real + dt.timedelta(days=1)}  # (a run across midnight)


def test_an_invalid_ozg_today_is_a_clear_error(monkeypatch):
    monkeypatch.setenv("OZG_TODAY", "27.11.2026")
    with pytest.raises(clock.InvalidClock, match="OZG_TODAY='27.11.2026' ist kein Datum. Erwartet JJJJ-MM-TT"):
        clock.today()


def test_the_suite_runs_on_the_sample_day():
    assert clock.today() == dt.date(2026, 11, 27)


def test_nothing_but_the_seam_reads_the_real_clock():
    offenders = []
    for path in sorted(REPO.glob("*/**/*.py")):
        rel = path.relative_to(REPO)
        skipped = {".venv", "node_modules", "mutants"}   # mutants/: mutmut's instrumented copy (make mutation)
        if rel.parts[0] in skipped or "node_modules" in rel.parts or rel == Path("ozg/clock.py") \
                or rel == Path(__file__).relative_to(REPO):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if REAL_CLOCK.search(line):
                offenders.append(f"{rel}:{number}: {line.strip()}")
    assert offenders == []
