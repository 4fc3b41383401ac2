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
SIDE_WIDTH = 24  # each sentence of a pair's name, in Latin letters (a Chinese character counts two)
LATIN_PX, CJK_PX = 7, 13  # widths of a Latin letter and of a Chinese character in the figure's font


def _wide(ch: str) -> bool:
    return ord(ch) >= 0x2E80


def pair_name(n: int, a: str, b: str, width: int = SIDE_WIDTH) -> str:
    """The name of pair ``n`` under the heat map: the start of each sentence, so that both are seen (a novel's long
    first sentence filled the whole name and hid the second).

        >>> pair_name(2, "The dog bit the man.", "The man bit the dog.")
        '2. The dog bit the man. / The man bit the dog.'
        >>> pair_name(1, "林远走进了茶馆，心里很平静，然后坐下来喝茶。", "苏晴在河边。")
        '1. 林远走进了茶馆，心里很平… / 苏晴在河边。'
    """
    def cut(text: str) -> str:
        used = 0
        for i, ch in enumerate(text):
            used += 2 if _wide(ch) else 1
            if used > width and i < len(text) - 1:
                return text[:i] + "…"
        return text

    return f"{n}. {cut(a)} / {cut(b)}"


def cosine_heatmap(methods: Sequence[str], pairs: Sequence[str], values: np.ndarray, title: str = "",
                   colour_title: str = "cosine", height: int = 0, hover: Sequence[str] = ()) -> go.Figure:
    """A heat map: one row per method, one column per pair, the cosine written in each cell (-1 .. 1; NaN, a
    sentence without a known word, is an empty cell marked –). ``hover``: each pair's whole name (default
    ``pairs``)."""
    values = np.asarray(values, dtype=float).reshape(len(methods), len(pairs))
    hover = list(hover) or list(pairs)
    shown = [p if len(p) <= PAIR_CHARS else p[: PAIR_CHARS - 1] + "…" for p in pairs]
    fig = go.Figure(go.Heatmap(
        z=values, x=[html.escape(p) for p in shown], y=[html.escape(m) for m in methods], zmin=-1, zmax=1,
        colorscale="RdBu", reversescale=True, text=[[f"{v:.2f}" if np.isfinite(v) else "–" for v in row] for row in values],
        texttemplate="%{text}", colorbar={"title": {"text": html.escape(colour_title)}, "tickvals": [-1, 0, 1]},
        customdata=[[html.escape(p) for p in hover] for _ in methods],
        hovertemplate="%{y}<br>%{customdata}<br>%{z:.3f}<extra></extra>"))
    fig.update_yaxes(autorange="reversed")
    # the pair names are written under the cells at 30 degrees: room for them, so that the cells (and the colour
    # bar beside them) keep their height instead of being squeezed by the names' margin
    fig.update_xaxes(tickangle=-30)
    return style(fig, title=title, height=height or 140 + 50 * len(methods) + label_room(shown))


def label_room(names: Sequence[str]) -> int:
    """Pixels of height that the longest of ``names`` takes written at 30 degrees (a Chinese character is about
    twice as wide as a Latin letter)."""
    widest = max((sum(CJK_PX if _wide(ch) else LATIN_PX for ch in n) for n in names), default=0)
    return int(0.5 * widest) + 20
