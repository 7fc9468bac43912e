"""Plotly figure builders for the dashboard and the reports: DataFrames in, go.Figure out, no Streamlit.

Readable on a projector (large fonts) and for colour-blind viewers: the city colours are the Okabe–Ito palette,
the Reifegrad scale is ColorBrewer YlGnBu (sequential, colour-blind safe), and every coloured mark also carries a
text label, so no information depends on colour alone. Numbers use German separators (layout.separators).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import plotly.graph_objects as go

from ozg import clock, fmt
from ozg.domain import REIFEGRAD_LABELS_11

FONT_SIZE = 18
# Okabe & Ito (2008), "Color Universal Design": distinguishable with every common colour-vision deficiency.
CITY_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#000000", "#F0E442")
CITY_DASHES = ("solid", "dash", "dot", "dashdot", "longdash", "longdashdot")
NO_VALUE = "keine Angabe"
NOT_RELEVANT = "nicht relevant"
# Reifegrad 0..4 (YlGnBu, light to dark) plus grey for "keine Angabe"; the text colour keeps contrast >= 4.5:1.
REIFEGRAD_COLOURS: dict[str, str] = {
    "0": "#ffffcc", "1": "#c7e9b4", "2": "#7fcdbb", "3": "#2c7fb8", "4": "#253494", NO_VALUE: "#d9d9d9",
}
REIFEGRAD_TEXT: dict[str, str] = {"0": "#000000", "1": "#000000", "2": "#000000", "3": "#ffffff", "4": "#ffffff",
                                  NO_VALUE: "#000000"}


def reifegrad_label(level) -> str:
    """'3' -> '3 – Online-Leistung'; unknown levels (model 2.0) stay as their number."""
    if level is None or level == NO_VALUE or pd.isna(level):
        return NO_VALUE
    return REIFEGRAD_LABELS_11.get(int(level), str(level))


def city_colour(index: int) -> str:
    return CITY_COLOURS[index % len(CITY_COLOURS)]


def _layout(fig: go.Figure, title: str, height: int = 480) -> go.Figure:
    fig.update_layout(
        title={"text": title, "font": {"size": FONT_SIZE + 4}},
        font={"size": FONT_SIZE, "family": "Source Sans Pro, Arial, sans-serif", "color": "#1f1f1f"},
        template="plotly_white", separators=",.", height=height,
        margin={"l": 10, "r": 10, "t": 120, "b": 10},
        # legend between title and plot, in trace order: never collides with axis titles or tick labels
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "xanchor": "left", "x": 0,
                "traceorder": "normal"},
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


def reifegrad_distribution(frame: pd.DataFrame, title: str = "Reifegrad je Stadt") -> go.Figure:
    """Horizontal stacked bars: per Kommune (`name`) the count of Leistungen per `reifegrad` (text or number)."""
    if frame.empty:
        return empty_figure("Keine Daten", title)
    data = frame.assign(level=frame["reifegrad"].astype(str))
    order = [lvl for lvl in REIFEGRAD_COLOURS if lvl in set(data["level"])]
    order += sorted(set(data["level"]) - set(order))  # model 2.0 levels 5..7, if any
    names = sorted(data["name"].unique(), reverse=True)  # alphabetical from the top
    fig = go.Figure()
    for level in order:
        part = data[data["level"] == level].set_index("name").reindex(names)
        counts = part["leistungen"].fillna(0).astype(int)
        fig.add_bar(
            y=names, x=counts, orientation="h", name=reifegrad_label(level),
            marker={"color": REIFEGRAD_COLOURS.get(level, "#636363"), "line": {"color": "#ffffff", "width": 1}},
            text=[fmt.number(c) if c else "" for c in counts], textposition="inside", insidetextanchor="middle",
            textfont={"color": REIFEGRAD_TEXT.get(level, "#ffffff")},
            hovertemplate="%{y}: %{x:,d} Leistungen<extra>" + reifegrad_label(level) + "</extra>",
        )
    fig.update_layout(barmode="stack")
    fig.update_xaxes(title="Zahl der Leistungen")
    return _layout(fig, title, height=260 + 70 * len(names))


def progress_over_time(frame: pd.DataFrame, value: str = "online",
                       title: str = "Leistungen online im Zeitverlauf") -> go.Figure:
    """Lines per Kommune over `day` (from queries.progress), each labelled at its end with name and value."""
    if frame.empty:
        return empty_figure("Noch keine Meldungen – der Verlauf erscheint nach dem ersten Import.", title)
    fig = go.Figure()
    for i, (name, part) in enumerate(frame.sort_values("day").groupby("name", sort=True)):
        colour = city_colour(i)
        fig.add_scatter(
            x=part["day"], y=part[value], mode="lines", name=name,
            line={"color": colour, "width": 4, "dash": CITY_DASHES[i % len(CITY_DASHES)]},
            hovertemplate="%{x|%d.%m.%Y}: %{y:,d}<extra>" + name + "</extra>",
        )
        last = part.iloc[-1]
        fig.add_annotation(x=last["day"], y=last[value], text=f"{name}: {fmt.number(last[value])}",
                           showarrow=False, xanchor="left", xshift=8, font={"color": colour, "size": FONT_SIZE})
    fig.update_xaxes(tickformat="%Y", dtick="M12")
    fig.update_yaxes(title="Leistungen online", rangemode="tozero")
    fig = _layout(fig, title)
    fig.update_layout(margin={"r": 260})  # room for the end labels
    return fig


def burn_up(progress_frame: pd.DataFrame, forecast_frame: pd.DataFrame, deadlines: pd.DataFrame | None = None,
            horizon: dt.date = dt.date(2035, 12, 31), title: str = "Fortschritt und Prognose") -> go.Figure:
    """Share of relevant Leistungen online per Kommune (solid) and its linear projection (dotted) up to 100 %.

    progress_frame: queries.progress rows (day, name, online); forecast_frame: queries.forecast rows (name,
    relevant, online, pace, reaches). Deadlines are vertical lines with their title. The projection stops at
    `horizon` so that a slow pace does not squash the chart.
    """
    if progress_frame.empty or forecast_frame.empty:
        return empty_figure("Noch keine Meldungen – keine Prognose möglich.", title)
    fig = go.Figure()
    labels: list[tuple[float, object, str, str]] = []  # (share, x, text, colour) at each projection's end
    relevant = forecast_frame.set_index("name")["relevant"]
    for i, row in enumerate(forecast_frame.sort_values("name").itertuples()):
        colour, total = city_colour(i), max(int(relevant[row.name]), 1)
        part = progress_frame[progress_frame["name"] == row.name].sort_values("day")
        fig.add_scatter(x=part["day"], y=part["online"] / total, mode="lines", name=row.name,
                        line={"color": colour, "width": 4},
                        hovertemplate="%{x|%d.%m.%Y}: %{y:.1%}<extra>" + row.name + "</extra>")
        start = pd.Timestamp(part["day"].iloc[-1]).date() if len(part) else clock.today()
        if row.pace > 0 and row.online < total:
            end = row.reaches if row.reaches and row.reaches <= horizon else horizon
            share_end = min(1.0, (row.online + row.pace * ((end - start).days / 30.4375)) / total)
            label = fmt.date(row.reaches) if row.reaches and row.reaches <= horizon else f"Ende {horizon.year}"
            fig.add_scatter(x=[start, end], y=[row.online / total, share_end], mode="lines",
                            name=f"{row.name}: Prognose", showlegend=False,
                            line={"color": colour, "width": 3, "dash": "dot"},
                            hovertemplate="Prognose %{x|%d.%m.%Y}: %{y:.1%}<extra>" + row.name + "</extra>")
            labels.append((share_end, end, f"{row.name}: 100 % am {label}" if share_end >= 1
                           else f"{row.name}: {fmt.percent(share_end, 0)} {label}", colour))
    previous = 2.0
    for share, x, text, colour in sorted(labels, key=lambda item: -item[0]):
        y = min(share, previous - 0.055)  # keep labels at least one line apart
        previous = y
        fig.add_annotation(x=x, y=y, text=text, showarrow=False, xanchor="right", yanchor="bottom",
                           font={"color": colour, "size": FONT_SIZE - 2}, bgcolor="rgba(255,255,255,0.8)")
    fig.add_hline(y=1.0, line={"color": "#1f1f1f", "width": 2}, annotation_text="100 % der relevanten Leistungen",
                  annotation_position="bottom right")
    for item in (deadlines.itertuples() if deadlines is not None else ()):
        fig.add_vline(x=pd.Timestamp(item.due).timestamp() * 1000, line={"color": "#636363", "dash": "dash"})
        fig.add_annotation(x=item.due, y=1.06, text=fmt.date(item.due), showarrow=False,
                           font={"size": FONT_SIZE - 4, "color": "#444444"})
    fig.update_yaxes(tickformat=".0%", range=[0, 1.12], title="Anteil online")
    fig.update_xaxes(tickformat="%Y", dtick="M12")
    return _layout(fig, title, height=560)


def planned_timeline(frame: pd.DataFrame, title: str = "Geplante Go-lives je Quartal") -> go.Figure:
    """Stacked bars: planned go-lives (queries.planned rows: kommune, geplant_bis) per quarter and Kommune."""
    if frame.empty:
        return empty_figure("Keine geplanten Go-lives erfasst.", title)
    data = frame.assign(quarter=pd.to_datetime(frame["geplant_bis"]).dt.to_period("Q"))
    counts = data.groupby(["quarter", "kommune"]).size().unstack(fill_value=0).sort_index()
    labels = [f"Q{p.quarter}/{p.year}" for p in counts.index]
    fig = go.Figure()
    for i, name in enumerate(sorted(counts.columns)):
        values = counts[name]
        fig.add_bar(x=labels, y=values, name=name, marker={"color": city_colour(i)},
                    text=[fmt.number(v) if v else "" for v in values], textposition="inside",
                    hovertemplate="%{x}: %{y:,d}<extra>" + name + "</extra>")
    fig.update_layout(barmode="stack")
    fig.update_yaxes(title="Leistungen")
    return _layout(fig, title)


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


def coverage_heatmap(levels: pd.DataFrame, labels: pd.DataFrame, title: str = "Abdeckung") -> go.Figure:
    """Heatmap of the Leistung × Kommune matrix with a discrete Reifegrad colour scale and text in every cell."""
    if levels.empty:
        return empty_figure("Keine Leistungen für diese Filter.", title)
    codes = {NOT_RELEVANT: -2, NO_VALUE: -1}
    z = levels.apply(lambda col: col.map(lambda v: codes.get(v, int(v) if str(v).isdigit() else -1)))
    steps = [(-2, "#ffffff"), (-1, REIFEGRAD_COLOURS[NO_VALUE])] + [
        (int(k), REIFEGRAD_COLOURS[k]) for k in ("0", "1", "2", "3", "4")]
    low, span = -2, len(steps)  # piecewise-constant scale: integer v owns [(v-low)/span, (v-low+1)/span]
    scale = [pair for value, colour in steps
             for pair in ([(value - low) / span, colour], [(value - low + 1) / span, colour])]
    rows = [r if len(r) <= 60 else r[:57] + "…" for r in levels.index]
    fig = go.Figure(go.Heatmap(
        z=z.values, x=list(levels.columns), y=rows, zmin=low - 0.5, zmax=low + span - 0.5,
        colorscale=scale, showscale=False,
        text=labels.values, texttemplate="%{text}", textfont={"size": FONT_SIZE - 4},
        xgap=2, ygap=2, hovertemplate="%{y}<br>%{x}: %{text}<extra></extra>",
    ))
    fig.update_yaxes(autorange="reversed", automargin=True)
    fig.update_xaxes(side="top")
    return _layout(fig, title, height=160 + 34 * len(rows))
