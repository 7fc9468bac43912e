import datetime as dt

from ozg import queries
from ozg.db import Database
from ozg.kommunen import cooperation_name

STATUS_HEADER = ["AGS", "Kommune", "OZG-ID", "Leistung", "Themenfeld", "Reifegrad", "Reifegradmodell", "Status",
                 "Geplant bis", "Online seit", "Ende-zu-Ende", "Bescheid digital", "Federführung"]


def _find(ws, text):
    for row in ws.iter_rows():
        for cell in row:
            if cell.value == text:
                return cell
    raise AssertionError(f"{text!r} not in sheet {ws.title}")


def test_sheets(sample_workbook):
    assert sample_workbook.sheetnames == ["Zusammenfassung", "Status", "Fristen", "Verlauf", "Einsparungen"]


def test_savings_sheet_has_projects_and_parameters_with_euro_formats(sample_workbook, _sample_file):
    from ozg import savings_text

    ws = sample_workbook["Einsparungen"]
    expected = savings_text.savings_tables(Database(_sample_file))["Einsparungen je Projekt"]
    header = _find(ws, "Einsparung (€)")
    values = [ws.cell(header.row + 1 + i, header.column).value for i in range(len(expected))]
    assert values == expected["Einsparung (€)"].tolist()
    assert "€" in ws.cell(header.row + 1, header.column).number_format
    assert _find(ws, "Annahme")  # every shipped parameter says where it comes from


def test_status_sheet_header_types_and_formats(sample_workbook):
    ws = sample_workbook["Status"]
    header = [c.value for c in ws[1]]
    assert header[:13] == STATUS_HEADER
    assert ws.max_row == 1 + 5 * 557
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == f"A1:{ws.cell(1, len(header)).column_letter}{ws.max_row}"
    assert ws.print_title_rows == "$1:$1"
    assert ws.page_setup.orientation == "landscape"
    col = {name: i + 1 for i, name in enumerate(header)}
    dated = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, col["Online seit"]).value is not None)
    cell = ws.cell(dated, col["Online seit"])
    assert isinstance(cell.value, dt.datetime) and cell.number_format == "DD.MM.YYYY"
    reifegrad = ws.cell(dated, col["Reifegrad"])
    assert isinstance(reifegrad.value, int) and reifegrad.number_format == "#,##0"
    assert ws.cell(dated, col["AGS"]).data_type == "s"  # AGS stays text: leading zero
    flags = {ws.cell(r, col["Bescheid digital"]).value for r in range(2, ws.max_row + 1)}
    assert flags == {"ja", "nein", None}  # None: not reported
    assert ws.column_dimensions["D"].width > 20  # Leistung names are long


def test_summary_numbers_equal_the_queries(sample_workbook, _sample_file):
    db = Database(_sample_file)
    coverage = queries.coverage(db, group=cooperation_name())
    total = queries.coverage_total(coverage)
    ws = sample_workbook["Zusammenfassung"]
    assert ws["A1"].value == cooperation_name()
    assert "Stand" in ws["A2"].value and "Zählregel" in ws["A4"].value
    head = _find(ws, "Kommune")
    header = {ws.cell(head.row, c).value: c for c in range(1, ws.max_column + 1)}
    total_row = _find(ws, "Kooperation gesamt").row
    assert ws.cell(total_row, header["online"]).value == total["online"] == 393
    share = ws.cell(total_row, header["Anteil online"])
    assert abs(share.value - total["share"]) < 1e-12 and share.number_format == "0.0%"
    giessen = _find(ws, "Gießen").row
    assert ws.cell(giessen, header["online"]).value == int(coverage.set_index("name").at["Gießen", "online"])
    fresh = ws.cell(giessen, header["Letzte Meldung"])
    assert isinstance(fresh.value, dt.datetime) and fresh.number_format == "DD.MM.YYYY HH:MM"


def test_fristen_sheet_holds_overdue_and_planned(sample_workbook, _sample_file):
    db = Database(_sample_file)
    ws = sample_workbook["Fristen"]
    kinds = [r[0] for r in ws.iter_rows(min_row=2, values_only=True)]
    assert kinds.count("überfällig") == len(queries.overdue(db, group=cooperation_name()))
    assert kinds.count("geplant") == len(queries.planned(db, group=cooperation_name()))
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref


def test_no_cell_names_a_cost_parameter_by_its_id(sample_workbook):
    """Ids such as build_cost_simple are internal: the sheet shows the German label the savings page shows."""
    import dataclasses
    import re

    from ozg import costmodel, savings

    ids = [f.name for f in dataclasses.fields(costmodel.Parameters)]
    pattern = re.compile(r"\b(" + "|".join(ids) + r")\b")
    found = [f"{ws.title}!{cell.coordinate}: {cell.value}" for ws in sample_workbook for row in ws.iter_rows()
             for cell in row if isinstance(cell.value, str) and pattern.search(cell.value)]
    assert not found, "\n".join(found)
    ws = sample_workbook["Einsparungen"]
    header = _find(ws, "Parameter")
    labels = [ws.cell(header.row + 1 + i, header.column).value for i in range(len(ids))]
    assert labels == [d.label for d in savings.shipped_defaults().values()]  # the one mapping, in its order
    assert _find(ws, "Entwicklung einer einfachen Leistung (allein, eine Kommune)")
