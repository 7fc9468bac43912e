"""The ministry PDF: a few pages for a state secretary — key figures, Reifegrad per city, progress, overdue list.

Layout with reportlab platypus, charts from reports/charts.py (vector, offline). DejaVu fonts carry the Umlauts;
every number and date goes through ozg.fmt (German formats). Page footer: "Seite x von y".
"""

from __future__ import annotations

import io
from pathlib import Path
from xml.sax.saxutils import escape

import pandas as pd
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm, mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import KeepTogether, PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from ozg import fmt
from ozg.errors import OzgError
from reports import charts
from reports import data as rd
from reports.safe import neutralise

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONT, BOLD = "DejaVuSans", "DejaVuSans-Bold"
OVERDUE_ROWS = 40  # the full list is in the workbook (sheet Fristen)
WIDTH = A4[0] - 4 * cm


def _register_fonts() -> None:
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    for name in (FONT, BOLD):
        path = FONT_DIR / f"{name}.ttf"
        if not path.is_file():
            raise OzgError(f"Schrift {path} fehlt. Bitte das Debian-Paket fonts-dejavu-core installieren.")
        pdfmetrics.registerFont(TTFont(name, str(path)))


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("base", fontName=FONT, fontSize=9.5, leading=13)
    return {
        "base": base,
        "title": ParagraphStyle("title", base, fontName=BOLD, fontSize=20, leading=25, spaceAfter=4),
        "subtitle": ParagraphStyle("subtitle", base, fontSize=13, leading=17, spaceAfter=2),
        "h2": ParagraphStyle("h2", base, fontName=BOLD, fontSize=13, leading=17, spaceBefore=12, spaceAfter=6),
        "small": ParagraphStyle("small", base, fontSize=8, leading=10, textColor=colors.HexColor("#404040")),
        "cell": ParagraphStyle("cell", base, fontSize=8, leading=10),
        "num": ParagraphStyle("num", base, fontSize=8, leading=10, alignment=TA_RIGHT),
        "warn": ParagraphStyle("warn", base, fontName=BOLD, textColor=colors.HexColor("#c00000")),
        "lead": ParagraphStyle("lead", base, fontSize=11, leading=15, spaceBefore=6, spaceAfter=8),
    }


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(str(text)), style)


def _text(value, kind: str) -> str:
    """One value in German format for reading."""
    if kind == rd.INT:
        return fmt.number(value)
    if kind == rd.DECIMAL:
        return fmt.number(value, 2)
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


SAVINGS_PDF_COLUMNS = ["Projekt", "Federführung", "Kommunen (n)", "Allein (€)", "Gemeinsam (€)", "Einsparung (€)"]
PARAMETER_PDF_COLUMNS = ["Bedeutung", "Wert", "Einheit", "Quelle"]


def _present(table: rd.Table, wanted: list[str]) -> list[str]:
    return [c for c in wanted if c in table.frame.columns]


def _grid(table: rd.Table, styles: dict, columns: list[str] | None = None, widths: list[float] | None = None,
          total_last: bool = False) -> Table:
    """A report table as a platypus table: header row repeated on each page, numbers right-aligned."""
    columns = columns or list(table.frame.columns)
    numeric = {c for c in columns if table.kind(c) in (rd.INT, rd.DECIMAL, rd.PERCENT, rd.EURO)}
    head = [_p(neutralise(c), ParagraphStyle("h", styles["num" if c in numeric else "cell"], fontName=BOLD,
                                             textColor=colors.white)) for c in columns]
    body = [[_p(_text(v, table.kind(c)), styles["num" if c in numeric else "cell"])
             for c, v in zip(columns, row, strict=True)]
            for row in table.frame[columns].itertuples(index=False, name=None)]
    grid = Table([head, *body], colWidths=widths, repeatRows=1)
    style = [("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#1f4e79")),
             ("VALIGN", (0, 0), (-1, -1), "TOP"),
             ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3),
             ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#bfbfbf")),
             ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f2f2f2")])]
    if total_last and body:
        style += [("LINEABOVE", (0, -1), (-1, -1), 1, colors.black),
                  ("BACKGROUND", (0, -1), (-1, -1), colors.HexColor("#dde7f0"))]
    grid.setStyle(TableStyle(style))
    return grid


def _numbered_canvas(report: rd.MinistryReport):
    """A canvas class that writes "Seite x von y" once the page count is known (two passes over saved pages)."""
    footer = f"{report.cooperation} · OZG-Bericht, Stand {fmt.date(report.day)}"

    class NumberedCanvas(Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self):  # noqa: N802 (reportlab API)
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            for page in self._pages:
                self.__dict__.update(page)
                self.setFont(FONT, 7.5)
                self.setFillColor(colors.HexColor("#404040"))
                self.drawString(2 * cm, 1.2 * cm, footer)
                self.drawRightString(A4[0] - 2 * cm, 1.2 * cm, f"Seite {self._pageNumber} von {len(self._pages)}")
                super().showPage()
            super().save()

    return NumberedCanvas


def _story(report: rd.MinistryReport) -> list:
    s = _styles()
    t = report.total
    story = [
        _p("Bericht zur OZG-Umsetzung", s["title"]),
        _p(report.cooperation, s["subtitle"]),
        _p(f"Stand: {fmt.date(report.day)}" + ("" if report.as_of else " (aktueller Datenstand)"), s["subtitle"]),
        _p(f"Erstellt am {fmt.datetime(report.generated_at)} · Kommunen: {', '.join(report.kommunen)}", s["small"]),
    ]
    if report.sample:
        story.append(_p("Achtung: erfundene Beispieldaten – nicht zur Weitergabe.", s["warn"]))
    story += [
        _p(f"{fmt.number(t['online'])} von {fmt.number(t['relevant'])} relevanten Leistungen sind online "
           f"({fmt.percent(t['share'])}); {fmt.number(t['ende_zu_ende'])} davon Ende-zu-Ende digital; "
           f"{fmt.number(t['overdue'])} Leistungen haben ihren geplanten Termin überschritten.", s["lead"]),
        _p("Kennzahlen je Kommune", s["h2"]),
        _grid(report.summary, s, ["Kommune", "davon relevant", "online", "Anteil online", "Ende-zu-Ende",
                                  "Bescheid digital", "überfällig", "Letzte Meldung"],
              [3.4 * cm, 1.7 * cm, 1.3 * cm, 1.5 * cm, 2.4 * cm, 1.7 * cm, 1.9 * cm, 3.1 * cm], total_last=True),
        Spacer(1, 4),
        _p(f"{report.counting_rule}. Relevant = Leistungen des Katalogs ohne die als „nicht relevant“ "
           "markierten. Letzte Meldung = letzter Import oder letzte Bearbeitung der Kommune.", s["small"]),
        KeepTogether([_p("Reifegrad je Kommune", s["h2"]),
                      charts.reifegrad_chart(report.reifegrad, WIDTH, FONT, report.threshold)]),
        PageBreak(),
        KeepTogether([_p("Fortschritt: Leistungen online (Monatsende)", s["h2"]),
                      charts.progress_chart(report.progress.frame, WIDTH, FONT),
                      _p(report.counting_rule + ", rekonstruiert aus der Änderungshistorie.", s["small"])]),
    ]
    story += _overdue(report, s)
    if report.savings is not None:
        # A page is narrower than the XLSX sheet: the columns a reader needs, all figures stay in the XLSX.
        story += [PageBreak(), _p("Einsparungen durch gemeinsame Entwicklung", s["h2"]),
                  _grid(report.savings, s, _present(report.savings, SAVINGS_PDF_COLUMNS),
                        widths=[55 * mm, 28 * mm, 16 * mm, 25 * mm, 25 * mm, 25 * mm])]
        if report.savings_parameters is not None:
            story += [_p(report.savings_parameters.title, s["h2"]),
                      _grid(report.savings_parameters, s, _present(report.savings_parameters, PARAMETER_PDF_COLUMNS),
                            widths=[80 * mm, 22 * mm, 30 * mm, 42 * mm])]
    return story


def _overdue(report: rd.MinistryReport, s: dict) -> list:
    frame = report.deadlines.frame
    late = frame[frame["Art"] == "überfällig"].sort_values("Tage überfällig", ascending=False)
    parts = [_p(f"Überfällige Leistungen ({fmt.number(len(late))})", s["h2"])]
    if late.empty:
        return parts + [_p("Keine Leistung hat ihren geplanten Termin überschritten.", s["base"])]
    shown = rd.Table("Überfällig", late.head(OVERDUE_ROWS), report.deadlines.kinds)
    parts.append(_grid(shown, s, ["Kommune", "OZG-ID", "Leistung", "Status", "Geplant bis", "Tage überfällig"],
                       [3 * cm, 1.5 * cm, 5.6 * cm, 2 * cm, 2.2 * cm, 2.7 * cm]))
    if len(late) > OVERDUE_ROWS:
        parts.append(_p(f"Die {OVERDUE_ROWS} am längsten überfälligen von {fmt.number(len(late))} Leistungen; "
                        "die vollständige Liste steht in der Excel-Fassung, Blatt „Fristen“.", s["small"]))
    return parts


def render(report: rd.MinistryReport) -> bytes:
    """The PDF as bytes."""
    _register_fonts()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=2 * cm, rightMargin=2 * cm, topMargin=1.8 * cm,
                            bottomMargin=2 * cm, title=f"OZG-Bericht {report.cooperation}, Stand "
                            f"{fmt.date(report.day)}", author="OZG-Cockpit", lang="de-DE")
    doc.build(_story(report), canvasmaker=_numbered_canvas(report))
    return buffer.getvalue()
