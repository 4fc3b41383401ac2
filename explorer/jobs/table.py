"""The job table: SQLite rows that hold every job's spec, state and progress.

Queueing (submit, cancel, retry, requeue) lives in :mod:`explorer.jobs.submission`, which also
talks to the queue; this module talks to SQLite only.

The job table lives in ``EXPLORER_HOME/jobs.sqlite`` (SQLite in WAL mode, busy timeout set), apart
from the queue storage (:mod:`explorer.jobs.queue`). It is the source of truth for a job's state::

    queued ──claim──► running ──► done | failed | cancelled
       └──cancel──► cancelled        (failed: error message; "worker stopped" when its worker died)

* Exactly once: a worker moves a row ``queued -> running`` with a conditional UPDATE
  (:func:`claim`), so a task delivered twice never runs twice.
* Progress: the worker writes at most ~4 times a second (:func:`report`); pages poll :func:`get`
  or :func:`list_jobs` (a fraction of a millisecond each, see bench/results_jobs.md).
* Cancel: a queued job is cancelled at once; a running one gets ``cancel_requested``, which the
  worker's training callback sees within a fraction of a second and stops (<= 2 s in all).
* Dead workers: a running job whose heartbeat is older than ``EXPLORER_HEARTBEAT_TIMEOUT`` seconds
  (default 10), or whose worker process on this machine is gone, is marked failed with
  ``"worker stopped"`` (:func:`mark_dead_jobs`); :func:`explorer.jobs.submission.retry` queues it again.
  (Done instead when its run directory was already complete.)

Job ids are random (80 bits): knowing one is like holding a link to it. Lists, cancel, retry
and delete work only inside the caller's workspace (:mod:`explorer.jobs.workspaces`).
"""

from __future__ import annotations

import json
import os
import re
import socket
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional
from urllib.parse import quote

from explorer import settings
from explorer.errors import ExplorerError
from explorer.kinds import PROJECTION
from explorer.paths import explorer_home

STATES = ("queued", "running", "done", "failed", "cancelled")
FINAL_STATES = frozenset({"done", "failed", "cancelled"})
WORKER_STOPPED = "worker stopped"
MAX_LOSS_POINTS = 500  # loss_history keeps at most this many evenly spaced points
HEARTBEAT_S = 1.0  # a running job's heartbeat period
DEAD_PID_GRACE_S = 3.0  # a job on this machine whose process is gone is dead after this many missed seconds

_JOB_ID_RE = re.compile(r"[0-9a-f]{20}")
_SCHEMA_VERSION = 2  # 2: jobs.error_detail (a failed job's error code and params, to translate it)
_SCHEMA = """
CREATE TABLE IF NOT EXISTS jobs (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    workspace TEXT NOT NULL,
    kind TEXT NOT NULL,
    name TEXT NOT NULL DEFAULT '',
    spec TEXT NOT NULL,
    state TEXT NOT NULL,
    priority INTEGER NOT NULL DEFAULT 0,
    queued_at REAL NOT NULL,
    progress REAL NOT NULL DEFAULT 0,
    stage TEXT NOT NULL DEFAULT '',
    epoch INTEGER NOT NULL DEFAULT 0,
    epochs INTEGER NOT NULL DEFAULT 0,
    loss_history TEXT NOT NULL DEFAULT '[]',
    rate REAL,
    eta_s REAL,
    metrics TEXT,
    error TEXT,
    error_detail TEXT,
    run_id TEXT,
    run_dir TEXT,
    created REAL NOT NULL,
    started REAL,
    finished REAL,
    heartbeat REAL,
    cancel_requested INTEGER NOT NULL DEFAULT 0,
    attempts INTEGER NOT NULL DEFAULT 0,
    worker_id TEXT,
    worker_host TEXT,
    worker_pid INTEGER
);
CREATE INDEX IF NOT EXISTS jobs_workspace ON jobs (workspace, seq);
CREATE INDEX IF NOT EXISTS jobs_state ON jobs (state, priority, queued_at);
CREATE TABLE IF NOT EXISTS workers (
    id TEXT PRIMARY KEY,
    host TEXT NOT NULL,
    pid INTEGER NOT NULL,
    concurrency INTEGER NOT NULL,
    started REAL NOT NULL,
    heartbeat REAL NOT NULL,
    stopped REAL
);
"""


@dataclass
class JobInfo:
    """One job as pages and ``status`` see it.

    progress is 0..1; loss_history holds at most :data:`MAX_LOSS_POINTS` evenly spaced loss reports
    of the whole run; rate is words/s (Skip-gram) or interactions/s (user-item); queue_position is
    1-based among all queued jobs (None unless queued); times are UNIX seconds.
    """

    id: str
    workspace: str
    kind: str  # a registered kind (explorer.kinds): "skipgram", "useritem", "projection", ...
    name: str
    spec: dict
    state: str  # queued | running | done | failed | cancelled
    progress: float
    stage: str
    epoch: int
    epochs: int
    loss_history: list[float]
    rate: Optional[float]
    eta_s: Optional[float]
    queue_position: Optional[int]
    error: Optional[str]
    run_dir: Optional[str]
    created: float
    started: Optional[float]
    finished: Optional[float]
    heartbeat: Optional[float]
    metrics: Optional[dict]
    expected_wait_s: Optional[float] = None  # queued only: expected seconds until it starts (explorer.jobs.lanes)

    @property
    def active(self) -> bool:
        """Still queued or running (a page keeps polling while this is True)."""
        return self.state not in FINAL_STATES


@dataclass
class Claim:
    """What a worker needs to run a job it has claimed."""

    id: str
    workspace: str
    kind: str
    spec: dict
    run_id: Optional[str]


# --------------------------------------------------------------------------- connection


def db_path() -> Path:
    """``EXPLORER_HOME/jobs.sqlite``."""
    return explorer_home() / "jobs.sqlite"


def journal_mode() -> str:
    """``wal`` (default) or ``delete`` (``EXPLORER_JOBS_JOURNAL=delete``: for a data home on a network filesystem)."""
    return settings.jobs_journal()


def heartbeat_timeout() -> float:
    """Seconds without a heartbeat after which a running job counts as dead (``EXPLORER_HEARTBEAT_TIMEOUT``)."""
    return max(settings.heartbeat_timeout(), 2 * HEARTBEAT_S)


def connect() -> sqlite3.Connection:
    """This thread's connection to the job table (autocommit; see :mod:`explorer.jobs.store`: a damaged
    table is moved aside, the schema is created or upgraded once under a write, and a read-only or
    full home still reads, refusing writes with one line)."""
    from explorer.jobs.store import connection

    return connection(db_path(), what="job table", version=_SCHEMA_VERSION, setup=_create_schema,
                      journal=journal_mode())


def close_connections() -> None:
    """Close this thread's connections (a worker does this before forking its children)."""
    from explorer.jobs.store import close_connections as close_all

    close_all()


def _create_schema(conn: sqlite3.Connection) -> None:
    """Create the schema or upgrade it to :data:`_SCHEMA_VERSION` (idempotent; runs under a write, once)."""
    conn.executescript(_SCHEMA)  # idempotent (IF NOT EXISTS)
    try:  # a job table made by version 1 gains the column; a new one has it already
        conn.execute("ALTER TABLE jobs ADD COLUMN error_detail TEXT")
    except sqlite3.OperationalError as exc:
        if "duplicate column" not in str(exc):
            raise
    conn.execute(f"PRAGMA user_version = {_SCHEMA_VERSION}")


# --------------------------------------------------------------------------- reading


def _loads(text: Optional[str], default: Any) -> Any:
    return json.loads(text) if text else default


def _info(row: sqlite3.Row, position: Optional[int], wait: Optional[float] = None) -> JobInfo:
    return JobInfo(
        id=row["id"], workspace=row["workspace"], kind=row["kind"], name=row["name"],
        spec=_loads(row["spec"], {}), state=row["state"], progress=row["progress"], stage=row["stage"],
        epoch=row["epoch"], epochs=row["epochs"], loss_history=_loads(row["loss_history"], []),
        rate=row["rate"], eta_s=row["eta_s"], queue_position=position if row["state"] == "queued" else None,
        error=row["error"], run_dir=row["run_dir"], created=row["created"], started=row["started"],
        finished=row["finished"], heartbeat=row["heartbeat"], metrics=_loads(row["metrics"], None),
        expected_wait_s=(round(wait, 1) if wait is not None else None) if row["state"] == "queued" else None,
    )


def is_valid_job_id(job_id: object) -> bool:
    """True for strings shaped like generated job ids."""
    return isinstance(job_id, str) and _JOB_ID_RE.fullmatch(job_id) is not None


def get(job_id: str, workspace: Optional[str] = None) -> Optional[JobInfo]:
    """The job, or None when unknown (or, when ``workspace`` is given, owned by another workspace)."""
    if not is_valid_job_id(job_id):
        return None
    maybe_mark_dead_jobs()
    conn = connect()
    row = conn.execute("SELECT * FROM jobs WHERE id = ?", (job_id,)).fetchone()
    if row is None or (workspace is not None and row["workspace"] != workspace):
        return None
    if row["state"] != "queued":
        return _info(row, None)
    positions, waits = queue_view()
    return _info(row, positions.get(row["id"]), waits.get(row["id"]))


def peek(job_id: str) -> Optional[JobInfo]:
    """The job as stored, read without writing anything (no schema, no dead-job marking): for
    ``status``. None when the job or the table does not exist."""
    path = db_path()
    if not is_valid_job_id(job_id) or not path.exists():
        return None
    # without a -wal file nobody is writing and everything is in the main file: read it as immutable,
    # which creates no -wal/-shm files; with one, a read-only connection shares the writers' index
    wal = path.with_name(path.name + "-wal").exists()
    conn = sqlite3.connect(f"file:{quote(str(path))}?mode=ro" + ("" if wal else "&immutable=1"), uri=True,
                           timeout=30)
    try:
        conn.row_factory = sqlite3.Row
        try:
            row = conn.execute("SELECT * FROM jobs WHERE id = ?", (job_id,)).fetchone()
        except sqlite3.OperationalError as exc:
            if "no such table" in str(exc):
                return None
            raise
        if row is None:
            return None
        position = None
        if row["state"] == "queued":
            position = 1 + conn.execute(
                "SELECT COUNT(*) FROM jobs WHERE state = 'queued' AND (priority > ? OR (priority = ? AND "
                "(queued_at < ? OR (queued_at = ? AND seq < ?))))",
                (row["priority"], row["priority"], row["queued_at"], row["queued_at"], row["seq"]),
            ).fetchone()[0]
        return _info(row, position)
    finally:
        conn.close()


def list_jobs(workspace: str, limit: int = 200) -> list[JobInfo]:
    """The workspace's jobs, newest first (at most ``limit``)."""
    from explorer.jobs.workspaces import check_token

    check_token(workspace)
    maybe_mark_dead_jobs()
    conn = connect()
    rows = conn.execute("SELECT * FROM jobs WHERE workspace = ? ORDER BY seq DESC LIMIT ?", (workspace, limit)).fetchall()
    positions: dict[str, int] = {}
    waits: dict[str, float] = {}
    if any(r["state"] == "queued" for r in rows):
        positions, waits = queue_view()
    return [_info(r, positions.get(r["id"]), waits.get(r["id"])) for r in rows]


def latest_projection(workspace: str, run_dir: str, method: str, dims: int, params: dict) -> Optional[JobInfo]:
    """The workspace's newest projection job of exactly this run, method, dims and parameters (any state), or None.

    Pages ask this before queueing: a projection already queued, running or done is not queued again.
    """
    want = (str(Path(run_dir).resolve()), method, int(dims), dict(params))
    for job in list_jobs(workspace):  # newest first
        spec = job.spec
        if job.kind == PROJECTION.name and (spec.get("run_dir"), spec.get("method"), spec.get("dims"),
                                         spec.get("params")) == want:
            return job
    return None


_LANE_COLUMNS = "id, workspace, kind, spec, priority, queued_at, seq, worker_id, started"


def _lane_rows(conn: sqlite3.Connection) -> tuple[list[Any], list[Any], dict[str, float]]:
    """Queued and running jobs for scheduling, and when each workspace with queued jobs last had one started."""
    from explorer.jobs.lanes import QueuedJob

    rows = conn.execute(f"SELECT state, {_LANE_COLUMNS} FROM jobs WHERE state IN ('queued', 'running')").fetchall()
    queued = [QueuedJob(*tuple(r)[1:]) for r in rows if r[0] == "queued"]
    running = [QueuedJob(*tuple(r)[1:]) for r in rows if r[0] == "running"]
    last_start: dict[str, float] = {}
    waiting = sorted({j.workspace for j in queued})
    if waiting:
        marks = ",".join("?" * len(waiting))
        last_start = {ws: t for ws, t in conn.execute(
            f"SELECT workspace, MAX(started) FROM jobs WHERE workspace IN ({marks}) AND started IS NOT NULL "
            "GROUP BY workspace", waiting)}
    return queued, running, last_start


def queue_view() -> tuple[dict[str, int], dict[str, float]]:
    """Queue position (1-based, fair order across workspaces) and expected wait (s) of every queued job."""
    from explorer.jobs.lanes import expected_waits, fair_order

    queued, running, last_start = _lane_rows(connect())
    positions = {job.id: i + 1 for i, job in enumerate(fair_order(queued, running, last_start))}
    slots = sum(int(w["concurrency"]) for w in live_workers()) or default_concurrency()
    return positions, expected_waits(queued, running, slots, time.time(), last_start)


def default_concurrency() -> int:
    """Processes of an auto-started worker: ``EXPLORER_WORKER_CONCURRENCY``, default 2 (a training lane and an
    interactive lane, see explorer.jobs.lanes)."""
    return settings.worker_concurrency()


def job_row(job_id: str) -> Optional[dict[str, Any]]:
    """The raw table row (worker pid, attempts, ...): for operators, tests and benchmarks."""
    row = connect().execute("SELECT * FROM jobs WHERE id = ?", (job_id,)).fetchone()
    return dict(row) if row is not None else None


def active_count() -> int:
    """How many jobs are queued or running (all workspaces)."""
    return connect().execute("SELECT COUNT(*) FROM jobs WHERE state IN ('queued', 'running')").fetchone()[0]


# --------------------------------------------------------------------------- worker side


def claim(job_id: str, worker_id: str, pid: int) -> Optional[Claim]:
    """Move the job ``queued -> running`` for this worker; None if it is not queued (duplicate, cancelled)."""
    if not is_valid_job_id(job_id):
        return None
    conn = connect()
    now = time.time()
    cur = conn.execute(
        "UPDATE jobs SET state = 'running', started = ?, heartbeat = ?, stage = 'starting', cancel_requested = 0, "
        "attempts = attempts + 1, worker_id = ?, worker_host = ?, worker_pid = ? WHERE id = ? AND state = 'queued'",
        (now, now, worker_id, socket.gethostname(), pid, job_id))
    if cur.rowcount != 1:
        return None
    row = conn.execute("SELECT workspace, kind, spec, run_id FROM jobs WHERE id = ?", (job_id,)).fetchone()
    return Claim(id=job_id, workspace=row["workspace"], kind=row["kind"], spec=json.loads(row["spec"]),
                 run_id=row["run_id"])


@dataclass(frozen=True)
class NoClaim:
    """Why :func:`claim_next` claimed nothing: ``waiting`` -- jobs are queued but none may start in this
    process now; ``hand_over`` -- one of them is a long job that this worker's training lane could start
    (this process is in the interactive lane: give the queue task to the others)."""

    waiting: bool = False
    hand_over: bool = False


def claim_next(worker_id: str, pid: int, concurrency: int,
               may_run_long: bool = True) -> tuple[Optional[Claim], NoClaim]:
    """Claim the job a free process of this worker should run now (fair order, lanes: explorer.jobs.lanes).

    ``may_run_long``: this process is in the training lane. Returns ``(claim, NoClaim())`` or
    ``(None, why)``. The choice and the claim happen in one write transaction, so two processes never
    both take the last long slot.
    """
    from explorer.jobs.lanes import pick, training_lane_free

    conn = connect()
    conn.execute("BEGIN IMMEDIATE")
    try:
        queued, running, last_start = _lane_rows(conn)
        chosen = pick(queued, running, worker_id, concurrency, last_start, may_run_long)
        if chosen is None:
            conn.execute("COMMIT")
            hand_over = not may_run_long and training_lane_free(queued, running, worker_id, concurrency)
            return None, NoClaim(waiting=bool(queued), hand_over=hand_over)
        now = time.time()
        cur = conn.execute(
            "UPDATE jobs SET state = 'running', started = ?, heartbeat = ?, stage = 'starting', cancel_requested = 0, "
            "attempts = attempts + 1, worker_id = ?, worker_host = ?, worker_pid = ? WHERE id = ? AND state = 'queued'",
            (now, now, worker_id, socket.gethostname(), pid, chosen.id))
        row = conn.execute("SELECT workspace, kind, spec, run_id FROM jobs WHERE id = ?", (chosen.id,)).fetchone()
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    if cur.rowcount != 1:
        return None, NoClaim(waiting=True)
    return Claim(id=chosen.id, workspace=row["workspace"], kind=row["kind"], spec=json.loads(row["spec"]),
                 run_id=row["run_id"]), NoClaim()


_PROGRESS_FIELDS = ("progress", "stage", "epoch", "epochs", "loss_history", "rate", "eta_s", "metrics")


def _progress_sql(fields: dict[str, Any]) -> tuple[str, list[Any]]:
    sets, values = [], []
    for key, value in fields.items():
        if key not in _PROGRESS_FIELDS:
            raise KeyError(key)
        if key in ("loss_history", "metrics"):
            value = None if value is None else json.dumps(value, default=float)
        sets.append(f"{key} = ?")
        values.append(value)
    return "".join(f", {s}" for s in sets), values


def report(job_id: str, fields: Optional[dict[str, Any]] = None) -> bool:
    """Heartbeat plus optional progress fields; False when the job must stop (cancel asked, or no longer running)."""
    sets, values = _progress_sql(fields or {})
    conn = connect()
    cur = conn.execute(f"UPDATE jobs SET heartbeat = ?{sets} WHERE id = ? AND state = 'running'",
                       [time.time(), *values, job_id])
    if cur.rowcount != 1:
        return False
    return not conn.execute("SELECT cancel_requested FROM jobs WHERE id = ?", (job_id,)).fetchone()[0]


def still_wanted(job_id: str) -> bool:
    """True while the job is running and nobody asked to cancel it."""
    row = connect().execute("SELECT state, cancel_requested FROM jobs WHERE id = ?", (job_id,)).fetchone()
    return row is not None and row[0] == "running" and not row[1]


def finish(job_id: str, state: str, *, error: Optional[str] = None, run_dir: Optional[str] = None,
           fields: Optional[dict[str, Any]] = None, error_code: Optional[str] = None,
           error_params: Optional[dict[str, Any]] = None) -> bool:
    """End a running job as done, failed or cancelled; False if it was no longer running.

    ``error`` is the one-line (English) message that ``status`` shows; ``error_code`` and ``error_params``
    (an :class:`ExplorerError`'s) let the pages show it in the UI's language (:func:`failure`)."""
    assert state in FINAL_STATES, state
    sets, values = _progress_sql(fields or {})
    now = time.time()
    detail = json.dumps({"code": error_code, "params": error_params or {}}, ensure_ascii=False,
                        default=str) if error_code else None
    cur = connect().execute(
        f"UPDATE jobs SET state = ?, error = ?, error_detail = ?, run_dir = ?, finished = ?, heartbeat = ?{sets} "
        "WHERE id = ? AND state = 'running'",
        [state, error, detail, run_dir, now, now, *values, job_id])
    return cur.rowcount == 1


def failure(job_id: str) -> Optional[ExplorerError]:
    """A failed job's error as an :class:`ExplorerError` with its code and params when the job recorded them
    (so :func:`explorer.i18n.error_text` translates it), else with its message only; None when it has none."""
    if not is_valid_job_id(job_id):
        return None
    row = connect().execute("SELECT error, error_detail FROM jobs WHERE id = ?", (job_id,)).fetchone()
    if row is None or not row["error"]:
        return None
    detail = _loads(row["error_detail"], None)
    if not isinstance(detail, dict) or not isinstance(detail.get("code"), str):
        if row["error"] == WORKER_STOPPED:
            return ExplorerError(row["error"], code="job_worker_stopped")
        return ExplorerError(row["error"])
    params = detail.get("params") if isinstance(detail.get("params"), dict) else {}
    return ExplorerError(row["error"], code=detail["code"], **{str(k): v for k, v in params.items()})


def running_jobs_of(worker_id: str) -> list[str]:
    """Ids of the jobs a worker is running."""
    rows = connect().execute("SELECT id FROM jobs WHERE state = 'running' AND worker_id = ?", (worker_id,))
    return [r[0] for r in rows]


def queued_jobs(older_than_s: float = 0.0) -> list[tuple[str, int]]:
    """(id, priority) of queued jobs submitted at least ``older_than_s`` seconds ago, in queue order."""
    rows = connect().execute(
        "SELECT id, priority FROM jobs WHERE state = 'queued' AND queued_at <= ? ORDER BY priority DESC, queued_at, seq",
        (time.time() - older_than_s,))
    return [(r[0], r[1]) for r in rows]


def pid_alive(pid: Optional[int]) -> bool:
    """True while process ``pid`` of this machine exists and is not a zombie."""
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            return fh.read().rsplit(b")", 1)[1].split()[0] != b"Z"
    except (OSError, IndexError):
        return True  # no /proc (macOS): kill(0) said it exists


def mark_dead_jobs() -> list[str]:
    """End the running jobs whose worker died; return their ids.

    Dead: no heartbeat for :func:`heartbeat_timeout` seconds, or -- on this machine -- no heartbeat
    for a few seconds and its process is gone. A dead job is marked failed ("worker stopped", retryable)
    and what it left beside its run is removed -- unless its run directory is already complete (the worker
    died after training, while it cached projections): then the job is done, as when a worker shuts down at
    that point, and the run keeps no temporary file. A job whose run still had to be copied to ``--out``
    stays failed. Each job is ended once, whichever process (a worker on any host, the app) sees it first.
    """
    now = time.time()
    timeout = heartbeat_timeout()
    host = socket.gethostname()
    conn = connect()
    rows = conn.execute(
        "SELECT id, workspace, spec, run_id, heartbeat, worker_host, worker_pid FROM jobs "
        "WHERE state = 'running' AND (heartbeat IS NULL OR heartbeat < ?)", (now - DEAD_PID_GRACE_S,)).fetchall()
    dead = []
    for row in rows:
        beat = row["heartbeat"] or 0.0
        gone = beat < now - timeout or (row["worker_host"] == host and not pid_alive(row["worker_pid"]))
        if not gone:
            continue
        conn.execute("BEGIN IMMEDIATE")
        try:
            whole = _whole_run(row)
            if whole is not None:
                cur = conn.execute(
                    "UPDATE jobs SET state = 'done', stage = 'done', progress = 1, run_dir = ?, finished = ? "
                    "WHERE id = ? AND state = 'running' AND heartbeat IS ?", (str(whole), now, row["id"], row["heartbeat"]))
            else:
                cur = conn.execute(
                    "UPDATE jobs SET state = 'failed', error = ?, finished = ? WHERE id = ? AND state = 'running' "
                    "AND heartbeat IS ?", (WORKER_STOPPED, now, row["id"], row["heartbeat"]))
            if cur.rowcount == 1:
                dead.append(row["id"])
                if row["run_id"]:  # gone before anyone can see the job ended
                    from explorer.jobs.workspaces import remove_partial_runs

                    remove_partial_runs(row["workspace"], row["run_id"])
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
    return dead


def _whole_run(row: sqlite3.Row) -> Optional[Path]:
    """The complete run directory a dead job left (its temporary files inside removed), or None."""
    if not row["run_id"] or _loads(row["spec"], {}).get("out"):
        return None
    from explorer.jobs.workspaces import finished_run

    return finished_run(row["workspace"], row["run_id"])


_last_check = 0.0
_CHECK_EVERY_S = 2.0


def maybe_mark_dead_jobs() -> None:
    """:func:`mark_dead_jobs`, at most every 2 s per process (pages call this on every poll)."""
    global _last_check
    now = time.monotonic()
    if now - _last_check < _CHECK_EVERY_S:
        return
    _last_check = now
    mark_dead_jobs()


# --------------------------------------------------------------------------- workers


def register_worker(worker_id: str, concurrency: int) -> None:
    now = time.time()
    conn = connect()
    conn.execute("DELETE FROM workers WHERE heartbeat < ?", (now - 7 * 86400,))  # forget week-old workers
    conn.execute(
        "INSERT OR REPLACE INTO workers (id, host, pid, concurrency, started, heartbeat) VALUES (?, ?, ?, ?, ?, ?)",
        (worker_id, socket.gethostname(), os.getpid(), concurrency, now, now))


def worker_heartbeat(worker_id: str) -> None:
    connect().execute("UPDATE workers SET heartbeat = ? WHERE id = ?", (time.time(), worker_id))


def worker_stopped(worker_id: str) -> None:
    connect().execute("UPDATE workers SET stopped = ? WHERE id = ?", (time.time(), worker_id))


def live_workers() -> list[dict[str, Any]]:
    """Worker processes (any machine) with a recent heartbeat and no clean stop: id, host, pid, concurrency, started."""
    rows = connect().execute(
        "SELECT id, host, pid, concurrency, started, heartbeat FROM workers WHERE stopped IS NULL AND heartbeat >= ? "
        "ORDER BY started", (time.time() - heartbeat_timeout(),))
    return [dict(r) for r in rows]
