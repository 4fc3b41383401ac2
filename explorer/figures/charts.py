"""Plotly figures of the analysis pages (clusters, evaluation, run comparison). No Streamlit here.

Same habits as :mod:`explorer.figures`: arrays in, ``go.Figure`` out, the common CJK-capable
layout (:func:`explorer.figures.style`), titles passed in already translated.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Optional

import numpy as np
import plotly.graph_objects as go

from explorer.figures import HIGHLIGHT_COLOUR, NEIGHBOR_COLOUR, OTHER_COLOUR, PALETTE, style
from explorer.markup import html_text


def k_sweep_chart(
    ks: Sequence[int],
    silhouette: Sequence[float],
    inertia: Sequence[float],
    *,
    chosen: Optional[int] = None,
    k_title: str = "k",
    silhouette_title: str = "silhouette",
    inertia_title: str = "inertia",
    height: int = 320,
) -> go.Figure:
    """Silhouette (left axis, higher is better) and inertia (right axis, the "elbow") against k.

    ks, silhouette, inertia: equal-length sequences, one entry per k tried. ``chosen`` marks the
    k currently used with a dashed vertical line.
    """
    ks = np.asarray(ks, dtype=np.int64)
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=ks, y=np.round(np.asarray(silhouette, dtype=np.float64), 4), name=silhouette_title,
                             mode="lines+markers", line=dict(color=NEIGHBOR_COLOUR, width=2),
                             hovertemplate="k=%{x}: %{y:.3f}<extra></extra>"))
    fig.add_trace(go.Scatter(x=ks, y=np.round(np.asarray(inertia, dtype=np.float64), 3), name=inertia_title,
                             mode="lines+markers", yaxis="y2", line=dict(color=HIGHLIGHT_COLOUR, width=2, dash="dot"),
                             hovertemplate="k=%{x}: %{y:.4g}<extra></extra>"))
    if chosen is not None:
        fig.add_vline(x=int(chosen), line=dict(color=OTHER_COLOUR, dash="dash"))
    style(fig, height=height)
    fig.update_layout(
        xaxis=dict(title=dict(text=k_title), dtick=1 if len(ks) <= 20 else None),
        yaxis=dict(title=dict(text=silhouette_title, font=dict(color=NEIGHBOR_COLOUR))),
        yaxis2=dict(title=dict(text=inertia_title, font=dict(color=HIGHLIGHT_COLOUR)), overlaying="y", side="right",
                    showgrid=False),
        legend=dict(orientation="h", y=1.12, x=0),
        hovermode="x unified",
    )
    return fig


def curves(
    x: Sequence[float],
    series: Mapping[str, Sequence[Optional[float]]],
    *,
    x_title: str = "",
    y_title: str = "",
    dashed: Sequence[str] = (),
    height: int = 380,
) -> go.Figure:
    """One line per named series against a shared x (e.g. validation HR@10 per epoch).

    series: name -> values (len(x) each; None leaves a gap). Names in ``dashed`` are drawn dashed
    (baselines, or a second protocol).
    """
    xs = np.asarray(x)
    fig = go.Figure()
    for i, (name, values) in enumerate(series.items()):
        y = np.asarray([np.nan if v is None else v for v in values], dtype=np.float64)
        fig.add_trace(go.Scatter(x=xs, y=np.round(y, 5), name=name, mode="lines+markers" if len(xs) < 40 else "lines",
                                 line=dict(color=PALETTE[i % len(PALETTE)], width=2,
                                           dash="dash" if name in dashed else "solid"),
                                 hovertemplate="%{x}: %{y:.4f}<extra>" + html_text(name) + "</extra>"))
    style(fig, height=height)
    # the legend goes below the x axis: long series names wrap onto more rows on a narrow page
    # without covering the lines (plotly widens the bottom margin for it)
    fig.update_layout(xaxis=dict(title=dict(text=x_title)), yaxis=dict(title=dict(text=y_title)),
                      legend=dict(orientation="h", yanchor="top", y=-0.3, x=0, xanchor="left"))
    return fig


def grouped_bars(
    categories: Sequence[str],
    groups: Mapping[str, Sequence[Optional[float]]],
    *,
    y_title: str = "",
    height: int = 300,
) -> go.Figure:
    """Bars per category, one colour per group (e.g. HR@10 / NDCG@10 / MRR for model vs popularity)."""
    fig = go.Figure()
    for i, (name, values) in enumerate(groups.items()):
        y = np.asarray([np.nan if v is None else v for v in values], dtype=np.float64)
        fig.add_trace(go.Bar(x=list(categories), y=np.round(y, 4), name=name, marker_color=PALETTE[i % len(PALETTE)],
                             text=[("" if np.isnan(v) else f"{v:.3f}") for v in y], textposition="outside",
                             hovertemplate="%{x}: %{y:.4f}<extra>" + html_text(name) + "</extra>"))
    style(fig, height=height)
    fig.update_layout(barmode="group", yaxis=dict(title=dict(text=y_title)), legend=dict(orientation="h", y=1.15, x=0))
    return fig


def histogram(values: Sequence[float], *, bins: int = 20, x_title: str = "", y_title: str = "",
              value_range: tuple[float, float] = (0.0, 1.0), height: int = 260) -> go.Figure:
    """Histogram of values in ``value_range`` (e.g. Jaccard overlap per word, in [0, 1])."""
    values = np.asarray(values, dtype=np.float64)
    lo, hi = value_range
    counts, edges = np.histogram(values, bins=bins, range=(lo, hi))
    centres = (edges[:-1] + edges[1:]) / 2
    fig = go.Figure(go.Bar(x=np.round(centres, 4), y=counts, width=(hi - lo) / bins * 0.95,
                           marker_color=NEIGHBOR_COLOUR,
                           hovertemplate="%{x:.2f}: %{y}<extra></extra>"))
    style(fig, height=height)
    fig.update_layout(xaxis=dict(title=dict(text=x_title), range=[lo, hi]), yaxis=dict(title=dict(text=y_title)),
                      showlegend=False)
    return fig


def figure_html(fig: go.Figure, title: str = "") -> str:
    """The figure as one standalone HTML page that works offline (plotly.js embedded, ~4 MB)."""
    html = fig.to_html(include_plotlyjs=True, full_html=True, config={"displaylogo": False})
    if title:
        from html import escape

        html = html.replace("<head>", f"<head><title>{escape(title)}</title>", 1)
    return html
