"""Training GloVe on an encoded corpus: count, shuffle, AdaGrad epochs on the shared pool.

:func:`train_glove` counts the co-occurrences (:mod:`.cooccur`), shuffles the cells once (seeded), starts
every table the reference's way (word, context vectors and biases uniform in ``±0.5/d``, AdaGrad sums at
1.0), then trains ``epochs`` passes: each pass cuts the shuffled cells into tasks of :data:`TASK_CELLS`,
in an order drawn anew each epoch, run by ``workers`` threads of the word2vec engine's pool
(:func:`explorer.training.sgns.pool.run_tasks`, Hogwild). Progress goes through the callback at least
every 0.2 s (``stage="train"``, progress in cells of all epochs, ``loss`` the smoothed cost per cell,
``rate`` cells/s); a callback returning True stops with :class:`~explorer.errors.TrainingStopped`
within about 0.2 s; frames (:mod:`explorer.training.frames`) keep the output vectors when due.

The output vectors are ``W + W̃`` (``vectors="sum"``, the reference's ``-model 2``) or ``W`` alone
(``vectors="word"``). With ``workers == 1`` a seed gives bit-identical vectors.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, Optional

import numpy as np

from explorer.errors import ExplorerError, TrainingStopped
from explorer.progress import Progress, ProgressCallback, no_progress
from explorer.training.glove import kernels as K
from explorer.training.glove.cooccur import Cooccurrences, count_cooccurrences
from explorer.training.sgns.pool import resolve_workers, run_tasks
from explorer.training.sgns.tracking import LossTracker, Reporter, maybe_frame

#: cells per task handed to a thread (a few milliseconds of work at dim 100)
TASK_CELLS = 20_000
#: the co-occurrences among this many most frequent words are kept with the run (the lesson reads a cell)
TOP_WORDS = 300
#: salts of the seeded random generators
SALT_INIT, SALT_SHUFFLE, SALT_ORDER = 11, 12, 13


@dataclass
class GloveResult:
    """What :func:`train_glove` returns."""

    vectors: np.ndarray  # float32 (V, d): W + W̃, or W
    word_vectors: np.ndarray  # float32 (V, d): W
    context_vectors: np.ndarray  # float32 (V, d): W̃
    biases: np.ndarray  # float32 (V,): b
    context_biases: np.ndarray  # float32 (V,): b̃
    loss_per_epoch: list[float]  # mean f(X)·e² per cell in each epoch (measured before each cell's step)
    loss_history: list[tuple[float, float]]  # (progress 0..1, smoothed cost per cell)
    cells_per_s: float  # non-zero cells x epochs / training seconds
    seconds: float  # the AdaGrad epochs, without counting and compilation
    count_seconds: float  # counting the co-occurrences
    compile_seconds: float
    nnz: int  # non-zero cells of X
    records: int  # weighted pairs counted
    workers: int
    frames: Optional[Any] = None  # a FrameRecorder when config.frames
    top_cells: Optional[np.ndarray] = None  # float32 (k, k): X among the k most frequent words (the lesson's cells)
    extra: dict = field(default_factory=dict)


def init_tables(n_vocab: int, dim: int, seed: int) -> dict[str, np.ndarray]:
    """The starting tables: ``w``, ``wc`` float32 (V, d) and ``b``, ``bc`` (V,) uniform in ``±0.5/d``;
    AdaGrad sums ``gw``, ``gwc``, ``gb``, ``gbc`` at 1.0."""
    rng = np.random.default_rng([seed, SALT_INIT])

    def uniform(*shape: int) -> np.ndarray:
        return ((rng.random(shape, dtype=np.float32) - np.float32(0.5)) / np.float32(dim)).astype(np.float32)

    return {"w": uniform(n_vocab, dim), "wc": uniform(n_vocab, dim), "b": uniform(n_vocab), "bc": uniform(n_vocab),
            "gw": np.ones((n_vocab, dim), np.float32), "gwc": np.ones((n_vocab, dim), np.float32),
            "gb": np.ones(n_vocab, np.float32), "gbc": np.ones(n_vocab, np.float32)}


def output_vectors(tables: dict[str, np.ndarray], which: str) -> np.ndarray:
    """float32 (V, d): ``W + W̃`` (``"sum"``) or ``W`` (``"word"``)."""
    return tables["w"] + tables["wc"] if which == "sum" else tables["w"].copy()


def top_block(matrix: Cooccurrences, k: int) -> np.ndarray:
    """float32 (k', k') with k' = min(k, V): ``X[i, j]`` for the ``k'`` most frequent words (ids are frequency
    ranks, so the first rows and columns); 0 where they never meet."""
    k = min(int(k), matrix.n_vocab)
    keep = (matrix.rows < k) & (matrix.cols < k)
    out = np.zeros((k, k), np.float32)
    out[matrix.rows[keep], matrix.cols[keep]] = matrix.values[keep]
    return out


def model_bytes(n_vocab: int, dim: int) -> int:
    """Bytes of the GloVe tables: W, W̃ and their AdaGrad sums (float32 (V, d) each), biases aside."""
    return 4 * int(n_vocab) * int(dim) * 4 + 4 * int(n_vocab) * 4


def _compile(tables: dict[str, np.ndarray]) -> float:
    t0 = time.perf_counter()
    empty_i, empty_f = np.zeros(1, np.int32), np.zeros(1, np.float32)
    K.train_cells(empty_i, empty_i, empty_f, empty_f, 0, 0, tables["w"], tables["wc"], tables["b"], tables["bc"],
                  tables["gw"], tables["gwc"], tables["gb"], tables["gbc"], 0.05, np.zeros(K.N_STATS))
    return time.perf_counter() - t0


def train_glove(ids: np.ndarray, offsets: np.ndarray, n_vocab: int, config: Any,
                callback: Optional[ProgressCallback] = None, source: str = "corpus",
                matrix: Optional[Cooccurrences] = None) -> GloveResult:
    """Count and train (see the module docstring).

    ids: int32 (N,) word ids 0..V-1 sorted by frequency; offsets: int64 (S+1,) sentence boundaries;
    config: a GloVe config (dim, window, epochs, x_max, alpha, lr, vectors, workers, seed, frames);
    matrix: the co-occurrences when already counted (then ids/offsets are not read).
    """
    callback = callback or no_progress
    workers = resolve_workers(config.workers)
    t0 = time.perf_counter()
    if matrix is None:
        def poll(fraction: float) -> bool:
            return bool(callback(Progress(stage="train", progress=0.0, epoch=1, epochs=config.epochs,
                                          message=f"counting co-occurrences: {fraction:.0%} of the corpus")))

        if poll(0.0):
            raise TrainingStopped()
        matrix = count_cooccurrences(ids, offsets, n_vocab, config.window, source=source, poll=poll)
    count_s = time.perf_counter() - t0
    top = top_block(matrix, TOP_WORDS)
    nnz = matrix.nnz
    if nnz == 0:
        raise ExplorerError(f"{source}: no two words of the vocabulary occur within {config.window} words of each "
                            f"other; use a bigger corpus, a larger --window or a lower --min-count",
                            code="glove_no_cooccurrences", file=source, window=config.window)
    order = np.random.default_rng([config.seed, SALT_SHUFFLE]).permutation(nnz)
    rows = matrix.rows[order]
    cols = matrix.cols[order]
    logx = np.log(matrix.values[order].astype(np.float64)).astype(np.float32)
    weight = K.weights(matrix.values[order], config.x_max, config.alpha)
    del order
    tables = init_tables(n_vocab, config.dim, config.seed)
    recorder = None
    if config.frames:
        from explorer.training.frames import FrameRecorder, plan_frames

        recorder = FrameRecorder(plan_frames(config.frames + 1, config.epochs, n_vocab, config.dim),
                                 epochs=config.epochs)
        recorder.start(output_vectors(tables, config.vectors))
    if callback(Progress(stage="train", progress=0.0, epoch=1, epochs=config.epochs,
                         message="preparing the compiled trainer")):
        raise TrainingStopped()
    compile_s = _compile(tables)

    n_tasks = -(-nnz // TASK_CELLS)
    total = nnz * config.epochs
    reporter = Reporter(callback, config.epochs, total)
    tracker = LossTracker()
    order_rng = np.random.default_rng([config.seed, SALT_ORDER])
    loss_per_epoch: list[float] = []
    done = 0
    w, wc, b, bc = tables["w"], tables["wc"], tables["b"], tables["bc"]
    gw, gwc, gb, gbc = tables["gw"], tables["gwc"], tables["gb"], tables["gbc"]
    start = time.perf_counter()
    for epoch in range(config.epochs):
        task_order = order_rng.permutation(n_tasks)
        epoch_stats = np.zeros(K.N_STATS)

        def make_task(task_order: np.ndarray = task_order) -> Any:
            stats = np.zeros(K.N_STATS)

            def task(j: int) -> np.ndarray:
                begin = int(task_order[j]) * TASK_CELLS
                stats[:] = 0
                K.train_cells(rows, cols, logx, weight, begin, min(nnz, begin + TASK_CELLS), w, wc, b, bc,
                              gw, gwc, gb, gbc, config.lr, stats)
                return stats

            return task

        def on_done(j: int, stats: np.ndarray, epoch: int = epoch, epoch_stats: np.ndarray = epoch_stats) -> None:
            nonlocal done
            epoch_stats[:] += stats
            done += int(stats[K.STAT_CELLS])
            progress = done / total
            tracker.add(progress, stats[K.STAT_COST], stats[K.STAT_CELLS])
            if recorder is not None and recorder.due(progress):
                maybe_frame(recorder, output_vectors(tables, config.vectors), epoch + 1, progress, tracker, callback)

        run_tasks(n_tasks, workers, make_task, on_done,
                  lambda epoch=epoch: reporter.report(done, epoch + 1, tracker.smoothed), name="glove")
        if not (np.isfinite(w).all() and np.isfinite(wc).all()):
            raise ExplorerError(f"lr: training diverged (non-finite vectors) at lr={config.lr}; try a smaller lr",
                                code="train_diverged", lr=config.lr)
        loss_per_epoch.append(float(epoch_stats[K.STAT_COST] / max(1.0, epoch_stats[K.STAT_CELLS])))
        if reporter.report(done, epoch + 1, tracker.smoothed, force=True):
            raise TrainingStopped()
    seconds = time.perf_counter() - start
    vectors = output_vectors(tables, config.vectors)
    if recorder is not None:
        recorder.finish(vectors, config.epochs, tracker.smoothed)
    return GloveResult(
        vectors=np.ascontiguousarray(vectors, dtype=np.float32), word_vectors=w, context_vectors=wc, biases=b,
        context_biases=bc, loss_per_epoch=loss_per_epoch, loss_history=tracker.history,
        cells_per_s=total / seconds if seconds > 0 else float("inf"), seconds=seconds, count_seconds=count_s,
        compile_seconds=compile_s, nnz=nnz, records=matrix.records, workers=workers, frames=recorder, top_cells=top)
