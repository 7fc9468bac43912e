"""Read and check a coordinator status file (.xlsx or .csv) as DESIGN.md describes. Writes nothing.

    read_status_file(path, ctx, file_name=None) -> StatusFile

The sheet as coordinators fill it in (header in row 1 of the template; notes above it are tolerated):

    | OZG-ID | Leistung | Themenfeld | Reifegrad | Status | Geplant bis | Online seit | Ende-zu-Ende | … | Bemerkung |
    | 10001  | (read)   | (read)     | 3         | online |             | 01.03.2023  | ja           | … |           |

Whole-file problems (wrong format, too big, no header, …) stop reading at once; row problems are all collected.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl.utils import get_column_letter

from loaders import cells
from loaders.cells import CellError, UnsavedFormula
from loaders.problems import FileRejected, Problem
from loaders.raw_table import MAX_DATA_ROWS, RawTable
from loaders.table_file import open_table
from ozg.domain import DEFAULT_MODEL, FIELD_LABELS, STATUS_FIELDS, StatusUpdate

HEADER_SEARCH_ROWS = 20
READ_ONLY_FIELDS = ("leistung", "themenfeld")

# header_key(label) -> field name, for every column the template knows.
COLUMN_FIELDS: dict[str, str] = {cells.header_key(label): name for name, label in FIELD_LABELS.items()}
ID_KEY = cells.header_key(FIELD_LABELS["ozg_id"])


@dataclass(frozen=True)
class CheckContext:
    """What the checks need from the database."""

    known_ozg_ids: frozenset[str]          # active catalogue
    kommune_index: dict[str, str]          # kommunen.fold(name) or AGS -> AGS (for Federführung)
    today: dt.date
    current_models: dict[str, str] = field(default_factory=dict)  # ozg_id -> Reifegradmodell of current state

    def with_models(self, models: dict[str, str]) -> CheckContext:
        return dataclasses.replace(self, current_models=models)


@dataclass
class StatusFile:
    file_name: str
    sheet: str | None
    city_ags: str | None                   # AGS named in the template's Info sheet, if present
    updates: list[StatusUpdate]
    problems: list[Problem]

    @property
    def ok(self) -> bool:
        """True when no problem rejects the file (warnings allowed)."""
        return not any(p.severity == "Fehler" for p in self.problems)


@dataclass(frozen=True)
class Column:
    index: int           # 0-based position in the row
    label: str           # header text as written (cleaned)
    field: str | None    # ozg_id, a status field, leistung/themenfeld, or None if unknown


def read_status_file(path: Path, ctx: CheckContext, file_name: str | None = None) -> StatusFile:
    """Read and check one status file; every problem is returned as data, nothing is written."""
    path = Path(path)
    name = file_name or path.name
    table: RawTable | None = None
    try:
        table = open_table(path, name).table
        checker = _Checker(table, ctx, name)
        updates = checker.run()
        return StatusFile(name, table.sheet, table.city_ags, updates, checker.problems)
    except FileRejected as exc:
        sheet = table.sheet if table else None
        problem = exc.problem if exc.problem.sheet or not sheet else dataclasses.replace(exc.problem, sheet=sheet)
        earlier = [p for p in (table.problems if table else []) if p.severity != "Fehler"]
        return StatusFile(name, sheet, table.city_ags if table else None, [], earlier + [problem])


class _Checker:
    """Walks the table once: finds the header, maps columns, parses and checks every data row."""

    def __init__(self, table: RawTable, ctx: CheckContext, file_name: str):
        self.table, self.ctx, self.file_name = table, ctx, file_name
        self.problems: list[Problem] = list(table.problems)

    def problem(self, message: str, row: int | None = None, column: str | None = None, value: object = None,
                severity: str = "Fehler") -> None:
        self.problems.append(Problem(self.file_name, message, self.table.sheet, row, column,
                                     cells.display(value), severity))

    def reject(self, message: str, row: int | None = None, column: str | None = None,
               value: object = None) -> FileRejected:
        return FileRejected(Problem(self.file_name, message, self.table.sheet, row, column, cells.display(value)))

    def run(self) -> list[StatusUpdate]:
        rows = [(number, values) for number, values in self.table.rows if not all(map(cells.is_blank, values))]
        if not rows:
            raise self.reject("Die Tabelle ist leer – erwartet eine Kopfzeile mit „OZG-ID“ und mindestens eine "
                              "Datenzeile.")
        header_row, header = self.find_header(rows)
        columns = self.map_columns(header_row, header)
        data = [(number, values) for number, values in rows if number > header_row]
        if not data:
            raise self.reject("Unter der Kopfzeile stehen keine Datenzeilen – erwartet mindestens eine Zeile mit "
                              "OZG-ID (eine leere Tabelle heißt nicht „keine Leistungen“).", row=header_row)
        if len(data) > MAX_DATA_ROWS:
            raise self.reject(f"Die Tabelle hat {len(data):,} Datenzeilen – erwartet höchstens "
                              f"{MAX_DATA_ROWS:,}.".replace(",", "."))
        self.check_merged(header_row, columns)
        self.warn_unlabelled(header_row, header, data)
        updates: list[StatusUpdate] = []
        first_row_of: dict[str, int] = {}
        for number, values in data:
            update = self.check_row(number, values, columns, first_row_of)
            if update is not None:
                updates.append(update)
        return updates

    def find_header(self, rows: list[tuple[int, list]]) -> tuple[int, list]:
        """The first row within the first 20 that has an „OZG-ID“ cell (notes above it are skipped)."""
        for number, values in rows:
            if number > HEADER_SEARCH_ROWS:
                break
            if any(isinstance(v, str) and cells.header_key(v) == ID_KEY for v in values):
                return number, values
        raise self.reject(f"Keine Kopfzeile mit der Spalte „OZG-ID“ in den ersten {HEADER_SEARCH_ROWS} Zeilen – "
                          "erwartet eine Kopfzeile wie in der Vorlage: OZG-ID, Leistung, Themenfeld, Reifegrad, "
                          "Status, …")

    def map_columns(self, header_row: int, header: list) -> list[Column]:
        """Known columns by their forgiving key; a label twice rejects the file, an unknown one is a warning."""
        columns: list[Column] = []
        try:
            for index, label, raw, name in cells.map_header(header, COLUMN_FIELDS):
                if name is None:
                    self.problem(cells.unknown_column_message(label, FIELD_LABELS.values()), header_row, label, raw,
                                 "Warnung")
                columns.append(Column(index, label, name))
        except cells.DuplicateColumn as exc:
            raise self.reject(str(exc), row=header_row, column=exc.label, value=exc.raw) from None
        return columns

    def check_merged(self, header_row: int, columns: list[Column]) -> None:
        labels = {c.index: c.label for c in columns}
        for merged in sorted(self.table.merged, key=lambda m: (m.min_row, m.min_col)):
            if merged.max_row >= header_row:
                self.problem(f"Verbundene Zellen {merged.ref} im Datenbereich – erwartet eine Zelle pro Wert. "
                             "Bitte die Zellverbindung aufheben.", merged.min_row,
                             labels.get(merged.min_col - 1, get_column_letter(merged.min_col)), merged.ref)

    def warn_unlabelled(self, header_row: int, header: list, data: list[tuple[int, list]]) -> None:
        width = max(len(values) for _, values in data)
        for index in range(width):
            if index < len(header) and not cells.is_blank(header[index]):
                continue
            filled = [n for n, values in data if index < len(values) and not cells.is_blank(values[index])]
            if filled:
                letter = get_column_letter(index + 1)
                self.problem(f"Spalte {letter} hat keine Überschrift; ihre Werte werden ignoriert – erwartet eine "
                             "Überschrift aus der Vorlage.", header_row, letter, None, "Warnung")

    def check_row(self, number: int, values: list, columns: list[Column],
                  first_row_of: dict[str, int]) -> StatusUpdate | None:
        """Parse one data row; problems are recorded, the update is returned only for a clean row."""
        before = len(self.problems)
        raw = {c.field: (values[c.index] if c.index < len(values) else None) for c in columns if c.field}
        label = {c.field: c.label for c in columns if c.field}
        ozg_id, well_formed = self.check_id(number, raw.get("ozg_id"), label["ozg_id"], first_row_of)
        if not well_formed:
            return None  # not a Leistung at all (totals, footnotes): its other cells would only add noise
        model = self.ctx.current_models.get(ozg_id or "") or DEFAULT_MODEL
        model_error: CellError | None = None
        if "reifegrad_model" in raw:
            try:
                model = self.parse("reifegrad_model", raw["reifegrad_model"]) or model
            except CellError as exc:
                model_error = exc
        parsed: dict[str, object] = {}
        for name in STATUS_FIELDS:
            if name not in raw or (name == "reifegrad" and model_error):  # no range check without a valid model
                continue
            try:
                if name == "reifegrad_model" and model_error:
                    raise model_error
                parsed[name] = self.parse(name, raw[name], model)
            except CellError as exc:
                self.problem(str(exc), number, label[name], raw[name])
        # A score is always stored with its model: a blank model cell next to a score means "as before".
        if parsed.get("reifegrad") is not None and "reifegrad_model" in raw:
            parsed["reifegrad_model"] = model
        order = {c.label: c.index for c in columns}
        self.problems[before:] = sorted(self.problems[before:], key=lambda p: order.get(p.column or "", -1))
        if len(self.problems) > before or ozg_id is None:
            return None
        return StatusUpdate(ozg_id, {name: parsed[name] for name in STATUS_FIELDS if name in raw}, number)

    def check_id(self, number: int, raw: object, label: str, first_row_of: dict[str, int]) -> tuple[str | None, bool]:
        """(the row's OZG-ID if usable, whether it is a well-formed OZG-ID at all)."""
        if error := self.cell_trouble(raw):
            self.problem(error, number, label, raw)
            return None, False
        if cells.is_blank(raw):
            self.problem("OZG-ID fehlt – erwartet eine OZG-ID in jeder ausgefüllten Zeile (Summen- und "
                         "Fußnotenzeilen bitte aus der Tabelle entfernen).", number, label, raw)
            return None, False
        try:
            ozg_id = cells.parse_ozg_id(raw)
        except CellError as exc:
            self.problem(str(exc), number, label, raw)
            return None, False
        if ozg_id not in self.ctx.known_ozg_ids:
            self.problem(f"OZG-ID „{ozg_id}“ steht nicht im OZG-Katalog – erwartet eine OZG-ID aus dem "
                         "aktuellen Katalog.", number, label, raw)
            return None, True
        if ozg_id in first_row_of:
            self.problem(f"OZG-ID „{ozg_id}“ steht doppelt: Zeilen {first_row_of[ozg_id]} und {number} – erwartet "
                         "jede OZG-ID höchstens einmal.", number, label, raw)
            return None, True
        first_row_of[ozg_id] = number
        return ozg_id, True

    @staticmethod
    def cell_trouble(raw: object) -> str | None:
        """Message for values no column accepts: Excel errors, unsaved formulas, bad text."""
        if code := cells.excel_error(raw):
            return (f"„{code}“ ist ein Excel-Fehlerwert – erwartet einen Wert. Bitte die Formel oder den Bezug in "
                    "der Zelle korrigieren oder den Wert von Hand eintragen.")
        if isinstance(raw, UnsavedFormula):
            return ("Die Formel hat keinen gespeicherten Wert – erwartet einen Wert. Bitte die Datei in Excel "
                    "öffnen und speichern oder die Formel durch ihren Wert ersetzen.")
        if isinstance(raw, str):
            try:
                cells.check_text(raw)
            except CellError as exc:
                return str(exc)
        return None

    def parse(self, name: str, raw: object, model: str = DEFAULT_MODEL) -> object:
        """One status field's value; raises CellError with the German explanation."""
        if error := self.cell_trouble(raw):
            raise CellError(error)
        if name == "reifegrad":
            return cells.parse_reifegrad(raw, model)
        if name == "reifegrad_model":
            return cells.parse_model(raw)
        if name == "status":
            return cells.parse_status(raw)
        if name in ("geplant_bis", "online_seit"):
            date = cells.parse_date(raw, self.table.epoch, earliest=cells.EARLIEST_STATUS_DATE)
            if name == "online_seit" and date is not None and date > self.ctx.today:
                raise CellError(f"Online seit {date:%d.%m.%Y} liegt in der Zukunft – erwartet ein Datum bis heute "
                                f"({self.ctx.today:%d.%m.%Y}); geplante Termine gehören in „Geplant bis“.")
            return date
        if name in ("ende_zu_ende", "bescheid_digital"):
            return cells.parse_bool(raw)
        if name == "federfuehrung":
            return cells.parse_kommune(raw, self.ctx.kommune_index)
        if name == "link":
            return cells.parse_link(raw)
        return cells.parse_text(raw)
