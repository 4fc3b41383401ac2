"""The leaked-worker sweep of tests/support/workers.py (tests/conftest.py runs it after each test and at the end of
the session): it finds the workers of one data home, and only those, and stops them with their process group."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.support import workers

pytestmark = pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc")

# stands in for `python -m explorer worker`: a detached process whose command line says "worker"
FAKE_WORKER = [sys.executable, "-c", "import time; time.sleep(120)", "worker"]


def _fake_worker(home: Path, record: bool = True) -> subprocess.Popen:
    home.mkdir(parents=True, exist_ok=True)
    proc = subprocess.Popen(FAKE_WORKER, env=dict(os.environ, EXPLORER_HOME=str(home)), start_new_session=True)
    if record:
        with sqlite3.connect(home / "jobs.sqlite") as conn:
            conn.execute("CREATE TABLE IF NOT EXISTS workers (id TEXT PRIMARY KEY, pid INTEGER, stopped REAL)")
            conn.execute("INSERT INTO workers VALUES (?, ?, NULL)", (f"w{proc.pid}", proc.pid))
    deadline = time.monotonic() + 10  # its environment is readable once it has started
    while workers._home_of(proc.pid) != str(home) and time.monotonic() < deadline:
        time.sleep(0.01)
    return proc


def test_the_workers_of_one_home_are_found_and_stopped(tmp_path: Path) -> None:
    mine, other = _fake_worker(tmp_path / "a"), _fake_worker(tmp_path / "b")
    try:
        assert workers.left_in(tmp_path / "a") == [mine.pid]
        assert workers.left_in(tmp_path / "nowhere") == []
        workers.stop(workers.left_in(tmp_path / "a"))
        assert mine.wait(5) is not None and other.poll() is None  # the other home's worker runs on
        assert workers.left_in(tmp_path / "a") == []
    finally:
        for p in (mine, other):
            p.kill()
            p.wait()


def test_a_recorded_pid_that_now_serves_another_home_is_left_alone(tmp_path: Path) -> None:
    stranger = _fake_worker(tmp_path / "b")
    (tmp_path / "a").mkdir()
    with sqlite3.connect(tmp_path / "a" / "jobs.sqlite") as conn:  # home a's table names b's process (a reused pid)
        conn.execute("CREATE TABLE workers (id TEXT PRIMARY KEY, pid INTEGER, stopped REAL)")
        conn.execute("INSERT INTO workers VALUES ('w', ?, NULL)", (stranger.pid,))
    try:
        assert workers.left_in(tmp_path / "a") == []
    finally:
        stranger.kill()
        stranger.wait()


def test_the_session_sweep_finds_unrecorded_workers_under_a_folder(tmp_path: Path) -> None:
    inside = _fake_worker(tmp_path / "x" / "home", record=False)
    outside = _fake_worker(tmp_path.parent / f"{tmp_path.name}-out", record=False)  # a name that only starts alike
    try:
        found = workers.left_under(tmp_path)
        assert inside.pid in found and outside.pid not in found and os.getpid() not in found
        workers.stop(found)
        assert inside.wait(5) is not None and outside.poll() is None
    finally:
        for p in (inside, outside):
            p.kill()
            p.wait()
