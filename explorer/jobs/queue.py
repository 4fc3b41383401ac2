"""The task queue: a huey instance whose storage is chosen by configuration.

``EXPLORER_QUEUE_URL`` picks the storage:

* unset (default): ``SqliteHuey`` in ``EXPLORER_HOME/queue.sqlite`` -- nothing to install or start;
* ``sqlite:////abs/path/queue.sqlite``: SqliteHuey in that file;
* ``redis://host:port/db`` (also ``rediss://``, ``unix://``): ``PriorityRedisHuey`` (Redis >= 5), so
  workers on several machines can share one queue (see bench/results_jobs.md, "Several machines").

A task carries only a job id; the job table (:mod:`explorer.jobs`) holds the spec and is the source
of truth for state. Delivery is at least once; :func:`explorer.jobs.claim` makes execution exactly once.
Huey serialises its task messages with pickle: they only ever hold our own job ids, but the queue
storage (the Redis server) must not be writable by untrusted parties.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional

from explorer import settings
from explorer.errors import ExplorerError
from explorer.paths import explorer_home

if TYPE_CHECKING:  # huey (and redis under it) is imported on first use: `status` and `jobs` never need it
    from huey import Huey
    from huey.api import TaskWrapper

QUEUE_NAME = "explorer"
TRAINING_PRIORITY = 0  # training jobs
PROJECTION_PRIORITY = 10  # projections are short: they go ahead of queued training jobs

_lock = threading.Lock()
_instances: dict[str, tuple[Huey, TaskWrapper]] = {}
_execute: Optional[Callable[[str], None]] = None


def queue_url() -> str:
    """The configured queue storage URL (default: SQLite under the data home)."""
    url = settings.queue_url()
    return url or f"sqlite:///{explorer_home() / 'queue.sqlite'}"


def is_redis(url: Optional[str] = None) -> bool:
    """True when the queue lives in Redis."""
    return (url or queue_url()).split(":", 1)[0] in ("redis", "rediss", "unix")


def serve(execute: Callable[[str], None]) -> None:
    """Make this process run tasks with ``execute(job_id)`` (the worker passes
    :func:`explorer.jobs.execute.execute_job` before it forks; the queue never imports the worker)."""
    global _execute
    _execute = execute


def _run_job(job_id: str) -> None:
    """The one huey task: run a job of the job table (in a worker process)."""
    if _execute is None:
        raise RuntimeError("this process does not run jobs (only a worker does: explorer.jobs.queue.serve)")
    _execute(job_id)


def _create(url: str) -> tuple[Huey, TaskWrapper]:
    from huey import PriorityRedisHuey, SqliteHuey

    scheme = url.split(":", 1)[0]
    if scheme == "sqlite":
        path = url[len("sqlite://"):]
        if not path.startswith("/"):
            raise ExplorerError(f"EXPLORER_QUEUE_URL: sqlite URL needs an absolute path (sqlite:////abs/file), got {url!r}")
        from explorer.jobs.recovery import ensure_usable

        try:  # a damaged queue file is moved aside like the job table; the worker queues lost tasks again
            ensure_usable(Path("/" + path.lstrip("/")), "job queue")  # sqlite:////abs: path starts with //
        except OSError:  # cannot be renamed (a read-only home): huey's own error says what is wrong
            pass
        huey: Any = SqliteHuey(QUEUE_NAME, filename=path, results=False, timeout=10)
    elif scheme in ("redis", "rediss", "unix"):
        # blocking BZPOPMIN: a waiting worker picks a new task up at once
        huey = PriorityRedisHuey(QUEUE_NAME, url=url, results=False, blocking=True, read_timeout=1)
    else:
        raise ExplorerError(f"EXPLORER_QUEUE_URL: unsupported queue storage {scheme!r} (use sqlite:/// or redis://)")
    return huey, huey.task(name="run_job")(_run_job)


def _instance() -> tuple[Huey, TaskWrapper]:
    url = queue_url()
    with _lock:
        pair = _instances.get(url)
        if pair is None:
            pair = _instances[url] = _create(url)
        return pair


def get_huey() -> Huey:
    """The huey instance for the configured storage (one per URL and process)."""
    return _instance()[0]


def enqueue_job(job_id: str, priority: int = TRAINING_PRIORITY) -> None:
    """Put a job on the queue; the huey task id is the job id, higher ``priority`` runs first."""
    huey, run_job = _instance()
    huey.enqueue(run_job.s(job_id, id=job_id, priority=priority or None))


def revoke_job(job_id: str) -> None:
    """Ask huey to skip the job's task if it is still queued (the job table already guards this)."""
    get_huey().revoke_by_id(job_id, revoke_once=True)


def pending_job_ids() -> set[str]:
    """Ids of the jobs whose task is waiting in the queue storage."""
    return {task.id for task in get_huey().pending()}


def check_connection() -> None:
    """Raise :class:`ExplorerError` when the queue storage cannot be reached."""
    url = queue_url()
    try:
        get_huey().storage.queue_size()
    except ExplorerError:
        raise
    except Exception as exc:  # redis.ConnectionError, sqlite3.OperationalError, ...
        shown = url.split("@")[-1]  # never print a password
        raise ExplorerError(f"EXPLORER_QUEUE_URL: cannot reach the queue at {shown} ({type(exc).__name__}: {exc})") from None
