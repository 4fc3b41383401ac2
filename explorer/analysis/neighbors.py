"""Nearest neighbours and analogies over a run's vectors.

:class:`NeighborIndex` is built once per run: it keeps a row-normalised float32 copy (for cosine)
and the squared row norms (for euclidean), so one query is a single matrix-vector product plus an
``argpartition`` — about a millisecond on 100,000 x 100 vectors (see ``bench/bench_neighbors.py``).

Metrics and what the scores mean:

- ``cosine``: cosine similarity in [-1, 1]; higher is closer.
- ``dot``: raw dot product; higher is closer.
- ``euclidean``: the euclidean *distance* (>= 0); **lower is closer**. Results are still returned
  nearest first, so for euclidean the scores increase down the list.

Vectors with zero norm have cosine similarity 0 with everything.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable
from pathlib import Path
from typing import Optional, Union

import numpy as np

from explorer.errors import ExplorerError
from explorer.runs import Run, cache, load_run

METRICS = ("cosine", "dot", "euclidean")
_EPS = 1e-12
# rows of a (m, n) score block computed at once by query_many: bounds memory to ~128 MB
_BLOCK_ELEMENTS = 32 * 1024 * 1024


def normalize_rows(vectors: np.ndarray) -> np.ndarray:
    """Row-normalised float32 copy of ``vectors`` (n, d); zero rows stay zero."""
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return (vectors / np.maximum(norms, _EPS)).astype(np.float32, copy=False)


def _check_metric(metric: str) -> None:
    if metric not in METRICS:
        raise ExplorerError(f"metric: unknown metric {metric!r} (expected one of {', '.join(METRICS)})",
                            code="neighbors_metric", value=repr(metric), known=", ".join(METRICS))


class NeighborIndex:
    """Exact k-nearest-neighbour search over fixed vectors (n, d).

    ``normalized`` may pass a precomputed row-normalised copy (from the run's cache) to skip that
    work. The index never modifies ``vectors``; memory-mapped arrays stay memory-mapped for the
    ``dot``/``euclidean`` metrics.
    """

    def __init__(self, vectors: np.ndarray, normalized: Optional[np.ndarray] = None) -> None:
        vectors = np.asarray(vectors)
        if vectors.ndim != 2:
            raise ExplorerError(f"vectors: expected a 2-D array (n, d), got shape {vectors.shape}",
                                code="analysis_vectors_not_matrix", shape=str(vectors.shape))
        if vectors.dtype != np.float32:
            vectors = vectors.astype(np.float32)
        self.vectors = vectors
        if normalized is not None and normalized.shape == vectors.shape:
            self.normalized = np.asarray(normalized, dtype=np.float32)
        else:
            self.normalized = normalize_rows(vectors)
        self.sq_norms = np.einsum("ij,ij->i", vectors, vectors, dtype=np.float32)

    def __len__(self) -> int:
        return int(self.vectors.shape[0])

    @property
    def dim(self) -> int:
        return int(self.vectors.shape[1])

    # ------------------------------------------------------------------ helpers
    def _query_matrix(self, qs: np.ndarray, metric: str) -> np.ndarray:
        """(m, d) query vectors for ``metric`` from row ids (m,) or vectors (m, d)."""
        qs = np.asarray(qs)
        if qs.ndim == 1 and np.issubdtype(qs.dtype, np.integer):
            if qs.size and (qs.min() < 0 or qs.max() >= len(self)):
                raise ExplorerError(f"query: row id out of range 0..{len(self) - 1}", code="neighbors_row_range",
                                    max=len(self) - 1)
            base = self.normalized if metric == "cosine" else self.vectors
            return np.asarray(base[qs], dtype=np.float32)
        if qs.ndim == 1:
            qs = qs[None, :]
        if qs.ndim != 2 or qs.shape[1] != self.dim:
            raise ExplorerError(f"query: expected vectors of dimension {self.dim}, got shape {qs.shape}",
                                code="neighbors_query_dim", dim=self.dim, shape=str(qs.shape))
        qs = qs.astype(np.float32, copy=False)
        return normalize_rows(qs) if metric == "cosine" else qs

    def _scores(self, q: np.ndarray, metric: str) -> np.ndarray:
        """(m, n) scores where higher is better (negated squared distance for euclidean).

        One query is a memory-bound matrix-vector product: numpy's single-threaded einsum loop
        beats multi-threaded BLAS there, which suffers badly when other processes share the CPU
        (see bench/results_analysis.md). Blocks of queries use BLAS.
        """
        base = self.normalized if metric == "cosine" else np.asarray(self.vectors)
        if q.shape[0] == 1:
            s = np.einsum("ij,j->i", base, q[0])[None, :]
        else:
            s = q @ base.T
        if metric in ("cosine", "dot"):
            return s
        # -(|x|^2 - 2 x.q) ranks like -|x - q|^2 (|q|^2 is constant per query row)
        s *= 2.0
        s -= self.sq_norms[None, :]
        return s

    @staticmethod
    def _top_k(scores: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Indices (m, k) of the k highest scores per row, best first, ties by lower index."""
        n = scores.shape[1]
        if k < n:
            part = np.argpartition(-scores, k - 1, axis=1)[:, :k]
        else:
            part = np.broadcast_to(np.arange(n), scores.shape).copy()
        part_scores = np.take_along_axis(scores, part, axis=1)
        order = np.lexsort((part, -part_scores), axis=1) if part.shape[1] > 1 else np.zeros_like(part)
        idx = np.take_along_axis(part, order, axis=1)
        return idx.astype(np.int64), np.take_along_axis(scores, idx, axis=1)

    def _finish(self, q: np.ndarray, idx: np.ndarray, best: np.ndarray, metric: str) -> np.ndarray:
        if metric != "euclidean":
            return best.astype(np.float32)
        q_sq = np.einsum("ij,ij->i", q, q)[:, None]
        return np.sqrt(np.maximum(q_sq - best, 0.0)).astype(np.float32)

    # ------------------------------------------------------------------ public
    def query(
        self,
        q: Union[int, np.integer, np.ndarray],
        k: int = 10,
        metric: str = "cosine",
        exclude: Iterable[int] = (),
    ) -> tuple[np.ndarray, np.ndarray]:
        """The ``k`` nearest rows to ``q`` (a row id or a vector (d,)), nearest first.

        Returns ``(indices int64 (k,), scores float32 (k,))``; fewer than ``k`` when the index
        has fewer rows than ``k`` plus the excluded ones. A row id query does *not* exclude
        itself: pass it in ``exclude`` (as :func:`neighbors_of` does).
        """
        _check_metric(metric)
        if k < 1:
            raise ExplorerError(f"k: must be >= 1, got {k}", code="neighbors_k", value=str(k))
        qs = np.array([int(q)]) if isinstance(q, (int, np.integer)) else np.asarray(q, dtype=np.float32)
        if qs.ndim != 1:
            raise ExplorerError(f"query: expected a row id or one vector (d,), got shape {qs.shape}",
                                code="neighbors_query_shape", shape=str(qs.shape))
        qm = self._query_matrix(qs, metric)
        scores = self._scores(qm, metric)
        excluded = np.fromiter((int(e) for e in exclude), dtype=np.int64)
        excluded = excluded[(excluded >= 0) & (excluded < len(self))]
        if excluded.size:
            scores[0, excluded] = -np.inf
        k_eff = min(k, len(self) - len(np.unique(excluded)))
        if k_eff <= 0:
            return np.zeros(0, np.int64), np.zeros(0, np.float32)
        idx, best = self._top_k(scores, k_eff)
        return idx[0], self._finish(qm, idx, best, metric)[0]

    def query_many(
        self, qs: np.ndarray, k: int = 10, metric: str = "cosine", exclude_self: bool = False
    ) -> tuple[np.ndarray, np.ndarray]:
        """Batch version of :meth:`query`.

        ``qs`` is row ids (m,) or vectors (m, d). Returns ``(indices int64 (m, k), scores float32
        (m, k))``. With ``exclude_self`` (row-id queries only) each row is left out of its own list.
        Work is done in blocks so that memory stays bounded for large ``m``.
        """
        _check_metric(metric)
        if k < 1:
            raise ExplorerError(f"k: must be >= 1, got {k}", code="neighbors_k", value=str(k))
        qs = np.asarray(qs)
        ids = qs if (qs.ndim == 1 and np.issubdtype(qs.dtype, np.integer)) else None
        if exclude_self and ids is None:
            raise ExplorerError("exclude_self: needs row-id queries", code="neighbors_exclude_self")
        qm = self._query_matrix(qs, metric)
        m = qm.shape[0]
        k_eff = min(k, len(self) - (1 if exclude_self else 0))
        out_idx = np.zeros((m, max(k_eff, 0)), np.int64)
        out_scores = np.zeros((m, max(k_eff, 0)), np.float32)
        if k_eff <= 0 or m == 0:
            return out_idx, out_scores
        block = max(1, _BLOCK_ELEMENTS // max(len(self), 1))
        for start in range(0, m, block):
            stop = min(m, start + block)
            scores = self._scores(qm[start:stop], metric)
            if exclude_self:
                scores[np.arange(stop - start), ids[start:stop]] = -np.inf
            idx, best = self._top_k(scores, k_eff)
            out_idx[start:stop] = idx
            out_scores[start:stop] = self._finish(qm[start:stop], idx, best, metric)
        return out_idx, out_scores


# ---------------------------------------------------------------------- per-run cache

_CACHE_SIZE = 4
_cache: OrderedDict[tuple[str, str], NeighborIndex] = OrderedDict()
_cache_lock = threading.Lock()


def index_for(run_dir: Path) -> NeighborIndex:
    """The :class:`NeighborIndex` of a run, from a small LRU cache keyed by run path and change stamp.

    The key includes the run's change stamp, so a run re-created at the same path is not served
    stale. A normalised copy cached by :func:`explorer.analysis.projection.precompute`
    (:func:`explorer.runs.cache.normalized_file`) is reused when it has the vectors' shape.
    """
    run = load_run(Path(run_dir))
    key = (str(run.path.resolve()), run.stamp)
    with _cache_lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    normalized = cache.read_array(cache.normalized_file(run.path), tuple(run.vectors.shape))
    index = NeighborIndex(run.vectors, normalized=normalized)
    with _cache_lock:
        _cache[key] = index
        _cache.move_to_end(key)
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return index


def clear_cache() -> None:
    """Forget all cached indexes (tests, or after deleting runs)."""
    with _cache_lock:
        _cache.clear()


# ---------------------------------------------------------------------- words

def query_row(run: Run, text: str) -> Optional[int]:
    """Row of a typed query, or None: the token as typed, else the token the run's own text pipeline
    makes of it (lowercase, stem or lemma, phrase: :func:`explorer.text.normalize.query_token` with the
    run's ``corpus_config``), so "Running" finds ``run`` in a stemmed run and "New York" ``new_york``."""
    from explorer.text.normalize import query_token

    row = run.index.get(text)
    if row is None and text.strip():
        corpus_config = run.hyper.get("corpus_config")
        row = run.index.get(query_token(text, corpus_config) if corpus_config else text.strip().lower())
    return row


def word_row(run: Run, word: str) -> int:
    """Row of ``word`` in the run (see :func:`query_row`); a clear :class:`ExplorerError` when it is unknown."""
    row = query_row(run, word)
    if row is None:
        raise ExplorerError(f"unknown word {word!r} (not in the vocabulary of {len(run.tokens)} tokens)",
                            code="unknown_word", word=word, n=len(run.tokens))
    return row


def neighbors_of(run: Run, word: str, k: int = 10, metric: str = "cosine") -> list[tuple[str, float]]:
    """The ``k`` nearest tokens of ``word`` with their scores, nearest first (the word excluded).

    Scores follow ``metric`` (see the module docstring: euclidean returns distances).
    """
    row = word_row(run, word)
    idx, scores = index_for(run.path).query(row, k=k, metric=metric, exclude=(row,))
    tokens = run.tokens
    return [(tokens[i], float(s)) for i, s in zip(idx, scores, strict=True)]


def analogy(run: Run, a: str, b: str, c: str, k: int = 5) -> list[tuple[str, float]]:
    """Words ``x`` that best complete ``a - b + c`` by 3CosAdd (cosine to the target vector).

    With ``a="king", b="man", c="woman"`` the best answer should be ``queen``. All vectors are
    unit-normalised first (as in word2vec's ``compute-accuracy``); the three input words are
    excluded from the answers, as is customary (otherwise ``a`` itself often wins).
    """
    rows = [word_row(run, w) for w in (a, b, c)]
    index = index_for(run.path)
    target = index.normalized[rows[0]] - index.normalized[rows[1]] + index.normalized[rows[2]]
    idx, scores = index.query(np.asarray(target, dtype=np.float32), k=k, metric="cosine", exclude=rows)
    tokens = run.tokens
    return [(tokens[i], float(s)) for i, s in zip(idx, scores, strict=True)]
