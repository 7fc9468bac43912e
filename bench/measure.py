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
    peak = 0.0
    spent = 0.0
    for _ in range(runs):
        if before:
            before()
        with PeakRss() as mem:
            start = time.perf_counter()
            fn()
            elapsed = time.perf_counter() - start
        times.append(elapsed)
        peak = max(peak, mem.peak_mb)
        spent += elapsed
        if budget_s is not None and spent > budget_s:
            break
    return Timing(times, peak)
