"""One validating loader: every damaged run directory is refused with one line naming the file.

Each damage type is tried through the loader (:func:`explorer.runs.load_run`) and through the
command line (exit 2, one ``error:`` line naming the file, no output written), and an uploaded run
zip with the same damage is refused the same way.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from explorer.cli import main
from explorer.errors import ExplorerError
from explorer.runs import layout as L
from explorer.runs import list_runs, load_run, manage, scan_runs
from explorer.runs.arrays import npy_header
from explorer.runs.logged import load_logged
from explorer.runs.validation import forget_checks
from tests.support.runs import useritem_run, words_run

TOKENS = ["cat", "dog", "fish", "bird"]
ROOT = Path(__file__).resolve().parents[1]


_rng = np.random.default_rng(1)
#: a Skip-gram run of the 4 TOKENS
WORDS = {"tokens": TOKENS, "vectors": np.random.default_rng(0).normal(size=(len(TOKENS), 3)), "counts": [4, 3, 2, 1],
         "data": {"source": "toy.txt"}, "name": "toy", "metrics": {"loss_per_epoch": [1.0]}}
#: 3 users, 4 items, 8 logged interactions (one validation and one test row per user where possible)
ITEMS = {"users": _rng.normal(size=(3, 2)), "items": _rng.normal(size=(4, 2)), "user_ids": ["u1", "u2", "u3"],
         "item_ids": ["i1", "i2", "i3", "i4"], "item_columns": {"title": ["One", "Two", "Three", "Four"]},
         "item_counts": [3, 2, 2, 1], "data": {"source": "log.csv"}, "name": "log", "interactions": {
             "user": np.array([0, 0, 0, 1, 1, 2, 2, 2], np.int32), "item": np.array([0, 1, 2, 0, 3, 1, 2, 0], np.int32),
             "label": np.ones(8, np.float32), "split": np.array([0, 1, 2, 0, 2, 0, 0, 2], np.int8),
             "split_seed": np.int64(0), "timestamp": np.full(8, np.nan),
             "validation_negatives": np.array([[3, -1]], np.int64), "test_negatives": np.full((3, 2), -1, np.int64)}}


def _replace_npy(path: Path, array: np.ndarray) -> None:
    np.save(path, array)


def _truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[:-5])


def _huge_header(path: Path) -> None:
    """An .npy whose header claims 10**12 rows of float32 (4 TB) but holds 48 bytes."""
    buf = io.BytesIO()
    np.lib.format.write_array_header_1_0(buf, {"descr": "<f4", "fortran_order": False, "shape": (10**12, 3)})
    path.write_bytes(buf.getvalue() + b"\0" * 48)


def _edit_config(change: Callable[[dict], object]) -> Callable[[Path], None]:
    def edit(run: Path) -> None:
        config = json.loads((run / L.CONFIG).read_text(encoding="utf-8"))
        (run / L.CONFIG).write_text(json.dumps(change(config)), encoding="utf-8")
    return edit


def _damaged_npz(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _npz_out_of_range(path: Path) -> None:
    with np.load(path) as npz:
        arrays = {k: npz[k] for k in npz.files}
    arrays["item"] = arrays["item"] + 10
    np.savez(path, **arrays)


# (name, which run, damage applied to the run directory, file named in the message, words in the message)
DAMAGES: list[tuple[str, str, Callable[[Path], None], str, str]] = [
    ("truncated vectors.npy", "words", lambda r: _truncate(r / L.VECTORS), "vectors.npy", "damaged array file"),
    ("short vocab.tsv", "words",
     lambda r: (r / L.VOCAB).write_text("token\tcount\ncat\t4\ndog\t3\nfish\t2\n", encoding="utf-8"),
     "vocab.tsv", "3 rows but vectors.npy has 4"),
    ("non-numeric counts", "words",
     lambda r: (r / L.VOCAB).write_text("token\tcount\ncat\t4\ndog\tmany\nfish\t2\nbird\t1\n", encoding="utf-8"),
     "vocab.tsv", "line 3: count 'many' is not a whole number"),
    ("vocab.tsv without header", "words",
     lambda r: (r / L.VOCAB).write_text("cat\t4\ndog\t3\nfish\t2\nbird\t1\n", encoding="utf-8"),
     "vocab.tsv", "header must be token<TAB>count"),
    ("vectors with NaN", "words", lambda r: _replace_npy(r / L.VECTORS, np.full((4, 3), np.nan, np.float32)),
     "vectors.npy", "NaN or infinite"),
    ("vectors of float64", "words", lambda r: _replace_npy(r / L.VECTORS, np.zeros((4, 3))), "vectors.npy",
     "expected float32 values, got float64"),
    ("npy header claiming a huge shape", "words", lambda r: _huge_header(r / L.VECTORS), "vectors.npy",
     "header claims 12,000,000,000,000 bytes"),
    ("vectors of Python objects", "words",
     lambda r: np.save(r / L.VECTORS, np.array([{"a": 1}] * 4, dtype=object), allow_pickle=True), "vectors.npy",
     "holds object values, expected numbers"),
    ("config.json a list", "words", _edit_config(lambda c: [c]), "config.json", "expected a JSON object, got a list"),
    ("config.json a number where a date belongs", "words", _edit_config(lambda c: {**c, "created": 20240101}),
     "config.json", "created must be a date"),
    ("config.json not JSON", "words", lambda r: (r / L.CONFIG).write_text("{kind:", encoding="utf-8"),
     "config.json", "not valid JSON"),
    ("config.json unknown kind", "words", _edit_config(lambda c: {**c, "kind": "shell"}), "config.json",
     "unknown run kind 'shell'"),
    ("metrics.json a list", "words", lambda r: (r / L.METRICS).write_text("[1, 2]", encoding="utf-8"),
     "metrics.json", "expected a JSON object"),
    ("missing users.tsv", "useritem", lambda r: (r / L.USERS_TSV).unlink(), "users.tsv", "missing"),
    ("short users.tsv", "useritem", lambda r: (r / L.USERS_TSV).write_text("user\nu1\nu2\n", encoding="utf-8"),
     "users.tsv", "2 rows but users.npy has 3"),
    ("damaged interactions.npz", "useritem", lambda r: _damaged_npz(r / L.INTERACTIONS), "interactions.npz",
     "damaged array file"),
    ("interactions.npz items out of range", "useritem", lambda r: _npz_out_of_range(r / L.INTERACTIONS),
     "interactions.npz", "item indices must lie in 0..3"),
    ("wrong-length item_bias", "useritem", lambda r: _replace_npy(r / L.ITEM_BIAS, np.zeros(3, np.float32)),
     "item_bias.npy", "3 rows but items.npy has 4"),
    ("users and items of different dimensions", "useritem",
     lambda r: _replace_npy(r / L.USERS, np.zeros((3, 5), np.float32)), "users.npy", "dimension 5 but items.npy has 2"),
]
IDS = [d[0] for d in DAMAGES]


@pytest.fixture(autouse=True)
def _fresh_checks() -> None:
    forget_checks()


def damaged(tmp_path: Path, which: str, damage: Callable[[Path], None]) -> Path:
    run = words_run(tmp_path / "run", **WORDS) if which == "words" else useritem_run(tmp_path / "run", **ITEMS)
    load_run(run)  # valid before the damage
    forget_checks()  # (a same-size rewrite within the clock's granularity keeps the change stamp)
    damage(run)
    return run


def test_intact_runs_load(tmp_path: Path) -> None:
    words = load_run(words_run(tmp_path / "w", **WORDS))
    assert words.tokens == TOKENS and words.capabilities.words and not words.capabilities.users
    items = load_run(useritem_run(tmp_path / "u", **ITEMS))
    assert items.capabilities.users and items.display_labels == ["One", "Two", "Three", "Four"]
    inter, split, negatives = load_logged(items)
    assert len(inter) == 8 and int((split.role == 2).sum()) == 3 and negatives["test"].shape == (3, 2)


@pytest.mark.parametrize(("name", "which", "damage", "file", "words"), DAMAGES, ids=IDS)
def test_loader_names_the_first_problem(tmp_path: Path, name: str, which: str, damage: Callable, file: str,
                                        words: str) -> None:
    run = damaged(tmp_path, which, damage)
    with pytest.raises(ExplorerError) as exc:
        load_run(run)
    message = str(exc.value)
    assert message.startswith(f"{run / file}: ") and words in message, message
    assert "\n" not in message and exc.value.code and exc.value.code.startswith("run_")


def _cli(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str]]:
    code = main(argv)
    captured = capsys.readouterr()
    return code, captured.err.strip().splitlines()


@pytest.mark.parametrize(("name", "which", "damage", "file", "words"), DAMAGES, ids=IDS)
def test_cli_refuses_with_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, which: str,
                                   damage: Callable, file: str, words: str) -> None:
    run = damaged(tmp_path, which, damage)
    out = tmp_path / "out.txt"
    commands = [["export", str(run), "--format", "word2vec", "--out", str(out)],
                ["project", str(run), "--method", "pca", "--dims", "2", "--out", str(tmp_path / "xy.csv")]]
    if which == "words":
        commands += [["neighbors", str(run), "cat"], ["cluster", str(run), "--k", "2"]]
    else:
        commands += [["recommend", str(run), "u1"], ["evaluate", str(run)]]
    for argv in commands:
        code, err = _cli(argv, capsys)
        assert code == 2, argv
        assert len(err) == 1 and err[0].startswith(f"error: {run / file}: ") and words in err[0], (argv, err)
    assert not out.exists() and not (tmp_path / "xy.csv").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out")]


@pytest.mark.parametrize(("name", "which", "damage", "file", "words"), DAMAGES, ids=IDS)
def test_uploaded_zip_is_checked_the_same_way(tmp_path: Path, name: str, which: str, damage: Callable, file: str,
                                              words: str) -> None:
    run = damaged(tmp_path, which, damage)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for f in sorted(run.iterdir()):
            zf.write(f, f.name)
    upload = tmp_path / "upload.zip"
    upload.write_bytes(buf.getvalue())
    with pytest.raises(ExplorerError) as exc:
        manage.unpack_run_zip(upload, tmp_path / "new", 10 * 2**20)
    assert file in str(exc.value) and words in str(exc.value), str(exc.value)
    assert not (tmp_path / "new").exists() and not [p for p in tmp_path.iterdir() if p.name.startswith(".new")]


def test_listing_skips_and_names_damaged_runs(tmp_path: Path) -> None:
    words_run(tmp_path / "good", **WORDS)
    bad = words_run(tmp_path / "bad", **WORDS)
    _edit_config(lambda c: {**c, "created": 5})(bad)
    assert [r.run_id for r in list_runs(tmp_path)] == ["good"]
    runs, broken = scan_runs(tmp_path)
    assert [r.run_id for r in runs] == ["good"]
    assert [d.run_id for d in broken] == ["bad"] and "created must be a date" in broken[0].problem


def test_header_is_checked_before_anything_is_allocated(tmp_path: Path) -> None:
    path = tmp_path / "huge.npy"
    _huge_header(path)
    with pytest.raises(ExplorerError, match="header claims 12,000,000,000,000 bytes of data, the file holds 48"):
        npy_header(path)


def test_a_repaired_run_is_checked_again(tmp_path: Path) -> None:
    run = words_run(tmp_path / "run", **WORDS)
    good = (run / L.VOCAB).read_bytes()
    (run / L.VOCAB).write_text("token\tcount\ncat\t4\n", encoding="utf-8")
    with pytest.raises(ExplorerError, match="1 rows but"):
        load_run(run)
    (run / L.VOCAB).write_bytes(good)
    assert load_run(run).tokens == TOKENS


def test_real_command_line_exit_status(tmp_path: Path) -> None:
    run = damaged(tmp_path, "words", DAMAGES[1][2])
    out = tmp_path / "w2v.txt"
    proc = subprocess.run([sys.executable, "-m", "explorer", "export", str(run), "--format", "word2vec",
                           "--out", str(out)], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.strip() == f"error: {run / 'vocab.tsv'}: 3 rows but vectors.npy has 4"
    assert not out.exists()
