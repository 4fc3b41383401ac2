"""The compiled GloVe step (numba): AdaGrad on the weighted least-squares objective, one cell at a time.

The objective (Pennington, Socher & Manning 2014) over the non-zero cells of ``X``::

    J = Σ f(X_ij) (w_i · w̃_j + b_i + b̃_j − log X_ij)²,     f(x) = min(1, (x / x_max) ** α)

:func:`train_cells` takes cells ``begin..end-1`` of the (shuffled) matrix and, for each, computes the error
``e = w_i · w̃_j + b_i + b̃_j − log X_ij`` and takes one AdaGrad step on ``½ f e²`` exactly as the reference's loop
does (``src/glove.c``): for ``w_i`` and ``w̃_j`` the step ``s = eta · clip(g)`` (gradient components clipped to
±:data:`GRAD_CLIP`) is divided by ``sqrt(1 + Σ past s²)`` (the sum is of squared *steps*, eta included); the
biases step by the bare gradient ``f e`` divided by ``sqrt(1 + Σ past (f e)²)``, with no eta and no clip.
(Accumulating ``g²`` and stepping the biases with eta, the paper's AdaGrad, scored 0.02-0.04 lower on
WordSim-353 than the reference on bench/bench_glove.py; see bench/results_glove.md.) Threads run it on different cells
of the same tables without locks (Hogwild, as the reference does). ``stats`` gains ``Σ f e²`` (the cost
before the step) and the number of cells.

:func:`objective` is ``J`` (float64) over a matrix, for the lesson and the tests.

Arrays: rows, cols int32 (nnz,); logx, weight float32 (nnz,) ``log X_ij`` and ``f(X_ij)``; w, wc float32
(V, d) the word and context vectors; b, bc float32 (V,) their biases; gw, gwc, gb, gbc the AdaGrad sums of
squared steps, shaped like what they belong to (starting at 1.0); stats float64 (N_STATS,).
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

#: gradient components are clipped to [-GRAD_CLIP, GRAD_CLIP] (the reference's default)
GRAD_CLIP = 100.0
STAT_COST = 0  # Σ f(X) e² over the cells trained (before their step)
STAT_CELLS = 1  # cells trained
N_STATS = 2


@njit(cache=True, nogil=True, fastmath=True)
def train_cells(rows, cols, logx, weight, begin, end, w, wc, b, bc, gw, gwc, gb, gbc, eta, stats):  # pragma: no cover
    """One AdaGrad step per cell ``begin..end-1`` (see the module docstring)."""
    d = w.shape[1]
    clip = np.float32(GRAD_CLIP)
    lr = np.float32(eta)
    cost = 0.0
    for k in range(begin, end):
        i = rows[k]
        j = cols[k]
        dot = np.float32(0.0)
        for t in range(d):
            dot += w[i, t] * wc[j, t]
        err = dot + b[i] + bc[j] - logx[k]
        ferr = weight[k] * err
        cost += ferr * err
        for t in range(d):
            s1 = lr * min(max(ferr * wc[j, t], -clip), clip)  # the step before AdaGrad's scaling
            s2 = lr * min(max(ferr * w[i, t], -clip), clip)
            w[i, t] -= s1 / math.sqrt(gw[i, t])
            wc[j, t] -= s2 / math.sqrt(gwc[j, t])
            gw[i, t] += s1 * s1
            gwc[j, t] += s2 * s2
        b[i] -= ferr / math.sqrt(gb[i])  # the biases: the bare gradient, as the reference steps them
        bc[j] -= ferr / math.sqrt(gbc[j])
        gb[i] += ferr * ferr
        gbc[j] += ferr * ferr
    stats[STAT_COST] += cost
    stats[STAT_CELLS] += end - begin


def weights(values: np.ndarray, x_max: float, alpha: float) -> np.ndarray:
    """float32 ``f(x) = min(1, (x / x_max) ** alpha)`` of co-occurrence values.

    >>> np.round(weights(np.array([1.0, 10.0, 50.0]), 10.0, 0.75).astype(float), 4).tolist()
    [0.1778, 1.0, 1.0]
    """
    x = np.asarray(values, dtype=np.float64)
    return np.minimum(1.0, (x / x_max) ** alpha).astype(np.float32)


def objective(rows: np.ndarray, cols: np.ndarray, values: np.ndarray, w: np.ndarray, wc: np.ndarray,
              b: np.ndarray, bc: np.ndarray, x_max: float, alpha: float) -> float:
    """``J`` over the given cells, in float64 numpy (no compiled code)."""
    w64, wc64 = np.asarray(w, np.float64), np.asarray(wc, np.float64)
    err = (np.einsum("ij,ij->i", w64[rows], wc64[cols]) + np.asarray(b, np.float64)[rows]
           + np.asarray(bc, np.float64)[cols] - np.log(np.asarray(values, np.float64)))
    f = np.minimum(1.0, (np.asarray(values, np.float64) / x_max) ** alpha)
    return float(np.sum(f * err * err))
