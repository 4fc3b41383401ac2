"""The compiled Skip-gram negative-sampling (SGNS) inner loop, word2vec style (numba).

This is word2vec's own algorithm (Mikolov et al.'s C code, gensim's ``word2vec_inner.pyx``), written
with numba so that it runs at C speed without a C compiler:

- for each sentence of a job: subsample frequent words (keep word ``w`` with probability
  ``keep[w]``), then for each kept centre word draw a reduced window ``b ~ U{1..window}``;
- for each context word within ``b`` positions (never across a sentence boundary): one plain SGD
  step on ``-log σ(u·v) - Σ_k log σ(-u·n_k)`` with ``u = W_in[centre]``, ``v = W_out[context]`` and
  ``k = 1..K`` negatives drawn from the unigram^0.75 distribution (alias table, O(1) per draw);
  output rows are updated in place as they are used, the centre's input row once per pair;
- the learning rate falls linearly inside a job from ``lr_begin`` to ``lr_end`` (the caller spreads
  ``lr -> lr * 1e-4`` over all words of all epochs).

Jobs run in Python threads (the kernel releases the GIL) over the *same* weight arrays without
locks ("Hogwild", as word2vec and gensim do). With one thread a given seed gives bit-identical
vectors; with several threads the interleaving of updates varies run to run, so results are not
bit-reproducible (also true of gensim).

Speed: the kernel is bound by memory latency (each pair touches 1 + K random rows of the output
table), so it draws the pairs and negatives of a block of centre words first (they do not depend
on the weights) and, while it trains one pair, asks the CPU to prefetch the rows of the next one
(about 1.4x faster on a 34,000-word vocabulary; the results are unchanged).

CBOW (:func:`train_cbow_job`, gensim's ``cbow_mean=1``) shares the sampling, the alias table, the
learning-rate schedule and the prefetching: per centre word, the mean ``h`` of the input rows of
its context words predicts the centre word against the same negatives, and every context row
receives the whole error of ``h`` (word2vec.c's and gensim's convention).

The random numbers come from xorshift64* seeded per job, so the draws do not depend on which
thread runs a job. The training loss (mean negative log-likelihood per positive pair, summed over
the positive and its negatives) is measured on every 16th pair to keep it cheap.
"""

from __future__ import annotations

import numpy as np
from llvmlite import ir
from numba import njit, types
from numba.core import cgutils
from numba.extending import intrinsic

#: the kernel measures the loss on one pair in LOSS_EVERY (a power of two)
LOSS_EVERY = 16
_MAX_F = np.float32(20.0)  # |u·v| is clamped here before exp(), so float32 never overflows
#: σ is read from a table over [-SIGMOID_MAX, SIGMOID_MAX] (word2vec uses 1000 entries over ±6)
SIGMOID_MAX = np.float32(8.0)
_SIG_SIZE = 2048
SIGMOID_TABLE = (1.0 / (1.0 + np.exp(-np.linspace(-8.0, 8.0, _SIG_SIZE + 1)))).astype(np.float32)
_SIG_SCALE = np.float32(_SIG_SIZE / 16.0)
_XS_MULT = np.uint64(2685821657736338717)
_U32 = np.uint64(0xFFFFFFFF)
_S12 = np.uint64(12)
_S25 = np.uint64(25)
_S27 = np.uint64(27)
_S32 = np.uint64(32)

#: pairs whose targets are drawn ahead of training them, so their rows can be prefetched
BLOCK_PAIRS = 512

# stats slots written by :func:`train_job`
STAT_RAW_WORDS = 0  # corpus words read (before subsampling)
STAT_WORDS = 1  # words kept after subsampling
STAT_PAIRS = 2  # (centre, context) pairs trained
STAT_LOSS_SUM = 3  # summed loss over the measured pairs
STAT_LOSS_PAIRS = 4  # number of measured pairs
N_STATS = 5


@njit(cache=True, nogil=True, inline="always")
def _xorshift(state: np.uint64) -> np.uint64:
    state ^= state >> _S12
    state ^= state << _S25
    state ^= state >> _S27
    return state


@intrinsic
def _prefetch(typingctx, arr, row, col):  # type: ignore[no-untyped-def]
    """Hint the CPU to fetch ``arr[row, col]`` into cache (LLVM's prefetch; no effect on results)."""
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
        # read access, high temporal locality, data cache
        builder.call(fn, [builder.bitcast(ptr, i8p), ir.Constant(i32, 0), ir.Constant(i32, 3), ir.Constant(i32, 1)])
        return context.get_dummy_value()

    return sig, codegen


@njit(cache=True, nogil=True, inline="always")
def _prefetch_row(arr: np.ndarray, row: int) -> None:
    for x in range(0, arr.shape[1], 16):  # one cache line holds 16 float32
        _prefetch(arr, row, x)


@njit(cache=True, nogil=True)
def seed_state(seed: int, stream: int) -> np.uint64:
    """A non-zero xorshift state from a seed and a stream number (splitmix64 of both)."""
    z = np.uint64(seed) * np.uint64(0x9E3779B97F4A7C15) + np.uint64(stream) * np.uint64(0xBF58476D1CE4E5B9)
    z = z + np.uint64(0x632BE59BD9B4E019)
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    z = z ^ (z >> np.uint64(31))
    if z == np.uint64(0):
        z = np.uint64(0x2545F4914F6CDD1D)
    return z


@njit(cache=True, nogil=True)
def build_alias(probs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Walker/Vose alias table for ``probs`` (V,): (threshold uint64 (V,), alias int32 (V,)).

    Draw: ``i`` uniform in 0..V-1 and ``r`` uniform 32-bit; take ``i`` if ``r < threshold[i]``,
    else ``alias[i]``. Thresholds are scaled to 2**32 (a column that always keeps ``i`` has 2**32).
    """
    n = probs.shape[0]
    scaled = probs.astype(np.float64) * n / probs.sum()
    alias = np.arange(n).astype(np.int32)
    small = np.empty(n, np.int64)
    large = np.empty(n, np.int64)
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
    threshold = np.empty(n, np.uint64)
    for i in range(n):
        threshold[i] = np.uint64(min(scaled[i], 1.0) * 4294967296.0)
    return threshold, alias


def keep_thresholds(keep_prob: np.ndarray) -> np.ndarray:
    """Subsampling keep probabilities (V,) as uint64 thresholds on a 32-bit random number."""
    p = np.clip(np.asarray(keep_prob, dtype=np.float64), 0.0, 1.0)
    return np.floor(p * 4294967296.0).astype(np.uint64)


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
    """One SGD step on one (centre, context) pair; returns the pair's loss when ``measure``.

    ``targets[0]`` is the context (label 1), ``targets[1:n_targets]`` the negatives (label 0).
    Each output row is updated as soon as it is used, with the centre vector as it was before
    the pair; then the centre's input row gets the summed gradient ``neu1e``. For distinct
    targets this equals one SGD step with learning rate ``lr`` on the summed loss
    ``-log σ(u·v) - Σ_k log σ(-u·n_k)``. :func:`train_job` calls this for every pair.
    """
    d = w_in.shape[1]
    for x in range(d):
        neu1e[x] = 0.0
    loss = 0.0
    for k in range(n_targets):
        t = targets[k]
        f = np.float32(0.0)
        for x in range(d):
            f += w_in[centre, x] * w_out[t, x]
        if k == 0:
            g = (np.float32(1.0) - _sigmoid(f)) * lr
            if measure:
                loss += _neg_log_sigmoid(f)
        else:
            g = -_sigmoid(f) * lr
            if measure:
                loss += _neg_log_sigmoid(-f)
        for x in range(d):
            o = w_out[t, x]
            neu1e[x] += g * o
            w_out[t, x] = o + g * w_in[centre, x]
    for x in range(d):
        w_in[centre, x] += neu1e[x]
    return loss


@njit(cache=True, nogil=True, fastmath=True)
def train_job(
    ids: np.ndarray,
    offsets: np.ndarray,
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
    """Train on sentences ``s_begin..s_end-1`` (rows of ``offsets``); updates the weights in place.

    ids:        int32 (N,) token ids in 0..V-1.
    offsets:    int64 (S+1,) sentence starts; no sentence may be longer than ``sent_buf``.
    w_in/w_out: float32 (V, d) input and output embeddings (shared with other threads).
    keep:       uint64 (V,) subsampling thresholds on a 32-bit random number (see keep_thresholds).
    alias_threshold, alias: the negative-sampling alias table (see build_alias).
    sent_buf:   int32 scratch, at least the longest sentence; neu1e: float32 (d,) scratch.
    stats:      float64 (N_STATS,) counters, added to (see the STAT_* slots).
    """
    n_vocab = np.uint64(w_in.shape[0])
    win = np.uint64(window)
    state = seed_state_
    total = offsets[s_end] - offsets[s_begin]
    if total <= 0:
        return
    block = max(BLOCK_PAIRS, 2 * window)
    centres = np.empty(block, np.int64)
    targets = np.empty((block, negatives + 1), np.int64)
    n_target = np.empty(block, np.int64)
    done = 0
    kept = 0
    pairs = 0
    loss_sum = 0.0
    loss_pairs = 0
    mask = LOSS_EVERY - 1
    lr_step = (lr_end - lr_begin) / total
    for s in range(s_begin, s_end):
        a = offsets[s]
        b = offsets[s + 1]
        lr = np.float32(lr_begin + lr_step * done)
        done += b - a
        n = 0
        for t in range(a, b):
            w = ids[t]
            state = _xorshift(state)
            if (state * _XS_MULT) >> _S32 < keep[w]:
                sent_buf[n] = w
                n += 1
        kept += n
        start = 0
        while start < n:
            # draw the pairs and negatives of a block of centres first (they do not depend on the
            # weights), then train them while prefetching the rows of the next pair
            n_pairs = 0
            i = start
            while i < n and n_pairs + 2 * window <= block:
                state = _xorshift(state)
                reduced = np.int64(((state * _XS_MULT) >> _S32) * win >> _S32) + 1
                lo = max(0, i - reduced)
                hi = min(n, i + reduced + 1)
                for j in range(lo, hi):
                    if j == i:
                        continue
                    ctx = sent_buf[j]
                    centres[n_pairs] = sent_buf[i]
                    targets[n_pairs, 0] = ctx
                    n_targets = 1
                    for _ in range(negatives):
                        state = _xorshift(state)
                        r = state * _XS_MULT
                        col = ((r >> _S32) * n_vocab) >> _S32
                        tgt = np.int64(col) if (r & _U32) < alias_threshold[col] else np.int64(alias[col])
                        if tgt != ctx:  # word2vec skips a negative equal to the context
                            targets[n_pairs, n_targets] = tgt
                            n_targets += 1
                    n_target[n_pairs] = n_targets
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
    stats[STAT_RAW_WORDS] += total
    stats[STAT_WORDS] += kept
    stats[STAT_PAIRS] += pairs
    stats[STAT_LOSS_SUM] += loss_sum
    stats[STAT_LOSS_PAIRS] += loss_pairs


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
    for x in range(d):
        neu1[x] = 0.0
        neu1e[x] = 0.0
    count = 0
    for j in range(lo, hi):
        if j == skip:
            continue
        c = context[j]
        for x in range(d):
            neu1[x] += w_in[c, x]
        count += 1
    inv = np.float32(1.0) / np.float32(count)
    for x in range(d):
        neu1[x] *= inv
    loss = 0.0
    for k in range(n_targets):
        t = targets[k]
        f = np.float32(0.0)
        for x in range(d):
            f += neu1[x] * w_out[t, x]
        if k == 0:
            g = (np.float32(1.0) - _sigmoid(f)) * lr
            if measure:
                loss += _neg_log_sigmoid(f)
        else:
            g = -_sigmoid(f) * lr
            if measure:
                loss += _neg_log_sigmoid(-f)
        for x in range(d):
            o = w_out[t, x]
            neu1e[x] += g * o
            w_out[t, x] = o + g * neu1[x]
    for j in range(lo, hi):
        if j == skip:
            continue
        c = context[j]
        for x in range(d):
            w_in[c, x] += neu1e[x]
    return loss


@njit(cache=True, nogil=True, fastmath=True)
def train_cbow_job(
    ids: np.ndarray,
    offsets: np.ndarray,
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
    """CBOW on sentences ``s_begin..s_end-1``: the same arguments and stats as :func:`train_job`.

    Per kept centre word: a reduced window ``b ~ U{1..window}``, the mean of the input rows of the
    words within ``b`` positions (inside the sentence), and one negative-sampling step predicting
    the centre word from that mean (:func:`cbow_update`). ``STAT_PAIRS`` counts centre words
    trained (a centre with no context word is skipped). Windows and negatives of a block of
    centres are drawn first, and the output rows of the next centre are prefetched while one
    trains, as in :func:`train_job`.
    """
    n_vocab = np.uint64(w_in.shape[0])
    win = np.uint64(window)
    state = seed_state_
    total = offsets[s_end] - offsets[s_begin]
    if total <= 0:
        return
    block = BLOCK_PAIRS
    reduced = np.empty(block, np.int64)
    targets = np.empty((block, negatives + 1), np.int64)
    n_target = np.empty(block, np.int64)
    neu1 = np.empty(w_in.shape[1], np.float32)
    done = 0
    kept = 0
    pairs = 0
    loss_sum = 0.0
    loss_pairs = 0
    mask = LOSS_EVERY - 1
    lr_step = (lr_end - lr_begin) / total
    for s in range(s_begin, s_end):
        a = offsets[s]
        b = offsets[s + 1]
        lr = np.float32(lr_begin + lr_step * done)
        done += b - a
        n = 0
        for t in range(a, b):
            w = ids[t]
            state = _xorshift(state)
            if (state * _XS_MULT) >> _S32 < keep[w]:
                sent_buf[n] = w
                n += 1
        kept += n
        if n < 2:
            continue
        start = 0
        while start < n:
            m = min(block, n - start)
            for q in range(m):
                state = _xorshift(state)
                reduced[q] = np.int64(((state * _XS_MULT) >> _S32) * win >> _S32) + 1
                centre = sent_buf[start + q]
                targets[q, 0] = centre
                n_targets = 1
                for _ in range(negatives):
                    state = _xorshift(state)
                    r = state * _XS_MULT
                    col = ((r >> _S32) * n_vocab) >> _S32
                    tgt = np.int64(col) if (r & _U32) < alias_threshold[col] else np.int64(alias[col])
                    if tgt != centre:  # word2vec skips a negative equal to the word predicted
                        targets[q, n_targets] = tgt
                        n_targets += 1
                n_target[q] = n_targets
            for q in range(m):
                if q + 1 < m:
                    for k in range(n_target[q + 1]):
                        _prefetch_row(w_out, targets[q + 1, k])
                i = start + q
                lo = max(0, i - reduced[q])
                hi = min(n, i + reduced[q] + 1)
                measure = (pairs & mask) == 0
                loss = cbow_update(w_in, w_out, sent_buf, lo, hi, i, targets[q], n_target[q], lr, neu1, neu1e,
                                   measure)
                if measure:
                    loss_sum += loss
                    loss_pairs += 1
                pairs += 1
            start += m
    stats[STAT_RAW_WORDS] += total
    stats[STAT_WORDS] += kept
    stats[STAT_PAIRS] += pairs
    stats[STAT_LOSS_SUM] += loss_sum
    stats[STAT_LOSS_PAIRS] += loss_pairs


def warmup() -> None:
    """Compile (or load from numba's on-disk cache) both kernels on an empty job, with the argument types
    the trainers use, so that the first training job of a worker does not hold the interpreter lock for
    seconds while it compiles (its heartbeat thread must keep running)."""
    w = np.zeros((2, 4), np.float32)
    keep = np.full(2, np.uint64(1 << 32), dtype=np.uint64)
    alias_threshold, alias = build_alias(np.full(2, 0.5))
    for job in (train_job, train_cbow_job):
        job(np.zeros(1, np.int32), np.zeros(2, np.int64), 0, 0, w, w.copy(), keep, alias_threshold, alias, 1, 1,
            0.025, 0.025, np.uint64(seed_state(0, 0)), np.empty(1, np.int32), np.zeros(4, np.float32),
            np.zeros(N_STATS, np.float64))
