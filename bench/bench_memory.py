"""Peak resident memory of ``python -m explorer train skipgram`` on a 20-million-token corpus.

    python bench/bench_memory.py [--tokens 20000000] [--corpus synthetic|wiki|PATH] [--epochs 1] [--lang en]

Runs the real command line in a child process (fresh EXPLORER_HOME, so the corpus is tokenized,
not read from the cache) and reports the child's peak RSS from ``getrusage(RUSAGE_CHILDREN)``,
which covers the whole process: reading and tokenizing the text, the vocabulary, training and
writing the run directory. Target: under 2 GB.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from bench_sgns import corpus_path, machine  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tokens", type=int, default=20_000_000)
    parser.add_argument("--corpus", default="synthetic", help="synthetic | wiki | path to a text file")
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--lang", default="en")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    path = corpus_path(args.corpus, args.tokens)
    size_mb = path.stat().st_size / 2**20
    print(f"# memory: {path} ({size_mb:,.0f} MiB)")
    print(f"# {machine()}")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "run"
        env = {**os.environ, "EXPLORER_HOME": str(Path(tmp) / "home"), "EXPLORER_NO_PROGRESS": "1",
               "PYTHONPATH": str(ROOT)}
        cmd = [sys.executable, "-m", "explorer", "train", "skipgram", "--corpus", str(path), "--out", str(out),
               "--lang", args.lang, "--epochs", str(args.epochs), "--workers", str(args.workers)]
        print("$ " + " ".join(cmd[1:]))
        start = time.perf_counter()
        proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
        wall = time.perf_counter() - start
        peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # KiB on Linux
        if proc.returncode != 0:
            print(proc.stderr, file=sys.stderr)
            raise SystemExit(proc.returncode)
        metrics = json.loads((out / "metrics.json").read_text())
    peak_gb = peak_kib * 1024 / 1e9
    print(f"tokens after min_count {metrics['n_tokens']:,}, vocabulary {metrics['vocab_size']:,}, "
          f"epochs {args.epochs}")
    print(f"whole command: {wall:.1f} s wall; training {metrics['seconds']:.1f} s at "
          f"{metrics['words_per_s']:,.0f} words/s")
    print(f"peak RSS of the whole process: {peak_gb:.2f} GB ({peak_kib / 1024:,.0f} MiB) -> "
          f"{'under' if peak_gb < 2 else 'OVER'} the 2 GB target")


if __name__ == "__main__":
    main()
