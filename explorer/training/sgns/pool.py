"""The thread pool: jobs of a stream trained by ``workers`` Python threads over shared weights.

A :class:`Job` is a range of sentences with the learning rates at its ends and the number of its
random stream. :func:`run_jobs` hands the jobs, in order, to ``workers`` threads; each runs the
compiled job on the shared :class:`Tables` without locks (Hogwild, as word2vec and gensim do), then calls
``on_done`` under a lock.
The calling thread polls ``poll`` about every :data:`~explorer.training.sgns.tracking.REPORT_EVERY_S` / 4 s
(progress reports; returning True stops the pool after the running jobs) and re-raises the first error
of a thread. Planning jobs: :func:`sentence_jobs` (about :func:`job_words_for` words each),
:func:`epoch_sentence_jobs` (cut where planned frames fall), :func:`split_long_sentences`.

The compiled job is its machine code loaded without numba (:mod:`.native`, called through ctypes) where that file
is there, else numba's :func:`explorer.training.sgns.kernels.train_job`; both release the GIL and give the same
bits, and each thread keeps its scratch (:func:`explorer.training.sgns.native.new_scratch`). Importing this module loads no compiled code (the job loads on the first training, or :func:`warm`).

Arrays: a :class:`Stream` is ``ids`` int32 (N,), ``offsets`` int64 (S+1,), ``rows`` int64 (S,) or
empty; :class:`Tables` holds ``w_in`` float32 (R, d), ``w_out`` float32 (V, d), ``keep`` uint64 (V,),
``threshold`` uint64 (V,), ``alias`` int32 (V,).

    >>> job_words_for(1_000_000), job_words_for(200_000), job_words_for(50_000)
    (10000, 3125, 2000)
    >>> sentence_jobs(np.array([0, 4, 8, 12]), job_words=8)
    [(0, 2), (2, 3)]
    >>> split_long_sentences(np.array([0, 3, 25]), max_len=10).tolist()
    [0, 3, 13, 23, 25]
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple, Optional

import numpy as np

from explorer.errors import TrainingStopped
from explorer.startup import long_lived
from explorer.training.sgns.tracking import REPORT_EVERY_S

#: words per job handed to a worker thread (about 10-40 ms of work), at most
JOB_WORDS = 10_000
#: words per job, at least (a hand-off costs tens of microseconds; a job of 2,000 words is a few milliseconds)
MIN_JOB_WORDS = 2_000
#: jobs per epoch on small corpora: the threads finish an epoch together (the last job leaves the others idle),
#: so an epoch of 13 jobs keeps two threads 1.8 cores busy and one of 64 about 1.97 (measured with pool.Usage)
JOBS_PER_EPOCH = 64
#: sentences longer than this are cut into pieces (as gensim does with 10,000 words)
MAX_SENTENCE = 10_000


class Job(NamedTuple):
    """Sentences ``first..end-1`` trained with the learning rate falling from ``lr_begin`` to ``lr_end``,
    drawing from random stream ``stream`` of the training's seed."""

    first: int
    end: int
    lr_begin: float
    lr_end: float
    stream: int


@dataclass
class Tables:
    """What every job of one training shares: the weights (updated in place), the sampling tables and
    the hyperparameters the kernel reads."""

    arch: int  # abi.ARCH_*
    w_in: np.ndarray  # float32 (R, d)
    w_out: np.ndarray  # float32 (V, d)
    keep: np.ndarray  # uint64 (V,) subsampling thresholds
    threshold: np.ndarray  # uint64 (V,) alias table: thresholds
    alias: np.ndarray  # int32 (V,) alias table: aliases
    window: int
    negatives: int
    seed: int


@dataclass
class Stream:
    """An encoded corpus (or a block of walks): sentences of token ids, and each sentence's input row
    for PV-DBOW."""

    ids: np.ndarray  # int32 (N,)
    offsets: np.ndarray  # int64 (S+1,)
    rows: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))  # int64 (S,) or empty
    longest: int = -1  # the longest sentence (computed when -1)

    def __post_init__(self) -> None:
        if self.longest < 0:
            self.longest = int(np.diff(self.offsets).max()) if self.offsets.size > 1 else 0

    def words(self, first: int, end: int) -> int:
        """Tokens in sentences ``first..end-1``."""
        return int(self.offsets[end] - self.offsets[first])


def resolve_workers(workers: int) -> int:
    """``workers`` CPU threads; 0 means every core this process may run on."""
    if workers > 0:
        return workers
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def split_long_sentences(offsets: np.ndarray, max_len: int = MAX_SENTENCE) -> np.ndarray:
    """Cut sentences longer than ``max_len`` into pieces: offsets (S+1,) -> offsets (S'+1,)."""
    offsets = np.asarray(offsets, dtype=np.int64)
    lengths = np.diff(offsets)
    if lengths.size == 0 or lengths.max() <= max_len:
        return offsets
    pieces = np.maximum(1, -(-lengths // max_len))
    starts = np.repeat(offsets[:-1], pieces)
    first = np.repeat(np.cumsum(pieces) - pieces, pieces)
    starts = starts + (np.arange(starts.size) - first) * max_len
    return np.concatenate([starts, offsets[-1:]])


def split_stream(stream: Stream, max_len: int = MAX_SENTENCE) -> Stream:
    """``stream`` with sentences longer than ``max_len`` cut into pieces (a piece keeps its sentence's row)."""
    offsets = split_long_sentences(stream.offsets, max_len)
    if offsets is stream.offsets or offsets.shape == stream.offsets.shape:
        return stream
    rows = stream.rows
    if rows.size:
        rows = rows[np.searchsorted(stream.offsets, offsets[:-1], side="right") - 1]
    return Stream(stream.ids, offsets, rows)


def job_words_for(n_words: int) -> int:
    """Words per job for an epoch of ``n_words``: JOB_WORDS, or fewer on small corpora (JOBS_PER_EPOCH jobs, never
    below MIN_JOB_WORDS). It depends on the corpus only, never on the number of threads, so the jobs and their
    random streams (what a seed fixes) are the same for every thread count."""
    return int(min(JOB_WORDS, max(MIN_JOB_WORDS, -(-n_words // JOBS_PER_EPOCH))))


def sentence_jobs(offsets: np.ndarray, job_words: Optional[int] = None) -> list[tuple[int, int]]:
    """Sentence ranges (first, end) of about ``job_words`` words (default :func:`job_words_for` the whole of
    ``offsets``) covering all sentences of ``offsets`` (S+1,)."""
    from explorer.text.pairs import iter_sentence_chunks

    if job_words is None:
        job_words = job_words_for(int(offsets[-1] - offsets[0]))
    return iter_sentence_chunks(offsets, job_words)


def epoch_sentence_jobs(offsets: np.ndarray, epoch: int, epochs: int,
                        frame_at: Optional[np.ndarray] = None) -> list[tuple[int, int]]:
    """Sentence ranges (first, end) of epoch ``epoch`` (0-based): jobs of about JOB_WORDS words; with
    frames planned at the progress points ``frame_at`` (0..1 of all epochs), a job also ends at each
    sentence where a frame falls in this epoch, so the frame is taken there without making every job
    small (small jobs cost a thread hand-off each)."""
    if frame_at is None:
        return sentence_jobs(offsets)
    n_words = int(offsets[-1] - offsets[0])
    size = job_words_for(n_words)
    at = np.asarray(frame_at, dtype=np.float64) * epochs - epoch  # frame points in epochs from here
    inside = at[(at > 0) & (at < 1)] * n_words
    cuts = np.searchsorted(offsets, offsets[0] + inside, side="left")
    bounds = np.unique(np.concatenate([[0], cuts, [offsets.shape[0] - 1]]))
    ranges: list[tuple[int, int]] = []
    for a, b in zip(bounds[:-1], bounds[1:], strict=True):
        ranges += [(int(a) + s0, int(a) + s1) for s0, s1 in sentence_jobs(offsets[a:b + 1], size)]
    return ranges


@dataclass
class Usage:
    """How busy the pool's threads were (summed over its threads; from Linux's per-thread scheduler counters,
    zero elsewhere): ``cpu`` seconds they ran, ``waiting`` seconds they were ready to run but another
    process had the core (a loaded machine), over ``wall`` seconds of the pool with ``workers`` threads.
    ``demand = (cpu + waiting) / wall`` is how many cores the pool would have kept busy on a quiet machine
    (``workers`` at best), whatever the load; ``cpu / wall`` is what it got."""

    workers: int = 0
    wall: float = 0.0
    cpu: float = 0.0
    waiting: float = 0.0

    @property
    def demand(self) -> float:
        return (self.cpu + self.waiting) / self.wall if self.wall > 0 else 0.0

    def add(self, other: Usage) -> None:
        self.workers = max(self.workers, other.workers)
        self.wall += other.wall
        self.cpu += other.cpu
        self.waiting += other.waiting


def _thread_schedstat() -> tuple[float, float]:
    """(seconds on a CPU, seconds waiting for one) of the calling thread; (0, 0) where Linux does not say."""
    try:
        with open("/proc/thread-self/schedstat", "rb") as fh:
            run_ns, wait_ns = fh.read().split()[:2]
        return int(run_ns) / 1e9, int(wait_ns) / 1e9
    except (OSError, ValueError):
        return 0.0, 0.0


def compile_kernel(tables: Tables, stream: Stream) -> float:
    """Load the job's machine code (:func:`load_kernels`) or else compile (or load from numba's cache) numba's job
    for these argument types on an empty job; returns seconds."""
    t0 = time.perf_counter()
    if _native_run(tables, stream) is None:
        with long_lived(freeze=True):  # numba and its kernels live as long as the process
            from explorer.training.sgns import kernels as K

            K.compile_job(tables.arch, stream.ids, stream.offsets, stream.rows, tables.w_in, tables.w_out,
                          tables.keep, tables.threshold, tables.alias, stream.longest)
    return time.perf_counter() - t0


def load_kernels(arch: int) -> Optional[Any]:
    """Architecture ``arch``'s job as machine code loaded without numba (:func:`explorer.training.sgns.native.load`;
    a command-line process builds a missing file), or None: numba's job then trains, with the same results."""
    from explorer.startup import is_one_command
    from explorer.training.sgns import native

    return native.load(arch, build=is_one_command())


def warm(arch: Optional[int] = None) -> None:
    """Load the job before the first training: architecture ``arch``'s machine code (a command line, while its
    corpus is tokenized), or else numba's job (every architecture: a worker at start)."""
    if arch is None or load_kernels(arch) is None:
        with long_lived(freeze=True):
            from explorer.training.sgns.kernels import warmup

            warmup()


def alias_table(probs: np.ndarray, arch: int) -> tuple[np.ndarray, np.ndarray]:
    """:func:`explorer.training.sgns.tables.build_alias` of float64 ``probs`` (V,), from the machine code of
    architecture ``arch``'s job where it loads (no numba import; the same bits)."""
    native = load_kernels(arch)
    if native is not None and probs.dtype == np.float64:
        return native.build_alias(probs)
    with long_lived(freeze=True):
        from explorer.training.sgns.tables import build_alias

        return build_alias(probs)


def _native_run(tables: Tables, stream: Stream) -> Optional[Callable[..., None]]:
    """The job on these tables and stream from its machine code, or None (numba's job trains)."""
    native = load_kernels(tables.arch)
    if native is None:
        return None
    return native.job_runner(tables.arch, stream.ids, stream.offsets, stream.rows, tables.w_in, tables.w_out,
                             tables.keep, tables.threshold, tables.alias, tables.window, tables.negatives)


def _numba_run(tables: Tables, stream: Stream) -> Callable[..., None]:
    """The job on these tables and stream as numba's compiled function (the same signature as ``_native_run``'s)."""
    from explorer.training.sgns import kernels as K

    def run(first: int, end: int, lr_begin: float, lr_end: float, state: int, s: Any) -> None:
        # train_job, not run_job: it is what numba's cache keeps (run_job's closure holds a dispatcher, which numba's
        # cache index cannot key from one process to the next: called directly it compiled for 2 s in every process)
        K.train_job(tables.arch, stream.ids, stream.offsets, stream.rows, first, end, tables.w_in, tables.w_out,
                    tables.keep, tables.threshold, tables.alias, tables.window, tables.negatives, lr_begin, lr_end,
                    np.uint64(state), s.sent_buf, s.neu1e, s.stats)

    return run


def run_jobs(tables: Tables, stream: Stream, jobs: Sequence[Job], workers: int,
             on_done: Callable[[int, Job, np.ndarray], None], poll: Callable[[], bool],
             name: str = "sgns") -> Usage:
    """Train ``jobs`` on ``workers`` threads (see the module docstring); returns how busy they were.

    on_done(j, job, stats): called under a lock after job ``j``, with its float64 (N_STATS,) statistics.
    poll(): called from the calling thread while jobs run; True stops the pool.
    Raises the first error of a thread, else :class:`TrainingStopped` when ``poll`` asked to stop.
    """
    from explorer.training.sgns.abi import stream_state
    from explorer.training.sgns.native import new_scratch

    run = _native_run(tables, stream) or _numba_run(tables, stream)
    lock = threading.Lock()
    stop = threading.Event()
    errors: list[BaseException] = []
    next_job = 0
    dim = tables.w_in.shape[1]

    usage = Usage(workers=workers)

    def worker() -> None:
        nonlocal next_job
        run0, wait0 = _thread_schedstat()
        try:
            work()
        finally:
            run1, wait1 = _thread_schedstat()
            with lock:
                usage.cpu += run1 - run0
                usage.waiting += wait1 - wait0

    def work() -> None:
        nonlocal next_job
        scratch = new_scratch(tables.arch, tables.window, tables.negatives, dim, stream.longest)
        stats = scratch.stats
        try:
            while not stop.is_set():
                with lock:
                    j = next_job
                    next_job += 1
                if j >= len(jobs):
                    return
                job = jobs[j]
                stats[:] = 0
                run(job.first, job.end, job.lr_begin, job.lr_end, stream_state(tables.seed, job.stream), scratch)
                with lock:
                    on_done(j, job, stats)
        except BaseException as exc:  # surfaced in the calling thread
            errors.append(exc)
            stop.set()

    threads = [threading.Thread(target=worker, name=f"{name}-{i}", daemon=True) for i in range(workers)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    stopped = False
    while True:
        alive = [t for t in threads if t.is_alive()]
        if not alive:
            break
        alive[0].join(REPORT_EVERY_S / 4)
        if not stopped and poll():
            stopped = True
            stop.set()
    for t in threads:
        t.join()
    usage.wall = time.perf_counter() - start
    if errors:
        raise errors[0]
    if stopped:
        raise TrainingStopped()
    return usage


def run_tasks(n_tasks: int, workers: int, make_task: Callable[[], Callable[[int], np.ndarray]],
              on_done: Callable[[int, np.ndarray], None], poll: Callable[[], bool], name: str = "pool") -> None:
    """Run tasks ``0..n_tasks-1``, in order, on ``workers`` threads: the pool for other compiled work (GloVe).

    make_task(): called once in each thread, returns that thread's ``task(j) -> stats`` (a compiled call
    that releases the GIL, with the thread's own buffers); on_done(j, stats): called under a lock after
    task ``j``; poll(): called from the calling thread about every REPORT_EVERY_S / 4 s while tasks run,
    True stops the pool after the running tasks. Raises the first error of a thread, else
    :class:`TrainingStopped` when ``poll`` asked to stop.
    """
    lock = threading.Lock()
    stop = threading.Event()
    errors: list[BaseException] = []
    next_task = 0

    def worker() -> None:
        nonlocal next_task
        try:
            task = make_task()
            while not stop.is_set():
                with lock:
                    j = next_task
                    next_task += 1
                if j >= n_tasks:
                    return
                stats = task(j)
                with lock:
                    on_done(j, stats)
        except BaseException as exc:  # surfaced in the calling thread
            errors.append(exc)
            stop.set()

    threads = [threading.Thread(target=worker, name=f"{name}-{i}", daemon=True) for i in range(workers)]
    for t in threads:
        t.start()
    stopped = False
    while True:
        alive = [t for t in threads if t.is_alive()]
        if not alive:
            break
        alive[0].join(REPORT_EVERY_S / 4)
        if not stopped and poll():
            stopped = True
            stop.set()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]
    if stopped:
        raise TrainingStopped()
