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


def test_unlock_after_failed_sign_ins(db, capsys):
    import datetime as dt

    from ozg import login_throttle

    now = dt.datetime(2026, 11, 27, 9, 0)
    for i in range(login_throttle.ACCOUNT_LOCK_AFTER):
        login_throttle.record_failure(db, "k.fulda", "10.1.2.3", now=now + dt.timedelta(seconds=i))
    assert main(["--db", db.url, "users", "unlock", "--list"]) == 0
    listing = capsys.readouterr().out
    assert "Benutzer k.fulda | 5 Fehlversuche | gesperrt bis 27.11.2026 09:01" in listing
    assert "Adresse 10.1.2.3 | 5 Fehlversuche | nicht gesperrt" in listing
    assert main(["--db", db.url, "users", "unlock", "k.fulda"]) == 0
    assert capsys.readouterr().out == "Benutzer k.fulda: Fehlversuche vergessen, Sperre aufgehoben.\n"
    login_throttle.check(db, "k.fulda", None, now=now + dt.timedelta(seconds=10))
    assert main(["--db", db.url, "users", "unlock", "--client", "10.1.2.3"]) == 0
    assert login_throttle.locks(db) == []
    assert main(["--db", db.url, "users", "unlock"]) == 2
    assert "Bitte einen Benutzernamen oder --client ADRESSE angeben" in capsys.readouterr().err
