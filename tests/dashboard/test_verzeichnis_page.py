"""AppTest of the page „Verzeichnis“ and of the broken-Link box on „Kommune“ and „Meldung“ (sample database)."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from ozg import clock, link_store, links, queries, users
from tests.ozg.auth_support import OPERATOR, PASSWORD

APP = "../../dashboard/app.py"
FULDA = "06631009"


@pytest.fixture
def app_db(sample_db, tmp_path, monkeypatch):
    """Sample data; Fulda's first Link found broken (HTTP 404) by a link check; a coordinator for Fulda."""
    monkeypatch.setenv("OZG_DB", sample_db.url)
    monkeypatch.setenv("OZG_USERS", str(tmp_path / "users.toml"))
    users.add_user(sample_db, OPERATOR, "fulda", "coordinator", ["Fulda"], password=PASSWORD)
    target = links.targets(sample_db, FULDA).iloc[0]
    now = clock.now()
    link_store.record_run(sample_db, [link_store.LinkResult(FULDA, target.ozg_id, target.url, 404, "HTTP 404", None,
                                                            now)], FULDA, now)
    return sample_db, target


def start(page: str, user: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    if user:
        at.session_state["ozg_user_name"] = user
    at.query_params["kommune"] = FULDA
    at.run()
    at.switch_page(f"app_pages/{page}.py").run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def test_page_shows_the_online_list_counts_and_offers_the_zip(app_db):
    db, target = app_db
    at = start("verzeichnis")
    assert at.title[0].value == "Verzeichnis\\: Fulda"  # titles are escaped markdown
    coverage = queries.coverage(db).set_index("ags").loc[FULDA]  # the cockpit's own count of the same rule
    values = {m.label: m.value for m in at.metric}
    assert values["Leistungen im Verzeichnis"] == str(int(coverage["online"]))
    assert values["vorübergehend nicht erreichbar"] == "1"
    html = "\n".join(h.proto.body for h in at.get("html"))
    assert html.count('class="ozgv-eintrag"') == int(coverage["online"])
    assert "Online-Dienst vorübergehend nicht erreichbar" in html and target.url not in html
    button = at.get("download_button")[0]
    assert "ZIP" in button.proto.label
    assert any("1 Link ist laut letzter Linkprüfung nicht erreichbar" in w.value for w in at.warning)


@pytest.mark.parametrize(("page", "user"), [("kommune", None), ("meldung", "fulda")])
def test_coordinator_sees_the_broken_link_on_kommune_and_meldung(app_db, page, user):
    _, target = app_db
    at = start(page, user)
    warning = next(w for w in at.warning if "1 Link ist laut letzter Linkprüfung nicht erreichbar" in w.value)
    assert warning.icon == ":material/link_off:"  # not an emoji: that needs an emoji font
    rows = at.table[0].value
    assert rows.values.tolist()[0][:4] == [target.ozg_id, target.leistung, "HTTP 404", target.url]
