#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster for the test suite (server mode): start | stop | env | url.
#
#   eval "$(ci/postgres.sh start)"   # initdb + start on a free 127.0.0.1 port, prints `export OZG_TEST_PG=...`
#   ci/postgres.sh stop              # stops the cluster and removes its directory
#
# Installs nothing: needs the Debian package postgresql-15. As root the cluster runs as user `postgres`
# (PostgreSQL refuses to run as root); otherwise as the current user. State lives in $OZG_PG_DIR.
set -euo pipefail

PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
STATE="${OZG_PG_DIR:-/tmp/ozg-pg}"
DB_NAME="${OZG_PG_DB:-ozg_test}"

as_owner() {
    if [ "$(id -u)" = "0" ]; then
        su postgres -s /bin/bash -c "$1"
    else
        bash -c "$1"
    fi
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

url() {
    echo "postgresql://postgres@127.0.0.1:$(cat "$STATE/port")/$DB_NAME"
}

running() {
    [ -f "$STATE/port" ] && as_owner "'$PG_BIN/pg_ctl' -D '$STATE/data' status" >/dev/null 2>&1
}

start() {
    if running; then
        echo "export OZG_TEST_PG=$(url)"
        return
    fi
    if [ ! -x "$PG_BIN/initdb" ]; then
        echo "Fehler: $PG_BIN/initdb fehlt. Bitte 'apt-get install postgresql-15' ausführen." >&2
        exit 1
    fi
    rm -rf "$STATE"
    mkdir -p "$STATE/socket"
    if [ "$(id -u)" = "0" ]; then chown -R postgres: "$STATE"; fi
    local port
    port="$(free_port)"
    as_owner "echo $port > '$STATE/port'"
    as_owner "'$PG_BIN/initdb' -D '$STATE/data' -U postgres -A trust -E UTF8 --locale=C.UTF-8 >'$STATE/initdb.log' 2>&1" \
        || { cat "$STATE/initdb.log" >&2; exit 1; }
    # fsync off: a throwaway test cluster, speed matters more than crash safety here.
    as_owner "'$PG_BIN/pg_ctl' -D '$STATE/data' -l '$STATE/server.log' -w -t 30 \
        -o \"-p $port -k '$STATE/socket' -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200\" start" \
        >/dev/null || { cat "$STATE/server.log" >&2; exit 1; }
    as_owner "'$PG_BIN/createdb' -h 127.0.0.1 -p $port -U postgres '$DB_NAME'"
    echo "export OZG_TEST_PG=$(url)"
}

stop() {
    if [ -d "$STATE/data" ]; then
        as_owner "'$PG_BIN/pg_ctl' -D '$STATE/data' -m fast -w stop" >/dev/null 2>&1 || true
    fi
    rm -rf "$STATE"
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    env) running && echo "export OZG_TEST_PG=$(url)" || { echo "PostgreSQL läuft nicht (ci/postgres.sh start)." >&2; exit 1; } ;;
    url) url ;;
    *) echo "Aufruf: $0 start|stop|env|url" >&2; exit 2 ;;
esac
