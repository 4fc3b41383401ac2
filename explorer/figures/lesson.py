"""Figures of the lesson pages: the frames player, distributions, the gradient step, the semantic axis.

Arrays in, ``go.Figure`` out (never streamlit). Text passed in (titles, button labels) is already
translated by the page.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any, Optional

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from explorer.figures.labels import PLACES, STACKED, annotation_shift, greedy_labels, to_pixels
from explorer.figures.maps import HIGHLIGHT_COLOUR, NEIGHBOR_COLOUR, OTHER_COLOUR, PALETTE, lean, style

#: above this many points the player draws with WebGL
GL_POINTS = 2000


def _colours(categories: Sequence[str]) -> list[str]:
    names = sorted({c for c in categories if c})
    table = {c: PALETTE[i % len(PALETTE)] for i, c in enumerate(names)}
    return [table.get(c, OTHER_COLOUR) for c in categories]


def frames_player(coords: np.ndarray, labels: Sequence[str], categories: Sequence[str], probes: Sequence[int],
                  neighbours: Sequence[Sequence[Sequence[str]]], meta: Sequence[dict[str, Any]],
                  loss_curve: Sequence[tuple[float, float]], text: dict[str, str], height: int = 640) -> go.Figure:
    """An animated map of ``coords`` (n_frames, m, 2) with a play button and a frame slider.

    Probe points are drawn large and labelled, their neighbours per frame listed at the bottom right;
    the loss curve (bottom left) marks the current frame. ``text``: translated ``play``, ``pause``,
    ``frame``, ``epoch``, ``loss``, ``progress``, ``neighbours`` labels.
    """
    n_frames = coords.shape[0]
    labels = [html.escape(t) for t in labels]  # data is text: plotly would read tags in it
    neighbours = [[[html.escape(t) for t in row] for row in frame] for frame in neighbours]
    fig = make_subplots(rows=2, cols=2, specs=[[{"colspan": 2}, None], [{}, {}]], row_heights=[0.74, 0.26],
                        column_widths=[0.45, 0.55], vertical_spacing=0.06, horizontal_spacing=0.04)
    scatter = go.Scattergl if coords.shape[1] > GL_POINTS else go.Scatter
    colours = _colours(categories)
    probes = list(probes)
    pad = 0.05
    lo, hi = coords.reshape(-1, 2).min(0), coords.reshape(-1, 2).max(0)
    lo_f, hi_f = coords[-1].min(0), coords[-1].max(0)
    span = np.maximum(hi_f - lo_f, 1e-6)
    lo, hi = np.minimum(lo, lo_f - pad * span), np.maximum(hi, hi_f + pad * span)
    loss_x = [p for p, _ in loss_curve]
    loss_y = [v for _, v in loss_curve]

    kind = "scattergl" if scatter is go.Scattergl else "scatter"
    # hidden (a blank, so that the text elements exist for later frames) while all points still sit at the centre
    probe_text = [labels[p] for p in probes]
    final_span = float(np.ptp(coords[-1], axis=0).max()) if coords.shape[1] else 0.0

    map_w, map_h = 640.0, 0.74 * height - 60  # the map's plot area, about, in pixels
    caption_box = (0.0, map_h - 24, 360.0, map_h)

    def probe_labels(xy: np.ndarray) -> dict[str, list[str]]:
        """The probes' labels in one frame: each placed clear of the others, or blank (dropped) when
        there is no room; all blank while the points still sit at the centre."""
        if not probes or np.ptp(xy, axis=0).max() <= 0.05 * final_span:
            return {"text": ["\u00a0"] * len(probes), "textposition": ["top center"] * len(probes)}
        px = to_pixels(xy[probes], (float(lo[0]), float(hi[0])), (float(lo[1]), float(hi[1])), map_w, map_h)
        places = greedy_labels(px, probe_text, places=PLACES, size=14, height=18, fixed=[caption_box])
        return {"text": [t if p is not None else "\u00a0" for t, p in zip(probe_text, places, strict=True)],
                "textposition": [p.name if p is not None else "top center" for p in places]}

    def caption(f: int) -> str:
        m = meta[f]
        loss = m.get("loss")
        return (f"{text['epoch']} {m.get('epoch', 0)} · {text['progress']} {100 * m.get('progress', 0):.0f}%"
                + (f" · {text['loss']} {loss:.3f}" if loss is not None else ""))

    def frame_data(f: int) -> list[dict[str, Any]]:
        """Only what changes from frame to frame, as plain dicts (validating styled traces per frame is slow)."""
        xy = lean(coords[f])
        m = meta[f]
        lines = [f"<b>{labels[p]}</b>: " + ", ".join(neighbours[f][i]) for i, p in enumerate(probes)] \
            if f < len(neighbours) else []
        loss_here = m.get("loss")
        return [
            {"type": kind, "x": xy[:, 0], "y": xy[:, 1]},
            {"type": "scatter", "x": xy[probes, 0], "y": xy[probes, 1], **probe_labels(xy)},
            {"type": "scatter", "x": [m.get("progress", 0.0)],
             "y": [loss_here if loss_here is not None else (loss_y[0] if loss_y else 0.0)]},
            {"type": "scatter", "x": [0.0] * len(lines), "y": list(range(len(lines), 0, -1)), "text": lines},
            {"type": "scatter", "x": [float(lo[0])], "y": [float(hi[1])], "text": [caption(f)]},
        ]

    last = frame_data(n_frames - 1)
    fig.add_trace(scatter(last[0], mode="markers", marker=dict(size=5, color=colours, opacity=0.65),
                          text=list(labels), hoverinfo="text", showlegend=False), row=1, col=1)
    fig.add_trace(go.Scatter(last[1], mode="markers+text",
                             marker=dict(size=13, color=HIGHLIGHT_COLOUR, line=dict(width=1, color="white")),
                             textfont=dict(size=14, color=HIGHLIGHT_COLOUR), hovertext=[labels[p] for p in probes],
                             hoverinfo="text", showlegend=False),
                  row=1, col=1)
    fig.add_trace(go.Scatter(x=loss_x, y=loss_y, mode="lines", line=dict(color=NEIGHBOR_COLOUR), showlegend=False,
                             hoverinfo="skip"), row=2, col=1)
    fig.add_trace(go.Scatter(last[2], mode="markers", marker=dict(size=12, color=HIGHLIGHT_COLOUR), showlegend=False,
                             hoverinfo="skip"), row=2, col=1)
    fig.add_trace(go.Scatter(last[3], mode="text", textposition="middle right", textfont=dict(size=12),
                             hoverinfo="skip", showlegend=False), row=2, col=2)
    # the frame's caption is a text trace, not the layout title: animations with redraw off skip layout changes
    fig.add_trace(go.Scatter(last[4], mode="text", textposition="bottom right", hoverinfo="skip", showlegend=False,
                             textfont=dict(size=16)), row=1, col=1)
    animated = [0, 1, 3, 4, 5]

    redraw = scatter is go.Scattergl
    fig.frames = [go.Frame(data=frame_data(f), traces=animated, name=str(f)) for f in range(n_frames)]
    steps = [dict(method="animate", label=str(f), args=[[str(f)], dict(mode="immediate", frame=dict(
        duration=0, redraw=redraw), transition=dict(duration=0))]) for f in range(n_frames)]
    fig.update_layout(
        height=height,
        sliders=[dict(active=n_frames - 1, steps=steps, x=0.08, len=0.92, y=-0.02, yanchor="top",
                      currentvalue=dict(prefix=f"{text['frame']} "), pad=dict(t=30))],
        updatemenus=[dict(type="buttons", direction="left", x=0.0, y=-0.02, yanchor="top", xanchor="left",
                          pad=dict(t=30, r=10), showactive=False, buttons=[
                              dict(label="▶ " + text["play"], method="animate",
                                   args=[None, dict(frame=dict(duration=350, redraw=redraw), fromcurrent=True,
                                                    transition=dict(duration=250), mode="immediate")]),
                              dict(label="❚❚ " + text["pause"], method="animate",
                                   args=[[None], dict(frame=dict(duration=0, redraw=False), mode="immediate")]),
                          ])],
    )
    style(fig, height=height)
    fig.update_layout(margin=dict(l=10, r=10, t=10, b=90))
    fig.update_xaxes(range=[lo[0], hi[0]], showticklabels=False, zeroline=False, row=1, col=1)
    fig.update_yaxes(range=[lo[1], hi[1]], showticklabels=False, zeroline=False, row=1, col=1)
    fig.update_xaxes(title=dict(text=text["progress"]), range=[0, 1.02], row=2, col=1)
    fig.update_yaxes(title=dict(text=text["loss"]), row=2, col=1)
    fig.update_xaxes(visible=False, range=[0, 1], row=2, col=2)
    fig.update_yaxes(visible=False, range=[0, max(2, len(probes) + 1)], row=2, col=2)
    return fig


def live_map(xy: np.ndarray, title: str, height: int = 360) -> go.Figure:
    """The latest frame of a running job: unlabelled points (m, 2)."""
    xy = lean(xy)
    fig = go.Figure(go.Scattergl(x=xy[:, 0], y=xy[:, 1], mode="markers", marker=dict(size=4, color=NEIGHBOR_COLOUR,
                                                                                      opacity=0.6),
                                 hoverinfo="skip"))
    style(fig, title=title, height=height)
    fig.update_xaxes(showticklabels=False, zeroline=False)
    fig.update_yaxes(showticklabels=False, zeroline=False, scaleanchor="x")
    return fig


def distribution_bars(words: Sequence[str], series: dict[str, Sequence[float]], title: str = "",
                      height: int = 320) -> go.Figure:
    """Grouped bars: one group per word, one bar per named series (e.g. unigram vs unigram^0.75)."""
    fig = go.Figure([go.Bar(name=name, x=list(words), y=list(values), marker_color=PALETTE[i])
                     for i, (name, values) in enumerate(series.items())])
    fig.update_layout(barmode="group")
    return style(fig, title=title, height=height)


def step_arrows(points: np.ndarray, names: Sequence[str], title: str = "", height: int = 380,
                width_px: float = 640.0) -> go.Figure:
    """Vectors before (solid) and after (dashed) one gradient step; ``points`` (2 * m, 2): m before, then m after.

    Names label the vectors' tips, the first ones first (u, then v, then the negatives); a label
    that would cover another one moves round its tip or, with no room left, is dropped (hover shows it).
    """
    m = len(names)
    fig = go.Figure()
    pts = lean(points)
    everything = np.vstack([pts.astype(np.float64), np.zeros((1, 2))])
    lo, hi = everything.min(0), everything.max(0)
    pad = 0.15 * np.maximum(hi - lo, 1e-6)
    lo, hi = lo - pad, hi + pad
    plot_h = height - (50 if title else 20)
    # one scale for both axes (scaleanchor): the tighter of the two fits, the other axis widens
    scale = min(width_px / (hi[0] - lo[0]), plot_h / (hi[1] - lo[1]))
    centre = (lo + hi) / 2
    tips = (pts[:m].astype(np.float64) - centre) * scale + np.array([width_px, plot_h]) / 2
    after = (pts[m:].astype(np.float64) - centre) * scale + np.array([width_px, plot_h]) / 2
    places = greedy_labels(tips, names, places=PLACES[2:] + PLACES[:2] + STACKED[2:],
                           fixed=[(x - 5, y - 5, x + 5, y + 5) for x, y in after],
                           bounds=(0.0, 0.0, width_px, plot_h))
    for i, name in enumerate(names):
        colour = HIGHLIGHT_COLOUR if i == 0 else NEIGHBOR_COLOUR if i == 1 else OTHER_COLOUR
        (x0, y0), (x1, y1) = pts[i], pts[m + i]
        fig.add_trace(go.Scatter(x=[0, x0], y=[0, y0], mode="lines+markers", line=dict(color=colour, width=3),
                                 showlegend=False, text=["", html.escape(name)], hoverinfo="text"))
        fig.add_annotation(x=x1, y=y1, ax=x0, ay=y0, xref="x", yref="y", axref="x", ayref="y", showarrow=True,
                           arrowhead=2, arrowsize=1.2, arrowwidth=2, arrowcolor=colour)
        if places[i] is not None:
            fig.add_annotation(x=float(x0), y=float(y0), text=html.escape(name), showarrow=False,
                               font=dict(size=12, color="#555" if i > 1 else colour),
                               bgcolor="rgba(255,255,255,0.7)", **annotation_shift(places[i]))
    style(fig, title=title, height=height)
    fig.update_yaxes(scaleanchor="x", zeroline=True, range=[float(lo[1]), float(hi[1])])
    fig.update_xaxes(zeroline=True, range=[float(lo[0]), float(hi[0])])
    return fig


def axis_strip(scores: np.ndarray, words: Sequence[str], groups: Sequence[str], a: str, b: str,
               title: str = "", height: int = 420, width_px: float = 640.0) -> go.Figure:
    """Words placed by their score on the a → b direction (x), one row per group (y).

    Labels go above or below their word, stepping further out where the row is crowded; the ends of
    the axis (``a``, ``b``, the most extreme words) are labelled first, and a label with no room is
    dropped (hover shows every word).
    """
    names = list(dict.fromkeys(groups))
    scores = np.asarray(scores, dtype=np.float64)
    fig = go.Figure()
    lo, hi = (float(scores.min()), float(scores.max())) if len(scores) else (-1.0, 1.0)
    pad = 0.06 * max(hi - lo, 1e-6)
    lo, hi = lo - pad, hi + pad
    plot_h = height - (90 if title else 60)
    rows = {g: k for k, g in enumerate(names)}  # numeric rows (annotations and markers share them), named by ticks
    row_y = {g: (k + 0.5) * plot_h / max(len(names), 1) for g, k in rows.items()}
    px = np.column_stack([(scores - lo) / (hi - lo) * width_px, [row_y[g] for g in groups]]) if len(scores) \
        else np.zeros((0, 2))
    ends = {w: k for k, w in enumerate((a, b))}
    priority = sorted(range(len(words)), key=lambda j: (ends.get(words[j], 2), -abs(float(scores[j]))))
    places = greedy_labels(px, [str(w) for w in words], places=STACKED, order=priority,
                           bounds=(-20.0, -10.0, width_px + 20.0, plot_h + 10.0))
    for i, g in enumerate(names):
        idx = sorted((j for j, gg in enumerate(groups) if gg == g), key=lambda j: float(scores[j]))
        colour = PALETTE[i % len(PALETTE)]
        fig.add_trace(go.Scatter(x=lean(scores[idx]), y=[rows[g]] * len(idx), mode="markers",
                                 text=[html.escape(str(words[j])) for j in idx], name=g,
                                 marker=dict(size=9, color=colour), hoverinfo="text"))
        for j in idx:
            if places[j] is not None:
                fig.add_annotation(x=float(scores[j]), y=rows[g], text=html.escape(str(words[j])), showarrow=False,
                                   font=dict(size=12, color="#333"), **annotation_shift(places[j]))
    fig.add_vline(x=0, line=dict(color=OTHER_COLOUR, dash="dot"))
    style(fig, title=title, height=height)
    fig.update_xaxes(title=dict(text=f"← {a}   ·   {b} →"), range=[lo, hi])
    fig.update_yaxes(range=[-0.5, len(names) - 0.5], tickvals=list(rows.values()), ticktext=list(rows), zeroline=False,
                     showgrid=False)
    fig.update_layout(showlegend=False)
    return fig


def recall_map(coords: np.ndarray, recall: np.ndarray, labels: Sequence[str], title: str, colour_title: str,
               height: int = 330, show_scale: bool = False) -> go.Figure:
    """A 2D map coloured by each point's neighbour recall (0 red .. 1 green)."""
    xy = lean(coords)
    fig = go.Figure(go.Scattergl(x=xy[:, 0], y=xy[:, 1], mode="markers", text=list(labels), hoverinfo="text",
                                 marker=dict(size=5, color=np.round(recall, 3), colorscale="RdYlGn", cmin=0, cmax=1,
                                             showscale=show_scale, colorbar=dict(title=dict(text=colour_title)))))
    style(fig, title=title, height=height)
    fig.update_xaxes(showticklabels=False, zeroline=False)
    fig.update_yaxes(showticklabels=False, zeroline=False)
    return fig


def bars(names: Sequence[str], values: Sequence[float], title: str = "", height: int = 300,
         colour: Optional[str] = None) -> go.Figure:
    """Plain bars (e.g. each negative's loss term)."""
    fig = go.Figure(go.Bar(x=list(names), y=list(values), marker_color=colour or NEIGHBOR_COLOUR))
    return style(fig, title=title, height=height)
