"""Fetch the federal dashboard's open-data API page by page and import it like a downloaded file.

`GET /v1/data` (or `/v1/data/{ars}`) answers with Spring-style pages `{"content": [...], "totalPages": n,
"totalElements": m, "number": i, "size": s, …}`, `page` 0-based. The pages are requested one after the other and
their records streamed into ONE temporary JSON list, which `bund_import.import_bund_file` then checks and stores
exactly as a file (same checks, all or nothing, dated snapshot; the URL is shown as the file name).

Everything network-side happens before the database is written: a failed or partial download stores nothing, and a
slow server never holds the DuckDB file. Each page is first written to disk (counted against MAX_BYTES) and then
parsed with ijson, so neither all pages nor a single large page are ever held in memory.
"""

from __future__ import annotations

import datetime as dt
import http.client
import json
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, NoReturn

from loaders import bund_import
from loaders.bund_import import BundImport
from loaders.file_kind import UNREADABLE
from loaders.no_answer import no_answer
from loaders.problems import FileRejected, Problem
from ozg import clock, fmt, migrations
from ozg.db import Database

MAX_BYTES = 2 * 1024**3   # all pages together; a national export (about a million records) is well below
MAX_PAGES = 10_000        # at PAGE_SIZE records a page: ten times a national export
PAGE_SIZE = 1000          # sent as `size` unless the URL names its own
TIMEOUT = 60.0            # seconds without an answer (connecting or between two reads), per request
MAX_REDIRECTS = 5
CHUNK = 1 << 16
USER_AGENT = "OZG-Cockpit-Bundabgleich/1.0 (Interkommunale Kooperation OZG; Abruf der offenen Daten)"
API_HINT = ("Erwartet wird die Adresse der API zum Digitalisierungsfortschritt, z. B. "
            "https://…/v1/data oder https://…/v1/data/{ars} (ohne filetype).")


class _HttpOnlyRedirects(urllib.request.HTTPRedirectHandler):
    """Follow at most MAX_REDIRECTS redirects, only to http(s) (urllib itself would also follow one to ftp://)."""

    max_redirections = MAX_REDIRECTS

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if urllib.parse.urlsplit(newurl).scheme.lower() not in ("http", "https"):
            raise urllib.error.HTTPError(newurl, code, msg, headers, fp)  # reported as a refused redirect
        return super().redirect_request(req, fp, code, msg, headers, newurl)


_OPENER = urllib.request.build_opener(_HttpOnlyRedirects())


@dataclass(frozen=True)
class Fetched:
    """What a download brought: pages requested, records written, bytes received."""

    pages: int
    records: int
    bytes: int


@dataclass
class _Totals:
    """totalPages/totalElements of the first page; every later page must say the same."""

    pages: int
    elements: int | None


def import_bund_url(db: Database, url: str, stand: dt.date | None, user: str) -> BundImport:
    """Download every page of `url`, then import the records as one snapshot (nothing is stored on any failure)."""
    migrations.require_current(db)  # before a long download, not after it
    outcome = BundImport(shown(url), stand or clock.today())
    if (problem := bund_import.future_stand(shown(url), outcome.stand)) is not None:
        outcome.problems.append(problem)
        return outcome
    with tempfile.TemporaryDirectory(prefix="ozg-bund-") as folder:
        target = Path(folder) / "bund.json"
        try:
            fetch_to_file(url, target, Path(folder) / "page.json")
        except FileRejected as exc:
            outcome.problems.append(exc.problem)
            return outcome
        return bund_import.import_bund_file(db, target, outcome.stand, user, file_name=shown(url))


def fetch_to_file(url: str, target: Path, page_file: Path) -> Fetched:
    """Write the records of all pages of `url` to `target` as one JSON list; whole-download problems raise."""
    _check_url(url)
    received = records = page = 0
    totals: _Totals | None = None
    with target.open("w", encoding="utf-8") as out:
        out.write("[")
        while totals is None or page < totals.pages:
            page_url = _page_url(url, page)
            received += _download(url, page_url, page, page_file, MAX_BYTES - received)
            meta, count = _copy_records(url, page_url, page, page_file, out, records)
            records += count
            totals = _check_page(url, page_url, page, meta, totals)
            page += 1
            if count == 0:  # an empty page ends the answer even if totalPages promised more
                break
        out.write("]\n")
    if records == 0:
        _reject(url, f"Die API liefert keine Datensätze (Seite 1: {_page_url(url, 0)}). {API_HINT}")
    if totals.elements is not None and records != totals.elements:
        _reject(url, f"Die API meldet {fmt.number(totals.elements)} Datensätze (totalElements), geliefert wurden "
                     f"{fmt.number(records)} auf {fmt.counted(page, 'Seite', 'Seiten')}. Die Daten haben sich "
                     "wohl während des Abrufs geändert – bitte später erneut abrufen.")
    return Fetched(page, records, received)


def _reject(url: str, message: str) -> NoReturn:
    credentials = _credentials(url)
    if credentials:   # a password in the URL never reaches a message, a log or the snapshot's file name
        message = message.replace(credentials, "")
    raise FileRejected(Problem(shown(url), message, code=UNREADABLE))


def _credentials(url: str) -> str:
    """The `user:password@` part of a URL, or ''."""
    try:
        netloc = urllib.parse.urlsplit(url).netloc
    except ValueError:
        return ""
    return netloc.rpartition("@")[0] + "@" if "@" in netloc else ""


def shown(url: str) -> str:
    """The URL as it may be shown and stored: without user name and password."""
    credentials = _credentials(url)
    return url.replace(credentials, "", 1) if credentials else url


def _where(page: int, page_url: str) -> str:
    return f"Seite {page + 1} ({page_url})"


def _check_url(url: str) -> None:
    try:
        parts = urllib.parse.urlsplit(url)
        valid = parts.scheme.lower() in ("http", "https") and bool(parts.hostname) and parts.port != 0
    except ValueError:  # e.g. "http://[::1", a port that is not a number or above 65535
        valid = False
    if not valid or any(c.isspace() or not c.isprintable() for c in url):
        _reject(url, f"Das ist keine gültige http- oder https-Adresse. {API_HINT}")
    if _credentials(url):
        _reject(url, "Die Adresse enthält einen Benutzernamen oder ein Kennwort – die offene API braucht keine "
                     "Anmeldung, und ein Kennwort gehört nicht in eine Adresse, die gespeichert und angezeigt wird. "
                     "Bitte ohne „name:kennwort@“ angeben.")


def _page_url(url: str, page: int) -> str:
    """`url` with page=N (replacing any page it names) and size=PAGE_SIZE unless it names its own size."""
    parts = urllib.parse.urlsplit(url)
    query = [(k, v) for k, v in urllib.parse.parse_qsl(parts.query, keep_blank_values=True) if k != "page"]
    if not any(k == "size" for k, _ in query):
        query.append(("size", str(PAGE_SIZE)))
    query.append(("page", str(page)))
    return urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(query)))


def _download(url: str, page_url: str, page: int, page_file: Path, allowed: int) -> int:
    """Write one page's body to page_file; the bytes received. Stops as soon as more than `allowed` arrive."""
    where = _where(page, page_url)
    request = urllib.request.Request(page_url, headers={"User-Agent": USER_AGENT, "Accept": "application/json"})
    received = 0
    try:
        with _OPENER.open(request, timeout=TIMEOUT) as response, page_file.open("wb") as fh:
            while block := response.read(CHUNK):
                received += len(block)
                if received > allowed:
                    _reject(url, f"{where}: Der Abruf überschreitet die Obergrenze von {_size(MAX_BYTES)} für alle "
                                 "Seiten zusammen. Einen kleineren Ausschnitt abrufen "
                                 "(z. B. /v1/data/{ars} für ein Land) oder die Obergrenze (MAX_BYTES in "
                                 "loaders/bund_fetch.py) erhöhen.")
                fh.write(block)
    except urllib.error.HTTPError as exc:
        exc.close()
        if 300 <= exc.code < 400:
            target = exc.headers.get("Location") or exc.headers.get("URI") or "?"
            _reject(url, f"{where}: Der Server leitet weiter (HTTP {exc.code}) auf „{target}“ – gefolgt wird "
                         f"höchstens {MAX_REDIRECTS} Weiterleitungen, nur auf http- oder https-Adressen. Die "
                         "endgültige Adresse der API angeben.")
        _reject(url, f"{where}: Der Server antwortet mit HTTP {exc.code} ({exc.reason}). {_http_hint(exc.code)}")
    except urllib.error.URLError as exc:
        _reject(url, f"{where}: {no_answer(exc.reason, TIMEOUT)}. Adresse und Netz prüfen oder später erneut abrufen.")
    except (TimeoutError, http.client.HTTPException, ConnectionError) as exc:  # while reading the body
        _reject(url, f"{where}: {no_answer(exc, TIMEOUT)}. Später erneut abrufen.")
    return received


def _http_hint(code: int) -> str:
    if code in (401, 403):
        return "Die API verlangt eine Anmeldung oder verweigert den Zugriff – Adresse prüfen."
    if code == 404:
        return f"Die Adresse gibt es nicht. {API_HINT}"
    if code == 429 or code >= 500:
        return "Der Server ist gestört oder überlastet – später erneut abrufen."
    return f"Adresse und Parameter prüfen. {API_HINT}"


def _size(count: int) -> str:
    return f"{fmt.number(count / 1024**3, 1)} GiB" if count >= 1024**3 else f"{fmt.number(count)} Bytes"


def _copy_records(url: str, page_url: str, page: int, page_file: Path, out: IO[str],
                  written: int) -> tuple[dict, int]:
    """Append the page's records to `out`, a JSON list holding `written` records; (top-level scalars, count)."""
    import ijson

    where = _where(page, page_url)
    meta: dict = {}
    count = 0
    with page_file.open("rb") as fh:
        try:
            for item in _page_items(fh, meta):
                if written + count:
                    out.write(",\n")
                out.write(json.dumps(item, ensure_ascii=False))
                count += 1
        except ijson.JSONError as exc:
            detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            _reject(url, f"{where}: Die Antwort ist kein gültiges JSON ({detail}). {API_HINT}")
        except _NotAPage as exc:
            _reject(url, f"{where}: {exc} {API_HINT}")
    if "content" not in meta:
        _reject(url, f"{where}: Die Antwort hat kein Feld „content“ mit den Datensätzen. {API_HINT}")
    return meta, count


class _NotAPage(Exception):
    """The JSON is valid but not a page object."""


def _page_items(fh, meta: dict) -> Iterator[object]:
    """Yield the items of `content` in one pass; top-level scalars (totalPages, …) are collected into meta."""
    import ijson

    events = ijson.parse(fh, use_float=True)
    _, event, _ = next(events)
    if event != "start_map":
        raise _NotAPage("Die Antwort ist kein Seitenobjekt {\"content\": […], \"totalPages\": …}.")
    builder = None
    for prefix, event, value in events:
        if builder is not None:
            builder.event(event, value)
            if prefix == "content.item" and event in ("end_map", "end_array"):
                yield builder.value
                builder = None
        elif prefix == "content.item":
            if event in ("start_map", "start_array"):
                builder = ijson.ObjectBuilder()
                builder.event(event, value)
            else:
                yield value  # a scalar record: the importer names it („ist kein Objekt“)
        elif prefix == "content":
            if event not in ("start_array", "end_array"):
                raise _NotAPage("Das Feld „content“ ist keine Liste von Datensätzen.")
            meta["content"] = True
        elif "." not in prefix and event in ("number", "string", "boolean", "null"):
            meta[prefix] = value


def _check_page(url: str, page_url: str, page: int, meta: dict, totals: _Totals | None) -> _Totals:
    """The first page's totals; later pages must repeat them and say they are the page that was asked for."""
    where = _where(page, page_url)
    pages, elements, number = meta.get("totalPages"), meta.get("totalElements"), meta.get("number")
    if not _count(pages):
        _reject(url, f"{where}: Die Antwort nennt keine Seitenzahl („totalPages“) – erwartet eine ganze Zahl. "
                     f"{API_HINT}")
    if number is not None and number != page:
        _reject(url, f"{where}: Die Antwort ist die Seite mit „number“ {number!r} statt {page} – der Server "
                     "beachtet den Parameter page nicht.")
    if totals is None:
        if pages > MAX_PAGES:
            _reject(url, f"{where}: Die API meldet {fmt.number(pages)} Seiten – mehr als die Obergrenze von "
                         f"{fmt.number(MAX_PAGES)}. Größere Seiten (Parameter size) oder einen kleineren "
                         "Ausschnitt abrufen.")
        return _Totals(pages, elements if _count(elements) else None)
    for name, before, now in (("totalPages", totals.pages, pages), ("totalElements", totals.elements, elements)):
        if before is not None and now != before:
            _reject(url, f"{where}: „{name}“ ist jetzt {now!r}, auf Seite 1 war es {before!r}. Die Daten haben "
                         "sich während des Abrufs geändert – bitte später erneut abrufen.")
    return totals


def _count(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0

