"""Charts for the PDF, drawn with reportlab.graphics: vector, offline, no browser, milliseconds per chart.

Why not plotly + kaleido: kaleido needs a Chromium process (seconds to start, a heavy dependency for a cron job
and for CI) and yields bitmaps; reportlab's own charts are already installed with the PDF library, print sharply
at any size and use the same DejaVu font as the text, so Umlauts render identically.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.lineplots import LinePlot
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors

from ozg import fmt
from ozg.domain import REIFEGRAD_LABELS_11

# Reifegrad 0 (offline) red to 4+ (transaction) green; "keine Angabe" grey.
LEVEL_COLORS = ["#c0392b", "#e67e22", "#f1c40f", "#7dbb42", "#27ae60", "#1e8449", "#196f3d", "#145a32"]
NO_DATA = "keine Angabe"
CITY_COLORS = ["#1f4e79", "#c55a11", "#548235", "#7030a0", "#bf9000", "#2e75b6", "#843c0c", "#375623"]


def _level_label(level: str) -> str:
    if level == NO_DATA:
        return level
    return REIFEGRAD_LABELS_11.get(int(level), f"Reifegrad {level}")


def _levels(values: pd.Series) -> list[str]:
    numeric = sorted({v for v in values if v != NO_DATA}, key=int)
    return numeric + ([NO_DATA] if NO_DATA in set(values) else [])


def reifegrad_chart(dist: pd.DataFrame, width: float, font: str, threshold: int) -> Drawing:
    """Stacked horizontal bars: relevant Leistungen per Kommune by Reifegrad (columns name, reifegrad, leistungen)."""
    names = list(dict.fromkeys(dist["name"]))[::-1]  # reportlab draws the first category at the bottom
    levels = _levels(dist["reifegrad"])
    counts = dist.pivot_table(index="name", columns="reifegrad", values="leistungen", aggfunc="sum", fill_value=0)
    bar_h = 22
    height = 70 + bar_h * len(names)
    drawing = Drawing(width, height)
    chart = HorizontalBarChart()
    chart.x, chart.y, chart.width, chart.height = 110, 64, width - 130, bar_h * len(names)
    chart.data = [[int(counts.at[n, lvl]) if lvl in counts.columns else 0 for n in names] for lvl in levels]
    chart.categoryAxis.categoryNames = names
    chart.categoryAxis.style = "stacked"
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 8
    chart.valueAxis.valueMin = 0
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.labelTextFormat = lambda v: fmt.number(v)
    chart.barWidth = bar_h * 0.7
    for i, lvl in enumerate(levels):
        chart.bars[i].fillColor = colors.HexColor("#bfbfbf" if lvl == NO_DATA else LEVEL_COLORS[int(lvl) % 8])
        chart.bars[i].strokeColor = colors.white
    drawing.add(chart)
    legend = Legend()
    legend.x, legend.y, legend.alignment = 110, 44, "right"
    legend.fontName, legend.fontSize = font, 7
    legend.columnMaximum, legend.dx, legend.dy, legend.deltax, legend.deltay = 2, 7, 7, 120, 12
    legend.colorNamePairs = [(chart.bars[i].fillColor, _level_label(lvl)) for i, lvl in enumerate(levels)]
    drawing.add(legend)
    note = f"Reifegrad (Modell 1.1); grün ab Reifegrad {threshold}: online nach der Zählregel."
    drawing.add(String(110, 6, note, fontName=font, fontSize=7, fillColor=colors.HexColor("#404040")))
    return drawing


def progress_chart(progress: pd.DataFrame, width: float, font: str) -> Drawing:
    """Lines: Leistungen online per Kommune at each month end (columns Stichtag, Kommune, online)."""
    height = 230
    drawing = Drawing(width, height)
    plot = LinePlot()
    plot.x, plot.y, plot.width, plot.height = 45, 55, width - 60, height - 75
    names = list(dict.fromkeys(progress["Kommune"]))
    series = []
    for name in names:
        rows = progress[progress["Kommune"] == name]
        series.append([(_ordinal(d), int(v)) for d, v in zip(rows["Stichtag"], rows["online"], strict=True)])
    plot.data = series or [[(0, 0)]]
    xs = [x for s in series for x, _ in s] or [0]
    years = range(dt.date.fromordinal(min(xs)).year + 1, dt.date.fromordinal(max(xs)).year + 1)
    plot.xValueAxis.valueMin, plot.xValueAxis.valueMax = min(xs), max(xs)
    plot.xValueAxis.valueSteps = [dt.date(y, 1, 1).toordinal() for y in years] or [min(xs)]
    plot.xValueAxis.labelTextFormat = lambda v: str(dt.date.fromordinal(int(v)).year)
    plot.yValueAxis.valueMin = 0
    plot.yValueAxis.labelTextFormat = lambda v: fmt.number(v)
    for axis in (plot.xValueAxis, plot.yValueAxis):
        axis.labels.fontName, axis.labels.fontSize = font, 7
    for i in range(len(names)):
        plot.lines[i].strokeColor = colors.HexColor(CITY_COLORS[i % len(CITY_COLORS)])
        plot.lines[i].strokeWidth = 1.5
    drawing.add(plot)
    legend = Legend()
    legend.x, legend.y, legend.alignment = 45, 18, "right"
    legend.fontName, legend.fontSize = font, 7
    legend.columnMaximum, legend.dx, legend.dy, legend.deltax = 1, 10, 4, 95
    legend.colorNamePairs = [(colors.HexColor(CITY_COLORS[i % len(CITY_COLORS)]), n) for i, n in enumerate(names)]
    drawing.add(legend)
    return drawing


def _ordinal(day) -> int:
    return (day.date() if isinstance(day, dt.datetime) else day).toordinal()
