"""Frames aligned so that points move only when their vectors move (pure functions on arrays).

Training can rotate the whole space freely (the loss depends on dot products only), so two frames
are compared after an orthogonal Procrustes rotation: each frame's vectors ``F`` (n, d), centred,
are rotated by the ``R`` (d, d) that brings them closest to the final vectors ``T``, centred
(``min ||(F - f̄) R - (T - t̄)||``, Schönemann 1966: ``R = U Vᵀ`` from the SVD ``(F - f̄)ᵀ (T - t̄) = U Σ Vᵀ``),
then moved to the final mean. All frames are then drawn with one fixed 2D map: the PCA of the final
vectors (so the last frame *is* the 2D PCA of the final vectors), or a UMAP fitted on the final
frame with the other frames placed by its ``transform``.

    >>> rng = np.random.default_rng(0)
    >>> t = rng.normal(size=(50, 4))
    >>> q, _ = np.linalg.qr(rng.normal(size=(4, 4)))
    >>> bool(np.allclose(align(t @ q.T + 3.0, t), t))
    True
"""

from __future__ import annotations

from typing import Any, Optional

import numpy as np

from explorer.errors import ExplorerError
from explorer.progress import Progress, ProgressCallback, no_progress

FRAME_METHODS = ("pca", "umap")


def procrustes_rotation(source: np.ndarray, target: np.ndarray) -> np.ndarray:
    """The orthogonal ``R`` (d, d) minimising ``||source_c @ R - target_c||`` (both (n, d), centred inside)."""
    a = np.asarray(source, dtype=np.float64)
    b = np.asarray(target, dtype=np.float64)
    if a.shape != b.shape or a.ndim != 2:
        raise ValueError(f"source and target must be (n, d) of one shape, got {a.shape} and {b.shape}")
    u, _, vt = np.linalg.svd((a - a.mean(0)).T @ (b - b.mean(0)))
    return u @ vt


def align(source: np.ndarray, target: np.ndarray) -> np.ndarray:
    """``source`` (n, d) rotated (and shifted) onto ``target`` (n, d): float64 (n, d)."""
    a = np.asarray(source, dtype=np.float64)
    b = np.asarray(target, dtype=np.float64)
    return (a - a.mean(0)) @ procrustes_rotation(a, b) + b.mean(0)


def align_frames(frames: np.ndarray, target: Optional[np.ndarray] = None) -> np.ndarray:
    """Every frame (n_frames, n, d) aligned onto ``target`` (default: the last frame): float32, same shape."""
    frames = np.asarray(frames)
    if frames.ndim != 3 or frames.shape[0] < 1:
        raise ExplorerError(f"frames: expected (n_frames, n, d), got shape {frames.shape}", code="frames_bad", run="")
    target = np.asarray(frames[-1] if target is None else target, dtype=np.float64)
    out = np.empty(frames.shape, dtype=np.float32)
    for i, frame in enumerate(frames):
        out[i] = align(frame, target)
    return out


def pca_map(final: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The 2D PCA of ``final`` (n, d) as a fixed map: (mean (d,), components (2, d)).

    Uses the same PCA as :func:`explorer.analysis.projection.project` (scikit-learn, sign-fixed),
    so mapping ``final`` itself gives the run's 2D PCA. Fewer than 2 components pad with zeros.
    """
    from sklearn.decomposition import PCA

    x = np.asarray(final, dtype=np.float32)
    usable = min(2, x.shape[0], x.shape[1])
    comps = np.zeros((2, x.shape[1]), np.float64)
    pca = PCA(n_components=usable, random_state=0).fit(x)
    comps[:usable] = pca.components_
    return pca.mean_.astype(np.float64), comps


def project_frames(frames: np.ndarray, method: str = "pca", seed: int = 0,
                   callback: Optional[ProgressCallback] = None, **params: Any) -> np.ndarray:
    """Aligned 2D coordinates of every frame: frames (n_frames, n, d) -> float32 (n_frames, n, 2).

    The last frame is the reference: it is never rotated, and with ``method="pca"`` its coordinates
    equal ``project(last frame, "pca", 2)``. ``method="umap"`` fits UMAP (``params``: n_neighbors,
    min_dist) on the last frame and places the other (aligned) frames with its ``transform``.
    """
    if method not in FRAME_METHODS:
        raise ExplorerError(f"method: frames are drawn with pca or umap, got {method!r}", code="frames_method",
                            method=str(method))
    callback = callback or no_progress
    aligned = align_frames(frames)
    final = aligned[-1]
    if final.shape[0] < 2:
        raise ExplorerError("frames: need at least 2 rows to draw", code="frames_bad", run="")
    if method == "pca":
        from explorer.analysis.projection import project

        mean, comps = pca_map(final)
        out = ((aligned.astype(np.float64) - mean) @ comps.T).astype(np.float32)
        out[-1] = project(final, "pca", 2, seed)
        return out
    return _umap_frames(aligned, seed, callback, params)


def _umap_frames(aligned: np.ndarray, seed: int, callback: ProgressCallback, params: dict) -> np.ndarray:
    import warnings

    import umap

    n = aligned.shape[1]
    if n < 5:
        raise ExplorerError(f"frames: UMAP needs at least 5 rows, got {n}", code="frames_bad", run="")
    reducer = umap.UMAP(n_neighbors=int(params.get("n_neighbors", min(15, n - 1))),
                        min_dist=float(params.get("min_dist", 0.1)), n_components=2, random_state=seed,
                        n_epochs=int(np.clip(1_000_000 // n, 100, 300)))
    out = np.empty((aligned.shape[0], n, 2), np.float32)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out[-1] = reducer.fit_transform(aligned[-1])
        callback(Progress(stage="project", progress=0.5, message="UMAP fitted on the final frame"))
        if aligned.shape[0] > 1:  # one transform call for all other frames (faster than one per frame)
            rest = reducer.transform(aligned[:-1].reshape(-1, aligned.shape[2]))
            out[:-1] = rest.reshape(aligned.shape[0] - 1, n, 2)
    callback(Progress(stage="project", progress=1.0, message="UMAP frames done"))
    return out


def frame_neighbours(frame: np.ndarray, probes: list[int], k: int = 5) -> list[list[int]]:
    """The ``k`` cosine-nearest rows of each probe row in one frame (n, d); never the probe itself."""
    x = np.asarray(frame, dtype=np.float32)
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    unit = x / np.where(norms > 0, norms, 1.0)
    out = []
    for p in probes:
        sims = unit @ unit[p]
        sims[p] = -np.inf
        k_ = min(k, x.shape[0] - 1)
        top = np.argpartition(-sims, k_ - 1)[:k_] if k_ > 0 else np.empty(0, int)
        out.append([int(i) for i in top[np.argsort(-sims[top], kind="stable")]])
    return out


def live_coords(frame: np.ndarray, previous: Optional[np.ndarray] = None) -> np.ndarray:
    """2D PCA of one live frame (m, d), turned to match ``previous`` (m, 2) when given (2D Procrustes),
    so that successive live frames do not flip or spin. Returns float32 (m, 2)."""
    x = np.asarray(frame, dtype=np.float64)
    x = x - x.mean(0)
    _, _, vt = np.linalg.svd(x, full_matrices=False)
    basis = np.zeros((2, x.shape[1]))
    basis[: min(2, vt.shape[0])] = vt[:2]
    xy = x @ basis.T
    if previous is not None and previous.shape == xy.shape:
        xy = align(xy, previous)
    return xy.astype(np.float32)


def run_frames(run_dir: Any) -> tuple[Any, Any]:
    """(run, frames) of a run directory, the last frame replaced by the run's exact final vectors.

    Raises :class:`ExplorerError` (code ``no_frames``) for a run without frames.
    """
    from pathlib import Path

    from explorer.runs import load_run
    from explorer.runs.frames import read_frames

    run = load_run(Path(run_dir))
    vectors = np.asarray(run.vectors)
    frames = read_frames(run.path, vectors.shape[0])
    frames.vectors[-1] = vectors[frames.rows]
    return run, frames


def cached_frame_coords(run_dir: Any, method: str = "pca", seed: int = 0,
                        callback: Optional[ProgressCallback] = None) -> np.ndarray:
    """:func:`project_frames` of a run's frames, cached in ``cache/frames-<method>-<seed>.npy``: (n_frames, n, 2)."""
    from explorer.runs import cache

    run, frames = run_frames(run_dir)
    path = cache.frames_file(run.path, method, seed)
    n_frames, n = frames.vectors.shape[:2]
    cached = cache.read_array(path, (n_frames * n, 2))
    if cached is not None:
        return np.asarray(cached).reshape(n_frames, n, 2)
    coords = project_frames(frames.vectors, method, seed, callback)
    cache.write_array(path, np.ascontiguousarray(coords.reshape(-1, 2), dtype=np.float32))
    return coords
