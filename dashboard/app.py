"""OZG-Cockpit — entry point: `python -m streamlit run dashboard/app.py` from the repository root."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # `streamlit run` puts only dashboard/ on sys.path
    sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402

st.set_page_config(page_title="OZG-Cockpit", page_icon="📊", layout="wide")

PAGES = {
    "Fortschritt": [
        st.Page("app_pages/overview.py", title="Übersicht", url_path="uebersicht", default=True),
        st.Page("app_pages/coverage.py", title="Abdeckung", url_path="abdeckung"),
        st.Page("app_pages/deadlines.py", title="Fristen", url_path="fristen"),
        st.Page("app_pages/kommune.py", title="Kommune", url_path="kommune"),
        st.Page("app_pages/leistung.py", title="Leistung", url_path="leistung"),
        st.Page("app_pages/regions.py", title="Regionen", url_path="regionen"),
        st.Page("app_pages/savings.py", title="Einsparungen", url_path="einsparungen"),
        st.Page("app_pages/reports.py", title="Berichte", url_path="berichte"),
        st.Page("app_pages/verzeichnis.py", title="Verzeichnis", url_path="verzeichnis"),
    ],
    "Pflege": [
        st.Page("app_pages/meldung.py", title="Meldung", url_path="meldung"),
        st.Page("app_pages/verlauf.py", title="Verlauf", url_path="verlauf"),
    ],
    "Info": [
        st.Page("app_pages/about.py", title="Über / Datenquellen", url_path="ueber"),
    ],
}

from dashboard.auth import sidebar as auth_sidebar  # noqa: E402

auth_sidebar()  # sign-in box; reading needs none, writing needs a coordinator/admin
st.navigation(PAGES).run()
