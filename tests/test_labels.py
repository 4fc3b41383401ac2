"""Label placement: the greedy placer on known boxes, and the four charts whose labels used to pile up
(the lesson's gradient-step arrows, the frames player, the semantic-axis strip, Runs → Compare's maps)."""

from __future__ import annotations

import doctest

import numpy as np
import pytest

import explorer.figures.labels as labels_mod
from explorer.figures import Highlight, embedding_scatter
from explorer.figures.labels import (
    PLACES,
    STACKED,
    Place,
    annotation_shift,
    greedy_labels,
    label_box,
    overlap,
    text_width,
    to_pixels,
)
from explorer.figures.lesson import axis_strip, frames_player, step_arrows

RIGHT, LEFT, TOP, BOTTOM = PLACES[0], PLACES[1], PLACES[2], PLACES[3]


# --------------------------------------------------------------------------- the placer on known boxes


def test_label_boxes_sit_beside_above_below_and_further_out() -> None:
    assert label_box(100, 100, 40, 16, RIGHT, gap=6) == (106, 92, 146, 108)
    assert label_box(100, 100, 40, 16, LEFT, gap=6) == (54, 92, 94, 108)
    assert label_box(100, 100, 40, 16, TOP, gap=6) == (80, 106, 120, 122)
    assert label_box(100, 100, 40, 16, BOTTOM, gap=6) == (80, 78, 120, 94)
    assert label_box(100, 100, 40, 16, Place("top 2", 0, 1, 2), gap=6) == (80, 122, 120, 138)
    assert overlap((0, 0, 10, 10), (5, 5, 20, 20)) == 25
    assert overlap((0, 0, 10, 10), (10, 0, 20, 10)) == 0  # touching is not overlapping
    assert text_width("猫猫") == 28 and text_width("ab") == pytest.approx(18.4)


def test_colliding_labels_move_then_drop_in_priority_order() -> None:
    pts = np.array([[100.0, 100.0], [100.0, 100.0], [100.0, 100.0]])
    # one point's three labels, two places: first right, second left, third dropped
    assert greedy_labels(pts, ["aaa", "bbb", "ccc"], places=(RIGHT, LEFT)) == [RIGHT, LEFT, None]
    # priority: the last label goes first and keeps its first choice
    assert greedy_labels(pts, ["aaa", "bbb", "ccc"], places=(RIGHT, LEFT), order=[2, 1, 0]) == [None, LEFT, RIGHT]
    # a fixed box (a title) to the right: the first label takes the left, the second is dropped
    assert greedy_labels(pts[:2], ["aaa", "bbb"], places=(RIGHT, LEFT), fixed=[(105, 90, 200, 110)]) == [LEFT, None]
    # bounds: a point at the right edge gets its label on the left
    assert greedy_labels(np.array([[195.0, 50.0]]), ["edge"], places=(RIGHT, LEFT), bounds=(0, 0, 200, 100)) == [LEFT]
    # far apart: everyone keeps the first choice; max_labels caps how many are drawn
    far = np.array([[0.0, 0.0], [0.0, 200.0], [0.0, 400.0]])
    assert greedy_labels(far, ["a", "b", "c"]) == [RIGHT] * 3
    assert greedy_labels(far, ["a", "b", "c"], max_labels=2) == [RIGHT, RIGHT, None]
    # a label never covers another labelled point: b's right is a's dot, so b goes left
    assert greedy_labels(np.array([[130.0, 100.0], [100.0, 100.0]]), ["a", "bbbbbb"], places=(RIGHT, LEFT))[1] == LEFT
    with pytest.raises(ValueError):
        greedy_labels(pts, ["a"])


def test_words_on_a_line_stack_above_and_below() -> None:
    pts = np.array([[100.0 + i, 50.0] for i in range(7)])
    places = greedy_labels(pts, [f"w{i}" for i in range(7)], places=STACKED)
    assert places[:6] == list(STACKED) and places[6] is None


def test_annotation_shift_matches_the_box() -> None:
    assert annotation_shift(RIGHT) == dict(xanchor="left", yanchor="middle", xshift=6, yshift=0)
    assert annotation_shift(Place("b2", 0, -1, 2)) == dict(xanchor="center", yanchor="top", xshift=0, yshift=-22)
    assert to_pixels(np.array([[0.5, 0.0]]), (0, 1), (-1, 1), 200, 100).tolist() == [[100.0, 50.0]]


def test_labels_docstrings() -> None:
    assert doctest.testmod(labels_mod).failed == 0


# --------------------------------------------------------------------------- the charts: no two labels overlap


def _boxes(notes: list, px: np.ndarray, size: float = 12.0) -> list[tuple]:
    """Each drawn label's box in pixels, from its annotation's anchors and shifts."""
    out = []
    for note, (x, y) in zip(notes, px, strict=True):
        w, h = text_width(note["text"], size), labels_mod.LABEL_H
        x += note.get("xshift", 0)
        y += note.get("yshift", 0)
        left = {"left": x, "right": x - w}.get(note.get("xanchor"), x - w / 2)
        bottom = {"bottom": y, "top": y - h}.get(note.get("yanchor"), y - h / 2)
        out.append((left, bottom, left + w, bottom + h))
    return out


def _apart(boxes: list) -> bool:
    return all(overlap(a, b) == 0 for i, a in enumerate(boxes) for b in boxes[i + 1:])


def _labels(fig) -> list:
    return [n for n in fig.to_plotly_json()["layout"].get("annotations", []) if not n.get("showarrow", True)]


def test_gradient_step_labels_do_not_pile_up() -> None:
    # the novel's pair: u and v apart, five negatives nearly on one line to the left (the screenshot's pile)
    before = np.array([[1.3, -0.05], [-0.6, 0.0]] + [[-1.9 + 0.1 * i, 0.005 * i] for i in range(5)])
    after = before * 1.05
    names = ["u: said", "v: sighed", "n: course", "n: not", "n: and", "n: the", "n: beautiful"]
    fig = step_arrows(np.vstack([before, after]), names)
    notes = _labels(fig)
    assert [n["text"] for n in notes][:2] == ["u: said", "v: sighed"]  # u and v always named
    assert len(notes) > 2  # negatives named too (moved apart, or left to hover where no room is left)
    lay = fig.to_plotly_json()["layout"]
    xr, yr = lay["xaxis"]["range"], lay["yaxis"]["range"]
    scale = min(640 / (xr[1] - xr[0]), 330 / (yr[1] - yr[0]))
    centre = np.array([sum(xr) / 2, sum(yr) / 2])
    pts = (np.array([[n["x"], n["y"]] for n in notes]) - centre) * scale
    assert _apart(_boxes(notes, pts))


def test_axis_strip_labels_do_not_pile_up_and_the_ends_are_named() -> None:
    rng = np.random.default_rng(0)
    words = ["said", "alice"] + [f"word{i}" for i in range(16)]
    scores = np.r_[-0.03, 0.035, rng.uniform(-0.008, 0.006, 16)]  # a clump round 0 (the screenshot's pile)
    fig = axis_strip(scores, words, ["—"] * len(words), "said", "alice")
    notes = _labels(fig)
    texts = [n["text"] for n in notes]
    assert "said" in texts and "alice" in texts
    assert 4 < len(notes) < len(words)
    # labels on the markers' own rows: numbers (a category name as an annotation's y drew them far above the dots)
    assert all(isinstance(n["y"], (int, float)) for n in notes) and {n["y"] for n in notes} == set(fig.data[0].y)
    lo, hi = fig.to_plotly_json()["layout"]["xaxis"]["range"]
    pts = np.array([[(n["x"] - lo) / (hi - lo) * 640, 0.0] for n in notes])
    assert _apart(_boxes(notes, pts))


def test_player_probe_labels_do_not_pile_up() -> None:
    rng = np.random.default_rng(1)
    n_frames, m = 3, 60
    coords = rng.normal(size=(n_frames, m, 2)).astype(np.float32)
    probes = [0, 1, 2, 3]
    coords[-1, probes] = [[0.50, 0.10], [0.51, 0.12], [0.50, 0.13], [0.52, 0.09]]  # four words in one spot
    words = ["said", "alice", "little", "one"] + [f"w{i}" for i in range(m - 4)]
    text = dict(play="play", pause="pause", frame="frame", epoch="epoch", loss="loss", progress="progress",
                neighbours="neighbours")
    meta = [dict(epoch=f, progress=f / 2, loss=1.0) for f in range(n_frames)]
    fig = frames_player(coords, words, [""] * m, probes, [[["x"]] * 4] * n_frames, meta, [(0.0, 2.0), (1.0, 1.0)],
                        text)
    last = fig.frames[-1].data[1]
    shown = [(t, p) for t, p in zip(last.text, last.textposition, strict=True) if t.strip()]
    assert 1 <= len(shown) < 4 and shown[0][0] == "said"
    by_name = {p.name: p for p in PLACES}
    lo, hi = coords.reshape(-1, 2).min(0), coords.reshape(-1, 2).max(0)
    px = to_pixels(coords[-1, probes], (lo[0] - 1, hi[0] + 1), (lo[1] - 1, hi[1] + 1), 640, 414)
    boxes = [label_box(x, y, text_width(t, 14), 18, by_name[p]) for (x, y), (t, p)
             in zip(px, zip(last.text, last.textposition, strict=True), strict=True) if t.strip()]
    assert _apart(boxes)
    # the initial figure shows the last frame's labels
    assert list(fig.data[1].text) == list(last.text)


def test_compare_map_query_labels_do_not_pile_up() -> None:
    rng = np.random.default_rng(2)
    coords = rng.normal(size=(300, 2)).astype(np.float32)
    queries = [0, 1, 2, 3, 4]
    coords[queries] = [[1.0, 1.0], [1.02, 1.01], [1.05, 0.98], [0.99, 1.04], [-2.0, -2.0]]
    words = ["刚出生", "李买", "路上", "久", "pain"] + [f"w{i}" for i in range(295)]
    fig = embedding_scatter(coords, words, highlight=Highlight(queries=queries, lines=False, width_px=420.0),
                            height=480)
    notes = _labels(fig)
    texts = [n["text"] for n in notes]
    assert "pain" in texts and "刚出生" in texts  # the others moved round their points, or dropped
    lo, hi = coords.min(0), coords.max(0)
    rows = [words.index(t) for t in texts]
    px = (coords[rows] - lo) / (hi - lo) * np.array([420.0, 440.0])
    assert _apart(_boxes(notes, px, size=14))
