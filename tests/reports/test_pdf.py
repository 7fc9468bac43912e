from pypdf import PdfReader

from ozg import fmt, queries
from ozg.db import Database
from ozg.kommunen import cooperation_name
from tests.reports.conftest import pdf_text


def test_pdf_shows_title_kpis_and_page_numbers(sample_files, _sample_file):
    import io

    db = Database(_sample_file)
    total = queries.coverage_total(queries.coverage(db, group=cooperation_name()))
    text = pdf_text(sample_files["pdf"])
    pages = len(PdfReader(io.BytesIO(sample_files["pdf"])).pages)
    assert "Bericht zur OZG-Umsetzung" in text
    assert cooperation_name() in text
    assert f"{fmt.number(total['online'])} von {fmt.number(total['relevant'])} relevanten Leistungen" in text
    assert fmt.percent(total["share"]) in text  # 17,0 %
    assert "Kooperation gesamt" in text and "Gießen" in text and "Reifegrad je Kommune" in text
    assert f"Seite 1 von {pages}" in text and f"Seite {pages} von {pages}" in text
    assert 2 <= pages <= 6
    assert "Überfällige Leistungen" in text
