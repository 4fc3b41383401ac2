"""`train useritem`, `recommend` and `evaluate` through the command line, errors included."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from explorer.cli import main
from explorer.samples.interactions import simulate_log, write_sample_interactions

ROOT = Path(__file__).resolve().parents[1]
FAST = ["--epochs", "2", "--dim", "8"]


def _error(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error: "), err
    return err[0]


def _movielens_rows(n_users: int = 40, n_items: int = 30, n: int = 600) -> list[tuple[int, int, int, int]]:
    sim = simulate_log(n_users, n_items, n, 3, latent_dim=4, min_per_user=5, seed=1)
    return list(zip((sim.users + 1).tolist(), (sim.items + 1).tolist(), sim.ratings.tolist(),
                    sim.timestamps.astype(np.int64).tolist(), strict=True))


@pytest.mark.parametrize("fmt", ["u.data", "ratings.dat"])
def test_movielens_formats_train_evaluate_recommend(tmp_path: Path, fmt: str,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    rows = _movielens_rows()
    sep = "\t" if fmt == "u.data" else "::"
    log = tmp_path / fmt
    log.write_text("".join(sep.join(map(str, r)) + "\n" for r in rows))
    out = tmp_path / "run"
    assert main(["train", "useritem", "--interactions", str(log), "--out", str(out), *FAST]) == 0
    capsys.readouterr()
    assert main(["evaluate", str(out)]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["split"]["test"] == 40 and report["split"]["method"].startswith("leave-latest-out")
    assert report["test"]["sampled"]["model"]["protocol"] == "sampled"
    assert report["test"]["sampled"]["model"]["negatives"] == 99
    assert report["test"]["full"]["popularity"]["protocol"] == "full"
    saved = json.loads((out / "metrics.json").read_text())["test"]
    assert report["test"]["full"]["model"]["HR@10"] == pytest.approx(saved["full"]["model"]["HR@10"])
    assert main(["recommend", str(out), "1", "-k", "3"]) == 0
    recs = json.loads(capsys.readouterr().out)
    assert recs["user"] == "1" and len(recs["recommendations"]) == 3
    seen = {str(i) for u, i, _, _ in rows if u == 1}
    assert not seen & {r["item"] for r in recs["recommendations"]}
    assert all(r["because"][0]["item"] in seen for r in recs["recommendations"])


@pytest.mark.slow
def test_min_rating_and_items_metadata(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    log, items = write_sample_interactions(tmp_path)
    out = tmp_path / "run"
    code = main(["train", "useritem", "--interactions", str(log), "--items", str(items), "--out", str(out),
                 "--min-rating", "4", "--loss", "bpr", "--seed", "3", *FAST])
    assert code == 0
    config = json.loads((out / "config.json").read_text())
    assert config["kind"] == "useritem" and config["config"]["min_rating"] == 4
    assert config["config"]["loss"] == "bpr" and config["config"]["seed"] == 3
    assert config["data"]["n_interactions"] < 18_000
    assert (out / "items.tsv").read_text().splitlines()[0] == "item\ttitle\tgenre"
    assert (out / "labels.tsv").read_text().splitlines()[0] == "token\tlabel"


@pytest.mark.parametrize(
    "text,extra,needle",
    [
        ("person,thing\n1,a\n2,b\n", [], "available columns: person, thing"),
        ("user,item\n1,a\n2,b\n", ["--item-col", "sku"], "no item column 'sku'"),
        ("user,item,rating\n1,a,5\n2,b,good\n", [], "rating column 'rating' is not numeric"),
        ("user,item\n1,a\n1,b\n", [], "only one user"),
        ("user,item\n1,a\n2,a\n", [], "only one item"),
        ("user,item\n1,a\n,b\n", [], "empty user id"),
        ("user,item\n1,a\n2,b\n", ["--min-rating", "3"], "--min-rating needs a rating column"),
        ("user,item\n1,a\n2,b\n", ["--negatives", "0"], "negatives must be at least 1"),
    ],
)
def test_bad_input_is_exit_2_with_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str,
                                           extra: list[str], needle: str) -> None:
    log = tmp_path / "log.csv"
    log.write_text(text)
    out = tmp_path / "run"
    assert main(["train", "useritem", "--interactions", str(log), "--out", str(out), *FAST, *extra]) == 2
    assert needle in _error(capsys)
    assert not out.exists() and [p for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_missing_log_unknown_user_and_wrong_run_are_exit_2(tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["train", "useritem", "--interactions", str(tmp_path / "nope.csv"), "--out",
                 str(tmp_path / "o")]) == 2
    assert "nope.csv" in _error(capsys)
    log, _ = write_sample_interactions(tmp_path)
    out = tmp_path / "run"
    assert main(["train", "useritem", "--interactions", str(log), "--out", str(out), *FAST]) == 0
    capsys.readouterr()
    assert main(["recommend", str(out), "stranger"]) == 2
    assert "user 'stranger' is not in this run" in _error(capsys)
    assert main(["recommend", str(out), "u001", "-k", "0"]) == 2
    assert "-k must be >= 1" in _error(capsys)
    assert main(["evaluate", str(tmp_path / "missing-run")]) == 2
    assert "run directory not found" in _error(capsys)


@pytest.mark.slow
def test_python_m_explorer_train_useritem_subprocess(tmp_path: Path) -> None:
    log, items = write_sample_interactions(tmp_path)
    out = tmp_path / "run"
    env = dict(os.environ, EXPLORER_NO_PROGRESS="1", PYTHONPATH=str(ROOT))
    proc = subprocess.run(
        [sys.executable, "-m", "explorer", "train", "useritem", "--interactions", str(log), "--items", str(items),
         "--out", str(out), "--epochs", "1"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=240,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == str(out)
    for name in ("config.json", "metrics.json", "users.npy", "users.tsv", "items.npy", "items.tsv",
                 "item_bias.npy", "item_counts.npy", "interactions.npz", "labels.tsv"):
        assert (out / name).is_file(), name
    users, items_v, bias = (np.load(out / f) for f in ("users.npy", "items.npy", "item_bias.npy"))
    assert users.dtype == items_v.dtype == bias.dtype == np.float32 and bias.shape == (400,)
