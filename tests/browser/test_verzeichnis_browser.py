"""The published directory (index.html) in Chromium: axe-core WCAG 2.1 AA, 1440 and 390 px, search, no-JS, print."""

from __future__ import annotations

import contextlib
import json
import shutil

import pytest

from ozg import clock, kommunen, link_store, links
from ozg.db import Database
from reports import verzeichnis
from tests.browser.conftest import (
    REPO_ROOT,
    SCREENSHOTS,
    open_app_page,
    run_axe,
    screenshot,
    split_violations,
    wait_for_texts,
)

MARBURG = "06534014"
ARTIFACTS = REPO_ROOT / "artifacts"


@pytest.fixture(scope="module")
def marburg(_sample_file, tmp_path_factory):
    """Marburg's directory from the sample data, one of its Links marked broken by a link check."""
    work = tmp_path_factory.mktemp("verzeichnis")
    db = Database(str(work / "sample.duckdb"))
    shutil.copy(_sample_file, db.url)
    target = links.targets(db, MARBURG).iloc[0]
    now = clock.now()
    link_store.record_run(db, [link_store.LinkResult(MARBURG, target.ozg_id, target.url, 404, "HTTP 404", None,
                                                     now)], MARBURG, now)
    directory = verzeichnis.build(db, MARBURG)
    verzeichnis.write(directory, work / "site")
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "verzeichnis-marburg-leistungen.json").write_text(verzeichnis.to_json(directory), encoding="utf-8")
    return directory, (work / "site" / "index.html").as_uri(), target.url


@contextlib.contextmanager
def _open(browser, url: str, width: int, javascript: bool = True):
    """The page at `width` px; fails if it requests anything but itself (self-contained)."""
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="de-DE",
                                  java_script_enabled=javascript)
    try:
        page = context.new_page()
        requested: list[str] = []
        page.on("request", lambda request: requested.append(request.url))
        page.goto(url, wait_until="load")
        assert requested == [url]
        yield page
    finally:
        context.close()


@pytest.mark.parametrize("width", [1440, 390])
def test_directory_passes_axe_and_fits_the_width(browser, marburg, width):
    directory, url, _ = marburg
    with _open(browser, url, width) as page:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"verzeichnis-marburg-{width}.png"), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= width  # no sideways scrolling
        assert page.locator(".ozgv-eintrag").count() == len(directory.entries)
        violations = run_axe(page)
        (ARTIFACTS / f"verzeichnis-axe-{width}.json").write_text(json.dumps(violations, indent=2), encoding="utf-8")
        assert [(v["id"], v["impact"], [n["html"][:80] for n in v["nodes"]]) for v in violations] == []


def test_search_filters_and_announces_the_count(browser, marburg):
    directory, url, broken_url = marburg
    with _open(browser, url, 1440) as page:
        page.get_by_label("Leistung suchen").fill("genehmigung")
        wanted = [e.name for e in directory.entries if "genehmigung" in kommunen.fold(e.name)]
        assert wanted  # the sample has some
        shown = page.locator(".ozgv-eintrag:visible .ozgv-name").all_inner_texts()
        assert shown == wanted
        noun = "Leistung" if len(wanted) == 1 else "Leistungen"
        assert page.get_by_role("status").inner_text() == (
            f"{len(wanted)} {noun} von {len(directory.entries)} gefunden")
        assert page.locator(f'a[href="{broken_url}"]').count() == 0
        assert page.get_by_text("Online-Dienst vorübergehend nicht erreichbar").count() == 1


def test_without_javascript_the_full_list_is_there_and_no_dead_search_box(browser, marburg):
    directory, url, _ = marburg
    with _open(browser, url, 390, javascript=False) as page:
        assert page.locator(".ozgv-eintrag:visible").count() == len(directory.entries)
        assert not page.get_by_label("Leistung suchen").is_visible()


def test_print_shows_the_list_with_addresses_and_hides_the_search(browser, marburg):
    directory, url, _ = marburg
    with _open(browser, url, 1440) as page:
        page.emulate_media(media="print")
        assert not page.locator(".ozgv-suche").is_visible()
        assert not page.locator(".ozgv-themen").is_visible()
        first_link = page.locator(".ozgv-eintrag a").first
        after = first_link.evaluate("a => getComputedStyle(a, '::after').content")
        assert first_link.get_attribute("href") in after
        page.pdf(path=str(ARTIFACTS / "verzeichnis-marburg-druck.pdf"), format="A4")


@pytest.mark.parametrize("width", [1440, 390])
def test_app_page_verzeichnis(app_url, page, width):
    from tests.browser.test_dashboard_browser import STREAMLIT_CAUSED

    page.set_viewport_size({"width": width, "height": 1000})
    open_app_page(page, app_url, "verzeichnis?kommune=Marburg")
    body = wait_for_texts(page, ["Verzeichnis: Marburg", "Leistungen im Verzeichnis", "herunterladen (ZIP",
                                 "In Marburg können Sie 128 Leistungen online erledigen", "Noch keine Linkprüfung"])
    assert "Traceback" not in body
    screenshot(page, f"app-verzeichnis-{width}")
    ours, _ = split_violations(page, run_axe(page), STREAMLIT_CAUSED)
    assert not ours, "\n".join(ours)
