"""The command-line contract of the queue: ``submit``, ``status``, ``cancel`` and ``worker``."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from explorer import jobs
from explorer.cli import main
from explorer.commands.jobs import fingerprint
from explorer.jobs import workspaces
from tests.support import jobs as S


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    path = tmp_path / "tiny.txt"
    path.write_text("the cat sat on the mat\nthe dog sat on the log\n" * 20, encoding="utf-8")
    return path


@pytest.fixture(autouse=True)
def _no_autostart(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EXPLORER_START_WORKER", "0")


def _run(capsys: pytest.CaptureFixture, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.slow
def test_submit_status_cancel(capsys: pytest.CaptureFixture, corpus: Path, tmp_path: Path,
                              explorer_home: Path) -> None:
    start = time.monotonic()
    code, out, err = _run(capsys, "submit", "skipgram", "--corpus", str(corpus), "--out", str(tmp_path / "run"),
                          "--dim", "8", "--epochs", "1", "--min-count", "1")
    assert code == 0 and err == "" and time.monotonic() - start < 5
    job = out.strip()
    assert jobs.is_valid_job_id(job)
    code, out, _ = _run(capsys, "status", job)
    status = json.loads(out)
    assert code == 0 and status["state"] == "queued" and status["progress"] == 0
    assert status["run_dir"] is None and status["error"] is None and status["queue_position"] == 1
    assert status["kind"] == "skipgram" and status["spec"]["config"]["dim"] == 8
    assert status["spec"]["out"] == str((tmp_path / "run").resolve()) and status["worker_alive"] is False
    token = (explorer_home / "cli_workspace").read_text().strip()  # the CLI's own workspace ...
    assert status["workspace"] == fingerprint(token) and token not in out  # ... named, never its token printed
    code, out, _ = _run(capsys, "cancel", job)
    assert code == 0 and json.loads(out)["state"] == "cancelled"
    code, _, err = _run(capsys, "cancel", job)
    assert code == 2 and err == f"error: job {job}: already cancelled, nothing to cancel\n"


def test_unknown_job_is_a_clean_error(capsys: pytest.CaptureFixture) -> None:
    for command in ("status", "cancel"):
        code, out, err = _run(capsys, command, "0123456789abcdef0123")
        assert (code, out, err) == (2, "", "error: job 0123456789abcdef0123: not found\n")
    code, _, err = _run(capsys, "status", "../../etc/passwd")
    assert code == 2 and err.startswith("error: job ") and "Traceback" not in err


def test_submit_refuses_bad_input(capsys: pytest.CaptureFixture, corpus: Path, tmp_path: Path) -> None:
    code, _, err = _run(capsys, "submit", "skipgram", "--corpus", str(tmp_path / "missing.txt"), "--out", str(tmp_path / "r"))
    assert code == 2 and "corpus file not found" in err
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "keep.txt").write_text("x")
    code, _, err = _run(capsys, "submit", "skipgram", "--corpus", str(corpus), "--out", str(tmp_path / "full"))
    assert code == 2 and "not empty" in err
    code, _, err = _run(capsys, "submit", "--workspace", "../other", "skipgram", "--corpus", str(corpus),
                        "--out", str(tmp_path / "r"))
    assert code == 2 and err == "error: --workspace: not a valid workspace token\n"
    code, _, err = _run(capsys, "submit", "skipgram", "--corpus", str(corpus), "--out", str(tmp_path / "r"), "--dim", "0")
    assert code == 2 and "dim" in err


def test_submit_into_a_browser_workspace(capsys: pytest.CaptureFixture, corpus: Path, tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    token = workspaces.new_token()
    code, out, _ = _run(capsys, "submit", "--workspace", token, "skipgram", "--corpus", str(corpus),
                        "--out", str(tmp_path / "r"))
    assert code == 0 and [j.id for j in jobs.list_jobs(token)] == [out.strip()]
    env_token = workspaces.new_token()
    monkeypatch.setenv("EXPLORER_WORKSPACE", env_token)
    code, out, _ = _run(capsys, "submit", "skipgram", "--corpus", str(corpus), "--out", str(tmp_path / "r2"))
    assert code == 0 and [j.id for j in jobs.list_jobs(env_token)] == [out.strip()]


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_worker_runs_until_signalled(explorer_home: Path, sig: signal.Signals) -> None:
    env = dict(os.environ, PYTHONPATH=str(S.ROOT), EXPLORER_WORKER_PRELOAD="0")
    proc = subprocess.Popen([sys.executable, "-m", "explorer", "worker", "--concurrency", "2"], cwd=S.ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        S.wait_for(lambda: len(jobs.live_workers()) == 1 or proc.poll() is not None, 30, "worker start")
        assert proc.poll() is None and jobs.live_workers()[0]["concurrency"] == 2
        time.sleep(0.3)
        proc.send_signal(sig)
        assert proc.wait(15) == 0
        assert jobs.live_workers() == []
    finally:
        S.kill_group(proc.pid)
        proc.wait(5)
        proc.stdout.close()


def test_worker_refuses_a_bad_concurrency(capsys: pytest.CaptureFixture) -> None:
    code, _, err = _run(capsys, "worker", "--concurrency", "0")
    assert code == 2 and err == "error: --concurrency: must be between 1 and 256, got 0\n"


@pytest.mark.slow
def test_submit_trains_in_a_started_worker_and_copies_the_run(tmp_path: Path, explorer_home: Path) -> None:
    """End to end, as a teacher would script it: submit starts a worker, status follows the job."""
    from explorer.samples.interactions import write_sample_interactions

    log, items = write_sample_interactions(tmp_path)
    env = dict(os.environ, PYTHONPATH=str(S.ROOT), EXPLORER_START_WORKER="1", EXPLORER_WORKER_PRELOAD="0")

    def cli(*argv: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "explorer", *argv], cwd=S.ROOT, env=env, capture_output=True,
                              text=True, timeout=120)

    out = tmp_path / "run"
    submitted = cli("submit", "useritem", "--interactions", str(log), "--items", str(items), "--out", str(out),
                    "--dim", "8", "--epochs", "2")
    returned_at = time.time()
    assert submitted.returncode == 0, submitted.stderr
    job = submitted.stdout.strip()
    try:
        status: dict = {}

        def finished() -> bool:
            result = cli("status", job)
            assert result.returncode == 0, result.stderr
            status.update(json.loads(result.stdout))
            return status["state"] in jobs.FINAL_STATES

        S.wait_for(finished, 180, "the job to finish", interval=0.5)
        assert status["state"] == "done", status["error"]
        assert status["finished"] > returned_at  # submit returned before training ended
        assert status["progress"] == 1.0 and status["epochs"] == 2 and len(status["loss_history"]) >= 1
        token = jobs.get(status["id"]).workspace
        run_dir = Path(jobs.get(status["id"]).run_dir)  # the run in the workspace
        assert status["workspace"] == fingerprint(token) and token not in json.dumps(status)
        assert status["run_dir"] == str(out.resolve()) and Path(status["run_dir"]).is_dir()  # the --out copy
        assert run_dir.parent == workspaces.runs_dir(token)
        assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in run_dir.iterdir())
        assert (out / "items.npy").read_bytes() == (run_dir / "items.npy").read_bytes()
    finally:
        for w in jobs.live_workers():
            os.killpg(w["pid"], signal.SIGTERM)  # the detached worker that submit started
            S.wait_for(lambda pid=w["pid"]: not jobs.pid_alive(pid), 20, "worker exit")


def _path_fields(status: dict) -> dict[str, str]:
    """The fields of the status JSON that name a folder (README: `run_dir`; the spec's `out` and, for a
    projection, the `run_dir` it projects), where set."""
    spec = status.get("spec") or {}
    fields = {"run_dir": status.get("run_dir"), "spec.out": spec.get("out"), "spec.run_dir": spec.get("run_dir")}
    return {k: v for k, v in fields.items() if v is not None}


def test_every_path_in_the_status_json_exists(capsys: pytest.CaptureFixture, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """`run_dir` is a real folder: the --out copy when given, else the run in the workspace (for its own
    command line); a teacher reading a student's job without --out gets null, never a made-up path."""
    from explorer.jobs import classes, execute

    S.register()
    try:
        monkeypatch.setattr(execute, "_precompute", lambda run_dir: None)
        own = workspaces.cli_workspace()
        info = classes.create_class("C")
        student = classes.join(info.code, "Ann").workspace
        made = {
            "own, --out": jobs.submit(S.sleep_spec("o", steps=1, out=str(tmp_path / "copy")), own),
            "own": jobs.submit(S.sleep_spec("n", steps=1), own),
            "student, --out": jobs.submit(S.sleep_spec("s", steps=1, out=str(tmp_path / "scopy")), student),
            "student": jobs.submit(S.sleep_spec("t", steps=1), student),
        }
        for _ in made:
            execute.execute_job(next(iter(made.values())))  # each task claims the next queued job
        assert {jobs.get(j).state for j in made.values()} == {"done"}
        made["projection"] = jobs.submit_projection(jobs.get(made["own"]).run_dir, "pca", 2, {}, own)
        monkeypatch.setattr(execute, "run_projection", lambda spec, out_dir, callback: None)
        execute.execute_job(made["projection"])

        def status(job: str, workspace: str) -> dict:
            monkeypatch.setenv("EXPLORER_WORKSPACE", workspace)
            code, out, err = _run(capsys, "status", job)
            assert code == 0, err
            return json.loads(out)

        seen = {name: status(job, own if name in ("own, --out", "own", "projection") else student)
                for name, job in made.items()}
        seen["teacher: student, --out"] = status(made["student, --out"], info.teacher_ws)
        seen["teacher: student"] = status(made["student"], info.teacher_ws)
        for name, shown in seen.items():
            for field, path in _path_fields(shown).items():
                assert Path(path).is_dir(), (name, field, path)  # a folder that exists, not a masked name
        assert seen["own, --out"]["run_dir"] == str((tmp_path / "copy").resolve())
        assert seen["own"]["run_dir"] == jobs.get(made["own"]).run_dir
        assert seen["projection"]["run_dir"] == jobs.get(made["own"]).run_dir
        assert seen["teacher: student, --out"]["run_dir"] == str((tmp_path / "scopy").resolve())
        assert seen["teacher: student"]["run_dir"] is None  # its path would carry the student's token
        assert all(student not in json.dumps(seen[k]) for k in ("teacher: student", "teacher: student, --out"))
    finally:
        S.unregister()
