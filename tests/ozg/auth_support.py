"""Builders for the auth and service tests: users in a tmp users file, real template files with edits."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from loaders import template
from ozg import users
from ozg.auth import User, local_operator
from ozg.db import Database

FULDA, WETZLAR = "06631009", "06532023"
PASSWORD = "richtig-langes-passwort"
OPERATOR = local_operator("test-operator")  # who sets up the users in tests (the CLI's identity)


def make_users(db: Database, users_path: Path, passwords: bool = True) -> dict[str, User]:
    """fulda (coordinator Fulda), fulda2 (second coordinator Fulda), wetzlar, leser (viewer), admin."""
    specs = [("fulda", "coordinator", ["Fulda"]), ("fulda2", "coordinator", ["Fulda"]),
             ("wetzlar", "coordinator", ["Wetzlar"]), ("leser", "viewer", []), ("admin", "admin", [])]
    return {name: users.add_user(db, OPERATOR, name, role, cities, password=PASSWORD if passwords else None,
                                        users_path=users_path)
            for name, role, cities in specs}


def status_file(db: Database, path: Path, city: str, edits: dict[str, dict[str, object]]) -> Path:
    """The city's real template with some cells changed: edits = {ozg_id: {header label: value}}."""
    template.write_template(db, city, path)
    wb = openpyxl.load_workbook(path)
    ws = wb["Status"]
    header = {cell.value: cell.column for cell in ws[1]}
    for row in ws.iter_rows(min_row=2):
        ozg_id = row[0].value
        for label, value in edits.get(str(ozg_id), {}).items():
            ws.cell(row=row[0].row, column=header[label], value=value)
    wb.save(path)
    return path


def first_ids(db: Database, count: int) -> list[str]:
    with db.connect() as conn:
        return [r[0] for r in conn.execute("SELECT ozg_id FROM leistung WHERE NOT retired ORDER BY ozg_id LIMIT ?",
                                           [count])]


def current(db: Database, ags: str, ozg_id: str) -> dict | None:
    with db.connect() as conn:
        rows = conn.execute("SELECT reifegrad, status, bemerkung, link FROM status_current "
                            "WHERE ags = ? AND ozg_id = ?", [ags, ozg_id])
    return dict(zip(("reifegrad", "status", "bemerkung", "link"), rows[0], strict=True)) if rows else None


def batch_count(db: Database) -> int:
    with db.connect() as conn:
        return conn.one("SELECT count(*) FROM import_batch WHERE kind <> 'catalogue'")
