"""Compiled pieces of Doc2Vec that the shared word2vec job does not have: PV-DM (mean) training and the
inference of a new document's vector against frozen tables.

PV-DBOW training itself runs on the shared engine (:mod:`explorer.training.sgns`, ``ARCH_DBOW``).

- :func:`dm_job`: PV-DM with ``dm_mean`` (gensim's ``Doc2Vec(dm=1, dm_mean=1)``): for each kept word of a
  document, the mean ``h`` of the document's row and the input rows of the words within a reduced window
  predicts the word against ``negatives`` negatives; every row of the mean receives the whole error of ``h``.
  ``w_in`` holds the word rows ``0..V-1`` and the document rows after them.
- :func:`infer_vector`: the same objective (with training's subsampling) for one new document whose row is the only thing updated
  (the output table, and for PV-DM the word rows, stay frozen), for ``epochs`` passes with the learning
  rate falling linearly, from one seeded random stream.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from explorer.training.sgns.rng import below, seed_state, upper32, xorshift
from explorer.training.sgns.tables import draw_alias

LR_FLOOR = 1e-4
_MAX_EXP = np.float32(20.0)


@njit(cache=True, nogil=True, fastmath=True, inline="always")
def _sig(f: np.float32) -> np.float32:
    if f > _MAX_EXP:
        f = _MAX_EXP
    elif f < -_MAX_EXP:
        f = -_MAX_EXP
    return np.float32(1.0) / (np.float32(1.0) + np.exp(-f))


@njit(cache=True, nogil=True, fastmath=True, _nrt=False)
def _dm_step(w_in: np.ndarray, w_out: np.ndarray, ctx: np.ndarray, n_ctx: int, word: int, negatives: int,
             threshold: np.ndarray, alias: np.ndarray, lr: np.float32, state: np.uint64, h: np.ndarray,
             neu1e: np.ndarray, update_rows: int, update_out: bool) -> tuple[np.uint64, float]:
    """One PV-DM prediction of ``word`` from the mean of rows ``ctx[:n_ctx]``; the first ``update_rows`` rows
    of ``ctx`` receive the error, ``w_out`` is updated when ``update_out``. Returns (state, loss)."""
    d = w_in.shape[1]
    n_rows = np.uint64(w_out.shape[0])
    inv = np.float32(1.0 / n_ctx)
    row = ctx[0]
    for j in range(d):  # the rows' sum, row by row (a row is contiguous: one vectorised pass each)
        h[j] = w_in[row, j]
        neu1e[j] = 0.0
    for c in range(1, n_ctx):
        row = ctx[c]
        for j in range(d):
            h[j] += w_in[row, j]
    for j in range(d):
        h[j] *= inv
    loss = 0.0
    for k in range(negatives + 1):
        if k == 0:
            target = word
            label = np.float32(1.0)
        else:
            state = xorshift(state)
            target = draw_alias(state, n_rows, threshold, alias)
            if target == word:
                continue
            label = np.float32(0.0)
        f = np.float32(0.0)
        for j in range(d):
            f += h[j] * w_out[target, j]
        p = _sig(f)
        loss -= np.log(max(p if k == 0 else np.float32(1.0) - p, np.float32(1e-7)))
        g = (label - p) * lr
        for j in range(d):
            neu1e[j] += g * w_out[target, j]
        if update_out:
            for j in range(d):
                w_out[target, j] += g * h[j]
    for c in range(update_rows):
        row = ctx[c]
        for j in range(d):
            w_in[row, j] += neu1e[j]
    return state, loss


@njit(cache=True, nogil=True, fastmath=True)
def dm_job(ids: np.ndarray, offsets: np.ndarray, rows: np.ndarray, s_begin: int, s_end: int, w_in: np.ndarray,
           w_out: np.ndarray, keep: np.ndarray, threshold: np.ndarray, alias: np.ndarray, window: int,
           negatives: int, lr_begin: float, lr_end: float, state: np.uint64, stats: np.ndarray) -> None:
    """PV-DM (mean) on documents ``s_begin..s_end-1`` (see the module docstring); ``stats``: words, pairs,
    loss sum, measured pairs (added to)."""
    total = offsets[s_end] - offsets[s_begin]
    if total <= 0:
        return
    d = w_in.shape[1]
    h = np.empty(d, np.float32)
    neu1e = np.empty(d, np.float32)
    ctx = np.empty(2 * window + 1, np.int64)
    buf = np.empty(max(1, np.int64(np.max(offsets[s_begin + 1:s_end + 1] - offsets[s_begin:s_end]))), np.int64)
    lr_step = (lr_end - lr_begin) / total
    done = 0
    for s in range(s_begin, s_end):
        a = offsets[s]
        b = offsets[s + 1]
        lr = np.float32(lr_begin + lr_step * done)
        done += b - a
        n = 0
        for t in range(a, b):
            state = xorshift(state)
            if upper32(state) < keep[ids[t]]:
                buf[n] = ids[t]
                n += 1
        for i in range(n):
            state = xorshift(state)
            reduced = below(state, window) + 1
            ctx[0] = rows[s]
            n_ctx = 1
            for p in range(max(0, i - reduced), min(n, i + reduced + 1)):
                if p != i:
                    ctx[n_ctx] = buf[p]
                    n_ctx += 1
            state, loss = _dm_step(w_in, w_out, ctx, n_ctx, buf[i], negatives, threshold, alias, lr, state, h,
                                   neu1e, n_ctx, True)
            stats[1] += 1
            if (i & 15) == 0:
                stats[2] += loss
                stats[3] += 1
        stats[0] += n


@njit(cache=True, nogil=True, fastmath=True)
def infer_vector(word_ids: np.ndarray, doc: np.ndarray, w_in: np.ndarray, w_out: np.ndarray, threshold: np.ndarray,
                 alias: np.ndarray, dm: bool, window: int, negatives: int, epochs: int, lr: float,
                 seed: int, keep: np.ndarray) -> None:
    """Train ``doc`` float32 (d,) in place on ``word_ids`` (the new text's known words) with every table frozen.

    Every epoch first subsamples the words with ``keep`` as training did (PV-DM's contexts are then the
    windows training saw); PV-DBOW: ``doc`` predicts each kept word; PV-DM: the mean of ``doc`` and the
    window's word rows of ``w_in`` predicts each kept word. Rows of ``w_in``/``w_out`` are never written.
    """
    n_all = word_ids.shape[0]
    if n_all == 0:
        return
    d = doc.shape[0]
    n_rows = np.uint64(w_out.shape[0])
    state = np.uint64(seed_state(seed, 0))
    h = np.empty(d, np.float32)
    neu1e = np.empty(d, np.float32)
    buf = np.empty(n_all, np.int64)
    total = epochs * n_all
    step = 0
    for _ in range(epochs):
        n = 0
        for t in range(n_all):
            state = xorshift(state)
            if upper32(state) < keep[word_ids[t]]:
                buf[n] = word_ids[t]
                n += 1
        alpha0 = np.float32(lr + (lr * LR_FLOOR - lr) * step / total)
        step += n_all
        alpha1 = np.float32(lr + (lr * LR_FLOOR - lr) * step / total)
        for i in range(n):
            alpha = np.float32(alpha0 + (alpha1 - alpha0) * i / n)
            word = buf[i]
            if dm:
                state = xorshift(state)
                reduced = below(state, window) + 1
                lo = max(0, i - reduced)
                hi = min(n, i + reduced + 1)
                count = 1
                for j in range(d):
                    h[j] = doc[j]
                for p in range(lo, hi):
                    if p != i:
                        count += 1
                        for j in range(d):
                            h[j] += w_in[buf[p], j]
                for j in range(d):
                    h[j] /= count
            else:
                for j in range(d):
                    h[j] = doc[j]
            for j in range(d):
                neu1e[j] = 0.0
            for k in range(negatives + 1):
                if k == 0:
                    target = word
                    label = np.float32(1.0)
                else:
                    state = xorshift(state)
                    target = draw_alias(state, n_rows, threshold, alias)
                    if target == word:
                        continue
                    label = np.float32(0.0)
                f = np.float32(0.0)
                for j in range(d):
                    f += h[j] * w_out[target, j]
                g = (label - _sig(f)) * alpha
                for j in range(d):
                    neu1e[j] += g * w_out[target, j]
            for j in range(d):
                doc[j] += neu1e[j]
