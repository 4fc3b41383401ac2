"""Counting word-word co-occurrences (GloVe's ``X``): a symmetric window, each pair weighted 1/distance.

For every token ``w`` at position ``t`` of a sentence and every token ``c`` at ``t - k`` (``1 <= k <= window``,
never across a sentence boundary), ``X[w, c]`` and ``X[c, w]`` each gain ``1/k`` (stanfordnlp/GloVe's
``cooccur -symmetric 1 -distance-weighting 1``). Words dropped by ``min_count`` were removed before
(:func:`explorer.text.vocab.encode`), so the words around them are neighbours, as in the reference.

Memory stays bounded, the reference's way (``src/cooccur.c``): ids are frequency ranks, and the cells of
frequent pairs (rank product below ``max_product``) are added up in a dense float64 table of at most
:data:`DENSE_BYTES`; every other pair is a record in a buffer of at most :data:`BUFFER_RECORDS` int64 keys (and at most a
quarter of ``budget``)
(``(i * V + j) << DIST_BITS | distance - 1``: the weight travels in the key, so a buffer sorts as plain
integers), sorted and reduced when full into a sorted run of unique cells. Runs are merged as they come
(two runs of similar size at a time, so the work stays ``O(n log n)``). When the runs and the dense table
would outgrow ``budget`` bytes, counting stops with one :class:`~explorer.errors.ExplorerError` saying
what to lower (``glove_cooccur_memory``). The compiled loops release the GIL; counting runs on one thread.

    >>> ids = np.array([0, 1, 2], np.int32); offsets = np.array([0, 3])
    >>> m = count_cooccurrences(ids, offsets, n_vocab=3, window=2)
    >>> [(int(i), int(j), float(x)) for i, j, x in zip(m.rows, m.cols, m.values)]
    [(0, 1, 1.0), (0, 2, 0.5), (1, 0, 1.0), (1, 2, 1.0), (2, 0, 0.5), (2, 1, 1.0)]
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Optional

import numpy as np
from numba import njit

from explorer.errors import ExplorerError

#: the distance (minus one) is kept in the low bits of a record's key; windows up to 2 ** DIST_BITS
DIST_BITS = 7
MAX_WINDOW = 1 << DIST_BITS
#: the dense table of frequent pairs takes at most this many bytes (float64 cells)
DENSE_BYTES = 64 << 20
#: records (int64 keys) buffered before a sort
BUFFER_RECORDS = 1 << 22
#: tokens counted between two stop checks
POLL_TOKENS = 1 << 21
#: bytes per cell of a sorted run (int64 key + float64 value)
RUN_CELL_BYTES = 16
#: bytes per cell of the finished matrix (int32 row, int32 column, float32 value)
CELL_BYTES = 12


@dataclass
class Cooccurrences:
    """The co-occurrence matrix in coordinate form, rows then columns ascending.

    rows, cols: int32 (nnz,) word ids; values: float32 (nnz,) ``X[i, j] > 0``; ``n_vocab``: V;
    ``tokens``: corpus tokens counted; ``records``: weighted pairs added (each direction counts once).
    """

    rows: np.ndarray
    cols: np.ndarray
    values: np.ndarray
    n_vocab: int
    tokens: int = 0
    records: int = 0

    @property
    def nnz(self) -> int:
        return int(self.values.shape[0])

    def dense(self) -> np.ndarray:
        """float64 (V, V): the whole matrix (small vocabularies only: tests and the lesson)."""
        out = np.zeros((self.n_vocab, self.n_vocab))
        out[self.rows, self.cols] = self.values
        return out


def dense_layout(n_vocab: int, cells: int) -> tuple[int, np.ndarray]:
    """``(max_product, start)`` of a dense table of at most ``cells`` cells: row ``i`` holds columns
    ``j < cap_i = min(V, max_product // (i + 1))`` at ``start[i] + j``; ``start`` int64 (V+1,).

    >>> dense_layout(4, 100)[1].tolist()  # everything fits
    [0, 4, 8, 12, 16]
    >>> dense_layout(4, 7)[1].tolist()  # fewer columns for rarer rows; the rarest has none
    [0, 3, 4, 5, 5]
    """
    def caps(p: int) -> np.ndarray:
        return np.minimum(n_vocab, p // np.arange(1, n_vocab + 1, dtype=np.int64))

    lo, hi = 0, n_vocab * n_vocab  # the largest p whose table fits
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if int(caps(mid).sum()) <= cells:
            lo = mid
        else:
            hi = mid - 1
    start = np.zeros(n_vocab + 1, np.int64)
    np.cumsum(caps(lo), out=start[1:])
    return lo, start


@njit(cache=True, nogil=True)
def _count(ids, offsets, s, t, window, n_vocab, start, dense, buf, n_buf, inv, limit):  # pragma: no cover
    """Count from sentence ``s``, token ``t`` on until the buffer might overflow or ``limit`` tokens were
    read; returns ``(s, t, n_buf, records)`` where counting stopped (``s == S``: done)."""
    n_sent = offsets.shape[0] - 1
    room = buf.shape[0] - 2 * window
    records = 0
    read = 0
    while s < n_sent:
        first = offsets[s]
        end = offsets[s + 1]
        while first + t < end:
            if n_buf > room or read >= limit:
                return s, t, n_buf, records
            read += 1
            pos = first + t
            w = np.int64(ids[pos])
            k0 = pos - window
            if k0 < first:
                k0 = first
            for q in range(k0, pos):
                c = np.int64(ids[q])
                dist = pos - q
                weight = inv[dist - 1]
                if c < start[w + 1] - start[w]:
                    dense[start[w] + c] += weight
                else:
                    buf[n_buf] = ((w * n_vocab + c) << 7) | (dist - 1)
                    n_buf += 1
                if w < start[c + 1] - start[c]:
                    dense[start[c] + w] += weight
                else:
                    buf[n_buf] = ((c * n_vocab + w) << 7) | (dist - 1)
                    n_buf += 1
                records += 2
            t += 1
        s += 1
        t = 0
    return s, t, n_buf, records


@njit(cache=True, nogil=True)
def _reduce(buf, n, inv):  # pragma: no cover - compiled
    """Sort ``buf[:n]`` and add up records of the same cell: (keys int64 cell = i * V + j, values float64)."""
    keys = np.sort(buf[:n])
    out_k = np.empty(n, np.int64)
    out_v = np.empty(n, np.float64)
    m = -1
    last = np.int64(-1)
    for r in range(n):
        cell = keys[r] >> 7
        if cell != last:
            m += 1
            out_k[m] = cell
            out_v[m] = 0.0
            last = cell
        out_v[m] += inv[keys[r] & 127]
    return out_k[: m + 1].copy(), out_v[: m + 1].copy()


@njit(cache=True, nogil=True)
def _merge(k1, v1, k2, v2):  # pragma: no cover - compiled
    """Two sorted runs of unique cells -> one (values of a cell in both are added)."""
    n1, n2 = k1.shape[0], k2.shape[0]
    ko = np.empty(n1 + n2, np.int64)
    vo = np.empty(n1 + n2, np.float64)
    a = b = m = 0
    while a < n1 and b < n2:
        if k1[a] < k2[b]:
            ko[m] = k1[a]
            vo[m] = v1[a]
            a += 1
        elif k2[b] < k1[a]:
            ko[m] = k2[b]
            vo[m] = v2[b]
            b += 1
        else:
            ko[m] = k1[a]
            vo[m] = v1[a] + v2[b]
            a += 1
            b += 1
        m += 1
    while a < n1:
        ko[m] = k1[a]
        vo[m] = v1[a]
        a += 1
        m += 1
    while b < n2:
        ko[m] = k2[b]
        vo[m] = v2[b]
        b += 1
        m += 1
    return ko[:m].copy(), vo[:m].copy()


@njit(cache=True, nogil=True)
def _assemble(start, dense, keys, vals, n_vocab):  # pragma: no cover - compiled
    """Dense cells and the sparse run as one (rows, cols, values) matrix sorted by row then column."""
    n_dense = 0
    for x in range(dense.shape[0]):
        if dense[x] != 0.0:
            n_dense += 1
    n = n_dense + keys.shape[0]
    rows = np.empty(n, np.int32)
    cols = np.empty(n, np.int32)
    values = np.empty(n, np.float32)
    m = 0
    r = 0  # next sparse record
    for i in range(n_vocab):
        width = start[i + 1] - start[i]
        for j in range(width):
            x = dense[start[i] + j]
            if x != 0.0:
                rows[m] = i
                cols[m] = j
                values[m] = x
                m += 1
        while r < keys.shape[0] and keys[r] // n_vocab == i:  # the sparse cells of row i have j >= width
            rows[m] = i
            cols[m] = keys[r] % n_vocab
            values[m] = vals[r]
            m += 1
            r += 1
    return rows, cols, values


def _too_big(source: str, need: int, budget: int, window: int, n_vocab: int) -> ExplorerError:
    from explorer.resources import format_bytes

    return ExplorerError(
        f"{source}: the co-occurrence counts need more than {format_bytes(need)} of memory (window {window}, "
        f"vocabulary {n_vocab:,} words), more than the {format_bytes(budget)} available; raise --min-count, "
        f"set --max-vocab or lower --window",
        code="glove_cooccur_memory", file=source, need=format_bytes(need), available=format_bytes(budget),
        window=window, n_vocab=n_vocab)


def count_cooccurrences(ids: np.ndarray, offsets: np.ndarray, n_vocab: int, window: int,
                        budget: Optional[int] = None, source: str = "corpus",
                        poll: Optional[Callable[[float], bool]] = None, dense_bytes: int = DENSE_BYTES,
                        buffer_records: int = BUFFER_RECORDS) -> Cooccurrences:
    """The co-occurrence matrix of a corpus (see the module docstring).

    ids: int32 (N,) word ids 0..V-1 (frequency ranks: the dense table holds the frequent pairs);
    offsets: int64 (S+1,) sentence boundaries; window: 1..:data:`MAX_WINDOW`; budget: bytes the counts
    may take (default :func:`explorer.resources.memory_budget`); poll(fraction of tokens read): returning
    True stops with :class:`~explorer.errors.TrainingStopped` (called after each buffer).
    """
    from explorer.errors import TrainingStopped
    from explorer.resources import memory_budget

    if not 1 <= window <= MAX_WINDOW:
        raise ValueError(f"window must lie in 1..{MAX_WINDOW}")
    ids = np.ascontiguousarray(ids, dtype=np.int32)
    offsets = np.ascontiguousarray(offsets, dtype=np.int64)
    budget = memory_budget() if budget is None else int(budget)
    cells = max(n_vocab, min(dense_bytes, budget // 4) // 8)
    _, start = dense_layout(n_vocab, cells)
    dense = np.zeros(int(start[-1]), np.float64)
    # the buffer takes at most a quarter of the budget and never more than the corpus can fill: a small budget
    # reduces into more, smaller sorted runs (the counts are the same) instead of failing on a fixed buffer
    fill = 2 * window * int(offsets[-1]) + 1
    buf = np.empty(max(min(buffer_records, budget // 4 // 8, fill), 4 * window + 2), np.int64)
    inv = (1.0 / np.arange(1, MAX_WINDOW + 1)).astype(np.float64)
    runs: list[tuple[np.ndarray, np.ndarray]] = []
    s, t, n_buf, records = 0, 0, 0, 0
    n_sent = offsets.shape[0] - 1
    n_tokens = max(1, int(offsets[-1]))
    fixed = dense.nbytes + buf.nbytes
    while True:
        s, t, n_buf, added = _count(ids, offsets, s, t, window, n_vocab, start, dense, buf, n_buf, inv,
                                        POLL_TOKENS)
        records += int(added)
        if n_buf and (n_buf > buf.shape[0] - 2 * window or s >= n_sent):
            runs.append(_reduce(buf, n_buf, inv))
            n_buf = 0
            while len(runs) > 1 and runs[-1][0].shape[0] * 2 >= runs[-2][0].shape[0]:
                k2, v2 = runs.pop()
                k1, v1 = runs.pop()
                runs.append(_merge(k1, v1, k2, v2))
            held = fixed + sum(k.shape[0] for k, _ in runs) * RUN_CELL_BYTES
            if held > budget:
                raise _too_big(source, held, budget, window, n_vocab)
        if s >= n_sent:
            break
        if poll is not None and poll(float(offsets[s] + t) / n_tokens):
            raise TrainingStopped()
    keys, vals = np.zeros(0, np.int64), np.zeros(0, np.float64)
    while runs:
        k, v = runs.pop()
        keys, vals = _merge(k, v, keys, vals)
    need = (int(np.count_nonzero(dense)) + keys.shape[0]) * CELL_BYTES + keys.nbytes + vals.nbytes + dense.nbytes
    if need > budget:
        raise _too_big(source, need, budget, window, n_vocab)
    rows, cols, values = _assemble(start, dense, keys, vals, n_vocab)
    return Cooccurrences(rows, cols, values, n_vocab, tokens=int(offsets[-1]), records=records)
