"""User management is checked in the service layer: only an active admin adds, locks or sets passwords (issue 12.5).

The CLI acts as the local operator (auth.local_operator), who has admin rights; the app passes the signed-in user.
"""

from __future__ import annotations

import pytest

from ozg import auth, users
from ozg.errors import PermissionDenied
from tests.ozg.auth_support import OPERATOR, PASSWORD


@pytest.fixture
def people(db, tmp_path):
    path = tmp_path / "users.toml"
    admin = users.add_user(db, OPERATOR, "chefin", "admin", users_path=path)
    coordinator = users.add_user(db, admin, "fulda", "coordinator", ["Fulda"], users_path=path)
    viewer = users.add_user(db, admin, "leser", "viewer", users_path=path)
    users.add_user(db, admin, "alt", "admin", users_path=path)
    users.set_active(db, admin, "alt", False)
    return {"admin": admin, "coordinator": coordinator, "viewer": viewer,
            "locked": users.get_user(db, "alt"), "path": path}


@pytest.mark.parametrize("who", ["coordinator", "viewer", "locked", None])
def test_only_an_active_admin_manages_users(db, people, who):
    acting = people[who] if who else None
    before = users.list_users(db)
    with pytest.raises(PermissionDenied, match="nur die Administration"):
        users.add_user(db, acting, "neu", "admin", users_path=people["path"])
    with pytest.raises(PermissionDenied):
        users.set_active(db, acting, "fulda", False)
    with pytest.raises(PermissionDenied):
        users.set_password(acting, "fulda", PASSWORD, people["path"])
    assert users.list_users(db) == before
    assert "fulda" not in users.read_hashes(people["path"])


def test_admin_manages_users_and_is_named_as_creator(db, people):
    admin = people["admin"]
    users.set_password(admin, "fulda", PASSWORD, people["path"])
    assert users.authenticate(db, "fulda", PASSWORD, people["path"]).name == "fulda"
    users.set_active(db, admin, "fulda", False)
    assert not users.get_user(db, "fulda").active
    with db.connect() as conn:
        assert conn.one("SELECT created_by FROM app_user WHERE user_name = 'leser'") == "chefin"


def test_the_cli_is_the_local_operator_with_admin_rights():
    operator = auth.local_operator("betrieb")
    assert operator.is_admin and operator.name == "betrieb"
