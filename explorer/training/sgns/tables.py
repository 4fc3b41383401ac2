"""Sampling tables: the negative-sampling alias table and the subsampling thresholds.

- Negatives are drawn from a distribution over the V output rows (word2vec: unigram^0.75) with
  Walker's alias method, O(1) per draw: :func:`build_alias` gives ``threshold`` uint64 (V,) and
  ``alias`` int32 (V,); :func:`draw_alias` draws from them with one random state.
- Subsampling keeps token ``w`` with probability ``keep_prob[w]``: :func:`keep_thresholds` turns the
  probabilities (V,) into uint64 thresholds on a 32-bit draw (:func:`keep_all` keeps every token).

    >>> threshold, alias = build_alias(np.array([0.0, 1.0, 0.0]))
    >>> from explorer.training.sgns.rng import seed_state
    >>> {int(draw_alias(np.uint64(seed_state(0, s)), np.uint64(3), threshold, alias)) for s in range(50)}
    {1}
    >>> keep_thresholds(np.array([1.0, 0.5])).tolist(), keep_all(2).tolist()
    ([4294967296, 2147483648], [4294967296, 4294967296])
"""

from __future__ import annotations

import numpy as np
from numba import njit

from explorer.training.sgns.abi import keep_all, keep_thresholds  # noqa: F401  (numba-free, importable here as before)
from explorer.training.sgns.rng import XS_MULT

_U32 = np.uint64(0xFFFFFFFF)
_S32 = np.uint64(32)


@njit(cache=True, nogil=True)
def build_alias(probs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Walker/Vose alias table for ``probs`` (V,): (threshold uint64 (V,), alias int32 (V,)).

    Draw: ``i`` uniform in 0..V-1 and ``r`` uniform 32-bit; take ``i`` if ``r < threshold[i]``,
    else ``alias[i]``. Thresholds are scaled to 2**32 (a column that always keeps ``i`` has 2**32).
    """
    n = probs.shape[0]
    threshold = np.empty(n, np.uint64)
    alias = np.empty(n, np.int32)
    fill_alias(probs.astype(np.float64), np.float64(probs.sum()), threshold, alias, np.empty(n, np.float64),
               np.empty(n, np.int64), np.empty(n, np.int64))
    return threshold, alias


@njit(cache=True, nogil=True, _nrt=False)
def fill_alias(probs: np.ndarray, total: float, threshold: np.ndarray, alias: np.ndarray, scaled: np.ndarray,
               small: np.ndarray, large: np.ndarray) -> None:
    """:func:`build_alias` into the caller's arrays: ``probs`` float64 (V,) and their sum ``total`` in (summed in
    the caller's dtype); ``threshold`` uint64 (V,) and ``alias`` int32 (V,) out; ``scaled`` float64 (V,),
    ``small`` and ``large`` int64 (V,) scratch."""
    n = probs.shape[0]
    for i in range(n):
        scaled[i] = probs[i] * n / total
        alias[i] = i
    ns = 0
    nl = 0
    for i in range(n):
        if scaled[i] < 1.0:
            small[ns] = i
            ns += 1
        else:
            large[nl] = i
            nl += 1
    while ns > 0 and nl > 0:
        ns -= 1
        s = small[ns]
        nl -= 1
        g = large[nl]
        alias[s] = g
        scaled[g] = (scaled[g] + scaled[s]) - 1.0
        if scaled[g] < 1.0:
            small[ns] = g
            ns += 1
        else:
            large[nl] = g
            nl += 1
    for k in range(nl):  # leftovers are exactly 1 up to rounding
        scaled[large[k]] = 1.0
    for k in range(ns):
        scaled[small[k]] = 1.0
    for i in range(n):
        threshold[i] = np.uint64(min(scaled[i], 1.0) * 4294967296.0)


@njit(cache=True, nogil=True, inline="always")
def draw_alias(state: np.uint64, n_rows: np.uint64, threshold: np.ndarray, alias: np.ndarray) -> np.int64:
    """One draw in 0..n_rows-1 from an alias table: the column from the upper 32 bits of the state's
    output, the coin from its lower 32 bits."""
    r = state * XS_MULT
    col = ((r >> _S32) * n_rows) >> _S32
    return np.int64(col) if (r & _U32) < threshold[col] else np.int64(alias[col])
