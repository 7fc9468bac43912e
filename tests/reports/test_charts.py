"""SVG charts of the report: numbers in the bars and in the alt text, German formats, sane axes."""

import datetime as dt
import re

import pandas as pd

from reports import charts


def test_nice_ticks_reach_the_top_in_round_steps():
    assert charts.nice_ticks(462) == [0, 100, 200, 300, 400, 500]
    assert charts.nice_ticks(128) == [0, 50, 100, 150]
    assert charts.nice_ticks(7) == [0, 2, 4, 6, 8]
    assert charts.nice_ticks(0) == [0, 1]


def test_reifegrad_bars_state_every_count():
    dist = pd.DataFrame({"name": ["Marburg", "Marburg", "Gießen"], "reifegrad": ["0", "3", "keine Angabe"],
                         "leistungen": [1200, 34, 5]})
    chart = charts.reifegrad_chart(dist, threshold=3)
    assert "Marburg (1.234 relevante Leistungen) – 0 – offline: 1.200, 3 – Online-Leistung: 34, keine Angabe: 0" \
        in chart.alt
    assert "Gießen (5 relevante Leistungen) – 0 – offline: 0, 3 – Online-Leistung: 0, keine Angabe: 5" in chart.alt
    assert "online ab Reifegrad 3" in chart.alt
    labels = re.findall(r"<text[^>]*>([^<]*)</text>", chart.svg)
    assert {"Marburg", "Gießen", "1.200", "1.234"} <= set(labels)
    assert [e.label for e in chart.legend] == ["0 – offline", "3 – Online-Leistung", "keine Angabe"]


def test_progress_lines_state_year_ends_and_the_last_day():
    days = [dt.date(2024, 12, 31), dt.date(2025, 6, 30), dt.date(2025, 12, 31), dt.date(2026, 3, 15)]
    frame = pd.DataFrame({"Stichtag": days * 2, "Kommune": ["Fulda"] * 4 + ["Wetzlar"] * 4,
                          "online": [1, 2, 3, 4, 10, 20, 1500, 1600]})
    chart = charts.progress_chart(frame)
    assert "31.12.2024 bis 15.03.2026" in chart.alt
    assert "Fulda: 2024: 1, 2025: 3, 15.03.2026: 4" in chart.alt
    assert "Wetzlar: 2024: 10, 2025: 1.500, 15.03.2026: 1.600" in chart.alt
    assert chart.svg.count("<polyline") == 2 and 'stroke-dasharray' in chart.svg  # lines differ by more than colour
    assert [(e.label, e.dash) for e in chart.legend] == [("Fulda", "solid"), ("Wetzlar", "dashed")]


def test_chart_text_is_escaped():
    dist = pd.DataFrame({"name": ["<Stadt & Land>"], "reifegrad": ["1"], "leistungen": [3]})
    assert "&lt;Stadt &amp; Land&gt;" in charts.reifegrad_chart(dist, 3).svg
