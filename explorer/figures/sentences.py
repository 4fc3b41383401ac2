"""Figure of the lesson step "from words to sentences": the cosine of each sentence pair by method.

Arrays in, ``go.Figure`` out (never streamlit); labels come translated from the page.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from explorer.figures.maps import style


def cosine_heatmap(methods: Sequence[str], pairs: Sequence[str], values: np.ndarray, title: str = "",
                   colour_title: str = "cosine", height: int = 0) -> go.Figure:
    """A heat map: one row per method, one column per pair, the cosine written in each cell (-1 .. 1; NaN, a
    sentence without a known word, is an empty cell marked –)."""
    values = np.asarray(values, dtype=float).reshape(len(methods), len(pairs))
    fig = go.Figure(go.Heatmap(
        z=values, x=[html.escape(p) for p in pairs], y=[html.escape(m) for m in methods], zmin=-1, zmax=1,
        colorscale="RdBu", reversescale=True, text=[[f"{v:.2f}" if np.isfinite(v) else "–" for v in row] for row in values],
        texttemplate="%{text}", colorbar={"title": {"text": html.escape(colour_title)}},
        hovertemplate="%{y}<br>%{x}<br>%{z:.3f}<extra></extra>"))
    fig.update_yaxes(autorange="reversed")
    return style(fig, title=title, height=height or 140 + 50 * len(methods))
