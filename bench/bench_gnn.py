"""GCN / GAT (the gnn kind) against DeepWalk (the graph kind) on planted-partition graphs (issue 21's targets).

    python bench/bench_gnn.py [--nodes 1000] [--big 10000] [--out bench/results_gnn_raw.json]

1. Unsupervised: planted partition, ``--nodes`` nodes in 10 communities (mean degree 10: 8 inside, 2 outside), 10 %
   of the edges held out; NMI of K-Means (k = 10) on the unit vectors, and link-prediction AUC, for GCN, GAT (graph
   auto-encoder) and DeepWalk (default settings of each kind), each trained from the edge file by ``run_training``.
2. Semi-supervised: the same graph with labels, 10 % of them for training (stratified, seeded); accuracy and
   macro-F1 on the other 90 % for GCN and GAT, and for DeepWalk's vectors + logistic regression trained on the same
   10 % of nodes.
3. Scale: a ``--big``-node planted partition (10 communities), GCN unsupervised with default settings, in a child
   process (``python -m explorer train gnn``, 2 threads): wall time, training seconds, peak resident memory.

Prints one JSON object (also written to ``--out``) with the machine, the date and the load before and after.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]


def write_graph(folder: Path, nodes: int, seed: int = 0) -> tuple[Path, Path]:
    from explorer.graph.samples import planted_partition

    edges, community = planted_partition(n_communities=10, size=nodes // 10, seed=seed)
    e, lab = folder / f"planted{nodes}_edges.tsv", folder / f"planted{nodes}_labels.tsv"
    e.write_text("source\ttarget\n" + "".join(f"n{a}\tn{b}\n" for a, b in edges.tolist()), encoding="utf-8")
    lab.write_text("node\tlabel\n" + "".join(f"n{i}\tc{c}\n" for i, c in enumerate(community.tolist())),
                   encoding="utf-8")
    return e, lab


def train(kind: str, out: Path, data: dict, config: dict) -> tuple[Path, float]:
    from explorer.kinds import spec_from_dict
    from explorer.training import run_training

    t0 = time.perf_counter()
    run_training(spec_from_dict({"kind": kind, "data": data, "config": config}), out)
    return out, time.perf_counter() - t0


def unsupervised(tmp: Path, edges: Path, labels: Path) -> dict:
    from explorer.graph import evaluation as ev
    from explorer.graph.io import read_node_labels
    from explorer.runs import load_run

    out = {}
    for name, kind, config in (("gcn", "gnn", {"encoder": "gcn", "workers": 2}),
                               ("gat", "gnn", {"encoder": "gat", "workers": 2}),
                               ("deepwalk", "graph", {"workers": 2})):
        path, wall = train(kind, tmp / f"unsup-{name}", {"edges": str(edges)}, config)
        run = load_run(path)
        truth = read_node_labels(labels, run.tokens)
        found = ev.cluster_agreement(np.asarray(run.vectors), run.tokens, truth, 0)
        out[name] = {"nmi": round(found["nmi"], 4), "ari": round(found["ari"], 4),
                     "auc": round(run.metrics["link_prediction"]["auc"], 4), "wall_s": round(wall, 1),
                     "train_s": round(run.metrics["seconds"], 1)}
    return out


def semi_supervised(tmp: Path, edges: Path, labels: Path) -> dict:
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import accuracy_score, f1_score

    from explorer.graph.io import read_node_labels
    from explorer.runs import load_run
    from explorer.training.gnn.trainer import split_labels

    out = {}
    for name in ("gcn", "gat"):
        path, wall = train("gnn", tmp / f"semi-{name}", {"edges": str(edges), "labels": str(labels)},
                           {"encoder": name, "label_rate": 0.1, "workers": 2})
        m = load_run(path).metrics
        out[name] = {"accuracy": round(m["node_accuracy"], 4), "macro_f1": round(m["node_macro_f1"], 4),
                     "train_nodes": m["split"]["train"], "held_out": m["split"]["validation"], "wall_s": round(wall, 1)}
    run = load_run(tmp / "unsup-deepwalk")  # DeepWalk's vectors, with the same 10 % split as the gnn runs
    truth = read_node_labels(labels, run.tokens)
    split = split_labels(truth, run.tokens, 0.1, 0)
    x = np.asarray(run.vectors, np.float64)
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    model = LogisticRegression(max_iter=2000).fit(x[split.train], split.y[split.train])
    guess = model.predict(x[split.validation])
    out["deepwalk+logreg"] = {"accuracy": round(float(accuracy_score(split.y[split.validation], guess)), 4),
                              "macro_f1": round(float(f1_score(split.y[split.validation], guess, average="macro")), 4),
                              "train_nodes": int(len(split.train)), "held_out": int(len(split.validation))}
    return out


def scale(tmp: Path, nodes: int) -> dict:
    edges, _ = write_graph(tmp, nodes, seed=1)
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "explorer", "train", "gnn", "--edges", str(edges), "--out",
                           str(tmp / "big"), "--workers", "2"], capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    wall = time.perf_counter() - t0
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if proc.returncode:
        raise SystemExit(proc.stderr[-2000:])
    m = json.loads((tmp / "big" / "metrics.json").read_text())
    return {"nodes": m["n_nodes"], "edges": m["n_edges"], "epochs": m["epochs"], "threads": m["workers"],
            "wall_s": round(wall, 1), "train_s": round(m["seconds"], 1), "auc": round(m["link_prediction"]["auc"], 4),
            "peak_rss_mb": round(max(peak_kb, before) / 1024, 0)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--nodes", type=int, default=1000)
    ap.add_argument("--big", type=int, default=10_000)
    ap.add_argument("--out", default=str(ROOT / "bench" / "results_gnn_raw.json"))
    ap.add_argument("--only-scale", action="store_true", help="run part 3 only")
    args = ap.parse_args()
    report = {"date_utc": time.strftime("%Y-%m-%d %H:%M", time.gmtime()), "machine": platform.platform(),
              "cpus": os.cpu_count(), "python": platform.python_version(), "load_before": os.getloadavg()}
    import torch
    import torch_geometric

    report["versions"] = {"torch": torch.__version__, "torch_geometric": torch_geometric.__version__}
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        os.environ["EXPLORER_HOME"] = str(tmp / "home")
        if not args.only_scale:
            edges, labels = write_graph(tmp, args.nodes)
            report["unsupervised"] = unsupervised(tmp, edges, labels)
            report["semi_supervised"] = semi_supervised(tmp, edges, labels)
        report["scale"] = scale(tmp, args.big)
    report["load_after"] = os.getloadavg()
    text = json.dumps(report, indent=1)
    Path(args.out).write_text(text + "\n", encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
