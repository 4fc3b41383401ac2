"""Submitting jobs: the job table row plus the queue task (submit, projection, cancel, retry, requeue).

Training specs are validated against the registry (:func:`explorer.kinds.spec_from_dict`) and
stored as :meth:`explorer.kinds.TrainingSpec.to_dict` (versioned JSON); the worker rebuilds the
typed spec once from it (:func:`explorer.training.run_training`).
This module sits above :mod:`explorer.jobs.table` (SQLite only) and :mod:`explorer.jobs.queue`
(huey), so neither of them imports the other.
"""

from __future__ import annotations

import json
import secrets
import time
from typing import Any

import explorer.jobs.queue as queue
from explorer.errors import ExplorerError
from explorer.jobs.table import connect, is_valid_job_id
from explorer.kinds import PROJECTION, TrainingSpec, default_name, spec_from_dict


def _dumps(obj: Any, what: str) -> str:
    try:
        return json.dumps(obj, ensure_ascii=False, sort_keys=True, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise ExplorerError(f"{what}: not JSON data ({exc})", code="spec_not_json", what=what) from None


def _create_job(workspace: str, kind: str, name: str, spec: dict, priority: int, makes_run: bool) -> str:
    from explorer.jobs.workspaces import new_run_id

    spec_json = _dumps(spec, "spec")
    job_id = secrets.token_hex(10)
    now = time.time()
    conn = connect()
    conn.execute(
        "INSERT INTO jobs (id, workspace, kind, name, spec, state, priority, queued_at, created, run_id) "
        "VALUES (?, ?, ?, ?, ?, 'queued', ?, ?, ?, ?)",
        (job_id, workspace, kind, name, spec_json, priority, now, now, new_run_id() if makes_run else None),
    )
    try:
        queue.enqueue_job(job_id, priority)
    except Exception as exc:  # queue storage unreachable: say so now, keep the row as a retryable failure
        detail = f"{type(exc).__name__}: {exc}"
        message = f"queue unavailable ({detail})"
        conn.execute("UPDATE jobs SET state = 'failed', error = ?, finished = ? WHERE id = ? AND state = 'queued'",
                     (message, time.time(), job_id))
        raise ExplorerError(f"queue: {message}", code="queue_unavailable", detail=detail) from None
    return job_id


def submit(spec: TrainingSpec | dict, workspace: str) -> str:
    """Queue a training job for ``workspace``; return its id at once.

    ``spec``: a :class:`~explorer.kinds.TrainingSpec` or its dict; a spec that does not validate
    (unknown kind, missing data file name, a value out of bounds) is refused with one line.
    """
    from explorer.jobs.assignments import check_spec
    from explorer.jobs.classes import check_submit
    from explorer.jobs.workspaces import check_token

    check_token(workspace)
    typed = spec_from_dict(spec)
    typed.name = typed.name or default_name(typed)
    stored = typed.to_dict()
    check_submit(workspace, typed)  # the class's limits (epochs, dim, input sizes, jobs at once), app and CLI alike
    check_spec(workspace, typed)  # the class's assignment: its fixed settings and bounds
    return _create_job(workspace, typed.kind, typed.name, stored, queue.TRAINING_PRIORITY, makes_run=True)


def submit_projection(run_dir: str, method: str, dims: int, params: dict, workspace: str) -> str:
    """Queue a projection (t-SNE, UMAP, PCA) of a run the workspace may see
    (:func:`explorer.jobs.visibility.check_visible`); return the job id.

    An identical projection still queued or running in the workspace is not queued twice: its id is returned.
    """
    from explorer.analysis.projection import PROJECTION_METHODS
    from explorer.jobs.classes import check_job_slots
    from explorer.jobs.visibility import check_visible
    from explorer.jobs.workspaces import check_token, projection_store

    check_token(workspace)
    # own runs, the samples, the gallery of the workspace's class (or the open one), a teacher's students' runs
    path = check_visible(workspace, run_dir)
    if method not in PROJECTION_METHODS:
        raise ExplorerError(f"method: expected one of {', '.join(PROJECTION_METHODS)}, got {method!r}",
                            code="param_choice", name="method", value=method, choices=", ".join(PROJECTION_METHODS))
    if dims not in (2, 3):
        raise ExplorerError(f"dims: expected 2 or 3, got {dims!r}", code="param_choice", name="dims", value=dims,
                            choices="2, 3")
    if not isinstance(params, dict) or not all(isinstance(k, str) for k in params):
        raise ExplorerError("params: expected a dict with string keys", code="projection_params")
    spec = {"kind": PROJECTION.name, "run_dir": str(path), "method": method, "dims": int(dims), "params": params,
            "name": f"{method} {dims}D: {path.name}"}
    store = projection_store(workspace, path)  # a run this workspace does not own is never written to
    if store is not None:
        spec["store"] = str(store)
    spec_json = _dumps(spec, "params")
    same = connect().execute(
        "SELECT id FROM jobs WHERE workspace = ? AND kind = ? AND spec = ? AND state IN ('queued', 'running') "
        "ORDER BY seq DESC LIMIT 1", (workspace, PROJECTION.name, spec_json)).fetchone()
    if same is not None:
        return same[0]
    check_job_slots(workspace)
    return _create_job(workspace, PROJECTION.name, spec["name"], spec, queue.PROJECTION_PRIORITY, makes_run=False)


def cancel(job_id: str, workspace: str) -> bool:
    """Cancel a queued or running job of ``workspace``; False when unknown, another's, or already finished.

    A queued job is cancelled at once; a running one stops at its next progress report (<= ~1 s) and
    leaves no run directory behind.
    """
    from explorer.jobs.workspaces import is_valid_token

    if not is_valid_job_id(job_id) or not is_valid_token(workspace):
        return False
    conn = connect()
    now = time.time()
    cur = conn.execute(
        "UPDATE jobs SET state = 'cancelled', stage = 'cancelled', finished = ? "
        "WHERE id = ? AND workspace = ? AND state = 'queued'", (now, job_id, workspace))
    if cur.rowcount == 1:
        try:
            queue.revoke_job(job_id)
        except Exception:  # the conditional claim skips it anyway
            pass
        return True
    cur = conn.execute(
        "UPDATE jobs SET cancel_requested = 1 WHERE id = ? AND workspace = ? AND state = 'running'",
        (job_id, workspace))
    return cur.rowcount == 1


def retry(job_id: str, workspace: str) -> str:
    """Queue a new job with the same spec as a failed or cancelled job of ``workspace``; return the new id."""
    row = connect().execute("SELECT * FROM jobs WHERE id = ? AND workspace = ?",
                            (job_id if is_valid_job_id(job_id) else "", workspace)).fetchone()
    if row is None:
        raise ExplorerError(f"job {str(job_id)[:40]}: not found in this workspace", code="job_not_found",
                            job=str(job_id)[:40])
    if row["state"] not in ("failed", "cancelled"):
        raise ExplorerError(f"job {job_id}: only failed or cancelled jobs can be retried (this one is {row['state']})",
                            code="job_not_retryable", job=job_id, state=row["state"])
    spec = json.loads(row["spec"])
    if row["run_id"] is None and spec.get("run_dir"):  # a job on an existing run: it may have left the workspace's
        # sight since (withdrawn, left the class)
        from explorer.jobs.visibility import check_visible

        check_visible(workspace, spec.get("run_dir", ""))
    return _create_job(workspace, row["kind"], row["name"], spec, row["priority"], makes_run=row["run_id"] is not None)




def requeue(job_id: str) -> bool:
    """Put a running job back in the queue (its worker is shutting down); a job asked to cancel is cancelled."""
    conn = connect()
    now = time.time()
    conn.execute("UPDATE jobs SET state = 'cancelled', stage = 'cancelled', finished = ? "
                 "WHERE id = ? AND state = 'running' AND cancel_requested = 1", (now, job_id))
    cur = conn.execute(
        "UPDATE jobs SET state = 'queued', queued_at = ?, started = NULL, heartbeat = NULL, progress = 0, "
        "stage = '', epoch = 0, loss_history = '[]', rate = NULL, eta_s = NULL, metrics = NULL, worker_id = NULL, "
        "worker_host = NULL, worker_pid = NULL WHERE id = ? AND state = 'running'", (now, job_id))
    if cur.rowcount != 1:
        return False
    priority = conn.execute("SELECT priority FROM jobs WHERE id = ?", (job_id,)).fetchone()[0]
    queue.enqueue_job(job_id, priority)
    return True
