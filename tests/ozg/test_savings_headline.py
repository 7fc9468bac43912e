"""One headline savings figure whose parts add up, today and as of 31.12.2022, on both backends.

The fixture is built by hand through the real write path (savings_store) with explicit timestamps; every expected
value below is counted by hand from it (defaults: Y = 5 years, s = 25 %, 15 minutes per digital case, 60 €/h
until an admin sets 80 €/h in 2024). Today is SAMPLE_DAY = 27.11.2026.

    P1  Marburg leads; 01.03.2022: Marburg (live 01.06.2022) + Fulda (live 01.10.2022), B 100.000, A 20.000,
        O 10.000, K 10.000;  01.05.2023: Gießen joins (live 01.05.2023) and B becomes 120.000.
    P2  Fulda leads; created 01.02.2023: Fulda + Wetzlar (live 01.03.2023), B 50.000, A 5.000, O 5.000, K 5.000.
    P3  Wetzlar leads; created 01.01.2022: Wetzlar + Limburg (no go-live), B 40.000, A 4.000, O 2.000, K 2.000;
        deleted 01.06.2024.
    Fallzahlen (Fulda, 10001, digital): 11.2022 400, 12.2022 200, 01.2023 1.000.
"""

from __future__ import annotations

import datetime as dt

import pytest

from ozg import costmodel, savings, savings_text
from tests.conftest import SAMPLE_DAY
from tests.ozg.savings_history import NEW_YEAR_2022, build_history


@pytest.fixture
def history_db(any_db):
    return build_history(any_db)


def result(db, as_of=None, years=None):
    return savings.compute(savings.load_frames(db, as_of), years, as_of or SAMPLE_DAY)


def parts(headline: savings.Headline) -> tuple[float, float, float, float]:
    return (headline.development, headline.operation, headline.cases, headline.total)


def test_today_headline_and_its_parts_counted_by_hand(history_db):
    r = result(history_db)
    # P1 n = 3: 2 × (120.000 − 20.000) − 10.000 = 190.000; P2 n = 2: 45.000 − 5.000 = 40.000
    # operation (n − 1) × O × 0,75 × 5: P1 75.000, P2 18.750; cases 1.600 × 15/60 × 80 € × 5 = 160.000
    assert parts(r.planned) == pytest.approx((230_000, 93_750, 160_000, 483_750))
    # realised: development per reusing city B − A − K/(n − 1): P1 2 × 95.000, P2 40.000;
    # operation 625 €/month for Fulda (49 months) and Gießen (42), 312,50 €/month for Wetzlar (44);
    # cases: all 1.600 digital cases at 80 €/h
    assert parts(r.realised) == pytest.approx((230_000, 70_625, 32_000, 332_625))


def test_31_12_2022_uses_projects_costs_parameters_and_cases_as_they_stood(history_db):
    r = result(history_db, NEW_YEAR_2022)
    assert sorted(p.project_id for p in r.projects) == ["P1", "P3"]   # P2 came later, P3 was deleted later
    p1 = next(p for p in r.projects if p.project_id == "P1")
    assert (p1.n, p1.development) == (2, 100_000)                        # Gießen and the new B came in 2023
    assert r.params.hourly_cost == 60                                    # 80 €/h was set in 2024
    # P1 n = 2: 80.000 − 10.000; P3: 36.000 − 2.000; operation P1 37.500, P3 7.500;
    # cases 600 × 15/60 × 60 € × 5 = 45.000
    assert parts(r.planned) == pytest.approx((104_000, 45_000, 45_000, 194_000))
    # realised: Fulda went live 10.2022 (70.000) + 2 months × 625; 400 + 200 cases × 15/60 × 60 €
    assert parts(r.realised) == pytest.approx((70_000, 1_250, 9_000, 80_250))


@pytest.mark.parametrize("as_of", [None, NEW_YEAR_2022])
def test_every_figure_is_a_part_of_the_headline(history_db, as_of):
    r = result(history_db, as_of)
    assert r.per_project["savings"].sum() == pytest.approx(r.planned.development + r.planned.operation)
    assert r.totals["alone"] - r.totals["shared"] == pytest.approx(r.planned.development + r.planned.operation)
    assert (r.per_city["savings"].sum() + r.per_city["case_savings"].sum()) == pytest.approx(r.planned.total)
    base = r.sensitivity["base"].tolist()
    assert base == pytest.approx([r.planned.total] * len(base)) and base   # the tornado is centred on the headline
    assert r.timeline["cumulative"].iloc[-1] == pytest.approx(r.realised.total)
    table = savings_text.headline_table(r).set_index("Kennzahl")["Wert (€)"]
    assert table.iloc[0] == pytest.approx(table.iloc[1:4].sum()) and table.iloc[4] == pytest.approx(
        table.iloc[5:8].sum())


def test_years_change_the_headline_by_hand(history_db):
    r = result(history_db, NEW_YEAR_2022, years=10)
    # development stays 104.000; operation doubles to 90.000, cases to 90.000
    assert parts(r.planned) == pytest.approx((104_000, 90_000, 90_000, 284_000))
    assert r.planned.total == pytest.approx(costmodel.overall(r.projects, r.params, r.digital_cases_per_year))


def test_a_day_before_any_project_has_none(history_db):
    r = result(history_db, dt.date(2021, 12, 31))
    assert not r.projects and r.planned.total == 0 and r.realised.total == 0
