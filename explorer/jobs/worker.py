"""Worker processes: start-up, supervision, heartbeats, and running one job.

``python -m explorer worker --concurrency N`` (:func:`run_worker`) is a huey consumer whose N
workers are forked processes: training gets its own process (torch and numba threads included),
the server never trains. The parent process supervises:

* huey's health check restarts a worker process that died (every second);
* a running job whose process died or whose heartbeat stopped is marked failed "worker stopped"
  (:func:`explorer.jobs.mark_dead_jobs`), so it can be retried;
* queued jobs whose queue task was lost (a crash between dequeue and claim, a wiped queue file,
  a restarted Redis) are queued again at start-up and every 15 s -- never run twice, because a job
  only runs after its conditional ``queued -> running`` claim;
* on SIGTERM/SIGINT it interrupts running jobs, puts them back in the queue and exits.

The app calls :func:`ensure_worker` on every page run: when no worker is alive it starts one,
detached (its own session, so a server restart does not stop it), guarded by a lock file so that
many sessions or a reload never start two. Each worker process pre-imports torch and the trainers
and compiles numba's UMAP code once, in the background, at start-up.

Environment: ``EXPLORER_START_WORKER=0`` (never start one; workers run elsewhere),
``EXPLORER_WORKER_CONCURRENCY`` (jobs at once in an auto-started worker; default 1),
``EXPLORER_WORKER_IDLE_EXIT`` (seconds without jobs before a worker exits; auto-started default
3600, otherwise never), ``EXPLORER_WORKER_PRELOAD=0`` (skip the start-up imports and warm-up).
Logs: ``EXPLORER_HOME/logs/worker.log`` for auto-started workers, stderr otherwise.
"""

from __future__ import annotations

import contextlib
import fcntl
import importlib
import importlib.util
import inspect
import logging
import math
import os
import secrets
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

import numpy as np

from explorer import jobs
from explorer.errors import ExplorerError, TrainingStopped
from explorer.paths import explorer_home
from explorer.progress import Progress, ProgressCallback

log = logging.getLogger("explorer.jobs.worker")

POLL_S = 0.25  # how often a running job's monitor looks at the job row (cancel) and may write progress
INTERRUPT_AFTER_S = 1.0  # a cancelled job whose code stopped calling back is interrupted after this long
RECONCILE_EVERY_S = 15.0
_THREAD_VARS = ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS", "NUMBA_NUM_THREADS")

Runner = Callable[[dict, Optional[Path], ProgressCallback], Any]


# --------------------------------------------------------------------------- job kinds


@dataclass
class _Kind:
    runner: Runner
    makes_run: bool  # True: the runner writes a run directory into the given path


_KINDS: dict[str, _Kind] = {}


def register_kind(kind: str, runner: Runner, *, makes_run: bool = True) -> None:
    """Make ``kind`` runnable: ``runner(spec, out_dir, callback)`` (out_dir None when ``makes_run`` is False).

    A runner reports through ``callback`` (returning True means stop: raise TrainingStopped) and,
    when it makes a run, writes ``out_dir`` atomically (:func:`explorer.runs.atomic_run_dir`).
    Register in the worker process before it starts (and in the submitting process).
    """
    _KINDS[kind] = _Kind(runner, makes_run)


def known_kinds() -> tuple[str, ...]:
    """The job kinds this process can submit and run."""
    return tuple(_KINDS)


def _run_training(spec: dict, out_dir: Optional[Path], callback: ProgressCallback) -> Path:
    from explorer.training import run_training

    assert out_dir is not None
    return run_training(spec, out_dir, callback)


def _run_projection(spec: dict, out_dir: Optional[Path], callback: ProgressCallback) -> None:
    """A projection job: compute and cache one projection of a run (explorer.analysis.projection)."""
    if importlib.util.find_spec("explorer.analysis.projection") is None:
        raise ExplorerError("projection: the projection module is not installed")
    projection = importlib.import_module("explorer.analysis.projection")
    method, dims, params = spec["method"], int(spec["dims"]), dict(spec.get("params") or {})
    if callback(Progress(stage="project", progress=0.0, message=f"{method} {dims}D")):
        raise TrainingStopped()
    if "callback" in inspect.signature(projection.cached_projection).parameters:
        params["callback"] = callback
    projection.cached_projection(Path(spec["run_dir"]), method, dims, **params)
    callback(Progress(stage="project", progress=1.0, message=f"{method} {dims}D"))


register_kind("skipgram", _run_training)
register_kind("useritem", _run_training)
register_kind("projection", _run_projection, makes_run=False)


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
            if len(self._losses) > jobs.MAX_LOSS_POINTS:
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
                if fields is not None or now - last_beat >= jobs.HEARTBEAT_S:
                    wanted = jobs.report(self.job_id, fields)
                    last_beat = now
                else:
                    wanted = jobs.still_wanted(self.job_id)
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


_WORKER_ID = f"local-{os.getpid()}"  # replaced by run_worker(); children inherit it


def execute_job(job_id: str) -> None:
    """Run one job in this (worker) process: claim it, run it with progress, record the outcome.

    A job that is not queued any more (a duplicate delivery, a cancelled job) is skipped.
    """
    claim = jobs.claim(job_id, _WORKER_ID, os.getpid())
    if claim is None:
        log.info("job %s: not queued any more, skipped", job_id)
        return
    log.info("job %s (%s): started", job_id, claim.kind)
    monitor = JobMonitor(job_id)
    monitor.start()
    out_dir: Optional[Path] = None
    try:
        kind = _KINDS.get(claim.kind)
        if kind is None:
            raise ExplorerError(f"job kind {claim.kind!r}: not known to this worker")
        if kind.makes_run:
            from explorer.jobs.workspaces import run_path

            out_dir = run_path(claim.workspace, claim.run_id or "")
            monitor.run_path = out_dir
        with monitor.interruptible():
            kind.runner(claim.spec, out_dir, monitor)
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
                    jobs.finish(job_id, "failed", error=f"out: {_one_line(exc)}", run_dir=result, fields=monitor.fields())
                    return
        monitor.close()
        jobs.finish(job_id, "done", run_dir=result, fields=monitor.fields(progress=1.0, stage="done"))
        log.info("job %s: done", job_id)
    except TrainingStopped:
        monitor.close()
        jobs.finish(job_id, "cancelled", fields=monitor.fields(stage="cancelled"))
        log.info("job %s: cancelled", job_id)
    except KeyboardInterrupt:
        monitor.close()
        if monitor.interrupted:  # our own interrupt of a cancelled job
            jobs.finish(job_id, "cancelled", fields=monitor.fields(stage="cancelled"))
            log.info("job %s: cancelled (interrupted)", job_id)
            return
        if out_dir is not None and out_dir.is_dir():  # shut down after training finished: keep the run
            jobs.finish(job_id, "done", run_dir=str(out_dir), fields=monitor.fields(progress=1.0, stage="done"))
            raise
        requeued = jobs.requeue(job_id)  # the worker is shutting down
        log.info("job %s: interrupted by shutdown, %s", job_id, "queued again" if requeued else "not requeued")
        raise
    except ExplorerError as exc:
        monitor.close()
        jobs.finish(job_id, "failed", error=str(exc), fields=monitor.fields())
        log.info("job %s: failed: %s", job_id, exc)
    except Exception as exc:
        monitor.close()
        log.exception("job %s: crashed", job_id)
        jobs.finish(job_id, "failed", error=_one_line(exc), fields=monitor.fields())
    finally:
        monitor.close()
        if out_dir is not None:
            from explorer.runs.frames import remove_live_frame

            remove_live_frame(out_dir)
        if claim.run_id:
            from explorer.jobs.workspaces import remove_partial_runs

            remove_partial_runs(claim.workspace, claim.run_id)


def _precompute(run_dir: Path) -> None:
    """Cache what the explorer shows first (explorer.analysis.projection.precompute), when that module exists."""
    if importlib.util.find_spec("explorer.analysis.projection") is None:
        return
    try:
        precompute = getattr(importlib.import_module("explorer.analysis.projection"), "precompute", None)
        if precompute is not None:
            precompute(run_dir)
    except Exception:  # the explorer computes lazily what is missing; the trained run stays good
        log.exception("precompute failed for %s", run_dir)


def copy_run(src: Path, dst: Path) -> Path:
    """Copy a finished run to ``dst`` (the command line's --out) atomically; refuse to overwrite data."""
    from explorer.runs import check_out_dir

    dst = check_out_dir(Path(dst))
    tmp = dst.parent / f".{dst.name}.tmp-{uuid.uuid4().hex[:8]}"
    try:
        shutil.copytree(src, tmp)
        if dst.exists():
            dst.rmdir()
        os.replace(tmp, dst)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return dst


# --------------------------------------------------------------------------- worker processes


def _alive_lock_path() -> Path:
    return explorer_home() / "worker.lock"


_ALIVE_FD: Optional[int] = None  # set in a worker's parent process while it holds the alive lock


def worker_alive() -> bool:
    """True while a worker process serves this data home (on this machine). Cheap: one lock probe.

    Every worker's parent process holds a shared POSIX lock on ``EXPLORER_HOME/worker.lock``;
    the kernel drops it when the process dies, whatever the cause. POSIX locks are not inherited
    by forked children, so an orphaned child never looks like a live worker.
    """
    if _ALIVE_FD is not None:
        return True  # this very process is a worker (probing would release its own lock)
    fd = os.open(_alive_lock_path(), os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return True
    else:
        fcntl.lockf(fd, fcntl.LOCK_UN)
        return False
    finally:
        os.close(fd)


def _hold_alive_lock() -> None:
    global _ALIVE_FD
    fd = os.open(_alive_lock_path(), os.O_RDWR | os.O_CREAT, 0o644)
    fcntl.lockf(fd, fcntl.LOCK_SH)  # waits only while someone probes
    _ALIVE_FD = fd


def _release_alive_lock() -> None:
    global _ALIVE_FD
    if _ALIVE_FD is not None:
        os.close(_ALIVE_FD)
        _ALIVE_FD = None


_spawned: list[subprocess.Popen] = []
_start_guard = threading.Lock()
_start_failed_at = -math.inf
START_RETRY_S = 30.0


def _worker_command(concurrency: int) -> list[str]:
    return [sys.executable, "-m", "explorer", "worker", "--concurrency", str(concurrency)]


def _env_int(name: str, default: int, minimum: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ExplorerError(f"{name}: expected an integer, got {raw!r}") from None
    if value < minimum:
        raise ExplorerError(f"{name}: must be >= {minimum}, got {value}")
    return value


def ensure_worker() -> None:
    """Start a detached worker process when none is alive; idempotent, < 10 ms when one is.

    Also marks the jobs of dead workers failed (at most every 2 s). Does nothing but that when
    ``EXPLORER_START_WORKER=0``. Raises :class:`ExplorerError` when a worker fails to start
    (then stays quiet for 30 s instead of retrying on every call).
    """
    global _start_failed_at
    jobs.maybe_mark_dead_jobs()
    if os.environ.get("EXPLORER_START_WORKER", "1").strip() == "0" or worker_alive():
        return
    with _start_guard:
        for proc in list(_spawned):
            if proc.poll() is not None:
                _spawned.remove(proc)
        if time.monotonic() - _start_failed_at < START_RETRY_S:
            return
        fd = os.open(explorer_home() / "worker-start.lock", os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)  # one starter at a time, across processes
            if worker_alive():
                return
            try:
                _start_worker()
            except ExplorerError:
                _start_failed_at = time.monotonic()
                raise
        finally:
            os.close(fd)


def _start_worker() -> None:
    home = explorer_home()
    logs = home / "logs"
    logs.mkdir(exist_ok=True)
    log_path = logs / "worker.log"
    if log_path.exists() and log_path.stat().st_size > 10 * 2**20:
        os.replace(log_path, logs / "worker.log.1")
    root = Path(__file__).resolve().parents[2]
    env = dict(os.environ)
    env["EXPLORER_HOME"] = str(home)
    env.setdefault("EXPLORER_WORKER_IDLE_EXIT", "3600")
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(root), env.get("PYTHONPATH", "")) if p)
    concurrency = _env_int("EXPLORER_WORKER_CONCURRENCY", 1, 1)
    with open(log_path, "ab") as out:
        proc = subprocess.Popen(_worker_command(concurrency), cwd=root, env=env, stdin=subprocess.DEVNULL,
                                stdout=out, stderr=subprocess.STDOUT, start_new_session=True, close_fds=True)
    _spawned.append(proc)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if worker_alive():
            return
        if proc.poll() is not None:
            raise ExplorerError(f"worker: the worker process exited at start-up (status {proc.returncode}); see {log_path}")
        time.sleep(0.01)
    raise ExplorerError(f"worker: no worker came up within 30 s; see {log_path}")


def requeue_lost_tasks(min_age_s: float = 0.0) -> list[str]:
    """Queue again the queued jobs that have no task in the queue storage; return their ids.

    A job queued twice this way still runs once (its claim is conditional).
    """
    from explorer.jobs import queue

    queued = jobs.queued_jobs(min_age_s)
    if not queued:
        return []
    pending = queue.pending_job_ids()
    lost = [(job_id, priority) for job_id, priority in queued if job_id not in pending]
    for job_id, priority in lost:
        queue.enqueue_job(job_id, priority)
    if lost:
        log.warning("queued again %d job(s) whose queue task was lost", len(lost))
    return [job_id for job_id, _ in lost]


def _threads_per_job(concurrency: int) -> int:
    return max(1, (os.cpu_count() or 1) // concurrency)


def _preload(threads: int) -> None:
    """Import torch and the trainers and compile numba's UMAP code, so that no job pays for it."""
    try:
        import torch

        torch.set_num_threads(threads)
    except ImportError:
        pass
    for name in ("explorer.training.skipgram", "explorer.training.useritem", "explorer.analysis.projection"):
        try:
            if importlib.util.find_spec(name) is not None:
                importlib.import_module(name)
        except Exception:
            log.exception("preloading %s failed", name)
    try:
        if importlib.util.find_spec("explorer.analysis.projection") is not None:
            warmup = getattr(importlib.import_module("explorer.analysis.projection"), "warmup", None)
            if warmup is not None:
                started = time.monotonic()
                warmup()
                log.info("projection warm-up took %.1f s", time.monotonic() - started)
    except Exception:
        log.exception("projection warm-up failed")


def _child_setup(parent_pid: int, preload: bool) -> None:
    """In each forked worker process: die with the parent; warm up in the background."""
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGKILL))  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass

    def watch_parent() -> None:  # portable fallback
        while True:
            time.sleep(0.5)
            if os.getppid() != parent_pid:
                os._exit(1)

    threading.Thread(target=watch_parent, name="watch-parent", daemon=True).start()
    if preload and os.environ.get("EXPLORER_WORKER_PRELOAD", "1").strip() != "0":
        threads = int(os.environ.get("OMP_NUM_THREADS") or 1)
        threading.Thread(target=_preload, args=(threads,), name="preload", daemon=True).start()


def _make_consumer(huey: Any, concurrency: int) -> Any:
    from huey.consumer import Consumer, ConsumerStopped  # noqa: F401  (re-exported for run_worker)
    from huey.consumer import Worker as HueyWorker

    parent_pid = os.getpid()

    class _Consumer(Consumer):
        def _create_process(self, process: Any, name: str) -> Any:
            initialize = process.initialize
            preload = isinstance(process, HueyWorker)

            def setup_then_initialize() -> None:
                _child_setup(parent_pid, preload)
                initialize()

            process.initialize = setup_then_initialize
            return super()._create_process(process, name)

    consumer = _Consumer(huey, workers=concurrency, worker_type="process", periodic=False,
                         initial_delay=0.05, backoff=1.25, max_delay=0.4,
                         check_worker_health=True, health_check_interval=1)
    # SIGINT, SIGTERM and SIGHUP all mean: interrupt running jobs (they go back to the queue) and exit.
    consumer._signal_actions = {sig: (False, False) for sig in consumer._signal_actions}
    return consumer


def _configure_logging() -> None:
    root = logging.getLogger()
    if not root.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s %(processName)s[%(process)d] %(levelname)s %(name)s: %(message)s"))
        root.addHandler(handler)
    root.setLevel(logging.INFO)
    logging.getLogger("huey").setLevel(logging.WARNING)


def run_worker(concurrency: int = 1) -> int:
    """Serve the queue in the foreground with ``concurrency`` worker processes until SIGTERM/SIGINT."""
    global _WORKER_ID
    if concurrency < 1:
        raise ExplorerError(f"--concurrency: must be >= 1, got {concurrency}")
    _hold_alive_lock()
    try:
        from explorer.jobs import queue

        _configure_logging()
        queue.check_connection()
        threads = _threads_per_job(concurrency)
        for var in _THREAD_VARS:
            os.environ.setdefault(var, str(threads))
        idle_exit = _env_int("EXPLORER_WORKER_IDLE_EXIT", 0, 0)
        _WORKER_ID = f"{socket.gethostname()}-{os.getpid()}-{secrets.token_hex(3)}"
        jobs.register_worker(_WORKER_ID, concurrency)
        jobs.mark_dead_jobs()
        requeue_lost_tasks()
        consumer = _make_consumer(queue.get_huey(), concurrency)
        jobs.close_connections()  # nothing open crosses fork()
        consumer.start()
        log.info("worker %s: %d process(es), %d thread(s) each, queue %s", _WORKER_ID, concurrency, threads,
                 "redis" if queue.is_redis() else "sqlite")
        _supervise(consumer, idle_exit)
        _shutdown(consumer)
        log.info("worker %s: stopped", _WORKER_ID)
        return 0
    finally:
        _release_alive_lock()


def _supervise(consumer: Any, idle_exit: float) -> None:
    from huey.consumer import ConsumerStopped

    health = time.monotonic()
    last_tick = last_reconcile = time.monotonic()
    idle_since: Optional[float] = None
    while True:
        try:
            health = consumer.loop(health)  # waits up to 0.1 s; restarts dead worker processes
        except ConsumerStopped:
            return
        now = time.monotonic()
        if now - last_tick < jobs.HEARTBEAT_S:
            continue
        last_tick = now
        try:
            jobs.worker_heartbeat(_WORKER_ID)
            for job_id in jobs.mark_dead_jobs():
                log.warning("job %s: its worker process stopped; marked failed", job_id)
            if now - last_reconcile >= RECONCILE_EVERY_S:
                last_reconcile = now
                requeue_lost_tasks(min_age_s=5.0)
            if idle_exit > 0:
                if jobs.active_count():
                    idle_since = None
                elif idle_since is None:
                    idle_since = now
                elif now - idle_since >= idle_exit:
                    log.info("no jobs for %.0f s: exiting", idle_exit)
                    consumer.stop(graceful=False)
                    return
        except Exception:
            log.exception("supervisor tick failed")


def _shutdown(consumer: Any) -> None:
    """After the consumer stopped: wait for the worker processes, requeue what they left running."""
    procs = [proc for _, proc in consumer.worker_threads] + [consumer.scheduler]
    deadline = time.monotonic() + 10
    for proc in procs:
        proc.join(max(0.0, deadline - time.monotonic()))
    for proc in procs:
        if proc.is_alive():
            proc.kill()
            proc.join(2)
    for job_id in jobs.running_jobs_of(_WORKER_ID):
        row = jobs.job_row(job_id) or {}
        if jobs.requeue(job_id):
            log.info("job %s: queued again", job_id)
        if row.get("run_id"):
            from explorer.jobs.workspaces import remove_partial_runs

            remove_partial_runs(row["workspace"], row["run_id"])
    jobs.worker_stopped(_WORKER_ID)
