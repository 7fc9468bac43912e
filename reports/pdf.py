"""The ministry PDF: the HTML page of reports/html.py printed by WeasyPrint as tagged PDF/UA-1.

Why WeasyPrint (HTML + CSS): accessibility by construction — the PDF/UA-1 variant writes a structure tree from the
HTML (headings, paragraphs, lists, tables with TH cells, figures with the img's alt as /Alt), /Lang de from
<html lang>, the <title> as document title (DisplayDocTitle), bookmarks from the headings and embedded font
subsets; `hyphens: auto` hyphenates German (Pyphen). reportlab wrote none of that. Nothing is fetched from the
network: fontconfig finds the installed DejaVu fonts, and the fetcher allows only data: URLs (the SVG charts) and
stops the rendering on anything else.
"""

from __future__ import annotations

from pathlib import Path

from ozg.errors import OzgError
from reports import data as rd
from reports import html, hyphenation

FONT_FILES = [Path("/usr/share/fonts/truetype/dejavu") / f"{name}.ttf" for name in ("DejaVuSans", "DejaVuSans-Bold")]


def _check_fonts() -> None:
    for path in FONT_FILES:
        if not path.is_file():
            raise OzgError(f"Schrift {path} fehlt. Bitte das Debian-Paket fonts-dejavu-core installieren.")


def fetcher():
    """WeasyPrint's fetcher limited to data: URLs; anything else stops the rendering."""
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols={"data"}, fail_on_errors=True)


def render(report: rd.MinistryReport) -> bytes:
    """The PDF as bytes (PDF/UA-1)."""
    from weasyprint import HTML  # imported on use: ~0.8 s, only the PDF needs it

    _check_fonts()
    hyphenation.warm()
    document = HTML(string=html.render(report), base_url=str(html.TEMPLATES) + "/", url_fetcher=fetcher())
    return document.write_pdf(pdf_variant="pdf/ua-1")
