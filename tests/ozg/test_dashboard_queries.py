"""The read queries the dashboard pages add (ozg/queries/), on the sample database."""

from __future__ import annotations

import datetime as dt

from ozg import queries
from ozg.kommunen import cooperation_name

DAY = dt.date(2026, 11, 27)


def test_month_before_clamps_to_month_end():
    assert queries.month_before(dt.date(2026, 3, 31)) == dt.date(2026, 2, 28)
    assert queries.month_before(dt.date(2026, 1, 15)) == dt.date(2025, 12, 15)


def test_coverage_change_compares_with_one_month_earlier(sample_db):
    frame = queries.coverage_change(sample_db, as_of=DAY, group=cooperation_name()).set_index("name")
    before = queries.coverage(sample_db, as_of=dt.date(2026, 10, 27), group=cooperation_name()).set_index("name")
    assert list(frame["online_before"]) == list(before["online"])
    assert (frame["online_change"] == frame["online"] - frame["online_before"]).all()


def test_reuse_opportunities_are_online_somewhere_and_missing_elsewhere(sample_db):
    reuse = queries.reuse_opportunities(sample_db, group=cooperation_name())
    assert len(reuse) > 0
    for row in reuse.itertuples():
        online, missing = set(row.online_in.split(", ")), set(row.missing_in.split(", "))
        assert online and missing and not online & missing
        assert len(online) == row.online_count and len(missing) == row.missing_count
    matrix = queries.coverage_matrix(sample_db, group=cooperation_name())
    first = reuse.iloc[0]
    cells = matrix[matrix["ozg_id"] == first["ozg_id"]].set_index("kommune")
    assert {k for k, r in cells.iterrows() if r["online"]} == set(first["online_in"].split(", "))


def test_coverage_matrix_filters_are_literal_and_combined(sample_db):
    group = cooperation_name()
    everything = queries.coverage_matrix(sample_db, group=group)
    assert everything["ozg_id"].nunique() == 557 and len(everything) == 557 * 5
    assert queries.coverage_matrix(sample_db, group=group, search="%").empty  # '%' is a character, not a wildcard
    assert queries.coverage_matrix(sample_db, group=group, search="_").empty  # '_' too
    by_typ = queries.coverage_matrix(sample_db, group=group, typ=("4",))
    assert by_typ["typ"].map(lambda t: "4" in t.split("|")).all()
    assert not by_typ["typ"].str.contains("2/3").all()
    online_somewhere = queries.coverage_matrix(sample_db, group=group, status=("online",))
    assert online_somewhere.groupby("ozg_id")["status"].apply(lambda s: (s == "online").any()).all()
    both = queries.coverage_matrix(sample_db, group=group, themenfeld=("Bildung",), search="schul")
    assert set(both["themenfeld"]) == {"Bildung"} and both["leistung"].str.lower().str.contains("schul").all()
    assert queries.coverage_matrix(sample_db, group=group, efa="ja").empty  # EfA unknown in the 2019 catalogue


def test_forecast_pace_is_go_lives_per_month_over_the_window(sample_db):
    frame = queries.forecast(sample_db, as_of=DAY, group=cooperation_name()).set_index("name")
    year_ago = queries.progress(sample_db, [dt.date(2025, 11, 27)], cooperation_name()).set_index("name")
    marburg = frame.loc["Marburg"]
    assert marburg["pace"] == (marburg["online"] - year_ago.loc["Marburg", "online"]) / 12
    assert marburg["reaches"] > DAY


def test_forecast_on_an_empty_database_has_no_date(db):
    frame = queries.forecast(db, group=cooperation_name())
    assert frame["reaches"].isna().all() and (frame["pace"] == 0).all()


def test_leistung_status_has_one_row_per_kommune(sample_db):
    frame = queries.leistung_status(sample_db, "10022", group=cooperation_name())
    assert list(frame["kommune"]) == ["Fulda", "Gießen", "Limburg an der Lahn", "Marburg", "Wetzlar"]
    assert queries.leistung_info(sample_db, "10022")["name"].iloc[0] == "Landeserziehungsgeld"


def test_a_search_text_becomes_a_literal_like_pattern():
    from ozg.queries.state import _like_pattern

    # with ESCAPE '!': the escape character itself, then the two wildcards, each taken literally
    assert _like_pattern("a!b%c_d") == "%a!!b!%c!_d%"
    assert _like_pattern("!!") == "%!!!!%"


def test_only_the_sample_setup_says_it_is_sample_data(sample_db, db):
    assert queries.is_sample(sample_db) is True
    assert queries.is_sample(db) is False
