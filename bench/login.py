"""`python -m bench.login [--sessions 20] [--seconds 20]`: how fast can someone guess a local password?

N parallel sessions (threads, as Streamlit runs sessions) try wrong passwords for one account from one address
for a fixed time. "before": what the app did before issue 12 (argon2 check, then FAILED_PAUSE in the failing
session only); "after": login_throttle.sign_in (database counters, locks, at most 2 concurrent checks) plus the
same pause. Counted: password checks that could have found the password (refused-while-locked attempts cost no
argon2 and can never succeed) and the peak number of argon2 checks running at once (64 MiB each).
"""

from __future__ import annotations

import argparse
import tempfile
import threading
import time
from pathlib import Path

from ozg import login_throttle, users
from ozg.bootstrap import init_database
from ozg.db import Database

FAILED_PAUSE = 1.0  # dashboard.auth.FAILED_PAUSE


class Counter:
    def __init__(self):
        self.lock = threading.Lock()
        self.checks = self.refused = self.running = self.peak = 0

    def enter(self):
        with self.lock:
            self.running += 1
            self.peak = max(self.peak, self.running)

    def leave(self, checked: bool):
        with self.lock:
            self.running -= 1
            self.checks += checked
            self.refused += not checked


def run(mode: str, sessions: int, seconds: float) -> dict:
    with tempfile.TemporaryDirectory(prefix="ozg-bench-login-") as tmp:
        db, path = Database(str(Path(tmp) / "b.duckdb")), Path(tmp) / "users.toml"
        init_database(db)
        users.add_user(db, "fulda", "coordinator", ["Fulda"], password="das-richtige-passwort", users_path=path)
        counter, stop = Counter(), time.monotonic() + seconds
        authenticate = users.authenticate

        def counted(*args, **kwargs):  # count real argon2 checks and how many run at once
            counter.enter()
            try:
                return authenticate(*args, **kwargs)
            finally:
                counter.leave(True)

        users.authenticate = counted
        try:
            def session(i: int):
                while time.monotonic() < stop:
                    guess = f"falsch-{i}-{time.monotonic_ns()}"
                    if mode == "before":
                        counted(db, "fulda", guess, path)
                    else:
                        try:
                            login_throttle.sign_in(db, "fulda", guess, "10.0.0.66", users_path=path)
                        except (login_throttle.TooManyFailures, login_throttle.TooManyAttempts):
                            with counter.lock:
                                counter.refused += 1
                    time.sleep(FAILED_PAUSE)

            threads = [threading.Thread(target=session, args=(i,)) for i in range(sessions)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
        finally:
            users.authenticate = authenticate
        return {"checks": counter.checks, "per_second": counter.checks / seconds, "refused": counter.refused,
                "peak_concurrent": counter.peak}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.login", description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=20.0)
    args = parser.parse_args(argv)
    print(f"{args.sessions} parallele Sitzungen, {args.seconds:.0f} s, ein Konto, eine Adresse\n")
    print("| | Passwortprüfungen | je Sekunde | abgewiesen (gesperrt) | gleichzeitige argon2-Prüfungen (max.) |")
    print("|---|---|---|---|---|")
    for mode in ("before", "after"):
        r = run(mode, args.sessions, args.seconds)
        print(f"| {mode} | {r['checks']} | {r['per_second']:.2f} | {r['refused']} | {r['peak_concurrent']} "
              f"(≈ {r['peak_concurrent'] * 64} MiB) |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
