"""Comparing two runs: neighbourhood overlap per word (or per document) and orthogonal Procrustes alignment.

Two embedding runs live in unrelated coordinate systems (any rotation of a word2vec space is as
good as another), so they are compared through what is invariant — each word's nearest
neighbours — or after aligning one onto the other with an orthogonal map (Procrustes).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Optional

import numpy as np
import pandas as pd

from explorer.errors import ExplorerError
from explorer.runs import Run

DEFAULT_MAX_WORDS = 5000
ROW_KINDS = ("words", "documents", "items")


def row_kind(run: Run) -> str:
    """What a run's rows are, for comparing: ``documents`` (matched by document id), ``items`` (user-item runs,
    matched by item id) or ``words`` (tokens and graph nodes, matched by the token)."""
    caps = run.capabilities
    return "documents" if caps.documents else "items" if caps.users else "words"


def check_comparable(run_a: Run, run_b: Run) -> None:
    """An ExplorerError unless both runs' rows are of one kind (:func:`row_kind`): a run of documents compares
    with another run of documents (the same documents, matched by id), never with a run of words."""
    a, b = row_kind(run_a), row_kind(run_b)
    if a != b:
        raise ExplorerError(f"run A's rows are {a} and run B's are {b}: only runs whose rows are of one kind can "
                            "be compared", code="compare_rows_differ", a=a, b=b)


def shared_rows(run_a: Run, run_b: Run) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Tokens present in both runs, in run A's order, with their rows in A and in B."""
    index_b = run_b.index
    words, rows_a, rows_b = [], [], []
    for i, token in enumerate(run_a.tokens):
        j = index_b.get(token)
        if j is not None:
            words.append(token)
            rows_a.append(i)
            rows_b.append(j)
    return words, np.asarray(rows_a, np.int64), np.asarray(rows_b, np.int64)


def neighbor_overlap(
    run_a: Run,
    run_b: Run,
    k: int = 10,
    words: Optional[Sequence[str]] = None,
    max_words: int = DEFAULT_MAX_WORDS,
) -> pd.DataFrame:
    """Jaccard overlap of each word's ``k`` nearest neighbours (cosine) in run A and run B.

    Both runs are restricted to their shared vocabulary, so that a neighbour missing from the
    other run cannot count as a change. ``words`` picks the words to score (unknown ones are
    skipped); by default the ``max_words`` most frequent shared words (by run A's counts).

    Returns a DataFrame with columns ``word``, ``jaccard`` (|A ∩ B| / |A ∪ B| of the two
    neighbour sets, 0..1), ``neighbors_a``, ``neighbors_b`` (comma-joined, nearest first), sorted
    with the most changed (lowest Jaccard) first; ``df.attrs["k"]`` holds k.
    """
    from explorer.analysis.neighbors import NeighborIndex

    if not isinstance(k, (int, np.integer)) or k < 1:
        raise ExplorerError(f"k: must be a positive integer, got {k!r}", code="compare_k", value=repr(k))
    shared, rows_a, rows_b = shared_rows(run_a, run_b)
    if len(shared) < 3:
        raise ExplorerError(f"runs share {len(shared)} tokens: need at least 3 to compare neighbourhoods",
                            code="compare_too_few_shared", n=len(shared))
    k = min(int(k), len(shared) - 1)
    position = {w: i for i, w in enumerate(shared)}
    if words is None:
        counts = np.asarray(run_a.counts)[rows_a]
        chosen = np.lexsort((np.arange(len(shared)), -counts))[:max_words]
        chosen.sort()
    else:
        chosen = np.asarray([position[w] for w in words if w in position], dtype=np.int64)
    if len(chosen) == 0:
        raise ExplorerError("words: none of the given words is in both runs", code="compare_no_words")
    index_a = NeighborIndex(np.asarray(run_a.vectors, np.float32)[rows_a])
    index_b = NeighborIndex(np.asarray(run_b.vectors, np.float32)[rows_b])
    nn_a, _ = index_a.query_many(chosen, k=k, metric="cosine", exclude_self=True)
    nn_b, _ = index_b.query_many(chosen, k=k, metric="cosine", exclude_self=True)
    rows = []
    for q, na, nb in zip(chosen, nn_a, nn_b, strict=True):
        sa, sb = set(na.tolist()), set(nb.tolist())
        rows.append((shared[q], len(sa & sb) / len(sa | sb),
                     ", ".join(shared[i] for i in na), ", ".join(shared[i] for i in nb)))
    df = pd.DataFrame(rows, columns=["word", "jaccard", "neighbors_a", "neighbors_b"])
    df = df.sort_values(["jaccard", "word"], kind="stable").reset_index(drop=True)
    df.attrs["k"] = k
    return df


def procrustes_rotation(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The orthogonal matrix R (d, d) minimising ||b R - a||_F (rows of a and b correspond)."""
    from scipy.linalg import orthogonal_procrustes

    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    if a.ndim != 2 or a.shape != b.shape:
        raise ExplorerError(f"procrustes: a and b need the same 2-D shape, got {a.shape} and {b.shape}",
                            code="procrustes_shape", a=str(a.shape), b=str(b.shape))
    rotation, _ = orthogonal_procrustes(b, a)
    return rotation


def procrustes_align(a: np.ndarray, b: np.ndarray, center: bool = False, scale: bool = False) -> np.ndarray:
    """Rotate (orthogonally map) ``b`` (n, d) onto ``a`` (n, d); rows are the shared items.

    Returns ``b`` mapped, float32 (n, d). With the defaults only an orthogonal map is applied, so
    if ``b = a @ Q`` for an orthogonal Q the result equals ``a``. ``center`` removes both means
    first (the result is moved to a's mean); ``scale`` also matches b's overall size to a's —
    what side-by-side 2-D projections want.
    """
    a64 = np.asarray(a, dtype=np.float64)
    b64 = np.asarray(b, dtype=np.float64)
    if a64.ndim != 2 or a64.shape != b64.shape:
        raise ExplorerError(f"procrustes: a and b need the same 2-D shape, got {a64.shape} and {b64.shape}",
                            code="procrustes_shape", a=str(a64.shape), b=str(b64.shape))
    mu_a = a64.mean(axis=0) if center else np.zeros(a64.shape[1])
    mu_b = b64.mean(axis=0) if center else np.zeros(b64.shape[1])
    a0, b0 = a64 - mu_a, b64 - mu_b
    rotation = procrustes_rotation(a0, b0)
    out = b0 @ rotation
    if scale:
        norm_b = np.linalg.norm(out)
        if norm_b > 0:
            out *= float(np.sum(a0 * out) / norm_b**2)  # least-squares scale
    return (out + mu_a).astype(np.float32)


@dataclass(frozen=True)
class AlignedPair:
    """Two runs drawn in one plane: B rotated onto A, then one PCA of both.

    a, b:     float32 (m, 2) coordinates of the chosen words in run A and in run B (aligned)
    residual: ||B·R - A|| / ||A|| over all shared words (unit vectors): 0 = the same space up to a rotation
    """

    a: np.ndarray
    b: np.ndarray
    residual: float


def aligned_pair(run_a: Run, run_b: Run, words: Sequence[str]) -> AlignedPair:
    """Align B onto A on every shared word (unit vectors, orthogonal Procrustes) and project ``words`` of both
    with one 2-D PCA, so that the two maps share axes."""
    from explorer.analysis.neighbors import normalize_rows
    from explorer.analysis.projection import project

    shared, rows_a, rows_b = shared_rows(run_a, run_b)
    if run_a.vectors.shape[1] != run_b.vectors.shape[1]:
        raise ExplorerError(f"the runs have different dimensions ({run_a.vectors.shape[1]} and "
                            f"{run_b.vectors.shape[1]}): they cannot be aligned", code="compare_dims",
                            a=int(run_a.vectors.shape[1]), b=int(run_b.vectors.shape[1]))
    a = normalize_rows(np.asarray(run_a.vectors)[rows_a])
    b = procrustes_align(a, normalize_rows(np.asarray(run_b.vectors)[rows_b]))
    residual = float(np.linalg.norm(b - a) / max(np.linalg.norm(a), 1e-12))
    position = {w: i for i, w in enumerate(shared)}
    missing = [w for w in words if w not in position]
    if missing:
        raise ExplorerError(f"{missing[0]!r} is not in both runs", code="compare_word_missing", word=missing[0])
    pick = np.asarray([position[w] for w in words], dtype=np.int64)
    coords = project(np.vstack([a[pick], b[pick]]), "pca", 2)
    return AlignedPair(a=coords[: len(pick)], b=coords[len(pick):], residual=residual)


def overlap_summary(run_a: Run, run_b: Run, k: int, max_words: int) -> dict:
    """:func:`neighbor_overlap` of the two runs with the counts the Runs page shows:
    ``frame``, ``k`` (the k used), ``n_shared`` (tokens in both), ``n_a``, ``n_b``. Runs of documents compare
    only with runs of documents, matched by document id (:func:`check_comparable`)."""
    check_comparable(run_a, run_b)
    shared, _, _ = shared_rows(run_a, run_b)
    frame = neighbor_overlap(run_a, run_b, k=k, max_words=max_words)
    return {"frame": frame, "k": frame.attrs.get("k", k), "n_shared": len(shared),
            "n_a": len(run_a.tokens), "n_b": len(run_b.tokens)}
