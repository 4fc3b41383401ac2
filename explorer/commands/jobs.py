"""``submit``, ``status``, ``cancel`` and ``worker``: the job queue from the command line.

The command line has its own workspace: ``$EXPLORER_WORKSPACE`` when set, else a token created
once in ``EXPLORER_HOME/cli_workspace`` (``submit --workspace TOKEN`` picks another, e.g. a
browser's, so the run shows up in that browser). ``status`` and ``cancel`` act on the command
line's own jobs; a job of another workspace (a browser's) needs ``--operator``: whoever runs the
command line on the server may act as its operator, but must say so. ``status`` never prints
another workspace's token to someone who may not hold it (the token is access to the workspace): the
workspace appears as a fingerprint (``ws-`` + 12 hex digits of its SHA-256, as the gallery records
owners). ``run_dir`` names a folder that exists: the ``--out`` copy when one was asked for, else the
run in its workspace (to the workspace's own command line and to the operator; a teacher reading a
student's job gets null there). ``status`` only reads: it opens the job table read-only. A class's teacher (``$EXPLORER_WORKSPACE`` = the teacher's workspace) may read
the class's students' jobs without it.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from dataclasses import asdict
from pathlib import Path

from explorer import settings
from explorer.errors import ExplorerError


def run(args: argparse.Namespace) -> int:
    handlers = {"submit": _submit, "status": _status, "cancel": _cancel, "worker": _worker}
    return handlers[args.command](args)


def _submit(args: argparse.Namespace) -> int:
    """Queue a training job with ``train``'s flags; print the job id and return at once.

    ``--workspace`` may come before or after the kind; ``--out`` is optional (the run lives in the
    workspace; with ``--out`` the worker also copies it there)."""
    from explorer.commands.kind_flags import spec_from_args
    from explorer.jobs.workspaces import cli_workspace, is_valid_token

    if args.workspace is not None and not is_valid_token(args.workspace):
        raise ExplorerError("--workspace: not a valid workspace token", code="bad_workspace")
    spec = spec_from_args(args.model, args)  # bad input is refused before the queue's imports
    from explorer import jobs
    from explorer.jobs.worker import ensure_worker
    from explorer.runs import check_out_dir

    if args.out is not None:  # the worker also copies the finished run here
        spec.out = str(check_out_dir(Path(args.out)).resolve())
    workspace = args.workspace or cli_workspace()
    job_id = jobs.submit(spec, workspace)
    print(job_id, flush=True)
    try:
        ensure_worker()
    except ExplorerError as exc:  # the job is queued all the same; say why nothing runs it yet
        print(f"warning: {exc}", file=sys.stderr)
    return 0


def _own_workspace() -> str | None:
    """The command line's token, read without creating it (None when it has none yet)."""
    from explorer.jobs.workspaces import is_valid_token
    from explorer.paths import explorer_home

    env = settings.workspace()
    if env:
        return env if is_valid_token(env) else None
    try:
        token = (explorer_home() / "cli_workspace").read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return token if is_valid_token(token) else None


def fingerprint(token: str) -> str:
    """A workspace's public name in ``status``: ``ws-`` + 12 hex digits of the token's SHA-256."""
    return "ws-" + hashlib.sha256(token.encode("utf-8")).hexdigest()[:12]


def _job_or_error(job_id: str, operator: bool, read_only: bool = False):
    from explorer import jobs

    info = jobs.peek(job_id) if read_only else jobs.get(job_id)
    if info is None:
        raise ExplorerError(f"job {job_id[:40]}: not found", code="job_not_found", job=job_id[:40])
    if not operator and info.workspace != _own_workspace() and not _teacher_of(info.workspace):
        raise ExplorerError(f"job {info.id}: belongs to another workspace; add --operator to act on it as the "
                            "server's operator", code="job_other_workspace", job=info.id)
    return info


def _reveals(info, operator: bool) -> bool:
    """Whether ``status`` may name paths that carry the job's workspace token: to that workspace's own
    command line, or to the operator (who acts as the server's owner and reads the data home anyway)."""
    return operator or info.workspace == _own_workspace()


def _teacher_of(workspace: str) -> bool:
    """True when the command line acts as the teacher of the class ``workspace`` belongs to."""
    from explorer.jobs.classes import check_student_access

    try:
        check_student_access(_own_workspace(), workspace)
    except ExplorerError:
        return False
    return True


def shown_run_dir(info, reveal: bool) -> str | None:
    """The folder ``status`` names as the job's ``run_dir``: always one that exists, or None.

    A training job's ``--out`` folder when it was given (the copy the command line asked for), else the run
    in its workspace -- named only to whoever may know the workspace token (its own command line, or the
    operator, who reads the data home anyway); a teacher reading a student's job gets None there, since
    the path would carry the student's token. A projection job names the run it projects."""
    spec = info.spec if isinstance(info.spec, dict) else {}
    candidates = [spec.get("out"), info.run_dir] if spec.get("out") else [info.run_dir]
    for candidate in candidates:
        if not candidate or not Path(candidate).is_dir():
            continue
        if reveal or info.workspace not in str(candidate):
            return str(candidate)
    return None


def _print(info, reveal: bool = False) -> None:
    from explorer.jobs.worker import worker_alive

    data = asdict(info)
    token = data["workspace"]
    data["workspace"] = fingerprint(token)
    data["run_dir"] = shown_run_dir(info, reveal) if info.state in ("done", "failed") else None
    text = json.dumps(data | {"worker_alive": worker_alive()}, indent=2, ensure_ascii=False)
    if not reveal:
        text = text.replace(token, fingerprint(token))  # nowhere else either (spec fields)
    print(text)


def _status(args: argparse.Namespace) -> int:
    """Print the job as JSON (all JobInfo fields, plus whether a worker is alive); writes nothing."""
    import sqlite3

    from explorer.jobs.store import reading

    try:
        with reading():  # the class database too (a teacher reading a student's job): nothing written
            info = _job_or_error(args.job, getattr(args, "operator", False), read_only=True)
    except sqlite3.DatabaseError as exc:
        from explorer.jobs.table import db_path

        what = "is damaged" if "not a database" in str(exc) or "malformed" in str(exc) else "cannot be read"
        raise ExplorerError(f"{db_path()}: the job table {what}; any other command moves a damaged table aside "
                            "(status only reads)", code="jobs_unreadable", path=str(db_path())) from None
    _print(info, _reveals(info, getattr(args, "operator", False)))
    return 0


def _cancel(args: argparse.Namespace) -> int:
    """Cancel a queued or running job; wait (up to 5 s) for a running one to stop; print its state."""
    from explorer import jobs

    operator = getattr(args, "operator", False)
    info = _job_or_error(args.job, operator)
    if not info.active:
        raise ExplorerError(f"job {info.id}: already {info.state}, nothing to cancel")
    if not jobs.cancel(info.id, info.workspace):
        info = _job_or_error(args.job, operator)
        raise ExplorerError(f"job {info.id}: already {info.state}, nothing to cancel")
    deadline = time.monotonic() + 5
    info = _job_or_error(args.job, operator)
    while info.active and time.monotonic() < deadline:
        time.sleep(0.05)
        info = _job_or_error(args.job, operator)
    _print(info, _reveals(info, operator))
    return 0


def _worker(args: argparse.Namespace) -> int:
    from explorer.jobs.worker import run_worker

    return run_worker(args.concurrency)
