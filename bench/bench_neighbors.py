"""Nearest-neighbour query latency of explorer.analysis.neighbors.NeighborIndex (target: <= 10 ms per query).

    python bench/bench_neighbors.py [--n 100000] [--d 100] [--queries 1000] [--k 10]

Builds one index over n x d float32 vectors (20 planted clusters), then times single queries by
row id (the query word excluded, as neighbors_of does) for each metric: median and p95 in ms.
For context it also times the obvious baseline on the same data: a full ``np.argsort`` of the
cosine scores per query. Prints a Markdown table and a JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from explorer.analysis.neighbors import NeighborIndex  # noqa: E402


def planted(n: int, d: int, clusters: int = 20, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(clusters, d)) * 4
    return (centres[rng.integers(0, clusters, n)] + rng.normal(size=(n, d))).astype(np.float32)


def timings(fn, rows: np.ndarray) -> np.ndarray:
    out = np.empty(len(rows))
    for i, r in enumerate(rows):
        t = time.perf_counter()
        fn(int(r))
        out[i] = (time.perf_counter() - t) * 1000
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--d", type=int, default=100)
    ap.add_argument("--queries", type=int, default=1000)
    ap.add_argument("--k", type=int, default=10)
    args = ap.parse_args()

    x = planted(args.n, args.d)
    t = time.perf_counter()
    index = NeighborIndex(x)
    build_s = time.perf_counter() - t
    rows = np.random.default_rng(1).integers(0, args.n, args.queries)
    metrics = ("cosine", "dot", "euclidean")
    for metric in metrics:
        index.query(0, k=args.k, metric=metric, exclude=(0,))  # first-touch effects out of the numbers
    # metrics interleaved query by query, so that a burst of load on the shared machine hits all alike
    ms = {m: np.empty(len(rows)) for m in metrics}
    for i, r in enumerate(rows):
        for metric in metrics:
            t = time.perf_counter()
            index.query(int(r), k=args.k, metric=metric, exclude=(int(r),))
            ms[metric][i] = (time.perf_counter() - t) * 1000
    results = {m: {"median_ms": float(np.median(v)), "p95_ms": float(np.percentile(v, 95)), "max_ms": float(v.max())}
               for m, v in ms.items()}
    unit = index.normalized
    base = timings(lambda r: np.argsort(-(unit @ unit[r]))[1:args.k + 1], rows[: max(50, args.queries // 10)])
    results["baseline full argsort (cosine)"] = {"median_ms": float(np.median(base)),
                                                 "p95_ms": float(np.percentile(base, 95)), "max_ms": float(base.max())}
    t = time.perf_counter()
    index.query_many(rows, k=args.k, exclude_self=True)
    batch_ms = (time.perf_counter() - t) * 1000 / len(rows)

    info = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()} {platform.processor() or ''} {os.cpu_count()} CPUs".strip(),
        "load_avg": os.getloadavg(),
        "numpy": np.__version__,
        "n": args.n, "d": args.d, "k": args.k, "queries": args.queries,
        "build_s": build_s, "query_many_ms_per_query": batch_ms,
        "results": results,
    }
    print(f"| metric | median ms | p95 ms | max ms |  (n={args.n:,}, d={args.d}, k={args.k}, "
          f"{args.queries} queries; index built in {build_s:.2f} s)")
    print("|---|---|---|---|")
    for name, r in results.items():
        print(f"| {name} | {r['median_ms']:.2f} | {r['p95_ms']:.2f} | {r['max_ms']:.2f} |")
    print(f"query_many: {batch_ms:.3f} ms per query")
    print(json.dumps(info))


if __name__ == "__main__":
    main()
