"""Worker processes: start-up, supervision, heartbeats (one job runs in :mod:`explorer.jobs.execute`).

``python -m explorer worker --concurrency N`` (:func:`run_worker`) is a huey consumer whose N
workers are forked processes: training gets its own process (torch and numba threads included),
the server never trains. The parent process supervises:

* huey's health check restarts a worker process that died (every second);
* a running job whose process died or whose heartbeat stopped is marked failed "worker stopped"
  (:func:`explorer.jobs.mark_dead_jobs`), so it can be retried (done, when its run was already complete);
* queued jobs whose queue task was lost (a crash between dequeue and claim, a wiped queue file,
  a restarted Redis) are queued again at start-up and every 15 s -- never run twice, because a job
  only runs after its conditional ``queued -> running`` claim;
* on SIGTERM/SIGINT it interrupts running jobs, puts them back in the queue and exits.

The app calls :func:`ensure_worker` on every page run: when no worker is alive it starts one,
detached (its own session, so a server restart does not stop it), guarded by a lock file so that
many sessions or a reload never start two. Each worker process pre-imports torch and the trainers
and compiles numba's UMAP code once, in the background, at start-up.

Environment: ``EXPLORER_START_WORKER=0`` (never start one; workers run elsewhere),
``EXPLORER_WORKER_CONCURRENCY`` (processes of an auto-started worker; default 2: a training lane and an
interactive lane, see :mod:`explorer.jobs.lanes`),
``EXPLORER_WORKER_IDLE_EXIT`` (seconds without jobs before a worker exits; auto-started default
3600, otherwise never), ``EXPLORER_WORKER_PRELOAD=0`` (skip the start-up imports and warm-up),
``EXPLORER_TRAINING_NICE`` (how much lower the training lane's CPU priority is; default 5, 0: none).
Logs: ``EXPLORER_HOME/logs/worker.log`` for auto-started workers, stderr otherwise.
"""

from __future__ import annotations

import fcntl
import logging
import math
import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any, Optional

from explorer import kinds, settings
from explorer.errors import ExplorerError
from explorer.jobs import execute, queue, submission
from explorer.jobs import table as jobs
from explorer.paths import explorer_home
from explorer.settings import JOB_THREADS_VAR

log = logging.getLogger("explorer.jobs.worker")

RECONCILE_EVERY_S = 15.0
# BLAS (OpenBLAS, MKL) stays on one thread in the worker processes: explorer.threads.share_cores
_THREAD_VARS = ("OMP_NUM_THREADS", "NUMBA_NUM_THREADS")



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
    try:  # never create the file here: a probe is a read (`status` writes nothing)
        fd = os.open(_alive_lock_path(), os.O_RDWR)
    except FileNotFoundError:
        return False  # no worker ever started in this data home
    except OSError:  # a read-only home: ask the kernel who holds the lock through a read-only descriptor
        return _lock_held_read_only()
    try:
        fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return True
    else:
        fcntl.lockf(fd, fcntl.LOCK_UN)
        return False
    finally:
        os.close(fd)


def _lock_held_read_only() -> bool:
    """Whether a process holds a lock on the worker lock file, asked with ``F_GETLK`` on a read-only
    descriptor (``lockf`` needs a writable one; a read-only data home gives only these)."""
    import struct

    try:
        fd = os.open(_alive_lock_path(), os.O_RDONLY)
    except OSError:
        return False
    try:
        probe = struct.pack("hhqqi", fcntl.F_WRLCK, os.SEEK_SET, 0, 0, 0)  # struct flock: type, whence, start, len, pid
        answer = fcntl.fcntl(fd, fcntl.F_GETLK, probe)
        return struct.unpack("hhqqi", answer)[0] != fcntl.F_UNLCK
    except OSError:
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


def ensure_worker() -> None:
    """Start a detached worker process when none is alive; idempotent, < 10 ms when one is.

    Also marks the jobs of dead workers failed (at most every 2 s). Does nothing but that when
    ``EXPLORER_START_WORKER=0``. Raises :class:`ExplorerError` when a worker fails to start
    (then stays quiet for 30 s instead of retrying on every call).
    """
    global _start_failed_at
    jobs.maybe_mark_dead_jobs()
    if not settings.start_worker() or worker_alive():
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
    concurrency = jobs.default_concurrency()
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
    """Threads per job: the cores shared by the training lane (the interactive lane's short jobs borrow them)."""
    from explorer.jobs.lanes import long_slots

    return max(1, (os.cpu_count() or 1) // long_slots(concurrency))


def _preload(threads: int) -> None:
    """Import torch and the trainers and compile the training kernels and numba's UMAP code, so that no job pays for it."""
    try:
        import torch

        torch.set_num_threads(threads)
    except ImportError:
        pass
    for kind in kinds.training_kinds().values():
        try:
            kind.load_runner()
        except Exception:
            log.exception("preloading %s failed", kind.runner)
    try:
        from explorer.training.sgns.pool import warm as kernel_warmup

        started = time.monotonic()
        kernel_warmup()
        log.info("training kernel warm-up took %.1f s", time.monotonic() - started)
    except Exception:
        log.exception("training kernel warm-up failed")
    try:
        from explorer.analysis.projection import warmup

        started = time.monotonic()
        warmup()
        log.info("projection warm-up took %.1f s", time.monotonic() - started)
    except Exception:
        log.exception("projection warm-up failed")


def _training_nice() -> int:
    """``EXPLORER_TRAINING_NICE``: how much lower the training lane's CPU priority is (default 5; 0: the same)."""
    return settings.training_nice()


def _child_setup(parent_pid: int, preload: bool, number: int = 1) -> None:
    """In each forked worker process (``number`` 1-based): its lane, at a lower CPU priority in the training
    lane (first, so that every thread it starts inherits it); die with the parent; share the cores
    (explorer.threads); warm up in the background."""
    from explorer.threads import share_cores

    execute.set_process(number)
    nice = _training_nice()
    if nice and execute.in_training_lane() and execute.concurrency() > 1:
        try:
            os.nice(nice)
        except OSError:
            log.warning("could not lower the training lane's priority")
    share_cores()
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
    if preload and settings.worker_preload():
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
            number = int(name.rsplit("-", 1)[1]) if preload and name.rsplit("-", 1)[-1].isdigit() else 1

            def setup_then_initialize() -> None:
                _child_setup(parent_pid, preload, number)
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
    if not 1 <= concurrency <= 256:
        raise ExplorerError(f"--concurrency: must be between 1 and 256, got {concurrency}")
    from explorer.startup import one_command
    from explorer.threads import share_cores

    one_command(False)  # many jobs: nothing made from now on is frozen out of the collector's reach (explorer.startup)
    share_cores()  # before the worker processes fork and load torch: OpenMP and BLAS threads share the cores
    _training_nice()  # a bad EXPLORER_TRAINING_NICE is refused here, not in each forked process
    execute.set_concurrency(concurrency)
    _hold_alive_lock()
    try:
        _configure_logging()
        queue.check_connection()
        threads = _threads_per_job(concurrency)
        for var in _THREAD_VARS:
            os.environ.setdefault(var, str(threads))
        os.environ.setdefault(JOB_THREADS_VAR, str(threads))
        idle_exit = settings.worker_idle_exit()
        execute.set_worker_id(f"{socket.gethostname()}-{os.getpid()}-{secrets.token_hex(3)}")
        queue.serve(execute.execute_job)  # what the forked worker processes run for each task
        jobs.register_worker(execute.worker_id(), concurrency)
        jobs.mark_dead_jobs()
        requeue_lost_tasks()
        consumer = _make_consumer(queue.get_huey(), concurrency)
        jobs.close_connections()  # nothing open crosses fork()
        consumer.start()
        log.info("worker %s: %d process(es), %d thread(s) each, queue %s", execute.worker_id(), concurrency, threads,
                 "redis" if queue.is_redis() else "sqlite")
        _supervise(consumer, idle_exit)
        _shutdown(consumer)
        log.info("worker %s: stopped", execute.worker_id())
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
            jobs.worker_heartbeat(execute.worker_id())
            for job_id in jobs.mark_dead_jobs():
                state = (jobs.job_row(job_id) or {}).get("state")
                log.warning("job %s: its worker process stopped; marked %s", job_id, state)
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
    for job_id in jobs.running_jobs_of(execute.worker_id()):
        row = jobs.job_row(job_id) or {}
        if submission.requeue(job_id):
            log.info("job %s: queued again", job_id)
        if row.get("run_id"):
            from explorer.jobs.workspaces import remove_partial_runs

            remove_partial_runs(row["workspace"], row["run_id"])
    jobs.worker_stopped(execute.worker_id())
