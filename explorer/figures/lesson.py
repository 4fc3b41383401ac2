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
            {"type": "scatter", "x": xy[probes, 0], "y": xy[probes, 1],
             "text": probe_text if np.ptp(xy, axis=0).max() > 0.05 * final_span else ["\u00a0"] * len(probes)},
            {"type": "scatter", "x": [m.get("progress", 0.0)],
             "y": [loss_here if loss_here is not None else (loss_y[0] if loss_y else 0.0)]},
            {"type": "scatter", "x": [0.0] * len(lines), "y": list(range(len(lines), 0, -1)), "text": lines},
            {"type": "scatter", "x": [float(lo[0])], "y": [float(hi[1])], "text": [caption(f)]},
        ]

    last = frame_data(n_frames - 1)
    fig.add_trace(scatter(last[0], mode="markers", marker=dict(size=5, color=colours, opacity=0.65),
                          text=list(labels), hoverinfo="text", showlegend=False), row=1, col=1)
    fig.add_trace(go.Scatter(last[1], mode="markers+text", text=[labels[p] for p in probes], textposition="top center",
                             marker=dict(size=13, color=HIGHLIGHT_COLOUR, line=dict(width=1, color="white")),
                             textfont=dict(size=14, color=HIGHLIGHT_COLOUR), hoverinfo="text", showlegend=False),
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


def step_arrows(points: np.ndarray, names: Sequence[str], title: str = "", height: int = 380) -> go.Figure:
    """Vectors before (solid) and after (dashed) one gradient step; ``points`` (2 * m, 2): m before, then m after."""
    m = len(names)
    fig = go.Figure()
    pts = lean(points)
    for i, name in enumerate(names):
        colour = HIGHLIGHT_COLOUR if i == 0 else NEIGHBOR_COLOUR if i == 1 else OTHER_COLOUR
        (x0, y0), (x1, y1) = pts[i], pts[m + i]
        fig.add_trace(go.Scatter(x=[0, x0], y=[0, y0], mode="lines+markers+text", text=["", name],
                                 textposition="top center", line=dict(color=colour, width=3), showlegend=False,
                                 hoverinfo="skip"))
        fig.add_annotation(x=x1, y=y1, ax=x0, ay=y0, xref="x", yref="y", axref="x", ayref="y", showarrow=True,
                           arrowhead=2, arrowsize=1.2, arrowwidth=2, arrowcolor=colour)
    style(fig, title=title, height=height)
    fig.update_yaxes(scaleanchor="x", zeroline=True)
    fig.update_xaxes(zeroline=True)
    return fig


def axis_strip(scores: np.ndarray, words: Sequence[str], groups: Sequence[str], a: str, b: str,
               title: str = "", height: int = 420) -> go.Figure:
    """Words placed by their score on the a → b direction (x), one row per group (y)."""
    names = list(dict.fromkeys(groups))
    fig = go.Figure()
    for i, g in enumerate(names):
        idx = sorted((j for j, gg in enumerate(groups) if gg == g), key=lambda j: float(scores[j]))
        fig.add_trace(go.Scatter(x=lean(scores[idx]), y=[g] * len(idx), mode="markers+text",
                                 text=[words[j] for j in idx], name=g,  # neighbours' labels above and below in turn
                                 textposition=["top center" if k % 2 == 0 else "bottom center" for k in range(len(idx))],
                                 marker=dict(size=9, color=PALETTE[i % len(PALETTE)]), hoverinfo="text"))
    fig.add_vline(x=0, line=dict(color=OTHER_COLOUR, dash="dot"))
    style(fig, title=title, height=height)
    fig.update_xaxes(title=dict(text=f"← {a}   ·   {b} →"))
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
