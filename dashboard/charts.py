"""Plotly figure builders for the dashboard: DataFrames in, go.Figure out, no Streamlit.

Colours come from ozg/palette.py (shared with the PDF): Okabe–Ito for cities, ColorBrewer YlGnBu for the Reifegrad;
every coloured mark also carries a text label or a legend entry, so no information depends on colour alone.
Numbers use German separators (layout.separators). Layout rules that keep charts readable at 390 px as on a
projector: no chart title (the page's heading names the chart), the legend below the plot, automatic tick spacing
(plotly thins ticks on a narrow chart) and axes that end at the data (the Stand date or the last forecast point).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import plotly.graph_objects as go

from ozg import fmt, palette
from ozg import forecast_text as ft
from ozg.domain import REIFEGRAD_LABELS_11

FONT_SIZE = 16
CITY_COLOURS = palette.CITY_COLOURS
CITY_DASHES = palette.CITY_DASHES
NO_VALUE = palette.NO_VALUE
NOT_RELEVANT = palette.NOT_RELEVANT
# Reifegrad 0..4 plus grey for "keine Angabe" (the bar chart's stacks); text colours keep contrast >= 4.5:1.
REIFEGRAD_COLOURS: dict[str, str] = {k: v for k, v in palette.REIFEGRAD_FILL.items() if k != NOT_RELEVANT}
REIFEGRAD_TEXT: dict[str, str] = dict(palette.REIFEGRAD_TEXT)
LEGEND_ROW_PX = 26     # one legend row
PHONE_PLOT_PX = 330    # plot width on a 390 px phone: legends are sized so they fit there too
TICK_ROOM_PX = 34      # x tick labels below the plot


def reifegrad_label(level) -> str:
    """'3' -> '3 – Online-Leistung'; unknown levels (model 2.0) stay as their number."""
    if level is None or level == NO_VALUE or pd.isna(level):
        return NO_VALUE
    return REIFEGRAD_LABELS_11.get(int(level), str(level))


def city_colour(index: int) -> str:
    return palette.city_colour(index)


def legend_rows(names: list[str], width_px: int = PHONE_PLOT_PX, font: int = FONT_SIZE) -> int:
    """How many rows a horizontal legend of `names` needs on a phone (about 0.55 em per character + symbol)."""
    rows, used = 1, 0.0
    for name in names:
        item = 48 + 0.55 * font * len(name)
        if used and used + item > width_px:
            rows, used = rows + 1, 0.0
        used += item
    return rows


def _layout(fig: go.Figure, title: str = "", height: int = 480, legend: list[str] | None = None,
            bottom: int = TICK_ROOM_PX) -> go.Figure:
    """Common layout. `legend`: the legend's entries (sized for a phone) — drawn below the plot, never on it."""
    rows = legend_rows(legend) if legend else 0
    legend_px = rows * LEGEND_ROW_PX
    top = 50 if title else 16
    fig.update_layout(
        title={"text": title, "font": {"size": FONT_SIZE + 2}, "x": 0, "xanchor": "left"} if title else None,
        font={"size": FONT_SIZE, "family": "Source Sans Pro, Arial, sans-serif", "color": palette.INK},
        template="plotly_white", separators=",.", height=height + legend_px,
        paper_bgcolor=palette.PAPER, plot_bgcolor=palette.PAPER,
        margin={"l": 10, "r": 16, "t": top, "b": bottom + legend_px + 6},
        showlegend=bool(legend),
        # below the plot at the bottom of the figure, in trace order
        legend={"orientation": "h", "yref": "container", "yanchor": "bottom", "y": 0, "xanchor": "left",
                "x": 0, "traceorder": "normal", "font": {"size": FONT_SIZE - 1}},
        hoverlabel={"font_size": FONT_SIZE - 2},
    )
    return fig


def group_sum(frame: pd.DataFrame, by: str = "day", value: str | tuple[str, ...] = ("online", "ende_zu_ende"),
              name: str = "Summe der Gruppe") -> pd.DataFrame:
    """One pseudo-Kommune holding the sum over all Kommunen (for groups too large for one line/bar each)."""
    values = [value] if isinstance(value, str) else [v for v in value if v in frame.columns]
    summed = frame.groupby(by, as_index=False)[values].sum()
    return summed.assign(ags="", name=name)


def group_sum_forecast(frame: pd.DataFrame, day: dt.date, name: str = "Summe der Gruppe") -> pd.DataFrame:
    """queries.forecast rows summed into one row, with the date recomputed from the summed pace from `day`."""
    total = frame[["relevant", "online", "pace", "remaining"]].sum()
    months = total["remaining"] / total["pace"] if total["pace"] > 0 else None
    reaches = None if months is None else day + dt.timedelta(days=round(float(months) * 30.4375))
    return pd.DataFrame([{**total.to_dict(), "name": name, "ags": "", "reaches": reaches}])


def empty_figure(message: str, title: str = "") -> go.Figure:
    """A blank figure that says why it is blank (used for empty databases)."""
    fig = go.Figure()
    fig.add_annotation(text=message, showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper",
                       font={"size": FONT_SIZE})
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return _layout(fig, title, height=260)


def reifegrad_distribution(frame: pd.DataFrame, title: str = "") -> go.Figure:
    """Horizontal stacked bars: per Kommune (`name`) the count of Leistungen per `reifegrad` (text or number)."""
    if frame.empty:
        return empty_figure("Keine Daten", title)
    data = frame.assign(level=frame["reifegrad"].map(palette.level_key))
    order = [lvl for lvl in REIFEGRAD_COLOURS if lvl in set(data["level"])]
    order += sorted(set(data["level"]) - set(order))  # model 2.0 levels 5..7, if any
    names = sorted(data["name"].unique(), reverse=True)  # alphabetical from the top
    fig = go.Figure()
    for level in order:
        part = data[data["level"] == level].groupby("name")["leistungen"].sum().reindex(names)
        counts = part.fillna(0).astype(int)
        fig.add_bar(
            y=names, x=counts, orientation="h", name=reifegrad_label(level),
            marker={"color": palette.reifegrad_fill(level), "line": {"color": "#ffffff", "width": 1}},
            # a count is written only where its segment is wide enough; the table below has all of them
            text=[fmt.number(c) if c else "" for c in counts], textposition="inside", insidetextanchor="middle",
            textangle=0,
            textfont={"color": palette.reifegrad_text(level)}, constraintext="both",
            hovertemplate="%{y}: %{x:,d} Leistungen<extra>" + reifegrad_label(level) + "</extra>",
        )
    fig.update_layout(barmode="stack", uniformtext={"minsize": FONT_SIZE - 4, "mode": "hide"})
    fig.update_xaxes(nticks=6)
    fig.update_yaxes(automargin=True)
    return _layout(fig, title, height=90 + 56 * len(names), legend=[reifegrad_label(lv) for lv in order])


def year_step(start, end, max_ticks: int = 6) -> int:
    """Years between two ticks so that at most `max_ticks` fit: four-digit years stay apart on a phone too."""
    span = max((pd.Timestamp(end) - pd.Timestamp(start)).days / 365.25, 1)
    return next((step for step in (1, 2, 5, 10, 20) if span / step <= max_ticks), 50)


def _time_axis(fig: go.Figure, start, end) -> None:
    """Years on the x axis from `start` to `end` exactly, at most six ticks (readable at 390 px)."""
    step = year_step(start, end)
    first_tick = pd.Timestamp(year=pd.Timestamp(start).year + 1, month=1, day=1)
    fig.update_xaxes(range=[pd.Timestamp(start), pd.Timestamp(end)], tickformat="%Y", dtick=f"M{12 * step}",
                     tick0=first_tick, hoverformat="%d.%m.%Y")


def progress_over_time(frame: pd.DataFrame, value: str = "online", title: str = "") -> go.Figure:
    """Lines per Kommune over `day` (from queries.progress); the legend names each city with its last value."""
    if frame.empty:
        return empty_figure("Noch keine Meldungen – der Verlauf erscheint nach dem ersten Import.", title)
    fig = go.Figure()
    names = []
    for i, (name, part) in enumerate(frame.sort_values("day").groupby("name", sort=True)):
        label = f"{name}: {fmt.number(part[value].iloc[-1])}"
        names.append(label)
        fig.add_scatter(
            x=part["day"], y=part[value], mode="lines", name=label,
            line={"color": city_colour(i), "width": 3, "dash": palette.city_dash(i)},
            hovertemplate="%{x|%d.%m.%Y}: %{y:,d}<extra>" + name + "</extra>",
        )
    _time_axis(fig, frame["day"].min(), frame["day"].max())
    top = max(float(frame[value].max()), 1.0) * 1.05
    # the axis starts a little below 0 so that the "0" tick label stays clear of the first year label
    fig.update_yaxes(title="Leistungen online", range=[-0.04 * top, top], nticks=6)
    return _layout(fig, title, height=400, legend=names)


def _deadline_rows(days: list[dt.date], start: dt.date, end: dt.date, min_share: float = 0.32) -> list[int]:
    """Row (0, 1, 2) of each deadline label: the lowest row whose last label is at least `min_share` of the axis
    away (a date label is about a quarter of a phone chart wide)."""
    span = max((end - start).days, 1)
    rows, last = [], [None, None, None]
    for day in days:
        row = next((r for r, prev in enumerate(last) if prev is None or (day - prev).days / span >= min_share), 0)
        rows.append(row)
        last[row] = day
    return rows


def burn_up(progress_frame: pd.DataFrame, forecast_frame: pd.DataFrame, deadlines: pd.DataFrame | None = None,
            day: dt.date | None = None, title: str = "") -> go.Figure:
    """Share of relevant Leistungen online per Kommune (solid) and its linear projection (dotted) up to 100 %.

    progress_frame: queries.progress rows (day, name, online); forecast_frame: queries.forecast rows (name,
    relevant, online, pace, reaches). The projection stops at 100 % or at the forecast horizon (ozg/forecast_text:
    ten years after the Stand date `day`); the axis ends at the last projection point. When each city reaches
    100 % („August 2030“, „nicht absehbar“) is the page's table (a legend that long would not fit a phone);
    deadlines are dashed vertical lines labelled above the plot, in up to three rows where they are close.
    """
    if progress_frame.empty or forecast_frame.empty:
        return empty_figure("Noch keine Meldungen – keine Prognose möglich.", title)
    last_day = pd.Timestamp(progress_frame["day"].max()).date()
    day = day or last_day
    horizon = ft.horizon(day)
    fig = go.Figure()
    names, axis_end = [], last_day
    relevant = forecast_frame.set_index("name")["relevant"]
    for i, row in enumerate(forecast_frame.sort_values("name").itertuples()):
        colour, total = city_colour(i), max(int(relevant[row.name]), 1)
        part = progress_frame[progress_frame["name"] == row.name].sort_values("day")
        names.append(row.name)
        fig.add_scatter(x=part["day"], y=part["online"] / total, mode="lines", name=row.name, legendgroup=row.name,
                        line={"color": colour, "width": 3, "dash": palette.city_dash(i)},
                        hovertemplate="%{x|%d.%m.%Y}: %{y:.1%}<extra>" + row.name + "</extra>")
        start = pd.Timestamp(part["day"].iloc[-1]).date() if len(part) else day
        if row.pace > 0 and row.online < total:
            reached = ft.foreseeable(row.reaches, day)
            end = reached or horizon
            share_end = min(1.0, (row.online + row.pace * ((end - start).days / 30.4375)) / total)
            axis_end = max(axis_end, end)
            fig.add_scatter(x=[start, end], y=[row.online / total, share_end], mode="lines",
                            name=f"{row.name}: Prognose", showlegend=False, legendgroup=row.name,
                            line={"color": colour, "width": 2, "dash": "dot"},
                            hovertemplate="Prognose %{x|%d.%m.%Y}: %{y:.1%}<extra>" + row.name + "</extra>")
    fig.add_hline(y=1.0, line={"color": palette.INK, "width": 1})
    first_day = pd.Timestamp(progress_frame["day"].min()).date()
    items = [] if deadlines is None else [
        (pd.Timestamp(d).date(), t) for d, t in zip(deadlines["due"], deadlines["title"], strict=True)
        if first_day <= pd.Timestamp(d).date() <= axis_end]
    for (due, what), level in zip(items, _deadline_rows([d for d, _ in items], first_day, axis_end), strict=True):
        fig.add_vline(x=pd.Timestamp(due).timestamp() * 1000, line={"color": palette.MUTED_INK, "dash": "dash",
                                                                    "width": 1})
        fig.add_annotation(x=due, y=1.0, yref="paper", yanchor="bottom", yshift=2 + 18 * level, text=fmt.date(due),
                           showarrow=False, hovertext=str(what), font={"size": FONT_SIZE - 3,
                                                                        "color": palette.MUTED_INK})
    _time_axis(fig, first_day, axis_end)
    fig.update_yaxes(tickformat=".0%", range=[-0.04, 1.04], title="Anteil online", nticks=6)
    fig = _layout(fig, title, height=460, legend=names)
    fig.update_layout(margin={"t": 66})  # room for three rows of deadline labels
    return fig


def planned_timeline(frame: pd.DataFrame, title: str = "") -> go.Figure:
    """Stacked bars: planned go-lives (queries.planned rows: kommune, geplant_bis) per quarter and Kommune."""
    if frame.empty:
        return empty_figure("Keine geplanten Go-lives erfasst.", title)
    data = frame.assign(quarter=pd.to_datetime(frame["geplant_bis"]).dt.to_period("Q"))
    counts = data.groupby(["quarter", "kommune"]).size().unstack(fill_value=0).sort_index()
    labels = [f"Q{p.quarter}<br>{p.year}" for p in counts.index]  # two short lines fit a phone's narrow bars
    fig = go.Figure()
    for i, name in enumerate(sorted(counts.columns)):
        values = counts[name]
        fig.add_bar(x=labels, y=values, name=name, marker={"color": city_colour(i)},
                    text=[fmt.number(v) if v else "" for v in values], textposition="inside", textangle=0,
                    constraintext="both",
                    textfont={"color": palette.city_text(i)},
                    hovertemplate="%{x}: %{y:,d}<extra>" + name + "</extra>")
    fig.update_layout(barmode="stack", uniformtext={"minsize": FONT_SIZE - 4, "mode": "hide"})
    fig.update_yaxes(title="Leistungen", nticks=6)
    fig.update_xaxes(tickangle=0)
    fig.update_yaxes(rangemode="tozero")
    return _layout(fig, title, height=380, legend=list(sorted(counts.columns)))


def matrix_frames(frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """From queries.coverage_matrix rows: (levels, labels) wide tables, Leistung rows × Kommune columns.

    levels holds the Reifegrad as text ('keine Angabe' / 'nicht relevant' where so); labels the cell text
    ('3 · online'), which the table and the heatmap show, so the matrix reads without colour.
    """
    data = frame.copy()
    level = data["reifegrad"].astype("Int64").astype(str).replace({"<NA>": NO_VALUE})
    level = level.where(data["status"] != NOT_RELEVANT, NOT_RELEVANT)
    text = [NOT_RELEVANT if lv == NOT_RELEVANT else (NO_VALUE if lv == NO_VALUE and pd.isna(st) else
            f"{lv if lv != NO_VALUE else '–'} · {st if isinstance(st, str) else '–'}")
            for lv, st in zip(level, data["status"], strict=True)]
    data["level"], data["label"] = level, text
    data["row"] = data["ozg_id"] + " " + data["leistung"]
    levels = data.pivot(index="row", columns="kommune", values="level")
    labels = data.pivot(index="row", columns="kommune", values="label")
    return levels, labels
