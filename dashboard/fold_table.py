"""A small table as real HTML that fits a phone: below 640 px its secondary columns fold into one cell.

st.table draws every column at every width; a six-column table is wider than a 390 px screen and scrolls sideways
inside Streamlit's wrapper, which keyboard users cannot reach (axe: scrollable-region-focusable). Here the columns
not in `keep` are hidden on a phone and their values stand, labelled, in a small line of the `fold_into` cell, so
the phone shows every value without sideways scrolling. On a laptop it is an ordinary table with column headers.
Values are escaped. No Streamlit here.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence

import pandas as pd

from ozg import fmt

CSS = """
<style>
.ozg-fold { border-collapse: collapse; width: 100%; font-size: 0.95rem; margin-bottom: 1rem; }
.ozg-fold th, .ozg-fold td { border-bottom: 1px solid #d0d0d0; padding: 0.35rem 0.5rem; text-align: left;
  vertical-align: top; overflow-wrap: break-word; }
.ozg-fold thead th { border-bottom: 2px solid #8a8a8a; font-weight: 600; }
.ozg-fold .ozg-right { text-align: right; }
.ozg-fold .ozg-nowrap { white-space: nowrap; }
.ozg-fold .ozg-folded { display: none; }
@media (max-width: 640px) {
  .ozg-fold .ozg-secondary { display: none; }
  .ozg-fold .ozg-folded { display: block; font-size: 0.85rem; color: #3d3d3d; margin-top: 0.2rem; }
}
</style>
"""


def _text(value: object) -> str:
    return "" if fmt.missing(value) else str(value)


def fold_table(frame: pd.DataFrame, keep: Sequence[str], fold_into: str, right: Iterable[str] = (),
               nowrap: Iterable[str] = ()) -> str:
    """HTML of `frame` (display columns, German text): on a phone only `keep`, the rest folded into `fold_into`."""
    if fold_into not in keep or not set(keep) <= set(frame.columns):
        raise ValueError(f"fold_table: {fold_into!r} and {list(keep)} must be columns of the frame, {fold_into!r} kept")
    right, nowrap = set(right), set(nowrap)
    secondary = [c for c in frame.columns if c not in keep]

    def cls(column: str) -> str:
        names = [n for n, on in (("ozg-secondary", column in secondary), ("ozg-right", column in right),
                                 ("ozg-nowrap", column in nowrap)) if on]
        return f' class="{" ".join(names)}"' if names else ""

    head = "".join(f'<th scope="col"{cls(c)}>{html.escape(c)}</th>' for c in frame.columns)
    rows = []
    for _, row in frame.iterrows():
        cells = []
        for c in frame.columns:
            text = html.escape(_text(row[c]))
            if c == fold_into and secondary:
                folded = " · ".join(f"{html.escape(s)}: {html.escape(_text(row[s]))}" for s in secondary
                                    if _text(row[s]))
                text += f'<span class="ozg-folded">{folded}</span>' if folded else ""
            cells.append(f"<td{cls(c)}>{text}</td>")
        rows.append(f"<tr>{''.join(cells)}</tr>")
    return f'{CSS}<table class="ozg-fold"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'
