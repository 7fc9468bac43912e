"""Reports rendered once per session from the sample database (read-only), plus helpers to read them back."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

import reports
from ozg.db import Database


@pytest.fixture(scope="session")
def sample_files(_sample_file) -> dict[str, bytes]:
    """All three formats of the current report on the sample data (the five cities)."""
    return reports.export_all(Database(_sample_file))


@pytest.fixture(scope="session")
def sample_workbook(sample_files):
    return load_workbook(io.BytesIO(sample_files["xlsx"]))


def pdf_text(content: bytes) -> str:
    """All text of a PDF, pages joined."""
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def csv_rows(content: bytes) -> list[list[str]]:
    """A ministry CSV parsed back (BOM checked and removed)."""
    import csv

    assert content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(content[3:].decode("utf-8"), newline=""), delimiter=";"))
