"""The sample data looks like real cities: seeded and labelled, but the cities differ (not 14 overdue everywhere)."""

from __future__ import annotations

from ozg import queries, sample
from ozg.kommunen import cooperation_name

MARBURG = "06534014"


def test_cities_differ_in_overdue_and_reifegrad_2(sample_db):
    cov = queries.coverage(sample_db, group=cooperation_name()).set_index("ags")
    expected_late = {ags: target[2] for ags, target in sample.TARGETS.items()}
    assert cov["overdue"].to_dict() == expected_late
    assert len(set(expected_late.values())) == len(expected_late)
    dist = queries.reifegrad_distribution(sample_db, group=cooperation_name())
    level2 = dist[dist["reifegrad"].astype(str) == "2"].set_index("ags")["leistungen"]
    assert len(set(level2)) >= 4  # not the same count everywhere
    # Marburg far ahead: most online, fewest overdue
    assert cov["online"].idxmax() == MARBURG and cov["overdue"].idxmin() == MARBURG


def test_sample_stays_labelled(sample_db):
    assert queries.is_sample(sample_db)
    assert set(queries.batches(sample_db, limit=10_000)["kind"]) >= {"sample"}
