"""User management: who may sign in, with which role and for which cities.

Where things are stored (a deliberate split):
- Role, cities, e-mail for OIDC: in the database (tables app_user, user_city; migration 0003). One place decides
  authorisation, whatever the sign-in method, and every import record names a user found there.
- Local password hashes (embedded setup without an identity provider): in the users file
  (`data/users.toml`, or OZG_USERS), git-ignored, written with mode 0600. Hashes are argon2id (argon2-cffi, salted
  per password). Keeping them out of the database means a copied or exported database never carries credentials,
  and production with OIDC simply has no users file.
There is no default user and no default password: `python -m loaders users add NAME --role admin` creates the first.

Changing users is for admins: add_user, set_active and set_password take the acting user and call
auth.require_admin, like projects and cost parameters. The CLI acts as the local operator (auth.local_operator):
whoever can run it on the server can read and write the database file anyway, so it has admin rights there.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import tomllib
from collections.abc import Iterable, Iterator
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from ozg import clock, config, kommunen
from ozg.auth import ROLES, User, require_admin
from ozg.db import Conn, Database
from ozg.errors import NotFound, OzgError

MIN_PASSWORD = 10
_NAME = re.compile(r"[a-z0-9][a-z0-9._@-]{1,63}")
_HASHER = PasswordHasher()
# Verified against when the user is unknown, so "no such user" takes as long as "wrong password".
_DUMMY_HASH = _HASHER.hash("ozg-cockpit-dummy-password")

_USER_SQL = ("SELECT user_name, role, display_name, email, active FROM app_user "
             "WHERE {where} ORDER BY user_name")


class InvalidUser(OzgError):
    """A user name, role, city list or password that cannot be accepted."""


def normalise_name(name: str) -> str:
    """Sign-in name in lower case; raises InvalidUser unless it is 2–64 of a-z 0-9 . _ @ -."""
    cleaned = name.strip().lower()
    if not _NAME.fullmatch(cleaned):
        raise InvalidUser(f"„{name}“ ist kein gültiger Benutzername – erwartet 2 bis 64 Zeichen aus a–z, 0–9, "
                          "Punkt, Unterstrich, @ und Bindestrich, z. B. „anna.schmidt“.")
    return cleaned


def check_password(password: str) -> None:
    """Raise InvalidUser for a password that is too short or only spaces."""
    if len(password.strip()) < MIN_PASSWORD:
        raise InvalidUser(f"Das Passwort ist zu kurz – erwartet mindestens {MIN_PASSWORD} Zeichen.")


# --- database side ------------------------------------------------------------------------------------------


def _users(conn: Conn, where: str, params: list) -> list[User]:
    rows = conn.execute(_USER_SQL.format(where=where), params)
    cities: dict[str, set[str]] = {}
    for user_name, ags in conn.execute("SELECT user_name, ags FROM user_city"):
        cities.setdefault(user_name, set()).add(ags)
    return [User(name, role, frozenset(cities.get(name, ())), display, email, bool(active))
            for name, role, display, email, active in rows]


def get_user(db: Database, name: str) -> User | None:
    """The user with this sign-in name, or None."""
    with db.connect() as conn:
        found = _users(conn, "user_name = ?", [name.strip().lower()])
    return found[0] if found else None


def user_by_email(db: Database, email: str) -> User | None:
    """The active user registered with this e-mail address (OIDC sign-in), or None."""
    with db.connect() as conn:
        found = _users(conn, "email = ? AND active", [email.strip().lower()])
    return found[0] if len(found) == 1 else None


def list_users(db: Database) -> list[User]:
    """All users, by name."""
    with db.connect() as conn:
        return _users(conn, "TRUE", [])


def has_users(db: Database) -> bool:
    """True once at least one user exists (the app shows how to create the first admin otherwise)."""
    with db.connect() as conn:
        return bool(conn.one("SELECT count(*) FROM app_user"))


def _resolve_cities(conn: Conn, cities: Iterable[str]) -> list[str]:
    return sorted({kommunen.resolve(conn, city).ags for city in cities})


def add_user(db: Database, acting: User | None, name: str, role: str, cities: Iterable[str] = (), *,
             display_name: str | None = None, email: str | None = None, password: str | None = None,
             users_path: Path | None = None) -> User:
    """Create a user as `acting` (admins only): role and cities in the database, the password hash in the file."""
    require_admin(acting)
    name = normalise_name(name)
    if role not in ROLES:
        raise InvalidUser(f"Rolle „{role}“ gibt es nicht – erwartet {', '.join(ROLES)}.")
    if password is not None:
        check_password(password)
    with db.connect() as conn:
        ags_list = _resolve_cities(conn, cities)
    if role == "coordinator" and not ags_list:
        raise InvalidUser("Eine Koordinatorin oder ein Koordinator braucht mindestens eine Kommune "
                          "(--city NAME, mehrfach möglich).")
    if role != "coordinator" and ags_list:
        raise InvalidUser(f"Kommunen gelten nur für die Rolle coordinator; {role} braucht keine (--city weglassen).")
    with db.transaction() as conn:
        if conn.one("SELECT count(*) FROM app_user WHERE user_name = ?", [name]):
            raise InvalidUser(f"Den Benutzer „{name}“ gibt es schon.")
        conn.execute("INSERT INTO app_user (user_name, display_name, role, email, active, created_at, created_by) "
                     "VALUES (?, ?, ?, ?, TRUE, ?, ?)",
                     [name, display_name, role, email.strip().lower() if email else None,
                      clock.now(), acting.name])
        conn.executemany("INSERT INTO user_city (user_name, ags) VALUES (?, ?)", [(name, a) for a in ags_list])
    if password is not None:
        set_password(acting, name, password, users_path)
    return User(name, role, frozenset(ags_list), display_name, email)


def set_active(db: Database, acting: User | None, name: str, active: bool) -> None:
    """Lock or unlock a user as `acting` (admins only); locked users cannot sign in or write."""
    require_admin(acting)
    with db.transaction() as conn:
        if not conn.one("SELECT count(*) FROM app_user WHERE user_name = ?", [name]):
            raise NotFound(f"Den Benutzer „{name}“ gibt es nicht.")
        conn.execute("UPDATE app_user SET active = ? WHERE user_name = ?", [active, name])


# --- users file (local password hashes) ---------------------------------------------------------------------


def read_hashes(users_path: Path | None = None) -> dict[str, str]:
    """user name -> argon2 hash from the users file (empty if there is no file)."""
    path = config.users_file(str(users_path) if users_path else None)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except tomllib.TOMLDecodeError as exc:
        raise OzgError(f"Die Benutzerdatei {path} ist beschädigt ({exc}). Bitte reparieren oder löschen und die "
                       "Passwörter mit `python -m loaders users passwd NAME` neu setzen.") from None
    return {name: entry["password_hash"] for name, entry in data.get("users", {}).items()
            if isinstance(entry, dict) and isinstance(entry.get("password_hash"), str)}


def _toml_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


@contextlib.contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    """Serialise writers of the users file (two admins adding users at once)."""
    try:
        import fcntl
    except ImportError:  # Windows: no advisory locks; single-admin use assumed
        yield
        return
    # Lock the folder, not the file: the file is replaced atomically, so a lock on its old inode would not hold.
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path.parent, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def _write_hashes(path: Path, hashes: dict[str, str]) -> None:
    lines = ["# OZG-Cockpit: lokale Anmeldung (argon2id-Hashes). Nicht einchecken, nicht von Hand ändern:",
             "# python -m loaders users add|passwd … pflegt diese Datei. Rollen und Kommunen stehen in der Datenbank.",
             ""]
    for name in sorted(hashes):
        lines += [f"[users.{_toml_string(name)}]", f"password_hash = {_toml_string(hashes[name])}", ""]
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".users-", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write("\n".join(lines))
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)  # atomic: a reader sees the old or the new file, never half of one
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def set_password(acting: User | None, name: str, password: str, users_path: Path | None = None) -> None:
    """Store a fresh salted argon2id hash of `password` for `name` in the users file, as `acting` (admins only)."""
    require_admin(acting)
    check_password(password)
    path = config.users_file(str(users_path) if users_path else None)
    hashed = _HASHER.hash(password)
    with _file_lock(path):
        hashes = read_hashes(path)
        hashes[normalise_name(name)] = hashed
        _write_hashes(path, hashes)


def authenticate(db: Database, name: str, password: str, users_path: Path | None = None) -> User | None:
    """The active user if name and password match, else None (same answer for unknown user and wrong password)."""
    try:
        key = normalise_name(name)
    except InvalidUser:
        key = ""
    stored = read_hashes(users_path).get(key)
    try:
        _HASHER.verify(stored or _DUMMY_HASH, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return None
    if stored is None:
        return None
    user = get_user(db, key)
    if user is None or not user.active:
        return None
    if _HASHER.check_needs_rehash(stored):  # parameters were raised since: upgrade the stored hash quietly
        with contextlib.suppress(OSError):
            set_password(key, password, users_path)
    return user
