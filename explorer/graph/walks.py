"""Random walks over a graph, compiled with numba: DeepWalk (uniform) and node2vec (p, q).

A walk of length ``L`` starts at a node and moves ``L - 1`` times to a neighbour (out-neighbour in a
directed graph; it ends early at a node without one).

- **DeepWalk** (Perozzi et al., 2014): the next node is a neighbour drawn uniformly; weights are
  ignored.
- **node2vec** (Grover & Leskovec, 2016): the first move is drawn in proportion to the edge
  weights; after that, coming from ``t`` to ``v``, the next node ``x`` is drawn with probability
  proportional to ``w(v, x) * alpha(t, x)``, where ``alpha = 1/p`` if ``x == t`` (return),
  ``1`` if ``x`` is a neighbour of ``t``, and ``1/q`` otherwise (move outward). Small ``q``
  explores outward (like depth-first search), small ``p`` stays local (breadth-first).

The node2vec bias is computed on the fly, never stored: a candidate ``x`` is proposed in proportion
to ``w(v, x)`` (uniformly when unweighted, else by binary search in the row's cumulative weights)
and accepted with probability ``alpha(t, x) / max(1/p, 1, 1/q)`` (rejection sampling, as in
KnightKing); "is ``x`` a neighbour of ``t``" is a binary search in ``t``'s sorted CSR row. Memory:
the CSR arrays plus one float64 per adjacency entry for weighted graphs -- no O(E * d) alias tables.

Walks are generated in blocks (:func:`walk_block`): a numba ``prange`` over chunks of
:data:`CHUNK` start nodes, each chunk with its own random stream (xorshift64* seeded from
``(seed, chunk number)``, :mod:`explorer.training.sgns.rng`), so the walks are the same whatever the number of threads.

    >>> import numpy as np
    >>> from explorer.graph.io import build_csr
    >>> csr = build_csr(3, np.array([[0, 1], [1, 2]]), None, directed=False)
    >>> walks, lengths = generate_walks(csr, np.array([0, 2]), 5, seed=1)
    >>> walks.shape, lengths.tolist(), bool(np.all(np.abs(np.diff(walks, axis=1)) == 1))
    ((2, 5), [5, 5], True)
"""

from __future__ import annotations

from typing import Optional

import numba
import numpy as np
from numba import njit, prange

from explorer.graph.io import CSR
from explorer.training.sgns.rng import below, seed_state, uniform, xorshift

#: start nodes per random stream (and per unit of parallel work)
CHUNK = 256
MODES = {"deepwalk": 0, "node2vec": 1}
#: walk streams are seeded apart from the trainer's streams
_WALK_SALT = np.uint64(0x5EED_0F_3A1C)


def cumulative_weights(csr: CSR) -> np.ndarray:
    """float64 (A,): running sum of the weights within each node's row (for weighted draws)."""
    w = csr.weights.astype(np.float64)
    cum = np.cumsum(w)
    starts = csr.indptr[:-1].astype(np.int64)
    before = np.concatenate([[0.0], cum])[starts]  # sum of all rows before each row
    row_of = np.repeat(np.arange(csr.n_nodes), np.diff(csr.indptr))
    return cum - before[row_of]


@njit(cache=True, nogil=True, _nrt=False)
def has_edge(indptr: np.ndarray, indices: np.ndarray, t: int, x: int) -> bool:
    """Whether ``x`` is among ``t``'s (sorted) neighbours: binary search."""
    lo = indptr[t]
    hi = indptr[t + 1]
    while lo < hi:
        mid = (lo + hi) >> 1
        if indices[mid] < x:
            lo = mid + 1
        else:
            hi = mid
    return lo < indptr[t + 1] and indices[lo] == x


@njit(cache=True, nogil=True, inline="always")
def _propose(indptr: np.ndarray, indices: np.ndarray, cumw: np.ndarray, weighted: bool, v: int,
             state: np.uint64) -> tuple[int, np.uint64]:
    """A neighbour of ``v`` drawn in proportion to the edge weight (uniformly when unweighted)."""
    lo = indptr[v]
    hi = indptr[v + 1]
    state = xorshift(state)
    if not weighted:
        return indices[lo + below(state, hi - lo)], state
    r = uniform(state) * cumw[hi - 1]
    a = lo
    b = hi - 1
    while a < b:  # first entry with cumulative weight > r
        mid = (a + b) >> 1
        if cumw[mid] <= r:
            a = mid + 1
        else:
            b = mid
    return indices[a], state


@njit(cache=True, nogil=True, _nrt=False)
def walk_one(indptr: np.ndarray, indices: np.ndarray, cumw: np.ndarray, weighted: bool, start: int, length: int,
             mode: int, inv_p: float, inv_q: float, state: np.uint64, out: np.ndarray) -> tuple[int, np.uint64]:
    """One walk from ``start`` into ``out[:length]``; returns (its length, the random state)."""
    out[0] = start
    if length == 1:
        return 1, state
    v = start
    if indptr[v + 1] == indptr[v]:
        return 1, state
    if mode == 0:  # DeepWalk: uniform
        for i in range(1, length):
            lo = indptr[v]
            deg = indptr[v + 1] - lo
            if deg == 0:
                return i, state
            state = xorshift(state)
            v = indices[lo + below(state, deg)]
            out[i] = v
        return length, state
    x, state = _propose(indptr, indices, cumw, weighted, v, state)
    out[1] = x
    t = v
    v = x
    biased = inv_p != 1.0 or inv_q != 1.0
    top = max(inv_p, 1.0, inv_q)
    for i in range(2, length):
        if indptr[v + 1] == indptr[v]:
            return i, state
        while True:
            x, state = _propose(indptr, indices, cumw, weighted, v, state)
            if not biased:
                break
            if x == t:
                alpha = inv_p
            elif has_edge(indptr, indices, t, x):
                alpha = 1.0
            else:
                alpha = inv_q
            if alpha >= top:
                break
            state = xorshift(state)
            if uniform(state) * top < alpha:
                break
        out[i] = x
        t = v
        v = x
    return length, state


@njit(cache=True, nogil=True)
def _walk_chunk(c: int, indptr: np.ndarray, indices: np.ndarray, cumw: np.ndarray, weighted: bool,
                starts: np.ndarray, length: int, mode: int, inv_p: float, inv_q: float, seed: np.uint64,
                first_chunk: int, out: np.ndarray, lengths: np.ndarray) -> None:
    state = seed_state(seed, first_chunk + c)
    for i in range(c * CHUNK, min(starts.shape[0], (c + 1) * CHUNK)):
        got, state = walk_one(indptr, indices, cumw, weighted, starts[i], length, mode, inv_p, inv_q, state, out[i])
        lengths[i] = got
        for j in range(got, length):
            out[i, j] = -1


@njit(cache=True, parallel=True)
def walk_block(indptr: np.ndarray, indices: np.ndarray, cumw: np.ndarray, weighted: bool, starts: np.ndarray,
               length: int, mode: int, inv_p: float, inv_q: float, seed: np.uint64, first_chunk: int,
               out: np.ndarray, lengths: np.ndarray) -> None:
    """Walks from each of ``starts`` int32 (B,) into ``out`` int32 (B, length) and ``lengths`` int32 (B,).

    Chunk ``c`` of :data:`CHUNK` starts draws from stream ``first_chunk + c`` of ``seed``, so the
    walks do not depend on how many threads run them. Entries past a walk's length are -1.
    """
    n_chunks = (starts.shape[0] + CHUNK - 1) // CHUNK
    for c in prange(n_chunks):
        _walk_chunk(c, indptr, indices, cumw, weighted, starts, length, mode, inv_p, inv_q, seed, first_chunk, out,
                    lengths)


@njit(cache=True, nogil=True)
def walk_block_serial(indptr: np.ndarray, indices: np.ndarray, cumw: np.ndarray, weighted: bool, starts: np.ndarray,
                      length: int, mode: int, inv_p: float, inv_q: float, seed: np.uint64, first_chunk: int,
                      out: np.ndarray, lengths: np.ndarray) -> None:
    """:func:`walk_block` on the calling thread only (the same walks; safe to call from many threads at once)."""
    n_chunks = (starts.shape[0] + CHUNK - 1) // CHUNK
    for c in range(n_chunks):
        _walk_chunk(c, indptr, indices, cumw, weighted, starts, length, mode, inv_p, inv_q, seed, first_chunk, out,
                    lengths)


def walk_seed(seed: int, epoch: int) -> np.uint64:
    """The walks' random seed for one epoch (distinct from the trainer's streams)."""
    return np.uint64((int(seed) * 1_000_003 + epoch + 1) ^ int(_WALK_SALT))


def start_order(n_nodes: int, walks_per_node: int, seed: int, epoch: int) -> np.ndarray:
    """int32 (walks_per_node * V,): every node ``walks_per_node`` times, each pass shuffled (DeepWalk)."""
    rng = np.random.default_rng([int(seed), int(epoch), 0x6A1C])
    return np.concatenate([rng.permutation(n_nodes).astype(np.int32) for _ in range(walks_per_node)])


def generate_walks(csr: CSR, starts: np.ndarray, length: int, *, walk: str = "deepwalk", p: float = 1.0,
                   q: float = 1.0, seed: int = 0, workers: int = 0, cumw: Optional[np.ndarray] = None,
                   first_chunk: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Walks from ``starts`` (int (B,)): ``(walks int32 (B, length) padded with -1, lengths int32 (B,))``.

    ``workers`` numba threads (0: all; 1: on the calling thread, no thread pool); the result is
    the same for any number of them.
    """
    if walk not in MODES:
        raise ValueError(f"walk must be one of {tuple(MODES)}, got {walk!r}")
    starts = np.ascontiguousarray(starts, dtype=np.int32)
    out = np.empty((len(starts), length), np.int32)
    lengths = np.empty(len(starts), np.int32)
    if cumw is None:
        cumw = cumulative_weights(csr) if (csr.weighted and walk == "node2vec") else np.zeros(1, np.float64)
    args = (csr.indptr, csr.indices, cumw, bool(csr.weighted and walk == "node2vec"), starts, int(length), MODES[walk],
            1.0 / p, 1.0 / q, np.uint64(seed), int(first_chunk), out, lengths)
    if workers == 1:  # no thread pool (pages may walk from several sessions' threads at once)
        walk_block_serial(*args)
        return out, lengths
    old = numba.get_num_threads()
    numba.set_num_threads(max(1, min(workers or old, numba.config.NUMBA_NUM_THREADS)))
    try:
        walk_block(*args)
    finally:
        numba.set_num_threads(old)
    return out, lengths


def walks_to_stream(walks: np.ndarray, lengths: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Walks as the Skip-gram kernel's token stream: ``(ids int32 (N,), offsets int64 (B+1,))``."""
    offsets = np.zeros(len(lengths) + 1, np.int64)
    np.cumsum(lengths, out=offsets[1:])
    if len(lengths) and int(lengths.min()) == walks.shape[1]:
        return walks.reshape(-1), offsets
    return walks[walks >= 0], offsets
