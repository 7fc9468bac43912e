"""The problems of a checked upload as a real HTML table whose messages wrap, readable on a laptop and a phone.

st.dataframe draws on a canvas and cuts a long message („Meldung“) at the column edge; this table wraps it. On a
laptop: Art | Blatt | Zeile | Spalte | Wert | Meldung. Below 640 px the place columns are hidden and the same place
stands in one line above the message, so nothing scrolls sideways. A problem of the whole file has no row: its
Zeile cell shows „–“. Every value is escaped (they come from the uploaded file). No Streamlit here.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import pandas as pd

from ozg import fmt

MAX_ROWS = 200   # more problems: the first ones here, all of them in the downloadable check report
NONE = "–"       # a place the problem does not have (the whole file, no column)
PLACE_COLUMNS = ("Blatt", "Zeile", "Spalte", "Wert")

CSS = """
<style>
.ozg-problems { border-collapse: collapse; width: 100%; font-size: 0.95rem; }
.ozg-problems th, .ozg-problems td { border-bottom: 1px solid #d0d0d0; padding: 0.3rem 0.5rem; text-align: left;
  vertical-align: top; }
.ozg-problems thead th { border-bottom: 2px solid #8a8a8a; font-weight: 600; }
.ozg-problems td { overflow-wrap: break-word; }  /* a long link breaks; short words never */
.ozg-problems td.ozg-num { text-align: right; }
.ozg-problems td.ozg-nowrap { white-space: nowrap; }
.ozg-problems .ozg-place { display: none; }
@media (max-width: 640px) {
  .ozg-problems .ozg-col-place { display: none; }
  .ozg-problems .ozg-place { display: block; font-size: 0.85rem; color: #3d3d3d; margin-bottom: 0.15rem; }
}
</style>
"""


def _text(value: object) -> str:
    if fmt.missing(value) or str(value) == "":
        return NONE
    return str(value)


def _place(row: pd.Series) -> str:
    """'Blatt Status · Zeile 3 · Spalte Link · Wert „ftp://…“' (only the parts the problem has), or 'ganze Datei'."""
    parts = [f"{label} {_text(row[label])}" for label in ("Blatt", "Zeile", "Spalte") if _text(row[label]) != NONE]
    if _text(row["Wert"]) != NONE:
        parts.append(f"Wert „{row['Wert']}“")
    if _text(row["Zeile"]) == NONE:
        parts.insert(0, "ganze Datei")
    return " · ".join(parts)


def problem_frame(problems) -> pd.DataFrame:
    """Problems (loaders.problems.Problem) as the rows the table shows (and the check report repeats)."""
    rows = [{"Art": p.severity, "Blatt": p.sheet or "", "Zeile": p.row, "Spalte": p.column or "",
             "Wert": p.value or "", "Meldung": p.message} for p in problems]
    frame = pd.DataFrame(rows, columns=["Art", "Blatt", "Zeile", "Spalte", "Wert", "Meldung"])
    frame["Zeile"] = frame["Zeile"].astype("Int64")
    return frame


def problem_table(frame: pd.DataFrame, columns: Sequence[str] | None = None) -> str:
    """HTML of `frame` (problem_frame rows), the first MAX_ROWS rows; `columns` a selection of them."""
    columns = list(columns or frame.columns)
    head = "".join(f'<th scope="col"{_class(c)}>{html.escape(c)}</th>' for c in columns)
    body = []
    for _, row in frame.head(MAX_ROWS).iterrows():
        cells = []
        for c in columns:
            if c == "Meldung":
                place = f'<span class="ozg-place">{html.escape(_place(row))}</span>' \
                    if any(p in columns for p in PLACE_COLUMNS) else ""
                cells.append(f"<td>{place}{html.escape(_text(row[c]))}</td>")
            else:
                cls = _class(c, " ozg-num ozg-nowrap" if c == "Zeile" else " ozg-nowrap" if c == "Art" else "")
                cells.append(f"<td{cls}>{html.escape(_text(row[c]))}</td>")
        body.append(f"<tr>{''.join(cells)}</tr>")
    more = ""
    if len(frame) > MAX_ROWS:
        more = (f"<p>Gezeigt sind die ersten {fmt.number(MAX_ROWS)} von {fmt.number(len(frame))} Meldungen; alle "
                "stehen im Prüfbericht (.xlsx).</p>")
    table = f'<table class="ozg-problems"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'
    return f"{CSS}{table}{more}"


def _class(column: str, extra: str = "") -> str:
    names = ("ozg-col-place" if column in PLACE_COLUMNS else "") + extra
    return f' class="{names.strip()}"' if names.strip() else ""
