"""Compact per-city cards (HTML): one small table per city, several side by side, two per row on a phone.

Replaces four st.metric tiles per city (a 5,900 px scroll at 390 px). A CSS grid puts as many cards in a row as
fit; each card is a real <table> (label, value) for screen readers. No Streamlit here.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

CSS = """
<style>
.ozg-cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(10.5rem, 1fr)); gap: 0.6rem; }
.ozg-card { border: 1px solid #d0d0d0; border-radius: 0.5rem; padding: 0.5rem 0.7rem; }
.ozg-card h3 { font-size: 1.05rem; margin: 0 0 0.3rem 0; padding: 0; line-height: 1.3; }
.ozg-card table { border-collapse: collapse; width: 100%; font-size: 0.95rem; }
.ozg-card th { text-align: left; font-weight: 400; padding: 0.1rem 0.4rem 0.1rem 0; }
.ozg-card td { text-align: right; font-weight: 600; padding: 0.1rem 0; white-space: nowrap; }
.ozg-card .ozg-delta { display: block; font-weight: 400; font-size: 0.8rem; color: #3d3d3d; }
@media (max-width: 640px) {
  .ozg-cards { grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 0.4rem; }
  .ozg-card { padding: 0.35rem 0.45rem; }
  .ozg-card table { font-size: 0.88rem; }
}
</style>
"""


def card(title: str, rows: Sequence[tuple[str, str, str]]) -> str:
    """One card: heading and (label, value, small note under the value) rows."""
    body = "".join(
        f'<tr><th scope="row">{html.escape(label)}</th><td>{html.escape(value)}'
        + (f'<span class="ozg-delta">{html.escape(extra)}</span>' if extra else "") + "</td></tr>"
        for label, value, extra in rows)
    return f'<div class="ozg-card"><h3>{html.escape(title)}</h3><table>{body}</table></div>'


def cards(items: Sequence[str]) -> str:
    return f'{CSS}<div class="ozg-cards">{"".join(items)}</div>'
