"""The Bund-Abgleich comparison against hand-counted expectations, on both backends.

The federal fixture (tests/fixtures/bund/make_fixtures.py) says, for the five cities:
  10000 Marburg online (Gemeinde record)         10001 online in all of Hessen (landesweit flächendeckend)
  10002 online everywhere (bundesweit)           10003 Gießen listed, 'nicht ok'
  10004 Wetzlar listed, aktiv 'nein'             99999 Fulda, unknown to our catalogue (ignored)
  10005 online in Kreis Marburg-Biedenkopf       10006 online in Bayern only (no city)
  10007 Limburg online                           10008 Hessen-ARS, not flächendeckend: applies to no city
The cities' own status (tests/bund_support.py): Marburg 10000 R3 (both online), 10001 R1, 10009 R4; Gießen
10003 R3, 10001 R3 but „nicht relevant“; Wetzlar 10004 R3; Fulda 10002 R2; Limburg 10007 R3 (both online).
Everything else: nothing.
Differences, counted by hand:
  Bund online, Kommune nicht: 10001 × 5 cities, 10002 × 5 cities, 10005 Marburg             = 11
  Kommune online, Bund nicht: Marburg 10009 (not listed), Gießen 10003 ('nicht ok'), Wetzlar 10004 (aktiv 'nein') = 3
"""

from __future__ import annotations

import datetime as dt
import json

from loaders.bund_import import import_bund_file
from ozg import kommunen
from ozg.queries import bund as bund_queries
from tests.bund_support import CITY_STATUS, FD, FIXTURES, GI, LM, MR, WZ, set_city_status

BUND_NOT_CITY = {(ags, "10001") for ags in CITY_STATUS} | {(ags, "10002") for ags in CITY_STATUS} | {(MR, "10005")}
CITY_NOT_BUND = {(MR, "10009"), (GI, "10003"), (WZ, "10004")}


def test_comparison_matches_the_hand_count(any_db):
    set_city_status(any_db)
    import_bund_file(any_db, FIXTURES / "bund_page.json", dt.date(2026, 11, 1), "k")

    rows = bund_queries.bund_comparison(any_db, group=kommunen.cooperation_name())

    found = {(r.ags, r.ozg_id): (bool(r.kommune_online), bool(r.bund_online)) for r in rows.itertuples()}
    assert set(found) == BUND_NOT_CITY | CITY_NOT_BUND
    assert {k for k, v in found.items() if v == (False, True)} == BUND_NOT_CITY
    assert {k for k, v in found.items() if v == (True, False)} == CITY_NOT_BUND
    by_key = rows.set_index(["ags", "ozg_id"])
    assert by_key.loc[(GI, "10003"), "bund_state"] == "nicht ok"
    assert by_key.loc[(WZ, "10004"), "bund_state"] == "nicht aktiv"
    assert by_key.loc[(MR, "10009"), "bund_state"] == "nicht gelistet"
    assert by_key.loc[(FD, "10002"), "link_bund"] == "https://bund.example/de/familienversicherung"
    assert by_key.loc[(MR, "10005"), "link_bund"] == "https://bund.example/mr-bi/kindergeld"
    assert by_key.loc[(WZ, "10004"), "link_kommune"] == "https://wetzlar.example/hebamme"
    assert rows.groupby("kommune").size().to_dict() == {"Fulda": 2, "Gießen": 3, "Limburg an der Lahn": 2,
                                                        "Marburg": 4, "Wetzlar": 3}


def test_a_higher_threshold_moves_a_city_online_leistung_into_the_list(any_db):
    set_city_status(any_db)
    import_bund_file(any_db, FIXTURES / "bund.csv", dt.date(2026, 11, 1), "k")

    rows = bund_queries.bund_comparison(any_db, threshold=4, ags=[LM, MR])

    # Limburg 10007 has Reifegrad 3: under „online = Reifegrad ≥ 4“ it no longer counts, the Bund still says online;
    # Marburg 10000 (R3) likewise, while Marburg 10009 (R4) still counts.
    assert set(zip(rows["ags"], rows["ozg_id"], strict=True)) == {
        (LM, "10001"), (LM, "10002"), (LM, "10007"),
        (MR, "10000"), (MR, "10001"), (MR, "10002"), (MR, "10005"), (MR, "10009")}


def test_link_suggestions_where_the_city_has_no_link_and_the_bund_is_online(any_db):
    set_city_status(any_db)
    import_bund_file(any_db, FIXTURES / "bund.xlsx", dt.date(2026, 11, 1), "k")

    rows = bund_queries.bund_link_suggestions(any_db, ags=[MR, LM])

    # Marburg: 10001, 10002, 10005 (10000 has its own link); Limburg: 10001, 10002, 10007 (no own link).
    assert list(zip(rows["kommune"], rows["ozg_id"], strict=True)) == [
        ("Limburg an der Lahn", "10001"), ("Limburg an der Lahn", "10002"), ("Limburg an der Lahn", "10007"),
        ("Marburg", "10001"), ("Marburg", "10002"), ("Marburg", "10005")]
    assert rows["link_bund"].iloc[2] == "https://bund.example/lm/wunsch"


def test_the_snapshot_in_force_on_a_day_and_the_city_state_of_that_day(any_db, tmp_path):
    early = tmp_path / "frueh.json"
    early.write_text(json.dumps([{"ars": "065340014014", "ozgid": 10009, "online_status": "ok", "aktiv": "ja",
                                  "url": "https://bund.example/mr/sorge"}]), encoding="utf-8")
    import_bund_file(any_db, early, dt.date(2026, 9, 30), "k")
    import_bund_file(any_db, FIXTURES / "bund_page.json", dt.date(2026, 11, 1), "k")
    set_city_status(any_db, day=dt.datetime(2026, 10, 15, 12, 0))

    assert bund_queries.bund_snapshot(any_db, dt.date(2026, 9, 29)) is None
    assert bund_queries.bund_snapshot(any_db, dt.date(2026, 10, 31))["file_name"] == "frueh.json"
    assert bund_queries.bund_snapshot(any_db)["file_name"] == "bund_page.json"
    assert bund_queries.bund_comparison(any_db, as_of=dt.date(2026, 9, 29), ags=[MR]).empty  # no snapshot, no status

    on_oct_10 = bund_queries.bund_comparison(any_db, as_of=dt.date(2026, 10, 10), ags=[MR])
    assert list(zip(on_oct_10["ozg_id"], on_oct_10["bund_online"], strict=True)) == [("10009", True)]
    on_oct_31 = bund_queries.bund_comparison(any_db, as_of=dt.date(2026, 10, 31), ags=[MR])
    # On 15.10. Marburg reported 10009 online (the early snapshot lists it: no difference) and 10000 (not listed)
    assert list(zip(on_oct_31["ozg_id"], on_oct_31["kommune_online"], strict=True)) == [("10000", True)]
    now = bund_queries.bund_comparison(any_db, ags=[MR])
    assert set(now["ozg_id"]) == {"10001", "10002", "10005", "10009"}
    # link suggestions of a past day: on 10.10. Marburg had no own link for 10009 yet, from 15.10. it has one
    assert list(bund_queries.bund_link_suggestions(any_db, as_of=dt.date(2026, 10, 10), ags=[MR])["ozg_id"]) == \
        ["10009"]
    assert bund_queries.bund_link_suggestions(any_db, as_of=dt.date(2026, 10, 31), ags=[MR]).empty
    assert list(bund_queries.bund_link_suggestions(any_db, ags=[MR])["ozg_id"]) == ["10001", "10002", "10005"]
