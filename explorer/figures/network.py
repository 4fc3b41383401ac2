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
                  height: int = 420, highlight: Sequence[int] = (), zoom: bool = False) -> go.Figure:
    """Nodes at ``xy`` (V, 2) joined by ``edges`` (E, 2); one colour per group when given.

    ``highlight``: node rows drawn larger with a dark outline and named (e.g. a walk in the lesson). ``zoom``: the
    view starts on the highlighted nodes (the rest of the graph around them, a zoom-out away), so that their names
    spread out: on a class's graph a walk stays in one dense part, whose names were piled on each other.
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
    if zoom and len(highlight) and len(xy):
        near = xy[list(dict.fromkeys(int(r) for r in highlight))]
        whole = max(float(np.ptp(xy, axis=0).max()), 1e-6)
        _view_on(fig, near, max(0.2 * float(np.ptp(near, axis=0).max()), 0.05 * whole))
    return fig


def _view_on(fig: go.Figure, points: np.ndarray, pad: float) -> None:
    """Start the view on ``points`` (n, 2) with ``pad`` around them (the rest of the drawing a zoom-out away)."""
    low, high = points.min(axis=0), points.max(axis=0)
    fig.update_layout(xaxis=dict(range=[low[0] - pad, high[0] + pad]), yaxis=dict(range=[low[1] - pad, high[1] + pad]))


def message_drawing(xy: np.ndarray, edges: np.ndarray, names: Sequence[str], centre: int, senders: Sequence[int],
                    weights: Sequence[float], *, groups: Optional[Sequence[str]] = None, title: str = "",
                    height: int = 420, max_width: float = 9.0, labelled: int = 5) -> go.Figure:
    """One message-passing step: the graph faint, each sender's edge to ``centre`` drawn with a width in
    proportion to its weight; the ``labelled`` largest weights (and the centre's own, its self-loop drawn as a
    ring) are written on the picture, every weight shows on hover. A weight whose label would sit on one already
    written (senders close together) is left to its hover box."""
    fig = graph_drawing(xy, edges, names, groups=groups, height=height)
    fig.data[0].line.color = "rgba(150,150,150,0.35)"
    xy = np.asarray(xy, dtype=np.float64)
    weights = [float(w) for w in weights]
    top = max(max((abs(w) for w in weights), default=1.0), 1e-12)
    near = xy[list(dict.fromkeys([centre, *senders]))]
    apart = 0.08 * max(float(np.ptp(near, axis=0).max()), 1e-9)  # labels closer than this would overlap
    written, spots = {centre}, [xy[centre]]
    for k in np.argsort([-abs(w) for w in weights], kind="stable"):
        if len(written) > labelled:
            break
        row = senders[k]
        if row == centre:
            continue
        spot = xy[row] * 0.8 + xy[centre] * 0.2
        if all(np.abs(spot - other).max() >= apart for other in spots):
            written.add(row)
            spots.append(spot)
    for row, weight in zip(senders, weights, strict=True):
        width = 1.0 + (max_width - 1.0) * abs(weight) / top
        label = f"{weight:.2f}"
        hover = f"{names[row]} → {names[centre]}: {label}<extra></extra>"
        if row == centre:
            fig.add_trace(go.Scatter(x=[xy[row, 0]], y=[xy[row, 1]], mode="markers", showlegend=False,
                                     hovertemplate=hover, marker=dict(size=16 + 2 * width, color="rgba(0,0,0,0)",
                                                                      line=dict(width=width / 2,
                                                                                color=NEIGHBOR_COLOUR))))
            continue
        (x0, y0), (x1, y1) = xy[row], xy[centre]
        fig.add_trace(go.Scatter(x=np.linspace(x0, x1, 8), y=np.linspace(y0, y1, 8), mode="lines", showlegend=False,
                                 hovertemplate=hover, line=dict(width=width, color=NEIGHBOR_COLOUR), opacity=0.7))
        if row in written:
            fig.add_annotation(x=x0 * 0.8 + x1 * 0.2,  # near the sender: the labels spread out as the senders do
                               y=y0 * 0.8 + y1 * 0.2, text=label, showarrow=False, font=dict(size=11),
                               bgcolor="rgba(255,255,255,0.85)", borderpad=1)
    fig.add_trace(go.Scatter(x=[xy[centre, 0]], y=[xy[centre, 1]], mode="markers", showlegend=False,
                             hoverinfo="skip",
                             marker=dict(size=16, color="rgba(0,0,0,0)", line=dict(width=3, color="#222222"))))
    own = f" ({weights[list(senders).index(centre)]:.2f})" if centre in senders else ""
    fig.add_annotation(x=xy[centre, 0], y=xy[centre, 1], text=f"<b>{names[centre]}</b>{own}", showarrow=True,
                       arrowhead=0, ax=0, ay=-28, font=dict(size=12), bgcolor="rgba(255,255,255,0.9)")
    _view_on(fig, near, 0.15 * max(float(np.ptp(near, axis=0).max()), 1e-6))  # the neighbourhood, the rest around
    if title:
        fig.update_layout(title=dict(text=title, x=0, xanchor="left"), margin=dict(t=40))
    return fig
