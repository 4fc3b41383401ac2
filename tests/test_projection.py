"""Projections: shapes, dtypes, determinism, quality on planted clusters, errors, caching."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest
from sklearn.manifold import trustworthiness

from explorer.analysis import projection
from explorer.analysis.projection import cached_projection, exact_knn, params_key, precompute, project
from explorer.errors import ExplorerError, TrainingStopped
from explorer.progress import Progress
from tests.support import ROOT
from tests.support.runs import words_run


def planted(n: int = 200, d: int = 20, k: int = 4, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(k, d)) * 4
    labels = np.arange(n) % k
    return (centres[labels] + rng.normal(size=(n, d))).astype(np.float32), labels


def test_exact_knn_matches_brute_force() -> None:
    x, _ = planted(150, 8)
    idx, dist = exact_knn(x, 6, block=64)
    full = np.linalg.norm(x[:, None] - x[None], axis=2)
    ref = np.argsort(full, axis=1, kind="stable")[:, :6]
    np.testing.assert_array_equal(idx, ref)
    assert (idx[:, 0] == np.arange(150)).all() and (dist[:, 0] == 0).all()
    np.testing.assert_allclose(dist, np.take_along_axis(full, ref, axis=1), atol=1e-4)


def test_pca_hand_worked() -> None:
    # points on the line t * (1, 1, 0) plus a small z offset uncorrelated with t: PC1 is that line
    t = np.array([-2, -1, 0, 1, 2], np.float32)
    x = np.stack([t, t, 0.01 * np.array([1, -1, 0, -1, 1])], axis=1).astype(np.float32)
    out = project(x, "pca", dims=2)
    assert out.shape == (5, 2) and out.dtype == np.float32
    np.testing.assert_allclose(np.abs(out[:, 0]), np.abs(t) * np.sqrt(2), atol=1e-4)
    assert np.abs(out[:, 1]).max() < 0.02


def test_pca_pads_missing_components() -> None:
    out = project(np.array([[0, 1], [1, 0], [2, 2]], np.float32), "pca", dims=3)
    assert out.shape == (3, 3) and (out[:, 2] == 0).all()


@pytest.mark.slow
@pytest.mark.parametrize("method", ["tsne", "umap"])
def test_nonlinear_projection_quality_and_determinism(method: str) -> None:
    x, _ = planted()
    a = project(x, method, dims=2, seed=3)
    b = project(x, method, dims=2, seed=3)
    assert a.shape == (200, 2) and a.dtype == np.float32
    np.testing.assert_array_equal(a, b)
    assert trustworthiness(x, a, n_neighbors=10) >= 0.8


@pytest.mark.parametrize("method", ["pca", "tsne", pytest.param("umap", marks=pytest.mark.slow)])  # umap: numba JIT
def test_three_dimensions(method: str) -> None:
    x, _ = planted(120, 10)
    out = project(x, method, dims=3, seed=0)
    assert out.shape == (120, 3) and out.dtype == np.float32 and np.isfinite(out).all()


@pytest.mark.slow  # umap: numba compiles it on first use (tens of seconds)
def test_cosine_metric_equals_projecting_unit_rows() -> None:
    x, _ = planted(100, 10)
    unit = x / np.linalg.norm(x, axis=1, keepdims=True)
    np.testing.assert_array_equal(project(x, "umap", metric="cosine", n_epochs=20),
                                  project(unit, "umap", n_epochs=20))


@pytest.mark.parametrize("method,params,name", [
    ("tsne", {"perplexity": 80}, "perplexity"),
    ("tsne", {"perplexity": 0}, "perplexity"),
    ("tsne", {"n_iter": 0}, "n_iter"),
    ("umap", {"n_neighbors": 1}, "n_neighbors"),
    ("umap", {"n_neighbors": 200}, "n_neighbors"),
    ("umap", {"min_dist": 2.0}, "min_dist"),
    ("umap", {"min_dist": -0.1}, "min_dist"),
    ("umap", {"n_epochs": 0}, "n_epochs"),
    ("umap", {"negative_sample_rate": 0}, "negative_sample_rate"),
    ("umap", {"perplexity": 5}, "perplexity"),
    ("umap", {"metric": "hamming"}, "metric"),
    ("tsne", {"pca_dims": 1}, "pca_dims"),
])
def test_bad_parameters_name_the_parameter(method: str, params: dict, name: str) -> None:
    x, _ = planted(100, 10)
    with pytest.raises(ExplorerError, match=name):
        project(x, method, **params)


def test_perplexity_error_states_the_bound() -> None:
    x, _ = planted(100, 10)
    with pytest.raises(ExplorerError, match=r"<= \(n - 1\) / 3 = 33"):
        project(x, "tsne", perplexity=40)


def test_bad_input() -> None:
    with pytest.raises(ExplorerError, match="method"):
        project(np.zeros((5, 2), np.float32), "mds")
    with pytest.raises(ExplorerError, match="NaN"):
        project(np.array([[0, np.nan], [1, 1]], np.float32), "pca")
    with pytest.raises(ExplorerError, match="2 rows"):
        project(np.zeros((1, 3), np.float32), "pca")
    with pytest.raises(ExplorerError, match="dims"):
        project(np.zeros((5, 2), np.float32), "pca", dims=0)


def test_callback_can_stop_tsne() -> None:
    x, _ = planted(100, 10)
    seen: list[Progress] = []

    def stop_after_first_iterations(p: Progress) -> bool:
        seen.append(p)
        return "iteration" in p.message

    with pytest.raises(TrainingStopped):
        project(x, "tsne", callback=stop_after_first_iterations)
    assert seen[0].stage == "project" and seen[0].progress == 0.0


def test_cached_projection_is_computed_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    x, _ = planted(60, 6)
    run_dir = words_run(tmp_path / "run", [f"w{i}" for i in range(len(x))], x)
    first = cached_projection(run_dir, "pca", 2)
    cache_file = run_dir / "cache" / f"{params_key('pca', 2, 0, {})}.npy"
    assert cache_file.is_file()
    assert [p.name for p in (run_dir / "cache").iterdir()] == [cache_file.name]  # no temporary left

    def fail(*args: object, **kwargs: object) -> np.ndarray:
        raise AssertionError("recomputed instead of loading the cache")

    monkeypatch.setattr(projection, "project", fail)
    np.testing.assert_array_equal(cached_projection(run_dir, "pca", 2), first)
    assert params_key("umap", 2, 0, {"n_neighbors": 5}) != params_key("umap", 2, 0, {"n_neighbors": 6})
    assert params_key("umap", 2, 0, {}) != params_key("umap", 2, 1, {})


def test_precompute_writes_normalized_and_pca(tmp_path: Path) -> None:
    x, _ = planted(40, 5)
    run_dir = words_run(tmp_path / "run", [f"w{i}" for i in range(len(x))], x)
    precompute(run_dir)
    unit = np.load(run_dir / "cache" / "normalized.npy")
    np.testing.assert_allclose(np.linalg.norm(unit, axis=1), 1, atol=1e-6)
    for dims in (2, 3):
        coords = np.load(run_dir / "cache" / f"{params_key('pca', dims, 0, {})}.npy")
        np.testing.assert_allclose(coords, project(x, "pca", dims), atol=1e-5)


@pytest.mark.slow  # a fresh interpreter compiles UMAP's and the top-k kernel (tens of seconds)
def test_warmup_compiles_the_projection_kernels_in_a_fresh_process() -> None:
    """What a worker gets from warmup() at start: the exact-kNN kernel and UMAP's layout epoch compiled
    (numba signatures present), so that no user request pays for compiling them."""
    code = textwrap.dedent("""
        import json
        import umap.layouts as layouts
        from explorer.analysis import projection
        epoch = layouts._nb_optimize_layout_euclidean_single_epoch
        before = [projection._topk_kernel is not None, len(epoch.signatures)]
        projection.warmup()
        print(json.dumps([before, [len(projection._topk_kernel.signatures), len(epoch.signatures)]]))
    """)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env, timeout=280)
    assert proc.returncode == 0, proc.stderr[-2000:]
    before, after = json.loads(proc.stdout.splitlines()[-1])
    assert before == [False, 0]  # nothing compiled before
    assert after[0] >= 1 and after[1] >= 1
