"""dashboard/data.load takes the query function itself: a misspelt name fails when the page is imported."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dashboard import data
from ozg import fmt, queries

DASHBOARD = Path(__file__).resolve().parents[2] / "dashboard"


def test_load_runs_the_query_it_is_given(db, monkeypatch):
    monkeypatch.setenv("OZG_DB", db.url)
    frame = data.load(queries.kommunen)
    assert sorted(frame["name"]) == ["Fulda", "Gießen", "Limburg an der Lahn", "Marburg", "Wetzlar"]
    assert len(data.load(queries.leistungen)) == 557


def test_load_refuses_what_is_not_a_read_query(db, monkeypatch):
    monkeypatch.setenv("OZG_DB", db.url)
    with pytest.raises(TypeError, match="ozg.fmt.number"):
        data.load(fmt.number)


def test_pages_pass_functions_not_names():
    by_name = [f"{p.relative_to(DASHBOARD)}:{n}" for p in DASHBOARD.rglob("*.py")
               for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), start=1)
               if re.search(r"\bload\(\s*[\"']", line)]
    assert by_name == []


def test_a_page_gets_its_kommune_from_the_frame_it_loaded(db):
    from ozg import kommunen

    with db.connect() as conn:
        expected = kommunen.resolve(conn, "Gießen")
    assert kommunen.from_frame(queries.kommunen(db), expected.ags) == expected
