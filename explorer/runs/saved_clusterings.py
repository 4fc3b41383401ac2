"""Clusterings saved beside a run, so that other pages (Explore) can colour the points by them.

Two files per clustering under the run's ``cache/clusters/`` (derived data, like the other caches:
safe to delete); their format: ``docs/run-directory.md`` (The cache).

``name`` is built only from the method (one of :data:`explorer.analysis.clusters.CLUSTER_METHODS`), the space (:data:`SPACES`) and
the parameters, numbers or short lowercase words (e.g. ``kmeans-k8-seed0-vectors``,
``dbscan-eps0.3-metric_cosine-min_samples5-vectors``), never from free user text, so it is always a safe
file name. Both files are written atomically (temporary name + rename); saving the same
clustering twice replaces it. The Explore page offers every saved clustering as a colouring::

    for saved in load_clusterings(run.path):      # newest first
        labels = load_labels(run.path, saved.name)  # int32 (n,), aligned with run.vectors
"""

from __future__ import annotations

import datetime as _dt
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from explorer.analysis.clusters import CLUSTER_METHODS
from explorer.analysis.projection import PROJECTION_METHODS
from explorer.atomic import save_npy
from explorer.errors import ExplorerError
from explorer.runs import cache, write_json
from explorer.runs.arrays import open_npy

SPACES = ("vectors", *(f"{m}{d}" for m in PROJECTION_METHODS for d in (2, 3)))  # original space or a projection
_NAME_RE = re.compile(r"(kmeans|dbscan|hdbscan)(-[a-z_]+[0-9.e+-]*)*")


@dataclass(frozen=True)
class SavedClustering:
    """A clustering saved with a run (the labels stay on disk until :func:`load_labels`)."""

    name: str
    method: str
    params: dict = field(default_factory=dict)
    space: str = "vectors"
    metrics: dict = field(default_factory=dict)
    n_clusters: int = 0
    created: str = ""


def _folder(run_dir: Path) -> Path:
    return cache.clusters_dir(run_dir)


def clustering_name(method: str, params: Mapping[str, Any], space: str) -> str:
    """A file-safe name from validated parts: ``<method>-<key><number>|<key>_<word>...-<space>``.

    >>> clustering_name("kmeans", {"k": 8, "seed": 0}, "vectors")
    'kmeans-k8-seed0-vectors'
    """
    if method not in CLUSTER_METHODS:
        raise ExplorerError(f"method: expected one of {', '.join(CLUSTER_METHODS)}, got {method!r}",
                            code="clustering_bad_method", methods=", ".join(CLUSTER_METHODS), value=method)
    if space not in SPACES:
        raise ExplorerError(f"space: expected one of {', '.join(SPACES)}, got {space!r}", code="clustering_bad_space",
                            spaces=", ".join(SPACES), value=space)
    parts = [method]
    for key in sorted(params):
        value = params[key]
        if value is None:
            continue
        if not re.fullmatch(r"[a-z_]{1,24}", str(key)):
            raise ExplorerError(f"params: bad parameter name {str(key)[:40]!r}", code="clustering_bad_param_name",
                                key=str(key)[:40])
        if isinstance(value, str) and re.fullmatch(r"[a-z]{1,16}", value):  # e.g. metric="cosine"
            parts.append(f"{key}_{value}")
        elif isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
            raise ExplorerError(f"params: {key!r} must be a number or a short lowercase word",
                                code="clustering_bad_param_value", key=key)
        else:
            parts.append(f"{key}{value:g}" if isinstance(value, (float, np.floating)) else f"{key}{int(value)}")
    parts.append(space)
    return "-".join(parts)


def save_clustering(
    run_dir: Path,
    labels: np.ndarray,
    method: str,
    params: Mapping[str, Any],
    space: str = "vectors",
    metrics: Mapping[str, Any] | None = None,
) -> str:
    """Save cluster ``labels`` (int, shape (n,) aligned with the run's vectors); return the name."""
    labels = np.asarray(labels)
    if labels.ndim != 1 or labels.dtype.kind not in "iu":
        raise ExplorerError(f"labels: expected whole numbers of shape (n,), got {labels.dtype} {labels.shape}",
                            code="clustering_bad_labels", dtype=str(labels.dtype), shape=str(labels.shape))
    name = clustering_name(method, params, space)
    folder = _folder(run_dir)
    folder.mkdir(parents=True, exist_ok=True)
    save_npy(folder / f"{name}.npy", labels.astype(np.int32))
    found = np.unique(labels[labels >= 0]).size
    write_json(folder / f"{name}.json", {
        "name": name, "method": method, "params": dict(params), "space": space,
        "metrics": dict(metrics or {}), "n_clusters": int(found),
        "created": _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
    })
    return name


def load_clusterings(run_dir: Path) -> list[SavedClustering]:
    """Clusterings saved with the run, newest first (unreadable entries are skipped)."""
    folder = _folder(run_dir)
    if not folder.is_dir():
        return []
    out = []
    for meta in folder.glob("*.json"):
        if meta.name.startswith(".") or not (folder / f"{meta.stem}.npy").is_file():
            continue
        try:
            info = json.loads(meta.read_text(encoding="utf-8"))
            out.append(SavedClustering(name=meta.stem, method=str(info["method"]), params=dict(info.get("params", {})),
                                       space=str(info.get("space", "vectors")), metrics=dict(info.get("metrics", {})),
                                       n_clusters=int(info.get("n_clusters", 0)), created=str(info.get("created", ""))))
        except (OSError, ValueError, KeyError, TypeError):
            continue
    out.sort(key=lambda s: s.created, reverse=True)
    return out


def load_labels(run_dir: Path, name: str) -> np.ndarray:
    """int32 (n,) cluster labels of the saved clustering ``name`` (-1 = noise)."""
    if not isinstance(name, str) or not _NAME_RE.fullmatch(name):
        raise ExplorerError(f"clustering {str(name)[:40]!r}: not a valid clustering name", code="clustering_bad_name",
                            name=str(name)[:40])
    path = _folder(run_dir) / f"{name}.npy"
    if not path.is_file():
        raise ExplorerError(f"clustering {name}: not saved with this run", code="clustering_not_saved", name=name)
    return np.asarray(open_npy(path), dtype=np.int32)
