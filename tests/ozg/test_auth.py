"""Roles and permission checks (ozg/auth.py) and user management with argon2 hashes (ozg/users.py)."""

from __future__ import annotations

import stat

import pytest

from loaders.cli import main
from ozg import auth, users
from ozg.auth import BatchRef, User
from ozg.errors import PermissionDenied
from tests.ozg.auth_support import FULDA, OPERATOR, PASSWORD, WETZLAR, make_users

COORD = User("fulda", "coordinator", frozenset({FULDA}))
VIEWER = User("leser", "viewer")
ADMIN = User("admin", "admin")


def test_coordinator_writes_only_own_city():
    assert auth.can_write(COORD, FULDA)
    assert not auth.can_write(COORD, WETZLAR)
    with pytest.raises(PermissionDenied, match="„fulda“ ist nicht für Wetzlar zuständig"):
        auth.require_write(COORD, WETZLAR, "Wetzlar")


def test_viewer_anonymous_and_locked_users_cannot_write():
    with pytest.raises(PermissionDenied, match="nur Leserechte"):
        auth.require_write(VIEWER, FULDA, "Fulda")
    with pytest.raises(PermissionDenied, match="Bitte zuerst anmelden"):
        auth.require_write(None, FULDA, "Fulda")
    locked = User("fulda", "coordinator", frozenset({FULDA}), active=False)
    with pytest.raises(PermissionDenied, match="gesperrt"):
        auth.require_write(locked, FULDA)


def test_admin_writes_everywhere():
    assert auth.can_write(ADMIN, FULDA) and auth.can_write(ADMIN, WETZLAR)
    assert auth.writable_cities(COORD, [WETZLAR, FULDA]) == [FULDA]


def test_revert_rights():
    own = BatchRef(7, "status", FULDA, "fulda")
    assert auth.can_revert(COORD, own)
    assert auth.can_revert(ADMIN, own)
    assert not auth.can_revert(User("fulda2", "coordinator", frozenset({FULDA})), own)
    assert not auth.can_revert(VIEWER, own)
    assert not auth.can_revert(None, own)
    # the coordinator who lost the city can no longer revert there
    assert not auth.can_revert(User("fulda", "coordinator", frozenset({WETZLAR})), own)
    with pytest.raises(PermissionDenied, match="Import 7 stammt von „fulda“"):
        auth.require_revert(User("fulda2", "coordinator", frozenset({FULDA})), own)


def test_add_user_stores_role_and_cities_in_db_and_hash_in_file(db, tmp_path):
    path = tmp_path / "users.toml"
    made = make_users(db, path)
    assert made["fulda"] == users.get_user(db, "fulda")
    assert users.get_user(db, "fulda").cities == frozenset({FULDA})
    text = path.read_text()
    assert PASSWORD not in text and "$argon2id$" in text
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    hashes = users.read_hashes(path)
    assert hashes["fulda"] != hashes["fulda2"]  # same password, different salt


def test_authenticate(db, tmp_path):
    path = tmp_path / "users.toml"
    make_users(db, path)
    assert users.authenticate(db, "Fulda ", PASSWORD, path).name == "fulda"
    assert users.authenticate(db, "fulda", PASSWORD + "x", path) is None
    assert users.authenticate(db, "niemand", PASSWORD, path) is None
    assert users.authenticate(db, "fulda", PASSWORD, tmp_path / "missing.toml") is None
    users.set_active(db, OPERATOR, "fulda", False)
    assert users.authenticate(db, "fulda", PASSWORD, path) is None


@pytest.mark.parametrize(("name", "role", "cities", "password", "message"), [
    ("x", "admin", [], PASSWORD, "kein gültiger Benutzername"),
    ("anna", "chef", [], PASSWORD, "Rolle „chef“ gibt es nicht"),
    ("anna", "coordinator", [], PASSWORD, "mindestens eine Kommune"),
    ("anna", "viewer", ["Fulda"], PASSWORD, "nur für die Rolle coordinator"),
    ("anna", "admin", [], "kurz", "zu kurz"),
])
def test_add_user_rejects(db, tmp_path, name, role, cities, password, message):
    with pytest.raises(users.InvalidUser, match=message):
        users.add_user(db, OPERATOR, name, role, cities, password=password, users_path=tmp_path / "u.toml")
    assert users.list_users(db) == []


def test_email_maps_oidc_sign_in(db, tmp_path):
    users.add_user(db, OPERATOR, "anna", "coordinator", ["06631009"], email="Anna@Fulda.de",
                   users_path=tmp_path / "u.toml")
    assert users.user_by_email(db, "anna@fulda.de ").name == "anna"
    assert users.user_by_email(db, "bob@fulda.de") is None
    assert not (tmp_path / "u.toml").exists()  # no password given: no local hash


def test_cli_users_add_reads_password_from_stdin(db, tmp_path, monkeypatch, capsys):
    import io

    monkeypatch.setenv("OZG_USERS", str(tmp_path / "users.toml"))
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert main(["--db", db.url, "users", "add", "anna", "--role", "coordinator", "--city", "Fulda",
                 "--password-stdin"]) == 0
    assert "Benutzer anna angelegt: Rolle coordinator, Kommunen 06631009" in capsys.readouterr().out
    assert users.authenticate(db, "anna", PASSWORD).name == "anna"
    monkeypatch.setattr("sys.stdin", io.StringIO("kurz\n"))
    assert main(["--db", db.url, "users", "add", "bob", "--role", "admin", "--password-stdin"]) == 2
    assert "zu kurz" in capsys.readouterr().err
    assert main(["--db", db.url, "users", "list"]) == 0
    assert capsys.readouterr().out.startswith("anna | coordinator | 06631009")
