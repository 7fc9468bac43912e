"""Link check against a local HTTP server (tests/linkserver.py): verdicts, stored history, CLI lines and exit codes."""

from __future__ import annotations

import pytest

from loaders import cli, linkcheck
from ozg import links, status
from ozg.batches import BatchInfo
from ozg.domain import StatusUpdate
from tests.linkserver import link_server, refused_url

MARBURG, GIESSEN = "06534014", "06531005"


def set_links(db, ags: str, urls: dict[str, str | None]) -> None:
    updates = [StatusUpdate(oid, {"reifegrad": 3, "status": "online", "link": url}) for oid, url in urls.items()]
    status.apply_updates(db, ags, updates, BatchInfo("status", "test", "t.xlsx", "0" * 64, ags))


@pytest.fixture
def server():
    with link_server() as running:
        yield running


@pytest.mark.parametrize(("path", "status_code", "error", "final_path"), [
    ("/ok", 200, None, "/ok"),
    ("/moved", 200, None, "/ok"),
    ("/no-head", 200, None, "/no-head"),
    ("/missing", 404, "HTTP 404", "/missing"),
    ("/error", 500, "HTTP 500", "/error"),
    ("/loop", 302, "mehr als 5 Weiterleitungen", "/loop"),
])
def test_each_answer_gets_its_verdict(server, path, status_code, error, final_path):
    answer = linkcheck.check_url(server.url(path), timeout=2)
    assert (answer.status, answer.error, answer.final_url) == (status_code, error, server.url(final_path))


def test_a_slow_server_is_a_timeout_and_is_not_asked_twice(server):
    answer = linkcheck.check_url(server.url("/slow"), timeout=0.5)
    assert (answer.status, answer.error) == (None, "keine Antwort innerhalb von 0,5 s")  # German decimal comma
    assert [r[0] for r in server.requests] == ["HEAD"]


def test_a_closed_port_is_connection_refused():
    answer = linkcheck.check_url(refused_url(), timeout=2)
    assert (answer.status, answer.error) == (None, "Verbindung abgelehnt")


def test_head_first_kept_across_redirects_get_only_as_fallback_polite_agent(server):
    linkcheck.check_url(server.url("/moved"), timeout=2)
    linkcheck.check_url(server.url("/no-head"), timeout=2)
    assert [(m, p) for m, p, _ in server.requests] == [
        ("HEAD", "/moved"), ("HEAD", "/ok"), ("HEAD", "/no-head"), ("GET", "/no-head")]
    assert {ua for _, _, ua in server.requests} == {linkcheck.USER_AGENT}
    assert "OZG-Cockpit" in linkcheck.USER_AGENT


def test_five_redirects_are_followed_a_sixth_is_not(server):
    assert linkcheck.check_url(server.url("/hop/5"), timeout=2).error is None
    server.requests.clear()
    answer = linkcheck.check_url(server.url("/hop/6"), timeout=2)
    assert (answer.status, answer.error) == (301, "mehr als 5 Weiterleitungen")
    assert len(server.requests) == 1 + 5  # the first request and five redirects followed, then it gives up


def test_cli_prints_one_line_per_broken_link_exit_1_and_stores_history(any_db, server, capsys):
    refused = refused_url()
    set_links(any_db, MARBURG, {"10000": server.url("/ok"), "10001": server.url("/missing"),
                                "10002": server.url("/moved"), "10003": None})
    set_links(any_db, GIESSEN, {"10000": refused})

    code = cli.main(["--db", any_db.url, "linkcheck", "--timeout", "2"])

    out = capsys.readouterr().out.splitlines()
    assert code == 1
    assert out == [
        f"Gießen, 10000, Elterngeld: Verbindung abgelehnt {refused}",
        f"Marburg, 10001, Erklärung zur Vaterschafts-/Mutterschaftsanerkennung: HTTP 404 {server.url('/missing')}",
        "Linkprüfung 1: 4 Links geprüft, 2 nicht erreichbar.",
    ]
    stored = links.latest_checks(any_db).sort_values(["ags", "ozg_id"])
    stored = stored.astype(object).where(stored.notna(), None)
    assert stored[["ags", "ozg_id", "http_status", "ok"]].values.tolist() == [
        [GIESSEN, "10000", None, False], [MARBURG, "10000", 200, True], [MARBURG, "10001", 404, False],
        [MARBURG, "10002", 200, True]]
    assert stored.set_index("ozg_id").loc["10002", "final_url"] == server.url("/ok")
    assert links.broken(any_db)[["kommune", "ozg_id"]].values.tolist() == [["Gießen", "10000"],
                                                                         ["Marburg", "10001"]]

    # fixed at the source: the next run finds nothing broken, exit 0, and the history keeps both checks
    set_links(any_db, MARBURG, {"10001": server.url("/ok")})
    code = cli.main(["--db", any_db.url, "linkcheck", "--city", "Marburg", "--timeout", "2"])
    assert code == 0
    assert capsys.readouterr().out.splitlines() == ["Linkprüfung 2: 3 Links geprüft, 0 nicht erreichbar."]
    assert links.history(any_db, MARBURG, "10001")["http_status"].tolist() == [200, 404]
    assert links.broken(any_db, MARBURG).empty
    assert links.last_run(any_db)["checked"] == 3


def test_a_changed_link_is_no_longer_broken_before_the_next_check(db, server):
    set_links(db, MARBURG, {"10000": server.url("/missing")})
    linkcheck.run(db, "Marburg", timeout=2)
    assert len(links.broken(db, MARBURG)) == 1
    set_links(db, MARBURG, {"10000": server.url("/ok")})
    assert links.broken(db, MARBURG).empty


@pytest.mark.parametrize(("args", "message"), [
    (["linkcheck", "--timeout", "0"], "erwartet mehr als 0"),
    (["linkcheck", "--timeout", "zehn"], "keine Zahl von Sekunden"),
    (["linkcheck", "--city", "Atlantis"], "Kommune „Atlantis“ ist nicht bekannt"),
])
def test_usage_errors_exit_2_in_german(db, capsys, args, message):
    with pytest.raises(SystemExit) if "--timeout" in args else _no_exit():
        code = cli.main(["--db", db.url, *args])
        assert code == 2
    assert message in capsys.readouterr().err


class _no_exit:  # noqa: N801 — reads like pytest.raises in the test above
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def test_no_links_at_all_is_exit_0(db, capsys):
    assert cli.main(["--db", db.url, "linkcheck"]) == 0
    assert capsys.readouterr().out.strip() == "Linkprüfung 1: 0 Links geprüft, 0 nicht erreichbar."
