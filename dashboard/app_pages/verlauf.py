"""Verlauf: every import per city (who, when, file, SHA-256, counts), its field-level changes, and revert.

Readable without sign-in. Reverting is offered to the admin and to the coordinator who made the import; the service
layer checks that again. A revert is itself an import („Rücknahme“) and appears at the top of this list.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import state, ui
from dashboard.auth import author_labels, current_user
from dashboard.data import get_db, load
from loaders import service
from ozg import auth, fmt, labels, queries
from ozg.batches import REVERTIBLE_KINDS, REVERTIBLE_TEXT
from ozg.domain import FIELD_LABELS
from ozg.errors import OzgError

REVERTED = "verlauf_reverted"   # message after a successful revert


def _text(value) -> str:
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


def note_text(row) -> str:
    if pd.notna(row.reverted_by):
        return f"zurückgenommen durch Import {int(row.reverted_by)}"
    return _text(row.note)


def history_frame(frame: pd.DataFrame, authors: list[str] | None = None) -> pd.DataFrame:
    """Import records as the table people read (German labels, formats; SHA-256 shortened, full below).
    `authors` replaces the user names (anonymous visitors see a role or city, dashboard.auth.author_labels)."""
    return pd.DataFrame({
        "Import": frame["id"].astype(int),
        "Art": frame["kind"].map(labels.batch_kind),
        "Zeitpunkt": frame["created_at"].map(fmt.datetime),
        "Benutzer": frame["user_name"] if authors is None else authors,
        "Kommune": frame["kommune"].map(_text),
        "Datei": frame["file_name"].map(_text),
        "SHA-256": frame["sha256"].map(lambda s: _text(s)[:12] + "…" if _text(s) else ""),
        "gelesen": frame["rows_read"].astype(int),
        "geändert": frame["rows_changed"].astype(int),
        "abgelehnt": frame["rows_rejected"].astype(int),
        "Hinweis": [note_text(r) for r in frame.itertuples()],
    })


def changes_frame(changes: pd.DataFrame, names: dict[str, str]) -> pd.DataFrame:
    return pd.DataFrame({
        "OZG-ID": changes["ozg_id"],
        "Leistung": changes["leistung"].map(_text),
        "Feld": changes["field"].map(lambda f: FIELD_LABELS.get(f, f)),
        "bisher": [fmt.status_value(f, v, names) for f, v in zip(changes["field"], changes["old_value"], strict=True)],
        "neu": [fmt.status_value(f, v, names) for f, v in zip(changes["field"], changes["new_value"], strict=True)],
    })


def revert_box(user: auth.User | None, batch) -> None:
    """Revert offer for one import, only where the rules allow it (the service checks again)."""
    ref = service.batch_ref(get_db(), int(batch.id))
    if ref.kind not in REVERTIBLE_KINDS:
        ui.note(f"Diese Art von Import lässt sich nicht zurücknehmen (nur {REVERTIBLE_TEXT}).")
        return
    if ref.reverted_by is not None:
        ui.note(f"Dieser Import wurde bereits durch Import {ref.reverted_by} zurückgenommen.")
        return
    if user is None:
        ui.note("Zurücknehmen können nach der Anmeldung die Administration und wer den Import gemacht hat.")
        return
    if not auth.can_revert(user, ref):
        ui.note("Zurücknehmen dürfen nur die Administration und wer den Import gemacht hat.")
        return
    sure = st.checkbox(f"Ja, Import {ref.id} zurücknehmen (alle seine Änderungen werden rückgängig gemacht)",
                       key=f"verlauf_sure_{ref.id}")
    if st.button(f"Import {ref.id} zurücknehmen", disabled=not sure, key=f"verlauf_revert_{ref.id}"):
        try:
            result = service.revert(get_db(), user, ref.id)
        except OzgError as exc:  # RevertConflict, DatabaseBusy, PermissionDenied: nothing was written
            st.error(str(exc))
            return
        restored = fmt.counted(result.rows_changed, "Leistung", "Leistungen")
        st.session_state[REVERTED] = (f"Import {ref.id} zurückgenommen (als Import {result.batch_id}): "
                                      f"{restored} wiederhergestellt.")
        st.rerun()


user = current_user()
st.title("Verlauf")
ui.note("Alle Importe und Schnellerfassungen: wer, wann, welche Datei (mit SHA-256-Prüfsumme), wie viele Zeilen "
           "gelesen und geändert wurden – und welche Felder sich dabei geändert haben.")
if REVERTED in st.session_state:
    st.success(st.session_state.pop(REVERTED))
cities = load(queries.kommunen)
names = dict(zip(cities["ags"], cities["name"], strict=True))
options = [None, *names]
own = [a for a in options[1:] if user is not None and user.role == "coordinator" and a in user.cities]
if own and "kommune" not in st.query_params and st.session_state.get("verlauf_for") != user.name:
    st.session_state["kommune"] = own[0]  # a coordinator signed in for a city starts with that city, once
    st.session_state["verlauf_for"] = user.name
city_label = {a: ("alle Kommunen" if a is None else names[a]) for a in options}
state.report_invalid("kommune", [v for v in city_label.values() if v != "alle Kommunen"], "Kommune")
ags = st.selectbox("Kommune", options, key="kommune", bind=state.URL, format_func=city_label.get)
frame = load(queries.batches, ags=ags)
if frame.empty:
    st.info("Für diese Auswahl gibt es noch keine Importe.")
    st.stop()
authors = author_labels(frame["user_name"], frame["kommune"], user)
st.dataframe(history_frame(frame, authors), hide_index=True, width="stretch", key="verlauf_table")

import_labels = {int(r.id): f"Import {int(r.id)} · {labels.batch_kind(r.kind)} · {fmt.datetime(r.created_at)} · "
                            f"{who}" for r, who in zip(frame.itertuples(), authors, strict=True)}
batch_id = state.id_select("Import ansehen", list(import_labels), import_labels.get, param="import",
                           key="verlauf_import", what="Import")
batch = next(r for r in frame.itertuples() if int(r.id) == batch_id)
st.text(f"Datei: {_text(batch.file_name) or '–'}\nSHA-256: {_text(batch.sha256) or '–'}\n"
        f"Kommune: {_text(batch.kommune) or '–'}")
changes = load(queries.batch_changes, batch_id=batch_id)
if changes.empty:
    ui.note("Dieser Import hat keine Felder geändert.")
else:
    st.dataframe(changes_frame(changes, names), hide_index=True, width="stretch", key="verlauf_changes")
revert_box(user, batch)
