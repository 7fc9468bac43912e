"""The app's one seam to the data: a cached Database handle and query results cached per data version.

No connection is kept open between reruns: DuckDB lets one process hold the file, and a cron import must be able
to write while the app is open (see README, "Gleichzeitiger Zugriff"). Results are cached keyed by the query, its
arguments and the database's data version (file mtime/size for DuckDB), so a new import shows at once.
"""

from __future__ import annotations

import importlib

import streamlit as st

from ozg import queries
from ozg.db import Database


@st.cache_resource(show_spinner=False)
def get_db() -> Database:
    """The configured database (OZG_DB or data/ozg.duckdb)."""
    return Database()


@st.cache_data(show_spinner=False, max_entries=512)
def _cached(url: str, version: str, name: str, kwargs: tuple):
    return getattr(queries, name)(Database(url), **dict(kwargs))


def load(name: str, **kwargs):
    """Result of ozg.queries.<name>(db, **kwargs), cached until the data changes."""
    db = get_db()
    return _cached(db.url, db.data_version(), name, tuple(sorted(kwargs.items())))


@st.cache_data(show_spinner=False, max_entries=128)
def _cached_function(url: str, version: str, module: str, name: str, kwargs: tuple):
    return getattr(importlib.import_module(module), name)(Database(url), **dict(kwargs))


def load_function(query, **kwargs):
    """Result of a query-layer function outside ozg.queries (e.g. ozg.bund_queries), cached like `load`."""
    db = get_db()
    return _cached_function(db.url, db.data_version(), query.__module__, query.__name__,
                            tuple(sorted(kwargs.items())))
