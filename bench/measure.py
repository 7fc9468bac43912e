"""Timing and memory helpers for the benchmark: repeated runs with min/median and peak resident memory."""

from __future__ import annotations

import os
import statistics
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

_PAGE = os.sysconf("SC_PAGE_SIZE")


def rss_bytes() -> int:
    """Resident memory of this process now (Linux /proc)."""
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * _PAGE


class PeakRss:
    """Samples this process's resident memory every few ms; .peak_mb = highest RSS above the start (MiB)."""

    def __init__(self, interval: float = 0.003):
        self.interval = interval
        self.base = self.peak = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def __enter__(self) -> PeakRss:
        self.base = self.peak = rss_bytes()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, rss_bytes())
            time.sleep(self.interval)

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, rss_bytes())

    @property
    def peak_mb(self) -> float:
        return (self.peak - self.base) / 2**20


@dataclass
class Timing:
    runs: list[float]
    peak_mb: float | None
    cpu: list[float] | None = None  # process CPU seconds (all threads) per run: robust against a busy machine

    @property
    def cpu_median(self) -> float | None:
        return statistics.median(self.cpu) if self.cpu else None

    @property
    def min(self) -> float:
        return min(self.runs)

    @property
    def median(self) -> float:
        return statistics.median(self.runs)


def repeat(fn: Callable[[], object], runs: int, budget_s: float | None = None,
           before: Callable[[], object] | None = None) -> Timing:
    """Run fn `runs` times (fewer if the time budget is used up, at least once); `before` runs untimed."""
    times: list[float] = []
    cpu: list[float] = []
    peak = 0.0
    spent = 0.0
    for _ in range(runs):
        if before:
            before()
        with PeakRss() as mem:
            start, start_cpu = time.perf_counter(), time.process_time()
            fn()
            elapsed = time.perf_counter() - start
            cpu.append(time.process_time() - start_cpu)
        times.append(elapsed)
        peak = max(peak, mem.peak_mb)
        spent += elapsed
        if budget_s is not None and spent > budget_s:
            break
    return Timing(times, peak, cpu)


def open_connection_db(db):
    """A Database whose connect() reuses one open connection: the query cost without DuckDB's ~30 ms instance
    start per connection (the app never does this — it closes connections so a cron import can write)."""
    import contextlib

    from ozg.db import Conn, Database

    class _Open(Database):
        def __init__(self, url: str):
            super().__init__(url)
            self._raw = self._open()

        @contextlib.contextmanager
        def connect(self):
            yield Conn(self._raw, self.kind)

        def close(self) -> None:
            self._raw.close()

    return _Open(db.url)
