"""AppTest of the coordinator's job: sign in, upload, check, preview, commit, Verlauf, revert, quick edit.

Streamlit 1.67's AppTest drives st.file_uploader directly (`set_value((name, bytes, mime))`), so the real upload
path of the page is exercised; the page keeps the checked upload in session state between reruns.
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import openpyxl
import pytest
from streamlit.testing.v1 import AppTest

from loaders import cli, template
from ozg import queries, users
from tests.ozg.auth_support import FULDA, OPERATOR, PASSWORD, batch_count, current

APP = "../../dashboard/app.py"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
INJECTION = "<script>alert(1)</script> :red[x] $x$ **fett**"



@pytest.fixture
def app_db(sample_db, tmp_path, monkeypatch):
    """The sample database with users; the app (and ozg.users) use it and a private users file."""
    monkeypatch.setenv("OZG_DB", sample_db.url)
    monkeypatch.setenv("OZG_USERS", str(tmp_path / "users.toml"))
    users.add_user(sample_db, OPERATOR, "fulda", "coordinator", ["Fulda"], display_name="Fulda-Koordination",
                   password=PASSWORD)
    users.add_user(sample_db, OPERATOR, "leser", "viewer")
    users.add_user(sample_db, OPERATOR, "chefin", "admin")
    return sample_db


def edited_template(db, path: Path, city: str, edits: dict[str, dict[str, object]]) -> bytes:
    """The city's template as the app offers it, with cells changed: {ozg_id: {header: value}}."""
    template.write_template(db, city, path)
    wb = openpyxl.load_workbook(path)
    ws = wb["Status"]
    header = {c.value: c.column for c in ws[1]}
    for row in ws.iter_rows(min_row=2):
        for label, value in edits.get(str(row[0].value), {}).items():
            ws.cell(row=row[0].row, column=header[label], value=value)
    wb.save(path)
    return path.read_bytes()


def start(user: str | None = None, page: str = "meldung") -> AppTest:
    """The app on `page`, signed in as `user` (session state, as the sign-in form leaves it)."""
    at = AppTest.from_file(APP, default_timeout=120)
    if user:
        at.session_state["ozg_user_name"] = user
    at.run()
    at.switch_page(f"app_pages/{page}.py").run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def upload(at: AppTest, name: str, data: bytes) -> AppTest:
    at.file_uploader(key="meldung_upload").set_value((name, data, XLSX)).run()
    assert not at.exception, [e.message for e in at.exception]
    return at


TABLES = {  # AppTest does not expose the key of a read-only st.dataframe: tables are told apart by their columns
    "meldung_diff": ["OZG-ID", "Leistung", "Feld", "bisher", "neu"],
    "verlauf_table": ["Import", "Art", "Zeitpunkt", "Benutzer", "Kommune", "Datei", "SHA-256", "gelesen", "geändert",
                      "abgelehnt", "Hinweis"],
    "verlauf_changes": ["OZG-ID", "Leistung", "Feld", "bisher", "neu"],
}


def _by_key(at: AppTest, key: str):
    found = [d.value for d in at.dataframe if list(d.value.columns) == TABLES[key]]
    assert len(found) == 1, f"{len(found)} tables like {key}"
    return found[0]


class _ProblemTable(HTMLParser):
    """Header and rows of the problem table (dashboard/problem_table.py): cell texts, the phone-only place line
    (span.ozg-place) kept apart."""

    def __init__(self) -> None:
        super().__init__()
        self.header: list[str] = []
        self.rows: list[list[str]] = []
        self.places: list[str] = []
        self._cell: list[str] | None = None
        self._in_place = False

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = []
        elif tag == "span" and ("class", "ozg-place") in attrs:
            self._in_place = True
            self.places.append("")

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append("".join(self._cell))
            self._cell = None
        elif tag == "span":
            self._in_place = False

    def handle_data(self, data):
        if self._in_place:
            self.places[-1] += data
        elif self._cell is not None:
            self._cell.append(data)


def problem_table(at: AppTest) -> tuple[list[dict[str, str]], list[str]]:
    """(rows as {column: text}, place lines) of the one problem table on the page."""
    found = [h.value for h in at.get("html") if 'class="ozg-problems"' in h.value]
    assert len(found) == 1, f"{len(found)} problem tables"
    parser = _ProblemTable()
    parser.feed(found[0])
    header, *rows = parser.rows
    return [dict(zip(header, row, strict=True)) for row in rows], parser.places


def commit_buttons(at: AppTest) -> list:
    """The preview's confirmation buttons (their key names the preview: meldung_commit_<version>-<fingerprint>)."""
    return [b for b in at.button if (b.key or "").startswith("meldung_commit_")]


def commit_button(at: AppTest):
    buttons = commit_buttons(at)
    assert len(buttons) == 1, [b.label for b in buttons]
    return buttons[0]


def rendered_text(at: AppTest) -> str:
    """Everything the page rendered as markdown (where :red[…], $…$ and HTML would take effect)."""
    parts = [e.value for group in (at.markdown, at.caption, at.error, at.warning, at.info, at.success, at.title,
                                   at.header, at.subheader) for e in group]
    return "\n".join(parts)


def test_sign_in_form_and_sign_out(app_db):
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.text_input(key="ozg_sign_in_name").input("fulda")
    at.text_input(key="ozg_sign_in_password").input("falsch-falsch-falsch")
    at.button(key="FormSubmitter:ozg_sign_in-Anmelden").click().run()
    assert [e.value for e in at.error] == ["Benutzername oder Passwort falsch."]
    at.text_input(key="ozg_sign_in_name").input("Fulda")
    at.text_input(key="ozg_sign_in_password").input(PASSWORD)
    at.button(key="FormSubmitter:ozg_sign_in-Anmelden").click().run()
    assert at.session_state["ozg_user_name"] == "fulda"
    assert "Angemeldet: Fulda-Koordination\nKoordination für 1 Kommune" in [t.value for t in at.text]
    at.button(key="ozg_sign_out").click().run()
    assert "ozg_user_name" not in at.session_state


def test_meldung_needs_a_coordinator(app_db):
    at = start(None)
    assert "Bitte zuerst in der Seitenleiste anmelden" in at.info[0].value
    assert not at.file_uploader
    at = start("leser")
    assert "nur Leserechte" in at.warning[0].value and not at.file_uploader


def test_coordinator_sees_only_own_city_admin_all(app_db):
    assert start("fulda").selectbox(key="meldung_city").options == ["Fulda"]
    assert len(start("chefin").selectbox(key="meldung_city").options) == 5


def test_upload_preview_commit_history_revert(app_db, tmp_path):
    before = queries.status_table(app_db, ags=[FULDA]).set_index("ozg_id")
    data = edited_template(app_db, tmp_path / "fulda.xlsx", "Fulda", {
        "10000": {"Reifegrad": 4, "Status": "online"},
        "10001": {"Bemerkung": INJECTION},
    })
    batches_before = batch_count(app_db)
    at = upload(start("fulda"), "Fulda Meldung.xlsx", data)
    assert [(m.label, m.value) for m in at.metric] == [("Zeilen gelesen", "557"), ("Leistungen geändert", "2"),
                                                      ("Felder geändert", _fields(before))]
    diff = _by_key(at, "meldung_diff")
    assert diff[diff["OZG-ID"] == "10001"][["Feld", "neu"]].values.tolist() == [["Bemerkung", INJECTION]]
    assert diff[(diff["OZG-ID"] == "10000") & (diff["Feld"] == "Reifegrad")]["neu"].tolist() == ["4"]
    assert batch_count(app_db) == batches_before  # preview writes nothing

    commit_button(at).click().run()
    assert not at.exception
    assert at.success[0].value.startswith("Import ")
    assert current(app_db, FULDA, "10000")["reifegrad"] == 4
    assert current(app_db, FULDA, "10001")["bemerkung"] == INJECTION
    assert INJECTION not in rendered_text(at)

    at.switch_page("app_pages/verlauf.py").run()
    assert at.selectbox(key="kommune").value == FULDA  # the signed-in coordinator's city is preselected
    history = _by_key(at, "verlauf_table")
    top = history.iloc[0]
    assert (top["Art"], top["Benutzer"], top["Kommune"], top["Datei"], top["geändert"]) == (
        "Datei-Import", "fulda", "Fulda", "Fulda Meldung.xlsx", 2)
    changes = _by_key(at, "verlauf_changes")
    assert [INJECTION] == changes[changes["Feld"] == "Bemerkung"]["neu"].tolist()
    batch_id = int(top["Import"])
    sha = queries.batches(app_db, ags=FULDA).iloc[0].sha256
    assert any(f"SHA-256: {sha}" in t.value for t in at.text)

    at.checkbox(key=f"verlauf_sure_{batch_id}").check().run()
    at.button(key=f"verlauf_revert_{batch_id}").click().run()
    assert not at.exception
    assert at.success[0].value.startswith(f"Import {batch_id} zurückgenommen")
    after = queries.status_table(app_db, ags=[FULDA]).set_index("ozg_id")
    for oid in ("10000", "10001"):
        assert after.loc[oid, ["reifegrad", "status", "bemerkung"]].tolist() == \
            before.loc[oid, ["reifegrad", "status", "bemerkung"]].tolist()
    history = _by_key(at, "verlauf_table")
    assert history.iloc[0]["Art"] == "Rücknahme"
    assert history.iloc[1]["Hinweis"] == f"zurückgenommen durch Import {history.iloc[0]['Import']}"


def _fields(before) -> str:
    """Fields changed by the edit above: Reifegrad (and Status unless it already was online), Bemerkung."""
    changed = 2 + (before.loc["10000", "status"] != "online") - (before.loc["10000", "reifegrad"] == 4)
    return str(changed)


def test_bad_file_lists_every_problem_and_changes_nothing(app_db, tmp_path):
    data = edited_template(app_db, tmp_path / "fulda.xlsx", "Fulda", {
        "10000": {"Reifegrad": 9},
        "10001": {"Status": "fertig", "Link": "ftp://fulda.de"},
        "10002": {"Online seit": "31.13.2022", "Bemerkung": INJECTION},
    })
    batches_before = batch_count(app_db)
    at = upload(start("fulda"), "kaputt.xlsx", data)
    assert at.error[0].value.startswith("Die Datei wurde abgelehnt: 4 Fehler.")
    problems, places = problem_table(at)
    assert [[p["Zeile"], p["Spalte"], p["Wert"]] for p in problems] == [
        ["2", "Reifegrad", "9"], ["3", "Status", "fertig"], ["3", "Link", "ftp://fulda.de"],
        ["4", "Online seit", "31.13.2022"]]
    assert all(p["Blatt"] == "Status" and "erwartet" in p["Meldung"] for p in problems)
    assert problems[1]["Meldung"] == ("„fertig“ ist kein Status – erwartet einen von: nicht begonnen, geplant, "
                                      "Konzeption, Umsetzung, Pilot, online, nicht relevant.")   # in full
    assert places[2] == "Blatt Status · Zeile 3 · Spalte Link · Wert „ftp://fulda.de“"   # the phone's place line
    assert not commit_buttons(at)
    assert batch_count(app_db) == batches_before
    assert INJECTION not in rendered_text(at)


def test_file_for_another_city_is_refused(app_db, tmp_path):
    data = edited_template(app_db, tmp_path / "wetzlar.xlsx", "Wetzlar", {"10000": {"Reifegrad": 4}})
    at = upload(start("fulda"), "wetzlar.xlsx", data)
    problems, places = problem_table(at)
    assert [(p["Art"], p["Blatt"], p["Zeile"], p["Spalte"]) for p in problems] == [("Fehler", "Info", "–", "AGS")]
    assert problems[0]["Meldung"] == ("Die Datei ist die Vorlage für AGS 06532023, importiert werden soll aber "
                                      "Fulda (06631009). Bitte die Vorlage von Fulda verwenden.")
    assert places == ["ganze Datei · Blatt Info · Spalte AGS · Wert „06532023“"]
    html = next(h.value for h in at.get("html") if "ozg-problems" in h.value)
    assert "None" not in html and "&lt;NA&gt;" not in html and "<NA>" not in html   # a problem without a row
    assert not commit_buttons(at)


def test_quick_edit_checks_like_a_file_and_records_an_edit(app_db):
    at = start("fulda")
    at.selectbox(key="meldung_edit_leistung").set_value("10003").run()
    k = f"meldung_edit_{FULDA}_10003_"
    submit = f"FormSubmitter:meldung_edit_{FULDA}_10003-Speichern"
    before = batch_count(app_db)
    at.text_input(key=k + "link").input("javascript:alert(1)")
    at.button(key=submit).click().run()
    problems, _ = problem_table(at)
    assert [p["Spalte"] for p in problems] == ["Link"] and "kein Web-Link" in problems[0]["Meldung"]
    assert list(problems[0]) == ["Spalte", "Wert", "Meldung"]
    assert batch_count(app_db) == before
    at.text_input(key=k + "link").input("https://www.fulda.de/elterngeld")
    at.text_area(key=k + "bemerkung").input(INJECTION)
    at.selectbox(key=k + "status").set_value("Pilot")
    at.button(key=submit).click().run()
    assert not at.exception and at.success[0].value.startswith("Gespeichert als Import")
    state = current(app_db, FULDA, "10003")
    assert (state["status"], state["link"], state["bemerkung"]) == ("Pilot", "https://www.fulda.de/elterngeld",
                                                                   INJECTION)
    assert queries.batches(app_db, ags=FULDA).iloc[0].kind == "edit"
    assert INJECTION not in rendered_text(at)


def _cron_sets(db, tmp_path, ozg_id: str, value: str) -> None:
    """A second writer between preview and click: the CLI imports one Status cell for Fulda (as a cron job would)."""
    path = tmp_path / "cron.csv"
    path.write_text(f"OZG-ID;Status\r\n{ozg_id};{value}\r\n", encoding="utf-8")
    assert cli.main(["--db", db.url, "status", str(path), "--city", "Fulda", "--user", "cron"]) == 0


def test_click_on_an_outdated_preview_is_refused_visibly_and_shows_the_new_preview(app_db, tmp_path):
    data = edited_template(app_db, tmp_path / "fulda.xlsx", "Fulda",
                           {oid: {"Reifegrad": 4, "Status": "online"} for oid in ("10000", "10001", "10002")})
    at = upload(start("fulda"), "Fulda Meldung.xlsx", data)
    old = commit_button(at)
    assert old.label == "3 Änderungen für Fulda übernehmen"
    _cron_sets(app_db, tmp_path, "10010", "Pilot")
    batches = batch_count(app_db)

    old.click().run()
    assert not at.exception
    assert batch_count(app_db) == batches and current(app_db, FULDA, "10010")["status"] == "Pilot"
    assert [e.value for e in at.error if e.value.startswith("Nicht gespeichert.")], [e.value for e in at.error]
    new = commit_button(at)
    assert new.label == "4 Änderungen für Fulda übernehmen" and new.key != old.key
    diff = _by_key(at, "meldung_diff")
    assert diff[diff["OZG-ID"] == "10010"][["Feld", "bisher", "neu"]].values.tolist() == [
        ["Status", "Pilot", "nicht begonnen"]]

    at.run()  # any other rerun (here: nothing clicked) saves nothing
    assert batch_count(app_db) == batches
    new.click().run()
    assert at.success[0].value.startswith("Import ") and "4 Leistungen von Fulda geändert" in at.success[0].value
    assert current(app_db, FULDA, "10010")["status"] == "nicht begonnen"
    assert batch_count(app_db) == batches + 1


def test_quick_edit_after_someone_else_changed_the_city_is_refused_and_refilled(app_db, tmp_path):
    at = start("fulda")
    at.selectbox(key="meldung_edit_leistung").set_value("10003").run()
    k = f"meldung_edit_{FULDA}_10003_"
    submit = f"FormSubmitter:meldung_edit_{FULDA}_10003-Speichern"
    _cron_sets(app_db, tmp_path, "10003", "Pilot")
    batches = batch_count(app_db)
    at.text_area(key=k + "bemerkung").input("vor dem Cron-Import ausgefüllt")
    at.button(key=submit).click().run()
    assert not at.exception and batch_count(app_db) == batches
    assert [e.value for e in at.error if e.value.startswith("Nicht gespeichert. Seit dem Öffnen des Formulars")]
    assert at.selectbox(key=k + "status").value == "Pilot"  # the form shows the new state
    assert at.text_area(key=k + "bemerkung").value != "vor dem Cron-Import ausgefüllt"
    at.text_area(key=k + "bemerkung").input("nach dem Cron-Import")
    at.button(key=submit).click().run()
    assert at.success[0].value.startswith("Gespeichert als Import")
    state = current(app_db, FULDA, "10003")
    assert (state["status"], state["bemerkung"]) == ("Pilot", "nach dem Cron-Import")
    assert batch_count(app_db) == batches + 1
