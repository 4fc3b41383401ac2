"""What Python code needs to know about the compiled word2vec job, without loading numba.

The compiled job (:mod:`.kernels`) reads these constants, and the trainers, the thread pool and the loader of the
job's machine code (:mod:`.native`) read them too; this module imports numpy only, so a training command that runs
the job from its machine code never imports numba.

- ``ARCH_*``: the architectures of a job; ``STAT_*``: the slots of its statistics;
- :func:`scratch_sizes`: the scratch space one job needs (the same function is compiled into the job);
- :func:`keep_thresholds`, :func:`keep_all`: the subsampling thresholds (``keep``) of a job;
- :func:`stream_state`: the first random state of stream ``stream`` of a seed, equal to
  :func:`explorer.training.sgns.rng.seed_state` (splitmix64), in plain Python.

    >>> stream_state(7, 1) != stream_state(7, 2), stream_state(0, 0) != 0
    (True, True)
    >>> scratch_sizes(ARCH_CBOW_BATCHED, 5, 5, 100)
    (4130, 1064, 8)
"""

from __future__ import annotations

import numpy as np

#: the kernel measures the loss on one pair in LOSS_EVERY (a power of two)
LOSS_EVERY = 16
#: positions whose targets are drawn ahead of training them, so their rows can be prefetched
BLOCK_PAIRS = 512

#: architectures (the ``arch`` argument of the job)
ARCH_SKIPGRAM = 0
ARCH_CBOW = 1
ARCH_DBOW = 2
ARCHS = {"skipgram": ARCH_SKIPGRAM, "cbow": ARCH_CBOW, "dbow": ARCH_DBOW}
#: the minibatched (HogBatch) variants: the default kernels of both architectures (``kernel="pair"`` keeps word2vec's)
ARCH_SKIPGRAM_BATCHED = 3
ARCH_CBOW_BATCHED = 4
BATCHED = {ARCH_SKIPGRAM: ARCH_SKIPGRAM_BATCHED, ARCH_CBOW: ARCH_CBOW_BATCHED}
#: centre words of the batched CBOW that share one draw of negatives
CBOW_BATCH = 8

# stats slots written by the job
STAT_RAW_WORDS = 0  # corpus words read (before subsampling)
STAT_WORDS = 1  # words kept after subsampling
STAT_PAIRS = 2  # updates: (centre, context) pairs; CBOW centre words; PV-DBOW (document, word) pairs
STAT_LOSS_SUM = 3  # summed loss over the measured pairs
STAT_LOSS_PAIRS = 4  # number of measured pairs
N_STATS = 5

#: the C names of the job's machine-code entries (:mod:`.entries` makes them, :mod:`.native` calls them)
JOB_SYMBOL = "explorer_sgns_job"
ALIAS_SYMBOL = "explorer_sgns_alias"

#: no document rows (the ``rows`` argument of Skip-gram and CBOW jobs)
NO_ROWS = np.zeros(0, np.int64)

_M64 = (1 << 64) - 1


def scratch_sizes(arch: int, window: int, negatives: int, dim: int) -> tuple[int, int, int]:
    """Elements of int64, float32 and bool scratch one job of ``arch`` needs (its blocks of targets, window inputs
    and batch rows; see :func:`explorer.training.sgns.kernels.train_job`). Plain arithmetic: numba compiles this
    same function into the job, which refuses a smaller scratch."""
    block = max(BLOCK_PAIRS, 2 * window)
    batched = arch == ARCH_SKIPGRAM_BATCHED or arch == ARCH_CBOW_BATCHED
    n_out = ((CBOW_BATCH if arch == ARCH_CBOW_BATCHED else 1) + negatives) if batched else 1
    n_before = ((2 * window + 3) // 4) * 4 if arch == ARCH_SKIPGRAM_BATCHED else 1
    cbow_rows = CBOW_BATCH if arch == ARCH_CBOW_BATCHED else 1
    # centres, targets, n_target, group_rows, row_targets
    ints = block + block * (negatives + 1) + block + (negatives + 3) + 2 * n_out
    # neu1, window_before, window_gains, batch_hidden, batch_gains, group_g
    floats = (dim + n_before * dim + n_before * (negatives + 3) + cbow_rows * dim + cbow_rows * (negatives + 1)
              + (negatives + 3))
    return ints, floats, negatives + 3  # group_live


def keep_thresholds(keep_prob: np.ndarray) -> np.ndarray:
    """Subsampling keep probabilities (V,) as uint64 thresholds on a 32-bit random number."""
    p = np.clip(np.asarray(keep_prob, dtype=np.float64), 0.0, 1.0)
    return np.floor(p * 4294967296.0).astype(np.uint64)


def keep_all(n_rows: int) -> np.ndarray:
    """Thresholds (n_rows,) that keep every token (no subsampling)."""
    return np.full(n_rows, np.uint64(1 << 32), dtype=np.uint64)


def stream_state(seed: int, stream: int) -> int:
    """The non-zero first xorshift state of stream ``stream`` of ``seed`` (splitmix64 of both), as the compiled
    :func:`explorer.training.sgns.rng.seed_state` makes it (uint64 arithmetic, wrapping)."""
    z = ((seed & _M64) * 0x9E3779B97F4A7C15 + (stream & _M64) * 0xBF58476D1CE4E5B9) & _M64
    z = (z + 0x632BE59BD9B4E019) & _M64
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _M64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _M64
    z ^= z >> 31
    return z if z else 0x2545F4914F6CDD1D
