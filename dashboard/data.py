"""The app's one seam to the data: a cached Database handle and query results cached per data version.

No connection is kept open between reruns: DuckDB lets one process hold the file, and a cron import must be able
to write while the app is open (see README, "Gleichzeitiger Zugriff"). Results are cached keyed by the query, its
arguments and the database's data version (file mtime/size for DuckDB), so a new import shows at once.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from ozg import migrations
from ozg.db import Database


@st.cache_resource(show_spinner=False)
def get_db() -> Database:
    """The configured database (OZG_DB or data/ozg.duckdb); the app never creates it (`loaders init` does)."""
    return Database(create=False)


@st.cache_data(show_spinner=False, max_entries=8)
def _schema_checked(url: str, version: str) -> bool:
    migrations.require_current(Database(url, create=False))
    return True


def check_database() -> None:
    """Raise DatabaseMissing/DatabaseDamaged/SchemaError (German, says what to do) unless the database is usable."""
    db = get_db()
    _schema_checked(db.url, db.data_version())


@st.cache_data(show_spinner=False, max_entries=512)
def _cached(url: str, version: str, name: str, kwargs: tuple, _query: Callable):
    return _query(Database(url, create=False), **dict(kwargs))  # `_query` is not hashed: `name` stands for it


def load(query: Callable, **kwargs):
    """Result of `query(db, **kwargs)` — a read query of ozg.queries, passed as the function itself so that a
    misspelt name fails when the page is imported — cached until the data changes."""
    if not query.__module__.startswith("ozg.queries"):
        raise TypeError(f"load() takes a read query of ozg.queries, not {query.__module__}.{query.__qualname__}")
    db = get_db()
    name = f"{query.__module__}.{query.__qualname__}"
    return _cached(db.url, db.data_version(), name, tuple(sorted(kwargs.items())), query)

