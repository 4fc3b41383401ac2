"""Plotly figures of graphs: the degree distribution and a small node-link drawing. No Streamlit here."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Optional

import numpy as np
import plotly.graph_objects as go

from explorer.figures.maps import NEIGHBOR_COLOUR, OTHER_COLOUR, PALETTE, style


def degree_distribution(values: np.ndarray, counts: np.ndarray, *, x_title: str = "", y_title: str = "",
                        height: int = 260) -> go.Figure:
    """Nodes per degree (bars); both axes logarithmic when degrees span more than two decades."""
    values = np.asarray(values, dtype=np.int64)
    counts = np.asarray(counts, dtype=np.int64)
    wide = len(values) and values.max() > 100 * max(1, values.min())
    fig = go.Figure(go.Scatter(x=values, y=counts, mode="markers", marker=dict(color=NEIGHBOR_COLOUR, size=6),
                               hovertemplate="%{x}: %{y}<extra></extra>") if wide else
                    go.Bar(x=values, y=counts, marker_color=NEIGHBOR_COLOUR, hovertemplate="%{x}: %{y}<extra></extra>"))
    style(fig, height=height)
    fig.update_layout(xaxis=dict(title=dict(text=x_title), type="log" if wide else "linear"),
                      yaxis=dict(title=dict(text=y_title), type="log" if wide else "linear"), showlegend=False)
    return fig


def graph_drawing(xy: np.ndarray, edges: np.ndarray, names: Sequence[str], *,
                  groups: Optional[Sequence[str]] = None, sizes: Optional[np.ndarray] = None,
                  height: int = 420, highlight: Sequence[int] = ()) -> go.Figure:
    """Nodes at ``xy`` (V, 2) joined by ``edges`` (E, 2); one colour per group when given.

    ``highlight``: node rows drawn larger with a dark outline (e.g. a walk in the lesson).
    """
    xy = np.asarray(xy, dtype=np.float64)
    edges = np.asarray(edges, dtype=np.int64)
    line_x = np.full(3 * len(edges), np.nan)
    line_y = np.full(3 * len(edges), np.nan)
    line_x[0::3], line_x[1::3] = xy[edges[:, 0], 0], xy[edges[:, 1], 0]
    line_y[0::3], line_y[1::3] = xy[edges[:, 0], 1], xy[edges[:, 1], 1]
    fig = go.Figure(go.Scatter(x=np.round(line_x, 4), y=np.round(line_y, 4), mode="lines", hoverinfo="skip",
                               line=dict(color=OTHER_COLOUR, width=0.8), showlegend=False))
    size = np.full(len(xy), 9.0) if sizes is None else np.asarray(sizes, dtype=np.float64)
    names = [str(n) for n in names]
    keys = ["" for _ in names] if groups is None else [str(g) for g in groups]
    for i, key in enumerate(dict.fromkeys(keys)):
        rows = [r for r, k in enumerate(keys) if k == key]
        fig.add_trace(go.Scatter(
            x=np.round(xy[rows, 0], 4), y=np.round(xy[rows, 1], 4), mode="markers", name=key or " ",
            showlegend=groups is not None, customdata=[names[r] for r in rows],
            marker=dict(size=size[rows], color=PALETTE[i % len(PALETTE)], line=dict(width=0.5, color="#ffffff")),
            hovertemplate="%{customdata}<extra>" + (key or "") + "</extra>"))
    if len(highlight):
        rows = list(dict.fromkeys(int(r) for r in highlight))
        fig.add_trace(go.Scatter(x=np.round(xy[rows, 0], 4), y=np.round(xy[rows, 1], 4), mode="markers+text",
                                 text=[names[r] for r in rows], textposition="top center", showlegend=False,
                                 marker=dict(size=14, color="rgba(0,0,0,0)", line=dict(width=2.5, color="#222222")),
                                 hoverinfo="skip"))
    style(fig, height=height)
    fig.update_layout(xaxis=dict(visible=False), yaxis=dict(visible=False, scaleanchor="x"))
    return fig


def message_drawing(xy: np.ndarray, edges: np.ndarray, names: Sequence[str], centre: int, senders: Sequence[int],
                    weights: Sequence[float], *, groups: Optional[Sequence[str]] = None, title: str = "",
                    height: int = 420, max_width: float = 12.0) -> go.Figure:
    """One message-passing step: the graph faint, each sender's edge to ``centre`` drawn with a width (and
    a label) in proportion to its weight; ``senders`` may include ``centre`` itself (its self-loop: a ring)."""
    fig = graph_drawing(xy, edges, names, groups=groups, height=height)
    fig.data[0].line.color = "rgba(150,150,150,0.35)"
    xy = np.asarray(xy, dtype=np.float64)
    top = max(max((abs(float(w)) for w in weights), default=1.0), 1e-12)
    for row, weight in zip(senders, weights, strict=True):
        width = 1.0 + (max_width - 1.0) * abs(float(weight)) / top
        label = f"{float(weight):.2f}"
        if row == centre:
            fig.add_trace(go.Scatter(x=[xy[row, 0]], y=[xy[row, 1]], mode="markers+text", text=[label],
                                     textposition="bottom center", showlegend=False, hoverinfo="skip",
                                     marker=dict(size=14 + 2 * width, color="rgba(0,0,0,0)",
                                                 line=dict(width=width / 2, color=NEIGHBOR_COLOUR))))
            continue
        (x0, y0), (x1, y1) = xy[row], xy[centre]
        fig.add_trace(go.Scatter(x=[x0, x1], y=[y0, y1], mode="lines", showlegend=False, hoverinfo="skip",
                                 line=dict(width=width, color=NEIGHBOR_COLOUR), opacity=0.75))
        fig.add_trace(go.Scatter(x=[x0 * 0.6 + x1 * 0.4], y=[y0 * 0.6 + y1 * 0.4], mode="text", text=[label],
                                 showlegend=False, hovertemplate=f"{names[row]} → {names[centre]}: {label}<extra></extra>",
                                 textfont=dict(size=11, color="#222222")))
    fig.add_trace(go.Scatter(x=[xy[centre, 0]], y=[xy[centre, 1]], mode="markers+text", text=[str(names[centre])],
                             textposition="top center", showlegend=False, hoverinfo="skip",
                             marker=dict(size=16, color="rgba(0,0,0,0)", line=dict(width=3, color="#222222"))))
    if title:
        fig.update_layout(title=dict(text=title, x=0, xanchor="left"), margin=dict(t=40))
    return fig
