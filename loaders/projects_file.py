"""Read, check and import a shared-projects spreadsheet (Gemeinschaftsprojekte), one row per project × Kommune.

    | Projekt-ID | Projekt | Federführung | OZG-IDs      | Kommune | Go-live    | Entwicklung | Koordination | …
    | P-GEWERBE  | Gewerbe | Marburg      | 10356, 10364 | Marburg | 01.03.2023 | 160.000     | 12.000       |
    | P-GEWERBE  |         |              |              | Gießen  | 15.09.2023 |             |              |

Further columns: Start, Komplexität (einfach/mittel/komplex), Anpassung je Kommune, Betrieb pro Jahr, Quelle,
Beschreibung.
Project columns (everything except Kommune and Go-live) may be written on any row of the project; written twice
with different values is an error naming both rows. The lead city must be one of the project's Kommunen. Cost
figures left blank are unknown (the cost model then uses its parameters). Projects absent from the file stay
unchanged; a project in the file is replaced by what the file says (the change is logged, costs are appended).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from loaders import cells
from loaders.cells import CellError
from loaders.keyed_table import INVALID, KeyedTable, read_keyed
from loaders.number_cells import parse_amount
from loaders.problems import FileRejected, HasProblems, Problem
from ozg import clock, costmodel, kommunen, migrations, savings_store
from ozg.batches import BatchInfo, close_batch, open_batch
from ozg.bootstrap import sha256_file
from ozg.db import Database
from ozg.savings import CostFigures, ProjectSpec

LABELS = {"project_id": "Projekt-ID", "name": "Projekt", "lead": "Federführung", "start": "Start",
          "complexity": "Komplexität", "ozg_ids": "OZG-IDs", "kommune": "Kommune", "go_live": "Go-live",
          "development": "Entwicklung", "adaptation_per_city": "Anpassung je Kommune",
          "operation_per_year": "Betrieb pro Jahr", "coordination": "Koordination", "source": "Quelle",
          "description": "Beschreibung"}
PROJECT_FIELDS = ("name", "lead", "start", "complexity", "ozg_ids", "development", "adaptation_per_city",
                  "operation_per_year", "coordination", "source", "description")
_PROJECT_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]{0,39}")


@dataclass(frozen=True)
class ProjectsContext:
    known_ozg_ids: frozenset[str]
    kommune_index: dict[str, str]


@dataclass
class ProjectsOutcome(HasProblems):
    file_name: str
    problems: list[Problem] = field(default_factory=list)
    projects: list[ProjectSpec] = field(default_factory=list)
    rows_changed: int = 0
    batch_id: int | None = None
    dry_run: bool = False


def parse_project_id(value: object) -> str | None:
    """A short project code: letters, digits, - _ . (up to 40 characters)."""
    text = cells.parse_text(value)
    if text is not None and not _PROJECT_ID.fullmatch(text):
        raise CellError(f"„{cells.display(value)}“ ist keine Projekt-ID – erwartet ein kurzes Kürzel aus Buchstaben, "
                        "Ziffern und - _ . (höchstens 40 Zeichen), z. B. P-GEWERBE.")
    return text


def parse_ozg_ids(value: object) -> tuple[str, ...] | None:
    """OZG-IDs separated by comma, semicolon or space („10356, 10364“); a single number is one ID."""
    if cells.is_blank(value):
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return (cells.parse_ozg_id(value),)
    parts = [p for p in re.split(r"[,;\s]+", cells.clean(str(value))) if p]
    return tuple(dict.fromkeys(cells.parse_ozg_id(p) for p in parts))


def parse_complexity(value: object) -> str | None:
    """einfach / mittel / komplex, regardless of case."""
    if cells.is_blank(value):
        return None
    key = cells.match_key(str(value))
    if key not in costmodel.COMPLEXITIES:
        raise CellError(f"„{cells.display(value)}“ ist keine Komplexität – erwartet "
                        f"{', '.join(costmodel.COMPLEXITIES)}.")
    return key


def _parsers(table: KeyedTable, ctx: ProjectsContext) -> dict[str, tuple]:
    return {"name": (cells.parse_text,), "lead": (cells.parse_kommune, ctx.kommune_index),
            "start": (cells.parse_date, table.table.epoch), "complexity": (parse_complexity,),
            "ozg_ids": (parse_ozg_ids,), "development": (parse_amount,), "adaptation_per_city": (parse_amount,),
            "operation_per_year": (parse_amount,), "coordination": (parse_amount,), "source": (cells.parse_text,),
            "description": (cells.parse_text,)}


def read_projects_file(path: Path, ctx: ProjectsContext, file_name: str | None = None) -> ProjectsOutcome:
    """Read and check a projects file completely; writes nothing."""
    name = file_name or Path(path).name
    table, data, problems = read_keyed(Path(path), name, LABELS, "project_id")
    outcome = ProjectsOutcome(name, problems)
    if table is None or not data:
        return outcome
    try:
        table.require_columns("project_id", "kommune")
    except FileRejected as exc:
        outcome.problems = table.problems + [exc.problem]
        return outcome
    parsers = _parsers(table, ctx)
    projects: dict[str, dict] = {}
    for row in data:
        pid = table.parse(row, "project_id", parse_project_id)
        if pid is None:
            table.problem("Projekt-ID fehlt – erwartet in jeder Zeile die Projekt-ID.", row.number, "project_id")
        entry = (projects.setdefault(pid, {"first": row.number, "values": {}, "rows": {}, "cities": {},
                                           "bad": set()}) if pid not in (None, INVALID) else None)
        for name_ in PROJECT_FIELDS:
            if name_ not in row.raw or cells.is_blank(row.raw[name_]):
                continue
            value = table.parse(row, name_, *parsers[name_])
            if entry is None or value is INVALID:
                if entry is not None:
                    entry["bad"].add(name_)
                continue
            if name_ in entry["values"] and entry["values"][name_] != value:
                table.problem(f"„{LABELS[name_]}“ von Projekt {pid} steht in Zeile {entry['rows'][name_]} anders – "
                              "erwartet denselben Wert in allen Zeilen des Projekts (oder nur in einer).",
                              row.number, name_, row.raw[name_])
            entry["values"].setdefault(name_, value)
            entry["rows"].setdefault(name_, row.number)
        ags = table.parse(row, "kommune", cells.parse_kommune, ctx.kommune_index)
        if ags is None:
            table.problem("Kommune fehlt – erwartet in jeder Zeile eine beteiligte Kommune (Name oder AGS).",
                          row.number, "kommune")
        go_live = table.parse(row, "go_live", cells.parse_date, table.table.epoch) if "go_live" in row.raw else None
        if entry is not None and ags not in (None, INVALID):
            if ags in entry["cities"]:
                table.problem(f"Kommune {ags} steht in Projekt {pid} doppelt: Zeilen {entry['cities'][ags][1]} und "
                              f"{row.number} – erwartet jede Kommune einmal je Projekt.", row.number, "kommune",
                              row.raw.get("kommune"))
            entry["cities"][ags] = (None if go_live is INVALID else go_live, row.number)
    outcome.projects = [spec for pid, entry in projects.items()
                        if (spec := _spec(table, ctx, pid, entry)) is not None]
    outcome.problems = table.problems
    return outcome


def _spec(table: KeyedTable, ctx: ProjectsContext, pid: str, entry: dict) -> ProjectSpec | None:
    """The project's record, or None after recording what is missing."""
    values, first = entry["values"], entry["first"]
    for required in ("name", "lead", "ozg_ids"):
        if required not in values and required not in entry["bad"]:
            table.problem(f"„{LABELS[required]}“ fehlt für Projekt {pid} – erwartet in mindestens einer Zeile des "
                          "Projekts.", first, required)
    unknown = [o for o in values.get("ozg_ids", ()) if o not in ctx.known_ozg_ids]
    if unknown:
        row = entry["rows"]["ozg_ids"]
        table.problem(f"OZG-ID {', '.join(unknown)} steht nicht im OZG-Katalog – erwartet OZG-IDs aus dem aktuellen "
                      "Katalog.", row, "ozg_ids", ", ".join(unknown))
    lead = values.get("lead")
    if lead is not None and entry["cities"] and lead not in entry["cities"]:
        table.problem(f"Die federführende Kommune {lead} steht nicht unter „Kommune“ – erwartet eine Zeile für die "
                      "federführende Kommune (sie zählt bei n mit).", entry["rows"]["lead"], "lead", lead)
    if not table.ok or not {"name", "lead", "ozg_ids"} <= values.keys():
        return None
    costs = None
    if any(f in values for f in ("development", "adaptation_per_city", "operation_per_year", "coordination")):
        costs = CostFigures(values.get("development"), values.get("adaptation_per_city"),
                            values.get("operation_per_year"), values.get("coordination"), values.get("source"))
    return ProjectSpec(pid, values["name"], lead, values["ozg_ids"],
                       tuple(sorted((a, d) for a, (d, _) in entry["cities"].items())),
                       values.get("start"), values.get("description"), values.get("complexity"), costs)


def projects_context(db: Database) -> ProjectsContext:
    with db.connect() as conn:
        ids = frozenset(r[0] for r in conn.execute("SELECT ozg_id FROM leistung WHERE NOT retired"))
        return ProjectsContext(ids, kommunen.name_index(conn))


def import_projects_file(db: Database, path: Path, user: str, dry_run: bool = False,
                         file_name: str | None = None) -> ProjectsOutcome:
    """Check the file completely; without errors, save every project in it in one transaction."""
    migrations.require_current(db)
    outcome = read_projects_file(Path(path), projects_context(db), file_name)
    outcome.dry_run = dry_run
    if outcome.errors or dry_run:
        return outcome
    when = clock.now()
    with db.transaction() as conn:
        outcome.batch_id, _ = open_batch(conn, BatchInfo("projects", user, outcome.file_name, sha256_file(path),
                                                         note="Gemeinschaftsprojekte", created_at=when))
        outcome.rows_changed = sum(savings_store.save_project(conn, spec, user, outcome.batch_id, when) > 0
                                   for spec in outcome.projects)
        close_batch(conn, outcome.batch_id, len(outcome.projects), outcome.rows_changed)
    return outcome
