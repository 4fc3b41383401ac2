"""The lesson's message-passing step: GCN coefficients by hand on a toy graph, GAT attention sums to 1 and equals
the PyG layer's own, the drawing (the page: tests/test_pages_message_passing.py)."""

from __future__ import annotations

import numpy as np
import pytest

from explorer.lesson import message_passing as mp

#: a star 0-1, 0-2, 0-3 plus the edge 2-3: degrees with self-loops 4, 2, 3, 3
TOY = np.array([[0, 1], [0, 2], [0, 3], [2, 3]])


def test_gcn_coefficients_equal_a_hand_computation_on_a_toy_graph() -> None:
    step = mp.gcn_step(TOY, np.eye(4), np.eye(4)[:, :2], node=0)
    assert step.rows == [0, 1, 2, 3]
    assert step.degrees.tolist() == [4, 2, 3, 3]
    hand = [1 / 4, 1 / np.sqrt(8), 1 / np.sqrt(12), 1 / np.sqrt(12)]
    assert np.allclose(step.coefficients, hand)
    # one-hot features and W = the first two columns of I: the new vector is (c_00, c_01)
    assert np.allclose(step.new, [hand[0], hand[1]])
    step1 = mp.gcn_step(TOY, np.eye(4), np.eye(4)[:, :2], node=1)
    assert step1.rows == [1, 0] and np.allclose(step1.coefficients, [1 / 2, 1 / np.sqrt(8)])


def test_gcn_steps_are_the_rows_of_the_normalised_matrix() -> None:
    rng = np.random.default_rng(1)
    x, w = rng.normal(size=(4, 3)), rng.normal(size=(3, 2))
    full = mp.gcn_matrix(TOY, 4) @ x @ w
    for node in range(4):
        assert np.allclose(mp.gcn_step(TOY, x, w, node).new, full[node])
    a = mp.gcn_matrix(TOY, 4)
    assert np.allclose(a, a.T) and a[1, 3] == 0.0


@pytest.mark.slow  # imports torch and PyG
def test_gat_attention_sums_to_one_and_equals_the_layers_own() -> None:
    labels = np.array([0, 0, 1, 1])
    layer = mp.train_gat(TOY, np.eye(4), labels, steps=30, seed=0)
    for node in range(4):
        step = mp.gat_step(layer, np.eye(4), node)
        assert step.rows[0] == node and sorted(step.rows[1:]) == mp.neighbours(TOY, node)[1:]
        assert step.weights.sum() == pytest.approx(1.0)
        assert np.allclose(step.weights, step.layer_weights, atol=1e-5)
    untrained = mp.train_gat(TOY, np.eye(4), labels, steps=0, seed=0)
    assert untrained.steps == 0 and not np.allclose(untrained.alpha, layer.alpha)


@pytest.mark.slow
def test_the_karate_gat_head_learns_the_factions_reproducibly() -> None:
    a, b = mp.karate_messages(), mp.karate_messages()
    assert a.gat.accuracy >= 0.9
    assert np.array_equal(a.gat.alpha, b.gat.alpha)
    assert len(a.nodes) == 34 and a.edges.shape == (78, 2)


def test_strongest_skips_the_node_itself() -> None:
    assert mp.strongest(np.array([0.5, 0.2, 0.3]), [7, 8, 9], skip=7) == 9


def test_the_message_drawing_widths_follow_the_weights_and_only_the_largest_are_written() -> None:
    from explorer.figures.network import message_drawing

    xy = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [-1.0, 0.0], [5.0, 5.0]])
    fig = message_drawing(xy, np.array([[0, 1], [0, 2], [0, 3], [3, 4]]), list("abcde"), 0, [0, 1, 2, 3],
                          [0.1, 0.4, 0.2, 0.05], labelled=2)
    lines = {t.hovertemplate.split(":")[0]: t.line.width for t in fig.data
             if t.mode == "lines" and t.hovertemplate and "→" in t.hovertemplate}
    assert lines["b → a"] > lines["c → a"] > lines["d → a"]
    written = [a.text for a in fig.layout.annotations]
    assert "0.40" in written and "0.20" in written and "0.05" not in written
    assert any(w.startswith("<b>a</b> (0.10)") for w in written)
    assert fig.layout.xaxis.range[1] < 5.0  # zoomed on the neighbourhood: e lies outside


def test_the_message_drawing_leaves_a_label_that_would_sit_on_another_to_its_hover_box() -> None:
    """Two senders side by side (as friends drawn close together on the karate club): only the larger weight is
    written; both stay on hover. (The picture showed 0.14 over 0.14.)"""
    from explorer.figures.network import message_drawing

    xy = np.array([[0.0, 0.0], [1.0, 0.0], [1.01, 0.02], [0.0, -1.0]])
    fig = message_drawing(xy, np.array([[0, 1], [0, 2], [0, 3]]), list("abcd"), 0, [1, 2, 3], [0.3, 0.2, 0.1])
    written = [a.text for a in fig.layout.annotations]
    assert "0.30" in written and "0.20" not in written and "0.10" in written, written
    hovers = " ".join(t.hovertemplate for t in fig.data if t.hovertemplate and "→" in t.hovertemplate)
    assert "b → a: 0.30" in hovers and "c → a: 0.20" in hovers
