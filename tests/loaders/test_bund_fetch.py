"""python -m loaders bund --url: paging, the same snapshot as a file, and every failure leaves the database as it was.

The API is played by a local HTTP server (127.0.0.1, a free port): no test reaches any other host.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import time
import urllib.parse
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from loaders import bund_fetch, cli
from ozg.db import Database
from tests.bund_support import FIXTURES
from tests.linkserver import local_server, refused_url

# The ten records of the bund fixtures (make_fixtures.py), served as three pages of 4, 4 and 2.
RECORDS = json.loads((FIXTURES / "bund_page.json").read_text(encoding="utf-8"))["content"]
SIZE = 4
PAGES = 3
REJECTED = "Abgelehnt: 1 Fehler, nichts wurde geändert."

Answer = tuple[int, bytes]  # HTTP status, body


def page_body(page: int, size: int = SIZE, **overrides) -> bytes:
    """The API's page object for `page` of RECORDS (Spring's fields), with some fields replaced."""
    content = RECORDS[page * size:(page + 1) * size]
    pages = -(-len(RECORDS) // size)
    body = {"content": content, "totalPages": pages, "totalElements": len(RECORDS), "number": page, "size": size,
            "numberOfElements": len(content), "first": page == 0, "last": page == pages - 1,
            "pageable": {"pageNumber": page, "pageSize": size}, "sort": {"sorted": False}} | overrides
    return json.dumps(body, ensure_ascii=False).encode("utf-8")


def _paged(page: int, size: int) -> Answer:
    return 200, page_body(page, size)


class _Api(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 — the name http.server calls
        parts = urllib.parse.urlsplit(self.path)
        query = dict(urllib.parse.parse_qsl(parts.query))
        self.server.requests.append((parts.path, query))
        status, body = self.server.answer(int(query.get("page", 0)), int(query.get("size", 20)))
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        with contextlib.suppress(OSError):
            self.wfile.write(body)

    def log_message(self, *args) -> None:  # keep pytest output clean
        pass


@contextlib.contextmanager
def api(answer: Callable[[int, int], Answer] = _paged) -> Iterator[ThreadingHTTPServer]:
    """A running fake API on 127.0.0.1; `server.url` is its /v1/data, `server.requests` what it was asked."""
    with local_server(_Api) as server:
        server.answer = answer
        server.url = f"http://127.0.0.1:{server.server_address[1]}/v1/data"
        yield server


@pytest.fixture(autouse=True)
def _small_pages(monkeypatch):
    monkeypatch.setattr(bund_fetch, "PAGE_SIZE", SIZE)


def _state(db) -> tuple[list, list]:
    """Everything the Bund import writes: snapshots (without the import time) and their records."""
    with db.connect() as conn:
        snapshots = conn.execute("SELECT id, CAST(stand AS TEXT), file_name, sha256, user_name, records, "
                                 "unknown_ozg_ids FROM bund_snapshot ORDER BY id")
        records = conn.execute("SELECT * FROM bund_record ORDER BY snapshot_id, record_no")
    return snapshots, records


def _bund(db, *args: str) -> int:
    return cli.main(["--db", db.url, "bund", *args, "--stand", "01.11.2026", "--user", "k"])


def test_all_pages_are_imported_as_one_snapshot_equal_to_the_file(db, tmp_path, capsys):
    file_db = Database(str(shutil.copy(db.url, tmp_path / "file.duckdb")))  # the same empty database, twice
    assert _bund(file_db, str(FIXTURES / "bund_page.json")) == 0
    capsys.readouterr()

    with api() as server:
        assert _bund(db, "--url", server.url) == 0
    assert capsys.readouterr().out == ("Bundesdaten: 10 Datensätze mit Stand 01.11.2026 importiert (Stand-Import 1, "
                                       "1 unbekannte OZG-ID).\n")
    assert server.requests == [("/v1/data", {"size": "4", "page": str(p)}) for p in range(PAGES)]
    (snapshot,), records = _state(db)
    (file_snapshot,), file_records = _state(file_db)
    assert records == file_records  # record numbers count across the pages, as in one file
    assert snapshot[2] == server.url and snapshot[5:] == file_snapshot[5:] == (10, 1)
    assert snapshot[1] == "2026-11-01" and snapshot[4] == "k"


def test_the_same_answer_again_is_already_imported(db, capsys):
    with api() as server:
        assert _bund(db, "--url", server.url) == 0
        assert _bund(db, "--url", server.url) == 0
    assert capsys.readouterr().out.splitlines()[-1] == (
        f"Bundesdaten: {server.url} mit Stand 01.11.2026 ist bereits importiert (Stand-Import 1); nichts geändert.")
    assert len(_state(db)[0]) == 1


def test_the_urls_own_parameters_are_kept_and_page_is_replaced(db):
    with api(lambda page, size: (200, page_body(page, size))) as server:
        url = server.url.replace("/v1/data", "/v1/data/065340000000") + "?includeBelow=true&size=5&page=7"
        assert _bund(db, "--url", url) == 0
    assert server.requests == [("/v1/data/065340000000", {"includeBelow": "true", "size": "5", "page": str(p)})
                               for p in range(2)]


def _on_page(number: int, status: int, body: bytes) -> Callable[[int, int], Answer]:
    """Pages as usual, except page `number` (0-based)."""
    return lambda page, size: (status, body) if page == number else _paged(page, size)


def _page_url(server, page: int) -> str:
    return f"{server.url}?size={SIZE}&page={page}"


HINT = bund_fetch.API_HINT
FAILURES = {
    "500 on page 2": (_on_page(1, 500, b'{"error": "boom"}'), lambda s: (
        f"Seite 2 ({_page_url(s, 1)}): Der Server antwortet mit HTTP 500 (Internal Server Error). Der Server ist "
        "gestört oder überlastet – später erneut abrufen.")),
    "404": (_on_page(0, 404, b""), lambda s: (
        f"Seite 1 ({_page_url(s, 0)}): Der Server antwortet mit HTTP 404 (Not Found). Die Adresse gibt es nicht. "
        f"{HINT}")),
    "not JSON": (_on_page(1, 200, b"<!doctype html><title>Wartung</title>"), lambda s: (
        f"Seite 2 ({_page_url(s, 1)}): Die Antwort ist kein gültiges JSON (lexical error: invalid char in json "
        f"text.). {HINT}")),
    "cut off JSON": (_on_page(2, 200, page_body(2)[:-40]), lambda s: (
        f"Seite 3 ({_page_url(s, 2)}): Die Antwort ist kein gültiges JSON (parse error: premature EOF). {HINT}")),
    "a list, not a page": (_on_page(0, 200, json.dumps(RECORDS).encode()), lambda s: (
        f"Seite 1 ({_page_url(s, 0)}): Die Antwort ist kein Seitenobjekt {{\"content\": […], \"totalPages\": …}}. "
        f"{HINT}")),
    "no content": (_on_page(1, 200, b'{"totalPages": 3, "number": 1}'), lambda s: (
        f"Seite 2 ({_page_url(s, 1)}): Die Antwort hat kein Feld „content“ mit den Datensätzen. {HINT}")),
    "no totalPages": (_on_page(0, 200, b'{"content": [{"ars": "065340014014"}]}'), lambda s: (
        f"Seite 1 ({_page_url(s, 0)}): Die Antwort nennt keine Seitenzahl („totalPages“) – erwartet eine ganze "
        f"Zahl. {HINT}")),
    "totalPages changes": (_on_page(2, 200, page_body(2, totalPages=4)), lambda s: (
        f"Seite 3 ({_page_url(s, 2)}): „totalPages“ ist jetzt 4, auf Seite 1 war es 3. Die Daten haben sich "
        "während des Abrufs geändert – bitte später erneut abrufen.")),
    "totalElements changes": (_on_page(1, 200, page_body(1, totalElements=11)), lambda s: (
        f"Seite 2 ({_page_url(s, 1)}): „totalElements“ ist jetzt 11, auf Seite 1 war es 10. Die Daten haben sich "
        "während des Abrufs geändert – bitte später erneut abrufen.")),
    "page ignored": (lambda page, size: _paged(0, size), lambda s: (
        f"Seite 2 ({_page_url(s, 1)}): Die Antwort ist die Seite mit „number“ 0 statt 1 – der Server beachtet "
        "den Parameter page nicht.")),
    "fewer records than totalElements": (_on_page(2, 200, page_body(2, content=[])), lambda s: (
        "Die API meldet 10 Datensätze (totalElements), geliefert wurden 8 auf 3 Seiten. Die Daten haben sich wohl "
        "während des Abrufs geändert – bitte später erneut abrufen.")),
    "no records": (lambda page, size: (200, page_body(0, content=[], totalPages=0, totalElements=0)), lambda s: (
        f"Die API liefert keine Datensätze (Seite 1: {_page_url(s, 0)}). {HINT}")),
    "too many pages": (_on_page(0, 200, page_body(0, totalPages=10_001)), lambda s: (
        f"Seite 1 ({_page_url(s, 0)}): Die API meldet 10.001 Seiten – mehr als die Obergrenze von 10.000. Größere "
        "Seiten (Parameter size) oder einen kleineren Ausschnitt abrufen.")),
}


@pytest.fixture
def db_with_a_snapshot(db, capsys):
    """A database that already holds one snapshot (from the CSV fixture): a failed fetch must leave it as it is."""
    assert _bund(db, str(FIXTURES / "bund.csv")) == 0
    capsys.readouterr()
    return db


@pytest.mark.parametrize("case", sorted(FAILURES))
def test_a_failed_fetch_names_url_and_page_exits_2_and_changes_nothing(db_with_a_snapshot, capsys, case):
    answer, message = FAILURES[case]
    before = _state(db_with_a_snapshot)
    with api(answer) as server:
        assert _bund(db_with_a_snapshot, "--url", server.url) == 2
    assert capsys.readouterr().err == f"Fehler: {server.url}: {message(server)}\n{REJECTED}\n"
    assert _state(db_with_a_snapshot) == before


def test_the_byte_cap_stops_the_download_and_changes_nothing(db_with_a_snapshot, capsys, monkeypatch):
    monkeypatch.setattr(bund_fetch, "MAX_BYTES", len(page_body(0)) + len(page_body(1)) + 10)  # page 3 breaks it
    before = _state(db_with_a_snapshot)
    with api() as server:
        assert _bund(db_with_a_snapshot, "--url", server.url) == 2
    cap = bund_fetch.MAX_BYTES
    assert capsys.readouterr().err == (
        f"Fehler: {server.url}: Seite 3 ({_page_url(server, 2)}): Der Abruf überschreitet die Obergrenze von "
        f"{cap // 1000}.{cap % 1000:03d} Bytes für alle Seiten zusammen. Einen kleineren "
        "Ausschnitt abrufen (z. B. /v1/data/{ars} für ein Land) oder die Obergrenze (MAX_BYTES in "
        f"loaders/bund_fetch.py) erhöhen.\n{REJECTED}\n")
    assert _state(db_with_a_snapshot) == before


def test_a_refused_connection_and_a_timeout_are_named(db_with_a_snapshot, capsys, monkeypatch):
    before = _state(db_with_a_snapshot)
    url = refused_url()
    assert _bund(db_with_a_snapshot, "--url", url) == 2
    assert capsys.readouterr().err == (
        f"Fehler: {url}: Seite 1 ({url}?size={SIZE}&page=0): Verbindung abgelehnt. Adresse und Netz prüfen oder "
        f"später erneut abrufen.\n{REJECTED}\n")

    monkeypatch.setattr(bund_fetch, "TIMEOUT", 0.2)
    with api(lambda page, size: time.sleep(1) or _paged(page, size)) as server:
        assert _bund(db_with_a_snapshot, "--url", server.url) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"Fehler: {server.url}: Seite 1 ({_page_url(server, 0)}): keine Antwort innerhalb von "
                          "0,2 s.")
    assert _state(db_with_a_snapshot) == before


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://127.0.0.1/v1/data", "127.0.0.1/v1/data", "http://",
                                 "http://[::1", "http://127.0.0.1:abc/v1/data", "http://127.0.0.1:99999/v1/data",
                                 "http://127.0.0.1:9/v1 data"])
def test_only_valid_http_and_https_urls_are_fetched(db, capsys, url):
    assert _bund(db, "--url", url) == 2
    assert capsys.readouterr().err == (f"Fehler: {url}: Das ist keine gültige http- oder https-Adresse. {HINT}\n"
                                       f"{REJECTED}\n")


@pytest.mark.parametrize("target", ["file:///etc/passwd", "ftp://127.0.0.1/data", "/v1/data"])
def test_a_redirect_elsewhere_than_http_or_in_a_loop_is_not_followed(db, capsys, target):
    class _Redirect(_Api):
        def do_GET(self) -> None:  # noqa: N802 — the name http.server calls
            self.server.requests.append(self.path)
            self.send_response(302)
            self.send_header("Location", target)
            self.send_header("Content-Length", "0")
            self.end_headers()

    with api() as server:
        server.RequestHandlerClass = _Redirect
        assert _bund(db, "--url", server.url) == 2
    assert capsys.readouterr().err == (
        f"Fehler: {server.url}: Seite 1 ({_page_url(server, 0)}): Der Server leitet weiter (HTTP 302) auf "
        f"„{target}“ – gefolgt wird höchstens 5 Weiterleitungen, nur auf http- oder https-Adressen. Die endgültige "
        f"Adresse der API angeben.\n{REJECTED}\n")
    assert len(server.requests) <= 6
    assert _state(db) == ([], [])


def test_exactly_one_of_file_and_url(db, capsys):
    message = "Fehler: Bitte genau eines angeben: eine Exportdatei oder --url ADRESSE der API.\n"
    assert _bund(db) == 2
    assert capsys.readouterr().err == message
    assert _bund(db, str(FIXTURES / "bund.csv"), "--url", "http://127.0.0.1:9/v1/data") == 2
    assert capsys.readouterr().err == message
    assert _state(db) == ([], [])


def test_a_stand_in_the_future_is_refused_before_anything_is_fetched(db, capsys):
    with api() as server:
        assert cli.main(["--db", db.url, "bund", "--url", server.url, "--stand", "01.12.2026"]) == 2
    assert server.requests == []
    assert "liegt in der Zukunft" in capsys.readouterr().err


def test_a_password_in_the_url_is_refused_and_never_shown(db_with_a_snapshot, capsys):
    before = _state(db_with_a_snapshot)
    with api() as server:
        assert _bund(db_with_a_snapshot, "--url", server.url.replace("http://", "http://bund:geheim@")) == 2
        assert server.requests == []
    out, err = capsys.readouterr()
    assert "geheim" not in out + err and "bund:" not in out + err
    assert "enthält einen Benutzernamen oder ein Kennwort" in err and server.url in err
    assert _state(db_with_a_snapshot) == before
