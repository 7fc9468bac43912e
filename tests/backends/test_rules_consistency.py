"""One rule, one number: the tiles, the lists, the progress series and the ministry reports agree, on both backends.

Hand-built data, every expected value counted by hand from the table below (today = SAMPLE_DAY = 27.11.2026):

Marburg, import of 10.03.2026
  10000  Reifegrad 3, online                         online
  10001  Reifegrad 4, online                         online
  10002  Reifegrad 3, nicht relevant                 not relevant: neither online nor in any list
  10003  Reifegrad 3, online; retired by a newer catalogue edition on SAMPLE_DAY: counts nowhere
  10004  Reifegrad 1, Geplant bis 26.11.2026         overdue, 1 day
  10005  no Reifegrad, Geplant bis 27.11.2026        due today: planned, not overdue
  10006  Reifegrad 3, Geplant bis 31.01.2026         online at the threshold: not overdue
  10007  Reifegrad 1, nicht relevant, bis 01.02.2026 neither list
  10008  Reifegrad 2, Geplant bis 15.12.2026         planned
  10009  Reifegrad 0, Geplant bis 30.06.2025         overdue, 515 days
  10010  Reifegrad 2, Geplant bis 31.10.2026         overdue, 27 days
  10013  nicht relevant, Geplant bis 01.03.2027      neither list
Marburg, import of 15.09.2026
  10011  Reifegrad 4, online                         online (from September)
Gießen, import of 04.05.2026
  10000  Reifegrad 4, online                         online (from May)
  10001  Reifegrad 2, Geplant bis 01.08.2026         overdue, 118 days

Kassel (not a member of the cooperation), import of 01.06.2026
  10000  Reifegrad 4, online                         counts only where no group is chosen
  10014  Reifegrad 1, Geplant bis 01.07.2026         overdue, 149 days, outside the cooperation

Marburg: online 3 at the month ends March–August, 4 from September; relevant 556 - 3 = 553; overdue 3; planned 2.
Gießen: online 0 in March and April, 1 from May; relevant 556; overdue 1; planned 0.
Every figure of the cooperation leaves Kassel out; a query that forgets its group counts it.
"""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest

import reports
from ozg import queries, summary
from ozg.domain import StatusUpdate
from ozg.kommunen import cooperation_name
from tests.backends.built_support import GIESSEN, KASSEL, MARBURG, add_outsider, import_at, retire
from tests.conftest import SAMPLE_DAY
from tests.reports.conftest import pdf_text

GROUP = cooperation_name()
ONLINE = {"status": "online"}

MARBURG_MARCH = [
    StatusUpdate("10000", {"reifegrad": 3, **ONLINE}),
    StatusUpdate("10001", {"reifegrad": 4, **ONLINE}),
    StatusUpdate("10002", {"reifegrad": 3, "status": "nicht relevant"}),
    StatusUpdate("10003", {"reifegrad": 3, **ONLINE}),
    StatusUpdate("10004", {"reifegrad": 1, "status": "Umsetzung", "geplant_bis": dt.date(2026, 11, 26)}),
    StatusUpdate("10005", {"status": "geplant", "geplant_bis": dt.date(2026, 11, 27)}),
    StatusUpdate("10006", {"reifegrad": 3, **ONLINE, "geplant_bis": dt.date(2026, 1, 31)}),
    StatusUpdate("10007", {"reifegrad": 1, "status": "nicht relevant", "geplant_bis": dt.date(2026, 2, 1)}),
    StatusUpdate("10008", {"reifegrad": 2, "status": "Pilot", "geplant_bis": dt.date(2026, 12, 15)}),
    StatusUpdate("10009", {"reifegrad": 0, "status": "Konzeption", "geplant_bis": dt.date(2025, 6, 30)}),
    StatusUpdate("10010", {"reifegrad": 2, "status": "Umsetzung", "geplant_bis": dt.date(2026, 10, 31)}),
    StatusUpdate("10013", {"status": "nicht relevant", "geplant_bis": dt.date(2027, 3, 1)}),
]
MARBURG_SEPTEMBER = [StatusUpdate("10011", {"reifegrad": 4, **ONLINE})]
KASSEL_JUNE = [
    StatusUpdate("10000", {"reifegrad": 4, **ONLINE}),
    StatusUpdate("10014", {"reifegrad": 1, "status": "Umsetzung", "geplant_bis": dt.date(2026, 7, 1)}),
]
GIESSEN_MAY = [
    StatusUpdate("10000", {"reifegrad": 4, **ONLINE}),
    StatusUpdate("10001", {"reifegrad": 2, "status": "Umsetzung", "geplant_bis": dt.date(2026, 8, 1)}),
]
MARBURG_OVERDUE_IDS = {"10004", "10009", "10010"}
MARBURG_PLANNED_IDS = {"10005", "10008"}
# every overdue Leistung of the cooperation, most overdue first: (Kommune, OZG-ID, days late)
OVERDUE_MOST_FIRST = [(MARBURG, "10009", 515), (GIESSEN, "10001", 118), (MARBURG, "10010", 27),
                      (MARBURG, "10004", 1)]
MEMBERS = {MARBURG, GIESSEN, "06532023", "06631009", "06533009"}   # data/cities.csv
MONTH_ENDS = [dt.date(2026, 3, 31), dt.date(2026, 4, 30), dt.date(2026, 5, 31), dt.date(2026, 6, 30),
              dt.date(2026, 7, 31), dt.date(2026, 8, 31), dt.date(2026, 9, 30), dt.date(2026, 10, 31), SAMPLE_DAY]
MARBURG_SERIES = [3, 3, 3, 3, 3, 3, 4, 4, 4]
GIESSEN_SERIES = [0, 0, 1, 1, 1, 1, 1, 1, 1]


@pytest.fixture
def built(any_db):
    add_outsider(any_db)
    retire(any_db, "10003")   # first: the imports after it leave the per-Kommune summary fresh (ozg/summary.py)
    import_at(any_db, MARBURG, MARBURG_MARCH, dt.datetime(2026, 3, 10, 10, 0))
    import_at(any_db, GIESSEN, GIESSEN_MAY, dt.datetime(2026, 5, 4, 9, 30))
    import_at(any_db, KASSEL, KASSEL_JUNE, dt.datetime(2026, 6, 1, 8, 0))
    import_at(any_db, MARBURG, MARBURG_SEPTEMBER, dt.datetime(2026, 9, 15, 14, 0))
    return any_db


def _by_city(frame, column, key="ags"):
    return dict(zip(frame[key], frame[column]))


def _sheet_rows(ws, header_row):
    header = [c.value for c in ws[header_row]]
    return [dict(zip(header, (c.value for c in row))) for row in ws.iter_rows(min_row=header_row + 1)]


def _header_row(ws, first):
    return next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == first)


# --- online ----------------------------------------------------------------------------------------------------

def test_online_tile_equals_progress_series_and_both_xlsx_sheets(built):
    cov = queries.coverage(built, group=GROUP)
    assert _by_city(cov, "online")[MARBURG] == 4 and _by_city(cov, "online")[GIESSEN] == 1
    assert _by_city(cov, "relevant")[MARBURG] == 553 and _by_city(cov, "relevant")[GIESSEN] == 556
    assert queries.coverage_total(cov)["online"] == 5

    first, _ = queries.history_span(built)
    assert queries.month_ends(first, SAMPLE_DAY) == MONTH_ENDS
    prog = queries.progress(built, MONTH_ENDS, group=GROUP)
    assert list(prog[prog.ags == MARBURG].sort_values("day")["online"]) == MARBURG_SERIES
    assert list(prog[prog.ags == GIESSEN].sort_values("day")["online"]) == GIESSEN_SERIES

    wb = openpyxl.load_workbook(io.BytesIO(reports.export(built, "xlsx")))
    summary = _sheet_rows(wb["Zusammenfassung"], _header_row(wb["Zusammenfassung"], "Kommune"))
    online = {r["Kommune"]: r["online"] for r in summary}
    assert online["Marburg"] == 4 and online["Gießen"] == 1 and online["Kooperation gesamt"] == 5
    verlauf = _sheet_rows(wb["Verlauf"], 1)
    marburg = [r for r in verlauf if r["AGS"] == MARBURG]
    assert [r["online"] for r in marburg] == MARBURG_SERIES
    assert [r["online"] for r in verlauf if r["AGS"] == GIESSEN] == GIESSEN_SERIES
    assert marburg[-1]["Stichtag"].date() == SAMPLE_DAY


def test_forecast_pace_counts_by_the_same_rule(built):
    fc = queries.forecast(built, group=GROUP, window_months=6)  # window start 27.05.2026: Marburg 3, Gießen 1
    assert _by_city(fc, "online_start")[MARBURG] == 3 and _by_city(fc, "online_start")[GIESSEN] == 1
    assert _by_city(fc, "pace")[MARBURG] == pytest.approx(1 / 6) and _by_city(fc, "pace")[GIESSEN] == 0
    assert set(fc["ags"]) == MEMBERS
    # at Reifegrad 4 the window starts with 10001 alone and ends with 10001 and 10011: one go-live in six months
    strict = queries.forecast(built, group=GROUP, window_months=6, threshold=4).set_index("ags").loc[MARBURG]
    assert (strict["online_start"], strict["online"]) == (1, 2) and strict["pace"] == pytest.approx(1 / 6)


def test_the_region_view_reads_the_summary_the_kreis_sums_and_the_exact_state_alike(built):
    with built.connect() as conn:
        assert summary.is_fresh(conn)
    # Land (the default level), no group: every Kommune of the database, Kassel included — from the Kreis sums
    hessen = queries.coverage_by_region(built).set_index("region").loc["06"]
    assert (hessen["kommunen"], hessen["online"], hessen["overdue"]) == (6, 6, 5)
    kreise = _by_city(queries.coverage_by_region(built, "kreis"), "online", "region")
    assert (kreise["06534"], kreise["06531"], kreise["06611"]) == (4, 1, 1)
    # a past day is counted from the history, never from the summary of today
    assert _by_city(queries.coverage_by_region(built, "kreis", as_of=dt.date(2026, 8, 31)), "online",
                    "region")["06534"] == 3
    # a catalogue change makes the summary stale: the exact state is counted until the next write rebuilds it
    retire(built, "10006")
    with built.connect() as conn:
        assert not summary.is_fresh(conn)
    assert _by_city(queries.coverage_by_region(built, "kreis"), "online", "region")["06534"] == 3
    assert _by_city(queries.coverage(built, group=GROUP), "online")[MARBURG] == 3


def test_a_kommune_with_everything_relevant_online_needs_no_more_months(built):
    # Wetzlar, 01.10.2026: 10000 online, every other active Leistung „nicht relevant“ — relevant 1, online 1
    active = [oid for oid in queries.leistungen(built)["ozg_id"] if oid != "10000"]
    import_at(built, "06532023", [StatusUpdate("10000", {"reifegrad": 3, **ONLINE}),
                                  *(StatusUpdate(oid, {"status": "nicht relevant"}) for oid in active)],
              dt.datetime(2026, 10, 1, 8, 0))
    wetzlar = queries.forecast(built, group=GROUP).set_index("ags").loc["06532023"]
    assert (wetzlar["relevant"], wetzlar["online"], wetzlar["remaining"]) == (1, 1, 0)
    assert wetzlar["pace"] == pytest.approx(1 / 12) and wetzlar["months_needed"] == 0
    assert wetzlar["reaches"] == SAMPLE_DAY
    assert _by_city(queries.coverage(built, group=GROUP), "share")["06532023"] == 1.0
    assert _by_city(queries.coverage_by_region(built, "gemeinde", group=GROUP), "share", "region")["06532023"] == 1.0


def test_a_kommune_with_nothing_relevant_has_a_share_of_zero(built):
    every = list(queries.leistungen(built)["ozg_id"])
    import_at(built, "06532023", [StatusUpdate(oid, {"status": "nicht relevant"}) for oid in every],
              dt.datetime(2026, 10, 1, 8, 0))
    wetzlar = queries.coverage(built, group=GROUP).set_index("ags").loc["06532023"]
    assert (wetzlar["relevant"], wetzlar["online"], wetzlar["share"]) == (0, 0, 0.0)
    region = queries.coverage_by_region(built, "gemeinde", group=GROUP).set_index("region").loc["06532023"]
    assert (region["relevant"], region["share"]) == (0, 0.0)


def test_forecast_date_is_the_hand_counted_pace_carried_forward(built):
    fc = queries.forecast(built, group=GROUP).set_index("ags")  # 12 months: from 27.11.2025, nothing online then
    marburg, giessen = fc.loc[MARBURG], fc.loc[GIESSEN]
    assert marburg["window_start"] == dt.date(2025, 11, 27) == giessen["window_start"]
    assert (marburg["online_start"], marburg["online"], marburg["relevant"], marburg["remaining"]) == (0, 4, 553, 549)
    assert marburg["pace"] == pytest.approx(4 / 12) and marburg["months_needed"] == pytest.approx(1647)
    assert marburg["reaches"] == SAMPLE_DAY + dt.timedelta(days=50_131)  # 1647 × 30,4375 = 50.130,56 days
    assert (giessen["online_start"], giessen["online"], giessen["remaining"]) == (0, 1, 555)
    assert giessen["months_needed"] == pytest.approx(6660)
    assert giessen["reaches"] == SAMPLE_DAY + dt.timedelta(days=202_714)  # 6660 × 30,4375 = 202.713,75 days
    no_pace = queries.forecast(built, group=GROUP, window_months=6).set_index("ags").loc[GIESSEN]
    assert no_pace["reaches"] is None and no_pace["remaining"] == 555
    august = queries.forecast(built, as_of=dt.date(2026, 8, 31), group=GROUP).set_index("ags").loc[MARBURG]
    assert august["window_start"] == dt.date(2025, 8, 31) and august["online"] == 3
    assert august["pace"] == pytest.approx(3 / 12)
    strict = queries.forecast(built, group=GROUP, threshold=4).set_index("ags").loc[MARBURG]  # 10001 and 10011
    assert strict["online"] == 2 and strict["pace"] == pytest.approx(2 / 12) and strict["remaining"] == 551


def test_past_day_counts_by_the_same_rule(built):
    cov = queries.coverage(built, as_of=dt.date(2026, 8, 31), group=GROUP)
    assert _by_city(cov, "online")[MARBURG] == 3 and _by_city(cov, "online")[GIESSEN] == 1
    regions = queries.coverage_by_region(built, "gemeinde", prefix="06", as_of=dt.date(2026, 8, 31), group=GROUP)
    assert _by_city(regions, "online", "region")[MARBURG] == 3


def test_region_view_counts_by_the_same_rule(built):
    regions = queries.coverage_by_region(built, "gemeinde", prefix="06", group=GROUP)
    cov = queries.coverage(built, group=GROUP)
    for column in ("online", "relevant", "overdue"):
        assert _by_city(regions, column, "region") == _by_city(cov, column)
    assert _by_city(regions, "online", "region")[MARBURG] == 4
    assert int(queries.overview_kpis(built, group=GROUP)["overdue"].iloc[0]) == 4
    assert int(queries.overview_kpis(built, group=GROUP)["online"].iloc[0]) == 5
    assert int(queries.overview_kpis(built, as_of=dt.date(2026, 8, 31), group=GROUP)["online"].iloc[0]) == 4
    assert int(queries.overview_kpis(built, group=GROUP, threshold=4)["online"].iloc[0]) == 3


def test_without_a_group_every_kommune_of_the_database_counts(built):
    cov = queries.coverage(built)
    assert set(cov["ags"]) == MEMBERS | {KASSEL}
    assert queries.coverage_total(cov)["online"] == 6 and queries.coverage_total(cov)["overdue"] == 5
    late = queries.overdue(built)
    assert sorted(zip(late["ags"], late["ozg_id"], late["days_late"])) == sorted(
        [*OVERDUE_MOST_FIRST, (KASSEL, "10014", 149)])
    assert queries.reuse_opportunities(built)[["ozg_id", "online_count"]].values.tolist()[0] == ["10000", 3]
    assert set(queries.last_reports(built)["ags"]) == MEMBERS | {KASSEL}


def test_the_catalogue_lists_leave_out_what_the_rules_leave_out(built):
    assert "10003" not in set(queries.leistungen(built)["ozg_id"])             # retired
    every = queries.leistungen(built, include_retired=True).set_index("ozg_id")
    assert bool(every.loc["10003", "retired"]) and len(every) == len(queries.leistungen(built)) + 1
    assert set(queries.kommunen(built, group=GROUP)["ags"]) == MEMBERS
    assert set(queries.kommunen(built)["ags"]) == MEMBERS | {KASSEL}


# --- overdue / planned -------------------------------------------------------------------------------------------

def test_overdue_tile_equals_the_overdue_list_and_the_xlsx_fristen_sheet(built):
    cov = queries.coverage(built, group=GROUP)
    assert _by_city(cov, "overdue")[MARBURG] == 3 and _by_city(cov, "overdue")[GIESSEN] == 1
    late = queries.overdue(built, group=GROUP)
    assert set(late[late.ags == MARBURG]["ozg_id"]) == MARBURG_OVERDUE_IDS
    assert sorted(zip(late["ags"], late["ozg_id"], late["days_late"])) == sorted(OVERDUE_MOST_FIRST)

    wb = openpyxl.load_workbook(io.BytesIO(reports.export(built, "xlsx")))
    fristen = _sheet_rows(wb["Fristen"], 1)
    xlsx_late = [(r["AGS"], r["OZG-ID"], r["Tage überfällig"]) for r in fristen if r["Art"] == "überfällig"]
    assert sorted(xlsx_late) == sorted(OVERDUE_MOST_FIRST)
    summary = _sheet_rows(wb["Zusammenfassung"], _header_row(wb["Zusammenfassung"], "Kommune"))
    assert {r["Kommune"]: r["überfällig"] for r in summary}["Kooperation gesamt"] == 4
    xlsx_planned = {r["OZG-ID"] for r in fristen if r["Art"] == "geplant" and r["AGS"] == MARBURG}
    assert xlsx_planned == MARBURG_PLANNED_IDS


def test_online_at_the_threshold_is_not_overdue(built):
    assert "10006" not in set(queries.overdue(built, group=GROUP)["ozg_id"])
    # one level stricter, the same Leistung is late: the threshold is the only thing that kept it off the list
    stricter = queries.overdue(built, group=GROUP, threshold=4)
    assert "10006" in set(stricter[stricter.ags == MARBURG]["ozg_id"])
    assert _by_city(queries.coverage(built, group=GROUP, threshold=4), "overdue")[MARBURG] == 4


def test_due_today_is_in_exactly_one_list_planned(built):
    late = set(queries.overdue(built, group=GROUP)["ozg_id"])
    plan = queries.planned(built, group=GROUP)
    planned_ids = set(plan[plan.ags == MARBURG]["ozg_id"])
    assert "10005" in planned_ids and "10005" not in late
    assert planned_ids == MARBURG_PLANNED_IDS
    # the day after, the same Leistung has moved to the overdue list and left the planned one
    tomorrow = dt.date(2026, 11, 28)
    assert "10005" in set(queries.overdue(built, as_of=tomorrow, group=GROUP)["ozg_id"])
    assert "10005" not in set(queries.planned(built, as_of=tomorrow, group=GROUP)["ozg_id"])


def test_nicht_relevant_is_in_no_list(built):
    late = set(queries.overdue(built, group=GROUP)["ozg_id"])
    plan = queries.planned(built, group=GROUP)
    marburg_planned = set(plan[plan.ags == MARBURG]["ozg_id"])
    for ozg_id in ("10002", "10007", "10013"):
        assert ozg_id not in late and ozg_id not in marburg_planned


def test_pdf_lists_every_overdue_leistung_most_overdue_first(built):
    report = reports.export(built, "pdf")
    text = pdf_text(report)
    positions = []
    for _, ozg_id, _ in OVERDUE_MOST_FIRST:
        assert text.count(ozg_id) == 1, ozg_id
        positions.append(text.index(ozg_id))
    assert positions == sorted(positions)
    for ozg_id in ("10006", "10005", "10008", "10007"):  # online, planned, not relevant: not on the list
        assert ozg_id not in text


def test_pdf_is_fed_the_overdue_list_of_the_tile(built):
    from reports.data import build_report

    report = build_report(built)
    frame = report.deadlines.frame
    late = frame[frame["Art"] == "überfällig"]
    assert len(late) == report.total["overdue"] == 4
    assert sorted(zip(late["AGS"], late["OZG-ID"], late["Tage überfällig"])) == sorted(OVERDUE_MOST_FIRST)


# --- freshness ---------------------------------------------------------------------------------------------------

def test_letzte_meldung_is_each_citys_own_newest_import(built):
    fresh = _by_city(queries.last_reports(built, group=GROUP), "last_report")
    assert fresh[MARBURG] == dt.datetime(2026, 9, 15, 14, 0)
    assert fresh[GIESSEN] == dt.datetime(2026, 5, 4, 9, 30)
    assert fresh["06631009"] is None or fresh["06631009"] != fresh["06631009"]  # Fulda never reported
    before = _by_city(queries.last_reports(built, as_of=dt.date(2026, 9, 14), group=GROUP), "last_report")
    assert before[MARBURG] == dt.datetime(2026, 3, 10, 10, 0)

    wb = openpyxl.load_workbook(io.BytesIO(reports.export(built, "xlsx")))
    summary = _sheet_rows(wb["Zusammenfassung"], _header_row(wb["Zusammenfassung"], "Kommune"))
    last = {r["Kommune"]: r["Letzte Meldung"] for r in summary}
    assert last["Marburg"] == dt.datetime(2026, 9, 15, 14, 0)
    assert last["Gießen"] == dt.datetime(2026, 5, 4, 9, 30)
    assert last["Fulda"] is None


# --- month on month, reuse, history of one Leistung (hand-counted from the table above) --------------------------


def test_month_on_month_change_is_the_hand_counted_go_lives():
    assert queries.month_before(dt.date(2026, 1, 31)) == dt.date(2025, 12, 31)   # across the year, December's 31
    assert queries.month_before(dt.date(2024, 3, 30)) == dt.date(2024, 2, 29)    # leap year
    assert queries.month_before(dt.date(2026, 12, 31)) == dt.date(2026, 11, 30)
    assert queries.months_before(dt.date(2026, 8, 31), 12) == dt.date(2025, 8, 31)  # not clamped on the way
    assert queries.months_before(dt.date(2026, 8, 31), 6) == dt.date(2026, 2, 28)
    assert queries.months_before(dt.date(2026, 1, 15), 25) == dt.date(2023, 12, 15)


def test_coverage_change_counts_the_go_lives_of_the_month(built):
    september = queries.coverage_change(built, as_of=dt.date(2026, 9, 30), group=GROUP)  # against 30.08.2026
    assert _by_city(september, "online_before")[MARBURG] == 3 and _by_city(september, "online")[MARBURG] == 4
    assert _by_city(september, "online_change")[MARBURG] == 1 and _by_city(september, "online_change")[GIESSEN] == 0
    assert set(september["ags"]) == MEMBERS   # Kassel is not a member
    may = queries.coverage_change(built, as_of=dt.date(2026, 5, 31), group=GROUP)  # against 30.04.2026
    assert _by_city(may, "online_change")[GIESSEN] == 1 and _by_city(may, "online_before")[GIESSEN] == 0
    assert _by_city(may, "online_change")[MARBURG] == 0
    # at Reifegrad 4: Marburg 10001 on 30.08., 10001 and 10011 on 30.09.; Gießen 10000 on both days
    strict = queries.coverage_change(built, as_of=dt.date(2026, 9, 30), group=GROUP, threshold=4)
    assert (_by_city(strict, "online_before")[MARBURG], _by_city(strict, "online")[MARBURG]) == (1, 2)
    assert (_by_city(strict, "online_before")[GIESSEN], _by_city(strict, "online_change")[GIESSEN]) == (1, 0)


def test_reuse_opportunities_are_the_hand_counted_leistungen(built):
    reuse = queries.reuse_opportunities(built, group=GROUP)
    # online somewhere, relevant and not online elsewhere; the three cities without data miss everything
    assert reuse[["ozg_id", "online_count", "missing_count"]].values.tolist() == [
        ["10000", 2, 3], ["10001", 1, 4], ["10006", 1, 4], ["10011", 1, 4]]
    first, second = reuse.iloc[0], reuse.iloc[1]
    assert first["online_in"] == "Gießen, Marburg" and first["missing_in"] == "Fulda, Limburg an der Lahn, Wetzlar"
    assert second["online_in"] == "Marburg" and second["missing_in"] == "Fulda, Gießen, Limburg an der Lahn, Wetzlar"
    august = queries.reuse_opportunities(built, as_of=dt.date(2026, 8, 31), group=GROUP)   # before 10011 went online
    assert august[["ozg_id", "online_count", "missing_count"]].values.tolist() == [
        ["10000", 2, 3], ["10001", 1, 4], ["10006", 1, 4]]
    strict = queries.reuse_opportunities(built, group=GROUP, threshold=4)   # 10001, 10011 Marburg; 10000 Gießen
    assert strict[["ozg_id", "online_count", "missing_count"]].values.tolist() == [
        ["10000", 1, 4], ["10001", 1, 4], ["10011", 1, 4]]


def test_history_of_one_leistung_in_one_or_all_kommunen(built):
    both = queries.leistung_history(built, "10001")
    assert list(both["ags"]) == [MARBURG, GIESSEN] and list(both["reifegrad"]) == [4, 2]
    giessen = queries.leistung_history(built, "10001", ags=GIESSEN)
    assert list(giessen["kommune"]) == ["Gießen"] and list(giessen["status"]) == ["Umsetzung"]
    assert list(giessen["file_name"]) == [f"{GIESSEN}.xlsx"] and list(giessen["kind"]) == ["status"]


# --- one Leistung in every city, the coverage matrix -------------------------------------------------------------

def test_one_leistung_in_every_city_counts_by_the_same_rule(built):
    # 10002: Marburg Reifegrad 3 but „nicht relevant“ — neither online nor relevant; the other four have no report
    cities = queries.leistung_status(built, "10002", group=GROUP).set_index("ags")
    assert not cities["online"].any() and int(cities["relevant"].sum()) == 4
    assert not cities.loc[MARBURG, "relevant"]
    # 10000: online in Marburg (3) and Gießen (4), relevant in all five; at threshold 4 only Gießen
    cities = queries.leistung_status(built, "10000", group=GROUP).set_index("ags")
    assert sorted(cities.index[cities["online"]]) == sorted([MARBURG, GIESSEN])
    assert int(cities["relevant"].sum()) == 5
    strict = queries.leistung_status(built, "10000", group=GROUP, threshold=4).set_index("ags")
    assert list(strict.index[strict["online"]]) == [GIESSEN]
    assert set(strict.index) == MEMBERS
    # 10011 went online in Marburg in September: on 31.08.2026 it was online nowhere
    august = queries.leistung_status(built, "10011", as_of=dt.date(2026, 8, 31), group=GROUP)
    assert not august["online"].any() and august["reifegrad"].isna().all()


def test_the_matrix_marks_online_by_the_same_rule(built):
    matrix = queries.coverage_matrix(built, group=GROUP, search="10002").set_index("ags")
    assert matrix.loc[MARBURG, "reifegrad"] == 3 and not matrix["online"].any()   # nicht relevant
    matrix = queries.coverage_matrix(built, group=GROUP, search="10000").set_index("ags")
    assert sorted(matrix.index[matrix["online"]]) == sorted([MARBURG, GIESSEN])
    strict = queries.coverage_matrix(built, group=GROUP, search="10000", threshold=4).set_index("ags")
    assert list(strict.index[strict["online"]]) == [GIESSEN]
