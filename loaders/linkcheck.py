"""Link check: does every Link a Kommune reported still lead to a working page? (python -m loaders linkcheck)

Standard library only (urllib + a thread pool): a check is a HEAD request, and a GET when HEAD fails with an HTTP
error (many portals answer 403/405/501 to HEAD); redirects are followed up to MAX_REDIRECTS, keeping the method.
Concurrency is bounded in total and per host, so a city's portal never sees more than PER_HOST requests at once.
The network is used before the database is opened for writing: a slow portal never holds the DuckDB file.
"""

from __future__ import annotations

import http.client
import threading
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import pandas as pd

from loaders.no_answer import no_answer
from ozg import clock, kommunen, link_store, links
from ozg.db import Database
from ozg.link_store import LinkResult

MAX_REDIRECTS = 5
WORKERS = 8
PER_HOST = 2
USER_AGENT = ("OZG-Cockpit-Linkpruefung/1.0 (Interkommunale Kooperation OZG; prüft die auf den Stadtportalen "
              "gemeldeten Links der Online-Dienste, etwa einmal am Tag)")


class _Redirects(urllib.request.HTTPRedirectHandler):
    """Follow at most MAX_REDIRECTS redirects and keep HEAD a HEAD (urllib would turn it into a GET)."""

    max_redirections = MAX_REDIRECTS

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        new = super().redirect_request(req, fp, code, msg, headers, newurl)
        if new is not None and req.get_method() == "HEAD":
            new.method = "HEAD"
        return new


_OPENER = urllib.request.build_opener(_Redirects())


@dataclass(frozen=True)
class _Answer:
    status: int | None
    final_url: str | None
    error: str | None


def _request(url: str, method: str, timeout: float) -> _Answer:
    request = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT, "Accept": "*/*"})
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            return _Answer(response.status, response.geturl(), None)
    except urllib.error.HTTPError as exc:
        exc.close()
        if 300 <= exc.code < 400:
            return _Answer(exc.code, exc.geturl(), f"mehr als {MAX_REDIRECTS} Weiterleitungen")
        return _Answer(exc.code, exc.geturl(), f"HTTP {exc.code}")
    except urllib.error.URLError as exc:
        return _Answer(None, None, no_answer(exc.reason, timeout))
    except TimeoutError as exc:  # a read timeout after the headers is not wrapped in URLError
        return _Answer(None, None, no_answer(exc, timeout))
    except (http.client.HTTPException, OSError, ValueError) as exc:
        return _Answer(None, None, f"Fehler beim Abruf ({type(exc).__name__})")


def check_url(url: str, timeout: float = 10.0) -> _Answer:
    """HEAD, then GET when HEAD got an HTTP error status (no second try after a timeout or refused connection)."""
    answer = _request(url, "HEAD", timeout)
    if answer.status is not None and answer.status >= 400:
        answer = _request(url, "GET", timeout)
    return answer


class _HostLimit:
    """At most PER_HOST requests at the same time to one host."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._hosts: dict[str, threading.BoundedSemaphore] = {}

    def __call__(self, url: str) -> threading.BoundedSemaphore:
        host = (urllib.parse.urlsplit(url).hostname or "").lower()
        with self._lock:
            return self._hosts.setdefault(host, threading.BoundedSemaphore(PER_HOST))


def check_targets(frame: pd.DataFrame, timeout: float = 10.0) -> list[LinkResult]:
    """Check every row (ags, ozg_id, url) of a links.targets() frame, in the frame's order."""
    limit = _HostLimit()

    def one(row) -> LinkResult:
        with limit(row.url):
            answer = check_url(row.url.strip(), timeout)
        return LinkResult(row.ags, row.ozg_id, row.url, answer.status, answer.error, answer.final_url, clock.now())

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        return list(pool.map(one, frame.itertuples(index=False)))


@dataclass(frozen=True)
class RunOutcome:
    run_id: int
    checked: int
    broken: pd.DataFrame  # kommune, ozg_id, leistung, url, http_status, error


def run(db: Database, city: str | None = None, timeout: float = 10.0) -> RunOutcome:
    """Check the Links of one Kommune (AGS or name) or of all, store the results, return the broken ones."""
    ags = None
    if city:
        with db.connect() as conn:
            ags = kommunen.resolve(conn, city).ags
    frame = links.targets(db, ags)
    started = clock.now()
    results = check_targets(frame, timeout)
    run_id = link_store.record_run(db, results, ags, started)
    verdicts = pd.DataFrame([(r.ok, r.http_status, r.error) for r in results],
                            columns=["ok", "http_status", "error"], index=frame.index)
    checked = frame.join(verdicts)
    failed = checked[~checked["ok"].astype(bool)] if len(checked) else checked
    return RunOutcome(run_id, len(results), failed.reset_index(drop=True))


def broken_line(row) -> str:
    """`Kommune, OZG-ID, Leistung: <status> <url>` — the line cron mails to the coordinators."""
    return f"{row.kommune}, {row.ozg_id}, {row.leistung}: {row.error} {row.url}"
