"""Lanes and fair order: which queued job a free worker process runs next.

A worker started with ``--concurrency N`` has N processes. With N >= 2, processes 1 to N - 1 form the
*training lane* and may run *long* jobs; process N (the *interactive lane*) only takes *short* jobs,
so a student's 3-second sample training or a small projection starts within a second even while
another student's long training or t-SNE runs. With N = 1 the one process takes everything.

The training lane's processes run at a lower CPU priority (``nice`` +5 by default,
``EXPLORER_TRAINING_NICE``; 0 turns it off): on a busy machine the interactive lane, the app server
and the students' short jobs get the cores first, and a long job uses what is left. Alone on the
machine a long job still gets every core. On the 2-core VM this took the 30-student class's
Train -> model p95 from 47-60 s to 35-41 s (bench/results_classroom.md).

Long or short comes from a cheap estimate of the job's duration that its kind makes
(:func:`estimate_seconds`: e.g. the training file's size times the epochs, a graph's walk steps, a
projection's number of points, method and dims), so a t-SNE 3D of a 7,000-word model and a
million-edge graph are long, and a projection of the 300-word sample is short.

Fair order across workspaces (:func:`fair_order`): a queued job's turn is its rank among its
workspace's queued jobs plus the number of jobs that workspace already runs; ties go to higher
priority (a projection someone is waiting for on Explore), then to the workspace served longest ago,
then to the earlier submission. One student's ten queued jobs therefore take turns with
everyone else's instead of running first.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Optional

from explorer import kinds
from explorer.errors import ExplorerError

LONG_AFTER_S = 15.0  # a job expected to take longer than this runs only in the training lane


@dataclass(frozen=True)
class QueuedJob:
    """What scheduling needs of one job row (queued or running)."""

    id: str
    workspace: str
    kind: str
    spec: str  # the JSON text of the job table
    priority: int = 0
    queued_at: float = 0.0
    seq: int = 0
    worker_id: Optional[str] = None
    started: Optional[float] = None

    @property
    def estimate_s(self) -> float:
        return _estimate_cached(self.kind, self.spec)

    @property
    def long(self) -> bool:
        return self.estimate_s > LONG_AFTER_S


def estimate_seconds(kind: str, spec: Mapping[str, Any]) -> float:
    """A rough duration of the job on one busy core (seconds); only used to pick a lane and guess waits.

    The job's kind estimates it (:meth:`explorer.kinds.TrainingKind.estimate_seconds` from the spec and
    its input files' sizes; a job kind's from its spec); a spec that does not validate: the overhead.
    """
    job_kind = kinds.job_kinds().get(kind)
    if job_kind is not None:
        return job_kind.estimate_seconds(spec)
    try:
        typed = kinds.spec_from_dict({**spec, "kind": kind})
    except ExplorerError:
        return kinds.base.JOB_OVERHEAD_S
    return typed.training_kind.estimate_seconds(typed, kinds.data_stats(typed))


@lru_cache(maxsize=4096)
def _estimate_cached(kind: str, spec_json: str) -> float:
    try:
        spec = json.loads(spec_json)
    except ValueError:
        return kinds.base.JOB_OVERHEAD_S
    return estimate_seconds(kind, spec if isinstance(spec, dict) else {})


def long_slots(concurrency: int) -> int:
    """How many of a worker's processes may run long jobs at once (all but one when there are two or more)."""
    return max(1, concurrency - 1)


def fair_order(queued: Sequence[QueuedJob], running: Iterable[QueuedJob] = (),
               last_start: Optional[Mapping[str, float]] = None) -> list[QueuedJob]:
    """Queued jobs in the order they should start (see the module docstring).

    ``last_start``: when each workspace last had a job started; among equal turns and priorities, the
    workspace served longest ago goes first (so a finished job's workspace does not win the next tie by
    being early).
    """
    last_start = last_start or {}
    busy: dict[str, int] = {}
    for job in running:
        busy[job.workspace] = busy.get(job.workspace, 0) + 1
    by_ws: dict[str, list[QueuedJob]] = {}
    for job in sorted(queued, key=lambda j: (-j.priority, j.queued_at, j.seq)):
        by_ws.setdefault(job.workspace, []).append(job)
    keyed = [((busy.get(ws, 0) + rank, -job.priority, last_start.get(ws, 0.0), job.queued_at, job.seq), job)
             for ws, jobs in by_ws.items() for rank, job in enumerate(jobs)]
    return [job for _, job in sorted(keyed, key=lambda kv: kv[0])]


def in_training_lane(process: int, concurrency: int) -> bool:
    """Whether a worker's process number ``process`` (1-based, as huey names them) belongs to the training lane:
    all but the last one; with one process, that one."""
    return concurrency == 1 or process <= long_slots(concurrency)


def pick(queued: Sequence[QueuedJob], running: Sequence[QueuedJob], worker_id: str, concurrency: int,
         last_start: Optional[Mapping[str, float]] = None, may_run_long: bool = True) -> Optional[QueuedJob]:
    """The job a free process of ``worker_id`` should claim now, or None (only long jobs wait, and this
    process is in the interactive lane (``may_run_long`` False) or its worker's training lane is full)."""
    room = _long_room(running, worker_id, concurrency)
    for job in fair_order(queued, running, last_start):
        if not job.long or (may_run_long and room):
            return job
    return None


def training_lane_free(queued: Sequence[QueuedJob], running: Sequence[QueuedJob], worker_id: str,
                       concurrency: int) -> bool:
    """A long job is queued and this worker's training lane has room for it (so an interactive process
    holding its queue task should hand the task over)."""
    return _long_room(running, worker_id, concurrency) and any(j.long for j in queued)


def _long_room(running: Sequence[QueuedJob], worker_id: str, concurrency: int) -> bool:
    """Whether the worker's training lane can start another long job."""
    return sum(1 for j in running if j.worker_id == worker_id and j.long) < long_slots(concurrency)


def expected_waits(queued: Sequence[QueuedJob], running: Sequence[QueuedJob], slots: int, now: float,
                   last_start: Optional[Mapping[str, float]] = None) -> dict[str, float]:
    """Expected seconds until each queued job starts: the work ahead of it in its lane over that lane's slots.

    Long jobs share the training lane (:func:`long_slots`); short jobs share the processes that no long
    job occupies. Running jobs count with what is left of their estimate.
    """
    slots = max(1, slots)
    long_running = [j for j in running if j.long]
    short_slots = max(1, slots - min(len(long_running), long_slots(slots)))
    left = {True: 0.0, False: 0.0}
    for job in running:
        begun = job.started if job.started is not None else now
        left[job.long] += max(0.0, job.estimate_s - (now - begun))
    out: dict[str, float] = {}
    for job in fair_order(queued, running, last_start):
        lane_slots = long_slots(slots) if job.long else short_slots
        out[job.id] = left[job.long] / lane_slots
        left[job.long] += job.estimate_s
    return out
