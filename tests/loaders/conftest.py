"""Builders for real coordinator files in tmp_path: xlsx written by openpyxl, CSV as bytes, patched zip parts."""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils.datetime import CALENDAR_MAC_1904

from loaders.status_file import CheckContext, StatusFile, read_status_file

HEADER = ["OZG-ID", "Leistung", "Themenfeld", "Reifegrad", "Status", "Geplant bis", "Online seit", "Ende-zu-Ende",
          "Bescheid digital", "Federführung", "Plattform", "Link", "Bemerkung"]
TODAY = dt.date(2026, 11, 27)


def make_ctx(models: dict[str, str] | None = None) -> CheckContext:
    """The context every test reads with: four known Leistungen, Marburg and Gießen."""
    return CheckContext(
        known_ozg_ids=frozenset({"10000", "10001", "10002", "10003"}),
        kommune_index={"marburg": "06534014", "06534014": "06534014", "giessen": "06531005", "06531005": "06531005"},
        today=TODAY,
        current_models=models or {},
    )


def write_xlsx(path: Path, rows: list[list], *, sheet: str = "Status", info_ags: object = None,
               epoch1904: bool = False, edit: Callable[[openpyxl.Workbook], None] | None = None) -> Path:
    """A workbook whose first sheet holds `rows` from A1; optionally an Info sheet and a last-minute edit."""
    wb = openpyxl.Workbook()
    if epoch1904:
        wb.epoch = CALENDAR_MAC_1904
    ws = wb.active
    ws.title = sheet
    for row in rows:
        ws.append(row)
    if info_ags is not None:
        info = wb.create_sheet("Info")
        for pair in (["Kommune", "Marburg"], ["AGS", info_ags], ["Vorlagenversion", "1"],
                     ["Erstellt am", dt.datetime(2026, 11, 1, 9, 30)]):
            info.append(pair)
    if edit:
        edit(wb)
    wb.save(path)
    return path


def patch_zip(path: Path, replace: dict[str, bytes | Callable[[bytes], bytes]],
              compression: int = zipfile.ZIP_DEFLATED) -> Path:
    """Rewrite an xlsx with some parts replaced (bytes or a function of the old bytes) or added."""
    with zipfile.ZipFile(path) as zf:
        parts = {name: zf.read(name) for name in zf.namelist()}
    for name, new in replace.items():
        parts[name] = new(parts[name]) if callable(new) else new
    with zipfile.ZipFile(path, "w", compression) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return path


@pytest.fixture
def ctx() -> CheckContext:
    return make_ctx()


@pytest.fixture
def xlsx(tmp_path) -> Callable[..., Path]:
    """xlsx(rows, name="status.xlsx", **write_xlsx options) -> path of a real workbook."""

    def build(rows: list[list], name: str = "status.xlsx", **options) -> Path:
        return write_xlsx(tmp_path / name, rows, **options)

    return build


@pytest.fixture
def csv_file(tmp_path) -> Callable[..., Path]:
    """csv_file(text or bytes, name="status.csv", encoding="utf-8") -> path."""

    def build(content: str | bytes, name: str = "status.csv", encoding: str = "utf-8") -> Path:
        path = tmp_path / name
        path.write_bytes(content if isinstance(content, bytes) else content.encode(encoding))
        return path

    return build


@pytest.fixture
def read(ctx) -> Callable[..., StatusFile]:
    """read(path, models=None) -> StatusFile read with the test context."""

    def run(path: Path, models: dict[str, str] | None = None) -> StatusFile:
        return read_status_file(path, make_ctx(models) if models else ctx)

    return run
