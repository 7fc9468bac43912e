"""Read and check a catalogue CSV (the columns of data/ozg_services.csv; ozg_id and name are required)."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from loaders.problems import FileRejected, Problem
from ozg.catalogue import CATALOGUE_COLUMNS, normalise_entry

_OZG_ID = re.compile(r"^\d{5}$")


def _decode(path: Path) -> str:
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252")


def read_catalogue(path: Path) -> tuple[list[dict], list[Problem]]:
    """Entries of a catalogue file and the problems found (any problem rejects the file)."""
    name = path.name
    try:
        text = _decode(path)
    except OSError as exc:
        raise FileRejected(Problem(name, f"Datei kann nicht gelesen werden: {exc.strerror}.")) from exc
    if "\x00" in text:
        raise FileRejected(Problem(name, "Das ist keine CSV-Datei (Binärdaten). Erwartet: Katalog als CSV."))
    delimiter = ";" if text.split("\n", 1)[0].count(";") > text.split("\n", 1)[0].count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [c for c in ("ozg_id", "name") if c not in header]
    if missing:
        raise FileRejected(Problem(name, f"Spalte(n) {', '.join(missing)} fehlen. Erwartet: "
                                         f"{', '.join(CATALOGUE_COLUMNS)}.", row=1))
    entries, problems, seen = [], [], {}
    for line, raw in enumerate(reader, start=2):
        raw = {(k or "").strip(): v for k, v in raw.items()}
        entry = normalise_entry(raw)
        oid = entry["ozg_id"] or ""
        if oid.endswith(".0"):
            oid = entry["ozg_id"] = oid[:-2]
        if not _OZG_ID.match(oid):
            problems.append(Problem(name, f"„{oid}“ ist keine OZG-ID – erwartet fünf Ziffern, z. B. 10001.",
                                    row=line, column="ozg_id", value=oid))
            continue
        if oid in seen:
            problems.append(Problem(name, f"OZG-ID {oid} steht doppelt im Katalog (Zeilen {seen[oid]} und {line}).",
                                    row=line, column="ozg_id", value=oid))
            continue
        seen[oid] = line
        if not entry["name"]:
            problems.append(Problem(name, "Leistung ohne Namen.", row=line, column="name"))
            continue
        entries.append(entry)
    if not entries and not problems:
        problems.append(Problem(name, "Die Datei enthält keine Leistungen."))
    return entries, problems
