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

from explorer.figures.labels import PLACES, annotation_shift, greedy_labels, label_box, text_width
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

    width_px: Optional[float] = None  # about how wide the chart is drawn: its labels are placed for that width
    queries: list[int] = field(default_factory=list)
    neighbors: list[int] = field(default_factory=list)
    lines: bool = True
    fan: bool = True  # labels of a clump of neighbours spread around it with leaders (short labels: no need)


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
    marks: Optional[Sequence[str]] = None,
) -> go.Figure:
    """Scatter of projected vectors, 2D (WebGL) or 3D by ``coords.shape[1]``.

    coords:   float (n, 2) or (n, 3) projection.
    labels:   n hover labels (tokens).
    rows:     row indices to draw (default all; see :func:`sample_rows`). Each point carries its
              row index in ``customdata`` so that a selection maps back to rows.
    colouring: categories (one trace per value, legend) or numbers (colour scale).
    highlight: rows to emphasise; others fade, and lines join queries to neighbours.
    uirevision: keep zoom/pan across redraws while this string stays the same.
    marks:    n short names written on the chart beside highlighted points (default: ``labels``); hover
              labels may then be long, a line break in one starts a new line of the hover box.
    """
    coords = np.asarray(coords)
    n, dims = coords.shape
    if dims not in (2, 3):
        raise ValueError(f"coords must have 2 or 3 columns, got {coords.shape}")
    if len(labels) != n:
        raise ValueError(f"{len(labels)} labels for {n} points")
    rows = np.arange(n) if rows is None else np.asarray(rows, dtype=np.int64)
    labels_arr = np.asarray([html_text(x).replace("\n", "<br>") for x in labels], dtype=object)  # data as text
    if marks is not None and len(marks) != n:
        raise ValueError(f"{len(marks)} marks for {n} points")
    marks_arr = labels_arr if marks is None else np.asarray([html_text(x) for x in marks], dtype=object)
    emphasis = highlight is not None and bool(highlight.queries or highlight.neighbors)
    opacity = 0.45 if emphasis else 0.8
    size = point_size or (5 if dims == 2 else 3)
    if len(rows) > 5000:  # smaller dots: less overdraw, faster WebGL redraws while panning
        size = max(size - (2 if len(rows) <= 20_000 else 3), 2)

    fig = go.Figure()
    title = _escape(colouring.title) if colouring is not None else ""
    if colouring is None:
        fig.add_trace(_trace(dims, coords, rows, name="", hovertext=labels_arr[rows],
                             customdata=rows.astype(np.int32), showlegend=False, mode="markers",
                             hovertemplate="%{hovertext}<extra></extra>",
                             marker=dict(size=size, color=NEIGHBOR_COLOUR, opacity=opacity)))
    elif colouring.kind == "category":
        values = np.asarray([str(v) for v in colouring.values], dtype=object)[rows]
        names = sorted(set(values), key=lambda s: (s in ("", "—"), s))  # legend order: unlabelled last
        # drawn first, so beneath: unlabelled (grey) points never hide a labelled one
        for rank, name in sorted(enumerate(names), key=lambda x: x[1] not in ("", "—")):
            sub = rows[values == name]
            colour = OTHER_COLOUR if name in ("", "—") else PALETTE[rank % len(PALETTE)]
            fig.add_trace(_trace(dims, coords, sub, name=html_text(name) or "—", hovertext=labels_arr[sub],
                                 customdata=sub.astype(np.int32), mode="markers", legendrank=1000 + rank,
                                 hovertemplate=f"%{{hovertext}}<br>{title}: %{{fullData.name}}<extra></extra>",
                                 marker=dict(size=size, color=colour, opacity=opacity)))
    elif colouring.kind == "number":
        values = lean(np.asarray(colouring.values, dtype=np.float64)[rows], 3)
        fig.add_trace(_trace(dims, coords, rows, name=colouring.title, hovertext=labels_arr[rows],
                             customdata=rows.astype(np.int32), showlegend=False, mode="markers",
                             hovertemplate=f"%{{hovertext}}<br>{title}: %{{marker.color:.3~f}}<extra></extra>",
                             marker=dict(size=size, color=values, colorscale="Viridis", opacity=opacity,
                                         # the title reads along the bar: it stays clear of the toolbar
                                         colorbar=dict(title=dict(text=colouring.title, side="right"),
                                                       thickness=12, len=0.9, y=0.45))))
    else:
        raise ValueError(f"unknown colouring kind {colouring.kind!r}")

    if emphasis:
        _add_highlight(fig, dims, coords, labels_arr, highlight, height_px=height - 40, marks=marks_arr)
    style(fig, title=title, height=height, legend_title=colouring.title if colouring else "")
    fig.update_layout(**_axes(dims), uirevision=uirevision or None, hovermode="closest")
    if colouring is not None and colouring.kind == "category":  # legend below: the plot keeps the width
        fig.update_layout(legend=dict(orientation="h", yanchor="top", y=-0.01, x=0, xanchor="left"))
    return fig


# candidate label positions, in order of preference: (plotly textposition, x side, y side)
_PLACES = (("middle right", 1, 0), ("middle left", -1, 0), ("top center", 0, 1), ("bottom center", 0, -1),
           ("top right", 1, 1), ("bottom right", 1, -1), ("top left", -1, 1), ("bottom left", -1, -1))
LABEL_PX = 16.0  # height of a chart label in pixels (12 px text + padding)
CLUSTER_LABEL_PX = 28.0  # height of a framed cluster name (13 px text, padding and border, as the browser draws it)


def _text_px(text: str, size: float = 12.0) -> float:
    """Estimated width of ``text`` in pixels: CJK characters are square, Latin ones about half."""
    return sum(size if ord(ch) > 0x2E80 else size * 0.6 for ch in str(text)) + 4


def _label_box(x: float, y: float, w: float, h: float, side_x: int, side_y: int, gap: float) -> tuple:
    left = x + gap if side_x > 0 else x - gap - w if side_x < 0 else x - w / 2
    bottom = y + gap if side_y > 0 else y - gap - h if side_y < 0 else y - h / 2
    return left, bottom, left + w, bottom + h


def _overlap(a: tuple, b: tuple) -> float:
    return max(0.0, min(a[2], b[2]) - max(a[0], b[0])) * max(0.0, min(a[3], b[3]) - max(a[1], b[1]))


def place_labels(points_px: np.ndarray, texts: Sequence[str], fixed_px: Sequence[tuple] = (),
                 bounds_px: Optional[tuple] = None) -> list[str]:
    """A plotly ``textposition`` per label, chosen greedily so that labels overlap each other, the
    labelled points and ``fixed_px`` boxes as little as possible (and stay inside ``bounds_px``).

    points_px: float (m, 2) positions of the labelled points in pixels (y up).
    Returns m positions such as ``"middle right"``; the first label gets its first choice.

    >>> place_labels(np.array([[0.0, 0.0], [0.0, 0.0]]), ["dog", "cat"])
    ['middle right', 'middle left']
    """
    pts = np.asarray(points_px, dtype=np.float64).reshape(-1, 2)
    placed: list[tuple] = list(fixed_px)
    dots = [(x - 5, y - 5, x + 5, y + 5) for x, y in pts]
    out = []
    for i, ((x, y), text) in enumerate(zip(pts, texts, strict=True)):
        w = _text_px(text)
        best, best_cost = _PLACES[0], None
        for order, place in enumerate(_PLACES):
            box = _label_box(x, y, w, LABEL_PX, place[1], place[2], gap=6.0)
            cost = sum(_overlap(box, other) for other in placed)
            cost += sum(_overlap(box, dot) for j, dot in enumerate(dots) if j != i)
            if bounds_px is not None:
                inside = _overlap(box, bounds_px)
                cost += 2 * (w * LABEL_PX - inside)
            cost += order * 0.01  # ties: the preferred position
            if best_cost is None or cost < best_cost:
                best, best_cost = place, cost
        placed.append(_label_box(x, y, w, LABEL_PX, best[1], best[2], gap=6.0))
        out.append(best[0])
    return out


def _to_px(coords: np.ndarray, ref: np.ndarray, width_px: float, height_px: float) -> np.ndarray:
    """Data (n, 2) -> pixels, the span of ``ref`` (all drawn points) filling ``width_px`` x ``height_px``."""
    lo, hi = np.nanmin(ref, axis=0), np.nanmax(ref, axis=0)
    span = np.where(hi - lo > 0, hi - lo, 1.0)
    return (np.asarray(coords, dtype=np.float64) - lo) / span * np.array([width_px, height_px])


def _escape(text: str) -> str:
    """``text`` shown literally inside a plotly template (no HTML tags, no ``%{...}`` fields)."""
    return html_text(text).replace("%{", "% {")


def _add_highlight(fig: go.Figure, dims: int, coords: np.ndarray, labels: np.ndarray, hl: Highlight,
                   width_px: float = 800.0, height_px: float = 560.0, marks: Optional[np.ndarray] = None) -> None:
    hover, labels = labels, (labels if marks is None else marks)  # hover boxes: the labels; on the chart: the marks
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
    # 2D: the base points are WebGL, and Plotly draws its WebGL canvas above SVG traces, so the emphasised
    # markers are WebGL too (drawn after the base points: on top of them) and every label is an annotation
    # (Plotly's top layer), where a neighbour's label takes the side where it overlaps the others least;
    # when the neighbours sit in a clump (labels would still overlap) the labels fan out around the clump,
    # each with a thin leader. 3D: one WebGL scene; labels are the markers' text.
    fixed = []
    width_px = hl.width_px or width_px
    query_places: list = []
    if dims == 2 and len(queries):
        # the queries' labels first, above their points where there is room, else round them; a query
        # label with no room left is dropped (several searched words in one clump: hover names them)
        q_px = _to_px(coords[queries, :2], coords[:, :2], width_px, height_px)
        q_texts = [str(t) for t in labels[queries]]
        query_places = greedy_labels(q_px, q_texts, places=(PLACES[2],) + PLACES[:2] + PLACES[3:], size=14,
                                     gap=8.0, dot=9.0)  # the queries' markers: 13 px and a white ring
        fixed = [label_box(x, y, text_width(t, 14), LABEL_PX, p, 8.0)
                 for (x, y), t, p in zip(q_px, q_texts, query_places, strict=True) if p is not None]
    for group, colour, size in ((neighbors, NEIGHBOR_COLOUR, 9), (queries, HIGHLIGHT_COLOUR, 13)):
        if not len(group):
            continue
        xyz = dict(x=lean(coords[group, 0]), y=lean(coords[group, 1]))
        kwargs = dict(showlegend=False, hovertext=hover[group], customdata=group.astype(np.int32),
                      name="", hovertemplate="%{hovertext}<extra></extra>",
                      marker=dict(size=size if dims == 2 else size / 2, color=colour,
                                  line=dict(color="white", width=1)))
        font = dict(family=FONT_FAMILY, size=14 if colour == HIGHLIGHT_COLOUR else 12, color="#222")
        if dims == 3:
            fig.add_trace(go.Scatter3d(**xyz, z=lean(coords[group, 2]), mode="markers+text", text=labels[group],
                                       textposition="top center" if colour == HIGHLIGHT_COLOUR else "middle right",
                                       textfont=font, **kwargs))
            continue
        fig.add_trace(go.Scattergl(**xyz, mode="markers", **kwargs))
        if colour == HIGHLIGHT_COLOUR:
            for row, place in zip(group, query_places, strict=True):
                if place is not None:
                    fig.add_annotation(x=float(coords[row, 0]), y=float(coords[row, 1]), text=str(labels[row]),
                                       showarrow=False, font=font, bgcolor="rgba(255,255,255,0.6)",
                                       **annotation_shift(place, LABEL_PX, 8.0))
            continue
        else:
            px = _to_px(coords[group, :2], coords[:, :2], width_px, height_px)
            bounds = (0.0, 0.0, width_px, height_px)
            positions = place_labels(px, labels[group], fixed, bounds_px=bounds)
            if hl.fan and _crowded(px, labels[group], positions, fixed):
                centre = _to_px(coords[np.r_[queries, group], :2], coords[:, :2], width_px, height_px).mean(axis=0)
                for (ax, ay), anchor, row in zip(*fan_out(px, labels[group], centre, bounds), group, strict=True):
                    fig.add_annotation(x=float(coords[row, 0]), y=float(coords[row, 1]), ax=ax, ay=ay,
                                       text=str(labels[row]), xanchor=anchor, showarrow=True, arrowhead=0,
                                       arrowwidth=1, arrowcolor="#9ab", standoff=4, font=font,
                                       bgcolor="rgba(255,255,255,0.8)")
                continue
        for row, place in zip(group, positions, strict=True):
            xanchor, yanchor, xshift, yshift = _ANCHORS[place]
            fig.add_annotation(x=float(coords[row, 0]), y=float(coords[row, 1]), text=str(labels[row]),
                               showarrow=False, xanchor=xanchor, yanchor=yanchor, xshift=xshift, yshift=yshift,
                               font=font, bgcolor="rgba(255,255,255,0.6)")


# a label beside its point: plotly textposition -> annotation (xanchor, yanchor, xshift px, yshift px)
_ANCHORS = {"middle right": ("left", "middle", 6, 0), "middle left": ("right", "middle", -6, 0),
            "top center": ("center", "bottom", 0, 7), "bottom center": ("center", "top", 0, -7),
            "top right": ("left", "bottom", 4, 4), "bottom right": ("left", "top", 4, -4),
            "top left": ("right", "bottom", -4, 4), "bottom left": ("right", "top", -4, -4)}


def _crowded(points_px: np.ndarray, texts: Sequence[str], positions: Sequence[str], fixed: Sequence[tuple]) -> bool:
    """Whether labels at ``positions`` still overlap each other or the ``fixed`` boxes."""
    sides = {name: (sx, sy) for name, sx, sy in _PLACES}
    boxes = [_label_box(x, y, _text_px(t), LABEL_PX, *sides[p], gap=6.0)
             for (x, y), t, p in zip(points_px, texts, positions, strict=True)]
    others = list(fixed)
    for box in boxes:
        if any(_overlap(box, o) > 0.15 * (box[2] - box[0]) * LABEL_PX for o in others):
            return True
        others.append(box)
    return False


def fan_out(points_px: np.ndarray, texts: Sequence[str], centre: np.ndarray,
            bounds_px: tuple) -> tuple[list[tuple[float, float]], list[str]]:
    """Label offsets that spread the labels of a clump of points around it, one per point.

    Points keep their order around ``centre`` (by angle); labels go on an ellipse around the clump,
    evenly spaced, far enough apart for their height, inside ``bounds_px``. Returns, per point, the
    label's offset ``(ax, ay)`` in pixels from its point (plotly annotations: ``ay`` grows downwards)
    and its ``xanchor``.

    >>> offsets, anchors = fan_out(np.array([[100.0, 100.0], [102.0, 100.0]]), ["a", "b"],
    ...                           np.array([101.0, 100.0]), (0, 0, 800, 600))
    >>> anchors, bool(offsets[0][0] < 0 < offsets[1][0])
    (['right', 'left'], True)
    """
    pts = np.asarray(points_px, dtype=np.float64).reshape(-1, 2)
    m = len(pts)
    rel = pts - centre
    angles = np.arctan2(rel[:, 1], rel[:, 0])
    order = np.argsort(angles, kind="stable")
    start = angles[order[0]] if m else 0.0
    spread = np.max(np.hypot(rel[:, 0], rel[:, 1])) if m else 0.0
    ry = max(50.0, spread + 30.0, m * (LABEL_PX + 4) / np.pi)
    rx = max(90.0, spread + 50.0, 1.6 * ry)
    offsets: list[tuple[float, float]] = [(0.0, 0.0)] * m
    anchors = ["center"] * m
    for slot, i in enumerate(order):
        theta = start + 2 * np.pi * slot / max(m, 1)
        lx = float(np.clip(centre[0] + rx * np.cos(theta), bounds_px[0] + 10, bounds_px[2] - 10))
        ly = float(np.clip(centre[1] + ry * np.sin(theta), bounds_px[1] + 10, bounds_px[3] - 10))
        offsets[i] = (lx - pts[i, 0], -(ly - pts[i, 1]))
        anchors[i] = "left" if np.cos(theta) > 0.3 else "right" if np.cos(theta) < -0.3 else "center"
    return offsets, anchors


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


def cluster_labels(fig: go.Figure, coords: np.ndarray, groups: Sequence[str], names: dict[str, str],
                   width_px: float = 700.0, height_px: float = 400.0) -> int:
    """Write each group's name on a 2-D scatter at the group's centre (the median of its points), biggest
    groups first; a name that would overlap one already written moves up or down a little, else is left out
    (the legend still names it). Each name is framed in its group's colour (the trace named after the group).
    Overlaps are judged on a small plot (``width_px`` x ``height_px``: the plot area of a narrow page, legend
    below) with boxes as tall as a framed name is drawn, so that on a wider chart names only stand further apart.
    Returns the number of names written.

    >>> fig = go.Figure([go.Scattergl(x=[0, 1, 9, 10], y=[0, 1, 9, 10], name="a")])
    >>> cluster_labels(fig, np.array([[0, 0], [1, 1], [9, 9], [10, 10]]), ["a", "a", "b", "b"],
    ...                {"a": "cat · dog", "b": "<b>x</b>"}), fig.layout.annotations[1].text
    (2, '&lt;b&gt;x&lt;/b&gt;')
    """
    coords = np.asarray(coords, dtype=np.float64)[:, :2]
    groups_arr = np.asarray([str(g) for g in groups], dtype=object)
    colours = {t.name: getattr(t.marker, "color", None) for t in fig.data if getattr(t, "name", None)}
    order = sorted(names, key=lambda g: (-int(np.sum(groups_arr == g)), g))
    placed: list[tuple] = []
    bounds = (0.0, 0.0, width_px, height_px)
    written = 0
    for group in order:
        members = coords[groups_arr == group]
        if not len(members) or not names[group]:
            continue
        centre = np.median(members, axis=0)
        x, y = _to_px(centre[None, :], coords, width_px, height_px)[0]
        w, h = _text_px(names[group], 13) + 14, CLUSTER_LABEL_PX
        # a name at the edge of the map is moved inside it (the points span the whole map)
        xshift = float(np.clip(x, bounds[0] + w / 2, bounds[2] - w / 2) - x) if w < bounds[2] else 0.0
        for shift in (0.0, h + 4, -h - 4, 2 * h + 8, -2 * h - 8):
            yc = float(np.clip(y + shift, bounds[1] + h / 2, bounds[3] - h / 2))
            box = (x + xshift - w / 2, yc - h / 2, x + xshift + w / 2, yc + h / 2)
            if not any(_overlap(box, other) > 0 for other in placed):
                break
        else:
            continue
        placed.append(box)
        colour = colours.get(html_text(group) or "—")
        fig.add_annotation(x=float(centre[0]), y=float(centre[1]), xshift=xshift, yshift=yc - y,
                           text=html_text(names[group]),
                           showarrow=False, font=dict(family=FONT_FAMILY, size=13, color="#111"),
                           bgcolor="rgba(255,255,255,0.85)", bordercolor=colour if isinstance(colour, str) else "#888",
                           borderwidth=2, borderpad=2)
        written += 1
    return written
