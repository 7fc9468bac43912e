"""Problems are data: every check yields Problem records that the CLI prints and the app shows as a table."""

from __future__ import annotations

from dataclasses import dataclass

NO_CITY = "no_city"  # Problem.code: the file names no Kommune and none was given (--city): a usage error


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input file. row is the row number as Excel shows it (1-based), None for the file."""

    file: str
    message: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    value: str | None = None
    severity: str = "Fehler"  # "Fehler" rejects the file; "Warnung" does not
    code: str = ""            # "unreadable" (file_kind.UNREADABLE) or NO_CITY: CLI exit code 2 (usage error)

    def location(self) -> str:
        parts = [self.file]
        if self.sheet:
            parts.append(f"Blatt „{self.sheet}“")
        if self.row is not None:
            parts.append(f"Zeile {self.row}")
        if self.column:
            parts.append(f"Spalte „{self.column}“")
        return ", ".join(parts)

    def __str__(self) -> str:
        return f"{self.location()}: {self.message}"

    def as_dict(self) -> dict:
        """German-labelled record for tables and the downloadable error report."""
        return {"Datei": self.file, "Blatt": self.sheet, "Zeile": self.row, "Spalte": self.column,
                "Wert": self.value, "Art": self.severity, "Meldung": self.message}


class HasProblems:
    """Mixin for outcomes with a `problems` list: errors reject the input, warnings do not."""

    problems: list[Problem]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "Fehler"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity != "Fehler"]

    @property
    def ok(self) -> bool:
        return not self.errors


class FileRejected(Exception):
    """Raised inside readers for a whole-file problem; carries the Problem."""

    def __init__(self, problem: Problem):
        super().__init__(str(problem))
        self.problem = problem
