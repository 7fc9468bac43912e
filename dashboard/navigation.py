"""The page list, the path /uebersicht for the start page, and a German page for unknown paths.

Streamlit serves the default page at the root URL only, so its own `url_path` („/uebersicht“, used in links and
the README) would answer with Streamlit's English „Page not found“ dialog: a hidden second entry of the same
script serves that path. For any other unknown path the app registers, for this run only, a hidden page of that
name that says in German that the page does not exist and links to the real ones — so Streamlit never sends its
dialog. Reading the requested path uses Streamlit's script-run context (not public API); if that changes, the app
falls back to Streamlit's own dialog (listed in docs/accessibility.md).
"""

from __future__ import annotations

import streamlit as st

OVERVIEW = "app_pages/overview.py"


def pages() -> dict[str, list]:
    return {
        "Fortschritt": [
            # served at the root URL; "start" only names it internally (its hash), "uebersicht" is the page below
            st.Page(OVERVIEW, title="Übersicht", url_path="start", default=True),
            st.Page("app_pages/coverage.py", title="Abdeckung", url_path="abdeckung"),
            st.Page("app_pages/deadlines.py", title="Fristen", url_path="fristen"),
            st.Page("app_pages/kommune.py", title="Kommune", url_path="kommune"),
            st.Page("app_pages/leistung.py", title="Leistung", url_path="leistung"),
            st.Page("app_pages/regions.py", title="Regionen", url_path="regionen"),
            st.Page("app_pages/bund.py", title="Bund-Abgleich", url_path="bund-abgleich"),
            st.Page("app_pages/savings.py", title="Einsparungen", url_path="einsparungen"),
            st.Page("app_pages/reports.py", title="Berichte", url_path="berichte"),
            st.Page("app_pages/verzeichnis.py", title="Verzeichnis", url_path="verzeichnis"),
            st.Page(OVERVIEW, title="Übersicht", url_path="uebersicht", visibility="hidden"),
        ],
        "Pflege": [
            st.Page("app_pages/meldung.py", title="Meldung", url_path="meldung"),
            st.Page("app_pages/verlauf.py", title="Verlauf", url_path="verlauf"),
        ],
        "Info": [
            st.Page("app_pages/about.py", title="Über / Datenquellen", url_path="ueber"),
        ],
    }


def requested_path() -> str:
    """The URL path this run was asked for ('' for the root or when Streamlit does not tell)."""
    try:
        from streamlit.runtime.scriptrunner import get_script_run_ctx

        ctx = get_script_run_ctx()
        return (ctx.pages_manager.intended_page_name or "") if ctx else ""
    except Exception:  # noqa: BLE001 — private API: without it, Streamlit's own dialog remains
        return ""


def _not_found() -> None:
    st.title("Seite nicht gefunden")
    st.markdown("Diese Adresse gibt es im OZG-Cockpit nicht. Bitte links eine Seite wählen oder hier weiter:")
    st.page_link(OVERVIEW, label="Zur Übersicht", icon=":material/home:")
    st.page_link("app_pages/coverage.py", label="Zur Abdeckung", icon=":material/grid_on:")


def with_not_found(pages: dict[str, list]) -> dict[str, list]:
    """`pages` plus a hidden German not-found page at the requested path when no page has that path."""
    wanted = requested_path().strip("/")
    known = {p.url_path for section in pages.values() for p in section} | {"start"}
    if not wanted or wanted in known or "/" in wanted:
        return pages
    try:
        missing = st.Page(_not_found, title="Seite nicht gefunden", url_path=wanted, visibility="hidden")
    except Exception:  # noqa: BLE001 — a path Streamlit refuses as url_path: its own dialog remains
        return pages
    return {**pages, "Info": [*pages["Info"], missing]}
