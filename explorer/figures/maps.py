"""Plotly figure builders: arrays in, ``go.Figure`` out. No Streamlit here.

Figures are kept lean because their JSON travels to the browser on every rerun: coordinates are
float32 rounded to 4 decimals (Plotly encodes NumPy arrays as base64 typed arrays), 2D scatters use
WebGL (``Scattergl``), hover text is the token only, and the heavy default template is replaced
by an empty one (Streamlit's chart theme styles the chart in the browser). Every layout sets a
font family that includes Noto Sans CJK so that Chinese labels render, not boxes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Optional

import numpy as np
import plotly.graph_objects as go
from plotly.colors import qualitative

from explorer.markup import html_text

FONT_FAMILY = '"Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif'
PALETTE: tuple[str, ...] = tuple(qualitative.Plotly + qualitative.Dark24 + qualitative.Light24)
OTHER_COLOUR = "#b8b8b8"
HIGHLIGHT_COLOUR = "#d62728"
NEIGHBOR_COLOUR = "#1f77b4"
MAX_POINTS = 50_000  # beyond this, the explorer draws a sample (see :func:`sample_rows`)


@dataclass
class Colouring:
    """How to colour the points of a scatter.

    kind:   "category" (one legend entry per distinct value) or "number" (a colour scale).
    values: one value per point, shape (n,): strings for categories, floats for numbers.
    title:  legend / colour-bar title.
    """

    kind: str
    values: Sequence | np.ndarray
    title: str = ""


@dataclass
class Highlight:
    """Points to emphasise: the queries (e.g. a searched token) and their neighbours.

    Rows index the arrays given to :func:`embedding_scatter`. A line is drawn from each query
    to each neighbour when ``lines`` is true (queries and neighbours are labelled on the chart).
    """

    queries: list[int] = field(default_factory=list)
    neighbors: list[int] = field(default_factory=list)
    lines: bool = True


def lean(values: np.ndarray, decimals: int = 4) -> np.ndarray:
    """float32 copy rounded to ``decimals``: what the browser needs, at half the bytes of float64."""
    return np.round(np.asarray(values, dtype=np.float32), decimals)


def sample_rows(n: int, limit: int = MAX_POINTS, seed: int = 0, keep: Sequence[int] = ()) -> np.ndarray:
    """Sorted row indices to draw: all rows when ``n <= limit``, else a seeded sample of ``limit``.

    Rows in ``keep`` (e.g. the searched token and its neighbours) are always included.
    """
    if n <= limit:
        return np.arange(n)
    rng = np.random.default_rng(seed)
    chosen = rng.choice(n, size=limit, replace=False)
    keep_arr = np.asarray([k for k in keep if 0 <= k < n], dtype=np.int64)
    return np.union1d(chosen, keep_arr)


def style(fig: go.Figure, *, title: str = "", height: Optional[int] = None, legend_title: str = "") -> go.Figure:
    """Common layout: CJK-capable font, empty template, tight margins."""
    fig.update_layout(
        template=go.layout.Template(),
        font=dict(family=FONT_FAMILY, size=13),
        hoverlabel=dict(font=dict(family=FONT_FAMILY)),
        margin=dict(l=10, r=10, t=40 if title else 10, b=10),
        legend=dict(title=dict(text=legend_title), itemsizing="constant"),
    )
    if title:
        fig.update_layout(title=dict(text=title, x=0, xanchor="left"))
    if height:
        fig.update_layout(height=height)
    return fig


def _axes(dims: int) -> dict:
    """Plain axes without tick labels (projection coordinates have no units)."""
    axis = dict(showticklabels=False, title=dict(text=""), zeroline=False)
    if dims == 3:
        return dict(scene=dict(xaxis=axis, yaxis=axis, zaxis=axis, aspectmode="data"))
    return dict(xaxis=axis, yaxis=axis)


def _trace(dims: int, coords: np.ndarray, rows: np.ndarray, **kwargs) -> go.Scattergl | go.Scatter3d:
    xyz = dict(x=lean(coords[rows, 0]), y=lean(coords[rows, 1]))
    if dims == 3:
        return go.Scatter3d(**xyz, z=lean(coords[rows, 2]), **kwargs)
    return go.Scattergl(**xyz, **kwargs)


def embedding_scatter(
    coords: np.ndarray,
    labels: Sequence[str],
    *,
    colouring: Optional[Colouring] = None,
    highlight: Optional[Highlight] = None,
    rows: Optional[np.ndarray] = None,
    title: str = "",
    point_size: Optional[float] = None,
    uirevision: str = "",
    height: int = 600,
) -> go.Figure:
    """Scatter of projected vectors, 2D (WebGL) or 3D by ``coords.shape[1]``.

    coords:   float (n, 2) or (n, 3) projection.
    labels:   n hover labels (tokens).
    rows:     row indices to draw (default all; see :func:`sample_rows`). Each point carries its
              row index in ``customdata`` so that a selection maps back to rows.
    colouring: categories (one trace per value, legend) or numbers (colour scale).
    highlight: rows to emphasise; others fade, and lines join queries to neighbours.
    uirevision: keep zoom/pan across redraws while this string stays the same.
    """
    coords = np.asarray(coords)
    n, dims = coords.shape
    if dims not in (2, 3):
        raise ValueError(f"coords must have 2 or 3 columns, got {coords.shape}")
    if len(labels) != n:
        raise ValueError(f"{len(labels)} labels for {n} points")
    rows = np.arange(n) if rows is None else np.asarray(rows, dtype=np.int64)
    labels_arr = np.asarray([html_text(x) for x in labels], dtype=object)  # data as text, not Plotly HTML
    emphasis = highlight is not None and bool(highlight.queries or highlight.neighbors)
    opacity = 0.45 if emphasis else 0.8
    size = point_size or (5 if dims == 2 else 3)
    if len(rows) > 5000:  # smaller dots: less overdraw, faster WebGL redraws while panning
        size = max(size - (2 if len(rows) <= 20_000 else 3), 2)

    fig = go.Figure()
    common = dict(mode="markers", hovertemplate="%{hovertext}<extra>%{fullData.name}</extra>")
    if colouring is None:
        fig.add_trace(_trace(dims, coords, rows, name="", hovertext=labels_arr[rows],
                             customdata=rows.astype(np.int32), showlegend=False,
                             marker=dict(size=size, color=NEIGHBOR_COLOUR, opacity=opacity), **common))
    elif colouring.kind == "category":
        values = np.asarray([str(v) for v in colouring.values], dtype=object)[rows]
        names = sorted(set(values), key=lambda s: (s in ("", "—"), s))  # unlabelled last
        for i, name in enumerate(names):
            sub = rows[values == name]
            colour = OTHER_COLOUR if name in ("", "—") else PALETTE[i % len(PALETTE)]
            fig.add_trace(_trace(dims, coords, sub, name=html_text(name) or "—", hovertext=labels_arr[sub],
                                 customdata=sub.astype(np.int32),
                                 marker=dict(size=size, color=colour, opacity=opacity), **common))
    elif colouring.kind == "number":
        values = lean(np.asarray(colouring.values, dtype=np.float64)[rows], 3)
        fig.add_trace(_trace(dims, coords, rows, name=colouring.title, hovertext=labels_arr[rows],
                             customdata=rows.astype(np.int32), showlegend=False,
                             marker=dict(size=size, color=values, colorscale="Viridis", opacity=opacity,
                                         colorbar=dict(title=dict(text=colouring.title), thickness=12)),
                             **common))
    else:
        raise ValueError(f"unknown colouring kind {colouring.kind!r}")

    if emphasis:
        _add_highlight(fig, dims, coords, labels_arr, highlight)
    style(fig, title=title, height=height, legend_title=colouring.title if colouring else "")
    fig.update_layout(**_axes(dims), uirevision=uirevision or None, hovermode="closest")
    if colouring is not None and colouring.kind == "category":  # legend below: the plot keeps the width
        fig.update_layout(legend=dict(orientation="h", yanchor="top", y=-0.01, x=0, xanchor="left"))
    return fig


_LABEL_POSITIONS = ("middle right", "bottom center", "middle left", "top right", "bottom left", "top left",
                    "bottom right")


def _add_highlight(fig: go.Figure, dims: int, coords: np.ndarray, labels: np.ndarray, hl: Highlight) -> None:
    queries = np.asarray(hl.queries, dtype=np.int64)
    neighbors = np.asarray([r for r in hl.neighbors if r not in set(hl.queries)], dtype=np.int64)
    line_trace = go.Scatter3d if dims == 3 else go.Scattergl
    if hl.lines and len(queries) and len(neighbors):
        segs = [(q, r) for q in queries for r in neighbors]
        pts = np.full((3 * len(segs), dims), np.nan, dtype=np.float32)
        pts[0::3] = coords[[q for q, _ in segs]]
        pts[1::3] = coords[[r for _, r in segs]]
        xyz = dict(x=lean(pts[:, 0]), y=lean(pts[:, 1]))
        if dims == 3:
            xyz["z"] = lean(pts[:, 2])
        fig.add_trace(line_trace(**xyz, mode="lines", hoverinfo="skip", showlegend=False, name="",
                                 line=dict(color=NEIGHBOR_COLOUR, width=1.5)))
    # Labelled markers use SVG text (few points), so they stay readable above the WebGL layer;
    # neighbours' labels go round their points in turn, so that close neighbours overlap less.
    for group, colour, size in ((neighbors, NEIGHBOR_COLOUR, 9), (queries, HIGHLIGHT_COLOUR, 13)):
        if not len(group):
            continue
        xyz = dict(x=lean(coords[group, 0]), y=lean(coords[group, 1]))
        positions = ["top center"] if colour == HIGHLIGHT_COLOUR else [
            _LABEL_POSITIONS[i % len(_LABEL_POSITIONS)] for i in range(len(group))]
        kwargs = dict(mode="markers+text", text=labels[group], textposition=positions, showlegend=False,
                      hovertext=labels[group], customdata=group.astype(np.int32), name="",
                      hovertemplate="%{hovertext}<extra></extra>",
                      marker=dict(size=size if dims == 2 else size / 2, color=colour,
                                  line=dict(color="white", width=1)),
                      textfont=dict(family=FONT_FAMILY, size=14 if colour == HIGHLIGHT_COLOUR else 12,
                                    color="#222"))
        if dims == 3:
            fig.add_trace(go.Scatter3d(**xyz, z=lean(coords[group, 2]), **kwargs))
        else:
            fig.add_trace(go.Scatter(**xyz, **kwargs))


def loss_curve(losses: Sequence[float], *, x: Optional[Sequence[float]] = None, title: str = "",
               x_title: str = "", y_title: str = "", height: int = 260) -> go.Figure:
    """Line chart of a loss history (one value per report or per epoch)."""
    y = np.asarray(losses, dtype=np.float64)
    xs = np.arange(1, len(y) + 1) if x is None else np.asarray(x)
    fig = go.Figure(go.Scatter(x=xs, y=np.round(y, 5), mode="lines+markers" if len(y) < 40 else "lines",
                               line=dict(color=NEIGHBOR_COLOUR, width=2), name=y_title,
                               hovertemplate="%{x}: %{y:.4f}<extra></extra>"))
    style(fig, title=title, height=height)
    fig.update_layout(xaxis=dict(title=dict(text=x_title)), yaxis=dict(title=dict(text=y_title)), showlegend=False)
    return fig


def popularity_curve(counts: Sequence[int] | np.ndarray, *, title: str = "", x_title: str = "",
                     y_title: str = "", height: int = 300) -> go.Figure:
    """Interactions per item sorted from most to least popular (log y): the long tail.

    counts: (n_items,) interactions per item, any order.
    """
    y = np.sort(np.asarray(counts, dtype=np.int64))[::-1]
    fig = go.Figure(go.Scatter(x=np.arange(1, len(y) + 1), y=y, mode="lines", fill="tozeroy",
                               line=dict(color=NEIGHBOR_COLOUR, width=2),
                               hovertemplate="#%{x}: %{y}<extra></extra>"))
    style(fig, title=title, height=height)
    fig.update_layout(xaxis=dict(title=dict(text=x_title)),
                      yaxis=dict(title=dict(text=y_title), type="log", dtick=1), showlegend=False)
    return fig


def word_arrows(coords: np.ndarray, labels: Sequence[str], *, background: Optional[np.ndarray] = None,
                title: str = "", height: int = 420) -> go.Figure:
    """Arrows from the origin to a few words' 2D positions (the Learn page's picture of vectors).

    coords: (m, 2) positions of the words, labels: m words, background: optional (n, 2) positions
    of the whole vocabulary drawn faintly behind.
    """
    coords = np.asarray(coords, dtype=np.float64)
    fig = go.Figure()
    if background is not None and len(background):
        fig.add_trace(go.Scattergl(x=lean(background[:, 0]), y=lean(background[:, 1]), mode="markers",
                                   hoverinfo="skip", showlegend=False,
                                   marker=dict(size=4, color=OTHER_COLOUR, opacity=0.35)))
    positions = ("top center", "bottom center", "middle left", "middle right")  # close tips: labels apart
    for i, (label, (x, y)) in enumerate(zip(labels, coords, strict=True)):
        colour = PALETTE[i % len(PALETTE)]
        fig.add_annotation(x=float(x), y=float(y), ax=0, ay=0, xref="x", yref="y", axref="x", ayref="y",
                           showarrow=True, arrowhead=3, arrowwidth=2.5, arrowcolor=colour, text="")
        fig.add_trace(go.Scatter(x=[float(x)], y=[float(y)], mode="markers+text", text=[label],
                                 textposition=positions[i % len(positions)], name=label, showlegend=False,
                                 marker=dict(size=10, color=colour),
                                 textfont=dict(family=FONT_FAMILY, size=16, color=colour),
                                 hovertemplate=f"{label}<extra></extra>"))
    fig.add_trace(go.Scatter(x=[0], y=[0], mode="markers", marker=dict(size=6, color="#222"),
                             hoverinfo="skip", showlegend=False))
    style(fig, title=title, height=height)
    # the origin and every tip inside, with room for the labels
    lo = np.minimum(coords.min(axis=0), 0.0)
    hi = np.maximum(coords.max(axis=0), 0.0)
    pad = 0.2 * np.maximum(hi - lo, 1e-6)
    axis = dict(zeroline=True, zerolinecolor="#ccc", showticklabels=False)
    fig.update_layout(xaxis=dict(axis, range=[float(lo[0] - pad[0]), float(hi[0] + pad[0])]),
                      yaxis=dict(axis, range=[float(lo[1] - pad[1]), float(hi[1] + pad[1])],
                                 scaleanchor="x", scaleratio=1))
    return fig
