"""Running one job in a worker process: claim it, dispatch it through the registry, record the outcome.

Training kinds (:func:`explorer.kinds.training_kinds`) run through :func:`explorer.training.run_training`,
which rebuilds the typed spec from the job table and refuses one that does not validate; other job
kinds (:func:`explorer.kinds.job_kinds`, e.g. projection) run their declared ``"module:function"``.
A runner reports through the :class:`JobMonitor` callback (True means stop: raise TrainingStopped)
and, for training, writes its run directory atomically (:func:`explorer.runs.atomic_run_dir`).
"""

from __future__ import annotations

import contextlib
import logging
import math
import os
import shutil
import signal
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Optional

from explorer import kinds
from explorer.errors import ExplorerError, TrainingStopped
from explorer.jobs import queue, submission, table
from explorer.paths import explorer_home
from explorer.progress import Progress, ProgressCallback

log = logging.getLogger("explorer.jobs.worker")

POLL_S = 0.25  # how often a running job's monitor looks at the job row (cancel) and may write progress
INTERRUPT_AFTER_S = 1.0  # a cancelled job whose code stopped calling back is interrupted after this long

_worker_id = f"local-{os.getpid()}"  # replaced by the worker (set_worker_id); forked children inherit it


def set_worker_id(worker_id: str) -> None:
    """The id this process's jobs are claimed under (the worker sets it before forking)."""
    global _worker_id
    _worker_id = worker_id


def worker_id() -> str:
    return _worker_id


_concurrency = 1  # processes of this worker (set by the worker before forking; explorer.jobs.lanes)
_process = 1  # this process's number among them, 1-based (set in each forked process)
HAND_OVER_PAUSE_S = 0.5  # an interactive process that hands a long job's task over waits this long before the next
WAIT_POLL_S = 0.2  # a free process with only long jobs queued (training lane full) looks again this often
WAIT_MAX_S = 60.0  # ... and gives its queue task back after this long (the supervisor requeues lost tasks)


def set_concurrency(concurrency: int) -> None:
    """How many processes this worker runs: all but one may run long jobs (explorer.jobs.lanes)."""
    global _concurrency
    _concurrency = max(1, int(concurrency))


def concurrency() -> int:
    return _concurrency


def set_process(number: int) -> None:
    """This worker process's number (1-based): the last of them is the interactive lane (explorer.jobs.lanes)."""
    global _process
    _process = max(1, int(number))


def in_training_lane() -> bool:
    from explorer.jobs.lanes import in_training_lane as lane

    return lane(_process, _concurrency)


def run_projection(spec: dict, out_dir: Optional[Path], callback: ProgressCallback) -> None:
    """The ``projection`` job: compute and cache one projection of a run."""
    from explorer.analysis.projection import cached_projection

    method, dims, params = spec["method"], int(spec["dims"]), dict(spec.get("params") or {})
    if callback(Progress(stage="project", progress=0.0)):
        raise TrainingStopped()
    if spec.get("store"):  # a run the requesting workspace does not own: cached beside it, never inside
        params["store"] = Path(spec["store"])
    cached_projection(Path(spec["run_dir"]), method, dims, callback=callback, **params)
    callback(Progress(stage="project", progress=1.0))


def _runner(kind: str) -> tuple[Any, bool]:
    """(runner(spec, out_dir, callback), whether it makes a run directory) of a registered kind."""
    if kind in kinds.training_kinds():
        from explorer.training import run_training

        return run_training, True
    job_kind = kinds.job_kinds().get(kind)
    if job_kind is None:
        raise ExplorerError(f"job kind {kind!r}: not known to this worker", code="unknown_kind", kind=kind,
                            known=", ".join([*kinds.training_kinds(), *kinds.job_kinds()]))
    return job_kind.load_runner(), False


# --------------------------------------------------------------------------- one running job


class JobMonitor:
    """The progress callback of a running job, plus a thread that talks to the job table.

    The training thread never touches SQLite: ``__call__`` stores the report in memory and returns
    whether to stop. The monitor thread writes the latest report at most every :data:`POLL_S`
    seconds (a heartbeat at least every second) and notices a cancel request within ``POLL_S``.
    If a cancelled job's code stops calling back, its main thread is interrupted after
    :data:`INTERRUPT_AFTER_S`.
    """

    def __init__(self, job_id: str) -> None:
        self.job_id = job_id
        self.stop = threading.Event()
        self._closed = threading.Event()
        self._lock = threading.Lock()
        self._fields: dict[str, Any] = {}
        self._dirty = False
        self._losses: list[float] = []
        self._loss_seen = 0
        self._loss_stride = 1
        self._stop_at: Optional[float] = None
        self._armed = False
        self.interrupted = False
        self.run_path: Optional[Path] = None  # set for jobs that make a run: where the live frame goes
        self._frame: Optional[tuple] = None  # the latest frame not yet written (frame, epoch, progress, loss)
        self._live_xy: Optional[Any] = None
        self._thread = threading.Thread(target=self._loop, name=f"job-{job_id}", daemon=True)

    # -- training thread ----------------------------------------------------------------
    def __call__(self, p: Progress) -> bool:
        with self._lock:
            f = self._fields
            f["progress"] = float(min(max(p.progress, 0.0), 1.0))
            f["stage"] = str(p.stage)
            if p.epochs or "epochs" not in f:  # stages after training (evaluate, ...) keep the last epoch shown
                f["epoch"] = int(p.epoch)
                f["epochs"] = int(p.epochs)
            f["rate"] = _finite(p.rate)
            f["eta_s"] = _finite(p.eta_s)
            if p.metrics is not None:
                f["metrics"] = {str(k): _finite(v) if isinstance(v, (int, float)) else v for k, v in p.metrics.items()}
            loss = _finite(p.loss)
            if loss is not None:
                self._add_loss(loss)
                f["loss_history"] = list(self._losses)
            if p.frame is not None:
                self._frame = (p.frame, int(p.epoch), float(p.progress), loss)
            self._dirty = True
        return self.stop.is_set()

    def _write_live_frame(self) -> None:
        """Monitor thread: the latest frame in 2D (first LIVE_ROWS rows), beside the run being trained."""
        with self._lock:
            item, self._frame = self._frame, None
        if item is None or self.run_path is None:
            return
        import numpy as np

        from explorer.analysis.frames import live_coords
        from explorer.runs.frames import LIVE_ROWS, write_live_frame

        frame, epoch, progress, loss = item
        part = frame[:LIVE_ROWS]
        self._live_xy = live_coords(part, self._live_xy)
        write_live_frame(self.run_path, self._live_xy, np.arange(part.shape[0]), epoch, progress, loss)

    def _add_loss(self, loss: float) -> None:
        """Keep at most MAX_LOSS_POINTS evenly spaced points of the whole run (halve when full)."""
        if self._loss_seen % self._loss_stride == 0:
            self._losses.append(loss)
            if len(self._losses) > table.MAX_LOSS_POINTS:
                self._losses = self._losses[::2]
                self._loss_stride *= 2
        self._loss_seen += 1

    def set(self, **fields: Any) -> None:
        with self._lock:
            self._fields.update(fields)
            self._dirty = True

    def fields(self, **overrides: Any) -> dict[str, Any]:
        with self._lock:
            return {**self._fields, **overrides}

    @contextlib.contextmanager
    def interruptible(self) -> Iterator[None]:
        """While inside, a cancel that the code ignores interrupts the main thread (KeyboardInterrupt)."""
        with self._lock:
            self._armed = threading.current_thread() is threading.main_thread()
        try:
            yield
        finally:
            with self._lock:
                self._armed = False

    # -- monitor thread ---------------------------------------------------------------
    def start(self) -> None:
        self._thread.start()

    def close(self) -> None:
        self._closed.set()
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join(timeout=5)

    def _request_stop(self) -> None:
        if not self.stop.is_set():
            self._stop_at = time.monotonic()
            self.stop.set()

    def _loop(self) -> None:
        last_beat = time.monotonic()
        while not self._closed.wait(POLL_S):
            now = time.monotonic()
            with self._lock:
                fields = dict(self._fields) if self._dirty else None
                self._dirty = False
            try:
                if fields is not None or now - last_beat >= table.HEARTBEAT_S:
                    wanted = table.report(self.job_id, fields)
                    last_beat = now
                else:
                    wanted = table.still_wanted(self.job_id)
            except sqlite3.Error:
                log.warning("job %s: job table busy, will retry", self.job_id, exc_info=True)
                if fields is not None:
                    with self._lock:
                        self._dirty = True
                continue
            if not wanted:
                self._request_stop()
            try:
                self._write_live_frame()
            except Exception:  # a live picture must never stop the job
                log.warning("job %s: live frame not written", self.job_id, exc_info=True)
            if self.stop.is_set() and self._stop_at is not None and now - self._stop_at >= INTERRUPT_AFTER_S:
                with self._lock:
                    if self._armed and not self.interrupted:
                        self.interrupted = True
                        log.warning("job %s: code ignored the cancel for %.1f s, interrupting", self.job_id,
                                    now - self._stop_at)
                        _interrupt_main()


def _interrupt_main() -> None:
    """Raise KeyboardInterrupt in the main thread: through SIGTERM, whose handler in a huey worker
    process interrupts the running task (SIGINT is ignored there)."""
    import _thread

    handler = signal.getsignal(signal.SIGTERM)
    _thread.interrupt_main(signal.SIGTERM if callable(handler) else signal.SIGINT)


def _finite(value: Any) -> Optional[float]:
    if value is None:
        return None
    try:
        value = float(value)
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) else None


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def execute_job(task_job_id: str) -> None:
    """Serve one queue task in this (worker) process: claim the job that should run now, run it, record it.

    A task is a turn, not a ticket for one job: the process claims the next job in fair order that its
    lane may run (:func:`explorer.jobs.table.claim_next`, :mod:`explorer.jobs.lanes`), usually but not
    always the task's own. Every queued job has a task, so every job gets a turn; a job that is not
    queued any more (a duplicate delivery, a cancelled job) is never run again (the claim is conditional).
    When only long jobs are queued and this process may not start them (the training lane is full, or
    this is the interactive lane), the process waits, claiming the first short job that arrives; the
    interactive lane hands the task back to the queue instead when an idle training process could start one.
    """
    deadline = time.monotonic() + WAIT_MAX_S
    training = in_training_lane()
    while True:
        claim, why = table.claim_next(_worker_id, os.getpid(), _concurrency, may_run_long=training)
        if claim is not None:
            _run_claimed(claim)
            return
        if why.hand_over:  # a long job waits and the training lane is idle: its processes need a task
            queue.enqueue_job(task_job_id)
            log.debug("task %s: handed over to the training lane", task_job_id)
            time.sleep(HAND_OVER_PAUSE_S)  # so that an idle training process, not this one, takes it
            return
        if not why.waiting or time.monotonic() > deadline:
            log.info("task %s: nothing this process may run now", task_job_id)
            return
        time.sleep(WAIT_POLL_S)


def _run_claimed(claim: table.Claim) -> None:
    job_id = claim.id
    log.info("job %s (%s): started", job_id, claim.kind)
    monitor = JobMonitor(job_id)
    monitor.start()
    out_dir: Optional[Path] = None
    try:
        runner, makes_run = _runner(claim.kind)
        if makes_run:
            from explorer.jobs.workspaces import run_path

            out_dir = run_path(claim.workspace, claim.run_id or "")
            monitor.run_path = out_dir
        with monitor.interruptible():
            runner(claim.spec, out_dir, monitor)
        result = str(out_dir) if out_dir is not None else claim.spec.get("run_dir")
        if out_dir is not None:
            monitor.set(stage="precompute")
            _precompute(out_dir)
            if claim.spec.get("out"):
                monitor.set(stage="copy")
                try:
                    copy_run(out_dir, Path(claim.spec["out"]))
                except (ExplorerError, OSError) as exc:
                    monitor.close()
                    table.finish(job_id, "failed", error=f"out: {_one_line(exc)}", run_dir=result, fields=monitor.fields())
                    return
        monitor.close()
        table.finish(job_id, "done", run_dir=result, fields=monitor.fields(progress=1.0, stage="done"))
        log.info("job %s: done", job_id)
    except TrainingStopped:
        monitor.close()
        table.finish(job_id, "cancelled", fields=monitor.fields(stage="cancelled"))
        log.info("job %s: cancelled", job_id)
    except KeyboardInterrupt:
        monitor.close()
        if monitor.interrupted:  # our own interrupt of a cancelled job
            table.finish(job_id, "cancelled", fields=monitor.fields(stage="cancelled"))
            log.info("job %s: cancelled (interrupted)", job_id)
            return
        if out_dir is not None and out_dir.is_dir():  # shut down after training finished: keep the run
            table.finish(job_id, "done", run_dir=str(out_dir), fields=monitor.fields(progress=1.0, stage="done"))
            raise
        requeued = submission.requeue(job_id)  # the worker is shutting down
        log.info("job %s: interrupted by shutdown, %s", job_id, "queued again" if requeued else "not requeued")
        raise
    except ExplorerError as exc:
        monitor.close()
        _finish_failed(job_id, claim, str(exc), monitor, exc)
        log.info("job %s: failed: %s", job_id, exc)
    except Exception as exc:
        monitor.close()
        from explorer.resources import disk_full_error, is_disk_full

        if is_disk_full(exc):  # the reason goes to the job table, not only to worker.log
            folder = out_dir.parent if out_dir is not None else explorer_home()
            full = disk_full_error(folder)
            _finish_failed(job_id, claim, str(full), monitor, full)
            log.info("job %s: failed: disk full under %s", job_id, folder)
            return
        log.exception("job %s: crashed", job_id)
        _finish_failed(job_id, claim, _one_line(exc), monitor)
    finally:
        monitor.close()
        if out_dir is not None:
            from explorer.runs.frames import remove_live_frame

            remove_live_frame(out_dir)
        if claim.run_id:
            from explorer.jobs.workspaces import remove_partial_runs

            remove_partial_runs(claim.workspace, claim.run_id)


def _finish_failed(job_id: str, claim: Any, error: str, monitor: JobMonitor,
                   exc: Optional[ExplorerError] = None) -> None:
    """Record a failure: free the partial run first (on a full disk that makes room for the job
    table's write), then write the reason (with ``exc``'s code and params, for the pages to translate),
    retrying while SQLite says the disk is full."""
    if claim.run_id:
        from explorer.jobs.workspaces import remove_partial_runs

        remove_partial_runs(claim.workspace, claim.run_id)
    code, params = (exc.code, exc.params) if exc is not None else (None, None)
    for attempt in range(5):
        try:
            table.finish(job_id, "failed", error=error, fields=monitor.fields(), error_code=code, error_params=params)
            return
        except sqlite3.OperationalError as exc:
            if "full" not in str(exc) or attempt == 4:
                raise
            time.sleep(0.5)


def _precompute(run_dir: Path) -> None:
    """Cache what the explorer shows first (:func:`explorer.analysis.projection.precompute`) and, for runs
    with frames, the aligned 2D frames of the lesson's player."""
    try:
        from explorer.analysis.projection import precompute

        precompute(run_dir)
        from explorer.runs.frames import has_frames

        if has_frames(run_dir):  # the lesson's player opens on the aligned frames: ready with the model
            from explorer.analysis.frames import cached_frame_coords

            cached_frame_coords(run_dir)
    except Exception:  # the explorer computes lazily what is missing; the trained run stays good
        log.exception("precompute failed for %s", run_dir)


def copy_run(src: Path, dst: Path) -> Path:
    """Copy a finished run to ``dst`` (the command line's --out) atomically; refuse to overwrite data."""
    from explorer.runs import atomic_run_dir

    with atomic_run_dir(Path(dst)) as tmp:
        shutil.copytree(src, tmp, dirs_exist_ok=True)
    return Path(dst)
