"""Read and check a coordinator status file (.xlsx or .csv) as DESIGN.md describes. Writes nothing.

INTERFACE (used by loaders/importer.py; implementation in progress):
    read_status_file(path, ctx, file_name=None) -> StatusFile
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from loaders.problems import Problem
from ozg.domain import StatusUpdate


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


def read_status_file(path: Path, ctx: CheckContext, file_name: str | None = None) -> StatusFile:
    raise NotImplementedError
