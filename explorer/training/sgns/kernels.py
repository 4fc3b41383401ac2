"""The compiled word2vec job (numba): one sentence loop, one update per architecture.

This is word2vec's own algorithm (Mikolov et al.'s C code, gensim's ``word2vec_inner.pyx``), written
with numba so that it runs at C speed without a C compiler. :func:`train_job` trains sentences
``s_begin..s_end-1`` of a stream:

- per sentence: subsample (keep token ``w`` when a 32-bit draw is below ``keep[w]``) into
  ``sent_buf``; the learning rate falls linearly inside the job from ``lr_begin`` to ``lr_end`` (the
  caller spreads ``lr -> lr * 1e-4`` over the whole training), one value per sentence;
- then one architecture's step on the kept words (``arch``):

  - ``ARCH_SKIPGRAM`` (:func:`skipgram_sentence`): each kept centre word draws a reduced window
    ``b ~ U{1..window}``; each context word within ``b`` positions (never across a sentence
    boundary) is one SGD step on ``-log σ(u·v) - Σ_k log σ(-u·n_k)``, ``u = w_in[centre]``,
    ``v = w_out[context]``, ``K`` negatives from the alias table (:func:`sgns_pair_update`);
  - ``ARCH_CBOW`` (:func:`cbow_sentence`, gensim's ``cbow_mean=1``): the mean ``h`` of the context
    words' input rows predicts the centre word against the same negatives, and every context row
    receives the whole error of ``h`` (:func:`cbow_update`; word2vec.c's and gensim's convention);
  - ``ARCH_DBOW`` (:func:`dbow_sentence`, PV-DBOW, Le & Mikolov 2014): the sentence's document row
    ``w_in[rows[s]]`` predicts each kept word of the sentence (one :func:`sgns_pair_update` per word);
    ``w_in`` is then the document table (D, d) and ``w_out`` the word table (V, d).

  - ``ARCH_SKIPGRAM_BATCHED`` / ``ARCH_CBOW_BATCHED`` (:func:`skipgram_batched_sentence`,
    :func:`cbow_batched_sentence`; ``train_skipgram(..., kernel="batched")``): minibatched updates after
    Ji et al.'s HogBatch -- one window's context rows against the centre word and negatives drawn once for
    the window (CBOW: :data:`CBOW_BATCH` centre words share the negatives), output rows read once and
    written once per window (:func:`window_batch_update`). The default of both architectures since it
    equalled the pair kernels in quality on every bench (``kernel="pair"`` keeps those; bench/results_sgns.md);
    DeepWalk/node2vec and PV-DBOW train with the pair kernels.

  A new architecture is a new ``*_sentence`` function (the same returns), its step (``STEPS``: the same
  arguments for every architecture) and one more branch in :func:`_any_step`.

Each architecture draws the targets and negatives of a block of positions first (they do not
depend on the weights) and, while it trains one, asks the CPU to prefetch the rows of the next (the
kernel is bound by memory latency; about 1.4x faster on a 34,000-word vocabulary; results unchanged).

The loss (mean negative log-likelihood per positive, summed over the positive and its negatives)
is measured on every LOSS_EVERY-th pair, before that pair's update. Statistics go to ``stats``
(the ``STAT_*`` slots). Random numbers come from one xorshift64* stream per job (:mod:`.rng`).

Arrays: ids int32 (N,); offsets int64 (S+1,); rows int64 (S,) (PV-DBOW; empty otherwise); w_in
float32 (R, d); w_out float32 (V, d); keep uint64 (V,); threshold uint64 (V,), alias int32 (V,);
sent_buf int32 (>= longest sentence,); neu1e float32 (d,); stats float64 (N_STATS,).
"""

from __future__ import annotations

import numpy as np
from llvmlite import ir
from numba import njit, types
from numba.core import cgutils
from numba.extending import intrinsic

from explorer.jit import quick_start
from explorer.training.sgns.abi import (  # noqa: F401  (the job's constants, importable from here as before)
    ARCH_CBOW,
    ARCH_CBOW_BATCHED,
    ARCH_DBOW,
    ARCH_SKIPGRAM,
    ARCH_SKIPGRAM_BATCHED,
    ARCHS,
    BATCHED,
    BLOCK_PAIRS,
    CBOW_BATCH,
    LOSS_EVERY,
    N_STATS,
    NO_ROWS,
    STAT_LOSS_PAIRS,
    STAT_LOSS_SUM,
    STAT_PAIRS,
    STAT_RAW_WORDS,
    STAT_WORDS,
    scratch_sizes,
)
from explorer.training.sgns.rng import below, seed_state, upper32, xorshift
from explorer.training.sgns.tables import build_alias, draw_alias, keep_all

quick_start()  # before the first compile or cache load

_MAX_F = np.float32(20.0)  # |u·v| is clamped here before exp(), so float32 never overflows
#: σ is read from a table over [-SIGMOID_MAX, SIGMOID_MAX] (word2vec uses 1000 entries over ±6)
SIGMOID_MAX = np.float32(8.0)
_SIG_SIZE = 2048
SIGMOID_TABLE = (1.0 / (1.0 + np.exp(-np.linspace(-8.0, 8.0, _SIG_SIZE + 1)))).astype(np.float32)
_SIG_SCALE = np.float32(_SIG_SIZE / 16.0)


@intrinsic
def _prefetch(typingctx, arr, row, col):  # type: ignore[no-untyped-def]
    """Hint the CPU to fetch ``arr[row, col]`` into cache for writing (LLVM's prefetch with write intent,
    ``prefetchw`` where the CPU has it; no effect on results). Every row prefetched here is about to be updated: it
    arrives owned by this core rather than shared, so when another thread last wrote it the update needs no second
    exchange between the cores (CBOW with 2 threads 0.41 -> 0.36 s on the 3.3M-word bench; one thread unchanged)."""
    sig = types.void(arr, row, col)

    def codegen(context, builder, signature, args):  # type: ignore[no-untyped-def]
        aryty, rowty, colty = signature.args
        ary = context.make_array(aryty)(context, builder, args[0])
        inds = [context.cast(builder, args[1], rowty, types.intp), context.cast(builder, args[2], colty, types.intp)]
        ptr = cgutils.get_item_pointer2(context, builder, data=ary.data, shape=cgutils.unpack_tuple(builder, ary.shape),
                                        strides=cgutils.unpack_tuple(builder, ary.strides), layout=aryty.layout,
                                        inds=inds, wraparound=False, boundscheck=False)
        i8p = ir.IntType(8).as_pointer()
        i32 = ir.IntType(32)
        fn = cgutils.get_or_insert_function(builder.module, ir.FunctionType(ir.VoidType(), [i8p, i32, i32, i32]),
                                            "llvm.prefetch.p0")
        # write access, high temporal locality, data cache
        builder.call(fn, [builder.bitcast(ptr, i8p), ir.Constant(i32, 1), ir.Constant(i32, 3), ir.Constant(i32, 1)])
        return context.get_dummy_value()

    return sig, codegen


@intrinsic
def view(typingctx, source, start, shape):  # type: ignore[no-untyped-def]
    """A C-contiguous array of ``shape`` (a tuple of ints) over ``source[start:]``, where ``source`` is a pointer or
    a C-contiguous 1-D array; owned by nobody (no reference count: the caller keeps the memory alive while it is
    used). A view of an array is how functions compiled without reference counts cut scratch arrays (numba's
    ``reshape`` of a slice calls its runtime)."""
    is_array = isinstance(source, types.Array)
    if is_array and (source.ndim != 1 or source.layout != "C"):
        return None
    arrty = types.Array(source.dtype, len(shape), "C")
    sig = arrty(source, start, shape)

    def codegen(context, builder, signature, args):  # type: ignore[no-untyped-def]
        source_v, start_v, shape_v = args
        ptr_v = context.make_array(signature.args[0])(context, builder, source_v).data if is_array else source_v
        data = builder.gep(ptr_v, [context.cast(builder, start_v, signature.args[1], types.intp)])
        dims = [context.cast(builder, v, t, types.intp)
                for v, t in zip(cgutils.unpack_tuple(builder, shape_v), signature.args[2], strict=True)]
        itemsize = context.get_constant(types.intp, context.get_abi_sizeof(context.get_data_type(arrty.dtype)))
        strides = []
        step = itemsize
        for dim in reversed(dims):
            strides.insert(0, step)
            step = builder.mul(step, dim)
        ary = context.make_array(arrty)(context, builder)
        context.populate_array(ary, data=data, shape=dims, strides=strides, itemsize=itemsize, meminfo=None)
        return ary._getvalue()

    return sig, codegen


@njit(cache=True, nogil=True, inline="always")
def _prefetch_row(arr: np.ndarray, row: int) -> None:
    for x in range(0, arr.shape[1], 16):  # one cache line holds 16 float32
        _prefetch(arr, row, x)


@njit(cache=True, nogil=True, fastmath=True, inline="always")
def _sigmoid(f: np.float32) -> np.float32:
    """σ(f) by linear interpolation in SIGMOID_TABLE (error < 3e-6); 0 or 1 beyond ±SIGMOID_MAX."""
    if f <= -SIGMOID_MAX:
        return np.float32(0.0)
    if f >= SIGMOID_MAX:
        return np.float32(1.0)
    x = (f + SIGMOID_MAX) * _SIG_SCALE
    i = min(max(np.int64(x), 0), _SIG_SIZE - 1)  # clamped: a NaN (diverged training) must not index out of bounds
    frac = x - np.float32(i)
    lo = SIGMOID_TABLE[i]
    return lo + frac * (SIGMOID_TABLE[i + 1] - lo)


@njit(cache=True, nogil=True, fastmath=True, inline="always")
def _neg_log_sigmoid(f: np.float32) -> np.float32:
    """-log σ(f), computed exactly (only on the pairs where the loss is measured)."""
    f = min(max(f, -_MAX_F), _MAX_F)
    return np.log1p(np.exp(-f))


# --------------------------------------------------------------------------- one update


@njit(cache=True, nogil=True, fastmath=True, inline="always")
def _output_rows(h: np.ndarray, w_out: np.ndarray, targets: np.ndarray, n_targets: int, lr: np.float32,
                 neu1e: np.ndarray, measure: bool) -> float:
    """The output side of one step: the input vector ``h`` (d,) against ``w_out[targets[k]]``, ``targets[0]`` the
    positive (label 1), the others negatives (label 0). Each output row ``t`` gets ``g_t * h`` with ``g_t = (label -
    σ(h·v_t)) * lr`` as soon as it is used; ``neu1e`` is set to ``Σ_t g_t v_t`` (the rows before their update).
    Returns the loss ``-log σ(h·v_0) - Σ_k log σ(-h·v_k)`` when ``measure``.

    One pass over ``d`` per output row: the row is updated, its gradient goes to ``neu1e`` (set by the first row,
    not zeroed first) and the next row's score is summed in the same pass, read after the update, so that a
    negative drawn twice sees its first update (as in sequential steps)."""
    d = h.shape[0]
    t = targets[0]
    f = np.float32(0.0)
    for x in range(d):
        f += h[x] * w_out[t, x]
    loss = 0.0
    for k in range(n_targets):
        if k == 0:
            g = (np.float32(1.0) - _sigmoid(f)) * lr
            if measure:
                loss += _neg_log_sigmoid(f)
        else:
            g = -_sigmoid(f) * lr
            if measure:
                loss += _neg_log_sigmoid(-f)
        t = targets[k]
        f = np.float32(0.0)
        if k + 1 < n_targets:
            tn = targets[k + 1]
            if k == 0:
                for x in range(d):
                    o = w_out[t, x]
                    neu1e[x] = g * o
                    w_out[t, x] = o + g * h[x]
                    f += h[x] * w_out[tn, x]
            else:
                for x in range(d):
                    o = w_out[t, x]
                    neu1e[x] += g * o
                    w_out[t, x] = o + g * h[x]
                    f += h[x] * w_out[tn, x]
        elif k == 0:
            for x in range(d):
                o = w_out[t, x]
                neu1e[x] = g * o
                w_out[t, x] = o + g * h[x]
        else:
            for x in range(d):
                o = w_out[t, x]
                neu1e[x] += g * o
                w_out[t, x] = o + g * h[x]
    return loss


@njit(cache=True, nogil=True, fastmath=True, inline="always")
def sgns_pair_update(
    w_in: np.ndarray,
    w_out: np.ndarray,
    centre: int,
    targets: np.ndarray,
    n_targets: int,
    lr: np.float32,
    neu1e: np.ndarray,
    measure: bool,
) -> float:
    """One SGD step on one (input row, positive) pair; returns the pair's loss when ``measure``.

    ``targets[0]`` is the positive (label 1), ``targets[1:n_targets]`` the negatives (label 0).
    Each output row is updated as soon as it is used, with the input vector as it was before
    the pair; then the input row ``centre`` gets the summed gradient ``neu1e``. For distinct
    targets this equals one SGD step with learning rate ``lr`` on the summed loss
    ``-log σ(u·v) - Σ_k log σ(-u·n_k)``. Skip-gram (centre word -> context word) and PV-DBOW
    (document -> word) train with it.
    """
    loss = _output_rows(w_in[centre], w_out, targets, n_targets, lr, neu1e, measure)
    d = w_in.shape[1]
    for x in range(d):
        w_in[centre, x] += neu1e[x]
    return loss


@njit(cache=True, nogil=True, fastmath=True, inline="always")
def cbow_update(
    w_in: np.ndarray,
    w_out: np.ndarray,
    context: np.ndarray,
    lo: int,
    hi: int,
    skip: int,
    targets: np.ndarray,
    n_targets: int,
    lr: np.float32,
    neu1: np.ndarray,
    neu1e: np.ndarray,
    measure: bool,
) -> float:
    """One CBOW step (gensim's ``cbow_mean=1``); returns the loss when ``measure``.

    The context words are ``context[lo:hi]`` without position ``skip`` (the centre). ``h`` = the
    mean of their input rows; ``targets[0]`` is the centre word (label 1), ``targets[1:n_targets]``
    the negatives (label 0). Each output row ``t`` gets ``g_t * h`` with ``g_t = (label - σ(h·v_t)) *
    lr`` as soon as it is used; then *every* context row gets the whole ``Σ_t g_t v_t`` — not
    divided by the number of context words, as in word2vec.c and gensim (so the input rows move
    ``count`` times the gradient of the loss through the mean). Loss: ``-log σ(h·v_centre) -
    Σ_k log σ(-h·v_k)``.
    """
    d = w_in.shape[1]
    # h: the first context row copied, the others added (no pass to zero it)
    count = 0
    for j in range(lo, hi):
        if j == skip:
            continue
        c = context[j]
        if count == 0:
            for x in range(d):
                neu1[x] = w_in[c, x]
        else:
            for x in range(d):
                neu1[x] += w_in[c, x]
        count += 1
    inv = np.float32(1.0) / np.float32(count)
    for x in range(d):
        neu1[x] *= inv
    loss = _output_rows(neu1, w_out, targets, n_targets, lr, neu1e, measure)
    for j in range(lo, hi):
        if j == skip:
            continue
        c = context[j]
        for x in range(d):
            w_in[c, x] += neu1e[x]
    return loss


# --------------------------------------------------------------------------- the sentence steps


@njit(cache=True, nogil=True, inline="always")
def _negatives(state: np.uint64, targets: np.ndarray, q: int, positive: int, negatives: int, n_rows: np.uint64,
               threshold: np.ndarray, alias: np.ndarray) -> tuple[int, np.uint64]:
    """``targets[q] = [positive, negatives...]``: ``negatives`` draws, skipping one equal to the positive
    (as word2vec does); returns (number of targets, state)."""
    targets[q, 0] = positive
    n_targets = 1
    for _ in range(negatives):
        state = xorshift(state)
        tgt = draw_alias(state, n_rows, threshold, alias)
        if tgt != positive:
            targets[q, n_targets] = tgt
            n_targets += 1
    return n_targets, state


@njit(cache=True, nogil=True, fastmath=True, _nrt=False)
def skipgram_sentence(row: int, sent_buf: np.ndarray, n: int, w_in: np.ndarray, w_out: np.ndarray,
                      threshold: np.ndarray, alias: np.ndarray, window: int, negatives: int, lr: np.float32,
                      state: np.uint64, centres: np.ndarray, targets: np.ndarray, n_target: np.ndarray,
                      neu1: np.ndarray, neu1e: np.ndarray, pairs: int, loss_sum: float,
                      loss_pairs: int) -> tuple[np.uint64, int, float, int]:
    """Skip-gram on the kept words ``sent_buf[:n]`` of one sentence (``row`` and ``neu1`` unused).

    Returns (state, pairs, loss_sum, loss_pairs), the running counts of the job.
    """
    n_rows = np.uint64(w_out.shape[0])
    block = centres.shape[0]
    mask = LOSS_EVERY - 1
    start = 0
    while start < n:
        n_pairs = 0
        i = start
        while i < n and n_pairs + 2 * window <= block:
            state = xorshift(state)
            reduced = below(state, window) + 1
            lo = max(0, i - reduced)
            hi = min(n, i + reduced + 1)
            for j in range(lo, hi):
                if j == i:
                    continue
                centres[n_pairs] = sent_buf[i]
                n_target[n_pairs], state = _negatives(state, targets, n_pairs, sent_buf[j], negatives, n_rows,
                                                      threshold, alias)
                n_pairs += 1
            i += 1
        start = i
        for q in range(n_pairs):
            nq = q + 1
            if nq < n_pairs:
                if centres[nq] != centres[q]:
                    _prefetch_row(w_in, centres[nq])
                for k in range(n_target[nq]):
                    _prefetch_row(w_out, targets[nq, k])
            measure = (pairs & mask) == 0
            loss = sgns_pair_update(w_in, w_out, centres[q], targets[q], n_target[q], lr, neu1e, measure)
            if measure:
                loss_sum += loss
                loss_pairs += 1
            pairs += 1
    return state, pairs, loss_sum, loss_pairs


@njit(cache=True, nogil=True, fastmath=True, _nrt=False)
def cbow_sentence(row: int, sent_buf: np.ndarray, n: int, w_in: np.ndarray, w_out: np.ndarray,
                  threshold: np.ndarray, alias: np.ndarray, window: int, negatives: int, lr: np.float32,
                  state: np.uint64, centres: np.ndarray, targets: np.ndarray, n_target: np.ndarray,
                  neu1: np.ndarray, neu1e: np.ndarray, pairs: int, loss_sum: float,
                  loss_pairs: int) -> tuple[np.uint64, int, float, int]:
    """CBOW on the kept words ``sent_buf[:n]`` of one sentence (``row`` unused; ``centres`` holds the
    reduced windows). A sentence of fewer than two kept words trains nothing. Returns as
    :func:`skipgram_sentence`; ``pairs`` counts centre words."""
    if n < 2:
        return state, pairs, loss_sum, loss_pairs
    n_rows = np.uint64(w_out.shape[0])
    block = centres.shape[0]
    mask = LOSS_EVERY - 1
    start = 0
    while start < n:
        m = min(block, n - start)
        for q in range(m):
            state = xorshift(state)
            centres[q] = below(state, window) + 1
            n_target[q], state = _negatives(state, targets, q, sent_buf[start + q], negatives, n_rows, threshold,
                                            alias)
        for q in range(m):
            if q + 1 < m:
                for k in range(n_target[q + 1]):
                    _prefetch_row(w_out, targets[q + 1, k])
            i = start + q
            if i + window + 1 < n:  # the input row that may enter the next centre's window
                _prefetch_row(w_in, sent_buf[i + window + 1])
            lo = max(0, i - centres[q])
            hi = min(n, i + centres[q] + 1)
            measure = (pairs & mask) == 0
            loss = cbow_update(w_in, w_out, sent_buf, lo, hi, i, targets[q], n_target[q], lr, neu1, neu1e, measure)
            if measure:
                loss_sum += loss
                loss_pairs += 1
            pairs += 1
        start += m
    return state, pairs, loss_sum, loss_pairs


@njit(cache=True, nogil=True, fastmath=True, _nrt=False)
def dbow_sentence(row: int, sent_buf: np.ndarray, n: int, w_in: np.ndarray, w_out: np.ndarray,
                  threshold: np.ndarray, alias: np.ndarray, window: int, negatives: int, lr: np.float32,
                  state: np.uint64, centres: np.ndarray, targets: np.ndarray, n_target: np.ndarray,
                  neu1: np.ndarray, neu1e: np.ndarray, pairs: int, loss_sum: float,
                  loss_pairs: int) -> tuple[np.uint64, int, float, int]:
    """PV-DBOW on one sentence: the document row ``w_in[row]`` predicts each kept word ``sent_buf[:n]``
    against ``negatives`` negatives (``window``, ``centres`` and ``neu1`` unused). Returns as
    :func:`skipgram_sentence`; ``pairs`` counts (document, word) pairs."""
    n_rows = np.uint64(w_out.shape[0])
    block = targets.shape[0]
    mask = LOSS_EVERY - 1
    start = 0
    while start < n:
        m = min(block, n - start)
        for q in range(m):
            n_target[q], state = _negatives(state, targets, q, sent_buf[start + q], negatives, n_rows, threshold,
                                            alias)
        for q in range(m):
            if q + 1 < m:
                for k in range(n_target[q + 1]):
                    _prefetch_row(w_out, targets[q + 1, k])
            measure = (pairs & mask) == 0
            loss = sgns_pair_update(w_in, w_out, row, targets[q], n_target[q], lr, neu1e, measure)
            if measure:
                loss_sum += loss
                loss_pairs += 1
            pairs += 1
        start += m
    return state, pairs, loss_sum, loss_pairs


# --------------------------------------------------------------------------- minibatched (HogBatch) steps


@njit(cache=True, nogil=True, fastmath=True, inline="always")
def _scores_by_three(h: np.ndarray, table: np.ndarray, rows: np.ndarray, n_pad: int, scores: np.ndarray) -> None:
    """``scores[j] = h · table[rows[j]]`` for ``j < n_pad`` (a multiple of 3), three rows a pass over ``h`` (d,)."""
    d = h.shape[0]
    for j in range(0, n_pad, 3):
        a, b, e = rows[j], rows[j + 1], rows[j + 2]
        fa = np.float32(0.0)
        fb = np.float32(0.0)
        fe = np.float32(0.0)
        for x in range(d):
            v = h[x]
            fa += v * table[a, x]
            fb += v * table[b, x]
            fe += v * table[e, x]
        scores[j], scores[j + 1], scores[j + 2] = fa, fb, fe


@njit(cache=True, nogil=True, fastmath=True, inline="always")
def _gradients(gs: np.ndarray, live: np.ndarray, n_pad: int, lr: np.float32, measure: bool) -> float:
    """Scores ``gs[:n_pad]`` (row 0 the positive, the rest negatives) -> their gradients times ``lr``, in place; a
    row not ``live`` (padding, or a negative equal to the positive) gets 0. Returns the loss of the live rows when
    ``measure``."""
    loss = 0.0
    for j in range(n_pad):
        f = gs[j]
        if not live[j]:
            gs[j] = np.float32(0.0)
        elif j == 0:
            gs[j] = (np.float32(1.0) - _sigmoid(f)) * lr
            if measure:
                loss += _neg_log_sigmoid(f)
        else:
            gs[j] = -_sigmoid(f) * lr
            if measure:
                loss += _neg_log_sigmoid(-f)
    return loss


@njit(cache=True, nogil=True, fastmath=True, inline="always")
def _error_by_three(h: np.ndarray, w_out: np.ndarray, rows: np.ndarray, n_pad: int, gs: np.ndarray,
                    live: np.ndarray, lr: np.float32, measure: bool, neu1e: np.ndarray) -> float:
    """One input ``h`` (d,) against the output rows ``w_out[rows[:n_pad]]`` (row 0 the positive; ``n_pad`` a
    multiple of 3, rows not ``live`` get no gradient): their scores, then their gains ``gs[:n_pad]`` (gradient
    times ``lr``), then ``neu1e = Σ_j gs[j] * w_out[rows[j]]``, three rows a pass over ``d``. Returns the loss of
    the live rows when ``measure``."""
    d = h.shape[0]
    _scores_by_three(h, w_out, rows, n_pad, gs)
    loss = _gradients(gs, live, n_pad, lr, measure)
    for j in range(0, n_pad, 3):
        a, b, c = rows[j], rows[j + 1], rows[j + 2]
        ga, gb, gc = gs[j], gs[j + 1], gs[j + 2]
        if j == 0:
            for x in range(d):
                neu1e[x] = ga * w_out[a, x] + gb * w_out[b, x] + gc * w_out[c, x]
        else:
            for x in range(d):
                neu1e[x] += ga * w_out[a, x] + gb * w_out[b, x] + gc * w_out[c, x]
    return loss


@njit(cache=True, nogil=True, fastmath=True, inline="always")
def _add_gains(w_out: np.ndarray, targets: np.ndarray, n_targets: int, inputs: np.ndarray, gains: np.ndarray,
               n4: int) -> None:
    """``w_out[targets[k]] += Σ_q gains[q, k] * inputs[q]`` for ``k < n_targets``, ``q < n4`` (a multiple of 4):
    each output row's gradient summed over a window's inputs, four inputs a pass over ``d``."""
    d = w_out.shape[1]
    for k in range(n_targets):
        t = targets[k]
        for q in range(0, n4, 4):
            g0, g1, g2, g3 = gains[q, k], gains[q + 1, k], gains[q + 2, k], gains[q + 3, k]
            for x in range(d):
                w_out[t, x] += g0 * inputs[q, x] + g1 * inputs[q + 1, x] + g2 * inputs[q + 2, x] + g3 * inputs[q + 3, x]


@njit(cache=True, nogil=True, fastmath=True, inline="always")
def window_batch_update(w_in: np.ndarray, w_out: np.ndarray, inputs: np.ndarray, n_in: int, targets: np.ndarray,
                        n_targets: int, lr: np.float32, before: np.ndarray, gains: np.ndarray, neu1e: np.ndarray,
                        rows: np.ndarray, gs: np.ndarray, live: np.ndarray, measure_every: int,
                        pairs: int) -> tuple[float, int]:
    """One minibatched SGD step (Ji et al.'s HogBatch): ``n_in`` input rows ``w_in[inputs[:n_in]]`` against the
    same ``n_targets`` output rows ``w_out[targets[:n_targets]]`` (``targets[0]`` the positive, the rest shared
    negatives). The output rows are read, not written, while the inputs train: each input row gets its gradient
    against them at once (a row of the (n_in, n_targets) score matrix), and its value before that update is kept
    in ``before`` (>= n_in rounded up to 4, d) with its gains in ``gains`` (same rows, >= n_targets + 2); the
    output rows then get their summed gradients once, at the end (:func:`_add_gains`). Each pass over ``d``
    handles three output rows (their scores, then ``neu1e``; the last group padded with the positive's row and a
    gain of 0). ``rows`` (int64), ``gs`` (float32) and ``live`` (bool) (>= n_targets + 2,) are scratch.
    Returns (summed loss of the measured inputs, how many were measured); input ``q`` is measured when
    ``(pairs + q) % measure_every == 0``.
    """
    d = w_in.shape[1]
    n_pad = ((n_targets + 2) // 3) * 3
    for k in range(n_pad):
        rows[k] = targets[k] if k < n_targets else targets[0]
        live[k] = k < n_targets
    loss = 0.0
    measured = 0
    for q in range(n_in):
        c = inputs[q]
        measure = ((pairs + q) & (measure_every - 1)) == 0
        loss += _error_by_three(w_in[c], w_out, rows, n_pad, gs, live, lr, measure, neu1e)
        for x in range(d):
            v = w_in[c, x]
            before[q, x] = v
            w_in[c, x] = v + neu1e[x]
        for k in range(n_targets):
            gains[q, k] = gs[k]
        if measure:
            measured += 1
    n4 = ((n_in + 3) // 4) * 4
    for q in range(n_in, n4):  # padding inputs: zero rows, zero gains
        for x in range(d):
            before[q, x] = 0.0
        for k in range(n_targets):
            gains[q, k] = 0.0
    _add_gains(w_out, targets, n_targets, before, gains, n4)
    return loss, measured


@njit(cache=True, nogil=True, fastmath=True, _nrt=False)
def skipgram_batched_sentence(sent_buf: np.ndarray, n: int, w_in: np.ndarray, w_out: np.ndarray,
                              threshold: np.ndarray, alias: np.ndarray, window: int, negatives: int, lr: np.float32,
                              state: np.uint64, inputs: np.ndarray, targets: np.ndarray, before: np.ndarray,
                              gains: np.ndarray,
                              neu1e: np.ndarray, rows: np.ndarray, gs: np.ndarray, live: np.ndarray, pairs: int,
                              loss_sum: float, loss_pairs: int) -> tuple[np.uint64, int, float, int]:
    """Skip-gram, minibatched per window (HogBatch; Skip-gram's default kernel): for each kept centre word
    ``i`` with its reduced window ``b ~ U{1..window}``, the context words within ``b`` positions are the inputs
    and ``[centre] + negatives`` the outputs, the ``negatives`` drawn once for the whole window (word2vec.c's
    direction: a context word's input row predicts the centre word's output row). Each (context, centre) pair
    is one pair of the loss, as in the pair kernel; the negatives are shared by the window's pairs. Returns as
    :func:`skipgram_sentence`.

    Each window's size and negatives are drawn one window ahead (the same draws, in the same order), so that the
    next window's output rows and the row entering its context are fetched for writing while this one trains
    (``targets`` (2, >= negatives + 1): this window's targets and the next one's). A sentence of one kept word
    trains nothing (its window is drawn all the same)."""
    if n < 2:
        if n == 1:
            state = xorshift(state)
        return state, pairs, loss_sum, loss_pairs
    n_rows = np.uint64(w_out.shape[0])
    state = xorshift(state)
    reduced = below(state, window) + 1
    n_targets, state = _negatives(state, targets, 0, sent_buf[0], negatives, n_rows, threshold, alias)
    cur = 0
    for i in range(n):
        lo = max(0, i - reduced)
        hi = min(n, i + reduced + 1)
        m = 0
        for j in range(lo, hi):
            if j != i:
                inputs[m] = sent_buf[j]
                m += 1
        nxt = 1 - cur
        reduced_next, n_next = reduced, n_targets
        if i + 1 < n:
            state = xorshift(state)
            reduced_next = below(state, window) + 1
            n_next, state = _negatives(state, targets, nxt, sent_buf[i + 1], negatives, n_rows, threshold, alias)
            for k in range(n_next):
                _prefetch_row(w_out, targets[nxt, k])
            if i + 1 + reduced_next < n:
                _prefetch_row(w_in, sent_buf[i + 1 + reduced_next])
        loss, measured = window_batch_update(w_in, w_out, inputs, m, targets[cur], n_targets, lr, before, gains,
                                             neu1e, rows, gs, live, LOSS_EVERY, pairs)
        loss_sum += loss
        loss_pairs += measured
        pairs += m
        cur, reduced, n_targets = nxt, reduced_next, n_next
    return state, pairs, loss_sum, loss_pairs


@njit(cache=True, nogil=True, inline="always")
def _batch_open(sent_buf: np.ndarray, start: int, m: int, w_out: np.ndarray, threshold: np.ndarray,
                alias: np.ndarray, negatives: int, state: np.uint64, targets: np.ndarray, hidden: np.ndarray,
                gains: np.ndarray) -> tuple[int, np.uint64]:
    """A batch of ``m`` positives ``sent_buf[start:start + m]`` sharing one draw of negatives: ``targets[0]`` gets
    the positives, then the negatives, whose output rows are prefetched. A batch of fewer than
    :data:`CBOW_BATCH` members zeroes the unused rows of ``hidden`` (CBOW_BATCH, d) and ``gains`` (CBOW_BATCH,
    >= negatives + 1), so that :func:`_batch_close` adds exact zeros for them. Returns (how many targets, state)."""
    n_rows = np.uint64(w_out.shape[0])
    k_max = targets.shape[1]
    for q in range(m):
        targets[0, q] = sent_buf[start + q]
        _prefetch_row(w_out, sent_buf[start + q])
    n_targets = m
    for _ in range(negatives):
        state = xorshift(state)
        if n_targets < k_max:
            t = draw_alias(state, n_rows, threshold, alias)
            targets[0, n_targets] = t
            _prefetch_row(w_out, t)
            n_targets += 1
    for q in range(m, CBOW_BATCH):
        for x in range(hidden.shape[1]):
            hidden[q, x] = 0.0
        for j in range(gains.shape[1]):
            gains[q, j] = 0.0
    return n_targets, state


@njit(cache=True, nogil=True, fastmath=True, inline="always")
def _batch_close(w_out: np.ndarray, targets: np.ndarray, m: int, n_targets: int, hidden: np.ndarray,
                 gains: np.ndarray) -> None:
    """Add the batch's output gradients to the output rows, once per batch: member ``q``'s positive gets
    ``gains[q, 0] * hidden[q]``, the ``k``-th shared negative ``Σ_q gains[q, 1 + k] * hidden[q]`` -- summed over the
    :data:`CBOW_BATCH` members in one pass over ``d`` (the unused members' rows are zero)."""
    d = w_out.shape[1]
    for q in range(m):
        t = targets[0, q]
        g = gains[q, 0]
        for x in range(d):
            w_out[t, x] += g * hidden[q, x]
    for k in range(m, n_targets):
        t = targets[0, k]
        j = 1 + k - m
        g0, g1, g2, g3 = gains[0, j], gains[1, j], gains[2, j], gains[3, j]
        g4, g5, g6, g7 = gains[4, j], gains[5, j], gains[6, j], gains[7, j]
        for x in range(d):
            acc = g0 * hidden[0, x]
            acc += g1 * hidden[1, x]
            acc += g2 * hidden[2, x]
            acc += g3 * hidden[3, x]
            acc += g4 * hidden[4, x]
            acc += g5 * hidden[5, x]
            acc += g6 * hidden[6, x]
            acc += g7 * hidden[7, x]
            w_out[t, x] += acc


@njit(cache=True, nogil=True, fastmath=True, inline="always")
def _batch_member(hidden: np.ndarray, q: int, m: int, n_targets: int, targets: np.ndarray, w_out: np.ndarray,
                  gains: np.ndarray, neu1e: np.ndarray, rows: np.ndarray, gs: np.ndarray, live: np.ndarray,
                  lr: np.float32, measure: bool) -> float:
    """Batch member ``q``'s step: ``h = hidden[q]`` (d,) against its positive (``w_out[targets[0, q]]``) and the
    batch's shared negatives (``targets[0, m:n_targets]``; a negative equal to its positive gets no gradient, as
    word2vec skips it). Sets ``neu1e = Σ g_t v_t`` and ``gains[q, :n_t]`` (the positive's gain, then the negatives',
    for :func:`_batch_close`); returns the loss when ``measure``. Three output rows a pass over ``d`` (scores, then
    ``neu1e``), the last group padded with the positive's row and a gain of 0. The output rows are read as they were
    when the batch opened (they change at its close)."""
    positive = targets[0, q]
    n_t = 1 + n_targets - m
    n_pad = ((n_t + 2) // 3) * 3
    for j in range(n_pad):
        rows[j] = positive if (j == 0 or j >= n_t) else targets[0, m + j - 1]
        live[j] = j == 0 or (j < n_t and rows[j] != positive)
    loss = _error_by_three(hidden[q], w_out, rows, n_pad, gs, live, lr, measure, neu1e)
    for j in range(n_t):
        gains[q, j] = gs[j]
    return loss


@njit(cache=True, nogil=True, fastmath=True, _nrt=False)
def cbow_batched_sentence(sent_buf: np.ndarray, n: int, w_in: np.ndarray, w_out: np.ndarray,
                          threshold: np.ndarray, alias: np.ndarray, window: int, negatives: int, lr: np.float32,
                          state: np.uint64, hidden: np.ndarray, targets: np.ndarray, gains: np.ndarray,
                          neu1e: np.ndarray, ctx: np.ndarray, rows: np.ndarray, gs: np.ndarray,
                          live: np.ndarray, pairs: int, loss_sum: float, loss_pairs: int) -> tuple[np.uint64, int, float, int]:
    """CBOW (``cbow_mean=1``) with negatives shared by :data:`CBOW_BATCH` consecutive centre words (CBOW's
    default kernel): each centre's context mean ``h`` predicts the centre word against its own
    positive and the batch's shared negatives; the output rows are updated once per batch, and every context
    row receives its centre's whole error (word2vec.c's convention, as :func:`cbow_update`). Returns as
    :func:`skipgram_sentence`; ``pairs`` counts centre words.

    The members' means stay in ``hidden`` (CBOW_BATCH, d) and their gains in ``gains`` (CBOW_BATCH, >= negatives +
    1) until the batch closes, when each output row gets its summed gradient in one pass (:func:`_batch_close`);
    each pass over ``d`` handles several rows (two context rows; three output rows, :func:`_batch_member`).
    ``ctx`` (>= 2 * window,), ``rows`` (int64), ``gs`` (float32) and ``live`` (bool) (>= negatives + 3,) are
    scratch."""
    if n < 2:
        return state, pairs, loss_sum, loss_pairs
    d = w_in.shape[1]
    mask = LOSS_EVERY - 1
    start = 0
    while start < n:
        m = min(CBOW_BATCH, n - start)
        n_targets, state = _batch_open(sent_buf, start, m, w_out, threshold, alias, negatives, state, targets,
                                       hidden, gains)
        for q in range(m):
            i = start + q
            if i + window + 1 < n:  # the input row that may enter a later centre's window
                _prefetch_row(w_in, sent_buf[i + window + 1])
            state = xorshift(state)
            reduced = below(state, window) + 1
            lo = max(0, i - reduced)
            hi = min(n, i + reduced + 1)
            count = 0
            for j in range(lo, hi):
                if j != i:
                    ctx[count] = sent_buf[j]
                    count += 1
            # the context rows' mean, two rows a pass (count >= 1: the window holds another word)
            inv = np.float32(1.0) / np.float32(count)
            c = ctx[0]
            if count == 1:
                for x in range(d):
                    hidden[q, x] = w_in[c, x] * inv
            else:
                c1 = ctx[1]
                for x in range(d):
                    hidden[q, x] = w_in[c, x] + w_in[c1, x]
                for p in range(2, count - 1, 2):
                    c = ctx[p]
                    c1 = ctx[p + 1]
                    for x in range(d):
                        hidden[q, x] += w_in[c, x] + w_in[c1, x]
                if count & 1:
                    c = ctx[count - 1]
                    for x in range(d):
                        hidden[q, x] = (hidden[q, x] + w_in[c, x]) * inv
                else:
                    for x in range(d):
                        hidden[q, x] *= inv
            measure = (pairs & mask) == 0
            loss = _batch_member(hidden, q, m, n_targets, targets, w_out, gains, neu1e, rows, gs, live, lr, measure)
            for p in range(0, count - 1, 2):  # every context row receives the whole error, two rows a pass
                c = ctx[p]
                c1 = ctx[p + 1]
                for x in range(d):
                    e = neu1e[x]
                    w_in[c, x] += e
                    w_in[c1, x] += e
            if count & 1:
                c = ctx[count - 1]
                for x in range(d):
                    w_in[c, x] += neu1e[x]
            if measure:
                loss_sum += loss
                loss_pairs += 1
            pairs += 1
        _batch_close(w_out, targets, m, n_targets, hidden, gains)
        start += m
    return state, pairs, loss_sum, loss_pairs


# --------------------------------------------------------------------------- the job


@njit(cache=True, nogil=True, inline="always")
def _subsample(ids: np.ndarray, a: int, b: int, keep: np.ndarray, state: np.uint64,
               sent_buf: np.ndarray) -> tuple[int, np.uint64]:
    """Copy the kept tokens of ``ids[a:b]`` into ``sent_buf``; returns (how many, state)."""
    n = np.int64(0)  # (not a literal 0: see run_job)
    for t in range(a, b):
        w = ids[t]
        state = xorshift(state)
        if upper32(state) < keep[w]:
            sent_buf[n] = w
            n += 1
    return n, state


@njit(cache=True, nogil=True, fastmath=True)
def train_job(
    arch: int,
    ids: np.ndarray,
    offsets: np.ndarray,
    rows: np.ndarray,
    s_begin: int,
    s_end: int,
    w_in: np.ndarray,
    w_out: np.ndarray,
    keep: np.ndarray,
    alias_threshold: np.ndarray,
    alias: np.ndarray,
    window: int,
    negatives: int,
    lr_begin: float,
    lr_end: float,
    seed_state_: np.uint64,
    sent_buf: np.ndarray,
    neu1e: np.ndarray,
    stats: np.ndarray,
) -> None:
    """Train architecture ``arch`` on sentences ``s_begin..s_end-1``; updates the weights in place.

    ids:        int32 (N,) token ids in 0..V-1.
    offsets:    int64 (S+1,) sentence starts; no sentence may be longer than ``sent_buf``.
    rows:       int64 (S,) the input row of each sentence (``ARCH_DBOW``); :data:`NO_ROWS` otherwise.
    w_in/w_out: float32 (R, d) and (V, d) input and output tables (shared with other threads).
    keep:       uint64 (V,) subsampling thresholds on a 32-bit random number (see tables.keep_thresholds).
    alias_threshold, alias: the negative-sampling alias table over the V output rows (see tables.build_alias).
    sent_buf:   int32 scratch, at least the longest sentence; neu1e: float32 (d,) scratch.
    stats:      float64 (N_STATS,) counters, added to (see the STAT_* slots).
    """
    n_ints, n_floats, n_flags = _scratch_sizes(arch, window, negatives, w_in.shape[1])
    run_job(arch, ids, offsets, rows, s_begin, s_end, w_in, w_out, keep, alias_threshold, alias, window, negatives,
            lr_begin, lr_end, seed_state_, sent_buf, neu1e, stats, np.empty(n_ints, np.int64),
            np.empty(n_floats, np.float32), np.empty(n_flags, np.bool_))


_scratch_sizes = njit(cache=True, nogil=True)(scratch_sizes)


@njit(cache=True, nogil=True, inline="always")
def _carve(ints: np.ndarray, floats: np.ndarray, flags: np.ndarray, arch: int, window: int, negatives: int,
           dim: int):  # type: ignore[no-untyped-def]
    """The job's scratch arrays cut from its three flat scratch arrays (laid out as
    :func:`explorer.training.sgns.abi.scratch_sizes` counts them)."""
    block = max(BLOCK_PAIRS, 2 * window)
    batched = arch == ARCH_SKIPGRAM_BATCHED or arch == ARCH_CBOW_BATCHED
    n_out = ((CBOW_BATCH if arch == ARCH_CBOW_BATCHED else 1) + negatives) if batched else 1
    n_before = ((2 * window + 3) // 4) * 4 if arch == ARCH_SKIPGRAM_BATCHED else 1
    cbow_rows = CBOW_BATCH if arch == ARCH_CBOW_BATCHED else 1
    k = negatives + 1
    centres = view(ints, 0, (block,))
    targets = view(ints, block, (block, k))
    i = block + block * k
    n_target = view(ints, i, (block,))
    group_rows = view(ints, i + block, (negatives + 3,))
    i += block + negatives + 3
    row_targets = view(ints, i, (2, n_out))  # (Skip-gram: this window's targets and the next one's)
    neu1 = view(floats, 0, (dim,))
    window_before = view(floats, dim, (n_before, dim))
    j = dim + n_before * dim
    window_gains = view(floats, j, (n_before, negatives + 3))
    j += n_before * (negatives + 3)
    batch_hidden = view(floats, j, (cbow_rows, dim))
    j += cbow_rows * dim
    batch_gains = view(floats, j, (cbow_rows, k))
    j += cbow_rows * k
    group_g = view(floats, j, (negatives + 3,))
    group_live = view(flags, 0, (negatives + 3,))
    return (centres, targets, n_target, group_rows, row_targets, neu1, window_before, window_gains, batch_hidden,
            batch_gains, group_g, group_live)


def job_loop(step):  # type: ignore[no-untyped-def]
    """The job's sentence loop (subsampling, the learning rate, statistics) around ``step``, one of :data:`STEPS`
    (one architecture: numba compiles only its kernel, as the per-architecture machine code of
    :mod:`explorer.training.sgns.entries` wants) or :func:`_any_step` (every architecture: :func:`run_job`).

    Not cached on its own: the loop's closure holds a dispatcher, which numba's cache index cannot key from one
    process to the next. :func:`train_job`, which calls :func:`run_job`, is cached with it; the entries are built
    once into their object files."""

    def run_job(arch: int, ids: np.ndarray, offsets: np.ndarray, rows: np.ndarray, s_begin: int, s_end: int,
                w_in: np.ndarray, w_out: np.ndarray, keep: np.ndarray, alias_threshold: np.ndarray, alias: np.ndarray,
                window: int, negatives: int, lr_begin: float, lr_end: float, seed_state_: np.uint64,
                sent_buf: np.ndarray, neu1e: np.ndarray, stats: np.ndarray, ints: np.ndarray, floats: np.ndarray,
                flags: np.ndarray) -> None:
        """:func:`train_job` on scratch given by the caller: ``ints`` int64, ``floats`` float32 and ``flags`` bool, at
        least as long as :func:`explorer.training.sgns.abi.scratch_sizes` says (the compiled entry point of the job's
        machine code, :mod:`explorer.training.sgns.entries`, checks that). Allocates nothing."""
        state = seed_state_
        total = offsets[s_end] - offsets[s_begin]
        if total <= 0:
            return
        scratch = _carve(ints, floats, flags, arch, window, negatives, w_in.shape[1])
        scratch[8][:, :] = 0.0  # batch_hidden
        scratch[9][:, :] = 0.0  # batch_gains
        done = 0
        kept = 0
        # (typed int64 from the start: a literal 0 made numba compile every *_sentence twice, for Literal[int](0) and for
        # int64, which doubled a cold compile)
        pairs = np.int64(0)
        loss_sum = 0.0
        loss_pairs = np.int64(0)
        lr_step = (lr_end - lr_begin) / total
        for s in range(s_begin, s_end):
            a = offsets[s]
            b = offsets[s + 1]
            lr = np.float32(lr_begin + lr_step * done)
            done += b - a
            n, state = _subsample(ids, a, b, keep, state, sent_buf)
            kept += n
            state, pairs, loss_sum, loss_pairs = step(arch, rows, s, sent_buf, n, w_in, w_out, alias_threshold, alias,
                                                      window, negatives, lr, state, scratch, neu1e, pairs, loss_sum,
                                                      loss_pairs)
        stats[STAT_RAW_WORDS] += total
        stats[STAT_WORDS] += kept
        stats[STAT_PAIRS] += pairs
        stats[STAT_LOSS_SUM] += loss_sum
        stats[STAT_LOSS_PAIRS] += loss_pairs

    return njit(nogil=True, fastmath=True, _nrt=False)(run_job)


# One step per architecture, all with the same arguments (``scratch``: :func:`_carve`'s arrays).


def _pair_step(sentence, by_document: bool):  # type: ignore[no-untyped-def]
    """The step of one of word2vec's pair kernels: ``sentence`` is :func:`skipgram_sentence` or
    :func:`cbow_sentence` (their ``row`` unused) or, ``by_document``, :func:`dbow_sentence` (the sentence's
    document row)."""

    def step(arch, rows, s, sent_buf, n, w_in, w_out, threshold, alias, window, negatives, lr, state, scratch, neu1e,
             pairs, loss_sum, loss_pairs):  # type: ignore[no-untyped-def]
        centres, targets, n_target, _, _, neu1, _, _, _, _, _, _ = scratch
        return sentence(rows[s] if by_document else np.int64(0), sent_buf, n, w_in, w_out, threshold, alias, window,
                        negatives, lr, state, centres, targets, n_target, neu1, neu1e, pairs, loss_sum, loss_pairs)

    return njit(nogil=True, inline="always")(step)  # (inlined where it is called: nothing of its own to cache)


_skipgram_step = _pair_step(skipgram_sentence, by_document=False)
_cbow_step = _pair_step(cbow_sentence, by_document=False)
_dbow_step = _pair_step(dbow_sentence, by_document=True)


@njit(cache=True, nogil=True, inline="always")
def _skipgram_batched_step(arch, rows, s, sent_buf, n, w_in, w_out, threshold, alias, window, negatives, lr, state,
                           scratch, neu1e, pairs, loss_sum, loss_pairs):  # type: ignore[no-untyped-def]
    centres, _, _, group_rows, row_targets, _, window_before, window_gains, _, _, group_g, group_live = scratch
    return skipgram_batched_sentence(sent_buf, n, w_in, w_out, threshold, alias, window, negatives, lr, state, centres,
                                     row_targets, window_before, window_gains, neu1e, group_rows, group_g, group_live,
                                     pairs, loss_sum, loss_pairs)


@njit(cache=True, nogil=True, inline="always")
def _cbow_batched_step(arch, rows, s, sent_buf, n, w_in, w_out, threshold, alias, window, negatives, lr, state,
                       scratch, neu1e, pairs, loss_sum, loss_pairs):  # type: ignore[no-untyped-def]
    centres, _, _, group_rows, row_targets, _, _, _, batch_hidden, batch_gains, group_g, group_live = scratch
    return cbow_batched_sentence(sent_buf, n, w_in, w_out, threshold, alias, window, negatives, lr, state,
                                 batch_hidden, row_targets, batch_gains, neu1e, centres, group_rows, group_g,
                                 group_live, pairs, loss_sum, loss_pairs)


#: the step of each architecture
STEPS = {ARCH_SKIPGRAM: _skipgram_step, ARCH_CBOW: _cbow_step, ARCH_DBOW: _dbow_step,
         ARCH_SKIPGRAM_BATCHED: _skipgram_batched_step, ARCH_CBOW_BATCHED: _cbow_batched_step}


@njit(cache=True, nogil=True, inline="always")
def _any_step(arch, rows, s, sent_buf, n, w_in, w_out, threshold, alias, window, negatives, lr, state, scratch,
              neu1e, pairs, loss_sum, loss_pairs):  # type: ignore[no-untyped-def]
    """The step of architecture ``arch``, chosen per sentence."""
    if arch == ARCH_SKIPGRAM:
        return _skipgram_step(arch, rows, s, sent_buf, n, w_in, w_out, threshold, alias, window, negatives, lr, state,
                              scratch, neu1e, pairs, loss_sum, loss_pairs)
    if arch == ARCH_CBOW:
        return _cbow_step(arch, rows, s, sent_buf, n, w_in, w_out, threshold, alias, window, negatives, lr, state,
                          scratch, neu1e, pairs, loss_sum, loss_pairs)
    if arch == ARCH_SKIPGRAM_BATCHED:
        return _skipgram_batched_step(arch, rows, s, sent_buf, n, w_in, w_out, threshold, alias, window, negatives,
                                      lr, state, scratch, neu1e, pairs, loss_sum, loss_pairs)
    if arch == ARCH_CBOW_BATCHED:
        return _cbow_batched_step(arch, rows, s, sent_buf, n, w_in, w_out, threshold, alias, window, negatives, lr,
                                  state, scratch, neu1e, pairs, loss_sum, loss_pairs)
    return _dbow_step(arch, rows, s, sent_buf, n, w_in, w_out, threshold, alias, window, negatives, lr, state, scratch,
                      neu1e, pairs, loss_sum, loss_pairs)


#: the job on every architecture (numba's path: :func:`train_job`)
run_job = job_loop(_any_step)


def compile_job(arch: int, ids: np.ndarray, offsets: np.ndarray, rows: np.ndarray, w_in: np.ndarray,
                w_out: np.ndarray, keep: np.ndarray, threshold: np.ndarray, alias: np.ndarray, longest: int) -> None:
    """Compile (or load from numba's on-disk cache) :func:`train_job` for these arrays' types by running an empty
    job (no sentence: nothing changes). The one place a kernel is loaded ahead of training:
    :func:`explorer.training.sgns.pool.compile_kernel` (each training, timed) and :func:`warmup` (a worker at start)
    call it."""
    train_job(arch, ids, offsets, rows, 0, 0, w_in, w_out, keep, threshold, alias, 1, 1, 0.025, 0.025,
              np.uint64(seed_state(0, 0)), np.empty(max(1, longest), np.int32),
              np.zeros(w_in.shape[1], np.float32), np.zeros(N_STATS, np.float64))


def warmup() -> None:
    """Load the job on an empty job, with the argument types the trainers use, so that the first training job of a
    worker does not hold the interpreter lock for seconds while it compiles (its heartbeat thread must keep
    running)."""
    w = np.zeros((2, 4), np.float32)
    alias_threshold, alias = build_alias(np.full(2, 0.5))
    compile_job(ARCH_SKIPGRAM, np.zeros(1, np.int32), np.zeros(2, np.int64), NO_ROWS, w, w.copy(), keep_all(2),
                alias_threshold, alias, 1)
