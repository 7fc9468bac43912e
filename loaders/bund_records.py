"""Check federal records one by one and collect the valid ones column-wise into Arrow (bounded memory).

A malformed record (ARS not 12 digits, ozgid not a number, an unknown online_status / aktiv /
art_flaechendeckung value) is a Problem naming the record and the field; one of them rejects the whole file.
Values a spreadsheet or JSON writer predictably changes are accepted: numbers for ARS/ozgid (XLSX, JSON) and
case or surrounding spaces of the enumerated values.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyarrow as pa

from loaders.problems import Problem
from ozg import bund

CHUNK = 200_000          # records per Arrow chunk: Python lists never hold more than this
MAX_LISTED_ERRORS = 50   # a broken national file must not print a million lines
_ART = {a.casefold(): a for a in bund.ART_VALUES}


class BadValue(ValueError):
    """A field of a record is malformed; the message says what was expected."""

    def __init__(self, column: str, value: object, message: str):
        super().__init__(message)
        self.column, self.value = column, value


def _digits(value: object, column: str, width: int | None, what: str) -> str:
    if isinstance(value, bool) or value is None:
        raise BadValue(column, value, f"fehlt – erwartet {what}." if value is None else f"erwartet {what}.")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and value >= 0:
        text = str(value).zfill(width) if width else str(value)  # a number lost the leading zero of the ARS
    elif isinstance(value, str):
        text = value.strip()
    else:
        text = str(value)
    if not text.isascii() or not text.isdigit() or (width and len(text) != width):
        if not text:
            raise BadValue(column, value, f"fehlt – erwartet {what}.")
        raise BadValue(column, value, f"„{text}“ ist {'kein' if column == 'ars' else 'keine'} {what.split(' (')[0]}"
                                      f" – erwartet {what}.")
    return text


def _choice(value: object, column: str, allowed: dict) -> object:
    key = value.strip().casefold() if isinstance(value, str) else None
    if key not in allowed:
        names = " oder ".join(f"„{v}“" for v in allowed)
        shown = "fehlt" if value is None or key == "" else f"„{value}“ ist unbekannt"
        raise BadValue(column, value, f"{shown} – erwartet {names}.")
    return allowed[key]


def _text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text or None


def parse(record: dict) -> tuple:
    """(ars, area, ozg_id, leika_key, status_ok, aktiv, art, url) of one record; BadValue if malformed."""
    if "__not_an_object__" in record:
        raise BadValue("", None, "ist kein Objekt – erwartet {\"ars\": …, \"ozgid\": …, …}.")
    if "__too_many_cells__" in record:
        raise BadValue("", None, f"hat {record['__too_many_cells__']} Zellen, mehr als die Kopfzeile.")
    ars = _digits(record.get("ars"), "ars", 12, "ARS (12 Ziffern)")
    ozg_id = _digits(record.get("ozgid"), "ozgid", None, "OZG-ID (eine ganze Zahl, z. B. 10000)")
    status_ok = _choice(record.get("online_status"), "online_status", bund.ONLINE_STATUS)
    aktiv = _choice(record.get("aktiv"), "aktiv", bund.AKTIV)
    art_raw = _text(record.get("art_flaechendeckung"))
    art = None if art_raw is None else _choice(art_raw, "art_flaechendeckung", _ART)
    return (ars, bund.area_of(ars, art), ozg_id, _text(record.get("leika_key")), status_ok, aktiv, art,
            _text(record.get("url")))


@dataclass
class Collector:
    """Accumulates valid records as Arrow chunks and malformed ones as Problems."""

    file_name: str
    kind: str                       # json | csv | xlsx: how a position is named
    sheet: str | None = None
    problems: list[Problem] = field(default_factory=list)
    errors: int = 0
    count: int = 0
    ozg_ids: dict[str, int] = field(default_factory=dict)   # ozg_id -> first position (for warnings)
    _chunks: list[pa.Table] = field(default_factory=list)
    _columns: list[list] = field(default_factory=lambda: [[] for _ in bund.RECORD_SCHEMA.names])

    def add(self, position: int, record: dict) -> None:
        self.count += 1
        try:
            values = parse(record)
        except BadValue as bad:
            self.errors += 1
            if self.errors <= MAX_LISTED_ERRORS:
                self.problems.append(self.problem(position, bad))
            return
        if self.errors:
            return  # the file is rejected anyway: keep checking, stop collecting
        self.ozg_ids.setdefault(values[2], position)
        cols = self._columns
        cols[0].append(position)
        for i, value in enumerate(values, start=1):
            cols[i].append(value)
        if len(cols[0]) >= CHUNK:
            self._flush()

    def problem(self, position: int, bad: BadValue) -> Problem:
        shown = None if bad.value is None else str(bad.value)
        if self.kind == "json":
            where = f"Datensatz {position}" + (f", Feld „{bad.column}“" if bad.column else "")
            return Problem(self.file_name, f"{where}: {bad}", value=shown)
        return Problem(self.file_name, f"Datensatz {bad}" if not bad.column else str(bad), sheet=self.sheet,
                       row=position, column=bad.column or None, value=shown)

    def finish(self) -> pa.Table:
        """All valid records as one Arrow table (RECORD_SCHEMA); adds the summary line of unlisted errors."""
        if self.errors > MAX_LISTED_ERRORS:
            self.problems.append(Problem(self.file_name, f"… und {self.errors - MAX_LISTED_ERRORS:,} weitere "
                                                         "fehlerhafte Datensätze.".replace(",", ".")))
        self._flush()
        if not self._chunks:
            return bund.RECORD_SCHEMA.empty_table()
        return pa.concat_tables(self._chunks)

    def _flush(self) -> None:
        if self._columns[0]:
            arrays = [pa.array(col, type=f.type) for col, f in zip(self._columns, bund.RECORD_SCHEMA, strict=True)]
            self._chunks.append(pa.Table.from_arrays(arrays, schema=bund.RECORD_SCHEMA))
            self._columns = [[] for _ in bund.RECORD_SCHEMA.names]
