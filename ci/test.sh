#!/usr/bin/env bash
# The whole test suite, as `make test` runs it: Debian packages the tests need (installed when running as root),
# axe-core for the accessibility checks, a throwaway PostgreSQL for the server-mode tests, then pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PY:-.venv/bin/python}"
PG_BIN=/usr/lib/postgresql/15/bin

need=()
command -v chromium >/dev/null || need+=(chromium)
command -v pdftoppm >/dev/null || need+=(poppler-utils)
[ -x "$PG_BIN/initdb" ] || need+=(postgresql-15)
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need+=(fonts-dejavu-core)
command -v faketime >/dev/null || need+=(faketime)
[ -x /usr/sbin/nginx ] || need+=(nginx)   # tests/docs/test_reverse_proxy.py: the example reverse-proxy config
ldconfig -p | grep -q libpangoft2-1.0 || need+=(libpango-1.0-0 libpangoft2-1.0-0)  # WeasyPrint (ministry PDF)
if [ ${#need[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ]; then
        apt-get update -q
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${need[@]}"
    else
        echo "Hinweis: ${need[*]} fehlt – Browser-, PDF- oder PostgreSQL-Tests werden übersprungen." >&2
    fi
fi

if [ -f tests/browser/package.json ] && command -v npm >/dev/null; then
    (cd tests/browser && npm ci --silent --no-audit --no-fund)
fi

started=""
stop_pg() { if [ -n "$started" ]; then bash ci/postgres.sh stop; fi; }
trap stop_pg EXIT
if [ -z "${OZG_TEST_PG:-}" ] && [ -x "$PG_BIN/initdb" ]; then
    eval "$(bash ci/postgres.sh start)"
    started=1
    echo "PostgreSQL für die Tests: $OZG_TEST_PG"
fi

# pytest-xdist: one worker per core (OZG_TEST_WORKERS=0 runs in one process, e.g. to debug a test). Every test
# uses its own temporary files, free ports and databases, so workers do not share state.
WORKERS="${OZG_TEST_WORKERS:-auto}"
"$PY" -m pytest -n "$WORKERS" "$@"

# The suite must not depend on the day it runs: run the non-browser tests again with the machine's clock moved
# months ahead (libfaketime). The program's "today" comes only from ozg/clock.py, which the tests pin with
# OZG_TODAY; anything that read the real clock would now see 2027 and fail. Skipped with OZG_SKIP_FAKETIME=1.
if [ -z "${OZG_SKIP_FAKETIME:-}" ] && command -v faketime >/dev/null; then
    # Core, loaders and reports on DuckDB (AppTests and browser tests run Streamlit threads). Under libfaketime a
    # thread lock with a timeout (seen in the password-slot test) waits for the faked monotonic clock, i.e.
    # for months; with the monotonic clock left real, subprocess waits fail with EINVAL instead.
    echo "Zweiter Lauf mit verstellter Uhr (faketime 2027-06-30): Kern, Loader und Berichte auf DuckDB"
    faketime "2027-06-30 10:00:00" "$PY" -m pytest -n "$WORKERS" -q -m "not browser and not postgres" \
        -k "not concurrent_password_checks" tests/ozg tests/loaders tests/reports
fi
