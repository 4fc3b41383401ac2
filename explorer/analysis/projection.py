"""2-D / 3-D projections of embedding vectors: PCA, t-SNE (openTSNE) and UMAP (umap-learn).

All three take float32 vectors (n, d) and return float32 coordinates (n, dims), deterministic for
a given ``seed``. The fast paths (measured in ``bench/bench_projection.py``):

- Both t-SNE and UMAP first reduce to ``pca_dims`` (default 50) principal components, then find
  the *exact* k nearest neighbours with one BLAS product per block of rows plus a compiled
  (numba) top-k selection — faster than approximate search at these sizes and deterministic.
- **UMAP** gets those neighbours as ``precomputed_knn``, a PCA initialisation, fewer epochs on
  large inputs (``n_epochs`` default ``clip(1e6 / n, 100, 500)``: cost is bounded by about 1e6
  point-epochs) and 3 negative samples per edge instead of 5. Seeded, so umap-learn runs its
  layout single-threaded and reproducibly; trustworthiness stays within 0.001 of the defaults.
- **t-SNE** uses openTSNE: perplexity affinities on the exact neighbours, PCA initialisation,
  FFT-accelerated gradients from 10,000 points in 2-D (coarser grid: ``ints_in_interval=2``),
  Barnes-Hut below that and in 3-D, a shorter schedule (125 early-exaggeration + 375 normal
  iterations instead of 250 + 500), which keeps trustworthiness, and one thread by default.

``metric="cosine"`` (t-SNE/UMAP) normalises the rows first; euclidean distance between unit
vectors ranks neighbours exactly as cosine similarity does.

numba compiles UMAP's and the top-k kernel on first use (tens of seconds): workers call
:func:`warmup` once at start so that no user request pays that cost.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Optional

import numpy as np

from explorer.errors import ExplorerError, TrainingStopped
from explorer.progress import Progress, ProgressCallback, no_progress
from explorer.runs import cache
from explorer.runs.cache import CACHE_VERSION, params_key  # noqa: F401  (re-exported: the cache's names)
from explorer.threads import job_threads, usable_cores

# The projection methods, each with the parameters it accepts: the one list the CLI, jobs and pages use.
PROJECTION_METHODS: dict[str, frozenset[str]] = {
    "pca": frozenset(),
    "tsne": frozenset({"perplexity", "n_iter", "early_exaggeration_iter", "pca_dims", "metric", "n_jobs",
                       "learning_rate", "theta"}),
    "umap": frozenset({"n_neighbors", "min_dist", "spread", "n_epochs", "negative_sample_rate", "pca_dims",
                       "metric", "init"}),
}


# ---------------------------------------------------------------------- exact kNN


def _make_topk_kernel() -> Any:
    import numba

    def topk_rows(dots: np.ndarray, sq: np.ndarray, k: int, offset: int) -> tuple[np.ndarray, np.ndarray]:
        # For row r (global row r + offset) keep the k smallest sq[j] - 2 * dots[r, j], j != r + offset,
        # in ascending order (ties: lower j first). Insertion into a sorted buffer of k values.
        b, n = dots.shape
        idx = np.empty((b, k), np.int64)
        val = np.empty((b, k), np.float32)
        for r in numba.prange(b):
            vi = np.full(k, np.inf, np.float32)
            ii = np.full(k, -1, np.int64)
            worst = np.float32(np.inf)
            me = r + offset
            for j in range(n):
                v = sq[j] - np.float32(2.0) * dots[r, j]
                if v < worst and j != me:
                    p = k - 1
                    while p > 0 and vi[p - 1] > v:
                        vi[p] = vi[p - 1]
                        ii[p] = ii[p - 1]
                        p -= 1
                    vi[p] = v
                    ii[p] = j
                    worst = vi[k - 1]
            idx[r] = ii
            val[r] = vi
        return idx, val

    try:  # cache the machine code beside this file when the directory is writable
        return numba.njit(parallel=True, cache=True)(topk_rows)
    except Exception:  # noqa: BLE001 - numba raises RuntimeError subclasses when caching is impossible
        return numba.njit(parallel=True)(topk_rows)


_topk_kernel: Any = None


def exact_knn(x: np.ndarray, k: int, block: int = 2048) -> tuple[np.ndarray, np.ndarray]:
    """Exact euclidean k nearest neighbours of every row of ``x`` (n, d), the row itself first.

    Returns ``(indices int64 (n, k), distances float32 (n, k))`` with column 0 the row itself at
    distance 0 (umap-learn's convention), then the k-1 nearest other rows, nearest first.
    """
    global _topk_kernel
    if _topk_kernel is None:
        _topk_kernel = _make_topk_kernel()
    x = np.ascontiguousarray(x, dtype=np.float32)
    n = x.shape[0]
    if not 1 <= k <= n:
        raise ValueError(f"k must be in 1..{n}, got {k}")
    sq = np.einsum("ij,ij->i", x, x)
    indices = np.empty((n, k), np.int64)
    dists = np.zeros((n, k), np.float32)
    indices[:, 0] = np.arange(n)
    if k > 1:
        xt = np.ascontiguousarray(x.T)
        for start in range(0, n, block):
            stop = min(n, start + block)
            dots = x[start:stop] @ xt
            idx, val = _topk_kernel(dots, sq, k - 1, start)
            indices[start:stop, 1:] = idx
            dists[start:stop, 1:] = val + sq[start:stop, None]
        np.maximum(dists, 0.0, out=dists)
        np.sqrt(dists, out=dists)
    return indices, dists


# ---------------------------------------------------------------------- validation


def _check_common(vectors: np.ndarray, method: str, dims: int) -> np.ndarray:
    if method not in PROJECTION_METHODS:
        raise ExplorerError(f"method: unknown projection {method!r} (expected {', '.join(PROJECTION_METHODS)})",
                            code="unknown_method", method=str(method), known=", ".join(PROJECTION_METHODS))
    if not isinstance(dims, (int, np.integer)) or isinstance(dims, bool) or dims < 1:
        raise ExplorerError(f"dims: must be a positive integer, got {dims!r}", code="projection_dims",
                            value=repr(dims))
    x = np.asarray(vectors)
    if x.ndim != 2:
        raise ExplorerError(f"vectors: expected a 2-D array (n, d), got shape {x.shape}",
                            code="analysis_vectors_not_matrix", shape=str(x.shape))
    x = x.astype(np.float32, copy=False)
    if x.shape[0] < 2:
        raise ExplorerError(f"vectors: need at least 2 rows to project, got {x.shape[0]}",
                            code="projection_too_few_rows", n=int(x.shape[0]))
    if not np.isfinite(x).all():
        raise ExplorerError("vectors: contain NaN or infinite values", code="analysis_vectors_not_finite")
    return x


def _reject_unknown(method: str, params: dict[str, Any]) -> None:
    unknown = sorted(set(params) - PROJECTION_METHODS[method])
    if unknown:
        allowed = ", ".join(sorted(PROJECTION_METHODS[method])) or "none"
        raise ExplorerError(f"{unknown[0]}: not a parameter of {method} (allowed: {allowed})",
                            code="analysis_unknown_param", name=unknown[0], method=method, allowed=allowed)


def _int(params: dict[str, Any], name: str, default: int, low: int, high: Optional[int] = None) -> int:
    """An integer parameter within [low, high]; ExplorerError naming it and the bound otherwise."""
    value = params.get(name, default)
    ok = isinstance(value, (int, np.integer)) and not isinstance(value, bool) and value >= low
    if ok and high is not None:
        ok = value <= high
    if not ok:
        bound = f">= {low}" if high is None else f"between {low} and {high}"
        message = f"{name}: must be an integer {bound}, got {value!r}"
        if high is None:
            raise ExplorerError(message, code="analysis_int_min", name=name, min=low, value=repr(value))
        raise ExplorerError(message, code="analysis_int_between", name=name, min=low, max=high, value=repr(value))
    return int(value)


def _pca_dims(params: dict[str, Any]) -> Optional[int]:
    value = params.get("pca_dims", 50)
    if value is None or value == 0:
        return None
    if not isinstance(value, (int, np.integer)) or value < 2:
        raise ExplorerError(f"pca_dims: must be an integer >= 2 (or 0 to skip PCA), got {value!r}",
                            code="projection_pca_dims", value=repr(value))
    return int(value)


def _metric(params: dict[str, Any]) -> str:
    metric = params.get("metric", "euclidean")
    if metric not in ("euclidean", "cosine"):
        raise ExplorerError(f"metric: must be euclidean or cosine, got {metric!r}", code="analysis_metric",
                            value=repr(metric))
    return metric


def _prepare(x: np.ndarray, params: dict[str, Any], seed: int) -> np.ndarray:
    """Cosine -> unit rows; then PCA to ``pca_dims`` when that is smaller than d."""
    if _metric(params) == "cosine":
        from explorer.analysis.neighbors import normalize_rows

        x = normalize_rows(x)
    target = _pca_dims(params)
    if target is not None and x.shape[1] > target and x.shape[0] > target:
        x = _pca(x, target, seed)
    return np.ascontiguousarray(x, dtype=np.float32)


def _pca(x: np.ndarray, dims: int, seed: int) -> np.ndarray:
    """PCA coordinates (n, dims); missing components (dims > min(n, d)) are zeros."""
    from sklearn.decomposition import PCA

    n, d = x.shape
    usable = min(dims, n, d)
    out = np.zeros((n, dims), np.float32)
    if usable > 0:
        out[:, :usable] = PCA(n_components=usable, random_state=seed).fit_transform(x)
    return out


# ---------------------------------------------------------------------- methods


def _tsne(
    x: np.ndarray, dims: int, seed: int, params: dict[str, Any], callback: ProgressCallback
) -> np.ndarray:
    from openTSNE import TSNE, affinity, initialization
    from openTSNE.nearest_neighbors import PrecomputedNeighbors

    n = x.shape[0]
    if n < 4:
        raise ExplorerError(f"vectors: t-SNE needs at least 4 rows, got {n}", code="tsne_too_few_rows", n=n)
    max_perplexity = (n - 1) / 3
    if "perplexity" in params:
        perplexity = params["perplexity"]
        if not isinstance(perplexity, (int, float)) or isinstance(perplexity, bool) or not 0 < perplexity <= max_perplexity:
            raise ExplorerError(
                f"perplexity: must be > 0 and <= (n - 1) / 3 = {max_perplexity:.4g} for {n} points, got {perplexity!r}",
                code="tsne_perplexity", max=f"{max_perplexity:.4g}", n=n, value=repr(perplexity),
            )
    else:
        perplexity = min(30.0, max_perplexity)
    # 3D has no FFT path in openTSNE (Barnes-Hut, an octree: several times the cost of 2D FFT per
    # iteration). Its defaults are a coarser opening angle (theta 1.0) and a shorter schedule (60 + 250
    # iterations from the PCA start): about 2x faster than theta 0.5 with 125 + 375, for the same
    # trustworthiness (bench/results_classroom.md).
    three = dims == 3
    n_iter = _int(params, "n_iter", 250 if three else 375, 1)
    ee_iter = _int(params, "early_exaggeration_iter", 60 if three else 125, 0)
    theta = params.get("theta", 1.0 if three else 0.5)
    if not isinstance(theta, (int, float)) or isinstance(theta, bool) or not 0.0 < theta <= 2.0:
        raise ExplorerError(f"theta: must be > 0 and <= 2, got {theta!r}", code="tsne_theta", value=repr(theta))
    if dims > 3:
        raise ExplorerError(f"dims: t-SNE supports 1 to 3 dimensions, got {dims}", code="tsne_dims", value=dims)
    learning_rate = params.get("learning_rate", "auto")
    if learning_rate != "auto" and not (isinstance(learning_rate, (int, float)) and learning_rate > 0):
        raise ExplorerError(f"learning_rate: must be 'auto' or > 0, got {learning_rate!r}",
                            code="tsne_learning_rate", value=repr(learning_rate))
    # Threads: the job's budget by default (explorer.threads.job_threads: every core from the command
    # line, the worker's threads per job in a worker). On the quiet 2-core VM two threads took 3D from
    # 21 s to 14 s of optimisation; beside one busy process they were no slower than one
    # (bench/results_classroom.md). n_jobs=-1 uses every core.
    n_jobs = _int(params, "n_jobs", 0, -1)
    if n_jobs == 0:
        n_jobs = job_threads()
    elif n_jobs < 0:
        n_jobs = usable_cores()

    data = _prepare(x, params, seed)
    k = min(n - 1, int(3 * perplexity))
    indices, dists = exact_knn(data, k + 1)
    callback(Progress(stage="project", progress=0.1, message="t-SNE: neighbours found"))
    affinities = affinity.PerplexityBasedNN(
        perplexity=perplexity,
        knn_index=PrecomputedNeighbors(indices[:, 1:], dists[:, 1:]),
        n_jobs=n_jobs,
        random_state=seed,
    )
    init = initialization.pca(data, n_components=dims, random_state=seed)
    total = ee_iter + n_iter
    state = {"offset": 0, "last": 0, "stopped": False}

    def report(iteration: int, error: float, embedding: Any) -> bool:
        # openTSNE numbers iterations from 1 in each phase (early exaggeration, then normal)
        if iteration <= state["last"]:
            state["offset"] = ee_iter
        state["last"] = iteration
        done = state["offset"] + iteration
        stop = callback(Progress(stage="project", progress=0.1 + 0.9 * min(done / total, 1.0),
                                 message=f"t-SNE iteration {done}/{total}"))
        state["stopped"] = state["stopped"] or bool(stop)
        return bool(stop)

    tsne = TSNE(
        n_components=dims,
        perplexity=perplexity,
        early_exaggeration_iter=ee_iter,
        n_iter=n_iter,
        learning_rate=learning_rate,
        # openTSNE's own rule: FFT from 10,000 points (2-D only), Barnes-Hut below
        negative_gradient_method="fft" if dims <= 2 and n >= 10_000 else "bh",
        theta=float(theta),  # Barnes-Hut opening angle (unused by FFT)
        # FFT grid intervals twice openTSNE's default width: ~35% faster for a KL divergence within
        # 1% of the default's (bench/results_analysis.md); unused by Barnes-Hut
        ints_in_interval=2,
        n_jobs=n_jobs,
        random_state=seed,
        # callbacks make openTSNE evaluate the KL error as well: only when someone listens
        callbacks=None if callback is no_progress else report,
        callbacks_every_iters=25,
    )
    embedding = tsne.fit(affinities=affinities, initialization=init)
    if state["stopped"]:  # openTSNE returns the partial embedding after an interrupt
        raise TrainingStopped(np.asarray(embedding, dtype=np.float32))
    return np.asarray(embedding, dtype=np.float32)


def _umap_epochs(n: int) -> int:
    """Default UMAP epochs: about 1e6 point-epochs, between 100 and 500."""
    return int(np.clip(1_000_000 // max(n, 1), 100, 500))


def _umap(x: np.ndarray, dims: int, seed: int, params: dict[str, Any], callback: ProgressCallback) -> np.ndarray:
    import warnings

    import umap

    n = x.shape[0]
    if n < 4:
        raise ExplorerError(f"vectors: UMAP needs at least 4 rows, got {n}", code="umap_too_few_rows", n=n)
    n_neighbors = _int(params, "n_neighbors", min(15, n - 1), 2, n - 1)
    spread = params.get("spread", 1.0)
    if not isinstance(spread, (int, float)) or spread <= 0:
        raise ExplorerError(f"spread: must be > 0, got {spread!r}", code="umap_spread", value=repr(spread))
    min_dist = params.get("min_dist", 0.1)
    if not isinstance(min_dist, (int, float)) or not 0.0 <= min_dist <= spread:
        raise ExplorerError(f"min_dist: must be >= 0 and <= spread ({spread}), got {min_dist!r}",
                            code="umap_min_dist", spread=str(spread), value=repr(min_dist))
    n_epochs = _int(params, "n_epochs", _umap_epochs(n), 1)
    negative_sample_rate = _int(params, "negative_sample_rate", 3, 1)
    init = params.get("init", "pca")
    if init not in ("pca", "spectral", "random"):
        raise ExplorerError(f"init: must be pca, spectral or random, got {init!r}", code="umap_init",
                            value=repr(init))
    if dims >= n - 1:
        raise ExplorerError(f"dims: UMAP needs more rows than dims + 1, got {n} rows for {dims} dims",
                            code="umap_dims", n=n, dims=dims)

    data = _prepare(x, params, seed)
    indices, dists = exact_knn(data, int(n_neighbors))
    callback(Progress(stage="project", progress=0.3, message="UMAP: neighbours found"))
    reducer = umap.UMAP(
        n_neighbors=int(n_neighbors),
        n_components=dims,
        min_dist=float(min_dist),
        spread=float(spread),
        n_epochs=int(n_epochs),
        negative_sample_rate=int(negative_sample_rate),
        init=init,
        random_state=seed,
        precomputed_knn=(indices, dists, None),
    )
    with warnings.catch_warnings():
        # "n_jobs overridden by random_state" and "no search index" are expected here
        warnings.simplefilter("ignore")
        embedding = reducer.fit_transform(data)
    return np.asarray(embedding, dtype=np.float32)


def project(
    vectors: np.ndarray,
    method: str,
    dims: int = 2,
    seed: int = 0,
    *,
    callback: Optional[ProgressCallback] = None,
    **params: Any,
) -> np.ndarray:
    """Project ``vectors`` (n, d) to float32 coordinates (n, dims).

    ``method``: ``"pca"``; ``"tsne"`` (params ``perplexity`` (default min(30, (n-1)/3)), ``n_iter``
    (375), ``early_exaggeration_iter`` (125), ``learning_rate``, ``pca_dims`` (50, 0 = off),
    ``metric`` (euclidean|cosine), ``n_jobs`` (0: the job's threads, :func:`explorer.threads.job_threads`; -1: all cores), ``theta`` (Barnes-Hut angle); in 3D
    the defaults are ``n_iter`` 250, ``early_exaggeration_iter`` 60, ``theta`` 1.0); ``"umap"`` (params ``n_neighbors`` (min(15, n-1)),
    ``min_dist`` (0.1), ``spread`` (1.0), ``n_epochs`` (clip(1e6/n, 100, 500)),
    ``negative_sample_rate`` (3), ``init``
    (pca|spectral|random), ``pca_dims``, ``metric``). PCA pads with zero columns when ``dims``
    exceeds min(n, d). A bad parameter raises :class:`ExplorerError` naming it and its bound.
    ``callback`` receives progress reports and may stop t-SNE (raises TrainingStopped).
    """
    x = _check_common(vectors, method, dims)
    _reject_unknown(method, params)
    callback = callback or no_progress
    callback(Progress(stage="project", progress=0.0, message=f"{method} started"))
    if method == "pca":
        out = _pca(x, int(dims), seed)
    elif method == "tsne":
        out = _tsne(x, int(dims), seed, params, callback)
    else:
        out = _umap(x, int(dims), seed, params, callback)
    callback(Progress(stage="project", progress=1.0, message=f"{method} done"))
    return np.ascontiguousarray(out, dtype=np.float32)


# ---------------------------------------------------------------------- per-run cache


def cached_projection_file(run: Any, method: str, dims: int, seed: int = 0, *, store: Optional[Path] = None,
                           **params: Any) -> Optional[Path]:
    """The cache file of this projection of ``run`` (a :class:`~explorer.runs.Run`) when it is ready, else None.

    ``store``: the viewers' cache of a run the caller does not own (see :func:`cached_projection`)."""
    for root in (run.path, store):
        if root is None:
            continue
        path = cache.projection_file(Path(root), method, dims, seed, params)
        if cache.read_array(path, (run.vectors.shape[0], int(dims))) is not None:
            return path
    return None


def cached_projection(
    run_dir: Path,
    method: str,
    dims: int,
    seed: int = 0,
    *,
    callback: Optional[ProgressCallback] = None,
    store: Optional[Path] = None,
    **params: Any,
) -> np.ndarray:
    """:func:`project` of a run's vectors, cached in ``run_dir/cache/<method>-<dims>-<hash>.npy``.

    The hash covers the parameters, the seed and :data:`CACHE_VERSION`; the file is written
    atomically, so a second call (any process) loads it instantly. With ``store`` (for a run the
    caller does not own: a folder laid out like a run directory, see
    :func:`explorer.jobs.workspaces.projection_store`) the run's own cache is read but never written:
    the result goes to ``store``'s cache.
    """
    from explorer.runs import load_run

    run = load_run(Path(run_dir))
    vectors = run.vectors
    path = cache.projection_file(run.path, method, dims, seed, params)
    cached = cache.read_array(path, (vectors.shape[0], int(dims)))
    if cached is None and store is not None:  # a run the caller does not own: its viewers' cache
        path = cache.projection_file(Path(store), method, dims, seed, params)
        cached = cache.read_array(path, (vectors.shape[0], int(dims)))
    if cached is not None:
        return np.asarray(cached)
    coords = project(np.asarray(vectors), method, dims, seed, callback=callback, **params)
    cache.write_array(path, coords)
    return coords


def precompute(run_dir: Path) -> None:
    """Cache what every page needs right after training: normalised vectors, 2-D and 3-D PCA.

    Writes the normalised vectors (:func:`explorer.runs.cache.normalized_file`, float32 (n, d), read by
    :func:`explorer.analysis.neighbors.index_for`) and the PCA projections (see :func:`cached_projection`).
    """
    from explorer.analysis.neighbors import normalize_rows
    from explorer.runs import load_run

    run = load_run(Path(run_dir))
    cache.write_array(cache.normalized_file(run.path), normalize_rows(np.asarray(run.vectors)))
    for dims in (2, 3):
        cached_projection(run.path, "pca", dims)


def warmup() -> None:
    """Compile the numba code used by :func:`project` (UMAP and the exact kNN) on tiny data.

    Workers call this once at start; it takes tens of seconds the first time in a process.
    """
    rng = np.random.default_rng(0)
    x = rng.normal(size=(64, 8)).astype(np.float32)
    project(x, "umap", dims=2, n_epochs=5)
