"""The sample projects carry a recording history, and the as-of reconstruction gives back every recorded state.

Expected states come from ozg.sample_projects.history_steps (built from the sample status, independent of the
reconstruction in ozg/savings_asof.py, which reads project_change backwards).
"""

from __future__ import annotations

import datetime as dt

import pytest

from ozg import sample_projects, savings
from tests.conftest import SAMPLE_DAY


def _stored(frames: dict, project_id: str) -> tuple:
    project = frames["projects"].set_index("project_id").loc[project_id]
    cities = frames["cities"][frames["cities"]["project_id"] == project_id]
    leistungen = frames["leistungen"][frames["leistungen"]["project_id"] == project_id]
    costs = frames["costs"].set_index("project_id").loc[project_id]
    return (project["name"], project["lead_ags"], tuple(sorted(leistungen["ozg_id"])),
            tuple(sorted((a, savings._date(d)) for a, d in zip(cities["ags"], cities["go_live"], strict=True))),
            float(costs["development"]), costs["source"])


def _expected(spec: savings.ProjectSpec) -> tuple:
    return (spec.name, spec.lead_ags, tuple(sorted(spec.leistungen)), tuple(sorted(spec.cities)),
            spec.costs.development, spec.costs.source)


def test_every_recorded_state_comes_back_as_of_its_day(sample_db):
    specs = sample_projects.sample_specs(sample_db)
    assert len(specs) >= 3
    for spec in specs:
        steps = sample_projects.history_steps(spec, SAMPLE_DAY)
        assert steps[-1][1] == spec and len(steps) >= 2
        for number, (day, state) in enumerate(steps):
            frames = savings.load_frames(sample_db, day)
            assert _stored(frames, spec.project_id) == _expected(state), (spec.project_id, day)
            if number == 0:   # the day before it was recorded, the project did not exist yet
                before = savings.load_frames(sample_db, day - dt.timedelta(days=1))
                assert spec.project_id not in set(before["projects"]["project_id"])


@pytest.mark.parametrize("years", [5, 10])
def test_as_of_today_equals_the_current_state(sample_db, years):
    now = savings.compute(savings.load_frames(sample_db), years, SAMPLE_DAY)
    as_of = savings.compute(savings.load_frames(sample_db, SAMPLE_DAY), years, SAMPLE_DAY)
    assert (now.planned, now.realised) == (as_of.planned, as_of.realised)
    assert now.per_project.drop(columns="lead").equals(as_of.per_project.drop(columns="lead"))


def test_sample_31_12_2022_differs_where_the_history_says(sample_db):
    day = dt.date(2022, 12, 31)
    then = savings.compute(savings.load_frames(sample_db, day), None, day)
    expected = {s.project_id: dict(sample_projects.history_steps(s, SAMPLE_DAY)) for s in
                sample_projects.sample_specs(sample_db)}
    known = {pid for pid, steps in expected.items() if min(steps) <= day}
    assert {p.project_id for p in then.projects} == known
    for project in then.projects:
        state = expected[project.project_id][max(d for d in expected[project.project_id] if d <= day)]
        assert project.n == len(state.cities) and project.development == state.costs.development
        assert all(live is None or live <= day for _, live in project.go_live)
