"""Regenerate the tiny trained runs the hostile suite damages (tests/hostile/data/runs/).

    python tests/hostile/make_runs.py [NAME ...]

They are committed (a few KB) so that the fast suite never trains: a Skip-gram run (dim 4) on a
small English corpus, the same with 3 frames kept (``sgf``) and a user-item run (dim 4) on a 30-user,
20-item log. Names given: only those runs are trained again.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
RUNS = HERE / "data" / "runs"

WORDS = "cat dog mouse horse cow sheep apple banana cherry grape lemon melon red green blue".split()


def corpus_text() -> str:
    lines = []
    for i in range(300):
        a, b, c = WORDS[i % 15], WORDS[(i * 7) % 15], WORDS[(i * 11 + 3) % 15]
        lines.append(f"the {a} and the {b} saw a {c} {i % 13}")
    return "\n".join(lines) + "\n"


def log_text() -> str:
    rows = ["user,item,rating,timestamp"]
    for u in range(30):
        for j in range(8):
            rows.append(f"u{u:02d},m{(u * 3 + j * 5) % 20:02d},{1 + (u + j) % 5},{1000 + u * 10 + j}")
    return "\n".join(rows) + "\n"


def main(only: tuple[str, ...] = ()) -> None:
    """Train every fixture run (or only the ones named in ``only``, keeping the others byte for byte)."""
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        (tmp_path / "corpus.txt").write_text(corpus_text(), encoding="utf-8")
        (tmp_path / "log.csv").write_text(log_text(), encoding="utf-8")
        env = {"EXPLORER_HOME": str(tmp_path / "home"), "EXPLORER_NO_PROGRESS": "1", "PYTHONPATH": str(ROOT),
               "PATH": "/usr/bin:/bin"}
        runs = {
            "sg": ["skipgram", "--corpus", str(tmp_path / "corpus.txt"), "--dim", "4", "--epochs", "1",
                   "--min-count", "1", "--workers", "1"],
            "ui": ["useritem", "--interactions", str(tmp_path / "log.csv"), "--dim", "4", "--epochs", "1"],
            # with frames (frames.npy, frames.json, context_vectors.npy): the frame-file faults
            "sgf": ["skipgram", "--corpus", str(tmp_path / "corpus.txt"), "--dim", "4", "--epochs", "2",
                    "--min-count", "1", "--workers", "1", "--frames", "3"],
        }
        RUNS.mkdir(parents=True, exist_ok=True)
        for name, args in runs.items():
            if only and name not in only:
                continue
            if (RUNS / name).exists():
                shutil.rmtree(RUNS / name)
            subprocess.run([sys.executable, "-m", "explorer", "train", *args, "--out", str(RUNS / name)], check=True,
                           env=env, cwd=ROOT)


if __name__ == "__main__":
    main(tuple(sys.argv[1:]))
