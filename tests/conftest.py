"""Shared fixtures: real DuckDB files in tmp dirs (empty-but-initialised, and with the sample data)."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sys

import pytest

from ozg.bootstrap import init_database
from ozg.db import Database

SAMPLE_DAY = dt.date(2026, 11, 27)  # sample history is generated up to this day in tests (deterministic)
# The whole suite runs "on" SAMPLE_DAY through the clock seam (ozg/clock.py), whatever the machine's clock says;
# set here, at import, so that subprocesses (CLI runs, the app server of the browser tests) inherit it.
os.environ["OZG_TODAY"] = SAMPLE_DAY.isoformat()


@pytest.fixture(autouse=True)
def _fresh_streamlit_caches():
    """st.cache_data/st.cache_resource survive between AppTests in one process: each test sees its own database."""
    if "streamlit" not in sys.modules:
        yield
        return
    import streamlit as st

    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture(scope="session")
def _initialised_file(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("init") / "init.duckdb"
    init_database(Database(str(path)))
    return str(path)


@pytest.fixture
def db(_initialised_file, tmp_path) -> Database:
    """A fresh database with catalogue, the five cities and deadlines, but no status (a private copy)."""
    target = tmp_path / "ozg.duckdb"
    shutil.copy(_initialised_file, target)
    return Database(str(target))


@pytest.fixture(scope="session")
def _sample_file(tmp_path_factory) -> str:
    from ozg import sample, sample_projects

    path = tmp_path_factory.mktemp("sample") / "sample.duckdb"
    database = Database(str(path))
    init_database(database)
    sample.load_sample(database, today=SAMPLE_DAY)
    sample_projects.load_sample_projects(database, today=SAMPLE_DAY)
    return str(path)


@pytest.fixture
def sample_db(_sample_file, tmp_path) -> Database:
    """A private copy of a database with the sample data (built once per test session)."""
    target = tmp_path / "sample.duckdb"
    shutil.copy(_sample_file, target)
    return Database(str(target))


# --- Both backends (server mode) --------------------------------------------------------------------------------
# `any_db` / `any_sample_db` run a test on DuckDB and on PostgreSQL. The PostgreSQL variant needs a server URL in
# OZG_TEST_PG (ci/postgres.sh start prints it); each test gets its own database, copied from a template that is
# initialised once per session (CREATE DATABASE ... TEMPLATE is a fast file copy), and dropped afterwards.
import uuid  # noqa: E402

# The PostgreSQL variants carry the `postgres` marker, so `-m "not postgres"` runs each such test once, on DuckDB.
BACKENDS = ["duckdb", pytest.param("postgres", marks=pytest.mark.postgres)]


def pg_server_url() -> str | None:
    """The test server's URL (a database on it that may be used to run CREATE DATABASE), or None."""
    return os.environ.get("OZG_TEST_PG") or None


def _pg_url_for(server: str, dbname: str) -> str:
    return server.rsplit("/", 1)[0] + "/" + dbname


def _pg_admin(server: str, *statements: str) -> None:
    import psycopg

    with psycopg.connect(server, autocommit=True) as conn:
        for sql in statements:
            conn.execute(sql)


@pytest.fixture(scope="session")
def _pg_templates():
    """Template databases on the test server: 'plain' (initialised) and 'sample' (with sample data)."""
    server = pg_server_url()
    if not server:
        yield None
        return
    from ozg import sample, sample_projects

    tag = uuid.uuid4().hex[:8]
    names = {"plain": f"ozg_tpl_plain_{tag}", "sample": f"ozg_tpl_sample_{tag}"}
    try:
        for kind, name in names.items():
            _pg_admin(server, f"CREATE DATABASE {name}")
            database = Database(_pg_url_for(server, name))
            init_database(database)
            if kind == "sample":  # the same steps as _sample_file above
                sample.load_sample(database, today=SAMPLE_DAY)
                sample_projects.load_sample_projects(database, today=SAMPLE_DAY)
        yield names
    finally:
        _pg_admin(server, *(f"DROP DATABASE IF EXISTS {n} WITH (FORCE)" for n in names.values()))


@pytest.fixture
def pg_database(_pg_templates):
    """Factory: a fresh PostgreSQL database copied from a template ('plain' or 'sample'); dropped after the test."""
    server = pg_server_url()
    if not server:
        pytest.skip("PostgreSQL-Test übersprungen: OZG_TEST_PG ist nicht gesetzt (ci/postgres.sh start).")
    created: list[str] = []

    def make(template: str = "plain") -> Database:
        name = f"ozg_t_{uuid.uuid4().hex[:12]}"
        _pg_admin(server, f"CREATE DATABASE {name} TEMPLATE {_pg_templates[template]}")
        created.append(name)
        return Database(_pg_url_for(server, name))

    yield make
    _pg_admin(server, *(f"DROP DATABASE IF EXISTS {n} WITH (FORCE)" for n in created))


@pytest.fixture(params=BACKENDS)
def any_db(request, tmp_path) -> Database:
    """A fresh initialised database (no status) on each backend: DuckDB file, then PostgreSQL."""
    if request.param == "duckdb":
        return request.getfixturevalue("db")
    return request.getfixturevalue("pg_database")("plain")


@pytest.fixture(params=BACKENDS)
def any_sample_db(request) -> Database:
    """A private database with the sample data on each backend."""
    if request.param == "duckdb":
        return request.getfixturevalue("sample_db")
    return request.getfixturevalue("pg_database")("sample")


def pytest_collection_modifyitems(items):
    """Tests asking for a PostgreSQL database directly are `postgres` tests as well."""
    for item in items:
        if "pg_database" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.postgres)
