"""Login throttling: failed local sign-ins are counted per account and per client address, in the database, so
every session and every app replica sees the same counters; after a few failures the key is locked for a growing
time. A cap on concurrent password checks keeps parallel guessing from eating memory (argon2id: 64 MiB each).

    account: the ACCOUNT_LOCK_AFTER-th failure locks for 1 minute, each further one doubles it (at most MAX_LOCK)
    client:  the same from the CLIENT_LOCK_AFTER-th failure (a city network may put many people behind one address)
A failure older than RESET_AFTER starts the count afresh; a successful sign-in clears the account's counter (not
the client's: one valid account must not let a client reset its guessing budget). The admin CLI unlocks:
`python -m loaders users unlock NAME` / `--client ADDRESS`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import math
import threading
from collections.abc import Iterator
from dataclasses import dataclass

from ozg import clock, users
from ozg.auth import User
from ozg.db import Conn, Database
from ozg.errors import OzgError

ACCOUNT_LOCK_AFTER = 5
CLIENT_LOCK_AFTER = 20
FIRST_LOCK = dt.timedelta(minutes=1)
MAX_LOCK = dt.timedelta(hours=1)
RESET_AFTER = dt.timedelta(hours=24)
MAX_CONCURRENT_CHECKS = 2           # argon2id needs 64 MiB per check; 2 cores
SLOT_WAIT_SECONDS = 5.0
_LOCK_AFTER = {"account": ACCOUNT_LOCK_AFTER, "client": CLIENT_LOCK_AFTER}
_SLOTS = threading.BoundedSemaphore(MAX_CONCURRENT_CHECKS)

_GET = "SELECT failures, last_failure, locked_until FROM login_throttle WHERE scope = ? AND key = ?"
_DELETE = "DELETE FROM login_throttle WHERE scope = ? AND key = ?"
_INSERT = "INSERT INTO login_throttle (scope, key, failures, last_failure, locked_until) VALUES (?, ?, ?, ?, ?)"


class TooManyFailures(OzgError):
    """The account or the client address is locked for a while after repeated wrong passwords."""

    def __init__(self, minutes: int):
        self.minutes = minutes
        unit = "Minute" if minutes == 1 else "Minuten"
        super().__init__(f"Zu viele Fehlversuche – bitte in {minutes} {unit} erneut versuchen.")


class TooManyAttempts(OzgError):
    """All password-check slots of this process are busy."""


@dataclass(frozen=True)
class Lock:
    scope: str
    key: str
    failures: int
    locked_until: dt.datetime | None


def lock_duration(scope: str, failures: int) -> dt.timedelta | None:
    """How long `failures` failures lock a key of `scope` (None: not yet locked)."""
    over = failures - _LOCK_AFTER[scope]
    if over < 0:
        return None
    return min(FIRST_LOCK * (2 ** min(over, 16)), MAX_LOCK)


def _keys(account: str | None, client: str | None) -> list[tuple[str, str]]:
    keys = []
    if account and account.strip():
        keys.append(("account", account.strip().lower()))
    if client and client.strip():
        keys.append(("client", client.strip()))
    return keys


def check(db: Database, account: str | None, client: str | None, now: dt.datetime | None = None) -> None:
    """Raise TooManyFailures if the account or the client is locked now (before any password is checked)."""
    now = now or clock.now()
    with db.connect() as conn:
        until = [row[2] for scope, key in _keys(account, client) for row in conn.execute(_GET, [scope, key])
                 if row[2] is not None and row[2] > now]
    if until:
        raise TooManyFailures(max(1, math.ceil((max(until) - now).total_seconds() / 60)))


def _bump(conn: Conn, scope: str, key: str, now: dt.datetime) -> None:
    rows = conn.execute(_GET, [scope, key])
    failures = 1
    if rows and now - rows[0][1] < RESET_AFTER:
        failures = rows[0][0] + 1
    conn.execute(_DELETE, [scope, key])
    span = lock_duration(scope, failures)
    conn.execute(_INSERT, [scope, key, failures, now, now + span if span else None])


def record_failure(db: Database, account: str | None, client: str | None, now: dt.datetime | None = None) -> None:
    """Count one wrong password for the account (as typed) and the client address."""
    now = now or clock.now()
    with db.transaction() as conn:
        for scope, key in _keys(account, client):
            _bump(conn, scope, key, now)


def record_success(db: Database, account: str) -> None:
    """A correct password clears the account's counter."""
    keys = _keys(account, None)
    with db.connect() as conn:
        present = any(conn.execute(_GET, list(k)) for k in keys)
    if present:
        with db.transaction() as conn:
            for scope, key in keys:
                conn.execute(_DELETE, [scope, key])


def unlock(db: Database, account: str | None = None, client: str | None = None) -> int:
    """Forget the failures of an account and/or client address; returns how many counters were removed."""
    keys = _keys(account, client)
    removed = 0
    with db.transaction() as conn:
        for scope, key in keys:
            removed += len(conn.execute(_GET, [scope, key]))
            conn.execute(_DELETE, [scope, key])
    return removed


def locks(db: Database) -> list[Lock]:
    """All counters, for the CLI."""
    with db.connect() as conn:
        rows = conn.execute("SELECT scope, key, failures, locked_until FROM login_throttle ORDER BY scope, key")
    return [Lock(*row) for row in rows]


@contextlib.contextmanager
def password_slot(wait: float = SLOT_WAIT_SECONDS) -> Iterator[None]:
    """One of MAX_CONCURRENT_CHECKS slots for an argon2 check; TooManyAttempts if none frees up within `wait`."""
    if not _SLOTS.acquire(timeout=wait):
        raise TooManyAttempts("Gerade werden sehr viele Anmeldungen geprüft – bitte in einigen Sekunden erneut "
                              "versuchen.")
    try:
        yield
    finally:
        _SLOTS.release()


def sign_in(db: Database, name: str, password: str, client: str | None, users_path=None) -> User | None:
    """One local sign-in attempt, throttled: refused while locked (TooManyFailures), at most
    MAX_CONCURRENT_CHECKS argon2 checks at once (TooManyAttempts), every failure counted."""
    check(db, name, client)
    with password_slot():
        check(db, name, client)  # again: a lock may have been set while this attempt waited for its slot
        user = users.authenticate(db, name, password, users_path)
    if user is None:
        record_failure(db, name, client)
        return None
    record_success(db, name)
    return user
