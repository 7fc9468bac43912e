"""Charts of the ministry report as SVG text (hand-built): vector, offline, no browser, milliseconds per chart.

Each builder returns a Chart: the SVG markup, the alternative text that states the numbers the chart shows (a
screen reader reads it as the figure's /Alt in the PDF) and the legend entries, which the page template lays out
as wrapping HTML so a legend never runs past the margin. Colour never carries meaning alone: bars carry their
counts, lines differ by dash pattern as well, and the same figures stand in the tables and the alt text.
Why not plotly + kaleido: every export starts a Chromium (seconds per report, a heavy cron dependency).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

import pandas as pd

from ozg import fmt
from ozg.domain import REIFEGRAD_LABELS_11
from reports.pdf_colours import CITY_COLOURS, CITY_DASHES, NO_VALUE, REIFEGRAD_COLOURS, REIFEGRAD_TEXT

WIDTH = 680          # viewBox units; the image is scaled to the text width (170 mm), so 4 units ≈ 1 mm
FONT = "DejaVu Sans"
TEXT = "#1a1a1a"
GRID = "#bfbfbf"


@dataclass(frozen=True)
class LegendEntry:
    label: str
    colour: str
    dash: str = ""       # "" a filled box (bars), otherwise the CSS border style of a line sample


@dataclass(frozen=True)
class Chart:
    svg: str
    alt: str
    legend: list[LegendEntry]


def level_label(level: str) -> str:
    """'3' -> '3 – Online-Leistung' (model 1.1); 'keine Angabe' stays."""
    if level == NO_VALUE:
        return level
    return REIFEGRAD_LABELS_11.get(int(level), f"Reifegrad {level}")


def _levels(values: pd.Series) -> list[str]:
    numeric = sorted({v for v in values if v != NO_VALUE}, key=int)
    return numeric + ([NO_VALUE] if NO_VALUE in set(values) else [])


def nice_ticks(top: float, count: int = 5) -> list[int]:
    """Round axis steps from 0 to at least `top`: 0, 50, 100, … (1-2-5 steps)."""
    if top <= 0:
        return [0, 1]
    raw = top / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    return [int(i * step) for i in range(int(math.ceil(top / step)) + 1)]


def _text(x: float, y: float, content: str, size: float = 11, anchor: str = "start", fill: str = TEXT,
          weight: str = "normal") -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" fill="{fill}" '
            f'font-weight="{weight}">{escape(content)}</text>')


def _svg(height: float, body: list[str], title: str) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height:.0f}" '
            f'width="{WIDTH}" height="{height:.0f}" font-family={quoteattr(FONT)} role="img">'
            f"<title>{escape(title)}</title>{''.join(body)}</svg>")


def reifegrad_chart(dist: pd.DataFrame, threshold: int) -> Chart:
    """Stacked horizontal bars: relevant Leistungen per Kommune by Reifegrad (columns name, reifegrad, leistungen)."""
    names = list(dict.fromkeys(dist["name"]))
    levels = _levels(dist["reifegrad"])
    counts = dist.pivot_table(index="name", columns="reifegrad", values="leistungen", aggfunc="sum", fill_value=0)
    left, right, top, bar_h, gap = 150, 40, 10, 24, 10
    plot_w = WIDTH - left - right
    totals = {n: int(counts.loc[n].sum()) for n in names}
    ticks = nice_ticks(max(totals.values(), default=0))
    scale = plot_w / ticks[-1]
    height = top + len(names) * (bar_h + gap) + 30
    body: list[str] = []
    axis_y = top + len(names) * (bar_h + gap)
    for t in ticks:
        x = left + t * scale
        body.append(f'<line x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" y2="{axis_y}" stroke="{GRID}" '
                    'stroke-width="0.6"/>')
        body.append(_text(x, axis_y + 16, fmt.number(t), size=10, anchor="middle"))
    for i, name in enumerate(names):
        y = top + i * (bar_h + gap)
        body.append(_text(left - 8, y + bar_h / 2 + 4, name, anchor="end"))
        x = left
        for level in levels:
            n = int(counts.at[name, level]) if level in counts.columns else 0
            if not n:
                continue
            w = n * scale
            body.append(f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{bar_h}" '
                        f'fill="{REIFEGRAD_COLOURS.get(level, GRID)}" stroke="#ffffff" stroke-width="1"/>')
            if w >= 8 * len(str(n)) + 6:
                body.append(_text(x + w / 2, y + bar_h / 2 + 4, fmt.number(n), size=10, anchor="middle",
                                  fill=REIFEGRAD_TEXT.get(level, TEXT)))
            x += w
        body.append(_text(x + 4, y + bar_h / 2 + 4, fmt.number(totals[name]), size=10))
    parts = []
    for name in names:
        values = ", ".join(f"{level_label(lv)}: {fmt.number(counts.at[name, lv] if lv in counts.columns else 0)}"
                           for lv in levels)
        parts.append(f"{name} ({fmt.number(totals[name])} relevante Leistungen) – {values}")
    alt = ("Gestapelte Balken: relevante Leistungen je Kommune nach Reifegrad (Modell 1.1), online ab Reifegrad "
           f"{threshold}. " + "; ".join(parts) + ".")
    legend = [LegendEntry(level_label(lv), REIFEGRAD_COLOURS.get(lv, GRID)) for lv in levels]
    return Chart(_svg(height, body, "Reifegrad je Kommune"), alt, legend)


def _day(value) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def progress_chart(progress: pd.DataFrame) -> Chart:
    """Lines: Leistungen online per Kommune at each month end (columns Stichtag, Kommune, online)."""
    names = list(dict.fromkeys(progress["Kommune"]))
    left, right, top, plot_h = 48, 16, 12, 230
    plot_w = WIDTH - left - right
    days = sorted({_day(d) for d in progress["Stichtag"]})
    first, last = (days[0], days[-1]) if days else (dt.date(2000, 1, 1), dt.date(2000, 1, 1))
    span = max((last - first).days, 1)
    ticks = nice_ticks(int(progress["online"].max()) if len(progress) else 0)
    height = top + plot_h + 30

    def px(day: dt.date) -> float:
        return left + (day - first).days / span * plot_w

    def py(value: float) -> float:
        return top + plot_h - value / ticks[-1] * plot_h

    body: list[str] = []
    for t in ticks:
        body.append(f'<line x1="{left}" y1="{py(t):.1f}" x2="{WIDTH - right}" y2="{py(t):.1f}" stroke="{GRID}" '
                    'stroke-width="0.6"/>')
        body.append(_text(left - 6, py(t) + 4, fmt.number(t), size=10, anchor="end"))
    for year in range(first.year + 1, last.year + 1):
        x = px(dt.date(year, 1, 1))
        body.append(f'<line x1="{x:.1f}" y1="{top + plot_h}" x2="{x:.1f}" y2="{top + plot_h + 5}" stroke="{TEXT}"/>')
        body.append(_text(x, top + plot_h + 19, str(year), size=10, anchor="middle"))
    body.append(f'<line x1="{left}" y1="{top + plot_h}" x2="{WIDTH - right}" y2="{top + plot_h}" stroke="{TEXT}"/>')
    dash_svg = {"solid": "", "dashed": ' stroke-dasharray="8 4"', "dotted": ' stroke-dasharray="2 3"',
                "double": ' stroke-dasharray="12 3 2 3"'}
    legend, parts = [], []
    for i, name in enumerate(names):
        rows = progress[progress["Kommune"] == name].sort_values("Stichtag")
        colour, dash = CITY_COLOURS[i % len(CITY_COLOURS)], CITY_DASHES[i % len(CITY_DASHES)]
        points = " ".join(f"{px(_day(d)):.1f},{py(v):.1f}" for d, v in zip(rows["Stichtag"], rows["online"],
                                                                          strict=True))
        body.append(f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2.2"'
                    f'{dash_svg[dash]}/>')
        legend.append(LegendEntry(name, colour, dash))
        parts.append(f"{name}: " + ", ".join(_year_values(rows)))
    alt = (f"Linien je Kommune: Leistungen online am Monatsende, {fmt.date(first)} bis {fmt.date(last)}. "
           + "; ".join(parts) + ".")
    return Chart(_svg(height, body, "Fortschritt: Leistungen online"), alt, legend)


def _year_values(rows: pd.DataFrame) -> list[str]:
    """The value at each year end and the last one: '2023: 12, 2024: 40, 27.11.2026: 98'."""
    days = [_day(d) for d in rows["Stichtag"]]
    values = list(rows["online"])
    out = [f"{d.year}: {fmt.number(v)}" for d, v in zip(days, values, strict=True) if (d.month, d.day) == (12, 31)]
    if days and (days[-1].month, days[-1].day) != (12, 31):
        out.append(f"{fmt.date(days[-1])}: {fmt.number(values[-1])}")
    return out
