"""Nearest neighbours and analogies: hand-worked answers and brute-force agreement."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from explorer.analysis.neighbors import NeighborIndex, analogy, clear_cache, index_for, neighbors_of
from explorer.errors import ExplorerError
from explorer.runs import load_run
from tests.support.runs import useritem_run, words_run

SQ = np.sqrt(0.5)
# man, woman, king, queen, apple: king - man + woman is queen by construction
ROYAL = (["man", "woman", "king", "queen", "apple"],
         np.array([[1, 0, 0, 0], [0, 1, 0, 0], [SQ, 0, SQ, 0], [0, SQ, SQ, 0], [0, 0, 0, 1]], np.float32))


@pytest.fixture
def four() -> NeighborIndex:
    return NeighborIndex(np.array([[1, 0], [0, 1], [1, 1], [-1, 0]], np.float32))


def test_cosine_hand_worked(four: NeighborIndex) -> None:
    idx, scores = four.query(0, k=3, exclude=[0])
    assert idx.tolist() == [2, 1, 3]
    np.testing.assert_allclose(scores, [np.sqrt(0.5), 0.0, -1.0], atol=1e-6)
    assert idx.dtype == np.int64 and scores.dtype == np.float32


def test_dot_hand_worked(four: NeighborIndex) -> None:
    idx, scores = four.query(np.array([2.0, 1.0]), k=3, metric="dot")
    assert idx.tolist() == [2, 0, 1]  # dots: 2, 1, 3, -2
    np.testing.assert_allclose(scores, [3, 2, 1])


def test_euclidean_scores_are_distances_nearest_first(four: NeighborIndex) -> None:
    idx, scores = four.query(0, k=4, metric="euclidean")
    assert idx.tolist() == [0, 2, 1, 3]
    np.testing.assert_allclose(scores, [0, 1, np.sqrt(2), 2], atol=1e-6)


def test_k_larger_than_rows_and_ties_by_index(four: NeighborIndex) -> None:
    idx, _ = four.query(3, k=10, exclude=[3])
    assert len(idx) == 3
    tie = NeighborIndex(np.array([[1, 0], [1, 0], [1, 0]], np.float32))
    assert tie.query(np.array([1.0, 0.0]), k=3)[0].tolist() == [0, 1, 2]


def test_zero_vector_has_cosine_zero() -> None:
    index = NeighborIndex(np.array([[0, 0], [1, 0], [0, 2]], np.float32))
    idx, scores = index.query(1, k=3)
    assert idx.tolist() == [1, 0, 2]
    np.testing.assert_allclose(scores, [1, 0, 0], atol=1e-6)


@pytest.mark.parametrize("metric", ["cosine", "dot", "euclidean"])
def test_agrees_with_brute_force(metric: str) -> None:
    rng = np.random.default_rng(1)
    x = rng.normal(size=(300, 12)).astype(np.float32)
    q = rng.normal(size=(5, 12)).astype(np.float32)
    index = NeighborIndex(x)
    if metric == "cosine":
        ref = -(q / np.linalg.norm(q, axis=1, keepdims=True)) @ (x / np.linalg.norm(x, axis=1, keepdims=True)).T
    elif metric == "dot":
        ref = -(q @ x.T)
    else:
        ref = np.linalg.norm(q[:, None, :] - x[None, :, :], axis=2)
    expected = np.argsort(ref, axis=1, kind="stable")[:, :7]
    got, scores = index.query_many(q, k=7, metric=metric)
    np.testing.assert_array_equal(got, expected)
    sign = 1 if metric == "euclidean" else -1
    np.testing.assert_allclose(scores, sign * np.take_along_axis(ref, expected, axis=1), rtol=1e-4, atol=1e-4)
    for i in range(len(q)):
        single, _ = index.query(q[i], k=7, metric=metric)
        np.testing.assert_array_equal(single, expected[i])


def test_query_many_excludes_self() -> None:
    rng = np.random.default_rng(2)
    index = NeighborIndex(rng.normal(size=(50, 4)).astype(np.float32))
    ids = np.arange(50)
    got, _ = index.query_many(ids, k=5, exclude_self=True)
    assert not (got == ids[:, None]).any()
    for i in (0, 17, 49):
        np.testing.assert_array_equal(got[i], index.query(i, k=5, exclude=[i])[0])


def test_bad_metric_and_k(four: NeighborIndex) -> None:
    with pytest.raises(ExplorerError, match="metric"):
        four.query(0, metric="manhattan")
    with pytest.raises(ExplorerError, match="k"):
        four.query(0, k=0)
    with pytest.raises(ExplorerError, match="dimension"):
        four.query(np.zeros(3, np.float32))


def test_neighbors_of_excludes_word_and_names_unknown(tmp_path: Path) -> None:
    run = load_run(words_run(tmp_path / "run", *ROYAL))
    found = neighbors_of(run, "king", k=2)
    assert [w for w, _ in found] == ["man", "queen"]  # a tie (cosine 0.707): lower row first
    assert all(w != "king" for w, _ in neighbors_of(run, "king", k=10))
    assert found[0][1] == pytest.approx(0.5 ** 0.5, abs=1e-6)
    with pytest.raises(ExplorerError) as err:
        neighbors_of(run, "xyz")
    assert str(err.value) == "unknown word 'xyz' (not in the vocabulary of 5 tokens)"


def test_analogy_3cosadd_excludes_inputs(tmp_path: Path) -> None:
    run = load_run(words_run(tmp_path / "run", *ROYAL))
    answers = analogy(run, "king", "man", "woman", k=2)
    assert answers[0][0] == "queen"
    # target = king - man + woman (unit vectors); cosine with queen, by hand
    target = ROYAL[1][2] - ROYAL[1][0] + ROYAL[1][1]
    assert answers[0][1] == pytest.approx(float(target @ ROYAL[1][3] / np.linalg.norm(target)), abs=1e-5)
    assert {w for w, _ in analogy(run, "king", "man", "woman", k=5)} == {"queen", "apple"}


def test_index_for_caches_and_notices_new_run(tmp_path: Path) -> None:
    clear_cache()
    path = words_run(tmp_path / "run", *ROYAL)
    first = index_for(path)
    assert index_for(path) is first
    import shutil

    shutil.rmtree(path)
    words_run(path, ["a", "b"], np.eye(2))
    os.utime(path / "vectors.npy", (1, 1))  # a different mtime, as a re-created run has
    assert len(index_for(path)) == 2


def test_index_for_uses_cached_normalized_copy(tmp_path: Path) -> None:
    clear_cache()
    path = words_run(tmp_path / "run", ["a", "b"], np.array([[3, 4], [1, 0]], np.float32))
    (path / "cache").mkdir()
    np.save(path / "cache" / "normalized.npy", np.array([[0.6, 0.8], [1, 0]], np.float32))
    index = index_for(path)
    np.testing.assert_allclose(index.normalized, [[0.6, 0.8], [1, 0]])
    assert index.query(1, k=1, exclude=[1])[1][0] == pytest.approx(0.6)


def test_user_item_runs_use_item_vectors(tmp_path: Path) -> None:
    path = tmp_path / "ui"
    useritem_run(path, np.zeros((1, 2)), [[1, 0], [0.9, 0.1], [0, 1]], user_ids=["u1"], item_ids=["i1", "i2", "i3"],
                 item_columns={"title": ["One", "Two", "Three"]}, data={"interactions": "x"})
    found = neighbors_of(load_run(path), "i1", k=2)
    assert [w for w, _ in found] == ["i2", "i3"]
