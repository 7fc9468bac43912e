"""Fixtures for real-browser tests: the app under `streamlit run` on a sample database, and headless Chromium.

Reuse them in any test under tests/browser/:

    @pytest.mark.browser
    def test_something(app_url, page):          # page: a fresh Playwright page, 1600×1000, German locale
        open_app_page(page, app_url, "abdeckung?themenfeld=Bildung")
        assert page.get_by_role("heading", name="Abdeckung").is_visible()
        screenshot(page, "abdeckung-bildung")    # -> artifacts/screenshots/abdeckung-bildung.png
        violations = run_axe(page)               # axe-core results (needs tests/browser/node_modules)

- `app_server` (session): copies the sample database (tests/conftest.py, day 2026-11-27) into a tmp dir, starts
  `python -m streamlit run dashboard/app.py --server.headless true --server.port <free port>` from the repository
  root with OZG_DB pointing at the copy, waits for /_stcore/health, yields the base URL, stops the server.
  Its log is in the tmp dir; on a failed start the log is part of the error.
- `browser` (session) / `page` (function): Debian's /usr/bin/chromium through Playwright (`playwright install`
  cannot download browsers here). Every test in this folder is skipped with a reason when chromium or the
  Playwright package is missing; CI installs chromium from Debian, so there they run.
- axe-core comes from npm: `cd tests/browser && npm ci` (package.json pins the version; node_modules is ignored).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]
SCREENSHOTS = REPO_ROOT / "artifacts" / "screenshots"
AXE_JS = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
START_TIMEOUT = 90     # seconds for `streamlit run` to answer /_stcore/health (cold imports on a slow runner)
RENDER_TIMEOUT = 60_000  # milliseconds for a page to finish its script run in the browser


def _skip_reason() -> str | None:
    if not Path(CHROMIUM).exists():
        return f"{CHROMIUM} fehlt (Debian-Paket chromium) – Browser-Tests übersprungen"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Python-Paket playwright fehlt (requirements.txt) – Browser-Tests übersprungen"
    return None


def pytest_collection_modifyitems(config, items) -> None:
    """Mark every test in this folder `browser` and skip them all, with the reason, when Chromium is missing."""
    reason = _skip_reason()
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)
            if reason:
                item.add_marker(pytest.mark.skip(reason=reason))


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_serving(url: str, proc: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with {proc.returncode}:\n{log.read_text(errors='replace')}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as resp:
                if resp.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"streamlit did not answer within {START_TIMEOUT} s:\n{log.read_text(errors='replace')}")


@contextlib.contextmanager
def serve_app(database: Path, workdir: Path, **env_extra: str) -> Iterator[str]:
    """Run `streamlit run dashboard/app.py` on `database` at a free local port; yield its base URL, then stop it."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = workdir / "streamlit.log"
    env = {**os.environ, "OZG_DB": str(database), "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false", **env_extra}
    cmd = [sys.executable, "-m", "streamlit", "run", "dashboard/app.py", "--server.headless", "true",
           "--server.port", str(port), "--server.address", "127.0.0.1", "--server.fileWatcherType", "none"]
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, cwd=REPO_ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        _wait_until_serving(url, proc, log)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


@pytest.fixture(scope="session")
def app_server(_sample_file, tmp_path_factory) -> Iterator[str]:
    """Base URL (http://127.0.0.1:<port>) of the app running on a private copy of the sample database."""
    if _skip_reason():
        pytest.skip(_skip_reason())
    workdir = tmp_path_factory.mktemp("browser_app")
    database = workdir / "sample.duckdb"
    shutil.copy(_sample_file, database)
    with serve_app(database, workdir) as url:
        yield url


@pytest.fixture(scope="session")
def app_url(app_server) -> str:
    """Alias of app_server for readability in tests."""
    return app_server


@pytest.fixture(scope="session")
def browser() -> Iterator:
    """Headless Debian Chromium driven by Playwright (one per test session)."""
    if _skip_reason():
        pytest.skip(_skip_reason())
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser) -> Iterator:
    """A fresh page (own context: no shared session state) with a large viewport and German locale."""
    context = browser.new_context(viewport={"width": 1600, "height": 1000}, locale="de-DE",
                                  timezone_id="Europe/Berlin")
    context.set_default_timeout(RENDER_TIMEOUT)
    tab = context.new_page()
    try:
        yield tab
    finally:
        context.close()


def wait_for_app(page) -> None:
    """Wait until Streamlit has rendered a title and its script run has finished (twice, to outlast reruns)."""
    page.wait_for_selector('[data-testid="stMain"] h1', timeout=RENDER_TIMEOUT)
    for _ in range(2):
        page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=RENDER_TIMEOUT)
        page.wait_for_timeout(400)
    page.wait_for_load_state("networkidle")


def wait_for_texts(page, texts: list[str], timeout: int = RENDER_TIMEOUT) -> str:
    """Wait until every text is visible in the main area; return that area's text (fails naming what's missing)."""
    try:
        page.wait_for_function(
            "(texts) => { const m = document.querySelector('[data-testid=\"stMain\"]');"
            " return !!m && texts.every(t => m.innerText.includes(t)); }", arg=list(texts), timeout=timeout)
    except Exception:  # noqa: BLE001 — report which texts are missing instead of a bare timeout
        body = page.locator('[data-testid="stMain"]').inner_text()
        missing = [t for t in texts if t not in body]
        pytest.fail(f"Nicht sichtbar auf {page.url}: {missing}")
    return page.locator('[data-testid="stMain"]').inner_text()


def open_app_page(page, base_url: str, path: str = "") -> None:
    """Open `<base_url>/<path>` (e.g. 'abdeckung?themenfeld=Bildung') and wait until it has rendered."""
    page.goto(f"{base_url}/{path}", wait_until="domcontentloaded")
    wait_for_app(page)


def screenshot(page, name: str, max_height: int = 8000) -> Path:
    """PNG of the whole page in artifacts/screenshots/<name>.png (artifacts/ is git-ignored; CI keeps it).

    Streamlit scrolls inside its main container, so `full_page=True` alone would stop at the viewport: the
    viewport is stretched to the content's height for the shot and restored afterwards.
    """
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    size = page.viewport_size
    height = page.evaluate(
        "() => Math.max(...[...document.querySelectorAll('[data-testid=\"stMain\"], [data-testid=\"stSidebar\"]')]"
        ".map(e => e.scrollHeight), 0)")
    page.set_viewport_size({"width": size["width"], "height": max(size["height"], min(int(height), max_height))})
    page.wait_for_timeout(700)  # plotly re-layouts on resize
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size(size)
    return path


def run_axe(page, tags: tuple[str, ...] = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")) -> list[dict]:
    """Inject axe-core into the page and return its violations for WCAG 2.1 A/AA (the level BITV 2.0 requires)."""
    if not AXE_JS.exists():
        pytest.fail(f"{AXE_JS} fehlt – bitte `cd tests/browser && npm ci` ausführen.")
    page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        list(tags))
    return result["violations"]


def split_violations(page, violations: list[dict], streamlit_regions: dict[str, str],
                     impacts: tuple[str, ...] = ("serious", "critical")) -> tuple[list[str], list[str]]:
    """(ours, streamlit's): one line per failing node of the given impacts.

    A node counts as Streamlit's when its rule id is in `streamlit_regions` and the element lies inside that
    rule's CSS selector (markup Streamlit renders and an app cannot change, e.g. the page navigation).
    """
    ours, theirs = [], []
    for violation in violations:
        if violation["impact"] not in impacts:
            continue
        region = streamlit_regions.get(violation["id"])
        for node in violation["nodes"]:
            target = node["target"][0] if node["target"] else ""
            inside = bool(region) and page.evaluate(
                "([sel, region]) => { const e = document.querySelector(sel); return !!e && !!e.closest(region); }",
                [target, region])
            line = f"{violation['id']} ({violation['impact']}): {node['html'][:120]}"
            (theirs if inside else ours).append(line)
    return ours, theirs


# --- Layout checks: what a person sees at 390 px and 1440 px -----------------------------------------------------
WIDTHS = (1440, 390)  # laptop and phone

_SIDEWAYS_JS = """() => {
  const w = window.innerWidth, out = [];
  const doc = document.documentElement.scrollWidth;
  if (doc > w + 1) out.push('document ' + doc);
  const main = document.querySelector('[data-testid="stMain"]');
  if (main && main.scrollWidth > main.clientWidth + 1)
    out.push('stMain ' + main.scrollWidth + ' > ' + main.clientWidth);
  const block = document.querySelector('[data-testid="stMainBlockContainer"]');
  if (block && block.scrollWidth > block.clientWidth + 1)
    out.push('block ' + block.scrollWidth + ' > ' + block.clientWidth);
  for (const e of document.querySelectorAll('.ozg-matrix, .ozg-cards, .js-plotly-plot, [data-testid="stTable"]')) {
    const r = e.getBoundingClientRect();
    if (r.width && r.right > w + 1) out.push(e.className + ' right ' + Math.round(r.right));
  }
  return out;
}"""

# SVG text of every plotly chart: no two visible labels overlap, none sticks out of its chart
_LABELS_JS = """() => {
  const problems = [];
  for (const plot of document.querySelectorAll('.js-plotly-plot')) {
    const box = plot.getBoundingClientRect();
    if (!box.width) continue;
    const texts = [...plot.querySelectorAll('svg.main-svg text')].filter(t => {
      if (!t.textContent.trim() || t.closest('.hoverlayer')) return false;
      const s = getComputedStyle(t), r = t.getBoundingClientRect();
      return s.display !== 'none' && s.visibility !== 'hidden' && Number(s.opacity) > 0 && r.width > 0;
    });
    const rects = texts.map(t => [t, t.getBoundingClientRect()]);
    for (const [t, r] of rects) {
      if (r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1 || r.bottom > box.bottom + 1)
        problems.push('abgeschnitten: „' + t.textContent + '“');
    }
    for (let i = 0; i < rects.length; i++) for (let j = i + 1; j < rects.length; j++) {
      const [a, ra] = rects[i], [b, rb] = rects[j];
      const dx = Math.min(ra.right, rb.right) - Math.max(ra.left, rb.left);
      const dy = Math.min(ra.bottom, rb.bottom) - Math.max(ra.top, rb.top);
      if (dx > 1.5 && dy > 1.5) problems.push('überlappt: „' + a.textContent + '“ / „' + b.textContent + '“');
    }
  }
  return problems;
}"""


# A widget label whose text is wider than its box and clipped (Streamlit ends it with "…"): a person cannot read it.
_CUT_LABELS_JS = """() => {
  const cut = [];
  for (const label of document.querySelectorAll('[data-testid="stWidgetLabel"]')) {
    if (!label.getClientRects().length) continue;             // collapsed expander or hidden sidebar
    for (const e of [label, ...label.querySelectorAll('*')]) {
      const style = getComputedStyle(e);
      const clips = style.overflowX !== 'visible' || style.textOverflow === 'ellipsis';
      if (clips && e.scrollWidth > e.clientWidth + 1) { cut.push(label.innerText.trim()); break; }
    }
  }
  return cut;
}"""


def sideways_overflow(page) -> list[str]:
    """What makes the page wider than the window (empty when nothing scrolls sideways)."""
    return page.evaluate(_SIDEWAYS_JS)


def cut_off_labels(page) -> list[str]:
    """Widget labels shown cut off (clipped or ended with an ellipsis) at the current width."""
    return page.evaluate(_CUT_LABELS_JS)


def chart_label_problems(page) -> list[str]:
    """Chart labels (SVG text) that overlap another label or are cut off at the chart's edge."""
    return page.evaluate(_LABELS_JS)


def set_width(page, width: int) -> None:
    """Resize the viewport to `width` (height 1000) and let Streamlit and plotly re-layout."""
    page.set_viewport_size({"width": width, "height": 1000})
    page.wait_for_timeout(800)
