"""Walks: transition probabilities against a hand-worked node2vec example, DeepWalk's uniform steps,
walks that follow edges, dead ends, and walks that do not depend on the number of threads."""

from __future__ import annotations

import numpy as np
import pytest

from explorer.graph.io import build_csr
from explorer.graph.walks import generate_walks, has_edge, start_order, walks_to_stream

# t=0, v=1; 1's neighbours: 0 (w 1), 2 (w 2, also a neighbour of 0), 3 (w 1, not a neighbour of 0)
EDGES = np.array([[0, 1], [1, 2], [1, 3], [0, 2]])
WEIGHTS = np.array([1.0, 2.0, 1.0, 1.0], np.float32)


def second_steps(csr, walk: str, p: float = 1.0, q: float = 1.0, n: int = 200_000) -> np.ndarray:
    """Frequencies of the third node of walks 0 -> 1 -> x."""
    walks, lengths = generate_walks(csr, np.zeros(n, np.int32), 3, walk=walk, p=p, q=q, seed=3)
    assert (lengths == 3).all()
    via = walks[walks[:, 1] == 1]
    return np.bincount(via[:, 2], minlength=4) / len(via)


def test_node2vec_hand_worked_example() -> None:
    # from 1 having come from 0, with p = 2, q = 0.5:
    #   x = 0 (return):             w 1 * 1/p = 0.5
    #   x = 2 (neighbour of 0):     w 2 * 1   = 2
    #   x = 3 (two steps from 0):   w 1 * 1/q = 2      -> 0.5 : 2 : 2 over 4.5
    csr = build_csr(4, EDGES, WEIGHTS, directed=False)
    freq = second_steps(csr, "node2vec", p=2.0, q=0.5)
    np.testing.assert_allclose(freq, [1 / 9, 0, 4 / 9, 4 / 9], atol=0.01)
    # and the first step is weighted: from 0, to 1 (w 1) or 2 (w 1)
    # p = 0.25 (return favoured), q = 4: 1*4 : 2*1 : 1*0.25 over 6.25
    freq = second_steps(csr, "node2vec", p=0.25, q=4.0)
    np.testing.assert_allclose(freq, [4 / 6.25, 0, 2 / 6.25, 0.25 / 6.25], atol=0.01)


def test_node2vec_unbiased_follows_weights_deepwalk_is_uniform() -> None:
    csr = build_csr(4, EDGES, WEIGHTS, directed=False)
    np.testing.assert_allclose(second_steps(csr, "node2vec"), [0.25, 0, 0.5, 0.25], atol=0.01)
    np.testing.assert_allclose(second_steps(csr, "deepwalk"), [1 / 3, 0, 1 / 3, 1 / 3], atol=0.01)


def test_walks_follow_edges_and_stop_at_dead_ends() -> None:
    rng = np.random.default_rng(0)
    n = 60
    edges = rng.integers(0, n, (300, 2))
    edges = edges[edges[:, 0] != edges[:, 1]]
    csr = build_csr(n, edges, None, directed=True)
    for walk in ("deepwalk", "node2vec"):
        walks, lengths = generate_walks(csr, np.arange(n), 20, walk=walk, p=0.5, q=2.0, seed=1)
        for row, length in zip(walks, lengths, strict=True):
            assert (row[length:] == -1).all()
            for a, b in zip(row[:length - 1], row[1:length], strict=True):
                assert has_edge(csr.indptr, csr.indices, a, b)
            if length < 20:  # ended early: its last node has no way out
                last = row[length - 1]
                assert csr.indptr[last + 1] == csr.indptr[last]
        ids, offsets = walks_to_stream(walks, lengths)
        assert len(ids) == lengths.sum() and (ids >= 0).all() and offsets[-1] == len(ids)


@pytest.mark.parametrize("walk", ["deepwalk", "node2vec"])
def test_same_walks_for_any_number_of_threads(walk: str) -> None:
    rng = np.random.default_rng(1)
    edges = rng.integers(0, 500, (3000, 2))
    edges = edges[edges[:, 0] != edges[:, 1]]
    csr = build_csr(500, edges, rng.random(len(edges)).astype(np.float32) + 0.1, directed=False)
    starts = start_order(500, 3, seed=5, epoch=0)
    one = generate_walks(csr, starts, 15, walk=walk, p=0.7, q=1.5, seed=9, workers=1)
    two = generate_walks(csr, starts, 15, walk=walk, p=0.7, q=1.5, seed=9, workers=2)
    np.testing.assert_array_equal(one[0], two[0])
    other = generate_walks(csr, starts, 15, walk=walk, p=0.7, q=1.5, seed=10, workers=1)
    assert not np.array_equal(one[0], other[0])


def test_start_order_visits_every_node_each_pass() -> None:
    order = start_order(7, 3, seed=0, epoch=0)
    assert [sorted(order[i * 7:(i + 1) * 7].tolist()) for i in range(3)] == [list(range(7))] * 3
    assert not np.array_equal(order, start_order(7, 3, seed=0, epoch=1))
