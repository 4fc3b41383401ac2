"""Recovery of jobs whose worker ran on another host that died (kill -9, power loss), without a worker process.

The slow end-to-end version runs real hosts in network namespaces (tests/test_two_hosts.py); these cases
check the job-table rules it relies on in milliseconds.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import _jobs_support as S
import numpy as np
import pytest
from _jobs_support import fake_kinds  # noqa: F401  (registers the fake kinds for this module)

from explorer import jobs
from explorer.jobs import workspaces
from explorer.runs.frames import live_frame_path, write_live_frame


@pytest.fixture(autouse=True)
def _no_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EXPLORER_START_WORKER", "0")


def _claimed_elsewhere(ws: str, host: str, pid: int, beat_age_s: float) -> str:
    """A job claimed by worker process ``pid`` on ``host`` whose last heartbeat is ``beat_age_s`` old."""
    job = jobs.submit(S.sleep_spec("elsewhere"), ws)
    assert jobs.claim(job, f"{host}-{pid}-abc123", pid) is not None
    beat = time.time() - beat_age_s
    jobs.connect().execute("UPDATE jobs SET worker_host = ?, heartbeat = ?, started = ? WHERE id = ?",
                           (host, beat, beat, job))
    return job


def test_a_dead_hosts_job_fails_once_and_leaves_nothing_beside_the_runs(explorer_home: Path) -> None:
    ws = workspaces.new_token()
    job = _claimed_elsewhere(ws, "school-worker-2", 4242, jobs.heartbeat_timeout() + 1)
    run_id = jobs.job_row(job)["run_id"]
    root = workspaces.runs_dir(ws)
    (root / f".{run_id}.tmp-1234abcd").mkdir()  # the half-written run of the dead host
    (root / f".{run_id}.tmp-1234abcd" / "vectors.npy").write_bytes(b"half")
    write_live_frame(root / run_id, np.zeros((3, 2)), np.arange(3), 1, 0.4, 0.5)  # its live frame
    assert live_frame_path(root / run_id).is_file()
    (root / f".{run_id}.live.tmp-0badf00d.npz").write_bytes(b"half")  # killed while writing the next one

    assert jobs.mark_dead_jobs() == [job]
    assert jobs.mark_dead_jobs() == []  # a second survivor (or the app) finds nothing left to do
    info = jobs.get(job, ws)
    assert info.state == "failed" and info.error == jobs.WORKER_STOPPED
    assert list(root.iterdir()) == []  # no temporary folder, no stale live frame
    assert jobs.job_row(job)["attempts"] == 1
    again = jobs.retry(job, ws)  # failed and retryable: a new job with a new run id
    assert jobs.get(again, ws).state == "queued" and jobs.job_row(again)["run_id"] != run_id


def test_another_hosts_job_is_judged_by_its_heartbeat_only(explorer_home: Path) -> None:
    """A pid recorded by another host says nothing about this machine's processes: a job of another host
    with a fresh heartbeat stays running even when that pid does not exist here (and one that does exist
    here does not keep a stale job alive)."""
    ws = workspaces.new_token()
    missing_pid = 2**22 + 17  # above the default pid_max: no such process here
    assert not jobs.pid_alive(missing_pid)
    fresh = _claimed_elsewhere(ws, "school-worker-2", missing_pid, jobs.DEAD_PID_GRACE_S + 1)
    stale = _claimed_elsewhere(ws, "school-worker-3", os.getpid(), jobs.heartbeat_timeout() + 1)
    assert jobs.mark_dead_jobs() == [stale]
    assert jobs.get(fresh, ws).state == "running"
