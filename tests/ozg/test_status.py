"""Status write side: apply with history, idempotence, partial columns, revert, as-of reconstruction."""

import datetime as dt

import pytest

from ozg import queries, status
from ozg.auth import BatchRef
from ozg.batches import REVERTIBLE_KINDS, BatchInfo
from ozg.domain import STATUS_FIELDS, StatusUpdate
from ozg.errors import NotFound, RevertConflict

MARBURG = "06534014"


def _apply(db, updates, user="koordination.marburg", name="marburg.xlsx"):
    return status.apply_updates(db, MARBURG, updates, BatchInfo("status", user, name, "ab" * 32, MARBURG))


def _current(db, ozg_id):
    with db.connect() as conn:
        return status.current_states(conn, MARBURG).get(ozg_id)


def _backdate(db, batch_id, when):
    with db.transaction() as conn:
        conn.execute("UPDATE status_history SET valid_from = ? WHERE batch_id = ?", [when, batch_id])
        conn.execute("UPDATE status_current SET changed_at = ? WHERE batch_id = ?", [when, batch_id])
        conn.execute("UPDATE import_batch SET created_at = ? WHERE id = ?", [when, batch_id])


def test_apply_writes_current_history_changes_and_record(db):
    result = _apply(db, [StatusUpdate("10000", {"reifegrad": 3, "status": "online",
                                                "online_seit": dt.date(2024, 5, 1)})])
    assert result.rows_changed == 1
    assert _current(db, "10000")["reifegrad"] == 3
    assert _current(db, "10000")["reifegrad_model"] == "1.1"
    changes = queries.batch_changes(db, result.batch_id)
    assert changes[["field", "old_value", "new_value"]].values.tolist() == [
        ["online_seit", None, "2024-05-01"], ["reifegrad", None, "3"],
        ["reifegrad_model", None, "1.1"], ["status", None, "online"]]
    record = queries.batches(db).iloc[0]
    assert (record.kind, record.user_name, record.rows_read, record.rows_changed) == \
        ("status", "koordination.marburg", 1, 1)


def test_same_updates_twice_change_nothing_the_second_time(db):
    updates = [StatusUpdate("10000", {"reifegrad": 2, "status": "Umsetzung"})]
    _apply(db, updates)
    again = _apply(db, updates)
    assert again.rows_changed == 0
    with db.connect() as conn:
        assert conn.one("SELECT count(*) FROM status_history") == 1


def test_absent_fields_stay_and_blank_fields_clear(db):
    _apply(db, [StatusUpdate("10000", {"reifegrad": 3, "plattform": "civento", "bemerkung": "alt"})])
    _apply(db, [StatusUpdate("10000", {"bemerkung": None})])
    state = _current(db, "10000")
    assert (state["reifegrad"], state["plattform"], state["bemerkung"]) == (3, "civento", None)


def test_revert_restores_previous_state_and_is_recorded(db):
    _apply(db, [StatusUpdate("10000", {"reifegrad": 1, "status": "geplant"})])
    second = _apply(db, [StatusUpdate("10000", {"reifegrad": 3, "status": "online"}),
                         StatusUpdate("10001", {"status": "Konzeption"})])
    undo = status.revert_batch(db, second.batch_id, "admin")
    assert _current(db, "10000")["reifegrad"] == 1
    assert _current(db, "10001") is None  # never reported before: back to "no data"
    frame = queries.batches(db).set_index("id")
    assert frame.loc[second.batch_id, "reverted_by"] == undo.batch_id
    assert frame.loc[undo.batch_id, "reverts_batch"] == second.batch_id
    with pytest.raises(RevertConflict, match="bereits"):
        status.revert_batch(db, second.batch_id, "admin")


def test_revert_in_a_chain_restores_the_previous_state_not_the_oldest(any_db):
    """1 → 2 → 3 on one Leistung: undoing 3 gives 2 (planted bug: taking the oldest earlier state gives 1)."""
    states = [{"reifegrad": 1, "status": "geplant", "bemerkung": "eins"},
              {"reifegrad": 2, "status": "Umsetzung", "bemerkung": "zwei"},
              {"reifegrad": 3, "status": "online", "bemerkung": "drei"}]
    batches = [_apply(any_db, [StatusUpdate("10000", values)]).batch_id for values in states]
    undo = status.revert_batch(any_db, batches[2], "admin")
    state = _current(any_db, "10000")
    assert (state["reifegrad"], state["status"], state["bemerkung"]) == (2, "Umsetzung", "zwei")
    assert [(c.old["bemerkung"], c.new["bemerkung"]) for c in undo.changes] == [("drei", "zwei")]
    conflict = f"1 Leistung wurde danach erneut geändert: 10000 \\(Import {undo.batch_id}"
    with pytest.raises(RevertConflict, match=conflict):
        status.revert_batch(any_db, batches[0], "admin")


def test_sample_loads_are_not_revertible_and_say_which_imports_are(sample_db):
    sample_batch = int(queries.batches(sample_db, ags=MARBURG).query("kind == 'sample'").iloc[0].id)
    with pytest.raises(RevertConflict, match="vom Typ „Beispieldaten“ .* Zurücknehmen lassen sich Datei-Importe und "
                                             "Schnellerfassungen"):
        status.revert_batch(sample_db, sample_batch, "admin")
    assert REVERTIBLE_KINDS == {"status", "edit"}  # the app (Verlauf) offers exactly these


def test_revert_refuses_when_later_imports_changed_the_same_leistung(db):
    first = _apply(db, [StatusUpdate("10000", {"reifegrad": 1})])
    later = _apply(db, [StatusUpdate("10000", {"reifegrad": 2})])
    with pytest.raises(RevertConflict, match=f"10000 \\(Import {later.batch_id}\\)"):
        status.revert_batch(db, first.batch_id, "admin")
    assert _current(db, "10000")["reifegrad"] == 2


def test_revert_of_unknown_import_names_the_history_command(db):
    with pytest.raises(NotFound, match="loaders history"):
        status.revert_batch(db, 4711, "admin")


def test_state_as_of_a_past_day_comes_from_history(db):
    old = _apply(db, [StatusUpdate("10000", {"reifegrad": 1, "status": "geplant"})])
    _backdate(db, old.batch_id, dt.datetime(2023, 3, 1, 10, 0))
    new = _apply(db, [StatusUpdate("10000", {"reifegrad": 4, "status": "online"})])
    _backdate(db, new.batch_id, dt.datetime(2024, 6, 1, 10, 0))

    def reifegrad_on(day):
        table = queries.status_table(db, as_of=day, ags=[MARBURG])
        return table.set_index("ozg_id").loc["10000", "reifegrad"]

    assert reifegrad_on(dt.date(2024, 5, 31)) == 1
    assert reifegrad_on(dt.date(2024, 6, 1)) == 4
    assert reifegrad_on(None) == 4
    assert str(reifegrad_on(dt.date(2023, 2, 28))) == "<NA>" or reifegrad_on(dt.date(2023, 2, 28)) != \
        reifegrad_on(dt.date(2023, 2, 28))
    cov = queries.coverage(db, as_of=dt.date(2024, 5, 31)).set_index("ags")
    assert cov.loc[MARBURG, "online"] == 0
    assert queries.coverage(db).set_index("ags").loc[MARBURG, "online"] == 1


def test_fingerprint_changes_with_every_old_and_new_value(db):
    """The preview token: the same Leistung and field with another old or another new value is another diff."""
    _apply(db, [StatusUpdate("10000", {"reifegrad": 1})])
    with db.connect() as conn:
        current = status.current_states(conn, MARBURG)
    other = {oid: dict(state) for oid, state in current.items()}
    other["10000"]["reifegrad"] = 3
    one_to_two = status.diff(current, [StatusUpdate("10000", {"reifegrad": 2})])
    three_to_two = status.diff(other, [StatusUpdate("10000", {"reifegrad": 2})])
    one_to_four = status.diff(current, [StatusUpdate("10000", {"reifegrad": 4})])
    assert [[f.field for f in c.fields] for c in (*one_to_two, *three_to_two, *one_to_four)] == [["reifegrad"]] * 3
    assert len({status.fingerprint(d) for d in (one_to_two, three_to_two, one_to_four)}) == 3
    assert status.fingerprint(one_to_two) == status.fingerprint(status.diff(current, [StatusUpdate(
        "10000", {"reifegrad": 2})]))


def test_the_revert_is_recorded_with_file_note_and_counts(db):
    first = _apply(db, [StatusUpdate("10000", {"reifegrad": 1}), StatusUpdate("10001", {"reifegrad": 2}),
                        StatusUpdate("10002", {"reifegrad": 3})], name="marburg-maerz.xlsx")
    undo = status.revert_batch(db, first.batch_id, "admin")
    assert (undo.rows_read, undo.rows_changed) == (3, 3)
    record = queries.batches(db).set_index("id").loc[undo.batch_id]
    assert (record.kind, record.user_name, record.file_name, record.ags) == ("revert", "admin", "marburg-maerz.xlsx",
                                                                              MARBURG)
    assert record.note == f"Rücknahme von Import {first.batch_id}" and record.reverts_batch == first.batch_id
    assert (record.rows_read, record.rows_changed) == (3, 3)
    # what the revert check reads about each import: the first is now reverted by the undo, the undo by nothing
    assert queries.batch_ref(db, first.batch_id) == BatchRef(first.batch_id, "status", MARBURG,
                                                            "koordination.marburg", undo.batch_id)
    assert queries.batch_ref(db, undo.batch_id) == BatchRef(undo.batch_id, "revert", MARBURG, "admin", None)
    assert queries.batch_ref(db, undo.batch_id + 99) is None


def test_a_refused_revert_names_the_first_five_later_changes_and_counts_all(db):
    ids = [str(10000 + i) for i in range(7)]
    first = _apply(db, [StatusUpdate(i, {"reifegrad": 1}) for i in ids])
    later = _apply(db, [StatusUpdate(i, {"reifegrad": 2}) for i in ids])
    with pytest.raises(RevertConflict) as refused:
        status.revert_batch(db, first.batch_id, "admin")
    shown = ", ".join(f"{i} (Import {later.batch_id})" for i in ids[:5])
    assert f"7 Leistungen wurden danach erneut geändert: {shown}" in str(refused.value)
    assert "10005" not in str(refused.value)


def test_yes_no_fields_are_recorded_as_ja_and_nein_in_the_field_changes(db):
    first = _apply(db, [StatusUpdate("10000", {"ende_zu_ende": True, "bescheid_digital": False})])
    second = _apply(db, [StatusUpdate("10000", {"ende_zu_ende": False, "bescheid_digital": True})])
    recorded = {batch: queries.batch_changes(db, batch)[["field", "old_value", "new_value"]].values.tolist()
                for batch in (first.batch_id, second.batch_id)}
    assert recorded[first.batch_id] == [["bescheid_digital", None, "nein"], ["ende_zu_ende", None, "ja"]]
    assert recorded[second.batch_id] == [["bescheid_digital", "nein", "ja"], ["ende_zu_ende", "ja", "nein"]]


def test_a_new_reifegrad_keeps_the_leistungs_own_model_and_a_cleared_one_clears_it(db):
    _apply(db, [StatusUpdate("10000", {"status": "Umsetzung", "reifegrad": 5, "reifegrad_model": "2.0"})])
    _apply(db, [StatusUpdate("10000", {"reifegrad": 6})])                      # no model column in this file
    assert (_current(db, "10000")["reifegrad"], _current(db, "10000")["reifegrad_model"]) == (6, "2.0")
    _apply(db, [StatusUpdate("10000", {"reifegrad": None})])
    assert (_current(db, "10000")["reifegrad"], _current(db, "10000")["reifegrad_model"]) == (None, None)


def test_a_model_given_without_a_reifegrad_is_kept(db):
    _apply(db, [StatusUpdate("10000", {"status": "Konzeption", "reifegrad": None, "reifegrad_model": "2.0"})])
    assert (_current(db, "10000")["reifegrad"], _current(db, "10000")["reifegrad_model"]) == (None, "2.0")


def test_an_import_reports_every_row_it_read_also_the_unchanged_ones(db):
    _apply(db, [StatusUpdate("10000", {"status": "Konzeption"})])
    result = _apply(db, [StatusUpdate("10000", {"status": "Konzeption"}), StatusUpdate("10001", {"status": "Pilot"})])
    assert (result.rows_read, result.rows_changed) == (2, 1)


def test_reverting_an_import_that_cleared_every_field_brings_the_state_back(db):
    _apply(db, [StatusUpdate("10000", {"status": "Pilot", "reifegrad": 2, "plattform": "civento"})])
    before = _current(db, "10000")
    cleared = _apply(db, [StatusUpdate("10000", dict.fromkeys(STATUS_FIELDS))])
    assert _current(db, "10000") is None                     # no current row: as if never reported
    status.revert_batch(db, cleared.batch_id, "koordination.marburg")
    assert _current(db, "10000") == before
