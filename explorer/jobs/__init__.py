"""Background jobs: the job table (SQLite, the source of truth for state), the huey queue, the
worker processes and the workspaces that own runs and jobs.

Layers, each importing only those below it (no cycles)::

    worker (processes)  ->  execute (one job)  ->  submission (submit, cancel, retry)  ->  queue (huey)
                                                                                       ->  table (SQLite)

Beside them: :mod:`~explorer.jobs.workspaces` (tokens, run folders, the gallery folder),
:mod:`~explorer.jobs.classes` (classes, roles, limits, the class gallery's records) and, above both,
:mod:`~explorer.jobs.visibility`: the one rule of who may see a run, asked by every listing, projection
job, cache and download.

The face re-exports the job table (:mod:`explorer.jobs.table`) and submission
(:mod:`explorer.jobs.submission`).
"""

from explorer.jobs.submission import cancel, requeue, retry, submit, submit_projection  # noqa: F401
from explorer.jobs.table import (  # noqa: F401
    DEAD_PID_GRACE_S,
    FINAL_STATES,
    HEARTBEAT_S,
    MAX_LOSS_POINTS,
    STATES,
    WORKER_STOPPED,
    Claim,
    JobInfo,
    active_count,
    claim,
    claim_next,
    close_connections,
    connect,
    db_path,
    default_concurrency,
    failure,
    finish,
    get,
    heartbeat_timeout,
    is_valid_job_id,
    job_row,
    journal_mode,
    latest_projection,
    list_jobs,
    live_workers,
    mark_dead_jobs,
    maybe_mark_dead_jobs,
    peek,
    pid_alive,
    queue_view,
    queued_jobs,
    register_worker,
    report,
    running_jobs_of,
    still_wanted,
    worker_heartbeat,
    worker_stopped,
)
