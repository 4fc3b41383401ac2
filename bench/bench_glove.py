"""GloVe against the reference C implementation (stanfordnlp/GloVe), the whole pipeline from text to vectors.

    python bench/bench_glove.py --glove-src PATH [--seeds 2] [--workers 2] [--corpus wiki|PATH]

``--glove-src``: a checkout of https://github.com/stanfordnlp/GloVe (``git clone
https://github.com/stanfordnlp/GloVe``; or the ``GLOVE_SRC`` variable). The bench copies it to a temporary
folder and builds it there with ``make`` (cached by the source's content; nothing is written into the
checkout, and its C source is never part of this project).

Same corpus for both (the gensim test Wikipedia extract, tokenized by gensim, one article per line:
:func:`bench_sgns.wiki_text`), same settings: min_count 5, symmetric window 10 with 1/distance weights,
x_max 10, alpha 0.75, 25 iterations, dim 100, 2 threads, vectors W + W̃.

- reference: ``vocab_count`` → ``cooccur -memory 4`` → ``shuffle -memory 4`` → ``glove -binary 0
  -model 2`` (its ``demo.sh``), each a process;
- ours: ``python -m explorer train glove --lang pretokenized ...`` in a fresh ``EXPLORER_HOME`` (the
  corpus is read, tokenized and counted again; numba's compiled code comes from its cache, warmed by one
  untimed run first).

Reported per seed, interleaved: wall seconds of the whole pipeline (and tokens/s), CPU seconds (user +
system: less sensitive to a loaded machine), peak resident memory (the largest of the pipeline's
processes, from ``wait4``), WordSim-353 Spearman (``gensim/test/test_data/wordsim353.tsv``).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_sgns import WORK, _wordsim, machine, wiki_text  # noqa: E402

SETTINGS = dict(min_count=5, window=10, x_max=10.0, alpha=0.75, epochs=25, dim=100)
MEMORY_GB = 4.0  # the reference's -memory (its demo.sh)


def build_reference(src: Path) -> Path:
    """The reference's build/ folder, built with ``make`` in a temporary copy of ``src`` (cached)."""
    if not (src / "src" / "glove.c").is_file():
        sys.exit(f"{src}: not a GloVe checkout (no src/glove.c); get one with "
                 f"git clone https://github.com/stanfordnlp/GloVe")
    digest = hashlib.sha256()
    for path in sorted((src / "src").glob("*")) + [src / "Makefile"]:
        digest.update(path.name.encode() + path.read_bytes())
    work = Path(tempfile.gettempdir()) / f"glove-ref-build-{digest.hexdigest()[:12]}"
    if not (work / "build" / "glove").exists():
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
        shutil.copytree(src / "src", work / "src")
        shutil.copy(src / "Makefile", work / "Makefile")
        subprocess.run(["make"], cwd=work, check=True, capture_output=True)
    return work / "build"


def run_process(argv: list[str], stdin: Path | None = None, stdout: Path | None = None,
                env: dict | None = None, cwd: Path | None = None) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds, peak RSS bytes) of one process."""
    fin = open(stdin, "rb") if stdin else subprocess.DEVNULL
    fout = open(stdout, "wb") if stdout else subprocess.DEVNULL
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdin=fin, stdout=fout, stderr=subprocess.PIPE, env=env, cwd=cwd)
    err = proc.stderr.read()  # type: ignore[union-attr]
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    for f in (fin, fout):
        if hasattr(f, "close"):
            f.close()
    if proc.returncode != 0:
        sys.exit(f"{argv[0]} failed ({proc.returncode}): {err.decode(errors='replace')[-2000:]}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss * 1024


def reference(build: Path, corpus: Path, out: Path, seed: int, workers: int) -> dict:
    out.mkdir(parents=True, exist_ok=True)
    s = SETTINGS
    steps = [
        ([str(build / "vocab_count"), "-min-count", str(s["min_count"]), "-verbose", "0"], corpus, out / "vocab.txt"),
        ([str(build / "cooccur"), "-memory", str(MEMORY_GB), "-vocab-file", str(out / "vocab.txt"), "-verbose", "0",
          "-window-size", str(s["window"]), "-overflow-file", str(out / "overflow")], corpus, out / "cooc.bin"),
        ([str(build / "shuffle"), "-memory", str(MEMORY_GB), "-verbose", "0", "-temp-file", str(out / "temp_shuffle")],
         out / "cooc.bin", out / "cooc.shuf.bin"),
        ([str(build / "glove"), "-save-file", str(out / "vectors"), "-threads", str(workers), "-input-file",
          str(out / "cooc.shuf.bin"), "-x-max", str(s["x_max"]), "-alpha", str(s["alpha"]), "-iter",
          str(s["epochs"]), "-vector-size", str(s["dim"]), "-binary", "0", "-model", "2", "-vocab-file",
          str(out / "vocab.txt"), "-verbose", "0", "-seed", str(seed + 1)], None, None),
    ]
    wall = cpu = 0.0
    peak = 0
    parts = {}
    for argv, fin, fout in steps:
        w, c, m = run_process(argv, fin, fout, cwd=out)
        wall, cpu, peak = wall + w, cpu + c, max(peak, m)
        parts[Path(argv[0]).name] = w
    index, rows = {}, []
    with open(out / "vectors.txt", encoding="utf-8") as fh:
        for line in fh:
            word, *nums = line.rstrip("\n").split(" ")
            if word != "<unk>":
                index[word] = len(rows)
                rows.append(np.array(nums, dtype=np.float32))
    nnz = (out / "cooc.bin").stat().st_size // 16
    return {"wall": wall, "cpu": cpu, "peak": peak, "parts": parts, "vectors": np.stack(rows), "index": index,
            "nnz": nnz}


def ours(corpus: Path, out: Path, seed: int, workers: int) -> dict:
    import json

    shutil.rmtree(out, ignore_errors=True)
    home = out.parent / (out.name + "-home")
    shutil.rmtree(home, ignore_errors=True)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "EXPLORER_HOME": str(home), "EXPLORER_NO_PROGRESS": "1"}
    s = SETTINGS
    argv = [sys.executable, "-m", "explorer", "train", "glove", "--corpus", str(corpus), "--out", str(out),
            "--lang", "pretokenized", "--min-count", str(s["min_count"]), "--window", str(s["window"]),
            "--x-max", str(s["x_max"]), "--alpha", str(s["alpha"]), "--epochs", str(s["epochs"]),
            "--dim", str(s["dim"]), "--workers", str(workers), "--seed", str(seed)]
    wall, cpu, peak = run_process(argv, env=env, cwd=ROOT)
    vectors = np.load(out / "vectors.npy")
    words = [line.split("\t")[0] for line in (out / "vocab.tsv").read_text(encoding="utf-8").splitlines()[1:]]
    metrics = json.loads((out / "metrics.json").read_text())
    return {"wall": wall, "cpu": cpu, "peak": peak, "vectors": vectors, "index": {w: i for i, w in enumerate(words)},
            "nnz": metrics["nnz"], "parts": {"count": metrics["count_seconds"], "train": metrics["seconds"],
                                               "compile": metrics["compile_seconds"]}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--glove-src", default=os.environ.get("GLOVE_SRC"),
                        help="a checkout of https://github.com/stanfordnlp/GloVe (or set GLOVE_SRC)")
    parser.add_argument("--corpus", default="wiki", help="wiki (gensim's test extract) or a tokenized text file")
    parser.add_argument("--seeds", type=int, default=2)
    parser.add_argument("--first-seed", type=int, default=0)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    if not args.glove_src:
        sys.exit("give --glove-src PATH (or GLOVE_SRC): a checkout of the reference, "
                 "git clone https://github.com/stanfordnlp/GloVe")
    build = build_reference(Path(args.glove_src))
    corpus = wiki_text() if args.corpus == "wiki" else Path(args.corpus)
    n_tokens = sum(len(line.split()) for line in open(corpus, encoding="utf-8"))
    work = WORK / "glove"
    work.mkdir(parents=True, exist_ok=True)
    print(f"# GloVe vs reference: {corpus.name}, {n_tokens:,} tokens; settings {SETTINGS}, {args.workers} threads")
    print(f"# {machine()}")
    warm = ours(corpus, work / "warm", 0, args.workers)  # numba's cache, untimed
    print(f"# warm-up run of ours (fills numba's cache): compile/cache load {warm['parts']['compile']:.1f} s")
    rows = []
    for seed in range(args.first_seed, args.first_seed + args.seeds):
        r = reference(build, corpus, work / f"ref-{seed}", seed, args.workers)
        o = ours(corpus, work / f"ours-{seed}", seed, args.workers)
        r_ws, n_r = _wordsim(r["vectors"], r["index"])
        o_ws, n_o = _wordsim(o["vectors"], o["index"])
        load = os.getloadavg()[0]
        rows.append((r, o, r_ws, o_ws))
        print(f"seed {seed} (load {load:.1f}): reference {r['wall']:.1f} s wall, {r['cpu']:.1f} s CPU, "
              f"{r['peak'] / 2**20:.0f} MB peak, WordSim {r_ws:.3f} ({n_r} pairs), {r['nnz']:,} cells, "
              f"steps {', '.join(f'{k} {v:.1f}' for k, v in r['parts'].items())}")
        print(f"          ours      {o['wall']:.1f} s wall, {o['cpu']:.1f} s CPU, {o['peak'] / 2**20:.0f} MB peak, "
              f"WordSim {o_ws:.3f} ({n_o} pairs), {o['nnz']:,} cells, "
              f"steps {', '.join(f'{k} {v:.1f}' for k, v in o['parts'].items())}")
    med = statistics.median
    r_wall, o_wall = med(x[0]["wall"] for x in rows), med(x[1]["wall"] for x in rows)
    r_cpu, o_cpu = med(x[0]["cpu"] for x in rows), med(x[1]["cpu"] for x in rows)
    r_peak, o_peak = max(x[0]["peak"] for x in rows), max(x[1]["peak"] for x in rows)
    r_ws, o_ws = statistics.mean(x[2] for x in rows), statistics.mean(x[3] for x in rows)
    print(f"| | reference | ours | ratio |\n|---|---:|---:|---:|\n"
          f"| wall seconds, text to vectors (median) | {r_wall:.1f} | {o_wall:.1f} | {r_wall / o_wall:.2f}x faster |\n"
          f"| tokens/s | {n_tokens / r_wall:,.0f} | {n_tokens / o_wall:,.0f} | |\n"
          f"| CPU seconds (median) | {r_cpu:.1f} | {o_cpu:.1f} | {r_cpu / o_cpu:.2f}x less |\n"
          f"| peak memory | {r_peak / 2**20:.0f} MB | {o_peak / 2**20:.0f} MB | {o_peak / r_peak:.2f}x |\n"
          f"| WordSim-353 Spearman (mean of {len(rows)} seeds) | {r_ws:.3f} | {o_ws:.3f} | {o_ws - r_ws:+.3f} |")


if __name__ == "__main__":
    main()
