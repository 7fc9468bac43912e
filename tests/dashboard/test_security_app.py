"""The app on a city network (issue 12): no tracebacks, no database created by the app, verified OIDC only,
throttled sign-in, no user names for anonymous visitors, escaped titles. AppTest on real databases."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from ozg import login_throttle, users
from tests.ozg.auth_support import OPERATOR, PASSWORD

APP = "../../dashboard/app.py"
REPO = Path(__file__).resolve().parents[2]
ISSUER = "https://login.example.de/realms/kiv"
OIDC_SECRETS = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32,
                "client_id": "cockpit", "client_secret": "s",
                "server_metadata_url": ISSUER + "/.well-known/openid-configuration"}


def run_app(page: str | None = None, user: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    if user:
        at.session_state["ozg_user_name"] = user
    at.run()
    if page:
        at.switch_page(f"app_pages/{page}.py").run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def errors(at: AppTest) -> list[str]:
    return [e.value for e in at.error]


@pytest.fixture
def app_db(sample_db, tmp_path, monkeypatch):
    monkeypatch.setenv("OZG_DB", sample_db.url)
    monkeypatch.setenv("OZG_USERS", str(tmp_path / "users.toml"))
    users.add_user(sample_db, OPERATOR, "fulda", "coordinator", ["Fulda"], display_name="Fulda-Koordination",
                   email="k@fulda.de", password=PASSWORD)
    return sample_db


# --- no tracebacks, no database created by the app ----------------------------------------------------------------

def test_a_missing_database_is_explained_and_not_created(tmp_path, monkeypatch):
    path = tmp_path / "fehlt.duckdb"
    monkeypatch.setenv("OZG_DB", str(path))
    at = run_app()
    assert errors(at) == ["Die Datenbank fehlt.duckdb fehlt. Bitte auf dem Server `python -m loaders init` "
                          "ausführen (mit `--sample` für Beispieldaten)."]
    assert not path.exists() and not Path(str(path) + ".wal").exists()


def test_a_damaged_database_is_explained(tmp_path, monkeypatch):
    path = tmp_path / "kaputt.duckdb"
    path.write_bytes(b"\x00garbage" * 5000)
    monkeypatch.setenv("OZG_DB", str(path))
    at = run_app()
    assert len(errors(at)) == 1 and errors(at)[0].startswith("Die Datenbank kaputt.duckdb ist beschädigt")
    assert "python -m loaders init" in errors(at)[0] and "Traceback" not in errors(at)[0]


def test_an_uninitialised_database_is_explained(tmp_path, monkeypatch):
    path = tmp_path / "leer.duckdb"
    duckdb.connect(str(path)).close()
    monkeypatch.setenv("OZG_DB", str(path))
    at = run_app()
    assert len(errors(at)) == 1 and "nicht eingerichtet oder veraltet" in errors(at)[0]
    assert "`python -m loaders init`" in errors(at)[0]


def test_an_unexpected_error_inside_a_page_is_a_german_sentence(app_db, monkeypatch):
    from ozg import queries

    def broken(*args, **kwargs):
        raise RuntimeError("/srv/geheim/pfad explodiert")

    monkeypatch.setattr(queries, "kommunen", broken)
    at = run_app("verlauf")
    assert len(errors(at)) == 1 and errors(at)[0].startswith("Auf dieser Seite ist ein unerwarteter Fehler")
    assert "/srv/geheim" not in errors(at)[0]


def test_streamlit_config_hides_error_details_and_listens_on_localhost():
    config = tomllib.loads((REPO / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["showErrorDetails"] == "none"
    assert config["server"]["address"] == "127.0.0.1"
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    assert "ADDRESS ?= 127.0.0.1" in makefile and "--server.address $(ADDRESS)" in makefile


def test_a_busy_database_does_not_sign_a_coordinator_out(app_db, monkeypatch):
    at = run_app("meldung", user="fulda")
    assert at.file_uploader  # signed in: the upload is offered
    monkeypatch.setenv("OZG_DB_TIMEOUT", "0.2")
    holder = subprocess.Popen([sys.executable, "-c", "import duckdb, sys; c = duckdb.connect(sys.argv[1]); "
                               "print('ready', flush=True); sys.stdin.readline()", app_db.url],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ready"
        at.run()
        assert not at.exception
        assert errors(at) and all("gerade von einem anderen Programm belegt" in e for e in errors(at))
        assert not [i.value for i in at.info if "Bitte zuerst in der Seitenleiste anmelden" in i.value]
    finally:
        holder.communicate("\n", timeout=30)
    at.run()
    assert not errors(at) and at.file_uploader and at.session_state["ozg_user_name"] == "fulda"


# --- OIDC ----------------------------------------------------------------------------------------------------

def oidc_app(claims: dict) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.secrets["auth"] = OIDC_SECRETS
    at.user = claims
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def texts(at: AppTest) -> list[str]:
    return [t.value for t in at.text]


def test_oidc_unverified_email_reads_only(app_db):
    at = oidc_app({"is_logged_in": True, "iss": ISSUER, "sub": "s1", "email": "k@fulda.de",
                   "email_verified": False})
    assert "Angemeldet als k@fulda.de" in texts(at)
    assert not [t for t in texts(at) if t.startswith("Angemeldet: ")]


def test_oidc_verified_email_from_the_issuer_is_the_user(app_db):
    at = oidc_app({"is_logged_in": True, "iss": ISSUER, "sub": "s1", "email": "k@fulda.de",
                   "email_verified": True})
    assert "Angemeldet: Fulda-Koordination\nKoordination für 1 Kommune" in texts(at)


def test_oidc_verified_email_from_another_issuer_reads_only(app_db):
    at = oidc_app({"is_logged_in": True, "iss": "https://evil.example", "sub": "s1", "email": "k@fulda.de",
                   "email_verified": True})
    assert not [t for t in texts(at) if t.startswith("Angemeldet: ")]


# --- throttled sign-in -----------------------------------------------------------------------------------------

def sign_in(at: AppTest, name: str, password: str) -> AppTest:
    at.text_input(key="ozg_sign_in_name").input(name)
    at.text_input(key="ozg_sign_in_password").input(password)
    at.button(key="FormSubmitter:ozg_sign_in-Anmelden").click().run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def test_repeated_wrong_passwords_lock_the_account_even_for_the_right_one(app_db, monkeypatch):
    monkeypatch.setattr("dashboard.auth.FAILED_PAUSE", 0)
    at = run_app()
    for _ in range(login_throttle.ACCOUNT_LOCK_AFTER):
        sign_in(at, "fulda", "falsch-falsch-falsch")
    assert errors(at) == ["Benutzername oder Passwort falsch."]
    sign_in(at, "fulda", PASSWORD)
    assert errors(at) == ["Zu viele Fehlversuche – bitte in 1 Minute erneut versuchen."]
    assert "ozg_user_name" not in at.session_state
    assert login_throttle.unlock(app_db, "fulda") == 1
    login_throttle.unlock(app_db, client="127.0.0.1")
    sign_in(at, "fulda", PASSWORD)
    assert at.session_state["ozg_user_name"] == "fulda"


# --- who changed what: names only for signed-in people -----------------------------------------------------------

def _history_authors(at: AppTest) -> list[str]:
    found = [d.value for d in at.dataframe if "Benutzer" in d.value.columns]
    assert len(found) == 1
    return list(found[0]["Benutzer"])


def test_verlauf_shows_user_names_only_to_signed_in_people(app_db):
    with app_db.transaction() as conn:  # an import by the Fulda coordinator (hand-made record)
        conn.execute("UPDATE import_batch SET user_name = 'fulda' WHERE id = (SELECT max(id) FROM import_batch "
                     "WHERE ags = '06631009')")
        names = {r[0] for r in conn.execute("SELECT DISTINCT user_name FROM import_batch")}
    anonymous = _history_authors(run_app("verlauf"))
    assert not set(anonymous) & names
    assert "Koordination Fulda" in anonymous and set(anonymous) <= {"Koordination Fulda", "Betrieb"}
    assert "fulda" in _history_authors(run_app("verlauf", user="fulda"))
    anonymous_labels = [o for o in run_app("verlauf").selectbox(key="verlauf_import").options]
    assert not [o for o in anonymous_labels if o.endswith(" · fulda")]


# --- escaping ------------------------------------------------------------------------------------------------

def test_catalogue_and_city_names_in_titles_do_not_render_markdown(app_db):
    with app_db.transaction() as conn:
        conn.execute("UPDATE leistung SET name = ? WHERE ozg_id = '10001'", ["**fett** :red[rot] $x$"])
        conn.execute("UPDATE kommune SET name = name || ' :blue[blau]'")
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["leistung"] = "10001"
    at.run()
    at.switch_page("app_pages/leistung.py").run()
    heading = [h.value for h in at.header][0]
    assert "\\*\\*fett\\*\\* \\:red\\[rot\\] \\$x\\$" in heading
    at = run_app("kommune")
    assert at.title[0].value.endswith(" \\:blue\\[blau\\]")
