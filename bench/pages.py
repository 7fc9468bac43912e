"""Server-side render of each dashboard page with Streamlit's AppTest (no browser), as the benchmark times it."""

from __future__ import annotations

import os
from collections.abc import Callable

from ozg import config
from ozg.db import Database

APP = str(config.REPO_ROOT / "dashboard" / "app.py")
PAGES = sorted(p.stem for p in (config.REPO_ROOT / "dashboard" / "app_pages").glob("*.py") if p.stem != "__init__")
DEFAULT_PAGE = "overview"


def page_renderer(db: Database, page: str, clear: bool) -> tuple[Callable[[], None], Callable[[], None]]:
    """(prepare, render): prepare opens the app on its default page (untimed); render shows `page`.

    clear=True empties Streamlit's caches before the render: the first view after a data change (cold).
    """
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    state: dict = {}

    def prepare() -> None:
        os.environ["OZG_DB"] = db.url
        st.cache_resource.clear()
        at = AppTest.from_file(APP, default_timeout=300)
        if page != DEFAULT_PAGE:
            at.run()
        if clear:
            st.cache_data.clear()
        state["at"] = at

    def render() -> None:
        at = state["at"]
        if page == DEFAULT_PAGE:
            at.run()
        else:
            at.switch_page(f"app_pages/{page}.py").run()
        if at.exception:
            raise RuntimeError(f"page {page}: {[e.message for e in at.exception]}")

    return prepare, render
