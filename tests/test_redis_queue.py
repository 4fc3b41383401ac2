"""Redis queue storage (EXPLORER_QUEUE_URL=redis://...), against a real redis-server.

The fixture starts ``redis-server`` on a free port without persistence and stops it afterwards.
Without redis-server these tests skip, except when ``EXPLORER_REQUIRE_REDIS=1`` (CI), where they fail.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest

from explorer import jobs
from explorer.jobs import queue, workspaces
from tests.support import jobs as S
from tests.support.jobs import fake_kinds  # noqa: F401  (registers the fake kinds for this module)

pytestmark = [pytest.mark.redis, pytest.mark.slow]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory: pytest.TempPathFactory):
    binary = shutil.which("redis-server")
    if binary is None:
        if os.environ.get("EXPLORER_REQUIRE_REDIS") == "1":
            pytest.fail("redis-server not found but EXPLORER_REQUIRE_REDIS=1")
        pytest.skip("redis-server not installed")
    port = _free_port()
    workdir = tmp_path_factory.mktemp("redis")
    proc = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                             "--dir", str(workdir)], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    import redis

    client = redis.Redis(port=port)
    try:
        S.wait_for(lambda: proc.poll() is not None or _pings(client), 20, "redis-server")
        assert proc.poll() is None, "redis-server exited"
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        proc.terminate()
        proc.wait(10)


def _pings(client) -> bool:
    import redis

    try:
        return bool(client.ping())
    except redis.ConnectionError:
        return False


@pytest.fixture
def redis_home(redis_url: str, explorer_home: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("EXPLORER_QUEUE_URL", redis_url)
    monkeypatch.setenv("EXPLORER_START_WORKER", "0")
    queue.get_huey().storage.conn.flushdb()
    return redis_url


def test_jobs_run_through_redis_exactly_once(redis_home: str, explorer_home: Path) -> None:
    assert queue.is_redis()
    ws = workspaces.new_token()
    first = jobs.submit(S.sleep_spec("r1", steps=3), ws)
    second = jobs.submit(S.sleep_spec("r2", steps=3), ws)
    queue.enqueue_job(first)  # a duplicate delivery
    assert queue.pending_job_ids() == {first, second}
    assert not (explorer_home / "queue.sqlite").exists()  # nothing went to the SQLite storage
    proc = S.start_worker(explorer_home, env={"EXPLORER_QUEUE_URL": redis_home})
    try:
        S.wait_state(first, "done", 30)
        S.wait_state(second, "done", 30)
        running = jobs.submit(S.sleep_spec("r3", steps=2000, step_s=0.05), ws)
        start = time.monotonic()
        S.wait_state(running, "running", 5)
        assert time.monotonic() - start <= 1.0  # a blocking pop: picked up at once
        start = time.monotonic()
        assert jobs.cancel(running, ws)
        S.wait_state(running, "cancelled", 5)
        assert time.monotonic() - start <= 2.0
    finally:
        assert S.stop_worker(proc) == 0
    assert sorted(S.executions(explorer_home)) == ["r1", "r2", "r3"]
    assert queue.pending_job_ids() == set()


def test_tasks_lost_by_redis_are_recovered(redis_home: str, explorer_home: Path) -> None:
    ws = workspaces.new_token()
    job = jobs.submit(S.sleep_spec("lost"), ws)
    queue.get_huey().storage.conn.flushdb()  # e.g. redis restarted without persistence
    assert queue.pending_job_ids() == set()
    proc = S.start_worker(explorer_home, env={"EXPLORER_QUEUE_URL": redis_home})
    try:
        S.wait_state(job, "done", 30)
    finally:
        assert S.stop_worker(proc) == 0
    assert S.executions(explorer_home) == ["lost"]


def test_real_skipgram_job_through_redis(redis_home: str, explorer_home: Path, tmp_path: Path) -> None:
    from explorer.cli import build_parser
    from explorer.commands.kind_flags import spec_from_args
    from explorer.runs import load_run
    from explorer.samples.corpus import write_sample_corpus

    corpus, labels = write_sample_corpus(tmp_path)
    args = build_parser().parse_args(["train", "skipgram", "--corpus", str(corpus), "--labels", str(labels),
                                      "--out", str(tmp_path / "unused"), "--dim", "8", "--epochs", "1",
                                      "--max-vocab", "300", "--workers", "1"])
    ws = workspaces.new_token()
    job = jobs.submit(spec_from_args("skipgram", args), ws)
    proc = S.start_worker(explorer_home, env={"EXPLORER_QUEUE_URL": redis_home})
    try:
        info = S.wait_state(job, ("done", "failed"), 240)
    finally:
        assert S.stop_worker(proc) == 0
    assert info.state == "done", info.error
    run = load_run(Path(info.run_dir))
    assert run.kind == "skipgram" and run.vectors.shape == (len(run.tokens), 8) and len(run.tokens) <= 300
    assert info.loss_history and info.rate and info.rate > 0
