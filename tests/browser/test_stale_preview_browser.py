"""Real browser, issue 11 item 2: a click on an outdated preview saves nothing it did not show.

Fulda's coordinator uploads a file with 3 changes. Before the click, a second process — the CLI, as a cron job
would run it — sets Leistung 10010 to Pilot in the app's database. The click is refused visibly (not inside a
collapsed box), the file is checked again at once, the new preview shows 4 changes with 10010 among them, and
only a click on the new confirmation saves.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from ozg import queries
from tests.browser.conftest import REPO_ROOT, screenshot, wait_for_texts
from tests.browser.test_coordinator_browser import (  # noqa: F401 — coordinator_app is a fixture
    FULDA,
    _edited_template,
    coordinator_app,
    sign_in_and_open_meldung,
)

pytestmark = pytest.mark.browser


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
    upload = _edited_template(db, tmp_path / "Fulda-Meldung.xlsx", ["10000", "10001", "10002"])

    page.goto(url, wait_until="domcontentloaded")
    wait_for_texts(page, ["Übersicht"])
    sign_in_and_open_meldung(page)
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(upload))
    wait_for_texts(page, ["Vorschau: bisher → neu", "3 Änderungen für Fulda übernehmen"])
    with db.connect() as conn:
        before = conn.one("SELECT count(*) FROM import_batch")

    _cron_import(db, tmp_path, "10010", "Pilot")
    page.get_by_role("button", name="3 Änderungen für Fulda übernehmen").click()
    body = wait_for_texts(page, ["Nicht gespeichert.", "4 Änderungen für Fulda übernehmen"])
    assert "Traceback" not in body
    assert any("Seit der Vorschau wurde der Stand von Fulda geändert" in t for t in _visible_alert_texts(page))
    assert page.get_by_role("button", name="3 Änderungen für Fulda übernehmen").count() == 0
    # The table is drawn on a canvas; its accessible copy (role="grid") holds the cell texts.
    diff = page.locator('[data-testid="stMain"] [data-testid="stDataFrame"]').last.text_content()
    assert "10010" in diff, diff[:2000]
    screenshot(page, "meldung-vorschau-veraltet")
    with db.connect() as conn:
        assert conn.one("SELECT count(*) FROM import_batch") == before + 1  # only the cron import
    assert _status_of(db, "10010") == "Pilot"

    page.get_by_role("button", name="4 Änderungen für Fulda übernehmen").click()
    wait_for_texts(page, ["gespeichert: 4 Leistungen von Fulda geändert"])
    assert _status_of(db, "10010") == "nicht begonnen"
    with db.connect() as conn:
        assert conn.one("SELECT count(*) FROM import_batch WHERE user_name = 'fulda'") == 1
