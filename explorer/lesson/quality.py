"""Lesson step 4, is the space any good: clusters against planted labels, how 2D maps mislead, and
what a direction in the space means.

    >>> x = np.eye(4)
    >>> neighbour_recall(x, x[:, :2], k=1).shape
    (4,)
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

import numpy as np

#: the projections compared, each a (method, params) pair; t-SNE and UMAP twice, with small and large neighbourhoods
VIEWS: tuple[tuple[str, tuple[tuple[str, Any], ...]], ...] = (
    ("pca", ()),
    ("tsne", (("perplexity", 5),)),
    ("tsne", (("perplexity", 50),)),
    ("umap", (("n_neighbors", 5),)),
    ("umap", (("n_neighbors", 50),)),
)



def views(n: int) -> tuple[tuple[str, tuple[tuple[str, Any], ...]], ...]:
    """:data:`VIEWS` for a run of ``n`` vectors: a neighbourhood larger than the run allows is cut to the largest
    one that is (t-SNE: perplexity at most (n - 1) / 3; UMAP: n_neighbors at most n - 1), a view that cannot be
    drawn at all is left out, and a view that the cut made equal to another is shown once. A class's novel of 82
    words otherwise showed "t-SNE, perplexity 50: failed".

    >>> views(82)[2], views(82)[4]
    (('tsne', (('perplexity', 27),)), ('umap', (('n_neighbors', 50),)))
    >>> [m for m, _ in views(10)]
    ['pca', 'tsne', 'umap', 'umap']
    """
    limits = {"perplexity": (n - 1) // 3, "n_neighbors": n - 1}
    smallest = {"perplexity": 1, "n_neighbors": 2}
    out: list[tuple[str, tuple[tuple[str, Any], ...]]] = []
    for method, params in VIEWS:
        cut = tuple((name, min(value, limits[name])) for name, value in params)
        if any(value < smallest[name] for name, value in cut):
            continue
        if (method, cut) not in out:
            out.append((method, cut))
    return tuple(out)

#: above this mean cosine between random words, a space has collapsed: every word points the same way, so every
#: word's "nearest neighbours" are near-ties (a novel trained for the usual 5 epochs: 0.997)
COLLAPSED_COSINE = 0.9


def mean_cosine(vectors: np.ndarray, pairs: int = 2000, seed: int = 0) -> float:
    """Mean cosine similarity of ``pairs`` random pairs of distinct rows (seeded): near 0 for a spread-out
    space, near 1 for a collapsed one.

    >>> round(mean_cosine(np.eye(5)), 3), round(mean_cosine(np.ones((5, 3)) + np.eye(5, 3) * 1e-3), 3)
    (0.0, 1.0)
    """
    x = np.asarray(vectors, dtype=np.float64)
    n = len(x)
    if n < 2:
        return 0.0
    rng = np.random.default_rng(seed)
    i = rng.integers(0, n, pairs)
    j = (i + rng.integers(1, n, pairs)) % n  # never the same row
    norms = np.linalg.norm(x, axis=1)
    norms[norms == 0] = 1.0
    return float(np.mean(np.einsum("ij,ij->i", x[i], x[j]) / (norms[i] * norms[j])))


def _knn(x: np.ndarray, k: int, cosine: bool) -> np.ndarray:
    x = np.asarray(x, np.float64)
    if cosine:
        x = x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-12)
        d = -(x @ x.T)
    else:
        sq = (x * x).sum(1)
        d = sq[:, None] + sq[None, :] - 2 * x @ x.T
    np.fill_diagonal(d, np.inf)
    k = min(k, x.shape[0] - 1)
    part = np.argpartition(d, k - 1, axis=1)[:, :k]
    return part


def neighbour_recall(vectors: np.ndarray, coords: np.ndarray, k: int = 10) -> np.ndarray:
    """Per point, the share of its ``k`` nearest neighbours in the space (cosine) that are also among
    its ``k`` nearest on the map (euclidean): float (n,) in 0..1. 1 = the map keeps its neighbourhood."""
    high = _knn(vectors, k, cosine=True)
    low = _knn(coords, k, cosine=False)
    return np.array([len(set(a) & set(b)) / high.shape[1] for a, b in zip(high, low, strict=True)])


def cached_view(run_dir: Path, method: str, params: dict[str, Any], rows: int,
                store: Optional[Path] = None) -> Optional[np.ndarray]:
    """A 2D projection of the run already computed (None when not yet). PCA is computed here.

    Read where the projection job writes: the run's own cache, else ``store`` (the viewer's cache of a run it
    does not own, :func:`explorer.jobs.workspaces.projection_store`). ``rows``: the run's number of vectors n.
    float32 (n, 2).
    """
    from explorer.analysis import projection
    from explorer.runs import cache

    if method == "pca":
        return np.asarray(projection.cached_projection(Path(run_dir), "pca", 2, store=store), np.float32)
    for root in (Path(run_dir), store):
        if root is None:
            continue
        coords = cache.read_array(cache.projection_file(root, method, 2, 0, dict(params)), (rows, 2))
        if coords is not None:
            return np.asarray(coords, np.float32)
    return None


@dataclass
class ClusterReport:
    """k-means on the vectors with k = the number of planted categories, and its scores."""

    k: int
    metrics: dict[str, Optional[float]]  # silhouette, davies_bouldin, nmi, ari
    table: list[tuple[int, str, int, float]]  # (cluster, majority label, size, share of it)


def cluster_report(vectors: np.ndarray, tokens: list[str], labels: dict[str, str], seed: int = 0) -> ClusterReport:
    """Cluster the labelled words into as many clusters as there are labels; compare with the labels."""
    from explorer.analysis.clusters import cluster

    rows = [i for i, t in enumerate(tokens) if t in labels]
    truth = [labels[tokens[i]] for i in rows]
    k = len(set(truth))
    result = cluster(np.asarray(vectors, np.float32)[rows], "kmeans", k=k, seed=seed, truth=truth)
    m = result.metrics
    metrics = {name: m.get(name) for name in ("silhouette", "davies_bouldin", "nmi", "ari")}
    table = []
    assigned = np.asarray(result.labels)
    for c in sorted(set(assigned.tolist())):
        members = [truth[j] for j in np.flatnonzero(assigned == c)]
        top = max(set(members), key=members.count)
        table.append((int(c), top, len(members), members.count(top) / len(members)))
    return ClusterReport(k=k, metrics=metrics, table=table)


def axis_scores(vectors: np.ndarray, rows: list[int], a: int, b: int) -> np.ndarray:
    """Where each row lies on the direction from word ``a`` to word ``b`` (rows of ``vectors``).

    The score of x is ``unit(x) · unit(unit(b) - unit(a))``: negative = nearer ``a``'s side, positive =
    nearer ``b``'s (TensorFlow Projector's custom projection, on cosine geometry). float (len(rows),).
    """
    x = np.asarray(vectors, np.float64)
    unit = x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-12)
    d = unit[b] - unit[a]
    d /= max(float(np.linalg.norm(d)), 1e-12)
    return unit[rows] @ d


def group_rows(tokens: list[str], labels: dict[str, str], groups: list[str], lang: str) -> list[int]:
    """Rows of the labelled words in ``groups``, in the UI language's script when the data has both
    (CJK for "zh", the others for "en")."""
    rows = [i for i, t in enumerate(tokens) if labels.get(t) in groups]
    cjk = [i for i in rows if any("\u4e00" <= ch <= "\u9fff" for ch in tokens[i])]
    other = [i for i in rows if i not in set(cjk)]
    wanted = cjk if lang == "zh" else other
    return wanted or rows


def corpus_partner(run: Any, others: list[Any]) -> Optional[Any]:
    """The first of ``others`` (runs, newest first) of another kind trained on the same corpus file as ``run``
    (GloVe beside Skip-gram), with word vectors; None when there is none."""
    from explorer.lesson.objective import same_corpus

    for other in others:
        if other.kind != run.kind and other.capabilities.words and same_corpus(run, other):
            return other
    return None


def side_by_side(run_a: Any, run_b: Any, k: int = 10, max_words: int = 1000) -> dict[str, Any]:
    """Two runs on the same corpus compared (:func:`explorer.analysis.compare.overlap_summary`):
    ``jaccard`` the mean overlap of their ``k`` nearest neighbours over the compared words, ``n_shared`` words in
    both, and per run (``a``, ``b``): ``agreement`` (share of a labelled word's 5 neighbours in its category,
    None without labels), ``nmi`` of k-means against the labels (None without), ``seconds`` of training."""
    from explorer.analysis.compare import overlap_summary
    from explorer.lesson.objective import label_agreement

    summary = overlap_summary(run_a, run_b, k, max_words)
    out: dict[str, Any] = {"jaccard": float(summary["frame"]["jaccard"].mean()), "n_shared": summary["n_shared"],
                           "k": summary["k"]}
    for key, run in (("a", run_a), ("b", run_b)):
        labelled = sum(1 for t in run.tokens if t in run.labels)
        nmi = cluster_report(run.vectors, run.tokens, run.labels).metrics.get("nmi") if labelled > 10 else None
        out[key] = {"agreement": label_agreement(np.asarray(run.vectors), run.tokens, run.labels), "nmi": nmi,
                    "seconds": run.metrics.get("seconds")}
    return out
