"""Figure of the lesson step "from words to sentences": the cosine of each sentence pair by method.

Arrays in, ``go.Figure`` out (never streamlit); labels come translated from the page.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from explorer.figures.maps import style

PAIR_CHARS = 48  # characters of a pair's name under the heat map (the whole pair on hover)
LATIN_PX, CJK_PX = 7, 13  # widths of a Latin letter and of a Chinese character in the figure's font


def cosine_heatmap(methods: Sequence[str], pairs: Sequence[str], values: np.ndarray, title: str = "",
                   colour_title: str = "cosine", height: int = 0) -> go.Figure:
    """A heat map: one row per method, one column per pair, the cosine written in each cell (-1 .. 1; NaN, a
    sentence without a known word, is an empty cell marked –)."""
    values = np.asarray(values, dtype=float).reshape(len(methods), len(pairs))
    shown = [p if len(p) <= PAIR_CHARS else p[: PAIR_CHARS - 1] + "…" for p in pairs]
    fig = go.Figure(go.Heatmap(
        z=values, x=[html.escape(p) for p in shown], y=[html.escape(m) for m in methods], zmin=-1, zmax=1,
        colorscale="RdBu", reversescale=True, text=[[f"{v:.2f}" if np.isfinite(v) else "–" for v in row] for row in values],
        texttemplate="%{text}", colorbar={"title": {"text": html.escape(colour_title)}, "tickvals": [-1, 0, 1]},
        customdata=[[html.escape(p) for p in pairs] for _ in methods],
        hovertemplate="%{y}<br>%{customdata}<br>%{z:.3f}<extra></extra>"))
    fig.update_yaxes(autorange="reversed")
    # the pair names are written under the cells at 30 degrees: room for them, so that the cells (and the colour
    # bar beside them) keep their height instead of being squeezed by the names' margin
    fig.update_xaxes(tickangle=-30)
    return style(fig, title=title, height=height or 140 + 50 * len(methods) + label_room(shown))


def label_room(names: Sequence[str]) -> int:
    """Pixels of height that the longest of ``names`` takes written at 30 degrees (a Chinese character is about
    twice as wide as a Latin letter)."""
    widest = max((sum(CJK_PX if ord(ch) >= 0x2E80 else LATIN_PX for ch in n) for n in names), default=0)
    return int(0.5 * widest) + 20
