"""`python -m loaders users add|list|passwd`: the first admin is created from the command line."""

import io

from loaders.cli import main
from ozg import users


def test_add_admin_and_coordinator_then_list(db, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("OZG_USERS", str(tmp_path / "users.toml"))
    monkeypatch.setattr("sys.stdin", io.StringIO("ein-langes-Passwort-2026\n"))
    assert main(["--db", db.url, "users", "add", "admin", "--role", "admin", "--password-stdin"]) == 0
    assert main(["--db", db.url, "users", "add", "k.fulda", "--role", "coordinator", "--city", "Fulda",
                 "--no-password"]) == 0
    capsys.readouterr()
    assert main(["--db", db.url, "users", "list"]) == 0
    listing = capsys.readouterr().out
    assert "admin | admin" in listing and "k.fulda | coordinator | 06631009" in listing
    assert users.get_user(db, "k.fulda").cities == frozenset({"06631009"}) or \
        set(users.get_user(db, "k.fulda").cities) == {"06631009"}
    assert "ein-langes-Passwort-2026" not in (tmp_path / "users.toml").read_text()


def test_init_names_the_command_for_the_first_admin(db, capsys):
    assert main(["--db", db.url, "init"]) == 0
    assert "python -m loaders users add NAME --role admin" in capsys.readouterr().out
