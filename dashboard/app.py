"""OZG-Cockpit — entry point: `python -m streamlit run dashboard/app.py` from the repository root."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # `streamlit run` puts only dashboard/ on sys.path
    sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402

st.set_page_config(page_title="OZG-Cockpit", page_icon=":material/bar_chart:", layout="wide")

from dashboard import navigation  # noqa: E402
from dashboard.auth import sidebar as auth_sidebar  # noqa: E402
from dashboard.boundary import guarded  # noqa: E402
from dashboard.data import check_database  # noqa: E402

# Streamlit's English "Press Enter to apply" under text fields: the fields say in German that Enter applies
st.html("<style>[data-testid='InputInstructions'] { display: none; }</style>")
pages = st.navigation(navigation.with_not_found(navigation.pages()), expanded=True)  # all pages, no "View more"
# The page boundary: a missing, damaged or old database, a busy file, any error → a German sentence, no traceback.
if guarded(check_database):
    guarded(auth_sidebar)  # sign-in box; reading needs none, writing needs a coordinator/admin
    guarded(pages.run)
