"""The ministry PDF read back: content, PDF/UA-1 structure (tags, alt texts, headers, bookmarks, fonts), German
hyphenation, figures equal to the CSV's, nothing past the margin, nothing fetched."""

import io
import re
import subprocess
from pathlib import Path

import pandas as pd
import pytest
from pypdf import PdfReader

from ozg import fmt, queries
from ozg.db import Database
from ozg.kommunen import cooperation_name
from reports import html, pdf
from reports.data import build_report
from tests.conftest import SAMPLE_DAY
from tests.reports.conftest import pdf_text
from tests.reports.vocabulary import page_words, split_words

CITIES = ["Fulda", "Gießen", "Limburg an der Lahn", "Marburg", "Wetzlar"]
MARGIN_PT = 20 / 25.4 * 72  # left and right margin of templates/ministry.css


@pytest.fixture(scope="module")
def reader(sample_files) -> PdfReader:
    return PdfReader(io.BytesIO(sample_files["pdf"]))


@pytest.fixture(scope="module")
def elements(reader) -> list:
    """Every structure element of the tag tree, depth first."""
    found = []

    def walk(node):
        node = node.get_object()
        if not hasattr(node, "keys"):
            return
        if node.get("/Type") == "/StructElem":
            found.append(node)
        kids = node.get("/K")
        for kid in kids if isinstance(kids, list) else [kids]:
            if hasattr(kid, "get_object"):
                walk(kid)

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    return found


@pytest.fixture(scope="module")
def csv_frame(sample_files) -> pd.DataFrame:
    """The relevant rows of the ministry CSV, Reifegrad as a number: the independent source of the figures."""
    frame = pd.read_csv(io.BytesIO(sample_files["csv"]), sep=";", dtype=str, encoding="utf-8-sig")
    frame = frame[frame["Status"] != "nicht relevant"].copy()
    frame["level"] = pd.to_numeric(frame["Reifegrad"])
    frame["due"] = pd.to_datetime(frame["Geplant bis"], format="%d.%m.%Y")
    return frame


def _kids(node, tag: str) -> list:
    kids = node.get("/K")
    kids = kids if isinstance(kids, list) else [kids]
    return [k.get_object() for k in kids if hasattr(k, "get_object") and k.get_object().get("/S") == tag]


def test_pdf_shows_title_kpis_and_page_numbers(sample_files, _sample_file):
    db = Database(_sample_file)
    total = queries.coverage_total(queries.coverage(db, group=cooperation_name()))
    text = pdf_text(sample_files["pdf"])
    pages = len(PdfReader(io.BytesIO(sample_files["pdf"])).pages)
    assert "Bericht zur OZG-Umsetzung" in text
    assert cooperation_name() in text
    assert f"{fmt.number(total['online'])} von {fmt.number(total['relevant'])} relevanten Leistungen" in text
    assert fmt.percent(total["share"]) in text  # 17,0 %
    assert "Kooperation" in text and "Gießen" in text and "Reifegrad je Kommune" in text
    assert f"Seite 1 von {pages}" in text and f"Seite {pages} von {pages}" in text
    assert 2 <= pages <= 6
    assert "Überfällige Leistungen" in text


def test_tagged_pdf_with_german_language_and_displayed_title(reader):
    root = reader.trailer["/Root"]
    title = f"OZG-Bericht {cooperation_name()}, Stand {fmt.date(SAMPLE_DAY)}"
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    assert str(root["/Lang"]).split("-")[0] == "de"
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    assert reader.metadata.title == title
    assert reader.xmp_metadata.dc_title["x-default"] == title  # PDF/UA needs the title in the XMP metadata
    assert reader.metadata.creation_date.date() == SAMPLE_DAY  # the clock seam's time, not the machine's


def test_every_figure_has_alt_text_stating_its_numbers(elements, csv_frame):
    figures = [e for e in elements if e["/S"] == "/Figure"]
    assert len(figures) == 2  # Reifegrad bars, progress lines
    alts = [str(f.get("/Alt", "")) for f in figures]
    assert all(alt.strip() for alt in alts)
    bars, lines = alts
    for city, rows in csv_frame.groupby("Kommune"):
        assert f"{city} ({len(rows)} relevante Leistungen)" in bars
        offline = int((rows["level"] == 0).sum())
        assert f"0 – offline: {fmt.number(offline)}" in bars.split(city, 1)[1]
        online = int((rows["level"] >= 3).sum())
        assert f"{city}: " in lines and f"{fmt.date(SAMPLE_DAY)}: {fmt.number(online)}" in lines.split(city, 1)[1]


def test_bookmarks_for_each_section(reader):
    def titles(outline):
        for item in outline:
            yield from titles(item) if isinstance(item, list) else [item.title]

    overdue = f"Überfällige Leistungen ({fmt.number(65)})"  # sample: 5 + 8 + 11 + 17 + 24 per city (ozg/sample.py)
    assert list(titles(reader.outline)) == [
        "Bericht zur OZG-Umsetzung", "Kennzahlen je Kommune", "Reifegrad je Kommune",
        "Fortschritt: Leistungen online (Monatsende)", overdue, "Einsparungen durch gemeinsame Entwicklung",
        "Einsparungen gesamt", "Je Projekt", "Kostenparameter"]


def test_savings_headline_with_its_parts_as_in_the_workbook(sample_files, sample_workbook, elements):
    """The figure a mayor quotes: the same headline, parts and realised variant as the XLSX's Einsparungen sheet,
    the parts adding up to each sum, the labels as row headers."""
    ws = sample_workbook["Einsparungen"]
    cells = [(a, b) for a, b in ws.iter_rows(min_col=1, max_col=2, values_only=True) if isinstance(a, str)]
    start = next(i for i, (a, _) in enumerate(cells) if a == "Kennzahl")
    rows = cells[start + 1:start + 9]
    assert rows[0][0].startswith("Geplante Einsparung über 5 Jahre") and rows[4][0].startswith("Variante: bis")
    for total in (0, 4):  # each sum equals its three parts (in the workbook, to the cent)
        assert rows[total][1] == pytest.approx(sum(value for _, value in rows[total + 1:total + 4]))
    text = " ".join(pdf_text(sample_files["pdf"]).split())
    for label, value in rows:
        assert f"{label.strip()} {fmt.euro(value)}" in text
    headline = [e for e in elements if e["/S"] == "/Table"][-3]  # before the per-project and parameter tables
    body = _kids(headline, "/TBody")[0]
    assert len(_kids(body, "/TR")) == 8
    assert all(len(_kids(row, "/TH")) == 1 and len(_kids(row, "/TD")) == 1 for row in _kids(body, "/TR"))


def test_every_font_is_embedded(reader):
    seen = []

    def fonts(resources):
        resources = resources.get_object() if resources is not None else {}
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            for part in [font, *[d.get_object() for d in font.get("/DescendantFonts", [])]]:
                if "/FontDescriptor" in part:
                    descriptor = part["/FontDescriptor"].get_object()
                    seen.append((str(part["/BaseFont"]),
                                 any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))))
        for xobject in (resources.get("/XObject") or {}).values():
            fonts(xobject.get_object().get("/Resources"))

    for page in reader.pages:
        fonts(page.get("/Resources"))
    assert seen and all(embedded for _, embedded in seen), seen
    assert {name.split("+")[-1] for name, _ in seen} <= {"DejaVu-Sans", "DejaVu-Sans-Bold"}


def test_tables_have_header_cells_and_cells_point_to_them(elements):
    tables = [e for e in elements if e["/S"] == "/Table"]
    # Kennzahlen, Überfällige (+ its page 2), Einsparungen gesamt, je Projekt, Kostenparameter
    assert len(tables) == 6
    for table in tables:
        head = _kids(table, "/THead")
        assert head and all(_kids(row, "/TH") and not _kids(row, "/TD") for row in _kids(head[0], "/TR"))
    summary_head = _kids(_kids(tables[0], "/THead")[0], "/TR")[0]
    assert len(_kids(summary_head, "/TH")) == 8
    header_ids = {str(e["/ID"]) for e in elements if e["/S"] == "/TH"}
    cells = [e for e in elements if e["/S"] == "/TD"]
    assert cells and all(e["/A"]["/Headers"] and {str(h) for h in e["/A"]["/Headers"]} <= header_ids
                         for e in cells)


@pytest.fixture(scope="module")
def page_and_pdf(_sample_file) -> tuple[str, bytes]:
    """The HTML page and the PDF of one report (the same "Erstellt am" minute)."""
    report = build_report(Database(_sample_file))
    return html.render(report), pdf.render(report)


def test_german_hyphenation_never_splits_a_word_without_a_hyphen(page_and_pdf):
    page, content = page_and_pdf
    vocabulary = page_words(page)
    text = pdf_text(content)
    words, hyphenated = split_words(text, vocabulary)
    unknown = sorted({w for w in words if w not in vocabulary})
    assert not unknown, f"Wörter ohne Trennstrich getrennt oder unbekannt: {unknown[:20]}"
    assert "Kommunen" in hyphenated  # the narrow header "Kom‐munen (n)" is hyphenated, not cut


def test_city_table_equals_the_csv(sample_files, csv_frame):
    text = pdf_text(sample_files["pdf"])
    for city, rows in csv_frame.groupby("Kommune"):
        name = r"\s+".join(map(re.escape, city.split()))
        match = re.search(name + r"\s+([\d.]+)\s+([\d.]+)\s+([\d,]+ %)\s+(\d+)\s+(\d+)\s+(\d+)\s", text)
        assert match, city
        online = int((rows["level"] >= 3).sum())
        late = int(((rows["due"] < pd.Timestamp(SAMPLE_DAY)) & ~(rows["level"] >= 3)).sum())
        assert match.groups() == (
            fmt.number(len(rows)), fmt.number(online), fmt.percent(online / len(rows)),
            fmt.number((rows["Ende-zu-Ende"] == "ja").sum()), fmt.number((rows["Bescheid digital"] == "ja").sum()),
            fmt.number(late)), city


def test_overdue_list_shows_the_40_longest_and_the_xlsx_has_all(sample_files, sample_workbook, csv_frame):
    late = int(((csv_frame["due"] < pd.Timestamp(SAMPLE_DAY)) & ~(csv_frame["level"] >= 3)).sum())
    text = " ".join(pdf_text(sample_files["pdf"]).split())
    assert f"Die 40 am längsten überfälligen von {fmt.number(late)} Leistungen" in text
    assert "Blatt „Fristen“" in text
    sheet = sample_workbook["Fristen"]
    header = [c.value for c in sheet[1]]
    kinds = [row[header.index("Art")] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert kinds.count("überfällig") == late


def test_cost_parameters_print_like_the_app(sample_files):
    text = pdf_text(sample_files["pdf"])
    assert "30.000" in text and "30.000,00" not in text
    assert "0,15" in text  # shares keep two decimals


def test_no_text_runs_past_the_margins(sample_files, tmp_path):
    """pdftotext -bbox: every word (legends, tables, footer) lies inside the 20 mm side margins."""
    path = tmp_path / "report.pdf"
    path.write_bytes(sample_files["pdf"])
    out = subprocess.run(["pdftotext", "-bbox", str(path), "-"], check=True, capture_output=True, text=True).stdout
    width = float(re.search(r'<page width="([\d.]+)"', out).group(1))
    boxes = [(w, float(a), float(b)) for a, b, w in re.findall(r'<word xMin="([\d.]+)" yMin="[\d.]+" '
                                                                  r'xMax="([\d.]+)" yMax="[\d.]+">([^<]*)<', out)]
    outside = [w for w, x0, x1 in boxes if x0 < MARGIN_PT - 1 or x1 > width - MARGIN_PT + 1]
    assert boxes and not outside, outside


def test_nothing_is_fetched_from_the_network(page_and_pdf):
    page, content = page_and_pdf
    assert not re.search(r"""(src|href)=["']?(https?:|//)|url\(\s*["']?(https?:|//)""", page)
    assert b"/URI" not in content
    with pytest.raises(ValueError, match="disallowed protocol"):
        pdf.fetcher().fetch("https://example.org/logo.png")  # refused before any connection is tried


def test_one_city_and_no_overdue_wording(sample_db):
    text = pdf_text(pdf.render(build_report(sample_db, cities=["Marburg"])))
    assert "Kommunen: Marburg" in text and "Gießen" not in text.split("Einsparungen")[0]
    assert "Die 40 am längsten" not in text and "Alle überfälligen Leistungen" in text


def test_missing_font_is_a_german_error(monkeypatch, _sample_file, tmp_path):
    from ozg.errors import OzgError

    monkeypatch.setattr(pdf, "FONT_FILES", [tmp_path / "DejaVuSans.ttf"])
    with pytest.raises(OzgError, match="fonts-dejavu-core"):
        pdf.render(build_report(Database(_sample_file)))


def test_page_images_for_review_are_a4_and_inked(sample_files):
    """pdftoppm -r 60 of every page into artifacts/ministry-pdf/ (git-ignored, kept by CI) for a person to look
    at; each page is A4 (210 × 297 mm: 497 × 702 px at 60 dpi, rounded up) and carries content (no empty page)."""
    from PIL import Image

    folder = Path(__file__).resolve().parents[2] / "artifacts" / "ministry-pdf"
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("seite-*.png"):
        old.unlink()
    (folder / "bericht.pdf").write_bytes(sample_files["pdf"])
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(folder / "bericht.pdf"), str(folder / "seite")], check=True)
    pages = sorted(folder.glob("seite-*.png"))
    assert len(pages) == len(PdfReader(io.BytesIO(sample_files["pdf"])).pages) >= 4
    for path in pages:
        image = Image.open(path).convert("L")
        assert image.size == (497, 702), path.name
        body = image.crop((0, 60, 497, 640))   # between running head and page number
        assert body.getextrema()[0] < 128, path.name   # dark ink: text or a chart
