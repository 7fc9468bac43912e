"""Project editing in the service layer: admins only, validated, every change logged with who and when."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pandas as pd
import pytest

from ozg import clock, project_history, savings, savings_store
from ozg.auth import User
from ozg.errors import NotFound, PermissionDenied
from ozg.savings import CostFigures, ProjectSpec
from ozg.savings_store import InvalidProject

MARBURG, GIESSEN, FULDA = "06534014", "06531005", "06631009"
ADMIN = User("chefin", "admin")
SPEC = ProjectSpec("P-TEST", "Testprojekt", MARBURG, ("10023",), ((MARBURG, dt.date(2025, 3, 1)), (FULDA, None)),
                   start_date=dt.date(2024, 1, 15), complexity="mittel",
                   costs=CostFigures(100_000.0, 10_000.0, 20_000.0, 5_000.0, "Haushaltsplan 2024"))


def counts(db) -> dict[str, int]:
    with db.connect() as conn:
        return {t: conn.one(f"SELECT count(*) FROM {t}") for t in (
            "shared_project", "project_leistung", "project_city", "project_cost", "project_change", "import_batch")}


def test_admin_creates_a_project_with_history(db):
    batch_id = savings_store.create_project(db, ADMIN, SPEC)
    assert savings_store.load_project(db, "P-TEST") == SPEC
    changes = savings.project_changes(db)
    assert list(changes["field"]) == ["name", "lead_ags", "start_date", "complexity", "leistungen", "cities"]
    assert set(changes["changed_by"]) == {"chefin"} and set(changes["batch_id"]) == {batch_id}
    assert (clock.now() - changes["changed_at"].iloc[0].to_pydatetime()) < dt.timedelta(minutes=1)
    assert changes.set_index("field").loc["cities", "new_value"] == f"{MARBURG}:2025-03-01, {FULDA}:"
    costs = savings.cost_history(db)
    assert (len(costs), costs["set_by"][0], costs["development"][0]) == (1, "chefin", 100_000.0)
    with db.connect() as conn:
        batch = conn.execute("SELECT kind, user_name, rows_changed, note FROM import_batch WHERE id = ?", [batch_id])
    assert batch == [("projects", "chefin", 1, "Bearbeitung in der App: P-TEST angelegt")]


def test_admin_edits_fields_and_costs(db):
    savings_store.create_project(db, ADMIN, SPEC)
    cities = tuple(sorted(SPEC.cities + ((GIESSEN, dt.date(2025, 6, 1)),)))   # stored and read back by AGS
    edited = dataclasses.replace(SPEC, name="Neuer Name", cities=cities,
                                 costs=dataclasses.replace(SPEC.costs, development=120_000.0))
    other_admin = User("zweite", "admin")
    assert savings_store.update_project(db, other_admin, edited) == 3      # name, cities, costs
    assert savings_store.load_project(db, "P-TEST") == edited
    changes = savings.project_changes(db)
    latest = changes[changes["changed_by"] == "zweite"].set_index("field")
    assert latest.loc["name", "old_value"] == "Testprojekt" and latest.loc["name", "new_value"] == "Neuer Name"
    assert list(latest.index) == ["name", "cities"]
    costs = savings.cost_history(db)
    assert list(costs["development"]) == [100_000.0, 120_000.0] and list(costs["set_by"]) == ["chefin", "zweite"]
    history = project_history.project_history(db, "P-TEST")
    first = history.iloc[0:3]
    assert set(first["geändert von"]) == {"zweite"}
    row = history[(history["Feld"] == "Entwicklung (€)") & (history["geändert von"] == "zweite")].iloc[0]
    assert (row["alt"], row["neu"]) == ("100.000 €", "120.000 €")


def test_saving_without_change_writes_nothing(db):
    savings_store.create_project(db, ADMIN, SPEC)
    before = counts(db)
    assert savings_store.update_project(db, ADMIN, savings_store.load_project(db, "P-TEST")) == 0
    assert counts(db) == before


def test_admin_deletes_a_project_and_the_history_keeps_it(db):
    savings_store.create_project(db, ADMIN, SPEC)
    batch_id = savings_store.delete_project(db, ADMIN, "P-TEST")
    assert savings.projects(db).empty
    with pytest.raises(NotFound):
        savings_store.load_project(db, "P-TEST")
    changes = savings.project_changes(db)
    deleted = changes[changes["batch_id"] == batch_id].set_index("field")
    assert deleted.loc["name", "old_value"] == "Testprojekt" and pd.isna(deleted.loc["name", "new_value"])
    assert deleted.loc["deleted", "new_value"] == "gelöscht" and set(deleted["changed_by"]) == {"chefin"}
    closing = savings.cost_history(db).iloc[-1]
    assert closing["source"] == "Projekt gelöscht" and pd.isna(closing["development"])
    # A new project with the same ID starts without the old costs.
    savings_store.create_project(db, ADMIN, dataclasses.replace(SPEC, costs=None))
    assert savings_store.load_project(db, "P-TEST").costs == CostFigures(None, None, None, None, "Projekt gelöscht")


@pytest.mark.parametrize("user", [None, User("leser", "viewer"), User("fulda", "coordinator", frozenset({FULDA})),
                                  User("alt", "admin", active=False)])
def test_only_active_admins_may_change_projects(db, user):
    savings_store.create_project(db, ADMIN, SPEC)
    before = counts(db)
    with pytest.raises(PermissionDenied):
        savings_store.create_project(db, user, dataclasses.replace(SPEC, project_id="P-ANDERS"))
    with pytest.raises(PermissionDenied):
        savings_store.update_project(db, user, dataclasses.replace(SPEC, name="Übernommen"))
    with pytest.raises(PermissionDenied):
        savings_store.delete_project(db, user, "P-TEST")
    assert counts(db) == before
    assert savings_store.load_project(db, "P-TEST") == SPEC


@pytest.mark.parametrize(("change", "message"), [
    ({"project_id": "P TEST!"}, "keine Projekt-ID"),
    ({"name": "  "}, "Projektname fehlt"),
    ({"name": "a\x07b"}, "Steuerzeichen"),
    ({"leistungen": ()}, "Keine Leistung"),
    ({"leistungen": ("99999",)}, "nicht im OZG-Katalog"),
    ({"cities": ()}, "Keine beteiligte Kommune"),
    ({"cities": ((FULDA, None),)}, "federführende Kommune ist nicht"),
    ({"cities": ((MARBURG, None), ("01234567", None))}, "Unbekannte Kommune 01234567"),
    ({"complexity": "riesig"}, "keine Komplexität"),
    ({"costs": CostFigures(-5.0)}, "„Entwicklung“ = -5.0 ist kein Betrag"),
    ({"costs": CostFigures(None, float("nan"))}, "„Anpassung je Kommune“"),
])
def test_invalid_projects_are_refused_and_nothing_changes(db, change, message):
    before = counts(db)
    with pytest.raises(InvalidProject, match=message):
        savings_store.create_project(db, ADMIN, dataclasses.replace(SPEC, **change))
    assert counts(db) == before


def test_ids_are_unique_and_edits_need_an_existing_project(db):
    savings_store.create_project(db, ADMIN, SPEC)
    with pytest.raises(InvalidProject, match="schon vergeben"):
        savings_store.create_project(db, ADMIN, SPEC)
    with pytest.raises(NotFound):
        savings_store.update_project(db, ADMIN, dataclasses.replace(SPEC, project_id="P-FEHLT"))
    with pytest.raises(NotFound):
        savings_store.delete_project(db, ADMIN, "P-FEHLT")


def test_cost_figures_from_a_form():
    blank = {f: None for f in savings.COST_FIELDS}
    assert savings_store.cost_figures(blank, "  ", None) is None           # nothing entered, nothing stored
    assert savings_store.cost_figures(blank, "", SPEC.costs) == CostFigures()  # cleared: back to the defaults
    assert savings_store.cost_figures({**blank, "development": 5}, None, None) == CostFigures(5.0)
