"""The page boundary: whatever goes wrong while a page runs, the visitor reads a German sentence saying what to
do, never a Python traceback with server paths (the server log gets the details).

`.streamlit/config.toml` sets client.showErrorDetails = "none" as the second line of defence.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import streamlit as st

from ozg.errors import OzgError

LOG = logging.getLogger("ozg.dashboard")
INIT_HINT = "Bitte auf dem Server `python -m loaders init` ausführen (oder die Administration verständigen)."
UNEXPECTED = ("Auf dieser Seite ist ein unerwarteter Fehler aufgetreten. Bitte die Seite neu laden; bleibt der "
              "Fehler, bitte der Administration Bescheid geben – die Einzelheiten stehen im Protokoll des Servers.")


def message_for(exc: Exception) -> str:
    """The German sentence shown for `exc` (OzgError messages are already written for people)."""
    if isinstance(exc, OzgError):
        return str(exc)
    module = type(exc).__module__ or ""
    if module.startswith(("duckdb", "_duckdb", "psycopg")):
        return ("Die Datenbank lässt sich nicht lesen: sie ist beschädigt, veraltet oder nicht eingerichtet. "
                + INIT_HINT)
    return UNEXPECTED


def guarded(run: Callable[[], object]) -> bool:
    """Run `run()`; on an error show the German message, log the details and return False.

    st.stop()/st.rerun() pass through: they are BaseException (ScriptControlException), not Exception.
    """
    try:
        run()
    except OzgError as exc:
        LOG.warning("%s: %s", type(exc).__name__, exc)
        st.error(message_for(exc))
        return False
    except Exception as exc:  # noqa: BLE001 — the page boundary: nothing reaches the browser as a traceback
        LOG.exception("Fehler beim Anzeigen der Seite")
        st.error(message_for(exc))
        return False
    return True
