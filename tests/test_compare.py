"""Run comparison: Jaccard@k by hand, and Procrustes recovering a known rotation."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from explorer.analysis.compare import neighbor_overlap, procrustes_align
from explorer.errors import ExplorerError
from explorer.runs import load_run
from tests.support.runs import words_run


def at(*degrees: float) -> np.ndarray:
    return np.array([[np.cos(np.radians(d)), np.sin(np.radians(d))] for d in degrees])


def random_rotation(d: int, seed: int) -> np.ndarray:
    q, r = np.linalg.qr(np.random.default_rng(seed).normal(size=(d, d)))
    return q * np.sign(np.diag(r))


def test_jaccard_hand_worked(tmp_path: Path) -> None:
    # A: a 0, b 10, c 25, d 90 degrees; B: a 0, b 10, c 95, d 90 (+ e, only in B, ignored)
    # 2 nearest in A: a {b,c}, b {a,c}, c {a,b}, d {b,c}; in B: a {b,d}, b {a,d}, c {b,d}, d {b,c}
    run_a = load_run(words_run(tmp_path / "a", ["a", "b", "c", "d"], at(0, 10, 25, 90)))
    run_b = load_run(words_run(tmp_path / "b", ["a", "b", "c", "d", "e"], at(0, 10, 95, 90, 1)))
    df = neighbor_overlap(run_a, run_b, k=2)
    assert df["word"].tolist() == ["a", "b", "c", "d"]
    np.testing.assert_allclose(df["jaccard"], [1 / 3, 1 / 3, 1 / 3, 1.0])
    assert df.loc[0, "neighbors_a"] == "b, c" and df.loc[0, "neighbors_b"] == "b, d"
    assert df.attrs["k"] == 2
    assert neighbor_overlap(run_a, run_b, k=2).head(1)["word"].tolist() == ["a"]  # the most changed first
    assert neighbor_overlap(run_a, run_b, k=2, words=["d", "zzz"])["word"].tolist() == ["d"]


def test_rotated_run_has_identical_neighbourhoods(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(40, 6))
    tokens = [f"w{i}" for i in range(40)]
    run_a = load_run(words_run(tmp_path / "a", tokens, x))
    run_b = load_run(words_run(tmp_path / "b", tokens, x @ random_rotation(6, 1)))
    assert (neighbor_overlap(run_a, run_b, k=5)["jaccard"] == 1.0).all()


def test_too_few_shared_tokens(tmp_path: Path) -> None:
    run_a = load_run(words_run(tmp_path / "a", ["a", "b", "c"], at(0, 10, 20)))
    run_b = load_run(words_run(tmp_path / "b", ["a", "b", "x"], at(0, 10, 20)))
    with pytest.raises(ExplorerError, match="share 2 tokens"):
        neighbor_overlap(run_a, run_b)


def test_procrustes_recovers_a_known_rotation() -> None:
    rng = np.random.default_rng(3)
    a = rng.normal(size=(50, 8))
    rotation = random_rotation(8, 4)
    np.testing.assert_allclose(procrustes_align(a, a @ rotation), a, atol=1e-5)
    reflection = np.diag([1, 1, 1, 1, 1, 1, 1, -1.0])
    np.testing.assert_allclose(procrustes_align(a, a @ reflection), a, atol=1e-5)


def test_procrustes_with_translation_and_scale() -> None:
    rng = np.random.default_rng(5)
    a = rng.normal(size=(30, 2))
    b = 3.0 * (a @ random_rotation(2, 6)) + np.array([5.0, -2.0])
    np.testing.assert_allclose(procrustes_align(a, b, center=True, scale=True), a, atol=1e-5)
    assert not np.allclose(procrustes_align(a, b), a, atol=1e-2)  # a rotation alone cannot undo it


def test_aligned_pair_puts_a_rotated_copy_on_top_of_the_original(tmp_path: Path) -> None:
    from explorer.analysis.compare import aligned_pair, overlap_summary

    rng = np.random.default_rng(3)
    x = rng.normal(size=(12, 4))
    tokens = [f"w{i}" for i in range(12)]
    run_a = load_run(words_run(tmp_path / "a", tokens, x))
    run_b = load_run(words_run(tmp_path / "b", tokens[::-1], (x @ random_rotation(4, 1))[::-1]))
    pair = aligned_pair(run_a, run_b, ["w0", "w5", "w7"])
    assert pair.a.shape == pair.b.shape == (3, 2) and pair.residual < 1e-5
    np.testing.assert_allclose(pair.a, pair.b, atol=1e-4)
    summary = overlap_summary(run_a, run_b, k=3, max_words=100)
    assert summary["n_shared"] == 12 and (summary["frame"]["jaccard"] == 1.0).all()
    with pytest.raises(ExplorerError, match="'nope' is not in both runs"):
        aligned_pair(run_a, run_b, ["nope"])
    other = load_run(words_run(tmp_path / "c", tokens, rng.normal(size=(12, 3))))
    with pytest.raises(ExplorerError, match="different dimensions"):
        aligned_pair(run_a, other, ["w0"])
