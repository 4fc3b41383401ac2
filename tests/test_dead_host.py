"""Recovery of jobs whose worker ran on another host that died (kill -9, power loss), without a worker process.

The slow end-to-end version runs real hosts in network namespaces (tests/test_two_hosts.py); these cases
check the job-table rules it relies on in milliseconds.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import numpy as np
import pytest

from explorer import jobs
from explorer.jobs import workspaces
from explorer.runs.frames import live_frame_path, write_live_frame
from tests.support import jobs as S
from tests.support.jobs import fake_kinds  # noqa: F401  (registers the fake kinds for this module)
from tests.support.runs import words_run


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


def _whole_run(ws: str, run_id: str) -> Path:
    """A complete run, as a job leaves it once training ended, with a projection cache half-written."""
    path = words_run(workspaces.run_path(ws, run_id), ["a", "b", "c", "d"], np.eye(4, 3), name="whole")
    (path / "cache").mkdir()
    (path / "cache" / ".pca-2.npy.tmp-0badf00d").write_bytes(b"half")  # killed while caching a projection
    write_live_frame(path, np.zeros((3, 2)), np.arange(3), 1, 1.0, 0.5)
    return path


def test_a_dead_hosts_job_whose_run_is_complete_ends_done(explorer_home: Path) -> None:
    """The host died after training (the run is renamed into place, whole) while it cached projections:
    the job is done with that run -- not failed with a visible run that a retry would train twice."""
    from explorer.runs import load_run

    ws = workspaces.new_token()
    job = _claimed_elsewhere(ws, "school-worker-2", 4242, jobs.heartbeat_timeout() + 1)
    path = _whole_run(ws, jobs.job_row(job)["run_id"])
    assert jobs.mark_dead_jobs() == [job]
    info = jobs.get(job, ws)
    assert (info.state, info.error, info.run_dir, info.progress) == ("done", None, str(path), 1.0)
    assert [r.path for r in workspaces.list_runs(ws)] == [path]
    assert sorted(p.name for p in workspaces.runs_dir(ws).iterdir()) == [path.name]  # no live frame beside it
    assert list((path / "cache").iterdir()) == []  # no temporary file inside
    assert load_run(path).vectors.shape == (4, 3)
    assert jobs.mark_dead_jobs() == []


def test_a_dead_hosts_job_that_still_had_to_copy_its_run_fails(explorer_home: Path, tmp_path: Path) -> None:
    """With ``--out`` the run was not copied yet: the job fails (retryable) rather than claim a copy that is not there."""
    ws = workspaces.new_token()
    job = jobs.submit(S.sleep_spec("out", out=str(tmp_path / "copy")), ws)
    assert jobs.claim(job, "school-worker-2-4242-abc123", 4242) is not None
    beat = time.time() - jobs.heartbeat_timeout() - 1
    jobs.connect().execute("UPDATE jobs SET worker_host = 'school-worker-2', heartbeat = ? WHERE id = ?", (beat, job))
    _whole_run(ws, jobs.job_row(job)["run_id"])
    assert jobs.mark_dead_jobs() == [job]
    assert jobs.get(job, ws).state == "failed" and not (tmp_path / "copy").exists()
