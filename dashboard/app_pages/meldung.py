"""Meldung: a coordinator keeps their city's status current — template, upload, check, preview, commit, quick edit.

Reads top to bottom like the job: 1. download the pre-filled template, 2. upload it back (checked completely,
problems as a table and as an .xlsx with the bad cells marked), 3. look at the diff and confirm, or 4. change one
Leistung in a form. Every write goes through loaders.service, which checks the user's rights again.
Text from files is only ever shown in tables and widgets, never as markdown.
"""

from __future__ import annotations

import datetime as dt
import io
import re

import pandas as pd
import streamlit as st

from dashboard import link_box, ui
from dashboard.auth import require_writer
from dashboard.data import get_db, load
from dashboard.memory import give_back
from dashboard.problem_table import problem_frame, problem_table
from loaders import service
from loaders.error_report import build_error_report
from loaders.raw_table import MAX_DATA_ROWS
from loaders.table_file import MAX_BYTES
from loaders.template import build_template
from ozg import auth, clock, fmt, kommunen, queries
from ozg.domain import FIELD_LABELS, REIFEGRAD_LABELS_11, REIFEGRAD_MODELS, STATUSES, Kommune
from ozg.errors import OzgError, PreviewOutdated

CHECKED = "meldung_checked"   # the last checked upload: {key, ags, file_name, data, outcome, version, report}
SEEN = "meldung_seen"         # key of the upload already checked (a rerun must not check it again)
DONE = "meldung_done"         # message after a successful commit
COMMIT = "meldung_commit_"    # + the preview's token key: the confirmation button of exactly that preview
EDITED = "meldung_edited"     # (ozg_id, kind, message, changes) after a quick edit was saved or refused
LIMITS = (f"Excel (.xlsx), LibreOffice (.ods) oder CSV, höchstens {MAX_BYTES // 2**20} MB und "
          f"{fmt.number(MAX_DATA_ROWS)} Datenzeilen. Geprüft wird der Inhalt, nicht die Dateiendung.")


def diff_frame(changes, leistungen: dict[str, str], names: dict[str, str]) -> pd.DataFrame:
    """One row per changed field: OZG-ID, Leistung, Feld, bisher → neu."""
    rows = [{"OZG-ID": fc.ozg_id, "Leistung": leistungen.get(fc.ozg_id, ""), "Feld": FIELD_LABELS[fc.field],
             "bisher": fmt.status_value(fc.field, fc.old, names), "neu": fmt.status_value(fc.field, fc.new, names)}
            for change in changes for fc in change.fields]
    return pd.DataFrame(rows, columns=["OZG-ID", "Leistung", "Feld", "bisher", "neu"])


def slug(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", name.replace("ß", "ss").replace("ä", "ae").replace("ö", "oe")
                  .replace("ü", "ue")).strip("-")


def template_bytes(database, city: Kommune) -> bytes:
    """The pre-filled template as .xlsx bytes (built only when the download is clicked)."""
    buffer = io.BytesIO()
    build_template(database, city).save(buffer)
    return buffer.getvalue()


def check_upload(user: auth.User, kommune: Kommune, file_name: str, data: bytes, key: tuple,
                 notice: str | None = None) -> None:
    """Check uploaded bytes for `kommune` and keep the outcome in the session (the seam the tests drive).

    `notice` is shown above the new preview (after a refused commit the file is checked again at once).
    """
    st.session_state[SEEN] = key
    st.session_state.pop(DONE, None)
    with st.status(f"„{ui.escape(file_name)}“ wird geprüft …", expanded=False) as box:
        try:
            outcome, token = service.check_upload(get_db(), user, kommune.ags, file_name, data)
        except OzgError as exc:
            box.update(label="Prüfung nicht möglich", state="error")
            st.session_state.pop(CHECKED, None)
            st.error(str(exc))
            return
        report = build_error_report(outcome.problems, data, file_name) if outcome.problems else None
        box.update(label="Prüfung abgeschlossen", state="complete" if outcome.ok else "error")
    give_back()  # the parsed workbook is garbage now: return its memory (dashboard/memory.py)
    st.session_state[CHECKED] = {"key": key, "ags": kommune.ags, "file_name": file_name, "data": data,
                                 "outcome": outcome, "token": token, "report": report, "notice": notice}


def commit(user: auth.User, kommune: Kommune, checked: dict) -> None:
    """Apply the checked file after the coordinator confirmed the preview (exactly that preview, or nothing)."""
    outdated = None
    with st.status("Import wird gespeichert …", expanded=True) as box:
        bar = st.progress(10, text="Stand der Kommune prüfen …")
        try:
            bar.progress(40, text="Datei lesen und Änderungen in einem Schritt speichern …")
            outcome = service.import_upload(get_db(), user, kommune.ags, checked["file_name"], checked["data"],
                                            checked["token"])
        except PreviewOutdated as exc:
            box.update(label="Nicht gespeichert: der Stand hat sich geändert", state="error")
            outdated = exc
        except OzgError as exc:  # DatabaseBusy, PermissionDenied: nothing was written
            box.update(label="Nicht gespeichert", state="error")
            st.error(f"{exc} Es wurde nichts geändert.")
            return
        else:
            bar.progress(100, text="Fertig")
            box.update(label="Import gespeichert", state="complete")
    if outdated is not None:  # check again at once; the new preview comes with a new confirmation button
        check_upload(user, kommune, checked["file_name"], checked["data"], checked["key"], notice=(
            f"Nicht gespeichert. {outdated} Die Datei wurde sofort gegen den neuen Stand geprüft: die Vorschau "
            "unten zeigt, was sie jetzt ändern würde. Bitte prüfen und erneut bestätigen."))
        st.rerun()
    result = outcome.result
    st.session_state[DONE] = (f"Import {result.batch_id} gespeichert: "
                              f"{fmt.counted(result.rows_changed, 'Leistung', 'Leistungen')} von {kommune.name} "
                              "geändert. Die Seite „Verlauf“ zeigt ihn; dort lässt er sich auch zurücknehmen.")
    st.session_state.pop(CHECKED, None)
    st.rerun()


def show_check(user: auth.User, kommune: Kommune, checked: dict, leistungen: dict, names: dict) -> None:
    outcome = checked["outcome"]
    if checked.get("notice"):
        st.error(checked["notice"])
    st.text(f"Datei: {checked['file_name']}  ·  SHA-256: {outcome.sha256}")
    if outcome.problems:
        errors, warnings = len(outcome.errors), len(outcome.warnings)
        if errors:
            st.error(f"Die Datei wurde abgelehnt: {fmt.number(errors)} Fehler"
                     + (f", {fmt.counted(warnings, 'Warnung', 'Warnungen')}" if warnings else "")
                     + ". Es wurde nichts geändert. Bitte die Datei korrigieren und erneut hochladen.")
        else:
            st.warning(f"{fmt.counted(warnings, 'Warnung', 'Warnungen')} – die Datei kann trotzdem übernommen werden.")
        st.html(problem_table(problem_frame(outcome.problems)))  # messages wrap; no sideways scrolling
        st.download_button("Prüfbericht mit markierten Zellen (.xlsx)", checked["report"],
                           file_name=f"Pruefbericht-{slug(checked['file_name'])}.xlsx",
                           mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    if not outcome.ok:
        return
    result = outcome.result
    fields = sum(len(c.fields) for c in result.changes)
    cols = st.columns(3)
    cols[0].metric("Zeilen gelesen", fmt.number(result.rows_read), border=True)
    cols[1].metric("Leistungen geändert", fmt.number(result.rows_changed), border=True)
    cols[2].metric("Felder geändert", fmt.number(fields), border=True)
    if not result.changes:
        st.info(f"Die Datei ist gültig und entspricht dem gespeicherten Stand von {kommune.name} – "
                "es gibt nichts zu übernehmen.")
        return
    st.subheader("Vorschau: bisher → neu")
    st.dataframe(diff_frame(result.changes, leistungen, names), hide_index=True, width="stretch",
                 key="meldung_diff")
    ui.note("Noch ist nichts gespeichert. Leistungen, die nicht in der Datei stehen, bleiben unverändert.")
    # The key names the preview: a click on an earlier preview's button can never confirm this one.
    if st.button(f"{fmt.counted(result.rows_changed, 'Änderung', 'Änderungen')} für {kommune.name} übernehmen",
                 type="primary", key=f"{COMMIT}{checked['token'].key}"):
        commit(user, kommune, checked)


def _forget_form(prefix: str) -> None:
    """Drop the form's widget values and pre-fill, so the next run fills it from the stored state again."""
    for key in [k for k in st.session_state if isinstance(k, str) and k.startswith(prefix)]:
        del st.session_state[key]


def _edit_result(ozg_id: str, labels: dict[str, str], names: dict[str, str]) -> None:
    """The message the last save or refusal of this form left (shown after the rerun that refreshed the form)."""
    edited = st.session_state.get(EDITED)
    if not edited or edited[0] != ozg_id:
        return
    _, kind, message, changes = edited
    if kind == "saved":
        st.success(message)
        st.dataframe(diff_frame(changes, labels, names), hide_index=True, width="stretch", key="meldung_edit_diff")
    else:
        st.error(message)


def quick_edit(user: auth.User, kommune: Kommune, table: pd.DataFrame, names: dict[str, str]) -> None:
    """Form for one Leistung, pre-filled with its current state; saved as an import of kind 'edit'.

    The form remembers the city version it was filled from; saving is refused if the city changed since, and the
    form is then filled again from the new state (nothing is overwritten that the coordinator did not see).
    """
    labels = dict(zip(table["ozg_id"], table["leistung"], strict=True))
    ozg_id = st.selectbox("Leistung", list(labels), index=None, key="meldung_edit_leistung",
                          format_func=lambda oid: f"{oid} – {labels[oid]}", placeholder="Leistung wählen …")
    if ozg_id is None:
        return
    k = f"meldung_edit_{kommune.ags}_{ozg_id}_"
    if k + "seen" not in st.session_state:  # first render of this form: pre-fill and its version, read together
        st.session_state[k + "seen"] = service.edit_state(get_db(), user, kommune.ags, ozg_id)
    state, seen_version = st.session_state[k + "seen"]
    _edit_result(ozg_id, labels, names)

    def now(field):
        return state.get(field)

    def as_date(value):
        return pd.Timestamp(value).date() if value is not None else None

    model = now("reifegrad_model") or "1.1"
    levels = [None, *range(REIFEGRAD_MODELS[model] + 1)]
    yes_no = [None, True, False]
    with st.form(f"meldung_edit_{kommune.ags}_{ozg_id}"):
        c1, c2 = st.columns(2)
        reifegrad = c1.selectbox(f"Reifegrad (Modell {model})", levels,
                                 index=levels.index(int(now("reifegrad"))) if now("reifegrad") is not None else 0,
                                 format_func=lambda v: "–" if v is None else REIFEGRAD_LABELS_11.get(v, str(v))
                                 if model == "1.1" else str(v), key=k + "reifegrad")
        phase = c2.selectbox("Status", [None, *STATUSES], key=k + "status",
                             index=[None, *STATUSES].index(now("status")) if now("status") in STATUSES else 0,
                             format_func=lambda v: "–" if v is None else v)
        geplant = c1.date_input("Geplant bis", value=as_date(now("geplant_bis")), format="DD.MM.YYYY",
                                min_value=dt.date(2000, 1, 1), max_value=dt.date(2045, 12, 31), key=k + "geplant")
        online = c2.date_input("Online seit", value=as_date(now("online_seit")), format="DD.MM.YYYY",
                               min_value=dt.date(2000, 1, 1), max_value=clock.today(), key=k + "online")
        e2e = c1.selectbox("Ende-zu-Ende", yes_no, index=yes_no.index(now("ende_zu_ende")), key=k + "e2e",
                           format_func=lambda v: "–" if v is None else fmt.yes_no(v))
        bescheid = c2.selectbox("Bescheid digital", yes_no, index=yes_no.index(now("bescheid_digital")),
                                key=k + "bescheid", format_func=lambda v: "–" if v is None else fmt.yes_no(v))
        lead_options = [None, *names]
        lead = c1.selectbox("Federführung", lead_options, key=k + "lead",
                            index=lead_options.index(now("federfuehrung")) if now("federfuehrung") in names else 0,
                            format_func=lambda v: "–" if v is None else names[v])
        plattform = c2.text_input("Plattform", value=now("plattform") or "", key=k + "plattform")
        link = st.text_input("Link (https://…)", value=now("link") or "", key=k + "link")
        bemerkung = st.text_area("Bemerkung", value=now("bemerkung") or "", key=k + "bemerkung")
        saved = st.form_submit_button("Speichern")
    if not saved:
        return
    st.session_state.pop(EDITED, None)
    values = {"reifegrad": reifegrad, "status": phase, "geplant_bis": geplant, "online_seit": online,
              "ende_zu_ende": e2e, "bescheid_digital": bescheid, "federfuehrung": lead, "plattform": plattform,
              "link": link, "bemerkung": bemerkung}
    try:
        outcome = service.quick_edit(get_db(), user, kommune.ags, ozg_id, values, expected_version=seen_version)
    except PreviewOutdated as exc:
        st.session_state[EDITED] = (ozg_id, "outdated", f"Nicht gespeichert. {exc} Das Formular zeigt jetzt den "
                                    "neuen Stand – bitte die Änderung darin erneut eintragen und speichern.", [])
        _forget_form(k)
        st.rerun()
    except OzgError as exc:
        st.error(str(exc))
        return
    if not outcome.ok:
        st.error("Nicht gespeichert – bitte korrigieren:")
        st.html(problem_table(problem_frame(outcome.problems), ["Spalte", "Wert", "Meldung"]))
    elif outcome.result.rows_changed:
        st.session_state[EDITED] = (ozg_id, "saved", f"Gespeichert als Import {outcome.result.batch_id} "
                                    "(Schnellerfassung).", outcome.result.changes)
        _forget_form(k)  # the saved state (and its new version) fills the form again
        st.rerun()
    else:
        st.info("Keine Änderung – nichts gespeichert.")


user = require_writer()
st.title("Meldung")
ui.note("Den Stand der eigenen Kommune pflegen: Vorlage herunterladen, ausfüllen, hochladen, Vorschau prüfen, "
           "übernehmen. Jede Änderung steht danach im Verlauf und lässt sich zurücknehmen.")
cities = load(queries.kommunen)
names = dict(zip(cities["ags"], cities["name"], strict=True))
allowed = auth.writable_cities(user, list(names))
if not allowed:
    st.warning("Ihrem Konto ist noch keine Kommune zugeordnet. Bitte an die Administration wenden.")
    st.stop()
ags = st.selectbox("Kommune", allowed, format_func=names.get, key="meldung_city")
kommune = kommunen.from_frame(cities, ags)
leistungen = load(queries.leistungen)
leistung_names = dict(zip(leistungen["ozg_id"], leistungen["name"], strict=True))
link_box.broken_links(ags)

st.header("1. Vorlage herunterladen")
ui.note(f"Die Vorlage ist mit dem aktuellen Stand von {kommune.name} vorausgefüllt (Blatt „Status“, "
           "Auswahllisten für Status, Reifegrad und ja/nein).")
db = get_db()
st.download_button(f"Vorlage für {kommune.name} (.xlsx)", key="meldung_template",
                   data=lambda: template_bytes(db, kommune),
                   file_name=f"OZG-Status-{slug(kommune.name)}-{clock.today():%Y-%m-%d}.xlsx",
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")



st.header("2. Datei hochladen und prüfen")
if DONE in st.session_state:
    st.success(st.session_state[DONE])
upload = st.file_uploader("Statusdatei", type=["xlsx", "ods", "csv"], key="meldung_upload", help=LIMITS,
                          max_upload_size=MAX_BYTES // 2**20)
ui.note(LIMITS)
if upload is not None:
    key = (ags, upload.file_id, upload.name, upload.size)
    if st.session_state.get(SEEN) != key:
        check_upload(user, kommune, upload.name, upload.getvalue(), key)
checked = st.session_state.get(CHECKED)
if checked and checked["ags"] == ags:
    show_check(user, kommune, checked, leistung_names, names)

st.header("3. Einzelne Leistung schnell ändern")
ui.note("Für eine einzelne Änderung ohne Datei. Es gelten dieselben Prüfungen wie beim Hochladen; die Änderung "
           "wird als eigener Import „Schnellerfassung“ gespeichert.")
quick_edit(user, kommune, load(queries.status_table, ags=[ags]), names)
