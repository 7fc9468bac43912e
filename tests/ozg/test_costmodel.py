"""The cost model with hand-computed numbers, and its properties (hypothesis)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ozg import costmodel
from ozg.costmodel import Parameters, Project

PARAMS = Parameters(years=5, operation_partner_share=0.25, minutes_saved_per_case=15, hourly_cost=60)


def project(cities: tuple[str, ...], **figures) -> Project:
    values = {"development": 100_000.0, "adaptation_per_city": 20_000.0, "operation_per_year": 10_000.0,
              "coordination": 15_000.0} | figures
    return Project("P1", "Test", "A", cities, leistungen=2, **values)


def test_one_city_saves_nothing():
    result = costmodel.project_savings(project(("A",)), PARAMS)
    assert result.n == 1
    assert (result.development_savings, result.operation_savings, result.savings) == (0, 0, 0)
    assert result.development_alone == result.development_shared == 100_000


def test_lead_city_counts_in_n_even_if_not_listed():
    assert project(("B", "C")).n == 3
    assert project(("A", "B", "C")).n == 3


def test_four_cities_by_hand():
    # n = 4 (lead A + 3 reusing cities), B = 100.000, A = 20.000, K = 15.000, O = 10.000, s = 25 %, Y = 5
    result = costmodel.project_savings(project(("A", "B", "C", "D")), PARAMS)
    assert result.development_alone == 400_000                      # 4 × 100.000
    assert result.development_shared == 175_000                     # 100.000 + 15.000 + 3 × 20.000
    assert result.development_savings == 225_000                    # = 3 × (100.000 − 20.000) − 15.000
    assert result.operation_alone == 200_000                        # 4 × 10.000 × 5
    assert result.operation_shared == pytest.approx(87_500)         # 10.000 × (1 + 3 × 0,25) × 5
    assert result.operation_savings == pytest.approx(112_500)
    assert result.savings == pytest.approx(337_500)


def test_defaults_from_parameters_when_figures_missing():
    p = Project("P2", "Ohne Zahlen", "A", ("A", "B"), leistungen=2, complexity="einfach")
    costs = costmodel.resolve_costs(p, Parameters(build_cost_simple=30_000, adaptation_share=0.1,
                                                  coordination_share=0.05, operation_share=0.2))
    assert (costs.development, costs.adaptation, costs.coordination, costs.operation) == (60_000, 6_000, 3_000,
                                                                                          12_000)
    assert costs.defaulted == ("development", "adaptation", "coordination", "operation")


def test_city_shares_add_up_to_project_savings():
    p = project(("A", "B", "C", "D"))
    shares = costmodel.city_shares(p, PARAMS)
    assert sum(r["savings"] for r in shares) == pytest.approx(costmodel.project_savings(p, PARAMS).savings)
    lead = next(r for r in shares if r["is_lead"])
    # alone 100.000 + 50.000; shared (100.000 + 15.000) / 4 + 87.500 / 4 = 50.625 → saves 99.375
    assert lead["savings"] == pytest.approx(99_375)


def test_case_savings_by_hand():
    assert costmodel.case_savings(1_200, 15, 60) == 18_000    # 1.200 × 15 min ÷ 60 × 60 €


def test_total_sums_projects():
    results = [costmodel.project_savings(project(("A", "B")), PARAMS),
               costmodel.project_savings(project(("A",)), PARAMS)]
    totals = costmodel.total(results)
    assert totals["savings"] == pytest.approx(results[0].savings)
    assert totals["alone"] == pytest.approx(results[0].alone + results[1].alone)


def test_sensitivity_table_for_tornado():
    frame = costmodel.sensitivity([project(("A", "B", "C", "D"))], PARAMS, digital_cases_per_year=1_000)
    assert list(frame.columns) == ["parameter", "label", "base", "low", "high", "swing"]
    assert len(frame) == len(costmodel.SENSITIVITY_LABELS)
    assert frame["swing"].is_monotonic_decreasing
    row = frame.set_index("parameter").loc["adaptation"]
    # A ± 50 %: development savings change by 3 × 10.000 = 30.000 either way
    assert row["base"] - row["high"] == pytest.approx(30_000)
    assert row["low"] - row["base"] == pytest.approx(30_000)
    cases = frame.set_index("parameter").loc["hourly_cost"]
    assert cases["high"] - cases["base"] == pytest.approx(costmodel.case_savings(1_000, 15, 30) * 5)


def test_timeline_realises_savings_at_go_live():
    p = project(("A", "B", "C"), operation_per_year=12_000.0)
    p = Project(**{**p.__dict__, "go_live": (("A", dt.date(2024, 1, 10)), ("B", dt.date(2024, 3, 5)),
                                             ("C", None))})
    frame = costmodel.timeline([p], PARAMS, until=dt.date(2024, 5, 31))
    assert [m.month for m in frame["month"]] == [3, 4, 5]
    # B goes live in March: 100.000 − 20.000 − 15.000 / 2 = 72.500; then 12.000 × 0,75 / 12 = 750 per month
    assert list(frame["development"]) == [72_500, 0, 0]
    assert list(frame["operation"]) == [0, 750, 750]
    assert frame["cumulative"].iloc[-1] == 74_000


amounts = st.floats(min_value=0, max_value=5_000_000, allow_nan=False)


@given(n=st.integers(1, 40), b=amounts, a=amounts, k=amounts, o=amounts, s=st.floats(0, 2), y=st.floats(0, 30))
def test_savings_never_exceed_solo_cost(n, b, a, k, o, s, y):
    cities = tuple(f"C{i}" for i in range(n))
    p = Project("P", "x", "C0", cities, 1, development=b, adaptation_per_city=a, operation_per_year=o,
                coordination=k)
    result = costmodel.project_savings(p, Parameters(operation_partner_share=s), years=y)
    assert result.savings <= result.alone + 1e-6
    assert result.development_savings <= result.development_alone + 1e-6


@given(n=st.integers(2, 40), b=st.floats(1, 5_000_000), ratio=st.floats(0, 0.999), k=amounts)
def test_development_savings_grow_with_n_when_adaptation_below_build(n, b, ratio, k):
    a = b * ratio   # adaptation < build cost
    assert costmodel.development_savings(n + 1, b, a, k) > costmodel.development_savings(n, b, a, k)


@given(b=amounts, a=amounts, k=amounts)
def test_one_city_is_always_zero(b, a, k):
    assert costmodel.development_savings(1, b, a, k) == 0
