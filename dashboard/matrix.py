"""The Abdeckung matrix as an HTML table: Leistungen × Städte, grouped by Themenfeld, paged, readable at 390 px.

Why HTML and not a plotly heatmap: 60–557 rows × 5–10 cities need row labels that wrap, city names that stay
horizontal (abbreviated on a phone by a CSS media query), group headings per Themenfeld and a hover text per
cell — and a screen reader reads a real <table> (headers per row and column), which it cannot do with a canvas.

Each cell: colour = Reifegrad (ozg/palette.py, shared with the PDF) and a short symbol that fits the cell
(the digit; „–“ keine Angabe; „n. r.“ nicht relevant); its `title` (hover) names city, Reifegrad and Status.
No Streamlit here: the page puts the string into st.html.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import pandas as pd

from ozg import palette
from ozg.domain import REIFEGRAD_LABELS_11

PAGE_ROWS = 60  # rows per page; a page holds whole Themenfelder where they fit
SHORT_NAME = 3  # letters of a city's name in the phone header („Gie“), the full name is its tooltip

CSS = """
<style>
.ozg-matrix-wrap { width: 100%; }
table.ozg-matrix { border-collapse: separate; border-spacing: 2px; width: 100%; table-layout: fixed;
  font-size: 0.95rem; }
table.ozg-matrix caption { text-align: left; caption-side: top; padding-bottom: 0.3rem; }
table.ozg-matrix th, table.ozg-matrix td { padding: 0.15rem 0.3rem; overflow-wrap: anywhere; }
table.ozg-matrix thead th { position: sticky; top: 0; background: #ffffff; font-weight: 600; text-align: center;
  vertical-align: bottom; hyphens: auto; }
table.ozg-matrix thead th.ozg-leistung { text-align: left; width: 42%; }
table.ozg-matrix th[scope=row] { text-align: left; font-weight: 400; }
table.ozg-matrix th[scope=row] a { color: #0b5394; }
table.ozg-matrix tr.ozg-group th { text-align: left; font-weight: 600; padding-top: 0.6rem;
  border-bottom: 1px solid #bfbfbf; }
table.ozg-matrix td { text-align: center; font-weight: 600; border: 1px solid #bfbfbf; border-radius: 3px;
  white-space: nowrap; }
table.ozg-matrix .ozg-short { display: none; }
@media (max-width: 640px) {
  table.ozg-matrix { font-size: 0.85rem; border-spacing: 1px; }
  table.ozg-matrix thead th.ozg-leistung { width: 46%; }
  table.ozg-matrix th, table.ozg-matrix td { padding: 0.15rem 0.1rem; }
  table.ozg-matrix .ozg-long { display: none; }
  table.ozg-matrix .ozg-short { display: inline; }
  table.ozg-matrix td.ozg-nr { font-size: 0.7rem; }
}
</style>
"""


@dataclass(frozen=True)
class Page:
    """One page of the matrix: its row keys (in order) and a label naming its Themenfelder."""

    rows: list[str]
    label: str


def level_text(level: str) -> str:
    """'3' -> '3 – Online-Leistung', 'keine Angabe', 'nicht relevant'."""
    if level in (palette.NO_VALUE, palette.NOT_RELEVANT):
        return level
    return REIFEGRAD_LABELS_11.get(int(level), f"Reifegrad {level}") if level.isdigit() else level


def pages(order: list[str], themen: dict[str, str], page_rows: int = PAGE_ROWS) -> list[Page]:
    """Rows grouped by Themenfeld (groups in alphabetical order, rows in `order` inside a group), cut into pages of
    about `page_rows`: a group that still fits joins the page, a larger one is split across pages."""
    groups: dict[str, list[str]] = {}
    for row in order:
        groups.setdefault(themen.get(row) or "ohne Themenfeld", []).append(row)
    result: list[Page] = []
    current: list[str] = []
    names: list[str] = []

    def close() -> None:
        if current:
            label = names[0] if len(names) == 1 else f"{names[0]} – {names[-1]}"
            result.append(Page(list(current), label))
            current.clear()
            names.clear()

    for name in sorted(groups):
        rows = groups[name]
        if current and len(current) + len(rows) > page_rows:
            close()
        while len(rows) > page_rows:
            current.extend(rows[:page_rows])
            names.append(name)
            close()
            rows = rows[page_rows:]
        current.extend(rows)
        names.append(name)
    close()
    return result


def _cell(city: str, level: str, label: str) -> str:
    fill, ink = palette.reifegrad_fill(level), palette.reifegrad_text(level)
    status = label.split(" · ", 1)[1] if " · " in label else ""
    hover = f"{city}: {level_text(level)}" + (f" · {status}" if status and status != "–" else "")
    css = ' class="ozg-nr"' if level == palette.NOT_RELEVANT else ""
    return (f'<td{css} style="background-color:{fill};color:{ink}" title="{html.escape(hover)}">'
            f'<span aria-hidden="true">{html.escape(palette.reifegrad_symbol(level))}</span>'
            f'<span class="ozg-sr" style="position:absolute;width:1px;height:1px;overflow:hidden;'
            f'clip:rect(0 0 0 0)">{html.escape(hover)}</span></td>')


def _city_header(city: str) -> str:
    name = html.escape(city)
    short = html.escape(city[:SHORT_NAME])
    return (f'<th scope="col" title="{name}"><span class="ozg-long">{name}</span>'
            f'<abbr class="ozg-short" title="{name}">{short}</abbr></th>')


def matrix_html(levels: pd.DataFrame, labels: pd.DataFrame, rows: list[str], themen: dict[str, str],
                caption: str, link: str = "leistung?leistung=") -> str:
    """The table of `rows` (keys of `levels`, 'OZG-ID Name'), with a heading row whenever the Themenfeld changes."""
    cities = list(levels.columns)
    head = "".join(_city_header(c) for c in cities)
    body: list[str] = []
    group = None
    for row in rows:
        theme = themen.get(row) or "ohne Themenfeld"
        if theme != group:
            group = theme
            body.append(f'<tr class="ozg-group"><th colspan="{len(cities) + 1}" scope="rowgroup">'
                        f'{html.escape(theme)}</th></tr>')
        ozg_id, _, name = row.partition(" ")
        cells = "".join(_cell(c, str(levels.at[row, c]), str(labels.at[row, c])) for c in cities)
        body.append(f'<tr><th scope="row"><a href="{html.escape(link + ozg_id)}" target="_self">'
                    f'{html.escape(ozg_id)}</a> {html.escape(name)}</th>{cells}</tr>')
    return (f'{CSS}<div class="ozg-matrix-wrap"><table class="ozg-matrix"><caption>{html.escape(caption)}</caption>'
            f'<thead><tr><th scope="col" class="ozg-leistung">Leistung</th>{head}</tr></thead>'
            f'<tbody>{"".join(body)}</tbody></table></div>')


def legend_html() -> str:
    """The colour key as one line of swatches with their symbol and meaning."""
    items = [str(level) for level in range(5)] + [palette.NO_VALUE, palette.NOT_RELEVANT]
    spans = "".join(
        f'<span style="display:inline-block;margin:0 0.8rem 0.3rem 0;white-space:nowrap">'
        f'<span style="display:inline-block;min-width:1.6rem;text-align:center;font-weight:600;'
        f'border:1px solid #bfbfbf;border-radius:3px;background-color:{palette.reifegrad_fill(k)};'
        f'color:{palette.reifegrad_text(k)}">{html.escape(palette.reifegrad_symbol(k))}</span> '
        f'{html.escape(level_text(k))}</span>' for k in items)
    return f'<div class="ozg-matrix-legend" style="line-height:1.8">{spans}</div>'
