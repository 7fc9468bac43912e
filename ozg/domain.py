"""Domain vocabulary: Status phases, Reifegrad models, status fields and the counting rule."""

from __future__ import annotations

from dataclasses import dataclass

# Status phases in their natural order (DESIGN.md).
STATUSES: tuple[str, ...] = (
    "nicht begonnen",
    "geplant",
    "Konzeption",
    "Umsetzung",
    "Pilot",
    "online",
    "nicht relevant",
)

# Reifegradmodell version -> highest level. 1.1: 0..4; 2.0 (2025): 0..7.
REIFEGRAD_MODELS: dict[str, int] = {"1.1": 4, "2.0": 7}
DEFAULT_MODEL = "1.1"

REIFEGRAD_LABELS_11: dict[int, str] = {
    0: "0 – offline",
    1: "1 – Information",
    2: "2 – Formular-Assistent",
    3: "3 – Online-Leistung",
    4: "4 – Online-Transaktion",
}

# "Online" for counting: Reifegrad >= 3 in model 1.1 (OZG-compliant from level 3).
DEFAULT_ONLINE_THRESHOLD = 3


def counting_rule_text(threshold: int = DEFAULT_ONLINE_THRESHOLD) -> str:
    """The counting rule in words, shown next to every number that uses it."""
    return f"Zählregel: online = Reifegrad ≥ {threshold} (Reifegradmodell 1.1)"


# Status fields in the order of the coordinator spreadsheet (after OZG-ID, Leistung, Themenfeld).
STATUS_FIELDS: tuple[str, ...] = (
    "reifegrad",
    "reifegrad_model",
    "status",
    "geplant_bis",
    "online_seit",
    "ende_zu_ende",
    "bescheid_digital",
    "federfuehrung",
    "plattform",
    "link",
    "bemerkung",
)

# German labels of the status fields (spreadsheet headers, diffs, reports).
FIELD_LABELS: dict[str, str] = {
    "ozg_id": "OZG-ID",
    "leistung": "Leistung",
    "themenfeld": "Themenfeld",
    "reifegrad": "Reifegrad",
    "reifegrad_model": "Reifegradmodell",
    "status": "Status",
    "geplant_bis": "Geplant bis",
    "online_seit": "Online seit",
    "ende_zu_ende": "Ende-zu-Ende",
    "bescheid_digital": "Bescheid digital",
    "federfuehrung": "Federführung",
    "plattform": "Plattform",
    "link": "Link",
    "bemerkung": "Bemerkung",
}


@dataclass(frozen=True)
class Kommune:
    ags: str
    name: str
    state: str
    kreis: str
    population: int | None
    portal_url: str | None


@dataclass(frozen=True)
class StatusUpdate:
    """One row of an import: the fields it sets (absent columns are absent keys)."""

    ozg_id: str
    values: dict
    source_row: int | None = None
