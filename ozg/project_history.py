"""The change history of the shared projects as one German-labelled table: definition changes and cost figures.

Two append-only sources (migration 0004): project_change (field old → new) and project_cost (a full row per change
of the figures). Cost rows are turned into field changes here, so people read one list of „who changed what when“.
"""

from __future__ import annotations

import pandas as pd

from ozg import fmt, savings
from ozg.db import Database

FIELD_LABELS = {"name": "Name", "lead_ags": "Federführung (AGS)", "start_date": "Start",
                "description": "Beschreibung", "complexity": "Komplexität", "leistungen": "Leistungen (OZG-IDs)",
                "cities": "Kommunen (AGS:Go-live)", "deleted": "Projekt", "source": "Quelle der Kosten",
                **{f: f"{label} (€)" for f, label in savings.COST_LABELS.items()}}
COLUMNS = ["Zeitpunkt", "Projekt-ID", "Feld", "alt", "neu", "geändert von", "Import"]


def _shown(field: str, value) -> str:
    if fmt.missing(value):
        return "–"
    return fmt.euro(value) if field in savings.COST_FIELDS else str(value)


def cost_changes(costs: pd.DataFrame) -> list[dict]:
    """Field changes between consecutive cost rows of each project (the first row: from „–“)."""
    rows, previous = [], {}
    for r in costs.itertuples():
        for field in (*savings.COST_FIELDS, "source"):
            new, old = getattr(r, field), previous.get((r.project_id, field))
            new_missing, old_missing = fmt.missing(new), fmt.missing(old)
            if (new_missing and old_missing) or (not new_missing and not old_missing and new == old):
                continue
            rows.append({"Zeitpunkt": r.set_at, "Projekt-ID": r.project_id, "Feld": FIELD_LABELS[field],
                         "alt": _shown(field, old), "neu": _shown(field, new), "geändert von": r.set_by,
                         "Import": r.batch_id})
            previous[(r.project_id, field)] = new
    return rows


def project_history(db: Database, project_id: str | None = None) -> pd.DataFrame:
    """Every change of every project (or of one), newest first: Zeitpunkt, Projekt-ID, Feld, alt, neu, von, Import."""
    rows = [{"Zeitpunkt": r.changed_at, "Projekt-ID": r.project_id, "Feld": FIELD_LABELS.get(r.field, r.field),
             "alt": _shown(r.field, r.old_value), "neu": _shown(r.field, r.new_value), "geändert von": r.changed_by,
             "Import": r.batch_id} for r in savings.project_changes(db).itertuples()]
    rows += cost_changes(savings.cost_history(db))
    frame = pd.DataFrame(rows, columns=COLUMNS)
    if project_id is not None:
        frame = frame[frame["Projekt-ID"] == project_id]
    # Newest first; within one second the import number decides; a stable sort keeps one change's fields in order.
    return frame.sort_values(["Zeitpunkt", "Import"], ascending=False, kind="stable",
                             na_position="last").reset_index(drop=True)
