"""AppTest of the progress pages (Übersicht, Abdeckung, Fristen, Kommune, Leistung, Über) on real databases.

Each page runs on the sample database and on an empty one without an exception, and the numbers it shows equal
what ozg.queries returns for the same view.
"""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import ui
from ozg import fmt, queries, status
from ozg.batches import BatchInfo
from ozg.domain import StatusUpdate, counting_rule_text
from ozg.kommunen import cooperation_name

APP = "../../dashboard/app.py"  # AppTest resolves paths from this file
PAGES = ["overview", "coverage", "deadlines", "kommune", "leistung", "about"]
TITLES = {"overview": "Übersicht", "coverage": "Abdeckung", "deadlines": "Fristen", "kommune": "Kommune\\: Fulda",
          "leistung": "Leistung", "about": "Über / Datenquellen"}



def open_page(database, monkeypatch, page: str, **params: str) -> AppTest:
    """Run the app on `database`, switch to app_pages/<page>.py with URL parameters, return the AppTest."""
    monkeypatch.setenv("OZG_DB", database.url)
    at = AppTest.from_file(APP, default_timeout=120)
    for key, value in params.items():  # as if the link was opened in a new browser session
        at.query_params[key] = value
    at.run()
    if page != "overview":  # the default page
        at.switch_page(f"app_pages/{page}.py").run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def metrics(at: AppTest) -> list[tuple[str, str]]:
    return [(m.label, m.value) for m in at.metric]


def markdown(at: AppTest) -> str:
    """All markdown on the page, with ui.escape's backslashes removed."""
    return "\n".join(re.sub(r"\\(.)", r"\1", m.value) for m in at.markdown)


def card_values(at: AppTest, label: str) -> list[tuple[str, str]]:
    """(card heading, value of the row `label`) of every per-city card (dashboard/cards.py) on the page."""
    found = []
    for element in at.get("html"):
        for title, body in re.findall(r"<h3>(.*?)</h3><table>(.*?)</table>", element.value):
            value = re.search(rf'<th scope="row">{re.escape(label)}</th><td>([^<]*)', body)
            if value:
                found.append((html.unescape(title), value.group(1)))
    return found


def matrix_rows(at: AppTest) -> list[str]:
    """OZG-IDs of the rows of the Abdeckung matrix (dashboard/matrix.py) shown on the page."""
    return [oid for element in at.get("html") for oid in re.findall(r'<th scope="row"><a [^>]*>(\d+)</a>',
                                                                     element.value)]


captions = markdown  # explanations are markdown in normal text colour (ui.note), not grey st.caption


@pytest.mark.parametrize("page", PAGES)
def test_page_runs_on_sample_data_with_banner_and_counting_rule(sample_db, monkeypatch, page):
    at = open_page(sample_db, monkeypatch, page)
    assert at.title[0].value == TITLES[page]
    assert any(ui.SAMPLE_BANNER in w.value for w in at.warning)
    if page != "leistung":  # Leistung shows its numbers only once one is chosen (see below)
        assert counting_rule_text() in captions(at) + markdown(at)
        assert "Stand: 27.11.2026, letzte Meldung Fulda am 27.11.2026" in captions(at)


@pytest.mark.parametrize("page", PAGES)
def test_page_runs_on_empty_database_with_friendly_state(db, monkeypatch, page):
    at = open_page(db, monkeypatch, page)
    assert not at.warning  # no sample banner
    assert not at.error
    infos = " ".join(i.value for i in at.info)
    if page == "leistung":
        assert "Bitte oben eine Leistung wählen" in infos
    elif page != "deadlines":
        assert ui.EMPTY_HINT in infos
    if page not in ("leistung", "about"):
        assert "Stand: 27.11.2026, noch keine Meldung" in captions(at)


def test_overview_numbers_equal_the_query_module(sample_db, monkeypatch):
    at = open_page(sample_db, monkeypatch, "overview")
    group = cooperation_name()
    cov = queries.coverage_change(sample_db, group=group)
    total = queries.coverage_total(cov)
    shown = metrics(at)
    assert shown[:4] == [
        ("Online (Summe der Städte)", fmt.number(total["online"])),
        ("Anteil online", fmt.percent(total["share"])),
        ("Ende-zu-Ende", fmt.number(total["ende_zu_ende"])),
        ("Überfällig", fmt.number(total["overdue"])),
    ]
    assert at.metric[0].delta == f"{fmt.signed(int(cov['online_change'].sum())).replace('−', '-')} zum Vormonat"
    assert card_values(at, "Online") == [(n, fmt.number(v)) for n, v in zip(cov["name"], cov["online"], strict=True)]
    assert card_values(at, "Anteil") == [(n, fmt.percent(v)) for n, v in zip(cov["name"], cov["share"], strict=True)]
    assert total["online"] == 393  # sample data of 27.11.2026: 128 + 86 + 74 + 61 + 44


def test_overview_as_of_a_past_day_from_the_url(sample_db, monkeypatch):
    at = open_page(sample_db, monkeypatch, "overview", stand="2023-12-31")
    total = queries.coverage_total(queries.coverage(sample_db, as_of=dt.date(2023, 12, 31), group=cooperation_name()))
    assert at.metric[0].value == fmt.number(total["online"])
    assert total["online"] < 393
    assert "Stand: 31.12.2023" in captions(at)


def test_threshold_from_the_url_changes_rule_and_numbers(sample_db, monkeypatch):
    at = open_page(sample_db, monkeypatch, "overview", ab="4")
    total = queries.coverage_total(queries.coverage(sample_db, group=cooperation_name(), threshold=4))
    assert at.metric[0].value == fmt.number(total["online"])
    assert counting_rule_text(4) in captions(at)


def test_coverage_counts_filters_and_reuse_list(sample_db, monkeypatch):
    at = open_page(sample_db, monkeypatch, "coverage", themenfeld="Bildung")
    matrix = queries.coverage_matrix(sample_db, group=cooperation_name(), themenfeld=("Bildung",))
    reuse = queries.reuse_opportunities(sample_db, group=cooperation_name())
    reuse = reuse[reuse["ozg_id"].isin(set(matrix["ozg_id"]))]  # the reuse list follows the Themenfeld filter
    text = markdown(at)
    assert f"**{fmt.number(matrix['ozg_id'].nunique())} Leistungen**" in text
    assert f"**{fmt.leistungen(len(reuse))}** sind in mindestens einer Stadt online" in text
    table = at.dataframe[0].value
    assert len(table) == matrix["ozg_id"].nunique() == 27
    assert table["Details"].iloc[0].startswith("leistung?leistung=")
    assert sorted(matrix_rows(at)) == sorted(matrix["ozg_id"].unique())
    assert 0 < len(at.dataframe[1].value) == len(reuse) < len(queries.reuse_opportunities(sample_db,
                                                                                         group=cooperation_name()))


def test_coverage_only_reuse_rows(sample_db, monkeypatch):
    at = open_page(sample_db, monkeypatch, "coverage", themenfeld="Bildung")
    at.toggle(key="nachnutzung").set_value(True).run()
    reuse = queries.reuse_opportunities(sample_db, group=cooperation_name())
    bildung = queries.coverage_matrix(sample_db, group=cooperation_name(), themenfeld=("Bildung",))
    expected = sorted(set(reuse["ozg_id"]) & set(bildung["ozg_id"]))
    assert sorted(matrix_rows(at)) == expected and 0 < len(expected) < 27
    assert len(at.dataframe[1].value) == len(expected)


def test_coverage_matrix_is_paged_by_themenfeld(sample_db, monkeypatch):
    at = open_page(sample_db, monkeypatch, "coverage")
    first = matrix_rows(at)
    assert 0 < len(first) <= 60
    pages = at.selectbox(key="seite")
    assert len(pages.options) > 1
    pages.set_value(len(pages.options)).run()
    last = matrix_rows(at)
    assert last and not set(last) & set(first)


def test_coverage_search_without_hits_is_a_friendly_message(sample_db, monkeypatch):
    at = open_page(sample_db, monkeypatch, "coverage", suche="gibt es nicht :red[x]")
    assert any("Keine Leistungen für diese Filter" in i.value for i in at.info)


def test_deadlines_overdue_and_forecast_equal_the_query_module(sample_db, monkeypatch):
    at = open_page(sample_db, monkeypatch, "deadlines")
    group = cooperation_name()
    late = queries.overdue(sample_db, group=group)
    cov = queries.coverage(sample_db, group=group)
    assert f"**{fmt.number(len(late))} überfällige Leistungen** insgesamt" in markdown(at)
    assert card_values(at, "Überfällig") == [(n, fmt.number(v)) for n, v in zip(cov["name"], cov["overdue"],
                                                                                 strict=True)]
    deadlines = next(h.value for h in at.get("html") if 'class="ozg-fold"' in h.value)   # dashboard/fold_table.py
    header = re.findall(r'<th scope="col"[^>]*>([^<]*)</th>', deadlines)
    assert header == ["Fällig am", "Frist", "Art", "Gilt für", "Lage", "Quelle"]
    assert re.findall(r'<td class="ozg-nowrap">([^<]*)</td>', deadlines) == ["31.12.2022", "31.12.2025",
                                                                              "31.12.2027"]
    # on a phone the secondary columns are hidden and stand, labelled, under the Frist
    assert deadlines.count('<td class="ozg-secondary">') == 3 * 3
    first = re.search(r'<span class="ozg-folded">([^<]*)</span>', deadlines).group(1)
    assert first.startswith("Art: gesetzlich · Gilt für: alle Leistungen · Quelle: § 1 Abs. 1 Onlinezugangsgesetz")
    forecast = at.table[0].value
    expected = queries.forecast(sample_db, group=group)
    assert list(forecast["Online"]) == [fmt.number(v) for v in expected["online"]]
    assert "Annahme" in captions(at)
    assert len(at.dataframe[0].value) == len(late)


def test_kommune_from_the_url(sample_db, monkeypatch):
    at = open_page(sample_db, monkeypatch, "kommune", kommune="Gießen")
    row = queries.coverage(sample_db, group=cooperation_name()).set_index("name").loc["Gießen"]
    assert at.title[0].value == "Kommune\\: Gießen"  # escaped: names never render as markdown
    assert ("Leistungen online", fmt.number(row["online"])) in metrics(at)
    assert ("Überfällig", fmt.number(row["overdue"])) in metrics(at)
    assert len(at.dataframe[0].value) == 557


def test_leistung_status_and_history_from_the_url(sample_db, monkeypatch):
    at = open_page(sample_db, monkeypatch, "leistung", leistung="10022")
    cities = queries.leistung_status(sample_db, "10022", group=cooperation_name())
    history = queries.leistung_history(sample_db, "10022")
    online = int(cities["online"].sum())
    assert at.header[0].value.startswith("10022 – ")
    assert metrics(at)[0] == ("Städte online", f"{online} von 5")
    assert list(at.dataframe[0].value["Stadt"]) == list(cities["kommune"])
    assert len(at.dataframe[1].value) == len(history) > 0
    assert counting_rule_text() in captions(at)


def test_a_city_that_marked_a_leistung_nicht_relevant_is_not_counted_online_on_any_page(db, monkeypatch):
    # Marburg: Reifegrad 3 kept, but „nicht relevant“; Gießen: Reifegrad 2 — online nowhere, relevant in 4 of 5
    for ags, fields in (("06534014", {"reifegrad": 3, "status": "nicht relevant"}),
                        ("06531005", {"reifegrad": 2, "status": "Umsetzung"})):
        status.apply_updates(db, ags, [StatusUpdate("10002", fields)],
                             BatchInfo("status", "koordination", "status.xlsx", None, ags))
    at = open_page(db, monkeypatch, "leistung", leistung="10002")
    assert metrics(at)[0] == ("Städte online", "0 von 4")
    at = open_page(db, monkeypatch, "coverage", suche="10002")
    assert "**1 Leistung** · davon in mindestens einer Stadt online: **0**" in markdown(at)


def test_about_shows_attribution_lines(db, monkeypatch):
    at = open_page(db, monkeypatch, "about")
    texts = [t.value for t in at.text]
    assert ("OZG-Leistungen/LeiKa-Zuordnung: OZG-Umsetzungskatalog (BMI), Stand 10/2019, via "
            "kdn-nrw/OZG-Datenbank-NRW (MIT).") in texts
    assert any(t.startswith("© Statistisches Bundesamt (Destatis)") for t in texts)


def test_stand_typed_as_german_date_applies_and_wrong_input_is_named(sample_db, monkeypatch):
    at = open_page(sample_db, monkeypatch, "overview")
    at.text_input(key="stand").set_value("31.12.2023").run()
    total = queries.coverage_total(queries.coverage(sample_db, as_of=dt.date(2023, 12, 31), group=cooperation_name()))
    assert at.metric[0].value == fmt.number(total["online"])
    assert "Stand: 31.12.2023" in captions(at)
    at.text_input(key="stand").set_value("32.13.2023").run()
    assert any("„32.13.2023“ ist kein Datum" in e.value for e in at.error)
    assert "Stand: 27.11.2026" in captions(at)
    at.text_input(key="stand").set_value("01.01.2030").run()
    assert any("liegt in der Zukunft" in e.value for e in at.error)


def test_invalid_link_values_are_reported(sample_db, monkeypatch):
    at = open_page(sample_db, monkeypatch, "kommune", kommune="Kassel")
    assert any("„Kassel“" in w.value and "nicht übernommen" in w.value for w in at.warning)
    assert at.title[0].value == "Kommune\\: Fulda"  # the first city is shown instead (titles are escaped markdown)


def test_kommune_freshness_names_the_selected_city(sample_db, monkeypatch):
    at = open_page(sample_db, monkeypatch, "kommune", kommune="Wetzlar")
    reports = queries.last_reports(sample_db, group=cooperation_name()).set_index("name")
    line = next(c for c in captions(at).splitlines() if c.startswith("Stand: "))
    assert f"letzte Meldung Wetzlar am {fmt.date(reports.loc['Wetzlar', 'last_report'])}" in line
    assert "Gießen" not in line and "älteste" not in line


def link_warnings(at: AppTest) -> list[str]:
    """The warnings about values of the link that were not taken over (state.report_invalid)."""
    return [w.value for w in at.warning if "nicht übernommen" in w.value]


def test_berichte_cities_from_the_link_and_choosing_updates_the_link(sample_db, monkeypatch):
    at = open_page(sample_db, monkeypatch, "reports", kommunen=["Gießen", "Fulda"])
    labels = {row.ags: row.name for row in queries.kommunen(sample_db, group=cooperation_name()).itertuples()}
    chosen = at.multiselect(key="bericht_kommunen")
    assert [labels[a] for a in chosen.value] == ["Gießen", "Fulda"]
    assert not link_warnings(at)
    wetzlar = next(a for a, n in labels.items() if n == "Wetzlar")
    chosen.set_value([*chosen.value, wetzlar]).run()
    assert at.query_params["kommunen"] == ["Gießen", "Fulda", "Wetzlar"]
    at.multiselect(key="bericht_kommunen").set_value(list(labels)).run()   # all = the default: a clean link
    assert "kommunen" not in at.query_params


def test_berichte_without_cities_in_the_link_chooses_all_and_names_unknown_ones(sample_db, monkeypatch):
    at = open_page(sample_db, monkeypatch, "reports")
    assert len(at.multiselect(key="bericht_kommunen").value) == 5 and not link_warnings(at)
    at = open_page(sample_db, monkeypatch, "reports", kommunen=["Kassel", "Marburg"])
    assert any("„Kassel“" in w and "Kommunen" in w for w in link_warnings(at))
    assert not any("Marburg" in w for w in link_warnings(at))
    labels = {row.ags: row.name for row in queries.kommunen(sample_db, group=cooperation_name()).itertuples()}
    assert [labels[a] for a in at.multiselect(key="bericht_kommunen").value] == ["Marburg"]


def test_berichte_for_one_city_from_the_link_says_1_kommune(sample_db, monkeypatch):
    at = open_page(sample_db, monkeypatch, "reports", kommunen="Gießen")
    at.button[0].click().run()
    assert not at.exception
    assert [s.value for s in at.success] == ["Bericht für 1 Kommune, Stand 27.11.2026, ist bereit."]


@pytest.mark.parametrize(("stand", "lage"), [("30.12.2025", "in 1 Tag"), ("31.12.2025", "heute fällig"),
                                             ("01.01.2026", "verstrichen seit 1 Tag"),
                                             ("02.01.2026", "verstrichen seit 2 Tagen")])
def test_deadline_lage_in_german_singular_and_plural(sample_db, monkeypatch, stand, lage):
    at = open_page(sample_db, monkeypatch, "deadlines")
    at.text_input(key="stand").set_value(stand).run()
    deadlines = next(h.value for h in at.get("html") if 'class="ozg-fold"' in h.value)
    row = next(r for r in re.findall(r"<tr>(.*?)</tr>", deadlines) if "31.12.2025" in r)
    assert f"<td>{lage}</td>" in row
