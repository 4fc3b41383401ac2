"""explorer.training.overlap: a command line's first numba training tokenizes in a child process while this one
loads the kernels. The child only fills the corpus cache: whatever happens to it, this process loads the corpus
itself, with the same result and the same errors; only a one-command process forks."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from explorer import startup
from explorer.training import overlap
from explorer.training.sgns import native

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def forking(monkeypatch, tmp_path: Path):
    """This process as a command line before its first kernel load (where the overlap forks); returns a small
    corpus file."""
    monkeypatch.setattr(startup, "_one_command", True)
    monkeypatch.delitem(sys.modules, "explorer.training.sgns.kernels", raising=False)
    monkeypatch.setattr(native, "_state", {})  # (nor the job's machine code)
    monkeypatch.setattr(overlap.threading, "active_count", lambda: 1)  # (the suite may have helper threads running)
    corpus = tmp_path / "corpus.txt"
    corpus.write_text("the cat sat on the mat\nthe dog sat on the log\n" * 50, encoding="utf-8")
    assert overlap.worth_forking(corpus)
    return corpus


def test_the_child_runs_while_this_process_warms(forking: Path, tmp_path: Path) -> None:
    marker = tmp_path / "child.txt"
    calls = []

    def here() -> None:
        calls.append("here")

    overlap.fork_while(lambda: marker.write_text(str(os.getpid())), here)
    assert calls == ["here"]
    assert int(marker.read_text()) != os.getpid()  # another process ran it, and it was done when fork_while returned


def test_a_failing_child_is_dropped_and_an_error_here_ends_the_child(forking: Path, tmp_path: Path) -> None:
    marker = tmp_path / "child.txt"

    def failing_child() -> None:
        marker.write_text(str(os.getpid()))
        raise ValueError("a bad line")

    overlap.fork_while(failing_child, lambda: None)  # the child's error is not this process's
    assert int(marker.read_text()) != os.getpid()
    started = time.monotonic()

    def here() -> None:
        while not marker.with_suffix(".b").exists():
            time.sleep(0.01)
        raise RuntimeError("the kernels failed to load")

    with pytest.raises(RuntimeError, match="kernels"):
        overlap.fork_while(lambda: (marker.with_suffix(".b").write_text("x"), time.sleep(60)), here)
    assert time.monotonic() - started < 30  # the sleeping child was ended, not waited for


def test_the_corpus_is_the_one_a_plain_load_gives_and_the_child_filled_the_cache(forking: Path) -> None:
    from explorer.configs import CorpusConfig
    from explorer.paths import cache_dir
    from explorer.text.corpus import load_corpus

    cfg = CorpusConfig(lang="en")
    warmed = []
    got = overlap.load_corpus_while_warming(forking, cfg, [], None, None, lambda: warmed.append(
        sorted(p.name for p in cache_dir().iterdir())))
    assert len(warmed) == 1
    assert any(cache_dir().iterdir())  # the child's entry (this process's load was a hit: written behind otherwise)
    plain = load_corpus(forking, cfg, use_cache=False)
    assert got.tokens == plain.tokens and np.array_equal(got.ids, plain.ids)
    assert np.array_equal(got.offsets, plain.offsets)


def test_no_fork_outside_a_one_command_process_for_a_big_file_or_with_another_thread(forking: Path,
                                                                                    monkeypatch) -> None:
    from explorer.text import corpus as corpus_module

    monkeypatch.setattr(corpus_module, "FASTENCODE_MIN_BYTES", 100)  # the file is now "big"
    assert not overlap.worth_forking(forking)
    monkeypatch.undo()
    monkeypatch.setattr(startup, "_one_command", False)  # the worker, the app, a library user
    assert not overlap.worth_forking(forking)
    monkeypatch.setattr(startup, "_one_command", True)
    monkeypatch.setattr(overlap.threading, "active_count", lambda: 2)
    assert not overlap.worth_forking(forking)


def test_the_command_line_gives_the_same_vectors_and_errors_as_a_training_without_the_child(tmp_path: Path) -> None:
    """``python -m explorer`` (one command: the child tokenizes) against cli.main in a process that is not marked
    (no child): the same vectors for a seed on one thread; the same error for a corpus that cannot be read."""
    corpus = tmp_path / "corpus.txt"
    corpus.write_text("\n".join(f"the cat {w} sat on the mat {w} again" for w in ("red", "blue", "green") * 40),
                      encoding="utf-8")
    binary = tmp_path / "binary.txt"
    binary.write_bytes(b"\x00\x01\x02binary\xff\xfe" * 10)
    args = ["train", "skipgram", "--corpus", str(corpus), "--min-count", "1", "--epochs", "2", "--workers", "1",
            "--seed", "4", "--arch", "cbow", "--dim", "8"]
    counted = ("import os, sys, runpy; real = os.fork; forks = []\n"
               "def fork():\n    forks.append(1)\n    return real()\n"
               "os.fork = fork; sys.argv = ['explorer'] + sys.argv[1:]\n"
               "try:\n    runpy.run_module('explorer', run_name='__main__')\n"
               "finally:\n    sys.stderr.write(f'forks: {len(forks)}\\n')")
    code = ("import sys; from explorer import cli, startup; "
            "assert not startup.is_one_command(); sys.exit(cli.main(sys.argv[1:]))")
    outs = {}
    for how, argv in (("child", [sys.executable, "-c", counted]), ("none", [sys.executable, "-c", code])):
        env = {**os.environ, "EXPLORER_HOME": str(tmp_path / f"home-{how}"), "PYTHONPATH": str(ROOT)}
        run = subprocess.run([*argv, *args, "--out", str(tmp_path / how)], env=env, capture_output=True, text=True,
                             timeout=300)
        assert run.returncode == 0, run.stderr
        if how == "child":
            assert "forks: 1" in run.stderr  # the command line did tokenize in a child
        outs[how] = np.load(tmp_path / how / "vectors.npy")
        assert any((tmp_path / f"home-{how}" / "cache").iterdir())  # the corpus cache was written either way
        bad = subprocess.run([*argv, *args[:3], str(binary), "--out", str(tmp_path / f"bad-{how}")], env=env,
                             capture_output=True, text=True, timeout=300)
        outs[f"bad-{how}"] = (bad.returncode, [line for line in bad.stderr.splitlines() if line.startswith("error")])
    np.testing.assert_array_equal(outs["child"], outs["none"])
    assert outs["bad-child"] == outs["bad-none"] == (2, [f"error: {binary.name}: looks like a binary file, not text"])


def test_the_child_ends_when_its_parent_ends(tmp_path: Path) -> None:
    """A command stopped while its child tokenizes (``timeout``, ``kill``) leaves no tokenizer running."""
    pid_file = tmp_path / "child.pid"
    code = f"""
import os, sys, time
from explorer import startup
from explorer.training import overlap
from explorer.training.sgns import native
startup.one_command()
def load_in_child():
    open({str(pid_file)!r}, "w").write(str(os.getpid()))
    time.sleep(60)
def warm():
    while not os.path.exists({str(pid_file)!r}):
        time.sleep(0.01)
    time.sleep(0.05)
    os._exit(0)  # the parent ends without waiting for its child
overlap.fork_while(load_in_child, warm)
"""
    subprocess.run([sys.executable, "-c", code], env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=60, check=True)
    child = int(pid_file.read_text())
    deadline = time.monotonic() + 4
    while _running(child) and time.monotonic() < deadline:
        time.sleep(0.02)
    ended = not _running(child)
    if not ended:
        os.kill(child, 9)
    assert ended, "the child outlived its parent"


def _running(pid: int) -> bool:
    """Whether process ``pid`` still runs (a zombie, ended but not yet reaped, does not)."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[-1].split()[0] != "Z"
    except OSError:
        return False
