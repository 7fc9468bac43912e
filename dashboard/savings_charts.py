"""Plotly figures of the Einsparungen page (no Streamlit here: reports can reuse them for the PDF).

German number format throughout: layout separators ",." (decimal comma, thousands dot), every € axis as
1.234.567 € (EURO_AXIS; never plotly's SI "400k"), € in the labels.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from ozg import fmt

ALONE, SHARED, SAVED = "#b0b7c3", "#1f6f8b", "#2e8b57"
LOSS = "#c0392b"
EURO_AXIS = {"tickformat": ",.0f", "ticksuffix": " €", "separatethousands": True}


def _layout(fig: go.Figure, title: str, height: int = 380) -> go.Figure:
    # The legend sits at the bottom of the figure (container), below tick labels and axis title on any width.
    fig.update_layout(title=title, separators=",.", height=height + 40, margin={"l": 10, "r": 10, "t": 50, "b": 60},
                      legend={"orientation": "h", "yref": "container", "y": 0, "yanchor": "bottom", "x": 0},
                      plot_bgcolor="white")
    fig.update_yaxes(gridcolor="#eee")
    fig.update_xaxes(gridcolor="#eee")
    return fig


def _short(text: str, width: int = 38) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def alone_vs_shared(per_project: pd.DataFrame, years: float) -> go.Figure:
    """Per project: what the n cities would pay alone versus together (development + Y years of operation)."""
    labels = [f"{_short(n)} ({pid})" for pid, n in zip(per_project["project_id"], per_project["name"], strict=True)]
    fig = go.Figure()
    fig.add_bar(y=labels, x=per_project["alone"], name="jede Kommune allein", orientation="h", marker_color=ALONE,
                hovertemplate="%{y}<br>allein: %{x:,.0f} €<extra></extra>")
    fig.add_bar(y=labels, x=per_project["shared"], name="gemeinsam", orientation="h", marker_color=SHARED,
                text=[f"Einsparung {fmt.euro(s)}" for s in per_project["savings"]], textposition="outside",
                hovertemplate="%{y}<br>gemeinsam: %{x:,.0f} €<extra></extra>")
    fig.update_layout(barmode="group", yaxis={"autorange": "reversed"})
    widest = float(max(per_project["alone"].max(), per_project["shared"].max(), 1.0)) if len(per_project) else 1.0
    fig.update_traces(cliponaxis=False)
    fig.update_xaxes(title=f"Kosten (Entwicklung + {fmt.number(years, 0)} Jahre Betrieb)", **EURO_AXIS,
                     range=[0, widest * 1.5])   # room for the „Einsparung …“ label behind the shorter bar
    return _layout(fig, "Allein oder gemeinsam: Kosten je Projekt", height=max(320, 90 * len(labels) + 120))


def city_savings(per_city: pd.DataFrame, years: float) -> go.Figure:
    """Per city: savings from shared development and the staff time saved by digital cases."""
    fig = go.Figure()
    fig.add_bar(x=per_city["kommune"], y=per_city["savings"], name="gemeinsame Entwicklung und Betrieb",
                marker_color=SAVED, hovertemplate="%{x}<br>%{y:,.0f} €<extra></extra>")
    fig.add_bar(x=per_city["kommune"], y=per_city["case_savings"], name="Zeitersparnis digitale Fälle",
                marker_color=SHARED, hovertemplate="%{x}<br>%{y:,.0f} €<extra></extra>")
    fig.update_layout(barmode="stack")
    fig.update_yaxes(title=f"Einsparung ({fmt.number(years, 0)} Jahre)", **EURO_AXIS)
    return _layout(fig, "Einsparung je Kommune")


def over_time(timeline: pd.DataFrame) -> go.Figure:
    """Realised savings per month (stacked bars) and cumulated (line)."""
    fig = go.Figure()
    for column, name, color in (("development", "Entwicklung (bei Go-live)", SAVED),
                                ("operation", "Betrieb", SHARED), ("cases", "digitale Fälle", ALONE)):
        fig.add_bar(x=timeline["month"], y=timeline[column], name=name, marker_color=color,
                    hovertemplate="%{x|%m.%Y}: %{y:,.0f} €<extra></extra>")
    fig.add_scatter(x=timeline["month"], y=timeline["cumulative"], name="kumuliert", mode="lines",
                    line={"color": "#222", "width": 2}, yaxis="y2",
                    hovertemplate="%{x|%m.%Y}: %{y:,.0f} € kumuliert<extra></extra>")
    # Both axes in €, same format: bars per month on the left, the running total on the right.
    fig.update_layout(barmode="stack", yaxis={"title": "je Monat", "rangemode": "tozero", **EURO_AXIS},
                      yaxis2={"overlaying": "y", "side": "right", "title": "kumuliert", "showgrid": False,
                              "rangemode": "tozero", "tickmode": "auto", "nticks": 6, **EURO_AXIS})
    fig.update_xaxes(tickformat="%m.%Y")
    return _layout(fig, "Realisierte Einsparung im Zeitverlauf")


def tornado(sensitivity: pd.DataFrame, change: float = 0.5, centre: str = "Geplant") -> go.Figure:
    """Tornado chart: the result when each input alone is changed by −/+ change, around the base value (the
    page's headline, named `centre`)."""
    if sensitivity.empty:
        return _layout(go.Figure(), "Sensitivität")
    base = float(sensitivity["base"].iloc[0])
    pct = fmt.percent(change, 0)
    fig = go.Figure()
    fig.add_bar(y=sensitivity["label"], x=sensitivity["low"] - base, base=base, orientation="h",
                name=f"Eingabe −{pct}", marker_color=LOSS,
                customdata=sensitivity["low"],
                hovertemplate="%{y}: −" + pct + " → %{customdata:,.0f} €<extra></extra>")
    fig.add_bar(y=sensitivity["label"], x=sensitivity["high"] - base, base=base, orientation="h",
                name=f"Eingabe +{pct}", marker_color=SAVED,
                customdata=sensitivity["high"],
                hovertemplate="%{y}: +" + pct + " → %{customdata:,.0f} €<extra></extra>")
    fig.add_vline(x=base, line_color="#222", annotation_text=f"{centre}: {fmt.euro(base)}", annotation_position="top")
    fig.update_layout(barmode="overlay", yaxis={"autorange": "reversed"})
    fig.update_xaxes(title="Geplante Einsparung", **EURO_AXIS)
    return _layout(fig, f"Sensitivität: jede Annahme einzeln −{pct} / +{pct}", height=420)
