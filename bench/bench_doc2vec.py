"""Doc2Vec PV-DBOW against gensim ``Doc2Vec(dm=0)``: throughput (whole command, 2 threads) and quality on
gensim's Lee corpus (train on ``lee_background.cor``, infer the 50 documents of ``lee.cor``, Pearson of
their cosine similarities against the human similarity matrix ``similarities0-1.txt``, upper triangle).

Both get the same documents, tokenized once with gensim's ``simple_preprocess`` (ours reads them with
``--lang pretokenized``), and the same settings. Usage::

    python bench/bench_doc2vec.py [--repeat N] [--seeds 0 1] [--epochs 40] [--dim 50]

``--repeat N`` trains on the background corpus repeated N times (more words, the same quality task is not
scored then) for a throughput figure that start-up costs do not dominate.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]


def lee_dir() -> Path:
    import gensim

    return Path(gensim.__file__).parent / "test" / "test_data"


def tokenized(path: Path) -> list[list[str]]:
    from gensim.utils import simple_preprocess

    return [simple_preprocess(line) for line in path.read_text(encoding="latin-1").splitlines() if line.strip()]


def human_matrix() -> np.ndarray:
    rows = [[float(x) for x in line.split()] for line in (lee_dir() / "similarities0-1.txt").read_text().splitlines()
            if line.strip()]
    return np.array(rows)


def pearson(vectors: np.ndarray, human: np.ndarray) -> float:
    x = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    sims = x @ x.T
    iu = np.triu_indices(len(x), 1)
    return float(np.corrcoef(sims[iu], human[iu])[0, 1])


GENSIM_SCRIPT = """
import sys, time
from gensim.models.doc2vec import Doc2Vec, TaggedDocument
path, out, dim, epochs, seed, workers = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
docs = [TaggedDocument(line.split(), [i]) for i, line in enumerate(open(path, encoding="utf-8").read().splitlines())]
m = Doc2Vec(docs, dm=0, vector_size=dim, window=5, negative=5, hs=0, min_count=2, sample=1e-3, epochs=epochs,
            workers=workers, seed=seed)
m.save(out)
"""


def run_timed(cmd: list[str], env: dict) -> float:
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"{cmd[:4]} failed:\n{proc.stderr[-2000:]}")
    return time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1])
    parser.add_argument("--epochs", type=int, default=40)
    parser.add_argument("--dim", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()

    from gensim.models.doc2vec import Doc2Vec

    from explorer.training.doc2vec import InferenceModel

    work = Path(tempfile.mkdtemp(prefix="bench_d2v_"))
    background = tokenized(lee_dir() / "lee_background.cor") * args.repeat
    test = tokenized(lee_dir() / "lee.cor")
    human = human_matrix()
    assert len(test) == 50 and human.shape == (50, 50)
    bg = work / "lee_background.txt"
    bg.write_text("\n".join(" ".join(d) for d in background) + "\n", encoding="utf-8")
    n_words = sum(len(d) for d in background)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "EXPLORER_HOME": str(work / "home")}
    rows = []
    for seed in args.seeds:
        ours_dir = work / f"ours{seed}"
        ours_s = run_timed([sys.executable, "-m", "explorer", "train", "doc2vec", "--documents", str(bg), "--out",
                            str(ours_dir), "--lang", "pretokenized", "--dim", str(args.dim), "--epochs",
                            str(args.epochs), "--window", "5", "--negatives", "5", "--min-count", "2", "--workers",
                            str(args.workers), "--seed", str(seed)], env)
        gensim_path = work / f"gensim{seed}.model"
        gensim_s = run_timed([sys.executable, "-c", GENSIM_SCRIPT, str(bg), str(gensim_path), str(args.dim),
                              str(args.epochs), str(seed), str(args.workers)], env)
        row = {"seed": seed, "ours_s": ours_s, "gensim_s": gensim_s, "words": n_words * args.epochs}
        if args.repeat == 1:
            model = InferenceModel.from_run(ours_dir)
            ours_vecs = np.stack([model.infer(" ".join(d)) for d in test])
            gm = Doc2Vec.load(str(gensim_path))
            gensim_vecs = np.stack([gm.infer_vector(d) for d in test])
            row["ours_pearson"] = pearson(ours_vecs, human)
            row["gensim_pearson"] = pearson(gensim_vecs, human)
        rows.append(row)
        print(json.dumps(row), flush=True)
    mean = {k: float(np.mean([r[k] for r in rows])) for k in rows[0] if k != "seed"}
    print(json.dumps({"mean": mean, "speedup": mean["gensim_s"] / mean["ours_s"],
                      "machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores",
                      "load": os.getloadavg(), "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}))


if __name__ == "__main__":
    main()
