"""Shared fixtures: real DuckDB files in tmp dirs (empty-but-initialised, and with the sample data)."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest

from ozg.bootstrap import init_database
from ozg.db import Database

SAMPLE_DAY = dt.date(2026, 11, 27)  # sample history is generated up to this day in tests (deterministic)


@pytest.fixture
def db(tmp_path) -> Database:
    """A fresh database with catalogue, the five cities and deadlines, but no status."""
    database = Database(str(tmp_path / "ozg.duckdb"))
    init_database(database)
    return database


@pytest.fixture(scope="session")
def _sample_file(tmp_path_factory) -> str:
    from ozg import sample

    path = tmp_path_factory.mktemp("sample") / "sample.duckdb"
    database = Database(str(path))
    init_database(database)
    sample.load_sample(database, today=SAMPLE_DAY)
    return str(path)


@pytest.fixture
def sample_db(_sample_file, tmp_path) -> Database:
    """A private copy of a database with the sample data (built once per test session)."""
    target = tmp_path / "sample.duckdb"
    shutil.copy(_sample_file, target)
    return Database(str(target))
