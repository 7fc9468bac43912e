"""Real browser, the coordinator's job end to end: sign in, upload the edited template, confirm, see it on Übersicht.

The app runs on its own copy of the sample database with its own users file (this test writes; the shared
`app_server` of conftest.py must stay unchanged for the other browser tests). Server start and Chromium come from
tests/browser/conftest.py.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest

from loaders import template
from ozg import fmt, queries, users
from ozg.db import Database
from tests.browser.conftest import (
    open_app_page,
    screenshot,
    serve_app,
    wait_for_app,
    wait_for_texts,
)

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
    users.add_user(database, "fulda", "coordinator", ["Fulda"], display_name="Koordination Fulda",
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
