"""Login throttling: counters per account and per client address in the database, growing locks, unlock."""

from __future__ import annotations

import datetime as dt
import threading

import pytest

from ozg import login_throttle as lt
from tests.ozg.auth_support import OPERATOR

T0 = dt.datetime(2026, 11, 27, 10, 0, 0)


def fail(db, times: int, account="fulda", client="10.0.0.1", start=T0):
    for i in range(times):
        lt.record_failure(db, account, client, now=start + dt.timedelta(seconds=i))


def test_the_fifth_wrong_password_locks_the_account_for_a_minute_then_doubling(any_db):
    fail(any_db, 4)
    lt.check(any_db, "fulda", "10.0.0.2", now=T0 + dt.timedelta(seconds=5))  # four failures: not locked
    fail(any_db, 1, start=T0 + dt.timedelta(seconds=10))
    with pytest.raises(lt.TooManyFailures, match="^Zu viele Fehlversuche – bitte in 1 Minute erneut versuchen.$"):
        lt.check(any_db, "Fulda", "10.0.0.2", now=T0 + dt.timedelta(seconds=11))
    lt.check(any_db, "fulda", "10.0.0.2", now=T0 + dt.timedelta(seconds=71))  # the minute is over
    fail(any_db, 1, start=T0 + dt.timedelta(seconds=80))  # sixth: two minutes
    with pytest.raises(lt.TooManyFailures, match="in 2 Minuten erneut"):
        lt.check(any_db, "fulda", None, now=T0 + dt.timedelta(seconds=81))
    lt.check(any_db, "leser", "10.0.0.2", now=T0 + dt.timedelta(seconds=81))  # other accounts are not affected


def test_lock_durations_grow_and_are_capped():
    assert [lt.lock_duration("account", n) for n in (4, 5, 6, 7)] == [
        None, dt.timedelta(minutes=1), dt.timedelta(minutes=2), dt.timedelta(minutes=4)]
    assert lt.lock_duration("account", 40) == dt.timedelta(hours=1)
    assert lt.lock_duration("client", 19) is None and lt.lock_duration("client", 20) == dt.timedelta(minutes=1)


def test_a_client_guessing_many_accounts_is_locked(any_db):
    for i in range(20):
        lt.record_failure(any_db, f"name{i}", "10.0.0.9", now=T0 + dt.timedelta(seconds=i))
    with pytest.raises(lt.TooManyFailures):
        lt.check(any_db, "fulda", "10.0.0.9", now=T0 + dt.timedelta(seconds=21))
    lt.check(any_db, "fulda", "10.0.0.10", now=T0 + dt.timedelta(seconds=21))


def test_success_clears_the_account_and_old_failures_start_afresh(any_db):
    fail(any_db, 4)
    lt.record_success(any_db, "FULDA")
    fail(any_db, 4, start=T0 + dt.timedelta(minutes=1))
    lt.check(any_db, "fulda", None, now=T0 + dt.timedelta(minutes=2))
    fail(any_db, 1, start=T0 + dt.timedelta(days=2))  # a day later: count restarts at 1
    lt.check(any_db, "fulda", None, now=T0 + dt.timedelta(days=2, seconds=1))
    assert [(x.scope, x.failures) for x in lt.locks(any_db)] == [("account", 1), ("client", 1)]


def test_unlock_forgets_account_and_client(any_db):
    fail(any_db, 5)
    assert lt.unlock(any_db, "fulda") == 1
    lt.check(any_db, "fulda", None, now=T0 + dt.timedelta(seconds=6))
    assert lt.unlock(any_db, client="10.0.0.1") == 1 and lt.locks(any_db) == []


def test_concurrent_password_checks_are_capped():
    entered, release = threading.Semaphore(0), threading.Event()

    def hold():
        with lt.password_slot():
            entered.release()
            release.wait(10)

    threads = [threading.Thread(target=hold) for _ in range(lt.MAX_CONCURRENT_CHECKS)]
    for t in threads:
        t.start()
    for _ in threads:
        assert entered.acquire(timeout=5)
    with pytest.raises(lt.TooManyAttempts, match="in einigen Sekunden erneut"), lt.password_slot(wait=0.1):
        pass
    release.set()
    for t in threads:
        t.join()
    with lt.password_slot(wait=0.1):
        pass


def test_sign_in_counts_failures_and_refuses_even_the_right_password_while_locked(any_db, tmp_path):
    from ozg import users

    path = tmp_path / "users.toml"
    users.add_user(any_db, OPERATOR, "fulda", "coordinator", ["Fulda"], password="richtig-langes-passwort",
                   users_path=path)
    for _ in range(lt.ACCOUNT_LOCK_AFTER):
        assert lt.sign_in(any_db, "fulda", "falsch-falsch-falsch", "10.0.0.1", users_path=path) is None
    with pytest.raises(lt.TooManyFailures):
        lt.sign_in(any_db, "fulda", "richtig-langes-passwort", "10.0.0.2", users_path=path)
    lt.unlock(any_db, "fulda")
    assert lt.sign_in(any_db, "fulda", "richtig-langes-passwort", "10.0.0.1", users_path=path).name == "fulda"
    assert [x.scope for x in lt.locks(any_db)] == ["client"]  # success clears the account, not the address
