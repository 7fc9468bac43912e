"""Shared page furniture: header with sample-data banner, data freshness and counting rule; KPI tiles; tables.

Every page that shows numbers starts with `header(...)`, so the counting rule and the freshness ("Stand: …,
letzte Meldung …") are never missing. Text that comes from data (names, remarks) is shown with st.text,
st.dataframe or escaped, because st.markdown would render `:red[…]` and `$…$` in it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import pandas as pd
import streamlit as st

from dashboard.data import load
from dashboard.state import View
from ozg import fmt, queries
from ozg.domain import counting_rule_text

SAMPLE_BANNER = "Beispieldaten – alle Statuswerte sind erfunden"
EMPTY_HINT = ("Noch keine Statusmeldungen erfasst. Sobald eine Stadt ihre Statusdatei auf der Seite „Meldung“ "
              "hochlädt (oder per `python -m loaders status`), erscheinen hier Zahlen.")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|:$<>~])")


def escape(text: object) -> str:
    """Text safe to put into st.markdown: markdown, directives (:red[…]) and LaTeX ($…$) are neutralised."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(text))


def freshness_text(reports: pd.DataFrame, day) -> str:
    """'Stand: 27.11.2026, letzte Meldung Gießen am 27.11.2026 (älteste: Fulda am 22.11.2026)'."""
    head = f"Stand: {fmt.date(day)}"
    known = reports.dropna(subset=["last_report"]).sort_values(["last_report", "name"], ascending=[False, True])
    if known.empty:
        return f"{head}, noch keine Meldung"
    newest, oldest = known.iloc[0], known.iloc[-1]
    text = f"{head}, letzte Meldung {newest['name']} am {fmt.date(newest['last_report'])}"
    missing = len(reports) - len(known)
    if len(known) > 1 and oldest["last_report"].date() != newest["last_report"].date():
        text += f" (älteste: {oldest['name']} am {fmt.date(oldest['last_report'])})"
    if missing:
        text += f"; {fmt.number(missing)} ohne Meldung"
    return text


def sample_banner() -> bool:
    """Show the sample-data warning when the database holds invented status; True if shown."""
    if load(queries.is_sample):
        st.warning(f"**{SAMPLE_BANNER}.** Sie dienen nur zur Vorführung des Cockpits.", icon=":material/warning:")
        return True
    return False


def header(title: str, view: View, intro: str | None = None, level: int = 1, banner: bool = True,
           ags: str | None = None) -> None:
    """Page title (h1, or h2 below a page's own title), sample banner, freshness and counting rule.

    `ags`: a page about one Kommune names only that Kommune's last report.
    """
    (st.title if level == 1 else st.header)(escape(title))  # titles carry catalogue and city names
    if intro:
        note(intro)
    if banner:
        sample_banner()
    reports = load(queries.last_reports, as_of=view.as_of, group=view.group)
    if ags is not None and "ags" in reports.columns:
        reports = reports[reports["ags"] == ags]
    note(f"{freshness_text(reports, view.day)} · {counting_rule_text(view.threshold)}")


def note(text: str) -> None:
    """A line of explanation in normal text colour, escaped.

    Not st.caption: its grey (#828180 on white, 3.9:1) fails WCAG 2.1 AA contrast (4.5:1), and the freshness
    and counting-rule lines are information, not decoration.
    """
    st.markdown(escape(text))


def counting_rule_caption(view: View) -> None:
    note(counting_rule_text(view.threshold))


# Below 640 px Streamlit stacks columns one per screen row (four KPI tiles = a screen of scrolling): in a row made
# by kpi_columns they stay two per row, as smaller tiles. Scoped to the container's key class, so no other columns
# change; at laptop width Streamlit's own layout (all tiles side by side) applies.
_KPI_ROW_CSS = """<style>
@media (max-width: 640px) {
  .st-key-KEY [data-testid="stHorizontalBlock"] { gap: 0.5rem; }
  .st-key-KEY [data-testid="stColumn"] { min-width: calc(50% - 0.25rem) !important;
                                          flex: 1 1 calc(50% - 0.25rem) !important; }
  .st-key-KEY [data-testid="stMetric"] { padding: 0; }
  .st-key-KEY [data-testid="stMetric"] > div { padding: 0.5rem 0.6rem; }
  .st-key-KEY [data-testid="stMetricValue"] { font-size: 1.6rem; }
  .st-key-KEY [data-testid="stMetricLabel"] p { font-size: 0.85rem; }
  /* labels and the change line wrap instead of ending in "…" */
  .st-key-KEY [data-testid="stMetricLabel"] .stMarkdownEllipsis,
  .st-key-KEY [data-testid="stMetricDelta"] .stMarkdownEllipsis { white-space: normal; text-overflow: clip; }
  .st-key-KEY [data-testid="stMetricLabel"] p, .st-key-KEY [data-testid="stMetricDelta"] p { white-space: normal; }
}
</style>"""


def kpi_columns(count: int, key: str) -> list:
    """`count` columns for KPI tiles that stay side by side on a laptop and two per row on a phone."""
    box = st.container(key=key)
    box.html(_KPI_ROW_CSS.replace("KEY", key))  # only <style>: Streamlit gives it no space on the page
    return box.columns(count)


def kpi(label: str, value: str, change: int | None = None, help: str | None = None,
        more_is_better: bool = True, suffix: str = " zum Vormonat") -> None:
    """A bordered KPI tile; `change` is shown with a real sign and coloured only when it is not zero."""
    if change is None:
        st.metric(label, value, help=help, border=True)
        return
    # st.metric reads the direction from a leading ASCII '-'; fmt.signed uses the typographic minus.
    delta = fmt.signed(change).replace("−", "-") + suffix
    if change == 0:
        st.metric(label, value, delta, help=help, border=True, delta_color="off", delta_arrow="off")
    else:
        st.metric(label, value, delta, help=help, border=True,
                  delta_color="normal" if more_is_better else "inverse")


def german_table(frame: pd.DataFrame, columns: dict[str, str], dates: Iterable[str] = (),
                 numbers: Iterable[str] = (), booleans: Iterable[str] = (), percents: Iterable[str] = ()
                 ) -> pd.DataFrame:
    """Select and rename columns for display; dates, numbers, ja/nein and percentages as German text."""
    out = frame[list(columns)].copy()
    for col in dates:
        out[col] = out[col].map(lambda v: fmt.date(v, missing=""))
    for col in numbers:
        out[col] = out[col].map(lambda v: fmt.number(v, missing=""))
    for col in booleans:
        out[col] = out[col].map(fmt.yes_no)
    for col in percents:
        out[col] = out[col].map(fmt.percent)
    out = out.astype(object).where(out.notna(), "")
    return out.rename(columns=columns)


def table(frame: pd.DataFrame, **kwargs) -> None:
    """st.dataframe without the index, full width (the usual way pages show a table)."""
    st.dataframe(frame, hide_index=True, width="stretch", **kwargs)


def static_table(frame: pd.DataFrame) -> None:
    """A small table as real HTML (read by screen readers and visible in print), for a handful of rows."""
    st.table(frame, hide_index=True)


def chart(fig, alt: str, key: str | None = None) -> None:
    """A plotly figure, full width, with a text alternative for screen readers and without the mode bar.

    theme=None keeps our own colour-blind-safe colours and projector font sizes (Streamlit's theme would replace
    them); the same numbers are always in a table on the page as well.
    """
    st.plotly_chart(fig, width="stretch", theme=None, config={"displayModeBar": False}, key=key, alt=alt)


def attribution_lines(text: str) -> list[str]:
    """The attribution lines of PROVENANCE.md's "Sources and licences" section.

    A bullet names its line explicitly ("Attribution line: `…`"); otherwise its © notice is the line.
    """
    section = text.split("## Sources and licences", 1)[-1].split("\n## ", 1)[0]
    lines = []
    for bullet in re.split(r"\n- ", "\n" + section.strip()):
        flat = " ".join(bullet.split())
        explicit = re.search(r"Attribution line:\s*`([^`]+)`", flat)
        if explicit:
            lines.append(explicit.group(1))
        elif "©" in flat:
            # drop a trailing English remark in parentheses: "… Version 2.0 (population: …)."
            notice = re.sub(r"\s*\([^()]*\)\.?$", "", flat[flat.index("©"):])
            lines.append(notice.rstrip(".") + ".")
    return lines
