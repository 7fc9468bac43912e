"""The ministry report as one HTML page (templates/ministry.html.j2): the source of the PDF and an HTML version.

Every value is formatted here in German (ozg.fmt) and neutralised (reports/safe.py); Jinja2 escapes it into the
page (autoescape). The page declares lang="de" so hyphenation and screen readers use German.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pandas as pd
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from ozg import fmt
from reports import charts
from reports import data as rd
from reports.safe import neutralise

TEMPLATES = Path(__file__).parent / "templates"
OVERDUE_ROWS = 40  # the full list is in the workbook (sheet Fristen)
TEXT_WIDTH_MM = 170  # A4 less 2 × 20 mm margin (templates/ministry.css)
# The columns a reader needs and their widths in mm; all columns stay in the XLSX.
SUMMARY_COLUMNS = {"Kommune": 27, "davon relevant": 17, "online": 14, "Anteil online": 17, "Ende-zu-Ende": 20,
                   "Bescheid digital": 20, "überfällig": 21, "Letzte Meldung": 34}
OVERDUE_COLUMNS = {"Kommune": 30, "OZG-ID": 15, "Leistung": 56, "Status": 20, "Geplant bis": 22,
                   "Tage überfällig": 27}
SAVINGS_COLUMNS = {"Projekt": 53, "Federführung": 28, "Kommunen (n)": 16, "Allein (€)": 24, "Gemeinsam (€)": 24,
                   "Einsparung (€)": 25}
HEADLINE_COLUMNS = {"Kennzahl": 130, "Wert (€)": 40}
PARAMETER_COLUMNS = {"Bedeutung": 78, "Wert": 20, "Einheit": 30, "Quelle": 42}
NUMERIC = (rd.INT, rd.DECIMAL, rd.PERCENT, rd.EURO)


@dataclass(frozen=True)
class Column:
    label: str
    numeric: bool


@dataclass(frozen=True)
class Row:
    cells: list[str]
    total: bool = False
    part: bool = False  # a part of the sum above it (indented)


@dataclass(frozen=True)
class HtmlTable:
    columns: list[Column]
    rows: list[Row]
    row_header: bool = False   # the first cell of each row names it (<th scope="row">)
    css: str = ""
    widths: list[int] = field(default_factory=list)  # mm per column (fixed layout: fast, predictable)


@dataclass(frozen=True)
class HtmlChart:
    src: str                   # data: URI of the SVG — nothing is fetched
    alt: str
    legend: list = field(default_factory=list)


def text(value, kind: str) -> str:
    """One value in German format for reading."""
    if kind == rd.INT:
        return fmt.number(value)
    if kind == rd.DECIMAL:
        return parameter_number(value)
    if kind == rd.PERCENT:
        return fmt.percent(value)
    if kind == rd.EURO:
        return fmt.euro(value)
    if kind == rd.DATE:
        return fmt.date(value)
    if kind == rd.DATETIME:
        return fmt.datetime(value)
    if kind == rd.BOOL:
        return fmt.yes_no(value, missing="–")
    return "–" if value is None or (not isinstance(value, str) and pd.isna(value)) else neutralise(str(value))


def parameter_number(value) -> str:
    """Like the app's Einsparungen page: shares with two decimals (0,15), amounts and counts without (30.000, 5)."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return fmt.number(value)
    return fmt.number(number, 2 if abs(number) < 10 and not number.is_integer() else 0)


def table(source: rd.Table, columns: dict[str, int], total_last: bool = False, row_header: bool = False,
          css: str = "") -> HtmlTable:
    """A report table for the page: the wanted columns (name -> width in mm) that exist, values formatted."""
    present = [(c, w) for c, w in columns.items() if c in source.frame.columns]
    wanted = [c for c, _ in present]
    kinds = [source.kind(c) for c in wanted]
    rows = [Row([text(v, k) for v, k in zip(values, kinds, strict=True)])
            for values in source.frame[wanted].itertuples(index=False, name=None)]
    if total_last and rows:
        rows[-1] = Row(rows[-1].cells, total=True)
    scale = TEXT_WIDTH_MM / max(sum(w for _, w in present), 1)  # a missing column widens the others
    return HtmlTable([Column(neutralise(c), k in NUMERIC) for c, k in zip(wanted, kinds, strict=True)], rows,
                     row_header, css, [round(w * scale, 1) for _, w in present])


def headline(source: rd.Table) -> HtmlTable:
    """The savings headline with its parts and its realised variant: sums bold, their parts („davon …“) indented."""
    t = table(source, HEADLINE_COLUMNS, row_header=True, css="headline")
    labels = source.frame["Kennzahl"].astype(str)
    rows = [Row([row.cells[0].strip(), *row.cells[1:]], total=not part, part=part)
            for row, part in zip(t.rows, labels.str.startswith(" "), strict=True)]
    return HtmlTable(t.columns, rows, t.row_header, t.css, t.widths)


def _chart(chart: charts.Chart) -> HtmlChart:
    src = "data:image/svg+xml;base64," + base64.b64encode(chart.svg.encode("utf-8")).decode("ascii")
    return HtmlChart(src, chart.alt, chart.legend)


def css_string(value: str) -> Markup:
    """A CSS string literal's content for the page footer: quotes, backslashes and '<' escaped."""
    escaped = "".join(f"\\{ord(ch):x} " if ch in '"\\<>\n\r' else ch for ch in value)
    return Markup(escaped)  # noqa: S704 (escaped for CSS above; HTML escaping would be wrong inside <style>)


def overdue_rows(report: rd.MinistryReport) -> tuple[pd.DataFrame, int]:
    """(the longest overdue first, at most OVERDUE_ROWS; how many are overdue in all)."""
    frame = report.deadlines.frame
    late = frame[frame["Art"] == "überfällig"].sort_values("Tage überfällig", ascending=False, kind="stable")
    return late.head(OVERDUE_ROWS), len(late)


def context(report: rd.MinistryReport) -> dict:
    """Everything the template shows, formatted and neutralised."""
    t = report.total
    day = fmt.date(report.day)
    shown, late = overdue_rows(report)
    if late > OVERDUE_ROWS:
        overdue_note = (f"Die {OVERDUE_ROWS} am längsten überfälligen von {fmt.number(late)} Leistungen; die "
                        "vollständige Liste steht in der Excel-Fassung, Blatt „Fristen“.")
    else:
        overdue_note = "Alle überfälligen Leistungen, die am längsten überfälligen zuerst."
    savings = report.savings
    params = report.savings_parameters
    return {
        "title": f"OZG-Bericht {report.cooperation}, Stand {day}",
        "description": f"Stand der OZG-Umsetzung in {', '.join(report.kommunen)} am {day}",
        "footer": css_string(f"{report.cooperation} · OZG-Bericht, Stand {day}"),
        "css": Markup((TEMPLATES / "ministry.css").read_text(encoding="utf-8")),  # noqa: S704 (our own file)
        "cooperation": report.cooperation,
        "stand": f"Stand: {day}" + ("" if report.as_of else " (aktueller Datenstand)"),
        "created_iso": report.generated_at.astimezone().isoformat(timespec="seconds"),  # the clock seam's time
        "created": f"Erstellt am {fmt.datetime(report.generated_at)} · Kommunen: {', '.join(report.kommunen)}",
        "sample": report.sample,
        "lead": (f"{fmt.number(t['online'])} von {fmt.number(t['relevant'])} relevanten Leistungen sind online "
                 f"({fmt.percent(t['share'])}); {fmt.number(t['ende_zu_ende'])} davon Ende-zu-Ende digital; "
                 f"{fmt.number(t['overdue'])} {'Leistung hat' if t['overdue'] == 1 else 'Leistungen haben'} "
                 "ihren geplanten Termin überschritten."),
        "summary": table(report.summary, SUMMARY_COLUMNS, total_last=True, row_header=True, css="summary"),
        "summary_note": (f"{report.counting_rule}. Relevant = Leistungen des Katalogs ohne die als „nicht relevant“ "
                         "markierten. Letzte Meldung = letzter Import oder letzte Bearbeitung der Kommune."),
        "reifegrad": _chart(charts.reifegrad_chart(report.reifegrad, report.threshold)),
        "reifegrad_note": (f"Reifegrad (Modell 1.1); online nach der Zählregel ab Reifegrad {report.threshold}. "
                           "Die Zahlen in den Balken sind Leistungen."),
        "progress": _chart(charts.progress_chart(report.progress.frame)),
        "progress_note": report.counting_rule + ", rekonstruiert aus der Änderungshistorie.",
        "overdue_heading": f"Überfällige Leistungen ({fmt.number(late)})",
        "overdue": table(rd.Table("Überfällig", shown, report.deadlines.kinds), OVERDUE_COLUMNS, css="overdue")
        if late else None,
        "overdue_note": overdue_note,
        "savings": table(savings, SAVINGS_COLUMNS, row_header=True, css="savings") if savings is not None else None,
        "savings_total": headline(report.savings_total) if report.savings_total is not None else None,
        "savings_total_title": report.savings_total.title if report.savings_total is not None else "",
        "parameters": table(params, PARAMETER_COLUMNS, css="parameters") if params is not None else None,
        "parameters_title": params.title if params is not None else "",
    }


@cache
def _environment() -> Environment:
    return Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html", "j2"]),
                       trim_blocks=True, lstrip_blocks=True)


def render(report: rd.MinistryReport) -> str:
    """The report as a standalone HTML page (styles and charts inline)."""
    return _environment().get_template("ministry.html.j2").render(**context(report))
