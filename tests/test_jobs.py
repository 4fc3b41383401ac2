"""The job table and its API: lifecycle, progress, cancel latency, retry, queue order, isolation,
and 30 students submitting at once (exactly once each).

Jobs run in real worker processes (``python -m explorer worker`` plus the test-only kinds of
``tests/support/jobs.py``); tiny fake jobs keep every test to a few seconds.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import asdict
from pathlib import Path

import numpy as np
import pytest

from explorer import jobs
from explorer.errors import ExplorerError
from explorer.jobs import execute, queue, workspaces
from explorer.progress import Progress
from explorer.runs import is_run_dir, load_run
from tests.support import jobs as S
from tests.support.jobs import fake_kinds  # noqa: F401  (registers the fake kinds for this module)
from tests.support.runs import new_run_path, words_run


@pytest.fixture(scope="module")
def shared_home(tmp_path_factory: pytest.TempPathFactory):
    """One data home with one worker (concurrency 1) for the tests that need jobs to run."""
    home = tmp_path_factory.mktemp("jobs-home")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("EXPLORER_HOME", str(home))
        proc = S.start_worker(home)
    yield home
    assert S.stop_worker(proc) == 0


@pytest.fixture
def live(shared_home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("EXPLORER_HOME", str(shared_home))
    monkeypatch.setenv("EXPLORER_START_WORKER", "0")
    return shared_home


@pytest.fixture(autouse=True)
def _no_autostart(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EXPLORER_START_WORKER", "0")


# --------------------------------------------------------------------------- with a worker


@pytest.mark.slow
def test_lifecycle_queued_running_done(live: Path) -> None:
    ws = workspaces.new_token()
    job = jobs.submit(S.sleep_spec("life", steps=20, step_s=0.05), ws)
    first = jobs.get(job)
    assert first is not None and first.state in ("queued", "running") and first.workspace == ws
    running = S.wait_state(job, "running", 10)
    assert running.started is not None and running.queue_position is None
    S.wait_for(lambda: jobs.get(job).progress > 0 or not jobs.get(job).active, 10, "progress")
    done = S.wait_state(job, "done", 30)
    assert done.progress == 1.0 and done.stage == "done" and done.error is None
    assert (done.epoch, done.epochs) == (20, 20)
    assert done.loss_history[0] == 1.0 and done.loss_history[-1] == pytest.approx(1 / 20)
    assert done.loss_history == sorted(done.loss_history, reverse=True)
    assert done.rate == 100.0 and done.finished >= done.started >= done.created
    run = load_run(Path(done.run_dir))
    assert run.path.parent == workspaces.runs_dir(ws) and workspaces.is_valid_run_id(run.run_id)
    assert run.tokens == ["w0", "w1", "w2", "w3"]
    assert [r.run_id for r in workspaces.list_runs(ws)] == [run.run_id]
    assert [j.id for j in jobs.list_jobs(ws)] == [job]
    assert jobs.job_row(job)["attempts"] == 1


@pytest.mark.slow
def test_progress_is_written_at_most_four_times_a_second(live: Path) -> None:
    ws = workspaces.new_token()
    job = jobs.submit(S.sleep_spec("rate", steps=150, step_s=0.02), ws)  # 50 reports a second
    S.wait_state(job, "running", 10)
    seen = []
    deadline = time.monotonic() + 2.0
    while time.monotonic() < deadline:
        seen.append(jobs.get(job).progress)
        time.sleep(0.01)
    distinct = sorted(set(seen) - {0.0})
    assert 1 <= len(distinct) <= 10  # ~8 writes in two seconds, not 100
    S.wait_state(job, "done", 30)


def test_failed_job_keeps_the_message_and_no_run(live: Path) -> None:
    ws = workspaces.new_token()
    job = jobs.submit(S.fake_spec("fail", "f"), ws)
    info = S.wait_state(job, "failed", 20)
    assert info.error == "corpus: no words left after cleaning"
    assert info.run_dir is None and workspaces.list_runs(ws) == []
    assert list(workspaces.runs_dir(ws).iterdir()) == []
    # the pages show the reason in the UI's language: the job kept the error's code and params
    from explorer.i18n import error_text

    exc = jobs.failure(job)
    assert exc.code == "text_no_tokens" and str(exc) == info.error
    assert error_text(exc, "zh") == "corpus：清洗和分词后没有剩下任何词。"
    assert "error_detail" not in json.dumps(asdict(info))  # the status JSON (a contract) is unchanged


def test_cancel_running_job_within_two_seconds_and_leaves_nothing(live: Path) -> None:
    ws = workspaces.new_token()
    job = jobs.submit(S.sleep_spec("cancel-me", steps=2000, step_s=0.05), ws)
    S.wait_state(job, "running", 10)
    S.wait_for(lambda: jobs.get(job).progress > 0, 10, "first progress")
    start = time.monotonic()
    assert jobs.cancel(job, ws) is True
    info = S.wait_state(job, "cancelled", 5)
    latency = time.monotonic() - start
    assert latency <= 2.0, f"cancel took {latency:.2f} s"
    assert info.run_dir is None and info.finished is not None
    assert list(workspaces.runs_dir(ws).iterdir()) == []  # no run, no temporary directory
    assert jobs.cancel(job, ws) is False  # finished: nothing to cancel


@pytest.mark.slow
def test_cancel_queued_job_never_runs_and_retry_runs_it(live: Path) -> None:
    ws = workspaces.new_token()
    blocker = jobs.submit(S.sleep_spec("blocker", steps=40, step_s=0.05), ws)
    S.wait_state(blocker, "running", 10)
    waiting = jobs.submit(S.sleep_spec("never"), ws)
    info = jobs.get(waiting)
    assert info.state == "queued" and info.queue_position == 1
    assert jobs.cancel(waiting, ws) is True
    assert jobs.get(waiting).state == "cancelled"  # at once
    again = jobs.retry(waiting, ws)
    assert again != waiting and jobs.get(again).spec == info.spec
    S.wait_state(blocker, "done", 30)
    S.wait_state(again, "done", 30)
    assert S.executions(live).count("never") == 1  # the retry ran, the cancelled job never did
    with pytest.raises(ExplorerError, match="only failed or cancelled"):
        jobs.retry(again, ws)


@pytest.mark.slow
def test_deaf_job_is_interrupted_when_cancelled(live: Path) -> None:
    """Code that stops calling back is interrupted: cancel still wins quickly, no run left."""
    ws = workspaces.new_token()
    job = jobs.submit(S.fake_spec("deaf", "deaf", seconds=60), ws)
    S.wait_state(job, "running", 10)
    time.sleep(0.3)
    start = time.monotonic()
    assert jobs.cancel(job, ws)
    S.wait_state(job, "cancelled", 10)
    assert time.monotonic() - start <= execute.INTERRUPT_AFTER_S + 1.5
    assert list(workspaces.runs_dir(ws).iterdir()) == []
    # the worker process survived and still runs jobs
    S.wait_state(jobs.submit(S.sleep_spec("after-deaf"), ws), "done", 20)


@pytest.mark.slow
def test_duplicate_delivery_runs_once(live: Path) -> None:
    ws = workspaces.new_token()
    job = jobs.submit(S.sleep_spec("dup", steps=3), ws)
    queue.enqueue_job(job)  # the queue delivers the same task again
    queue.enqueue_job(job)
    S.wait_state(job, "done", 20)
    marker = jobs.submit(S.sleep_spec("after-dup"), ws)  # FIFO: runs after both duplicates were seen
    S.wait_state(marker, "done", 20)
    assert S.executions(live).count("dup") == 1
    assert jobs.job_row(job)["attempts"] == 1


# --------------------------------------------------------------------------- 30 students


@pytest.mark.slow
def test_thirty_students_at_once_all_run_exactly_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "class"
    home.mkdir()
    monkeypatch.setenv("EXPLORER_HOME", str(home))
    workers = [S.start_worker(home), S.start_worker(home)]  # two competing worker processes
    try:
        tokens = [workspaces.new_token() for _ in range(30)]
        ids: dict[str, str] = {}
        errors: list[BaseException] = []
        barrier = threading.Barrier(30)

        def student(i: int) -> None:
            try:
                barrier.wait()
                job = jobs.submit(S.sleep_spec(f"s{i}", steps=2, step_s=0.01), tokens[i])
                queue.enqueue_job(job)  # and every task is delivered twice
                ids[tokens[i]] = job
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)

        threads = [threading.Thread(target=student, args=(i,)) for i in range(30)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        assert not errors and len(ids) == 30
        S.wait_for(lambda: all(jobs.get(j).state == "done" for j in ids.values()), 120, "30 jobs done", 0.2)
        runs = S.executions(home)
        assert sorted(runs) == sorted(f"s{i}" for i in range(30))  # none lost, none twice
        for i, token in enumerate(tokens):
            listed = jobs.list_jobs(token)
            assert [j.id for j in listed] == [ids[token]]
            assert listed[0].spec["config"]["tag"] == f"s{i}"
            assert len(workspaces.list_runs(token)) == 1
            assert jobs.job_row(ids[token])["attempts"] == 1
    finally:
        for proc in workers:
            assert S.stop_worker(proc) == 0


# --------------------------------------------------------------------------- without a worker


def test_queue_positions_and_projection_priority(explorer_home: Path) -> None:
    """Fair order across workspaces (explorer.jobs.lanes): another workspace's first job comes before this
    workspace's second one; within a workspace, projections go before training."""
    ws = workspaces.new_token()
    a = jobs.submit(S.sleep_spec("a"), ws)
    b = jobs.submit(S.sleep_spec("b"), ws)
    other = jobs.submit(S.sleep_spec("c"), workspaces.new_token())
    assert [jobs.get(j).queue_position for j in (a, other, b)] == [1, 2, 3]
    assert [(j.id, j.queue_position) for j in jobs.list_jobs(ws)] == [(b, 3), (a, 1)]
    assert all(jobs.get(j).expected_wait_s is not None for j in (a, b, other))
    run = words_run(new_run_path(ws), ["a", "b", "c"], np.eye(3, 2))
    p = jobs.submit_projection(str(run), "tsne", 2, {"perplexity": 5}, ws)
    assert jobs.get(p).queue_position == 1 and jobs.get(a).queue_position == 3  # short jobs go first in a workspace
    assert jobs.get(p).kind == "projection" and jobs.get(p).spec["run_dir"] == str(run.resolve())
    assert jobs.submit_projection(str(run), "tsne", 2, {"perplexity": 5}, ws) == p  # not queued twice
    assert jobs.submit_projection(str(run), "tsne", 3, {"perplexity": 5}, ws) != p
    assert jobs.cancel(a, ws)
    assert jobs.get(b).queue_position == 4 and jobs.get(a).queue_position is None  # p, other, p 3D, b
    assert queue.pending_job_ids() >= {a, b, other, p}


def test_projection_only_of_own_or_gallery_runs(explorer_home: Path) -> None:
    mine, theirs = workspaces.new_token(), workspaces.new_token()
    run = words_run(new_run_path(theirs), ["a", "b", "c"], np.eye(3, 2))
    with pytest.raises(ExplorerError, match="not a run of this workspace"):
        jobs.submit_projection(str(run), "pca", 2, {}, mine)
    workspaces.publish(theirs, run.name)
    shared = workspaces.gallery_dir() / run.name
    assert jobs.get(jobs.submit_projection(str(shared), "pca", 2, {}, mine)).workspace == mine
    with pytest.raises(ExplorerError, match="method"):
        jobs.submit_projection(str(shared), "svd", 2, {}, mine)
    with pytest.raises(ExplorerError, match="dims"):
        jobs.submit_projection(str(shared), "pca", 4, {}, mine)


def test_two_workspaces_are_isolated(explorer_home: Path) -> None:
    alice, bob = workspaces.new_token(), workspaces.new_token()
    job = jobs.submit(S.sleep_spec("alice"), alice)
    assert jobs.list_jobs(bob) == []
    assert jobs.cancel(job, bob) is False and jobs.get(job).state == "queued"
    with pytest.raises(ExplorerError, match="not found"):
        jobs.retry(job, bob)
    assert jobs.get(job, workspace=bob) is None and jobs.get(job, workspace=alice).id == job
    run = words_run(new_run_path(alice), ["a", "b", "c"], np.eye(3, 2))
    with pytest.raises(ExplorerError, match="not found"):
        workspaces.delete_run(bob, run.name)
    assert is_run_dir(run)
    assert jobs.cancel(job, alice) is True


def test_bad_submissions_are_refused(explorer_home: Path) -> None:
    ws = workspaces.new_token()
    with pytest.raises(ExplorerError, match="unknown training kind"):
        jobs.submit({"kind": "rm -rf"}, ws)
    with pytest.raises(ExplorerError, match="unknown training kind"):
        jobs.submit({"kind": "projection"}, ws)
    with pytest.raises(ExplorerError, match="workspace"):
        jobs.submit(S.sleep_spec(), "../../etc")
    with pytest.raises(ExplorerError, match="JSON"):
        jobs.submit(S.sleep_spec(extra=object()), ws)
    assert jobs.list_jobs(ws) == []
    assert jobs.get("nonexistent") is None and jobs.get("0" * 20) is None
    assert jobs.cancel("0" * 20, ws) is False


def test_queue_storage_down_fails_the_submit_clearly(explorer_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EXPLORER_QUEUE_URL", "redis://127.0.0.1:1/0")  # nothing listens on port 1
    ws = workspaces.new_token()
    with pytest.raises(ExplorerError, match="queue"):
        jobs.submit(S.sleep_spec(), ws)
    (info,) = jobs.list_jobs(ws)
    assert info.state == "failed" and info.error.startswith("queue unavailable")


def test_failure_without_a_code_and_a_version_1_job_table(explorer_home: Path) -> None:
    import sqlite3

    from explorer.i18n import error_text
    from explorer.jobs import table

    ws = workspaces.new_token()
    job = jobs.submit(S.sleep_spec("x"), ws)
    assert jobs.failure(job) is None and jobs.failure("not-a-job") is None
    jobs.connect().execute("UPDATE jobs SET state = 'failed', error = ? WHERE id = ?", (jobs.WORKER_STOPPED, job))
    assert "重试" in error_text(jobs.failure(job), "zh")  # "worker stopped" reads in the UI's language too
    jobs.connect().execute("UPDATE jobs SET error = 'something odd' WHERE id = ?", (job,))
    assert jobs.failure(job).code is None and str(jobs.failure(job)) == "something odd"
    # a job table made by the first schema gains the column and keeps its rows
    old = explorer_home / "old.sqlite"
    with sqlite3.connect(old) as conn:
        conn.executescript(table._SCHEMA.replace("    error_detail TEXT,\n", ""))
        conn.execute("INSERT INTO jobs (id, workspace, kind, spec, state, queued_at, created) "
                     "VALUES ('a', 'w', 'skipgram', '{}', 'done', 0, 0)")
        conn.execute("PRAGMA user_version = 1")
    conn = sqlite3.connect(old)
    table._create_schema(conn)
    columns = [r[1] for r in conn.execute("PRAGMA table_info(jobs)")]
    assert "error_detail" in columns and conn.execute("SELECT id FROM jobs").fetchall() == [("a",)]
    assert conn.execute("PRAGMA user_version").fetchone()[0] == table._SCHEMA_VERSION
    table._create_schema(conn)  # idempotent
    conn.close()


def test_loss_history_keeps_evenly_spaced_points_of_the_whole_run() -> None:
    monitor = execute.JobMonitor("0" * 20)
    for i in range(1300):
        assert monitor(Progress(stage="train", progress=i / 1300, loss=float(i))) is False
    history = monitor.fields()["loss_history"]
    assert len(history) <= jobs.MAX_LOSS_POINTS
    steps = np.diff(history)
    assert history[0] == 0.0 and history[-1] >= 1300 - steps[0] and np.all(steps == steps[0])
    monitor(Progress(stage="train", progress=1.0, loss=float("nan"), rate=float("inf")))
    assert monitor.fields()["rate"] is None and len(monitor.fields()["loss_history"]) == len(history)
    monitor.stop.set()
    assert monitor(Progress(stage="train", progress=1.0)) is True


def test_job_info_is_json_ready(explorer_home: Path) -> None:
    from dataclasses import asdict

    ws = workspaces.new_token()
    info = jobs.get(jobs.submit(S.sleep_spec("json"), ws))
    data = json.loads(json.dumps(asdict(info)))
    assert data["state"] == "queued" and data["queue_position"] == 1 and data["loss_history"] == []
    assert set(data) == {f for f in jobs.JobInfo.__dataclass_fields__}


# --------------------------------------------------------------------------- in this process


@pytest.fixture
def fake_projection(monkeypatch: pytest.MonkeyPatch) -> dict:
    """A stand-in for explorer.analysis.projection that records its calls."""
    import importlib.machinery
    import sys
    import types

    calls: dict = {"precompute": [], "project": []}
    from explorer.analysis.projection import PROJECTION_METHODS

    module = types.ModuleType("explorer.analysis.projection")
    module.PROJECTION_METHODS = PROJECTION_METHODS
    module.__spec__ = importlib.machinery.ModuleSpec("explorer.analysis.projection", None)

    def precompute(run_dir: Path) -> None:
        calls["precompute"].append(Path(run_dir))
        if (Path(run_dir) / "config.json").read_text().count("broken-precompute"):
            raise RuntimeError("precompute bug")

    def cached_projection(run_dir: Path, method: str, dims: int, callback=None, **params) -> np.ndarray:
        calls["project"].append((Path(run_dir), method, dims, params))
        return np.zeros((3, dims), np.float32)

    module.precompute, module.cached_projection, module.warmup = precompute, cached_projection, lambda: None
    monkeypatch.setitem(sys.modules, "explorer.analysis.projection", module)
    return calls


def test_training_is_precomputed_and_projection_jobs_use_the_cache(explorer_home: Path, fake_projection: dict) -> None:
    ws = workspaces.new_token()
    job = jobs.submit(S.sleep_spec("pre", steps=2), ws)
    execute.execute_job(job)  # what a worker process does with the task
    info = jobs.get(job)
    assert info.state == "done" and fake_projection["precompute"] == [Path(info.run_dir)]
    projection = jobs.submit_projection(info.run_dir, "umap", 3, {"n_neighbors": 5}, ws)
    execute.execute_job(projection)
    done = jobs.get(projection)
    assert done.state == "done" and done.run_dir == info.run_dir and done.progress == 1.0
    assert fake_projection["project"] == [(Path(info.run_dir), "umap", 3, {"n_neighbors": 5})]
    execute.execute_job(projection)  # delivered again: skipped
    assert len(fake_projection["project"]) == 1 and jobs.job_row(projection)["attempts"] == 1


def test_a_failing_precompute_keeps_the_trained_run(explorer_home: Path, fake_projection: dict) -> None:
    ws = workspaces.new_token()
    job = jobs.submit(S.sleep_spec("broken-precompute", steps=1), ws)
    execute.execute_job(job)
    info = jobs.get(job)
    assert info.state == "done" and is_run_dir(Path(info.run_dir)) and len(fake_projection["precompute"]) == 1


def test_real_precompute_and_pca_projection_job(explorer_home: Path) -> None:
    """With the real explorer.analysis.projection: a finished run has its first views cached, a projection job fills the cache."""
    projection = pytest.importorskip("explorer.analysis.projection")
    ws = workspaces.new_token()
    job = jobs.submit(S.sleep_spec("views", steps=1), ws)
    execute.execute_job(job)
    run_dir = Path(jobs.get(job).run_dir)
    assert (run_dir / "cache" / "normalized.npy").is_file()
    for dims in (2, 3):
        assert (run_dir / "cache" / f"{projection.params_key('pca', dims, 0, {})}.npy").is_file()
    p = jobs.submit_projection(str(run_dir), "pca", 2, {"seed": 3}, ws)
    execute.execute_job(p)
    assert jobs.get(p).state == "done", jobs.get(p).error
    coords = np.load(run_dir / "cache" / f"{projection.params_key('pca', 2, 3, {})}.npy")
    assert coords.shape == (4, 2) and coords.dtype == np.float32
