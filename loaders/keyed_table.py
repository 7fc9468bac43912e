"""A table file with a known set of columns, read row by row into Problems and raw values (usage, projects).

The status reader does the same for its own columns; this is the small generic version for the other files:
the file is opened by the same safe sources (content sniffing, zip checks, CSV dialects), the header is found in
the first 20 rows by one required label, columns match by their forgiving header key, a column twice rejects the
file, an unknown column is a warning.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

from loaders import cells
from loaders.cells import CellError, UnsavedFormula
from loaders.problems import FileRejected, Problem
from loaders.raw_table import RawTable
from loaders.table_file import open_table  # the one safe opener (size, sniffing, zip checks)

HEADER_SEARCH_ROWS = 20
MAX_DATA_ROWS = 5000


@dataclass(frozen=True)
class DataRow:
    number: int                   # row number as Excel shows it
    raw: dict[str, object]        # field -> raw cell value (only for columns present)


class KeyedTable:
    """Header, column map and data rows of one file; problems collect in .problems."""

    def __init__(self, path: Path, file_name: str, labels: dict[str, str], key_field: str):
        """labels: field -> German header label; key_field: the field whose header marks the header row."""
        self.file_name = file_name
        self.labels = labels
        self.by_key = {cells.header_key(label): name for name, label in labels.items()}
        self.key_field = key_field
        self.table: RawTable = open_table(Path(path), file_name).table
        self.problems: list[Problem] = list(self.table.problems)
        self.columns: dict[str, tuple[int, str]] = {}   # field -> (index, label as written)
        self.header_row = 0

    @property
    def sheet(self) -> str | None:
        return self.table.sheet

    def problem(self, message: str, row: int | None = None, field: str | None = None, value: object = None,
                severity: str = "Fehler") -> None:
        column = self.columns.get(field, (0, self.labels.get(field or "", field)))[1] if field else None
        self.problems.append(Problem(self.file_name, message, self.sheet, row, column, cells.display(value),
                                     severity))

    def reject(self, message: str, row: int | None = None) -> FileRejected:
        return FileRejected(Problem(self.file_name, message, self.sheet, row))

    def rows(self) -> list[DataRow]:
        """Find the header, map the columns and return the non-empty data rows below it."""
        rows = [(n, v) for n, v in self.table.rows if not all(map(cells.is_blank, v))]
        if not rows:
            raise self.reject(f"Die Tabelle ist leer – erwartet eine Kopfzeile mit „{self.labels[self.key_field]}“ "
                              "und mindestens eine Datenzeile.")
        key = cells.header_key(self.labels[self.key_field])
        header = next(((n, v) for n, v in rows if n <= HEADER_SEARCH_ROWS
                       and any(isinstance(c, str) and cells.header_key(c) == key for c in v)), None)
        if header is None:
            raise self.reject(f"Keine Kopfzeile mit der Spalte „{self.labels[self.key_field]}“ in den ersten "
                              f"{HEADER_SEARCH_ROWS} Zeilen – erwartet die Spalten: "
                              f"{', '.join(self.labels.values())}.")
        self.header_row, values = header
        self._map_columns(values)
        data = [DataRow(n, {f: (v[i] if i < len(v) else None) for f, (i, _) in self.columns.items()})
                for n, v in rows if n > self.header_row]
        if not data:
            raise self.reject("Unter der Kopfzeile stehen keine Datenzeilen – erwartet mindestens eine Datenzeile.",
                              row=self.header_row)
        if len(data) > MAX_DATA_ROWS:
            raise self.reject(f"Die Tabelle hat {len(data):,} Datenzeilen – erwartet höchstens "
                              f"{MAX_DATA_ROWS:,}.".replace(",", "."))
        for merged in self.table.merged:
            if merged.max_row >= self.header_row:
                self.problem(f"Verbundene Zellen {merged.ref} im Datenbereich – erwartet eine Zelle pro Wert. "
                             "Bitte die Zellverbindung aufheben.", merged.min_row, None, merged.ref)
        return data

    def _map_columns(self, header: list) -> None:
        try:
            for index, label, _, name in cells.map_header(header, self.by_key):
                if name is None:
                    message = cells.unknown_column_message(label, self.labels.values())
                    self.problems.append(Problem(self.file_name, message, self.sheet, self.header_row, label, label,
                                                 "Warnung"))
                else:
                    self.columns[name] = (index, label)
        except cells.DuplicateColumn as exc:
            raise FileRejected(Problem(self.file_name, str(exc), self.sheet, self.header_row, exc.label,
                                       exc.label)) from None

    def require_columns(self, *fields: str) -> None:
        """Reject the file when one of these columns is missing."""
        missing = [self.labels[f] for f in fields if f not in self.columns]
        if missing:
            raise FileRejected(Problem(
                self.file_name, f"Es fehlt die Spalte {', '.join(f'„{m}“' for m in missing)} – erwartet die "
                                f"Spalten: {', '.join(self.labels.values())}.", self.sheet, self.header_row))

    def parse(self, row: DataRow, field: str, parser, *args):
        """Parse one cell; on failure record a located problem and return the sentinel INVALID."""
        raw = row.raw.get(field)
        try:
            if code := cells.excel_error(raw):
                raise CellError(f"„{code}“ ist ein Excel-Fehlerwert – erwartet einen Wert. Bitte die Formel oder den "
                                "Bezug korrigieren oder den Wert von Hand eintragen.")
            if isinstance(raw, UnsavedFormula):
                raise CellError("Die Formel hat keinen gespeicherten Wert – erwartet einen Wert. Bitte die Datei in "
                                "Excel öffnen und speichern.")
            if isinstance(raw, str):
                cells.check_text(raw)
            return parser(raw, *args)
        except CellError as exc:
            self.problem(str(exc), row.number, field, raw)
            return INVALID

    @property
    def ok(self) -> bool:
        return not any(p.severity == "Fehler" for p in self.problems)


class _Invalid:
    def __repr__(self) -> str:
        return "INVALID"


INVALID = _Invalid()   # a cell that could not be read (its problem is already recorded)


def read_keyed(path: Path, file_name: str, labels: dict[str, str], key_field: str,
               ) -> tuple[KeyedTable | None, list[DataRow], list[Problem]]:
    """Open the file and return (table, data rows, problems); a whole-file problem leaves no rows."""
    try:
        table = KeyedTable(path, file_name, labels, key_field)
    except FileRejected as exc:
        return None, [], [exc.problem]
    try:
        return table, table.rows(), table.problems
    except FileRejected as exc:
        problem = exc.problem
        if table.sheet and not problem.sheet:
            problem = dataclasses.replace(problem, sheet=table.sheet)
        return table, [], [p for p in table.problems if p.severity != "Fehler"] + [problem]
