"""Real browser, the coordinator's job end to end: sign in, upload the edited template, confirm, see it on Übersicht.

And issue 11 item 2, a click on an outdated preview saves nothing it did not show: Fulda's coordinator uploads a
file with 3 changes; before the click a second process — the CLI, as a cron job would run it — sets Leistung 10010
to Pilot in the app's database. The click is refused visibly (not inside a collapsed box), the file is checked
again at once, the new preview shows 4 changes with 10010 among them, and only the new confirmation saves.

The app runs on its own copy of the sample database with its own users file (this test writes; the shared
`app_server` of conftest.py must stay unchanged for the other browser tests). Server start and Chromium come from
tests/browser/conftest.py.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from playwright.sync_api import expect

from loaders import template
from ozg import fmt, queries, users
from ozg.db import Database
from tests.browser.conftest import (
    REPO_ROOT,
    open_app_page,
    screenshot,
    serve_app,
    wait_for_app,
    wait_for_texts,
)
from tests.ozg.auth_support import OPERATOR

pytestmark = pytest.mark.browser
FULDA = "06631009"
PASSWORD = "browser-test-passwort"


@pytest.fixture(scope="module")
def coordinator_app(_sample_file, tmp_path_factory) -> Iterator[tuple[str, Database]]:
    """(base URL, database) of an app on a private sample copy with the coordinator `fulda` (password above)."""
    workdir = tmp_path_factory.mktemp("coordinator_app")
    database = Database(str(workdir / "sample.duckdb"))
    shutil.copy(_sample_file, database.url)
    users_file = workdir / "users.toml"
    users.add_user(database, OPERATOR, "fulda", "coordinator", ["Fulda"], display_name="Koordination Fulda",
                   password=PASSWORD, users_path=users_file)
    with serve_app(Path(database.url), workdir, OZG_USERS=str(users_file)) as url:
        yield url, database


def _not_yet_online(db: Database, count: int) -> list[str]:
    table = queries.status_table(db, ags=[FULDA])
    low = table[table["reifegrad"].isna() | (table["reifegrad"] < 3)]
    low = low[low["status"].fillna("") != "nicht relevant"]
    return list(low["ozg_id"][:count])


def _edited_template(db: Database, path, ozg_ids: list[str]):
    template.write_template(db, "Fulda", path)
    wb = openpyxl.load_workbook(path)
    ws = wb["Status"]
    header = {c.value: c.column for c in ws[1]}
    for row in ws.iter_rows(min_row=2):
        if str(row[0].value) in ozg_ids:
            ws.cell(row=row[0].row, column=header["Reifegrad"], value=4)
            ws.cell(row=row[0].row, column=header["Status"], value="online")
    wb.save(path)
    return path


def sign_in_and_open_meldung(page):
    """Sign in as the Fulda coordinator in the sidebar and open Meldung by its link; returns the sidebar."""
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.get_by_text("Anmelden (Koordination)").click()
    sidebar.get_by_label("Benutzername").fill("fulda")
    sidebar.get_by_label("Passwort").fill(PASSWORD)
    sidebar.get_by_role("button", name="Anmelden").click()
    sidebar.get_by_text("Angemeldet: Koordination Fulda").wait_for()
    sidebar.get_by_role("link", name="Meldung").click()  # a link click keeps the session (a new URL would not)
    wait_for_texts(page, ["Meldung", "1. Vorlage herunterladen", "Vorlage für Fulda (.xlsx)"])
    return sidebar


def _online_total(page) -> str:
    return page.locator('[data-testid="stMain"] [data-testid="stMetricValue"]').first.inner_text().strip()


def test_coordinator_signs_in_uploads_confirms_and_sees_it_on_uebersicht(coordinator_app, page, tmp_path):
    url, db = coordinator_app
    ids = _not_yet_online(db, 3)
    upload = _edited_template(db, tmp_path / "Fulda-Meldung.xlsx", ids)

    open_app_page(page, url)
    wait_for_texts(page, ["Übersicht"])
    before = _online_total(page)

    sidebar = sign_in_and_open_meldung(page)
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(upload))
    body = wait_for_texts(page, ["Vorschau: bisher → neu", "Leistungen geändert",
                                 "3 Änderungen für Fulda übernehmen"])
    assert "Traceback" not in body
    screenshot(page, "meldung-vorschau")
    page.get_by_role("button", name="3 Änderungen für Fulda übernehmen").click()
    wait_for_texts(page, ["gespeichert: 3 Leistungen von Fulda geändert"])
    screenshot(page, "meldung-gespeichert")

    sidebar.get_by_role("link", name="Übersicht").click()
    wait_for_app(page)
    expected = fmt.number(int(before.replace(".", "")) + 3)
    page.wait_for_function(
        "(v) => { const m = document.querySelector('[data-testid=\"stMain\"] [data-testid=\"stMetricValue\"]');"
        " return !!m && m.innerText.trim() === v; }", arg=expected, timeout=60_000)
    assert _online_total(page) == expected
    with db.connect() as conn:
        assert conn.one("SELECT count(*) FROM import_batch WHERE user_name = 'fulda' AND kind = 'status'") == 1


def _status_of(db, ozg_id: str) -> str:
    table = queries.status_table(db, ags=[FULDA]).set_index("ozg_id")
    return table.loc[ozg_id, "status"]


def _cron_import(db, tmp_path, ozg_id: str, value: str) -> None:
    """`python -m loaders status` in its own process against the running app's database."""
    path = tmp_path / "cron.csv"
    path.write_text(f"OZG-ID;Status\r\n{ozg_id};{value}\r\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "loaders", "--db", db.url, "status", str(path), "--city", "Fulda",
                           "--user", "cron"], cwd=REPO_ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr


def _visible_alert_texts(page) -> list[str]:
    """Texts of error alerts that are visible on screen (a collapsed status box hides its content)."""
    alerts = page.locator('[data-testid="stMain"] [data-testid="stAlertContentError"]')
    return [alerts.nth(i).inner_text() for i in range(alerts.count()) if alerts.nth(i).is_visible()]


def test_outdated_preview_is_refused_rechecked_and_only_a_new_confirmation_saves(coordinator_app, page, tmp_path):
    url, db = coordinator_app
    assert _status_of(db, "10010") == "nicht begonnen"  # the sample state the file below repeats unchanged
    assert {_status_of(db, oid) for oid in ("10003", "10004", "10005")} == {"nicht begonnen"}
    upload = _edited_template(db, tmp_path / "Fulda-Meldung.xlsx", ["10003", "10004", "10005"])

    page.goto(url, wait_until="domcontentloaded")
    wait_for_texts(page, ["Übersicht"])
    sign_in_and_open_meldung(page)
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(upload))
    wait_for_texts(page, ["Vorschau: bisher → neu", "3 Änderungen für Fulda übernehmen"])
    with db.connect() as conn:
        before = conn.one("SELECT count(*) FROM import_batch")
        mine = conn.one("SELECT count(*) FROM import_batch WHERE user_name = 'fulda'")

    _cron_import(db, tmp_path, "10010", "Pilot")
    page.get_by_role("button", name="3 Änderungen für Fulda übernehmen").click()
    body = wait_for_texts(page, ["Nicht gespeichert.", "4 Änderungen für Fulda übernehmen"])
    assert "Traceback" not in body
    assert any("Seit der Vorschau wurde der Stand von Fulda geändert" in t for t in _visible_alert_texts(page))
    # the old button goes once the rerun has replaced the preview (the page may still be finishing that run)
    expect(page.get_by_role("button", name="3 Änderungen für Fulda übernehmen")).to_have_count(0, timeout=30_000)
    # The table is drawn on a canvas; its accessible copy (role="grid") holds the cell texts.
    grid = page.locator('[data-testid="stMain"] [data-testid="stDataFrame"]').last
    grid.scroll_into_view_if_needed()  # the grid writes its accessible copy once it is drawn on screen
    grid.get_by_text("10010").first.wait_for(state="attached")
    diff = grid.text_content()
    assert "10010" in diff, diff[:2000]
    screenshot(page, "meldung-vorschau-veraltet")
    with db.connect() as conn:
        assert conn.one("SELECT count(*) FROM import_batch") == before + 1  # only the cron import
    assert _status_of(db, "10010") == "Pilot"

    page.get_by_role("button", name="4 Änderungen für Fulda übernehmen").click()
    wait_for_texts(page, ["gespeichert: 4 Leistungen von Fulda geändert"])
    assert _status_of(db, "10010") == "nicht begonnen"
    with db.connect() as conn:
        assert conn.one("SELECT count(*) FROM import_batch WHERE user_name = 'fulda'") == mine + 1
