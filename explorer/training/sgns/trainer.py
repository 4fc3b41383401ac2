"""Epochs over one encoded stream: what Skip-gram, CBOW and PV-DBOW call to train.

:func:`train_epochs` trains ``epochs`` passes over a :class:`~explorer.training.sgns.pool.Stream` with the
thread pool (:func:`~explorer.training.sgns.pool.run_jobs`): each epoch is cut into jobs of about
:func:`~explorer.training.sgns.pool.job_words_for` words (also where planned frames fall); job ``j`` of the whole training draws from random
stream ``1 + j`` of the seed; the learning rate falls linearly from ``lr`` to ``lr * 1e-4`` over all
words of all epochs. Progress is reported through the callback at least every 0.2 s (returning True
stops with :class:`~explorer.errors.TrainingStopped` after the running jobs), frames are taken when
due (:class:`explorer.training.frames.FrameRecorder`) and, with ``snapshots``, the input table is
copied after every epoch.

Arrays: the stream's ``ids`` int32 (N,), ``offsets`` int64 (S+1,), ``rows`` int64 (S,) or empty; the
tables' ``w_in`` float32 (R, d) is what frames and snapshots copy.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, Optional

import numpy as np

from explorer.errors import TrainingStopped
from explorer.progress import Progress, ProgressCallback
from explorer.training.sgns import abi as K
from explorer.training.sgns.pool import (
    Job,
    Stream,
    Tables,
    Usage,
    compile_kernel,
    epoch_sentence_jobs,
    run_jobs,
    split_stream,
)
from explorer.training.sgns.tracking import LossTracker, Reporter, lr_at, maybe_frame


@dataclass
class EpochsResult:
    """What :func:`train_epochs` returns (the weights are trained in place)."""

    loss_per_epoch: list[float]  # mean loss per measured pair in each epoch
    tracker: LossTracker  # the smoothed loss and its history
    snapshots: Optional[list[np.ndarray]]  # float32 (R, d) copies of w_in after each epoch, when asked for
    seconds: float  # training time, without compilation
    compile_seconds: float  # first-call compilation (or cache load) of the kernel
    words_kept: list[int]  # per epoch: tokens kept after subsampling
    pairs: list[int]  # per epoch: updates (see kernels.STAT_PAIRS)
    usage: Usage = field(default_factory=Usage)  # how busy the threads were (pool.Usage), all epochs


def train_epochs(tables: Tables, stream: Stream, epochs: int, lr: float, workers: int, callback: ProgressCallback,
                 snapshots: bool = False, recorder: Optional[Any] = None) -> EpochsResult:
    """Train ``epochs`` passes over ``stream`` into ``tables`` (see the module docstring)."""
    stream = split_stream(stream)
    offsets = stream.offsets
    # compile (or load from the on-disk cache) before the clock starts: seconds on the very first
    # run, so say so and give the caller a chance to stop first
    if callback(Progress(stage="train", progress=0.0, epoch=1, epochs=epochs, message="preparing the compiled trainer")):
        raise TrainingStopped()
    compile_s = compile_kernel(tables, stream)

    n_words = int(offsets[-1] - offsets[0])
    total_words = n_words * epochs
    reporter = Reporter(callback, epochs, total_words)
    tracker = LossTracker()
    loss_per_epoch: list[float] = []
    kept: list[int] = []
    pairs: list[int] = []
    copies: Optional[list[np.ndarray]] = [] if snapshots else None
    words_done = 0
    frame_at = None if recorder is None else recorder.plan.at
    usage = Usage()
    start = time.perf_counter()
    first_job = 0  # jobs of earlier epochs: each job's stream is 1 + its number over the whole training
    for epoch in range(epochs):
        jobs = []
        for j, (s0, s1) in enumerate(epoch_sentence_jobs(offsets, epoch, epochs, frame_at)):
            base = epoch * n_words + int(offsets[s0] - offsets[0])
            size = stream.words(s0, s1)
            jobs.append(Job(s0, s1, lr_at(lr, base / max(1.0, total_words)),
                            lr_at(lr, (base + size) / max(1.0, total_words)), 1 + first_job + j))
        epoch_stats = np.zeros(K.N_STATS, np.float64)

        def on_done(j: int, job: Job, stats: np.ndarray, epoch: int = epoch, epoch_stats: np.ndarray = epoch_stats
                    ) -> None:
            nonlocal words_done
            epoch_stats[:] += stats
            words_done += stream.words(job.first, job.end)
            progress = words_done / max(1, total_words)
            tracker.add(progress, stats[K.STAT_LOSS_SUM], stats[K.STAT_LOSS_PAIRS])
            maybe_frame(recorder, tables.w_in, epoch + 1, progress, tracker, callback)

        usage.add(run_jobs(tables, stream, jobs, workers, on_done,
                           lambda epoch=epoch: reporter.report(words_done, epoch + 1, tracker.smoothed)))
        first_job += len(jobs)
        measured = epoch_stats[K.STAT_LOSS_PAIRS]
        loss_per_epoch.append(float(epoch_stats[K.STAT_LOSS_SUM] / measured) if measured else float("nan"))
        snap = None
        if copies is not None:
            snap = tables.w_in.copy()
            copies.append(snap)
        if reporter.report(words_done, epoch + 1, tracker.smoothed, force=True, snapshot=snap):
            raise TrainingStopped()
        kept.append(int(epoch_stats[K.STAT_WORDS]))
        pairs.append(int(epoch_stats[K.STAT_PAIRS]))
    return EpochsResult(loss_per_epoch, tracker, copies, time.perf_counter() - start, compile_s, kept, pairs, usage)
