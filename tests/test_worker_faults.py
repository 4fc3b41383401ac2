"""Faults: kill -9 of a worker mid-job, a worker shut down mid-job, a server restart, a lost queue,
and many sessions asking for a worker at once (exactly one starts)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from explorer import jobs
from explorer.jobs import worker, workspaces
from tests.support import jobs as S
from tests.support.jobs import fake_kinds  # noqa: F401  (registers the fake kinds for this module)

pytestmark = pytest.mark.slow  # worker subprocesses killed and restarted: seconds each



@pytest.fixture(autouse=True)
def _no_autostart(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EXPLORER_START_WORKER", "0")


@pytest.fixture
def spawned():
    """Workers started by ensure_worker() in this test, stopped afterwards."""
    yield worker._spawned
    for proc in list(worker._spawned):
        S.stop_worker(proc)
        worker._spawned.remove(proc)


def _leftovers(ws: str) -> list[str]:
    return [p.name for p in workspaces.runs_dir(ws).iterdir()]


def test_kill_9_of_the_job_process_fails_the_job_and_the_worker_goes_on(explorer_home: Path) -> None:
    proc = S.start_worker(explorer_home)
    try:
        ws = workspaces.new_token()
        job = jobs.submit(S.sleep_spec("victim", steps=60, step_s=0.05), ws)
        S.wait_state(job, "running", 10)
        S.wait_for(lambda: any(p.name.startswith(".") for p in workspaces.runs_dir(ws).iterdir()), 10, "partial run")
        pid = jobs.job_row(job)["worker_pid"]
        assert pid != proc.pid  # training runs in a child process, not in the supervisor
        os.kill(pid, signal.SIGKILL)
        info = S.wait_state(job, "failed", jobs.heartbeat_timeout() + 5)
        assert info.error == jobs.WORKER_STOPPED
        assert _leftovers(ws) == []  # the half-written run was removed
        again = jobs.retry(job, ws)
        done = S.wait_state(again, "done", 30)  # a new worker process ran it
        assert jobs.job_row(again)["worker_pid"] not in (pid, None) and Path(done.run_dir).is_dir()
        assert proc.poll() is None
    finally:
        assert S.stop_worker(proc) == 0


def test_kill_9_of_the_whole_worker_is_detected_and_a_new_worker_starts(
        explorer_home: Path, monkeypatch: pytest.MonkeyPatch, spawned: list) -> None:
    monkeypatch.setattr(worker, "_worker_command", S.worker_command)
    monkeypatch.setenv("EXPLORER_WORKER_PRELOAD", "0")
    proc = S.start_worker(explorer_home)
    ws = workspaces.new_token()
    job = jobs.submit(S.sleep_spec("orphan", steps=60, step_s=0.05), ws)
    S.wait_state(job, "running", 10)
    S.kill_group(proc.pid)  # the supervisor and its worker processes, like an OOM kill of the lot
    proc.wait(10)
    assert not worker.worker_alive()
    monkeypatch.setenv("EXPLORER_START_WORKER", "1")
    start = time.monotonic()
    S.wait_for(lambda: (worker.ensure_worker() or True) and jobs.get(job).state == "failed", 20, "dead job detected")
    assert time.monotonic() - start <= jobs.heartbeat_timeout() + 2
    assert jobs.get(job).error == jobs.WORKER_STOPPED and _leftovers(ws) == []
    assert worker.worker_alive() and len(spawned) == 1
    new = spawned[0]
    assert os.getsid(new.pid) == new.pid  # detached: its own session, survives the server
    S.wait_state(jobs.retry(job, ws), "done", 30)


def test_shutdown_mid_job_puts_the_job_back_in_the_queue(explorer_home: Path) -> None:
    proc = S.start_worker(explorer_home)
    ws = workspaces.new_token()
    job = jobs.submit(S.sleep_spec("interrupted", steps=40, step_s=0.05), ws)
    S.wait_state(job, "running", 10)
    S.wait_for(lambda: S.executions(explorer_home) == ["interrupted"], 10, "the runner to start")
    start = time.monotonic()
    assert S.stop_worker(proc) == 0  # SIGTERM: clean shutdown
    assert time.monotonic() - start < 8
    info = jobs.get(job)
    assert info.state == "queued" and info.queue_position == 1 and info.progress == 0
    assert _leftovers(ws) == []
    proc = S.start_worker(explorer_home)
    try:
        S.wait_state(job, "done", 30)
        assert jobs.job_row(job)["attempts"] == 2
        assert S.executions(explorer_home) == ["interrupted", "interrupted"]  # started again, finished once
    finally:
        assert S.stop_worker(proc) == 0


def test_restart_keeps_queued_and_finished_jobs_and_recovers_lost_tasks(explorer_home: Path) -> None:
    ws = workspaces.new_token()
    proc = S.start_worker(explorer_home)
    finished = jobs.submit(S.sleep_spec("before"), ws)
    S.wait_state(finished, "done", 20)
    assert S.stop_worker(proc) == 0
    waiting = [jobs.submit(S.sleep_spec(f"q{i}"), ws) for i in range(3)]
    (explorer_home / "queue.sqlite").unlink()  # the queue storage is lost (tasks gone), the job table is not
    for suffix in ("-wal", "-shm"):
        (explorer_home / f"queue.sqlite{suffix}").unlink(missing_ok=True)
    # a new process (a restarted server) sees every job
    code = ("import json, sys; from explorer import jobs; "
            f"print(json.dumps([(j.id, j.state) for j in jobs.list_jobs({ws!r})]))")
    out = subprocess.run([sys.executable, "-c", code], cwd=S.ROOT, capture_output=True, text=True, timeout=60,
                         env=dict(os.environ, PYTHONPATH=str(S.ROOT)), check=True).stdout
    assert json.loads(out) == [[j, "queued"] for j in reversed(waiting)] + [[finished, "done"]]
    proc = S.start_worker(explorer_home)  # re-enqueues the lost tasks at start-up
    try:
        for job in waiting:
            S.wait_state(job, "done", 30)
    finally:
        assert S.stop_worker(proc) == 0
    assert sorted(S.executions(explorer_home)) == ["before", "q0", "q1", "q2"]


def test_many_sessions_start_exactly_one_worker(explorer_home: Path, monkeypatch: pytest.MonkeyPatch,
                                                spawned: list) -> None:
    monkeypatch.setenv("EXPLORER_START_WORKER", "1")
    monkeypatch.setenv("EXPLORER_WORKER_PRELOAD", "0")
    code = "from explorer.jobs.worker import ensure_worker; ensure_worker()"
    others = [subprocess.Popen([sys.executable, "-c", code], cwd=S.ROOT,
                               env=dict(os.environ, PYTHONPATH=str(S.ROOT))) for _ in range(2)]
    threads = [threading.Thread(target=worker.ensure_worker) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    for p in others:
        assert p.wait(60) == 0
    assert worker.worker_alive()
    S.wait_for(lambda: len(jobs.live_workers()) >= 1, 10, "worker row")
    time.sleep(0.5)
    live = jobs.live_workers()
    assert len(live) == 1, live
    pid = live[0]["pid"]
    try:
        times = []
        for _ in range(50):
            t0 = time.perf_counter()
            worker.ensure_worker()
            times.append(time.perf_counter() - t0)
        assert sorted(times)[25] < 0.01  # cheap when a worker is alive
        assert [w["pid"] for w in jobs.live_workers()] == [pid]
    finally:
        if not any(p.pid == pid for p in spawned):  # started by one of the subprocesses
            os.killpg(pid, signal.SIGTERM)
            S.wait_for(lambda: not jobs.pid_alive(pid), 15, "worker exit")


def test_no_worker_is_started_when_disabled(explorer_home: Path, spawned: list) -> None:
    worker.ensure_worker()
    assert not worker.worker_alive() and spawned == []


def test_idle_worker_exits_by_itself(explorer_home: Path) -> None:
    proc = S.start_worker(explorer_home, env={"EXPLORER_WORKER_IDLE_EXIT": "1"})
    try:
        assert proc.wait(15) == 0
        assert not worker.worker_alive() and jobs.live_workers() == []
    finally:
        S.stop_worker(proc)
