"""Service directory: exactly the online Leistungen, JSON contract, self-contained HTML, broken Links, CLI, ZIP."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import zipfile
from html.parser import HTMLParser

import pytest

from ozg import clock, link_store, status
from ozg.batches import BatchInfo
from ozg.domain import StatusUpdate
from reports import cli, verzeichnis

MARBURG, GIESSEN = "06534014", "06531005"
PAST = dt.datetime(2026, 10, 1, 9, 0)


def _set(db, ags, rows: dict[str, dict], when: dt.datetime | None = None) -> None:
    status.apply_updates(db, ags, [StatusUpdate(oid, values) for oid, values in rows.items()],
                         BatchInfo("status", "test", "t.xlsx", "0" * 64, ags, created_at=when))


def _fill(db):
    """Marburg by hand: 10000 online, E2E, built by Gießen · 10001 Reifegrad 2 · 10002 online, Link broken ·
    10003 Reifegrad 3 but 'nicht relevant' · 10004 online without Link · 10107 online since October (Bauen &
    Wohnen). Gießen: 10005 online (not Marburg's)."""
    _set(db, MARBURG, {"10107": {"reifegrad": 3, "status": "online", "link": "https://m.example/bau"}}, PAST)
    _set(db, MARBURG, {
        "10000": {"reifegrad": 4, "status": "online", "link": "https://m.example/eltern", "ende_zu_ende": True,
                  "federfuehrung": GIESSEN},
        "10001": {"reifegrad": 2, "status": "Umsetzung", "link": "https://m.example/vater"},
        "10002": {"reifegrad": 3, "status": "online", "link": "https://m.example/kaputt"},
        "10003": {"reifegrad": 3, "status": "nicht relevant", "link": "https://m.example/nr"},
        "10004": {"reifegrad": 3, "status": "online"},
    })
    _set(db, GIESSEN, {"10005": {"reifegrad": 4, "status": "online", "link": "https://g.example/kg"}})
    now = clock.now()
    link_store.record_run(db, [
        link_store.LinkResult(MARBURG, "10002", "https://m.example/kaputt", 404, "HTTP 404", None, now),
        link_store.LinkResult(MARBURG, "10000", "https://m.example/eltern", 200, None, None, now),
    ], None, now)
    return db


@pytest.fixture
def city_db(any_db):
    return _fill(any_db)


def test_json_holds_exactly_the_online_leistungen_with_the_contract_fields(city_db):
    data = json.loads(verzeichnis.to_json(verzeichnis.build(city_db, "marburg")))
    assert data == {
        "kommune": {"ags": MARBURG, "name": "Marburg", "portal": "https://digital.marburg.de"},
        "stand": "2026-11-27",
        "leistungen": [
            {"ozg_id": "10107", "name": "Eigenheimzulage", "themenfeld": "Bauen & Wohnen",
             "link": "https://m.example/bau", "ende_zu_ende": False, "federfuehrung": None},
            {"ozg_id": "10000", "name": "Elterngeld", "themenfeld": "Familie & Kind",
             "link": "https://m.example/eltern", "ende_zu_ende": True, "federfuehrung": "Gießen"},
            {"ozg_id": "10002", "name": "Familienversicherung", "themenfeld": "Familie & Kind",
             "link": None, "ende_zu_ende": False, "federfuehrung": None},
            {"ozg_id": "10004", "name": "Hebammenhilfe", "themenfeld": "Familie & Kind",
             "link": None, "ende_zu_ende": False, "federfuehrung": None},
        ],
    }


def test_as_of_reads_the_state_of_that_day(city_db):
    directory = verzeichnis.build(city_db, MARBURG, as_of=dt.date(2026, 10, 31))
    assert [(e.ozg_id, e.link) for e in directory.entries] == [("10107", "https://m.example/bau")]
    assert directory.stand == dt.date(2026, 10, 31)


class _Collect(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def _parse(html: str) -> _Collect:
    parser = _Collect()
    parser.feed(html)
    return parser


def test_page_is_self_contained_german_and_never_links_a_broken_link(city_db):
    files = verzeichnis.render_files(verzeichnis.build(city_db, MARBURG))
    page = files["index.html"].decode()
    parsed = _parse(page)
    assert parsed.tags[0] == ("html", {"lang": "de"})
    # nothing is loaded: no external resources of any kind, no src attributes, no CSS url()/@import
    assert not [t for t, a in parsed.tags if t in ("img", "iframe", "link", "object", "embed", "video", "audio")]
    assert not [a for _, a in parsed.tags if "src" in a]
    assert not re.search(r"url\(|@import|https?://[^\"' ]+\.(js|css|woff2?)", page)
    hrefs = [a["href"] for t, a in parsed.tags if t == "a"]
    external = [h for h in hrefs if not h.startswith("#")]
    assert external == ["https://digital.marburg.de", "https://digital.marburg.de", "https://m.example/bau",
                        "https://m.example/eltern", "https://digital.marburg.de"]
    assert "https://m.example/kaputt" not in page
    text = " ".join(" ".join(parsed.text).split())
    assert "Familienversicherung Online-Dienst vorübergehend nicht erreichbar" in text
    assert "Elterngeld Ende-zu-Ende digital (mit Bezahlung) · entwickelt von Gießen" in text
    assert "Hebammenhilfe kein direkter Link hinterlegt – bitte im Serviceportal digital.marburg.de suchen" in text
    assert "In Marburg können Sie 4 Leistungen online erledigen (Stand 27.11.2026)" in text
    assert "Ein Online-Dienst ist vorübergehend nicht erreichbar" in text
    for absent in ("Erklärung zur Vaterschafts", "Geburtsanzeige", "Kindergeld"):  # 10001, 10003, Gießen's 10005
        assert absent not in text
    assert [h for t, a in parsed.tags if t == "h1" for h in [a]] == [{}]
    assert "<h1>" not in files["fragment.html"].decode()
    assert files["fragment.html"].decode() in page


def test_only_web_addresses_become_links_and_names_are_escaped(db):
    # the import refuses such Links; the directory does not rely on it (it is published on the city's website)
    with db.transaction() as conn:
        conn.execute("UPDATE kommune SET portal_url = 'javascript:alert(1)' WHERE ags = ?", [MARBURG])
        conn.execute("UPDATE leistung SET name = '<b>Elterngeld</b>' WHERE ozg_id = '10000'")
    _set(db, MARBURG, {"10000": {"reifegrad": 3, "status": "online", "link": "javascript:alert(2)"}})
    directory = verzeichnis.build(db, MARBURG)
    assert (directory.portal, directory.entries[0].link) == (None, None)
    page = verzeichnis.render_files(directory)["index.html"].decode()
    assert "javascript:" not in page and "<b>" not in page and "&lt;b&gt;Elterngeld&lt;/b&gt;" in page


def test_singular_and_empty_list(any_db):
    _set(any_db, MARBURG, {"10000": {"reifegrad": 3, "status": "online", "link": "https://m.example/e"}})
    text = verzeichnis.render_files(verzeichnis.build(any_db, MARBURG))["index.html"].decode()
    assert "In Marburg können Sie 1 Leistung online erledigen" in text
    empty = verzeichnis.render_files(verzeichnis.build(any_db, GIESSEN))["index.html"].decode()
    assert "Zurzeit ist hier noch keine Leistung online verfügbar." in empty
    assert 'role="search"' not in empty


def test_zip_holds_the_three_files(city_db):
    directory = verzeichnis.build(city_db, MARBURG)
    with zipfile.ZipFile(io.BytesIO(verzeichnis.zip_bytes(directory))) as archive:
        assert archive.namelist() == ["verzeichnis-marburg/index.html", "verzeichnis-marburg/fragment.html",
                                      "verzeichnis-marburg/leistungen.json"]
        assert json.loads(archive.read("verzeichnis-marburg/leistungen.json"))["kommune"]["ags"] == MARBURG


@pytest.mark.parametrize(("name", "folder"), [("Gießen", "giessen"), ("Limburg an der Lahn", "limburg-an-der-lahn"),
                                              ("Marburg", "marburg")])
def test_folder_names(name, folder):
    assert verzeichnis.folder_name(name) == folder


def test_cli_city_and_all(db, tmp_path, capsys):
    city_db = _fill(db)
    assert cli.main(["--db", city_db.url, "verzeichnis", "--city", "Marburg", "-o", str(tmp_path / "m")]) == 0
    assert sorted(p.name for p in (tmp_path / "m").iterdir()) == ["fragment.html", "index.html", "leistungen.json"]
    assert capsys.readouterr().out == (
        f"Verzeichnis Marburg (Stand 27.11.2026): 4 Leistungen, 1 vorübergehend nicht erreichbar → {tmp_path / 'm'}\n")
    assert cli.main(["verzeichnis", "--all", "-o", str(tmp_path / "alle"), "--db", city_db.url,
                     "--as-of", "31.10.2026"]) == 0
    assert sorted(p.name for p in (tmp_path / "alle").iterdir()) == [
        "fulda", "giessen", "limburg-an-der-lahn", "marburg", "wetzlar"]
    saved = json.loads((tmp_path / "alle" / "marburg" / "leistungen.json").read_text(encoding="utf-8"))
    assert (saved["stand"], [e["ozg_id"] for e in saved["leistungen"]]) == ("2026-10-31", ["10107"])


@pytest.mark.parametrize(("args", "message"), [
    (["--city", "Atlantis"], "Kommune „Atlantis“ ist nicht bekannt"),
    (["--city", "Marburg", "--as-of", "2027-01-01"], "liegt in der Zukunft"),
    (["--city", "Marburg", "--all"], "not allowed with argument"),
    ([], "one of the arguments --city --all is required"),
])
def test_cli_usage_errors_exit_2(db, tmp_path, capsys, args, message):
    argv = ["--db", db.url, "verzeichnis", "-o", str(tmp_path / "out"), *args]
    try:
        code = cli.main(argv)
    except SystemExit as exc:
        code = exc.code
    assert code == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "out").exists()
