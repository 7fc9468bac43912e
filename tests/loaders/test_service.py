"""Guarded write operations (loaders/service.py): the role checks hold at the service layer, whatever the UI shows."""

from __future__ import annotations

import datetime as dt

import pytest

from loaders import cli, service
from ozg import clock, queries, status
from ozg.batches import BatchInfo
from ozg.domain import StatusUpdate
from ozg.errors import InvalidEdit, OzgError, PermissionDenied, PreviewOutdated
from tests.ozg.auth_support import FULDA, WETZLAR, batch_count, current, first_ids, make_users, status_file


@pytest.fixture
def people(db, tmp_path):
    return make_users(db, tmp_path / "users.toml", passwords=False)  # argon2 is slow on purpose


@pytest.fixture
def ids(db):
    return first_ids(db, 3)


@pytest.fixture
def fulda_file(db, tmp_path, ids):
    return status_file(db, tmp_path / "fulda.xlsx", "Fulda", {
        ids[0]: {"Reifegrad": 3, "Status": "online", "Online seit": dt.date(2024, 5, 2)},
        ids[1]: {"Status": "geplant", "Bemerkung": "<script>alert(1)</script> :red[x] $x$"},
    })


def test_coordinator_of_wetzlar_cannot_import_for_fulda(db, people, fulda_file):
    with pytest.raises(PermissionDenied, match="„wetzlar“ ist nicht für Fulda zuständig"):
        service.import_file(db, people["wetzlar"], fulda_file, "Fulda")
    with pytest.raises(PermissionDenied):
        service.check_file(db, people["wetzlar"], fulda_file, FULDA)
    assert batch_count(db) == 0


@pytest.mark.parametrize("who", ["leser", None])
def test_viewer_and_anonymous_cannot_write(db, people, fulda_file, ids, who):
    user = people[who] if who else None
    with pytest.raises(PermissionDenied):
        service.import_file(db, user, fulda_file, "Fulda")
    with pytest.raises(PermissionDenied):
        service.quick_edit(db, user, "Fulda", ids[0], {"status": "online"})
    with pytest.raises(PermissionDenied):
        service.edit_state(db, user, "Fulda", ids[0])
    assert batch_count(db) == 0


def test_coordinator_preview_then_import_own_city(db, people, fulda_file, ids):
    outcome, version = service.check_file(db, people["fulda"], fulda_file, "Fulda", "fulda.xlsx")
    assert outcome.ok and outcome.dry_run and batch_count(db) == 0
    assert [c.ozg_id for c in outcome.result.changes] == ids[:2]
    assert [(f.field, f.new) for f in outcome.result.changes[1].fields] == [
        ("status", "geplant"), ("bemerkung", "<script>alert(1)</script> :red[x] $x$")]
    done = service.import_file(db, people["fulda"], fulda_file, "Fulda", "fulda.xlsx", preview=version)
    assert done.result.batch_id and done.result.rows_changed == 2
    batch = queries.batches(db, ags=FULDA).iloc[0]
    assert (batch.kind, batch.user_name, batch.file_name, batch.rows_changed) == ("status", "fulda", "fulda.xlsx", 2)
    assert current(db, FULDA, ids[0]) == {"reifegrad": 3, "status": "online", "bemerkung": None, "link": None}


def test_admin_imports_for_any_city(db, people, fulda_file):
    assert service.import_file(db, people["admin"], fulda_file, "Fulda").result.rows_changed == 2


def test_file_of_another_city_is_rejected(db, people, tmp_path, ids):
    wetzlar_file = status_file(db, tmp_path / "wetzlar.xlsx", "Wetzlar", {ids[0]: {"Status": "online"}})
    people_admin = people["admin"]
    outcome = service.import_file(db, people_admin, wetzlar_file, "Fulda")
    assert not outcome.ok and "Vorlage für AGS 06532023" in outcome.errors[0].message
    assert batch_count(db) == 0


def test_commit_after_someone_else_changed_the_city_is_refused(db, people, fulda_file, ids):
    _, version = service.check_file(db, people["fulda"], fulda_file, "Fulda")
    service.quick_edit(db, people["fulda2"], "Fulda", ids[1], {"status": "Pilot"})
    with pytest.raises(service.PreviewOutdated, match="Seit der Vorschau wurde der Stand von Fulda geändert"):
        service.import_file(db, people["fulda"], fulda_file, "Fulda", preview=version)
    assert current(db, FULDA, ids[1])["status"] == "Pilot"  # the colleague's change is not overwritten
    assert batch_count(db) == 1


def test_other_city_changes_do_not_outdate_a_preview(db, people, fulda_file, ids):
    _, version = service.check_file(db, people["fulda"], fulda_file, "Fulda")
    service.quick_edit(db, people["wetzlar"], "Wetzlar", ids[1], {"status": "Pilot"})
    assert service.import_file(db, people["fulda"], fulda_file, "Fulda", preview=version).ok


def test_quick_edit_is_an_edit_batch_with_history(db, people, ids):
    outcome = service.quick_edit(db, people["fulda"], "Fulda", ids[0], {
        "reifegrad": 2, "status": "Umsetzung", "geplant_bis": dt.date(2027, 3, 31), "ende_zu_ende": False,
        "link": "https://www.fulda.de/x", "bemerkung": "=HYPERLINK(\"x\") ; \"zitiert\""})
    assert outcome.ok and outcome.result.rows_changed == 1
    batch = queries.batches(db, ags=FULDA).iloc[0]
    assert (batch.kind, batch.user_name, batch.note) == ("edit", "fulda", f"Schnellerfassung {ids[0]}")
    assert batch.file_name == "Schnellerfassung"
    assert current(db, FULDA, ids[0]) == {"reifegrad": 2, "status": "Umsetzung",
                                          "bemerkung": "=HYPERLINK(\"x\") ; \"zitiert\"",
                                          "link": "https://www.fulda.de/x"}
    changes = queries.batch_changes(db, int(batch.id))
    assert set(changes.field) == {"reifegrad", "reifegrad_model", "status", "geplant_bis", "ende_zu_ende", "link",
                                  "bemerkung"}
    again = service.quick_edit(db, people["fulda"], "Fulda", ids[0], {"status": "Umsetzung"})
    assert again.ok and again.result.rows_changed == 0 and batch_count(db) == 1  # nothing to record


def test_quick_edit_writes_every_field_as_given(db, people, ids):
    sql = ("SELECT geplant_bis, online_seit, ende_zu_ende, bescheid_digital, plattform FROM status_current "
           "WHERE ags = ? AND ozg_id = ?")
    first = {"geplant_bis": dt.date(2027, 3, 31), "online_seit": None, "ende_zu_ende": False,
             "bescheid_digital": True, "plattform": "civento"}
    assert service.quick_edit(db, people["fulda"], "Fulda", ids[0], first).ok
    with db.connect() as conn:
        assert conn.execute(sql, [FULDA, ids[0]])[0] == (dt.date(2027, 3, 31), None, False, True, "civento")
    second = {"geplant_bis": None, "online_seit": dt.date(2026, 11, 2), "ende_zu_ende": True,
              "bescheid_digital": False, "plattform": None}
    assert service.quick_edit(db, people["fulda"], "Fulda", ids[0], second).ok
    with db.connect() as conn:
        assert conn.execute(sql, [FULDA, ids[0]])[0] == (None, dt.date(2026, 11, 2), True, False, None)


@pytest.mark.parametrize(("values", "column", "expected"), [
    ({"link": "javascript:alert(1)"}, "Link", "kein Web-Link"),
    ({"online_seit": clock.today() + dt.timedelta(days=3)}, "Online seit", "liegt in der Zukunft"),
    ({"bemerkung": "x" * 2001}, "Bemerkung", "zu lang"),
    ({"plattform": "civento\x07"}, "Plattform", "Steuerzeichen"),
    ({"reifegrad": 5}, "Reifegrad", "außerhalb von Reifegradmodell 1.1"),
])
def test_quick_edit_uses_the_file_checks(db, people, ids, values, column, expected):
    outcome = service.quick_edit(db, people["fulda"], "Fulda", ids[0], values)
    assert not outcome.ok and outcome.result is None
    assert [(p.column, expected in p.message) for p in outcome.errors] == [(column, True)]
    assert [p.file for p in outcome.errors] == ["Schnellerfassung"]   # not the name of a temporary file
    assert batch_count(db) == 0


def test_quick_edit_checks_the_reifegrad_by_the_model_the_leistung_was_reported_in(db, people, ids):
    # ids[0] reported under Reifegradmodell 2.0 (levels 0–7), ids[1] under 1.1 (0–4)
    status.apply_updates(db, FULDA, [StatusUpdate(ids[0], {"reifegrad": 5, "reifegrad_model": "2.0"}),
                                     StatusUpdate(ids[1], {"reifegrad": 2, "reifegrad_model": "1.1"})],
                         BatchInfo("status", "fulda", "fulda.xlsx", None, FULDA))
    assert service.quick_edit(db, people["fulda"], "Fulda", ids[0], {"reifegrad": 6}).ok
    refused = service.quick_edit(db, people["fulda"], "Fulda", ids[1], {"reifegrad": 6})
    assert [p.column for p in refused.errors] == ["Reifegrad"] and "Reifegradmodell 1.1" in refused.errors[0].message


def test_revert_rights_and_record(db, people, fulda_file, ids):
    batch_id = service.import_file(db, people["fulda"], fulda_file, "Fulda").result.batch_id
    for who in ("fulda2", "wetzlar", "leser"):
        with pytest.raises(PermissionDenied):
            service.revert(db, people[who], batch_id)
    with pytest.raises(PermissionDenied):
        service.revert(db, None, batch_id)
    result = service.revert(db, people["fulda"], batch_id)
    assert result.rows_changed == 2 and current(db, FULDA, ids[0]) is None
    history = queries.batches(db, ags=FULDA)
    assert list(history.kind) == ["revert", "status"]
    assert int(history.iloc[1].reverted_by) == result.batch_id
    assert history.iloc[0].user_name == "fulda"


def test_admin_reverts_someone_elses_import(db, people, fulda_file):
    batch_id = service.import_file(db, people["fulda"], fulda_file, "Fulda").result.batch_id
    assert service.revert(db, people["admin"], batch_id).rows_changed == 2


def test_upload_bytes_path(db, people, fulda_file):
    data = fulda_file.read_bytes()
    outcome, version = service.check_upload(db, people["fulda"], FULDA, "meine Datei.xlsx", data)
    assert outcome.ok and outcome.file_name == "meine Datei.xlsx"
    done = service.import_upload(db, people["fulda"], FULDA, "meine Datei.xlsx", data, version)
    assert done.result.rows_changed == 2
    with db.connect() as conn:   # the record names the file as the coordinator chose it, not the temporary copy
        assert conn.one("SELECT file_name FROM import_batch WHERE id = ?", [done.result.batch_id]) == \
            "meine Datei.xlsx"
    with pytest.raises(PermissionDenied):
        service.check_upload(db, people["wetzlar"], FULDA, "x.xlsx", data)
    assert WETZLAR not in people["fulda"].cities


def test_an_upload_whose_preview_is_outdated_saves_nothing(db, people, fulda_file, tmp_path):
    data = fulda_file.read_bytes()
    _, token = service.check_upload(db, people["fulda"], FULDA, "meine Datei.xlsx", data)
    _cron_sets(db, tmp_path, first_ids(db, 4)[3], "Pilot")
    with pytest.raises(PreviewOutdated):
        service.import_upload(db, people["fulda"], FULDA, "meine Datei.xlsx", data, token)
    assert batch_count(db) == 1   # only the cron import


def _cron_sets(db, tmp_path, ozg_id: str, value: str) -> None:
    """What a cron job does between preview and click: a CLI import of one Status cell for Fulda."""
    path = tmp_path / "cron.csv"
    path.write_text(f"OZG-ID;Status\r\n{ozg_id};{value}\r\n", encoding="utf-8")
    assert cli.main(["--db", db.url, "status", str(path), "--city", "Fulda", "--user", "cron"]) == 0


def test_stale_preview_saves_nothing_and_the_new_check_shows_the_other_change(db, people, tmp_path):
    ids = first_ids(db, 4)
    mine = status_file(db, tmp_path / "fulda.xlsx", "Fulda", {oid: {"Status": "geplant"} for oid in ids[:3]})
    outcome, token = service.check_file(db, people["fulda"], mine, "Fulda")
    assert sorted(c.ozg_id for c in outcome.result.changes) == ids[:3]
    _cron_sets(db, tmp_path, ids[3], "Pilot")
    with pytest.raises(PreviewOutdated, match="Seit der Vorschau wurde der Stand von Fulda geändert"):
        service.import_file(db, people["fulda"], mine, "Fulda", preview=token)
    assert current(db, FULDA, ids[3])["status"] == "Pilot" and batch_count(db) == 1  # only the cron import
    again, new_token = service.check_file(db, people["fulda"], mine, "Fulda")
    changes = {c.ozg_id: c for c in again.result.changes}
    assert sorted(changes) == ids and (changes[ids[3]].old["status"], changes[ids[3]].new["status"]) == ("Pilot",
                                                                                                        None)
    assert new_token != token
    done = service.import_file(db, people["fulda"], mine, "Fulda", preview=new_token)
    assert done.result.rows_changed == 4 and batch_count(db) == 2


def test_the_check_is_for_the_chosen_city_whatever_the_file_says(db, people, tmp_path):
    ids = first_ids(db, 1)
    wetzlar = status_file(db, tmp_path / "wetzlar.xlsx", "Wetzlar", {ids[0]: {"Status": "geplant"}})
    outcome, _ = service.check_file(db, people["fulda"], wetzlar, "Fulda")
    assert not outcome.ok and outcome.result is None and outcome.kommune.ags == FULDA
    assert "Die Datei ist die Vorlage für AGS 06532023, importiert werden soll aber Fulda" in outcome.errors[0].message
    plain = tmp_path / "ohne-info.csv"   # a CSV names no city: the chosen one holds
    plain.write_text(f"OZG-ID;Status\r\n{ids[0]};geplant\r\n", encoding="utf-8")
    outcome, _ = service.check_file(db, people["fulda"], plain, "Fulda")
    assert outcome.ok and outcome.kommune.ags == FULDA and outcome.result.rows_read == 1
    assert [c.ozg_id for c in outcome.result.changes] == [ids[0]]


def test_commit_saves_only_the_diff_the_preview_showed(db, people, fulda_file):
    outcome, token = service.check_file(db, people["fulda"], fulda_file, "Fulda")
    assert outcome.result.rows_changed == 2
    for other in (service.PreviewToken(token.version, status.fingerprint(outcome.result.changes[:1])),
                  service.PreviewToken(token.version + 1, token.changes)):
        with pytest.raises(PreviewOutdated):
            service.import_file(db, people["fulda"], fulda_file, "Fulda", preview=other)
    assert batch_count(db) == 0
    assert service.import_file(db, people["fulda"], fulda_file, "Fulda", preview=token).result.rows_changed == 2


def test_fingerprint_tells_diffs_apart_by_every_field_change(db, people, fulda_file):
    changes = service.check_file(db, people["fulda"], fulda_file, "Fulda")[0].result.changes
    assert status.fingerprint(changes) == status.fingerprint(list(reversed(changes)))
    first = changes[0]
    other = status.RowChange(first.ozg_id, first.old, {**first.new, "bemerkung": "anders"})
    assert status.fingerprint([other, *changes[1:]]) != status.fingerprint(changes)
    assert status.fingerprint([]) != status.fingerprint(changes)


def test_quick_edit_is_refused_when_the_city_changed_since_the_form_was_filled(db, people, ids, tmp_path):
    state, version = service.edit_state(db, people["fulda"], "Fulda", ids[0])
    assert state["status"] is None
    _cron_sets(db, tmp_path, ids[1], "Pilot")
    with pytest.raises(PreviewOutdated, match="Seit dem Öffnen des Formulars wurde der Stand von Fulda geändert"):
        service.quick_edit(db, people["fulda"], "Fulda", ids[0], {"status": "online"}, expected_version=version)
    assert current(db, FULDA, ids[0]) is None and batch_count(db) == 1
    state, version = service.edit_state(db, people["fulda"], "Fulda", ids[1])
    assert state["status"] == "Pilot"
    done = service.quick_edit(db, people["fulda"], "Fulda", ids[1], {"status": "online"}, expected_version=version)
    assert done.result.rows_changed == 1 and current(db, FULDA, ids[1])["status"] == "online"


def test_quick_edit_of_an_unknown_field_is_a_narrow_error(db, people, ids):
    with pytest.raises(InvalidEdit, match="reifegrad_model") as caught:
        service.quick_edit(db, people["fulda"], "Fulda", ids[0], {"reifegrad_model": "2.0"})
    assert isinstance(caught.value, OzgError) and not isinstance(caught.value, ValueError)
    with pytest.raises(InvalidEdit, match="kennt diese Felder nicht: farbe, reifegrad_model\\.$"):
        service.quick_edit(db, people["fulda"], "Fulda", ids[0], {"reifegrad_model": "2.0", "farbe": "rot"})
