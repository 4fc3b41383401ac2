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

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def forking(monkeypatch):
    """This process as a command line before its first kernel load (where the overlap forks)."""
    monkeypatch.setattr(startup, "_one_command", True)
    monkeypatch.delitem(sys.modules, "explorer.training.sgns.kernels", raising=False)
    assert overlap.worth_forking()


def test_the_child_fills_the_cache_while_this_process_warms(forking, tmp_path: Path) -> None:
    cache = tmp_path / "cache.txt"
    calls = []

    def load_in_child() -> None:
        cache.write_text(f"tokenized by {os.getpid()}")

    def load() -> str:
        calls.append("load")
        return cache.read_text()

    got = overlap.load_corpus_while_warming(load_in_child, load, lambda: calls.append("warm"))
    assert calls == ["warm", "load"]
    assert got.startswith("tokenized by ") and got != f"tokenized by {os.getpid()}"  # another process wrote it


def test_a_failing_child_leaves_the_load_to_this_process(forking, tmp_path: Path) -> None:
    def load_in_child() -> None:
        raise ValueError("a bad line")  # the parent's own load reports it, or here succeeds

    got = overlap.load_corpus_while_warming(load_in_child, lambda: "loaded here", lambda: None)
    assert got == "loaded here"


def test_no_fork_outside_a_one_command_process_or_without_kernels_to_load(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setattr(startup, "_one_command", False)  # the worker, the app, a library user
    assert not overlap.worth_forking()
    calls = []
    got = overlap.load_corpus_while_warming(lambda: calls.append("child"), lambda: "ok", lambda: calls.append("warm"))
    assert got == "ok" and calls == []  # neither a child nor an early kernel load
    monkeypatch.setattr(startup, "_one_command", True)
    got = overlap.load_corpus_while_warming(lambda: calls.append("child"), lambda: "ok", None)  # a torch trainer
    assert got == "ok" and calls == []


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
    code = ("import sys; from explorer import cli, startup; "
            "assert not startup.is_one_command(); sys.exit(cli.main(sys.argv[1:]))")
    outs = {}
    for how, argv in (("child", [sys.executable, "-m", "explorer"]), ("none", [sys.executable, "-c", code])):
        env = {**os.environ, "EXPLORER_HOME": str(tmp_path / f"home-{how}"), "PYTHONPATH": str(ROOT)}
        run = subprocess.run([*argv, *args, "--out", str(tmp_path / how)], env=env, capture_output=True, text=True,
                             timeout=300)
        assert run.returncode == 0, run.stderr
        outs[how] = np.load(tmp_path / how / "vectors.npy")
        assert any((tmp_path / f"home-{how}" / "cache").iterdir())  # the corpus cache was written either way
        bad = subprocess.run([*argv, *args[:3], str(binary), "--out", str(tmp_path / f"bad-{how}")], env=env,
                             capture_output=True, text=True, timeout=300)
        outs[f"bad-{how}"] = (bad.returncode, bad.stderr.strip().splitlines()[-1])
    np.testing.assert_array_equal(outs["child"], outs["none"])
    assert outs["bad-child"] == outs["bad-none"] == (2, f"error: {binary.name}: looks like a binary file, not text")


def test_the_child_ends_when_its_parent_ends(tmp_path: Path) -> None:
    """A command stopped while its child tokenizes (``timeout``, ``kill``) leaves no tokenizer running."""
    pid_file = tmp_path / "child.pid"
    code = f"""
import os, sys, time
from explorer import startup
from explorer.training import overlap
startup.one_command()
def load_in_child():
    open({str(pid_file)!r}, "w").write(str(os.getpid()))
    time.sleep(60)
def warm():
    while not os.path.exists({str(pid_file)!r}):
        time.sleep(0.01)
    time.sleep(0.05)
    os._exit(0)  # the parent ends without waiting for its child
overlap.load_corpus_while_warming(load_in_child, lambda: None, warm)
"""
    subprocess.run([sys.executable, "-c", code], env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=60, check=True)
    child = int(pid_file.read_text())
    for _ in range(200):
        try:
            os.kill(child, 0)
        except ProcessLookupError:
            return
        with open(f"/proc/{child}/stat") as fh:  # a zombie (ended, not yet reaped by init) counts as ended
            if fh.read().split(")")[-1].split()[0] == "Z":
                return
        time.sleep(0.02)
    os.kill(child, 9)
    raise AssertionError("the child outlived its parent")
