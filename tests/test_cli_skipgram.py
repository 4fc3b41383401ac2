"""``python -m explorer train skipgram``: the run directory it writes and its error messages."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from explorer.cli import main
from explorer.errors import ExplorerError
from explorer.runs import read_tsv

ROOT = Path(__file__).resolve().parents[1]
FAST = ["--dim", "12", "--epochs", "2", "--min-count", "2", "--workers", "1"]


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    rng = np.random.default_rng(0)
    animals, fruit = ["cat", "dog", "cow", "pig"], ["apple", "banana", "pear", "plum"]
    lines = []
    for i in range(300):
        words = animals if i % 2 else fruit
        lines.append(" ".join(["the", *rng.choice(words, 3), "is", "here", str(i)]))
    path = tmp_path / "tiny corpus.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _train(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[str], str]:
    code = main(["train", "skipgram", *argv])
    captured = capsys.readouterr()
    return code, captured.err.strip().splitlines(), captured.out


def test_train_writes_exactly_the_run_files(tmp_path: Path, corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    labels = tmp_path / "labels.csv"
    labels.write_text("word,label\ncat,animal\ndog,animal\napple,fruit\nunicorn,myth\n", encoding="utf-8")
    out = tmp_path / "run"
    code, err, stdout = _train(capsys, "--corpus", str(corpus), "--out", str(out), "--labels", str(labels), *FAST)
    assert code == 0, err
    assert stdout.strip() == str(out)
    assert sorted(p.name for p in out.iterdir()) == ["config.json", "labels.tsv", "metrics.json", "vectors.npy",
                                                     "vocab.tsv"]
    header, rows = read_tsv(out / "vocab.tsv")
    vectors = np.load(out / "vectors.npy")
    assert header == ["token", "count"]
    assert vectors.dtype == np.float32 and vectors.shape == (len(rows), 12)
    counts = {token: int(count) for token, count in rows}
    assert counts["the"] == 300 and counts["is"] == 300 and "7" not in counts  # numbers seen once: dropped
    header, label_rows = read_tsv(out / "labels.tsv")
    assert header == ["token", "label"]
    assert sorted(map(tuple, label_rows)) == [("apple", "fruit"), ("cat", "animal"), ("dog", "animal")]
    assert [p.name for p in tmp_path.iterdir() if ".tmp" in p.name] == []


def test_train_without_labels_has_no_labels_file(tmp_path: Path, corpus: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "run"
    code, err, _ = _train(capsys, "--corpus", str(corpus), "--out", str(out), *FAST)
    assert code == 0, err
    assert sorted(p.name for p in out.iterdir()) == ["config.json", "metrics.json", "vectors.npy", "vocab.tsv"]


@pytest.mark.slow
def test_python_m_explorer_in_a_real_process(tmp_path: Path, corpus: Path) -> None:
    out = tmp_path / "run"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, "-m", "explorer", "train", "skipgram", "--corpus", str(corpus),
                           "--out", str(out), *FAST], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == str(out)
    assert (out / "vectors.npy").is_file() and (out / "vocab.tsv").is_file()

    proc = subprocess.run([sys.executable, "-m", "explorer", "train", "skipgram", "--corpus",
                           str(tmp_path / "missing.txt"), "--out", str(tmp_path / "run2")], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines() == [proc.stderr.strip()] and proc.stderr.startswith("error: ")
    assert "missing.txt" in proc.stderr and "Traceback" not in proc.stderr


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


BAD_INPUTS = {
    "missing": (lambda d: d / "missing.txt", "not found"),
    "empty": (lambda d: _write(d / "empty.txt", b""), "empty"),
    "binary": (lambda d: _write(d / "binary.txt", bytes(range(256)) * 40), "binary"),
    "only urls and html": (lambda d: _write(d / "links.txt", b"<p>https://example.com/a</p>\n<b>http://x.org/b</b>\n"),
                           "no text left"),
    "too few words": (lambda d: _write(d / "few.txt", b"one two three\nfour five six\n"),
                      "only 0 distinct words occur at least min_count=5 times"),
    "csv without text": (lambda d: _write(d / "numbers.csv", b"id,score,count\n1,0.5,3\n2,0.25,4\n"),
                         "no text column found (columns: id, score, count)"),
}


@pytest.mark.parametrize("case", list(BAD_INPUTS))
def test_bad_input_is_exit_2_with_one_line(case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    make, problem = BAD_INPUTS[case]
    path = make(tmp_path)
    out = tmp_path / "out" / "run"
    out.parent.mkdir()
    code, err, _ = _train(capsys, "--corpus", str(path), "--out", str(out))
    assert code == 2
    assert len(err) == 1 and err[0].startswith("error: "), err
    assert path.name in err[0] and problem in err[0], err[0]
    assert list(out.parent.iterdir()) == []  # no run directory, no .tmp leftovers


def test_bad_parameter_is_exit_2(tmp_path: Path, corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, err, _ = _train(capsys, "--corpus", str(corpus), "--out", str(tmp_path / "run"), "--window", "0")
    assert code == 2 and len(err) == 1 and err[0].startswith("error: ") and "window" in err[0]
    assert not (tmp_path / "run").exists()


@pytest.mark.slow
def test_user_words_reach_the_chinese_tokenizer(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # jieba alone splits 猫狗大战 into 猫 / 狗 / 大战; as a user word it stays whole
    lines = [f"我们第{i}次看猫狗大战的电影" for i in range(30)] + [f"他们第{i}次喜欢蓝色的天空" for i in range(30)]
    corpus = tmp_path / "zh.txt"
    corpus.write_text("\n".join(lines) + "\n", encoding="utf-8")
    words = tmp_path / "words.txt"
    words.write_text("猫狗大战\n", encoding="utf-8")
    runs = {}
    for name, extra in (("with", ["--user-words", str(words)]), ("without", [])):
        out = tmp_path / name
        code, err, _ = _train(capsys, "--corpus", str(corpus), "--out", str(out), "--lang", "zh", *FAST, *extra)
        assert code == 0, err
        runs[name] = {row[0] for row in read_tsv(out / "vocab.tsv")[1]}
    assert "猫狗大战" in runs["with"] and "猫狗大战" not in runs["without"] and "大战" in runs["without"]


def test_text_column_for_a_txt_file_is_exit_2(tmp_path: Path, corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "run"
    code, err, _ = _train(capsys, "--corpus", str(corpus), "--out", str(out), "--text-column", "review", *FAST)
    assert code == 2 and len(err) == 1
    assert err[0] == "error: tiny corpus.txt: --text-column applies only to .csv/.tsv files"
    assert not out.exists()


def test_job_errors_name_the_users_file_not_the_stored_copy(tmp_path: Path) -> None:
    from explorer.training import run_training

    stored = _write(tmp_path / "0fc100aa9b.txt", b"one two three\nfour five six\n")  # an upload's stored name
    spec = {"kind": "skipgram", "name": "my run", "data": {"corpus": str(stored), "corpus_name": "my words.txt"},
            "corpus_config": {}, "config": {"min_count": 5}}
    with pytest.raises(ExplorerError) as info:
        run_training(spec, tmp_path / "run")
    assert str(info.value) == (
        "my words.txt: only 0 distinct words occur at least min_count=5 times (need 2 or more); "
        "lower min_count (--min-count) or use a bigger corpus"
    )
    assert not (tmp_path / "run").exists()
