"""Benchmark of the graph kind against issue 14's targets (results: bench/results_graph.md).

    python bench/bench_graph.py [--nodes 1000] [--ref-python /work/tmp/graph_ref/bin/python] [--skip-memory]

1. **Speed and quality against a reference node2vec on PyPI** (pecanpy 2.0.9, walks compiled with
   numba, training by gensim 4.4's Word2Vec), same graph, same held-out edges, same settings
   (walk length 80, 10 walks per node, window 10, dim 64, 5 negatives, 1 epoch, no subsampling,
   2 threads each), for DeepWalk-like walks (p = q = 1) and node2vec (p = 1, q = 0.5). The graph
   is a planted partition (``--nodes`` nodes in communities of 100, mean degree 10). Times are
   walks + training (pecanpy's compilation is warmed up first and not timed; ours is compiled
   before the clock starts too). Quality: link-prediction ROC-AUC on the same 10 % held-out edges
   and sampled non-edges, and NMI of K-Means against the communities.
   pecanpy needs numpy < 2, so it runs in its own virtual environment (``--ref-python``)::

       python -m venv /work/tmp/graph_ref && /work/tmp/graph_ref/bin/pip install pecanpy==2.0.9

2. **Quality target**: planted partition of 1,000 nodes in 10 communities, default settings:
   NMI of K-Means (k = 10) on the vectors >= 0.9.
3. **Memory target**: a graph of 1,000,000 edges (100,000 nodes) read and trained from an edge
   list in a child process (``python -m explorer``'s runner); its peak resident memory < 2 GB.
   Streaming makes memory independent of the number of walks, so that run uses 1 walk of 20 steps
   per node to keep the benchmark short.
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

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("NUMBA_NUM_THREADS", "2")

import numpy as np  # noqa: E402

from explorer.graph import evaluation as ev  # noqa: E402
from explorer.graph.io import Graph, write_edge_list  # noqa: E402
from explorer.graph.samples import planted_partition  # noqa: E402
from explorer.kinds import GraphConfig  # noqa: E402
from explorer.training.graph import train_node_vectors  # noqa: E402

SETTINGS = dict(walk_length=80, walks_per_node=10, window=10, dim=64, negatives=5, epochs=1, sample=0.0, seed=0,
                workers=2)


def planted_graph(n_nodes: int) -> tuple[Graph, dict[str, str]]:
    edges, community = planted_partition(n_nodes // 100, 100, degree_in=8.0, degree_out=2.0, seed=1)
    nodes = [f"n{i}" for i in range(n_nodes)]
    graph = Graph(nodes, edges, None, False, "planted")
    return graph, {n: str(int(c)) for n, c in zip(nodes, community, strict=True)}


def compare(n_nodes: int, ref_python: str, tmp: Path) -> list[dict]:
    graph, labels = planted_graph(n_nodes)
    held = ev.holdout_edges(graph, 0.1, seed=0)
    edges_path = tmp / "train_edges.tsv"
    with open(edges_path, "w") as fh:  # pecanpy's reader: no header, tab-separated
        fh.writelines(f"{graph.nodes[a]}\t{graph.nodes[b]}\n" for a, b in held.train.edges.tolist())
    rows = []
    for p, q in ((1.0, 1.0), (1.0, 0.5)):
        cfg = GraphConfig(walk="node2vec", p=p, q=q, **SETTINGS)
        ours = train_node_vectors(held.train.csr(), cfg)
        row = {"p": p, "q": q, "ours_s": ours.seconds, "ours_walk_s": ours.walk_seconds, "ours_steps": ours.n_steps,
               "ours_auc": ev.link_prediction_auc(ours.vectors, held.positives, held.negatives)["auc"],
               "ours_nmi": ev.cluster_agreement(ours.vectors, graph.nodes, labels)["nmi"]}
        if ref_python and Path(ref_python).exists():
            out = tmp / f"ref_{p}_{q}.npy"
            subprocess.run([ref_python, str(ROOT / "bench" / "_pecanpy_ref.py"), str(edges_path), str(out),
                            json.dumps({"p": p, "q": q, **SETTINGS})], check=True,
                           env=os.environ | {"NUMBA_NUM_THREADS": "2"})
            info = json.loads(out.with_suffix(".json").read_text())
            ref = np.zeros_like(ours.vectors)
            ref[[graph.index[n] for n in info["nodes"]]] = np.load(out)
            row |= {"ref_s": info["walk_s"] + info["train_s"], "ref_walk_s": info["walk_s"],
                    "ref_read_s": info["read_s"], "ref_steps": info["steps"],
                    "ref_auc": ev.link_prediction_auc(ref, held.positives, held.negatives)["auc"],
                    "ref_nmi": ev.cluster_agreement(ref, graph.nodes, labels)["nmi"]}
            row["speedup"] = row["ref_s"] / row["ours_s"]
        rows.append(row)
        print(json.dumps(row), flush=True)
    return rows


def planted_nmi() -> float:
    edges, community = planted_partition()
    nodes = [str(i) for i in range(1000)]
    graph = Graph(nodes, edges, None, False, "planted")
    r = train_node_vectors(graph.csr(), GraphConfig(workers=2))
    return ev.cluster_agreement(r.vectors, nodes, {n: str(c) for n, c in zip(nodes, community, strict=True)})["nmi"]


_CHILD = """
import json, resource, sys, time
from pathlib import Path
from explorer.training import run_training
t = time.perf_counter()
run_training({"kind": "graph", "name": "big", "data": {"edges": sys.argv[1]},
              "config": {"walks_per_node": 1, "walk_length": 20, "workers": 2, "holdout": 0.0}}, Path(sys.argv[2]))
print(json.dumps({"seconds": time.perf_counter() - t,
                  "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def memory(tmp: Path) -> dict:
    edges, _ = planted_partition(1000, 100, degree_in=16.0, degree_out=4.0, seed=2)
    graph = Graph([f"n{i}" for i in range(100_000)], edges, None, False, "big")
    path = tmp / "big_edges.tsv"
    write_edge_list(path, graph)
    out = subprocess.run([sys.executable, "-c", _CHILD, str(path), str(tmp / "big_run")], check=True,
                         capture_output=True, text=True, cwd=ROOT, env=os.environ | {"EXPLORER_HOME": str(tmp)})
    result = json.loads(out.stdout.strip().splitlines()[-1])
    return result | {"n_edges": int(len(edges)), "file_mb": path.stat().st_size / 2**20}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--nodes", type=int, default=1000)
    ap.add_argument("--ref-python", default="/work/tmp/graph_ref/bin/python")
    ap.add_argument("--skip-memory", action="store_true")
    args = ap.parse_args()
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores; "
          f"load before: {os.getloadavg()}; {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}", flush=True)
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        rows = compare(args.nodes, args.ref_python, tmp)
        nmi = planted_nmi()
        print(json.dumps({"planted_1000_nmi": nmi}), flush=True)
        if not args.skip_memory:
            print(json.dumps({"memory": memory(tmp)}), flush=True)
    print(f"load after: {os.getloadavg()}; rows: {len(rows)}", flush=True)


if __name__ == "__main__":
    main()
