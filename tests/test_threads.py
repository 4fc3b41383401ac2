"""Thread budgets and the shared-machine settings (explorer.threads), the per-epoch Skip-gram jobs with
frames, and the job commands staying light (teachers' scripts poll `status` every second)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from explorer import threads
from explorer.errors import ExplorerError
from explorer.settings import JOB_THREADS_VAR
from explorer.training.frames import plan_frames
from explorer.training.sgns.pool import epoch_sentence_jobs, sentence_jobs

ROOT = Path(__file__).resolve().parents[1]


def test_job_threads_follows_the_workers_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    cores = threads.usable_cores()
    monkeypatch.delenv(JOB_THREADS_VAR, raising=False)
    assert threads.job_threads() == cores
    monkeypatch.setenv(JOB_THREADS_VAR, "1")
    assert threads.job_threads() == 1
    monkeypatch.setenv(JOB_THREADS_VAR, str(cores + 50))  # never more than the cores
    assert threads.job_threads() == cores
    monkeypatch.setenv(JOB_THREADS_VAR, " ")  # blank: unset
    assert threads.job_threads() == cores
    for bad in ("0", "-2", "two"):
        monkeypatch.setenv(JOB_THREADS_VAR, bad)
        with pytest.raises(ExplorerError, match=f"^EXPLORER_JOB_THREADS.*{bad}"):
            threads.job_threads()


def test_share_cores_makes_openmp_sleep_and_blas_single_threaded() -> None:
    code = ("import os; os.environ.pop('OMP_WAIT_POLICY', None); from explorer.threads import share_cores; "
            "share_cores(); import numpy, threadpoolctl, json; "
            "blas = [p['num_threads'] for p in threadpoolctl.threadpool_info() if p['user_api'] == 'blas']; "
            "print(json.dumps([os.environ['OMP_WAIT_POLICY'], os.environ['OPENBLAS_NUM_THREADS'], blas]))")
    env = {k: v for k, v in os.environ.items() if k not in ("OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT, check=True)
    policy, openblas, blas = json.loads(out.stdout)
    assert policy == "PASSIVE" and openblas == "1" and blas and set(blas) == {1}
    keep = subprocess.run([sys.executable, "-c", code.replace("os.environ.pop('OMP_WAIT_POLICY', None); ",
                                                              "os.environ['OMP_WAIT_POLICY'] = 'ACTIVE'; ")],
                          capture_output=True, text=True, env=env, cwd=ROOT, check=True)
    assert json.loads(keep.stdout)[0] == "ACTIVE"  # an administrator's own setting is kept


class _Recorder:
    def __init__(self, wanted: int, epochs: int) -> None:
        self.plan = plan_frames(wanted, epochs, 1000, 50)


def test_epoch_jobs_end_at_the_frames_and_stay_large_elsewhere() -> None:
    rng = np.random.default_rng(0)
    offsets = np.cumsum(np.r_[0, rng.integers(1, 20, 8000)])  # 8,000 sentences, ~80,000 words
    n_words, epochs = int(offsets[-1]), 5
    recorder = _Recorder(30, epochs)
    total = 0
    for epoch in range(epochs):
        jobs = epoch_sentence_jobs(offsets, epoch, epochs, recorder.plan.at)
        assert jobs[0][0] == 0 and jobs[-1][1] == len(offsets) - 1
        assert all(a[1] == b[0] and a[0] < a[1] for a, b in zip(jobs, jobs[1:], strict=False))
        ends = {int(offsets[b]) for _, b in jobs}
        for at in recorder.plan.at * epochs - epoch:  # every frame of this epoch falls on a job's end
            if 0 < at < 1:
                word = at * n_words
                assert min(abs(end - word) for end in ends) < 20  # within one sentence
        total += len(jobs)
    plain = len(sentence_jobs(offsets))
    assert total <= epochs * plain + len(recorder.plan.at)  # not hundreds of tiny jobs
    assert epoch_sentence_jobs(offsets, 0, epochs, None) == sentence_jobs(offsets)


def test_the_status_command_loads_neither_numpy_nor_the_queue(explorer_home: Path) -> None:
    from explorer import jobs
    from explorer.jobs import workspaces

    ws = workspaces.new_token()
    job = jobs.submit({"kind": "skipgram", "name": "t", "data": {"corpus": str(ROOT / "README.md")}}, ws)
    code = ("import sys; from explorer.cli import main; rc = main(sys.argv[1:]); "
            "heavy = sorted(m for m in ('numpy', 'huey', 'redis', 'torch') if m in sys.modules); "
            "print('HEAVY', heavy, file=sys.stderr); sys.exit(rc)")
    env = dict(os.environ, EXPLORER_START_WORKER="0", EXPLORER_WORKSPACE=ws)
    done = subprocess.run([sys.executable, "-c", code, "status", job], capture_output=True, text=True, env=env,
                          cwd=ROOT)
    assert done.returncode == 0 and json.loads(done.stdout)["state"] == "queued", done.stderr
    assert "HEAVY []" in done.stderr, done.stderr
