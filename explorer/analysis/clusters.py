"""Clustering of embedding vectors: K-Means, DBSCAN and HDBSCAN (scikit-learn).

By default the caller passes the original vectors (``space="vectors"``); passing projected
coordinates instead is allowed and recorded as ``space="projection"`` so pages can say which.
Noise points (DBSCAN/HDBSCAN) get label -1.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Optional

import numpy as np
import pandas as pd

from explorer.analysis.metrics import NOISE, cluster_quality
from explorer.errors import ExplorerError

# The clustering methods, each with the parameters it accepts: the one list the CLI, runs and pages use.
CLUSTER_METHODS: dict[str, frozenset[str]] = {
    "kmeans": frozenset({"n_init", "max_iter"}),
    "dbscan": frozenset({"eps", "min_samples", "metric"}),
    "hdbscan": frozenset({"min_cluster_size", "min_samples", "metric", "cluster_selection_epsilon"}),
}
SPACES = ("vectors", "projection")


@dataclass
class Clustering:
    """The result of :func:`cluster`.

    labels:  int64 (n,), cluster id per row, -1 for noise.
    method:  "kmeans" | "dbscan" | "hdbscan".
    params:  the parameters actually used (defaults filled in, e.g. DBSCAN's automatic eps).
    metrics: :func:`explorer.analysis.metrics.cluster_quality` of these labels.
    space:   "vectors" (original space) or "projection" (2-D/3-D coordinates).
    """

    labels: np.ndarray
    method: str
    params: dict[str, Any]
    metrics: dict[str, Any] = field(default_factory=dict)
    space: str = "vectors"

    def sizes(self) -> dict[int, int]:
        """Members per cluster id (noise as -1), largest cluster first."""
        ids, counts = np.unique(self.labels, return_counts=True)
        order = np.lexsort((ids, -counts))
        return {int(ids[i]): int(counts[i]) for i in order}


def _check_vectors(vectors: np.ndarray) -> np.ndarray:
    x = np.asarray(vectors)
    if x.ndim != 2:
        raise ExplorerError(f"vectors: expected a 2-D array (n, d), got shape {x.shape}",
                            code="analysis_vectors_not_matrix", shape=str(x.shape))
    x = np.ascontiguousarray(x, dtype=np.float32)
    if x.shape[0] < 3:
        raise ExplorerError(f"vectors: need at least 3 rows to cluster, got {x.shape[0]}",
                            code="cluster_too_few_rows", n=int(x.shape[0]))
    if not np.isfinite(x).all():
        raise ExplorerError("vectors: contain NaN or infinite values", code="analysis_vectors_not_finite")
    return x


def _int_param(params: dict[str, Any], name: str, default: int, low: int, high: Optional[int] = None) -> int:
    value = params.get(name, default)
    bad = not isinstance(value, (int, np.integer)) or isinstance(value, bool) or value < low
    if high is not None and not bad:
        bad = value > high
    if bad:
        bound = f">= {low}" if high is None else f"between {low} and {high}"
        message = f"{name}: must be an integer {bound}, got {value!r}"
        if high is None:
            raise ExplorerError(message, code="analysis_int_min", name=name, min=low, value=repr(value))
        raise ExplorerError(message, code="analysis_int_between", name=name, min=low, max=high, value=repr(value))
    return int(value)


def auto_eps(x: np.ndarray, min_samples: int, metric: str = "euclidean") -> float:
    """DBSCAN radius when none is given: the knee of the sorted ``min_samples``-distance curve.

    Each point's distance to its ``min_samples``-th nearest other point is sorted ascending; with
    both axes scaled to 0..1, the knee is the point farthest below the straight line from the
    first to the last value (the usual "elbow" of the k-distance plot). Points left of the knee
    are in dense regions; the few far right of it become noise.
    """
    from sklearn.neighbors import NearestNeighbors

    k = min(min_samples, x.shape[0] - 1)
    nn = NearestNeighbors(n_neighbors=k + 1, metric=metric).fit(x)
    dist, _ = nn.kneighbors(x)
    curve = np.sort(dist[:, k])
    span = curve[-1] - curve[0]
    if span <= 0:
        eps = float(curve[-1])
    else:
        pos = np.linspace(0.0, 1.0, len(curve))
        eps = float(curve[int(np.argmax(pos - (curve - curve[0]) / span))])
    return eps if eps > 0 else 1e-6


def cluster(
    vectors: np.ndarray,
    method: str = "kmeans",
    k: int = 8,
    seed: int = 0,
    *,
    truth: Optional[Sequence[Optional[str]]] = None,
    space: str = "vectors",
    **params: Any,
) -> Clustering:
    """Cluster the rows of ``vectors`` (n, d).

    - ``kmeans``: ``k`` clusters (2 <= k < n), k-means++ with ``n_init`` (default 4) seeded starts.
    - ``dbscan``: ``eps`` (default :func:`auto_eps`, the k-distance knee), ``min_samples`` (5), ``metric``
      (euclidean|cosine). ``k`` is ignored.
    - ``hdbscan``: ``min_cluster_size`` (5), ``min_samples`` (None), ``metric``,
      ``cluster_selection_epsilon`` (0.0). ``k`` is ignored.

    ``truth`` (optional category per row, None = unknown) adds NMI/ARI to the metrics.
    """
    if method not in CLUSTER_METHODS:
        raise ExplorerError(f"method: unknown clustering method {method!r} (expected {', '.join(CLUSTER_METHODS)})",
                            code="unknown_method", method=str(method), known=", ".join(CLUSTER_METHODS))
    if space not in SPACES:
        raise ExplorerError(f"space: must be vectors or projection, got {space!r}", code="cluster_space",
                            value=repr(space))
    unknown = sorted(set(params) - CLUSTER_METHODS[method])
    if unknown:
        allowed = ", ".join(sorted(CLUSTER_METHODS[method]))
        raise ExplorerError(f"{unknown[0]}: not a parameter of {method} (allowed: {allowed})",
                            code="analysis_unknown_param", name=unknown[0], method=method, allowed=allowed)
    x = _check_vectors(vectors)
    n = x.shape[0]
    used: dict[str, Any]
    if method == "kmeans":
        from sklearn.cluster import KMeans

        if not isinstance(k, (int, np.integer)) or isinstance(k, bool) or not 2 <= k < n:
            raise ExplorerError(f"k: must be an integer between 2 and {n - 1} (rows - 1), got {k!r}",
                                code="cluster_k_range", max=n - 1, value=repr(k))
        used = {"k": int(k), "n_init": _int_param(params, "n_init", 4, 1),
                "max_iter": _int_param(params, "max_iter", 300, 1), "seed": seed}
        model = KMeans(n_clusters=used["k"], n_init=used["n_init"], max_iter=used["max_iter"], random_state=seed)
        labels = model.fit_predict(x)
        used["inertia"] = float(model.inertia_)
    elif method == "dbscan":
        from sklearn.cluster import DBSCAN

        metric = _metric(params)
        min_samples = _int_param(params, "min_samples", 5, 1, n)
        eps = params.get("eps")
        if eps is None:
            eps = auto_eps(x, min_samples, metric)
        elif not isinstance(eps, (int, float)) or isinstance(eps, bool) or eps <= 0:
            raise ExplorerError(f"eps: must be > 0, got {eps!r}", code="cluster_eps", value=repr(eps))
        used = {"eps": float(eps), "min_samples": min_samples, "metric": metric}
        labels = DBSCAN(eps=float(eps), min_samples=min_samples, metric=metric).fit_predict(x)
    else:
        from sklearn.cluster import HDBSCAN

        metric = _metric(params)
        min_cluster_size = _int_param(params, "min_cluster_size", 5, 2, n)
        min_samples = params.get("min_samples")
        if min_samples is not None:
            min_samples = _int_param(params, "min_samples", 1, 1, n)
        epsilon = params.get("cluster_selection_epsilon", 0.0)
        if not isinstance(epsilon, (int, float)) or epsilon < 0:
            raise ExplorerError(f"cluster_selection_epsilon: must be >= 0, got {epsilon!r}",
                                code="cluster_selection_epsilon", value=repr(epsilon))
        used = {"min_cluster_size": min_cluster_size, "min_samples": min_samples, "metric": metric,
                "cluster_selection_epsilon": float(epsilon)}
        labels = HDBSCAN(min_cluster_size=min_cluster_size, min_samples=min_samples, metric=metric,
                         cluster_selection_epsilon=float(epsilon), copy=True).fit_predict(x)
    labels = np.asarray(labels, dtype=np.int64)
    labels[labels < 0] = NOISE
    return Clustering(labels=labels, method=method, params=used,
                      metrics=cluster_quality(x, labels, truth, seed=seed), space=space)


def _metric(params: dict[str, Any]) -> str:
    metric = params.get("metric", "euclidean")
    if metric not in ("euclidean", "cosine"):
        raise ExplorerError(f"metric: must be euclidean or cosine, got {metric!r}", code="analysis_metric",
                            value=repr(metric))
    return metric


def k_sweep(vectors: np.ndarray, ks: Sequence[int], seed: int = 0) -> pd.DataFrame:
    """K-Means for each k in ``ks``: a DataFrame with columns ``k, silhouette, inertia``.

    Silhouette uses a seeded sample of 5,000 points on larger inputs. Values of k outside
    2..n-1 raise :class:`ExplorerError`.
    """
    from sklearn.cluster import KMeans
    from sklearn.metrics import silhouette_score

    from explorer.analysis.metrics import SILHOUETTE_SAMPLE

    x = _check_vectors(vectors)
    n = x.shape[0]
    rows = []
    for k in ks:
        if not isinstance(k, (int, np.integer)) or not 2 <= k < n:
            raise ExplorerError(f"ks: each k must be an integer between 2 and {n - 1}, got {k!r}",
                                code="cluster_ks_range", max=n - 1, value=repr(k))
        model = KMeans(n_clusters=int(k), n_init=4, random_state=seed)
        labels = model.fit_predict(x)
        sample = SILHOUETTE_SAMPLE if n > SILHOUETTE_SAMPLE else None
        sil = silhouette_score(x, labels, sample_size=sample, random_state=seed) if len(set(labels)) > 1 else np.nan
        rows.append({"k": int(k), "silhouette": float(sil), "inertia": float(model.inertia_)})
    return pd.DataFrame(rows, columns=["k", "silhouette", "inertia"])


def cluster_members(
    vectors: np.ndarray, labels: Sequence[int] | np.ndarray, tokens: Sequence[str], top: int = 20
) -> dict[int, list[str]]:
    """Up to ``top`` members per cluster, nearest (euclidean) to the cluster's mean first.

    Noise (-1) is not a cluster and is left out. Keys are cluster ids in ascending order.
    """
    x = np.asarray(vectors, dtype=np.float32)
    lab = np.asarray(labels)
    if lab.shape != (x.shape[0],) or len(tokens) != x.shape[0]:
        raise ExplorerError(f"labels/tokens: expected {x.shape[0]} of each, got {lab.shape[0]} and {len(tokens)}",
                            code="cluster_members_lengths", n=int(x.shape[0]), labels=int(lab.shape[0]),
                            tokens=len(tokens))
    out: dict[int, list[str]] = {}
    for c in np.unique(lab):
        if c == NOISE:
            continue
        rows = np.flatnonzero(lab == c)
        centre = x[rows].mean(axis=0)
        dist = np.linalg.norm(x[rows] - centre, axis=1)
        order = rows[np.lexsort((rows, dist))][:top]
        out[int(c)] = [tokens[i] for i in order]
    return out
