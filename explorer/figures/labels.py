"""Greedy label placement in screen space: labels that would collide are moved, or dropped.

Pure geometry (no plotly, no streamlit). Boxes are ``(left, bottom, right, top)`` in pixels with y
growing upwards. Each label is tried, in priority order, at a list of candidate places around its
point (:data:`PLACES`); it takes the first place whose box stays clear of every label placed before
it, of the other labelled points and of ``fixed`` boxes (and lies inside ``bounds``); a label with no
free place is dropped (``None``). Charts draw the kept labels as annotations (:func:`annotation_shift`)
or as a scatter's ``textposition`` (the one-step places only), and leave the dropped ones to hover.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple, Optional

import numpy as np

Box = tuple[float, float, float, float]


class Place(NamedTuple):
    """A label's place around its point: sides (-1, 0, 1) in x and y, and how many label heights away."""

    name: str
    sx: int
    sy: int
    far: int = 1


#: beside, above and below the point, then diagonals, then one and two label heights further out
PLACES: tuple[Place, ...] = (
    Place("middle right", 1, 0), Place("middle left", -1, 0), Place("top center", 0, 1), Place("bottom center", 0, -1),
    Place("top right", 1, 1), Place("bottom right", 1, -1), Place("top left", -1, 1), Place("bottom left", -1, -1),
)
#: above or below only (labels along a line, e.g. words on an axis), stepping further out
STACKED: tuple[Place, ...] = tuple(Place(f"{side} {far}", 0, sy, far) for far in (1, 2, 3)
                                   for side, sy in (("top center", 1), ("bottom center", -1)))
LABEL_H = 16.0  # a 12 px label's height with its padding
GAP = 6.0  # distance between a point and its label
DOT = 5.0  # half the size of a labelled point's marker


def text_width(text: str, size: float = 12.0) -> float:
    """Estimated width of ``text`` in pixels: CJK characters are square, Latin ones about 0.6 em."""
    return sum(size if ord(ch) > 0x2E80 else size * 0.6 for ch in str(text)) + 4


def label_box(x: float, y: float, w: float, h: float, place: Place, gap: float = GAP) -> Box:
    """The box of a ``w`` x ``h`` label put at ``place`` around the point ``(x, y)``."""
    step = (place.far - 1) * h  # further places: whole label heights further out
    if place.sx > 0:
        left = x + gap + step
    elif place.sx < 0:
        left = x - gap - step - w
    else:
        left = x - w / 2
    if place.sy > 0:
        bottom = y + gap + step
    elif place.sy < 0:
        bottom = y - gap - step - h
    else:
        bottom = y - h / 2
    return left, bottom, left + w, bottom + h


def overlap(a: Box, b: Box) -> float:
    """Area shared by two boxes (0 when apart or only touching)."""
    return max(0.0, min(a[2], b[2]) - max(a[0], b[0])) * max(0.0, min(a[3], b[3]) - max(a[1], b[1]))


def inside(box: Box, bounds: Box) -> bool:
    return box[0] >= bounds[0] and box[1] >= bounds[1] and box[2] <= bounds[2] and box[3] <= bounds[3]


def greedy_labels(points: np.ndarray, texts: Sequence[str], *, places: Sequence[Place] = PLACES,
                  order: Optional[Sequence[int]] = None, fixed: Sequence[Box] = (), bounds: Optional[Box] = None,
                  size: float = 12.0, height: float = LABEL_H, gap: float = GAP,
                  max_labels: Optional[int] = None, dot: float = DOT) -> list[Optional[Place]]:
    """A place per label, or ``None`` for a label dropped because every place collides.

    points: (m, 2) pixel positions of the labelled points (y up); texts: m labels.
    order: the labels' priority (default: as given); the first ones are placed first and keep
    their first choice. fixed: boxes to keep clear of (e.g. a title). bounds: the plot area.
    max_labels: keep at most this many labels. dot: half the size of the labelled points' markers (kept clear).

    >>> greedy_labels(np.array([[0.0, 0.0], [0.0, 0.0]]), ["dog", "cat"], places=PLACES[:1])
    [Place(name='middle right', sx=1, sy=0, far=1), None]
    """
    pts = np.asarray(points, dtype=np.float64).reshape(-1, 2)
    if len(pts) != len(texts):
        raise ValueError(f"{len(texts)} labels for {len(pts)} points")
    dots = [(x - dot, y - dot, x + dot, y + dot) for x, y in pts]
    taken: list[Box] = list(fixed)
    out: list[Optional[Place]] = [None] * len(pts)
    kept = 0
    for i in (range(len(pts)) if order is None else order):
        if max_labels is not None and kept >= max_labels:
            break
        x, y = pts[i]
        w = text_width(texts[i], size)
        for place in places:
            box = label_box(x, y, w, height, place, gap)
            if bounds is not None and not inside(box, bounds):
                continue
            if any(overlap(box, other) > 0 for other in taken):
                continue
            if any(overlap(box, dot) > 0 for j, dot in enumerate(dots) if j != i):
                continue
            out[i] = place
            taken.append(box)
            kept += 1
            break
    return out


def annotation_shift(place: Place, height: float = LABEL_H, gap: float = GAP) -> dict:
    """Plotly annotation keywords (xanchor, yanchor, xshift, yshift) that draw a label at ``place``."""
    step = (place.far - 1) * height
    xanchor = "left" if place.sx > 0 else "right" if place.sx < 0 else "center"
    yanchor = "bottom" if place.sy > 0 else "top" if place.sy < 0 else "middle"
    return dict(xanchor=xanchor, yanchor=yanchor, xshift=place.sx * (gap + step), yshift=place.sy * (gap + step))


def to_pixels(xy: np.ndarray, x_range: tuple[float, float], y_range: tuple[float, float], width: float,
              height: float) -> np.ndarray:
    """Data (m, 2) -> pixels (y up) of a ``width`` x ``height`` plot area showing the given axis ranges."""
    xy = np.asarray(xy, dtype=np.float64).reshape(-1, 2)
    sx = width / max(x_range[1] - x_range[0], 1e-12)
    sy = height / max(y_range[1] - y_range[0], 1e-12)
    return np.column_stack([(xy[:, 0] - x_range[0]) * sx, (xy[:, 1] - y_range[0]) * sy])
