"""The derived-data cache inside a run directory: its file names, reading and writing.

Only this module builds a cache file's name or lists the cache; everyone else asks it. The cache
(``cache/``) holds derived data, safe to delete and never trusted from an upload; its files
(normalised vectors, projections, aligned frames, saved clusterings) are listed in
``docs/run-directory.md`` (The cache).

Files are written atomically; a cached array is used only when its header says the expected
shape and dtype (anything else counts as absent and is recomputed).

    >>> projection_file(Path("run"), "pca", 2, 0, {}).parent.as_posix()
    'run/cache'
    >>> projection_file(Path("run"), "pca", 2, 0, {}).name.startswith("pca-2-")
    True
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any, Optional

import numpy as np

from explorer.atomic import save_npy
from explorer.errors import ExplorerError
from explorer.runs.arrays import npy_header, open_npy
from explorer.runs.layout import CACHE

#: Bump when projection defaults change, so that cached projections are recomputed.
CACHE_VERSION = 2



def cache_dir(run_dir: Path) -> Path:
    """``<run>/cache`` (not created)."""
    return Path(run_dir) / CACHE


def normalized_file(run_dir: Path) -> Path:
    """The cached unit-length copy of the run's vectors."""
    return cache_dir(run_dir) / "normalized.npy"


def clusters_dir(run_dir: Path) -> Path:
    """Where saved clusterings live."""
    return cache_dir(run_dir) / "clusters"


def params_key(method: str, dims: int, seed: int, params: dict[str, Any]) -> str:
    """The cache file stem ``<method>-<dims>-<hash>`` of a projection with these parameters.

    The hash covers the parameters, the seed and :data:`CACHE_VERSION`.
    """
    blob = json.dumps({"v": CACHE_VERSION, "seed": seed, "params": params}, sort_keys=True, default=str)
    return f"{method}-{int(dims)}-{hashlib.sha256(blob.encode()).hexdigest()[:16]}"


def projection_file(run_dir: Path, method: str, dims: int, seed: int = 0, params: dict[str, Any] | None = None) -> Path:
    """The cache file of a projection of the run's vectors."""
    return cache_dir(run_dir) / f"{params_key(method, dims, seed, dict(params or {}))}.npy"


def frames_file(run_dir: Path, method: str, seed: int = 0) -> Path:
    """The cache file of a run's aligned 2D frames (float32 (n_frames * n_rows, 2), explorer/analysis/frames.py)."""
    return cache_dir(run_dir) / f"frames-{method}-{int(seed)}.npy"


def projection_files(run_dir: Path, method: str, dims: int) -> list[Path]:
    """Cached projections of ``method`` in ``dims`` dimensions, whatever their parameters, oldest first."""
    folder = cache_dir(run_dir)
    if not folder.is_dir():
        return []
    found = []
    for file in folder.glob(f"{method}-{int(dims)}-*.npy"):
        try:
            found.append((file.stat().st_mtime, file))
        except OSError:  # removed meanwhile
            continue
    return [f for _, f in sorted(found)]



def projection_spaces(run_dir: Path, methods: tuple[str, ...], dims: tuple[int, ...] = (2, 3)) -> list[tuple[str, int]]:
    """The ``(method, dims)`` pairs that have at least one cached projection."""
    return [(m, d) for m in methods for d in dims if projection_files(run_dir, m, d)]


def latest_projection_file(run_dir: Path, method: str, dims: int) -> Optional[Path]:
    """The most recently written cached projection of ``method`` in ``dims`` dimensions, or None."""
    files = projection_files(run_dir, method, dims)
    return files[-1] if files else None


def read_array(path: Path, shape: tuple[int, ...], dtype: Any = np.float32) -> Optional[np.ndarray]:
    """The cached array at ``path`` (memory-mapped) when it has ``shape`` and ``dtype``; else None."""
    if not Path(path).is_file():
        return None
    try:
        header = npy_header(Path(path))
        if header.shape != tuple(shape) or header.dtype != np.dtype(dtype):
            return None
        return open_npy(Path(path))
    except (ExplorerError, OSError):
        return None


def write_array(path: Path, array: np.ndarray) -> bool:
    """Save ``array`` at ``path`` atomically; False (and nothing written) when the cache is not writable."""
    try:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        save_npy(Path(path), array)
    except OSError:
        return False
    return True
