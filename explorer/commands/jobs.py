"""``submit``, ``status``, ``cancel`` and ``worker``: the job queue from the command line.

The command line has its own workspace: ``$EXPLORER_WORKSPACE`` when set, else a token created
once in ``EXPLORER_HOME/cli_workspace`` (``submit --workspace TOKEN`` picks another, e.g. a
browser's, so the run shows up in that browser). ``status`` and ``cancel`` act on any job id:
whoever runs the command line on the server is its operator.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import asdict
from pathlib import Path

from explorer.errors import ExplorerError


def run(args: argparse.Namespace) -> int:
    handlers = {"submit": _submit, "status": _status, "cancel": _cancel, "worker": _worker}
    return handlers[args.command](args)


def _submit(args: argparse.Namespace) -> int:
    """Queue a training job with ``train``'s flags; print the job id and return at once.

    ``--workspace`` may come before or after the kind; ``--out`` is optional (the run lives in the
    workspace; with ``--out`` the worker also copies it there)."""
    from explorer import jobs
    from explorer.commands.kind_flags import spec_from_args
    from explorer.jobs.worker import ensure_worker
    from explorer.jobs.workspaces import cli_workspace, is_valid_token
    from explorer.runs import check_out_dir

    spec = spec_from_args(args.model, args)
    if args.out is not None:  # the worker also copies the finished run here
        spec.out = str(check_out_dir(Path(args.out)).resolve())
    if args.workspace is not None and not is_valid_token(args.workspace):
        raise ExplorerError("--workspace: not a valid workspace token", code="bad_workspace")
    workspace = args.workspace or cli_workspace()
    job_id = jobs.submit(spec, workspace)
    print(job_id, flush=True)
    try:
        ensure_worker()
    except ExplorerError as exc:  # the job is queued all the same; say why nothing runs it yet
        print(f"warning: {exc}", file=sys.stderr)
    return 0


def _job_or_error(job_id: str):
    from explorer import jobs

    info = jobs.get(job_id)
    if info is None:
        raise ExplorerError(f"job {job_id[:40]}: not found")
    return info


def _print(info) -> None:
    from explorer.jobs.worker import worker_alive

    print(json.dumps(asdict(info) | {"worker_alive": worker_alive()}, indent=2, ensure_ascii=False))


def _status(args: argparse.Namespace) -> int:
    """Print the job as JSON (all JobInfo fields, plus whether a worker is alive)."""
    _print(_job_or_error(args.job))
    return 0


def _cancel(args: argparse.Namespace) -> int:
    """Cancel a queued or running job; wait (up to 5 s) for a running one to stop; print its state."""
    from explorer import jobs

    info = _job_or_error(args.job)
    if not info.active:
        raise ExplorerError(f"job {info.id}: already {info.state}, nothing to cancel")
    if not jobs.cancel(info.id, info.workspace):
        info = _job_or_error(args.job)
        raise ExplorerError(f"job {info.id}: already {info.state}, nothing to cancel")
    deadline = time.monotonic() + 5
    info = _job_or_error(args.job)
    while info.active and time.monotonic() < deadline:
        time.sleep(0.05)
        info = _job_or_error(args.job)
    _print(info)
    return 0


def _worker(args: argparse.Namespace) -> int:
    from explorer.jobs.worker import run_worker

    return run_worker(args.concurrency)
