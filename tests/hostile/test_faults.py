"""Fault cases: a damaged job table, a full disk, reads that must not write, closed pipes."""

from __future__ import annotations

import builtins
import errno
import io
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from explorer import jobs
from explorer.cli import main
from explorer.jobs import table, workspaces
from tests.hostile.cases import RUNS

pytestmark = pytest.mark.slow  # the hostile-input suite: subprocesses, damaged files, AppTests

ROOT = Path(__file__).resolve().parents[2]


def _fresh_table() -> None:
    """Forget this process's connections and checks (as a new process would)."""
    jobs.close_connections()
    table._ready.clear()


def _spec(corpus: Path) -> dict:
    return {"kind": "skipgram", "name": corpus.name, "data": {"corpus": str(corpus)}, "corpus_config": {},
            "config": {"epochs": 1, "dim": 4, "min_count": 1}}


def _one_error(err: str) -> str:
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and "Traceback" not in err, err
    return lines[0]


# ---------------------------------------------------------------------- damaged job table


def test_damaged_job_table_is_moved_aside_and_a_fresh_one_started(explorer_home: Path, tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture) -> None:
    token = workspaces.new_token()
    shutil.copytree(RUNS / "sg", workspaces.runs_dir(token) / "20260101-000000-0000abcd")
    corpus = tmp_path / "c.txt"
    corpus.write_text("a b c\n", encoding="utf-8")
    jobs.submit(_spec(corpus), token)
    _fresh_table()
    damaged = b"this is not a database" * 300
    (explorer_home / "jobs.sqlite").write_bytes(damaged)

    assert main(["status", "0123456789abcdef0123"]) == 2  # a read: never repairs (never writes), one line
    assert "job table" in _one_error(capsys.readouterr().err)
    assert (explorer_home / "jobs.sqlite").read_bytes() == damaged

    job = jobs.submit(_spec(corpus), token)  # any writer moves it aside, with one warning
    err = capsys.readouterr().err
    assert err.count("warning:") == 1 and "moved to jobs.sqlite.damaged-" in err
    kept = list(explorer_home.glob("jobs.sqlite.damaged-*"))
    assert len(kept) == 1 and kept[0].read_bytes() == damaged  # kept for inspection
    assert jobs.get(job).state == "queued"
    assert [r.run_id for r in workspaces.list_runs(token)] == ["20260101-000000-0000abcd"]  # runs stay reachable


def test_the_app_opens_on_a_damaged_job_table(explorer_home: Path) -> None:
    from streamlit.testing.v1 import AppTest

    _fresh_table()
    (explorer_home / "jobs.sqlite").write_bytes(b"\x00garbage" * 500)
    os.environ["EXPLORER_START_WORKER"] = "0"
    try:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    finally:
        os.environ.pop("EXPLORER_START_WORKER", None)
    assert not at.exception, at.exception
    assert list(explorer_home.glob("jobs.sqlite.damaged-*"))



# ---------------------------------------------------------------------- reads never write


def _snapshot(root: Path) -> dict[str, tuple[int, int]]:
    return {str(p.relative_to(root)): (p.stat().st_size, p.stat().st_mtime_ns) for p in sorted(root.rglob("*"))}


def test_status_writes_nothing_and_never_prints_a_token(explorer_home: Path, tmp_path: Path,
                                                       capsys: pytest.CaptureFixture,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = tmp_path / "c.txt"
    corpus.write_text("a b c\n", encoding="utf-8")
    mine = workspaces.new_token()
    other = workspaces.new_token()
    monkeypatch.setenv("EXPLORER_WORKSPACE", mine)
    own_job, other_job = jobs.submit(_spec(corpus), mine), jobs.submit(_spec(corpus), other)
    _fresh_table()
    before = _snapshot(explorer_home)
    assert main(["status", own_job]) == 0
    out = capsys.readouterr().out
    assert json.loads(out)["state"] == "queued" and mine not in out
    assert main(["status", other_job]) == 2
    assert "--operator" in _one_error(capsys.readouterr().err)
    assert main(["status", other_job, "--operator"]) == 0
    out = capsys.readouterr().out
    assert other not in out and json.loads(out)["workspace"].startswith("ws-")
    assert _snapshot(explorer_home) == before
    assert main(["cancel", other_job]) == 2 and "--operator" in _one_error(capsys.readouterr().err)
    assert jobs.get(other_job).state == "queued"
    assert main(["cancel", other_job, "--operator"]) == 0 and jobs.get(other_job).state == "cancelled"


# ---------------------------------------------------------------------- a full disk


@pytest.fixture
def full_disk(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Path]]:
    """Files opened for writing under the listed folders fail with ENOSPC on their first write."""
    folders: list[Path] = []
    real_open = builtins.open

    class Full(io.RawIOBase):
        def __init__(self, fh) -> None:  # type: ignore[no-untyped-def]
            self.fh = fh

        def write(self, data) -> int:  # type: ignore[no-untyped-def]
            raise OSError(errno.ENOSPC, "No space left on device")

        def writable(self) -> bool:
            return True

        def close(self) -> None:
            self.fh.close()
            super().close()

        def __getattr__(self, name: str):  # type: ignore[no-untyped-def]
            return getattr(self.fh, name)

    def fake_open(file, mode="r", *args, **kwargs):  # type: ignore[no-untyped-def]
        fh = real_open(file, mode, *args, **kwargs)
        if any(c in mode for c in "wax+") and isinstance(file, (str, os.PathLike)):
            path = Path(os.fspath(file)).resolve()
            if any(path.is_relative_to(f.resolve()) for f in folders):
                if "b" in mode:
                    return Full(fh)
                return io.TextIOWrapper(io.BufferedWriter(Full(fh)), encoding=kwargs.get("encoding") or "utf-8")
        return fh

    monkeypatch.setattr(builtins, "open", fake_open)
    monkeypatch.setattr(io, "open", fake_open)
    yield folders


def _no_leftovers(folder: Path, allowed: set[str]) -> None:
    assert {p.name for p in folder.iterdir()} == allowed, sorted(p.name for p in folder.iterdir())


@pytest.mark.parametrize("command", ["sample", "export", "import", "export-binary", "export-projector"])
def test_full_disk_is_one_line_naming_the_folder(command: str, full_disk: list[Path], tmp_path: Path,
                                                 capsys: pytest.CaptureFixture) -> None:
    out_dir = tmp_path / "full"
    out_dir.mkdir()
    full_disk.append(out_dir)
    run = tmp_path / "run"
    shutil.copytree(RUNS / "sg", run)
    glove = tmp_path / "v.txt"
    glove.write_bytes(b"cat 0.1 0.2\ndog 0.3 0.4\n")
    argv = {
        "sample": ["sample", "--out", str(out_dir / "samples")],
        "export": ["export", str(run), "--format", "word2vec", "--out", str(out_dir / "e.txt")],
        "export-binary": ["export", str(run), "--format", "word2vec-binary", "--out", str(out_dir / "e.bin")],
        "export-projector": ["export", str(run), "--format", "projector", "--out", str(out_dir / "e.tsv")],
        "import": ["import", str(glove), "--out", str(out_dir / "imported")],
    }[command]
    assert main(argv) == 2
    line = _one_error(capsys.readouterr().err)
    assert "no space left on device" in line and str(out_dir) in line and "free" in line
    assert "about" in line and "needed" in line  # the space it would need
    _no_leftovers(out_dir, set())


def test_a_job_that_fills_the_disk_says_so(explorer_home: Path, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    from explorer.jobs import execute

    def runner(spec: dict, out_dir: Path, callback) -> None:  # type: ignore[no-untyped-def]
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(execute, "_runner", lambda kind: (runner, True))
    corpus = tmp_path / "c.txt"
    corpus.write_text("a b c\n", encoding="utf-8")
    token = workspaces.new_token()
    job = jobs.submit(_spec(corpus), token)
    execute.execute_job(job)
    info = jobs.get(job)
    assert info.state == "failed" and "no space left on device" in info.error and info.error != jobs.WORKER_STOPPED
    assert workspaces.list_runs(token) == []


# ---------------------------------------------------------------------- closed pipes


@pytest.mark.parametrize("command", ["neighbors", "status", "cluster"])
def test_a_closed_pipe_ends_quietly(command: str, tmp_path: Path, explorer_home: Path) -> None:
    run = tmp_path / "run"
    shutil.copytree(RUNS / "sg", run)
    corpus = tmp_path / "c.txt"
    corpus.write_text("a b c\n", encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=str(ROOT), EXPLORER_WORKSPACE=workspaces.new_token())
    if command == "status":
        job = jobs.submit(_spec(corpus), env["EXPLORER_WORKSPACE"])
        jobs.close_connections()
        argv = ["status", job]
    elif command == "neighbors":
        argv = ["neighbors", str(run), "cat", "-k", "30"]
    else:
        argv = ["cluster", str(run), "--k", "2"]
    # the reader is gone before the command writes (`| head -1` on a long output does the same)
    script = f"{sys.executable} -m explorer {' '.join(argv)} | true; exit ${{PIPESTATUS[0]}}"
    proc = subprocess.run(["bash", "-c", script], env=env, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode in (0, 141), proc.stderr
    assert proc.stderr == "", proc.stderr
