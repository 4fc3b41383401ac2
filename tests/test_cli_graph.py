"""The command-line contract of the graph kind: ``train graph`` and ``submit graph`` (flags generated
from the registry), the run directory it writes, and one ``error: ...`` line with exit 2 for bad input."""

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
from explorer.graph.samples import write_sample_graph
from explorer.runs import load_run
from tests.support import jobs as S

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def karate(tmp_path: Path) -> tuple[Path, Path]:
    return write_sample_graph("karate", tmp_path)


def _run(capsys: pytest.CaptureFixture, *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exc:  # argparse refuses a flag
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err


def test_train_graph_writes_a_run(capsys: pytest.CaptureFixture, karate: tuple[Path, Path], tmp_path: Path) -> None:
    edges, labels = karate
    out = tmp_path / "runs" / "club"
    code, printed, err = _run(capsys, "train", "graph", "--edges", str(edges), "--labels", str(labels), "--out",
                              str(out), "--walk", "node2vec", "--p", "0.5", "--q", "2", "--walk-length", "20",
                              "--walks-per-node", "5", "--window", "5", "--dim", "16", "--epochs", "2",
                              "--negatives", "3", "--seed", "3", "--workers", "1")
    assert code == 0, err
    assert printed.strip() == str(out)
    run = load_run(out)
    assert run.kind == "graph" and run.vectors.shape == (34, 16)
    assert {"vectors.npy", "vocab.tsv", "labels.tsv", "config.json", "metrics.json"} <= {p.name for p in out.iterdir()}
    hyper = run.hyper
    assert (hyper["walk"], hyper["p"], hyper["q"], hyper["walk_length"], hyper["walks_per_node"], hyper["window"],
            hyper["epochs"], hyper["negatives"], hyper["seed"], hyper["workers"]) == \
        ("node2vec", 0.5, 2.0, 20, 5, 5, 2, 3, 3, 1)
    metrics = json.loads((out / "metrics.json").read_text())
    assert len(metrics["loss_per_epoch"]) == 2 and metrics["n_steps"] == 2 * 5 * 34 * 20
    assert "auc" in metrics["link_prediction"] and "macro_f1" in metrics["node_classification"]


@pytest.mark.parametrize("argv,message", [
    (["--walk", "bfs"], "argument --walk: invalid choice: 'bfs'"),
    (["--p", "0"], "p must be greater than 0, got 0"),
    (["--walk-length", "1"], "walk_length must be at least 2, got 1"),
    (["--holdout", "0.9"], "holdout must be at most 0.5, got 0.9"),
])
def test_bad_flags(capsys: pytest.CaptureFixture, karate: tuple[Path, Path], tmp_path: Path, argv: list[str],
                   message: str) -> None:
    code, _, err = _run(capsys, "train", "graph", "--edges", str(karate[0]), "--out", str(tmp_path / "r"), *argv)
    assert code == 2 and len(err.strip().splitlines()) == 1 and err.startswith("error: ") and message in err
    assert not (tmp_path / "r").exists()


def test_bad_files(capsys: pytest.CaptureFixture, karate: tuple[Path, Path], tmp_path: Path) -> None:
    code, _, err = _run(capsys, "train", "graph", "--out", str(tmp_path / "r"))
    assert code == 2 and "--edges" in err
    loops = tmp_path / "loops.txt"
    loops.write_text("a a\nb b\n")
    code, _, err = _run(capsys, "train", "graph", "--edges", str(loops), "--out", str(tmp_path / "r"))
    assert (code, err) == (2, "error: loops.txt: all 2 edges are self-loops (a node linked to itself); "
                              "nothing to walk on\n")
    bad_labels = tmp_path / "labels.csv"
    bad_labels.write_text("0,x\nnobody,y\n")
    code, _, err = _run(capsys, "train", "graph", "--edges", str(karate[0]), "--labels", str(bad_labels), "--out",
                        str(tmp_path / "r"))
    assert code == 2 and err == "error: labels.csv: 1 labelled node(s) are not in the graph, e.g. 'nobody'\n"
    code, _, err = _run(capsys, "train", "graph", "--edges", str(tmp_path / "missing.csv"), "--out",
                        str(tmp_path / "r"))
    assert code == 2 and "missing.csv" in err and "not found" in err
    assert not (tmp_path / "r").exists()


def test_submit_graph_queues_a_job(capsys: pytest.CaptureFixture, karate: tuple[Path, Path], tmp_path: Path,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EXPLORER_START_WORKER", "0")
    code, out, err = _run(capsys, "submit", "graph", "--edges", str(karate[0]), "--walk", "node2vec", "--q", "0.5",
                          "--dim", "8")
    assert code == 0, err
    info = jobs.get(out.strip())
    assert info.kind == "graph" and info.state == "queued"
    assert info.spec["config"]["q"] == 0.5 and info.spec["data"]["edges"] == str(karate[0].resolve())


@pytest.mark.slow
def test_submit_graph_trains_in_a_worker(karate: tuple[Path, Path], tmp_path: Path) -> None:
    env = dict(os.environ, PYTHONPATH=str(ROOT), EXPLORER_START_WORKER="1", EXPLORER_WORKER_PRELOAD="0")

    def cli(*argv: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "explorer", *argv], cwd=ROOT, env=env, capture_output=True,
                              text=True, timeout=120)

    out = tmp_path / "copy"
    submitted = cli("submit", "graph", "--edges", str(karate[0]), "--labels", str(karate[1]), "--out", str(out),
                    "--dim", "8", "--walks-per-node", "4", "--workers", "1")
    assert submitted.returncode == 0, submitted.stderr
    job = submitted.stdout.strip()
    deadline = time.time() + 180
    status: dict = {}
    while time.time() < deadline:
        status = json.loads(cli("status", job).stdout)
        if status["state"] in jobs.FINAL_STATES:
            break
        time.sleep(0.5)
    try:
        assert status["state"] == "done", status
        assert load_run(out).kind == "graph" and (out / "labels.tsv").is_file()
    finally:
        subprocess.run([sys.executable, "-m", "explorer", "cancel", job], cwd=ROOT, env=env, capture_output=True)
        for w in jobs.live_workers():  # the detached worker that submit started (it would idle for an hour)
            os.killpg(w["pid"], signal.SIGTERM)
            S.wait_for(lambda pid=w["pid"]: not jobs.pid_alive(pid), 20, "worker exit")
