"""How good are node vectors? Link prediction, node classification and clusters against labels.

- **Link prediction**: :func:`holdout_edges` removes a share of the edges *before* walking (never
  the last edge of a node, so every node keeps a walk); :func:`link_prediction_auc` scores the
  held-out edges and as many sampled non-edges (pairs linked in no direction in the full graph)
  by the cosine of their vectors; ROC-AUC 1.0 means every held-out edge scores above every
  non-edge, 0.5 is chance.
- **Node classification** (:func:`node_classification`): logistic regression on the unit vectors
  of the labelled nodes, a stratified 50 % / 50 % train/test split (seeded), macro-F1 on the test half.
- **Clusters** (:func:`cluster_agreement`): K-Means with as many clusters as labels on the unit
  vectors; NMI and ARI against the labels (1.0: the communities recovered exactly).

All functions are pure and seeded.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional

import numpy as np
from numba import njit

from explorer.graph.io import Graph

#: training share of the labelled nodes in node classification
CLASSIFICATION_TRAIN = 0.5


@dataclass
class HeldOut:
    """A graph split for link prediction.

    train:     the graph without the held-out edges (the one walked on).
    positives: int32 (k, 2) held-out edges.
    negatives: int32 (k, 2) node pairs without an edge in the full graph.
    """

    train: Graph
    positives: np.ndarray
    negatives: np.ndarray


@njit(cache=True)
def _pick(edges: np.ndarray, order: np.ndarray, degree: np.ndarray, wanted: int) -> np.ndarray:
    drop = np.zeros(edges.shape[0], np.bool_)
    taken = 0
    for i in order:
        if taken >= wanted:
            break
        a = edges[i, 0]
        b = edges[i, 1]
        if degree[a] > 1 and degree[b] > 1:
            degree[a] -= 1
            degree[b] -= 1
            drop[i] = True
            taken += 1
    return drop


def sample_non_edges(graph: Graph, k: int, rng: np.random.Generator) -> np.ndarray:
    """int32 (k, 2): distinct node pairs ``u != v`` linked in neither direction (fewer if the graph is dense)."""
    n = graph.n_nodes
    e = graph.edges.astype(np.int64)
    known = np.unique(np.concatenate([e[:, 0] * n + e[:, 1], e[:, 1] * n + e[:, 0]]))
    found = np.empty(0, np.int64)
    max_pairs = n * (n - 1) // 2 - len(known) // 2
    k = int(min(k, max(0, max_pairs)))
    for _ in range(50):
        if len(found) >= k:
            break
        m = 2 * (k - len(found)) + 16
        u = rng.integers(0, n, m)
        v = rng.integers(0, n, m)
        a, b = np.minimum(u, v), np.maximum(u, v)
        key = a * n + b
        ok = (a != b) & ~np.isin(key, known) & ~np.isin(key, found)
        key = key[ok]
        _, first = np.unique(key, return_index=True)
        found = np.concatenate([found, key[np.sort(first)]])
    found = found[:k]
    return np.stack([found // n, found % n], axis=1).astype(np.int32)


def holdout_edges(graph: Graph, share: float, seed: int = 0) -> HeldOut:
    """Hold out ``share`` of the edges (not a node's last edge) plus as many sampled non-edges."""
    rng = np.random.default_rng([int(seed), 0x1E0])
    wanted = int(round(share * graph.n_edges))
    order = rng.permutation(graph.n_edges)
    drop = _pick(graph.edges, order, graph.degrees.copy(), wanted)
    positives = graph.edges[drop]
    negatives = sample_non_edges(graph, len(positives), rng)
    return HeldOut(graph.without(drop), positives, negatives)


def _unit(vectors: np.ndarray) -> np.ndarray:
    x = np.asarray(vectors, dtype=np.float64)
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    return x / np.where(norms > 0, norms, 1.0)


def pair_scores(vectors: np.ndarray, pairs: np.ndarray) -> np.ndarray:
    """float64 (k,): cosine similarity of the two nodes of each pair (k, 2)."""
    u = _unit(vectors)
    pairs = np.asarray(pairs, dtype=np.int64)
    return np.einsum("ij,ij->i", u[pairs[:, 0]], u[pairs[:, 1]])


def link_prediction_auc(vectors: np.ndarray, positives: np.ndarray, negatives: np.ndarray) -> dict[str, Any]:
    """ROC-AUC of cosine scores: held-out edges (label 1) against non-edges (label 0)."""
    from sklearn.metrics import roc_auc_score

    pos = pair_scores(vectors, positives)
    neg = pair_scores(vectors, negatives)
    out: dict[str, Any] = {"n_edges": int(len(pos)), "n_non_edges": int(len(neg)), "score": "cosine"}
    if len(pos) == 0 or len(neg) == 0:
        out["auc"] = None
        return out
    y = np.r_[np.ones(len(pos)), np.zeros(len(neg))]
    out["auc"] = float(roc_auc_score(y, np.r_[pos, neg]))
    return out


def _labelled(nodes: list[str], labels: dict[str, str]) -> tuple[np.ndarray, np.ndarray]:
    rows = np.array([i for i, n in enumerate(nodes) if n in labels], dtype=np.int64)
    return rows, np.array([labels[nodes[i]] for i in rows], dtype=object)


def node_classification(vectors: np.ndarray, nodes: list[str], labels: dict[str, str],
                        seed: int = 0) -> Optional[dict[str, Any]]:
    """Macro-F1 of logistic regression on unit vectors; None with fewer than 2 classes or 4 nodes."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import accuracy_score, f1_score
    from sklearn.model_selection import train_test_split

    rows, y = _labelled(nodes, labels)
    classes, counts = np.unique(y.astype(str), return_counts=True)
    if len(classes) < 2 or len(rows) < 4:
        return None
    x = _unit(np.asarray(vectors)[rows])
    n_test = len(rows) - int(round(CLASSIFICATION_TRAIN * len(rows)))
    stratify = y if counts.min() >= 2 and n_test >= len(classes) and len(rows) - n_test >= len(classes) else None
    x_tr, x_te, y_tr, y_te = train_test_split(x, y.astype(str), train_size=CLASSIFICATION_TRAIN,
                                              random_state=int(seed) % (2**32), stratify=stratify)
    if len(np.unique(y_tr)) < 2:
        return None
    model = LogisticRegression(max_iter=2000).fit(x_tr, y_tr)
    pred = model.predict(x_te)
    return {"macro_f1": float(f1_score(y_te, pred, average="macro")), "accuracy": float(accuracy_score(y_te, pred)),
            "n_train": int(len(y_tr)), "n_test": int(len(y_te)), "n_classes": int(len(classes)),
            "split": f"{CLASSIFICATION_TRAIN:.0%} train / {1 - CLASSIFICATION_TRAIN:.0%} test"
                     + (", stratified" if stratify is not None else "") + f", seed {seed}",
            "model": "logistic regression on unit vectors"}


def cluster_agreement(vectors: np.ndarray, nodes: list[str], labels: dict[str, str],
                      seed: int = 0) -> Optional[dict[str, Any]]:
    """K-Means (k = number of labels) on the labelled nodes' unit vectors: NMI and ARI against the labels."""
    from sklearn.cluster import KMeans
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    rows, y = _labelled(nodes, labels)
    k = len(set(y.tolist()))
    if k < 2 or len(rows) <= k:
        return None
    found = KMeans(n_clusters=k, n_init=10, random_state=int(seed) % (2**32)).fit_predict(_unit(np.asarray(vectors)[rows]))
    return {"nmi": float(normalized_mutual_info_score(y.astype(str), found)),
            "ari": float(adjusted_rand_score(y.astype(str), found)), "k": int(k), "n": int(len(rows)),
            "method": "kmeans on unit vectors"}
