"""Lanes and fair order: a slow job never blocks the class (explorer.jobs.lanes, jobs.claim_next)."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from explorer import jobs
from explorer.jobs import lanes, workspaces
from explorer.jobs.lanes import QueuedJob
from explorer.kinds.base import JOB_OVERHEAD_S
from tests.support import jobs as S
from tests.support.jobs import fake_kinds  # noqa: F401  (registers the fake kinds for this module)


def q(id_: str, ws: str, seconds: float = 1.0, priority: int = 0, at: float = 0.0, worker: str | None = None,
      started: float | None = None) -> QueuedJob:
    spec = {"config": {"steps": 1, "step_s": max(0.0, seconds - JOB_OVERHEAD_S)}}
    return QueuedJob(id_, ws, "sleep", json.dumps(spec), priority, at, int(at * 10), worker, started)


def test_fair_order_takes_turns_across_workspaces() -> None:
    ten = [q(f"a{i}", "A", at=i) for i in range(10)]
    late = [q("b0", "B", at=20), q("c0", "C", at=30)]
    order = [j.id for j in lanes.fair_order(ten + late)]
    assert order[:4] == ["a0", "b0", "c0", "a1"]  # one student's ten jobs do not delay the others
    # a workspace that already runs a job waits behind one that runs none
    busy = [q("ar", "A", worker="w", started=0)]
    assert [j.id for j in lanes.fair_order([q("a0", "A"), q("b0", "B", at=5)], busy)] == ["b0", "a0"]
    # within a workspace, higher priority (projections) first
    assert [j.id for j in lanes.fair_order([q("t", "A"), q("p", "A", priority=10, at=1)])] == ["p", "t"]


def test_long_jobs_leave_the_interactive_lane_free() -> None:
    long_running = [q("L1", "A", seconds=600, worker="w", started=0)]
    queued = [q("L2", "A", seconds=600, at=1), q("S1", "B", seconds=3, at=2)]
    assert lanes.pick(queued, long_running, "w", concurrency=2).id == "S1"
    assert lanes.pick([queued[0]], long_running, "w", concurrency=2) is None  # the last process waits for short work
    assert lanes.pick([queued[0]], long_running, "w", concurrency=3).id == "L2"
    assert lanes.pick([queued[0]], long_running, "other-worker", concurrency=2).id == "L2"
    assert lanes.pick([queued[0]], [], "w", concurrency=1).id == "L2"
    waits = lanes.expected_waits(queued, long_running, slots=2, now=100.0)
    assert waits["S1"] == 0.0 and waits["L2"] == pytest.approx(500.0)


def test_the_interactive_process_never_takes_a_long_job_and_hands_it_over() -> None:
    queued = [q("L", "A", seconds=600), q("S", "B", seconds=3, at=1)]
    assert lanes.pick(queued, [], "w", concurrency=2, may_run_long=False).id == "S"
    assert lanes.pick(queued[:1], [], "w", concurrency=2, may_run_long=False) is None
    assert lanes.training_lane_free(queued[:1], [], "w", concurrency=2)  # an idle training lane: hand it over
    busy = [q("L0", "C", seconds=600, worker="w", started=0)]
    assert not lanes.training_lane_free(queued[:1], busy, "w", concurrency=2)  # the lane is full: keep waiting
    assert not lanes.training_lane_free(queued[1:], [], "w", concurrency=2)  # no long job waits
    assert [lanes.in_training_lane(n, 2) for n in (1, 2)] == [True, False]
    assert [lanes.in_training_lane(n, 4) for n in (1, 2, 3, 4)] == [True, True, True, False]
    assert lanes.in_training_lane(1, 1)


def test_estimates_pick_lanes(tmp_path: Path) -> None:
    import numpy as np

    run = tmp_path / "run"
    run.mkdir()
    np.save(run / "vectors.npy", np.zeros((7000, 8), dtype=np.float32))
    assert lanes.estimate_seconds("projection", {"run_dir": str(run), "method": "tsne", "dims": 3}) > lanes.LONG_AFTER_S
    assert lanes.estimate_seconds("projection", {"run_dir": str(run), "method": "pca", "dims": 3}) < lanes.LONG_AFTER_S
    small = tmp_path / "small.txt"
    small.write_text("a b c d\n" * 1000)
    assert lanes.estimate_seconds("skipgram", {"data": {"corpus": str(small)}, "config": {"epochs": 5}}) < 5


@pytest.mark.slow  # starts a worker subprocess
def test_a_small_job_runs_within_seconds_while_a_long_one_runs(explorer_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EXPLORER_START_WORKER", "0")
    proc = S.start_worker(explorer_home, concurrency=2)
    try:
        a, b = workspaces.new_token(), workspaces.new_token()
        long_job = jobs.submit(S.sleep_spec("long", steps=600, step_s=0.05), a)  # 30 s: long
        queued_long = jobs.submit(S.sleep_spec("long2", steps=400, step_s=0.05), a)
        S.wait_state(long_job, "running", 30)
        time.sleep(0.5)  # the second process now holds the waiting long job's task
        started = time.monotonic()
        small = jobs.submit(S.sleep_spec("small", steps=2), b)
        S.wait_state(small, ("running", "done"), 5)
        assert time.monotonic() - started < 5
        S.wait_state(small, "done", 10)
        assert jobs.get(queued_long).state == "queued" and jobs.get(long_job).state == "running"
        jobs.cancel(long_job, a)
        S.wait_state(queued_long, "running", 10)
        jobs.cancel(queued_long, a)
        S.wait_state(queued_long, "cancelled", 10)
        assert S.executions(explorer_home).count("long2") == 1 and S.executions(explorer_home).count("small") == 1
    finally:
        assert S.stop_worker(proc) == 0


@pytest.mark.slow  # starts a worker subprocess
def test_fair_order_with_a_worker(explorer_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EXPLORER_START_WORKER", "0")
    a, b = workspaces.new_token(), workspaces.new_token()
    many = [jobs.submit(S.sleep_spec(f"a{i}", steps=2), a) for i in range(6)]
    late = jobs.submit(S.sleep_spec("b", steps=2), b)
    assert jobs.get(late).queue_position == 2
    proc = S.start_worker(explorer_home, concurrency=1)
    try:
        for job in [*many, late]:
            S.wait_state(job, "done", 30)
    finally:
        assert S.stop_worker(proc) == 0
    order = S.executions(explorer_home)
    assert sorted(order) == sorted([f"a{i}" for i in range(6)] + ["b"])  # each ran once
    assert order.index("b") <= 1  # not after the other workspace's six


@pytest.mark.slow  # starts a worker subprocess
def test_long_jobs_start_at_once_in_the_lower_priority_training_lane(explorer_home: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    monkeypatch.setenv("EXPLORER_START_WORKER", "0")
    proc = S.start_worker(explorer_home, concurrency=2)
    try:
        ws = workspaces.new_token()
        for i in range(4):  # whichever process takes the queue task, the training lane runs the job
            job = jobs.submit(S.sleep_spec(f"long{i}", steps=400, step_s=0.05), ws)
            started = time.monotonic()
            S.wait_state(job, "running", 10)
            assert time.monotonic() - started < 3
            # +5 over the worker's own niceness (which it inherits from this process: 0 in CI, more under nice)
            assert os.getpriority(os.PRIO_PROCESS, jobs.job_row(job)["worker_pid"]) == min(19, os.nice(0) + 5)
            jobs.cancel(job, ws)
            S.wait_state(job, "cancelled", 10)
        small = jobs.submit(S.sleep_spec("small", steps=2), ws)
        S.wait_state(small, "done", 10)
    finally:
        assert S.stop_worker(proc) == 0
