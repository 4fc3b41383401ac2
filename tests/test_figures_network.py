"""The node-link drawing of graphs (explorer.figures.network.graph_drawing)."""

from __future__ import annotations

import numpy as np

from explorer.figures.network import graph_drawing


def _two_clubs() -> tuple[np.ndarray, np.ndarray]:
    """A dense club of 10 nodes near (0, 0) and another far away near (100, 100), joined by one edge."""
    rng = np.random.default_rng(0)
    xy = np.vstack([rng.normal(0, 1, (10, 2)), rng.normal(100, 1, (10, 2))])
    edges = np.array([(i, i + 1) for i in range(19)])
    return xy, edges


def test_zoom_starts_the_view_on_the_walk_so_its_names_spread_out() -> None:
    xy, edges = _two_clubs()
    walk = [0, 3, 5, 3, 8]
    fig = graph_drawing(xy, edges, [f"n{i}" for i in range(20)], highlight=walk, zoom=True)
    x0, x1 = fig.layout.xaxis.range
    y0, y1 = fig.layout.yaxis.range
    near = xy[walk]
    assert x0 < near[:, 0].min() and near[:, 0].max() < x1 and y0 < near[:, 1].min() and near[:, 1].max() < y1
    assert x1 - x0 < 20 and y1 - y0 < 20  # the far club (100 away) is outside the first view
    named = [t for t in fig.data if t.mode == "markers+text"]
    assert len(named) == 1 and list(named[0].text) == ["n0", "n3", "n5", "n8"]  # each walk node named once


def test_without_zoom_the_whole_graph_is_in_view() -> None:
    xy, edges = _two_clubs()
    fig = graph_drawing(xy, edges, [f"n{i}" for i in range(20)], highlight=[0, 3])
    assert fig.layout.xaxis.range is None and fig.layout.yaxis.range is None  # plotly fits every node
    one = graph_drawing(xy, edges, [f"n{i}" for i in range(20)], highlight=[4], zoom=True)  # one node: a padded view
    x0, x1 = one.layout.xaxis.range
    assert x0 < xy[4, 0] < x1 and x1 - x0 > 0
