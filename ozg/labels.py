"""German labels for internal codes that would otherwise reach a screen, a CLI line or a file.

One map per code family; pages, the CLI and reports use these instead of printing the code itself.
"""

from __future__ import annotations

# import_batch.kind (ozg/batches.py): what kind of write a batch was
BATCH_KINDS: dict[str, str] = {
    "status": "Datei-Import",
    "edit": "Schnellerfassung",
    "revert": "Rücknahme",
    "sample": "Beispieldaten",
    "catalogue": "Katalog",
    "projects": "Projektdatei",
    "usage": "Nutzungsdaten",
}


def batch_kind(kind: object) -> str:
    """'sample' -> 'Beispieldaten'; an unknown kind becomes „sonstige Änderung“, never the raw code."""
    if kind is None or kind != kind:  # None or NaN
        return "–"
    return BATCH_KINDS.get(str(kind), "sonstige Änderung")
