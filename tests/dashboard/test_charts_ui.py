"""Figure builders and page helpers without a running app: exact texts, labels on every mark, empty inputs."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from dashboard import charts, ui
from dashboard import matrix as matrix_view
from ozg import config, queries
from ozg.kommunen import cooperation_name


def test_freshness_text_names_newest_and_oldest_report():
    reports = pd.DataFrame({"name": ["Fulda", "Gießen", "Wetzlar"],
                            "last_report": pd.to_datetime(["2026-11-22 09:00", "2026-11-27 09:00", None])})
    assert ui.freshness_text(reports, dt.date(2026, 11, 27)) == (
        "Stand: 27.11.2026, letzte Meldung Gießen am 27.11.2026 (älteste: Fulda am 22.11.2026); 1 ohne Meldung")


def test_freshness_text_without_reports():
    reports = pd.DataFrame({"name": ["Fulda"], "last_report": pd.to_datetime([None])})
    assert ui.freshness_text(reports, dt.date(2026, 1, 5)) == "Stand: 05.01.2026, noch keine Meldung"


def test_escape_neutralises_markdown_directives_and_latex():
    assert ui.escape(":red[Alarm] $x$") == r"\:red\[Alarm\] \$x\$"


def test_attribution_lines_from_provenance():
    lines = ui.attribution_lines((config.DATA_DIR / "PROVENANCE.md").read_text(encoding="utf-8"))
    assert lines == [
        "OZG-Leistungen/LeiKa-Zuordnung: OZG-Umsetzungskatalog (BMI), Stand 10/2019, via kdn-nrw/OZG-Datenbank-NRW "
        "(MIT).",
        "© Statistisches Bundesamt (Destatis), Gemeindeverzeichnis GV100AD, Gebietsstand 30.11.2023, "
        "Datenlizenz Deutschland – Namensnennung – Version 2.0.",
    ]


def test_reifegrad_bars_carry_german_labels_and_counts(sample_db):
    dist = queries.reifegrad_distribution(sample_db, group=cooperation_name())
    fig = charts.reifegrad_distribution(dist)
    assert [t.name for t in fig.data] == ["0 – offline", "1 – Information", "2 – Formular-Assistent",
                                          "3 – Online-Leistung", "4 – Online-Transaktion"]
    marburg = list(fig.data[3].y).index("Marburg")
    assert fig.data[3].text[marburg] == "78"  # Reifegrad 3 in Marburg: 128 online minus 50 at level 4
    assert fig.layout.separators == ",."


def test_matrix_frames_label_every_cell(sample_db):
    matrix = queries.coverage_matrix(sample_db, group=cooperation_name(), search="Landeserziehungsgeld")
    levels, labels = charts.matrix_frames(matrix)
    assert list(levels.columns) == ["Fulda", "Gießen", "Limburg an der Lahn", "Marburg", "Wetzlar"]
    row = labels.loc["10022 Landeserziehungsgeld"]
    assert row["Marburg"] == "4 · online" and row["Wetzlar"] == "1 · nicht begonnen"
    html = matrix_view.matrix_html(levels, labels, ["10022 Landeserziehungsgeld"], {}, caption="Test")
    assert 'title="Marburg: 4 – Online-Transaktion · online"' in html
    assert 'title="Wetzlar: 1 – Information · nicht begonnen"' in html
    assert html.count("<td") == 5 and 'scope="col" title="Limburg an der Lahn"' in html


def test_matrix_pages_keep_themenfelder_together():
    rows = [f"{i} L{i}" for i in range(10)]
    themen = {r: ("A" if i < 4 else "B" if i < 7 else "C") for i, r in enumerate(rows)}
    pages = matrix_view.pages(rows, themen, page_rows=5)
    assert [p.rows for p in pages] == [rows[:4], rows[4:7], rows[7:]]
    assert [p.label for p in pages] == ["A", "B", "C"]
    big = matrix_view.pages(rows, {r: "A" for r in rows}, page_rows=4)
    assert [len(p.rows) for p in big] == [4, 4, 2]
    assert matrix_view.pages(rows[:3], {r: t for r, t in zip(rows[:3], "ABC", strict=True)}, 5)[0].label == "A – C"


def test_burn_up_projects_each_city_and_marks_deadlines(sample_db):
    group = cooperation_name()
    first, _ = queries.history_span(sample_db)
    prog = queries.progress(sample_db, queries.month_ends(first, dt.date(2026, 11, 27)), group)
    fc = queries.forecast(sample_db, as_of=dt.date(2026, 11, 27), group=group)
    fig = charts.burn_up(prog, fc, queries.deadlines(sample_db))
    projections = [t for t in fig.data if t.name.endswith(": Prognose")]
    assert len(projections) == 5 and all(t.line.dash == "dot" for t in projections)
    texts = [a.text for a in fig.layout.annotations]
    assert texts == ["31.12.2022", "31.12.2025", "31.12.2027"]
    legend = [t.name for t in fig.data if t.showlegend is not False]
    assert legend == ["Fulda", "Gießen", "Limburg an der Lahn", "Marburg", "Wetzlar"]
    # the sample's slow pace: every city needs more than ten years, so each projection ends at the horizon
    assert fig.layout.xaxis.range[1] == pd.Timestamp("2036-11-27")
    assert fig.layout.xaxis.dtick == "M60"  # 2019–2036: a tick every five years


def test_year_ticks_stay_few():
    assert charts.year_step(dt.date(2019, 3, 1), dt.date(2026, 11, 27)) == 2
    assert charts.year_step(dt.date(2024, 1, 1), dt.date(2026, 11, 27)) == 1
    assert charts.year_step(dt.date(2019, 3, 1), dt.date(2036, 11, 27)) == 5


def test_close_deadline_labels_get_their_own_row():
    days = [dt.date(2022, 12, 31), dt.date(2025, 12, 31), dt.date(2027, 12, 31)]
    assert charts._deadline_rows(days, dt.date(2019, 3, 1), dt.date(2036, 11, 27)) == [0, 1, 2]
    assert charts._deadline_rows(days[:1] + days[2:], dt.date(2019, 3, 1), dt.date(2036, 11, 27)) == [0, 1]
    assert charts._deadline_rows(days, dt.date(2010, 1, 1), dt.date(2060, 1, 1)) == [0, 1, 2]


def test_builders_explain_empty_inputs():
    empty = pd.DataFrame(columns=["day", "ags", "name", "online", "ende_zu_ende"])
    for fig in (charts.progress_over_time(empty), charts.planned_timeline(pd.DataFrame()),
                charts.burn_up(empty, pd.DataFrame()), charts.reifegrad_distribution(pd.DataFrame())):
        assert fig.layout.annotations and fig.layout.annotations[0].text


def test_group_sum_turns_many_kommunen_into_one_line(sample_db):
    group = cooperation_name()
    prog = queries.progress(sample_db, [dt.date(2026, 11, 27)], group)
    summed = charts.group_sum(prog)
    assert summed["online"].tolist() == [393] and summed["name"].tolist() == ["Summe der Gruppe"]
    fc = charts.group_sum_forecast(queries.forecast(sample_db, as_of=dt.date(2026, 11, 27), group=group),
                                   dt.date(2026, 11, 27))
    assert fc["online"].iloc[0] == 393 and fc["reaches"].iloc[0] > dt.date(2026, 11, 27)
