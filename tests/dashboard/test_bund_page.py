"""AppTest of the Bund-Abgleich page on a real database with the fixture snapshot and the cities' own status."""

from __future__ import annotations

import datetime as dt

from loaders.bund_import import import_bund_file
from tests.bund_support import FIXTURES, set_city_status
from tests.dashboard.test_pages import markdown, open_page


def _prepared(db):
    set_city_status(db)
    import_bund_file(db, FIXTURES / "bund_page.json", dt.date(2026, 11, 1), "koordination")
    return db


def _counts(at) -> list[list[str]]:
    frame = at.table[0].value
    return frame.astype(str).values.tolist()


def test_counts_per_city_and_the_snapshot_stand(db, monkeypatch):
    at = open_page(_prepared(db), monkeypatch, "bund")

    assert at.title[0].value.replace("\\", "") == "Bund-Abgleich"  # titles are escaped markdown
    assert "Bundesdaten: Stand 01.11.2026 · Datei bund_page.json" in markdown(at)
    # Hand count (tests/ozg/test_bund_compare.py): Kommune-only / Bund-only / link suggestions per city.
    assert _counts(at) == [["Fulda", "0", "2", "2"], ["Gießen", "1", "2", "2"], ["Limburg an der Lahn", "0", "2", "3"],
                           ["Marburg", "1", "3", "3"], ["Wetzlar", "1", "2", "2"]]
    assert [e.label for e in at.main.expander] == [
        "Fulda: 2 Leistungen verschieden", "Gießen: 3 Leistungen verschieden",
        "Limburg an der Lahn: 2 Leistungen verschieden", "Marburg: 4 Leistungen verschieden",
        "Wetzlar: 3 Leistungen verschieden"]
    wetzlar = at.main.expander[4]
    first = wetzlar.dataframe[0].value
    assert first["OZG-ID"].tolist() == ["10004"] and first["Beim Bund"].tolist() == ["nicht aktiv"]
    assert first["link_kommune"].tolist() == ["https://wetzlar.example/hebamme"]
    assert first["link_bund"].tolist() == ["https://bund.example/wz/hebamme"]
    assert "Kommune meldet online, beim Bund nicht" in markdown(at) and "1 Leistung" in markdown(at)


def test_themenfeld_filter_from_the_url(db, monkeypatch):
    at = open_page(_prepared(db), monkeypatch, "bund", themenfeld="Arbeit & Ruhestand")
    # every fixture Leistung (10000–10009) is in „Familie & Kind“
    assert _counts(at) == [[city, "0", "0", "0"] for city in
                           ["Fulda", "Gießen", "Limburg an der Lahn", "Marburg", "Wetzlar"]]
    at.selectbox(key="themenfeld").select("Familie & Kind").run()
    assert _counts(at)[3] == ["Marburg", "1", "3", "3"]


def test_without_federal_data_the_page_says_how_to_import(db, monkeypatch):
    set_city_status(db)
    at = open_page(db, monkeypatch, "bund")
    assert "Noch keine Bundesdaten mit Stand bis 27.11.2026" in at.info[0].value
    assert "python -m loaders bund DATEI" in at.info[0].value
