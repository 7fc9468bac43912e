"""The Einsparungen charts: every € axis in German format with €, the timeline's two axes in the same unit."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from dashboard import savings_charts as charts


def _euro_axis(axis) -> bool:
    return axis.tickformat == ",.0f" and axis.ticksuffix == " €"


def test_timeline_axes_share_unit_and_format():
    timeline = pd.DataFrame({"month": [dt.date(2022, 10, 1), dt.date(2022, 11, 1)], "development": [70_000.0, 0.0],
                             "operation": [0.0, 625.0], "cases": [0.0, 6_000.0]})
    timeline["total"] = timeline[["development", "operation", "cases"]].sum(axis=1)
    timeline["cumulative"] = timeline["total"].cumsum()
    fig = charts.over_time(timeline)
    assert fig.layout.separators == ",."            # 1.234.567 — decimal comma, thousands dot
    assert _euro_axis(fig.layout.yaxis) and _euro_axis(fig.layout.yaxis2)
    assert fig.layout.yaxis.rangemode == fig.layout.yaxis2.rangemode == "tozero"   # both start at 0 €
    assert fig.data[-1].yaxis == "y2"


def test_tornado_is_centred_on_the_named_headline():
    frame = pd.DataFrame([{"parameter": "years", "label": "Betrachtungszeitraum (Y)", "base": 194_000.0,
                           "low": 150_000.0, "high": 238_000.0, "swing": 88_000.0}])
    fig = charts.tornado(frame, centre="Geplant (5 Jahre)")
    assert fig.layout.annotations[0].text == "Geplant (5 Jahre): 194.000 €"
    assert all(bar.base == 194_000.0 for bar in fig.data)
    assert _euro_axis(fig.layout.xaxis)


def test_project_and_city_charts_use_euro_axes():
    per_project = pd.DataFrame({"project_id": ["P1"], "name": ["Gewerbe"], "alone": [200_000.0],
                                "shared": [130_000.0], "savings": [70_000.0]})
    per_city = pd.DataFrame({"kommune": ["Fulda"], "savings": [50_000.0], "case_savings": [9_000.0]})
    projects = charts.alone_vs_shared(per_project, 5)
    assert _euro_axis(projects.layout.xaxis)
    assert projects.layout.xaxis.range == (0, 300_000)   # room for the savings label behind the longest bar
    assert _euro_axis(charts.city_savings(per_city, 5).layout.yaxis)
