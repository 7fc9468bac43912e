"""The app's one seam to the data: a cached Database handle and query results cached per data version.

No connection is kept open between reruns: DuckDB lets one process hold the file, and a cron import must be able
to write while the app is open (see README, "Gleichzeitiger Zugriff"). Results are cached keyed by the query, its
arguments and the database's data version (file mtime/size for DuckDB), so a new import shows at once.
"""

from __future__ import annotations

import streamlit as st

from ozg import migrations, queries
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
def _cached(url: str, version: str, name: str, kwargs: tuple):
    return getattr(queries, name)(Database(url, create=False), **dict(kwargs))


def load(name: str, **kwargs):
    """Result of ozg.queries.<name>(db, **kwargs), cached until the data changes."""
    db = get_db()
    return _cached(db.url, db.data_version(), name, tuple(sorted(kwargs.items())))
