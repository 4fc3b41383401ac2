"""t-SNE and UMAP of n x d vectors in 2D and 3D, ours beside scikit-learn's 3D t-SNE, in ONE process.

    python bench/bench_tsne3d.py [--n 10000] [--d 100] [--skip-sklearn] [--json bench/out/tsne3d.json]

Rows: explorer ``project(x, "tsne", 2)`` (openTSNE FFT from 10,000 points); ``project(x, "tsne", 3)`` with
the 3D defaults (Barnes-Hut, theta 1.0, 60 + 250 iterations); the same with the former 3D settings
(theta 0.5, 125 + 375 iterations); scikit-learn ``TSNE(n_components=3, random_state=0)`` (Barnes-Hut);
``project(x, "umap", 2|3)`` after ``warmup()``. t-SNE runs with ``project``'s default threads
(:func:`explorer.threads.job_threads`: every core of this machine here). Wall-clock and CPU seconds of this
process, and trustworthiness (n_neighbors=10) on the first 2,000 points. Data: planted clusters as
bench_projection.
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

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.bench_projection import planted  # noqa: E402
from explorer.analysis.projection import project, warmup  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--d", type=int, default=100)
    ap.add_argument("--skip-sklearn", action="store_true")
    ap.add_argument("--json", default=None)
    args = ap.parse_args()
    from sklearn.manifold import TSNE, trustworthiness

    x = planted(args.n, args.d, 20)
    warmup()
    sub = min(2000, args.n)
    rows = []
    load = os.getloadavg()

    def timed(name: str, fn) -> None:
        wall, cpu = time.perf_counter(), time.process_time()
        y = fn()
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        tw = trustworthiness(x[:sub], y[:sub], n_neighbors=10)
        rows.append({"name": name, "wall_s": round(wall, 1), "cpu_s": round(cpu, 1), "trustworthiness": round(tw, 4)})
        print(f"| {name} | {wall:.1f} | {cpu:.1f} | {tw:.4f} |", flush=True)

    from explorer.threads import job_threads

    print(f"n={args.n} d={args.d}, {os.cpu_count()} cores, t-SNE threads {job_threads()}, load {load[0]:.1f}\n")
    print("| method | wall s | CPU s | trustworthiness |\n|---|---|---|---|")
    timed("explorer t-SNE 2D", lambda: project(x, "tsne", 2))
    timed("explorer t-SNE 3D (theta 1.0, 60+250 it)", lambda: project(x, "tsne", 3))
    timed("explorer t-SNE 3D, former settings (theta 0.5, 125+375 it)",
          lambda: project(x, "tsne", 3, theta=0.5, early_exaggeration_iter=125, n_iter=375))
    if not args.skip_sklearn:
        timed("scikit-learn TSNE 3D (defaults)", lambda: TSNE(n_components=3, random_state=0).fit_transform(x))
    timed("explorer UMAP 2D", lambda: project(x, "umap", 2))
    timed("explorer UMAP 3D", lambda: project(x, "umap", 3))
    load_after = os.getloadavg()
    print(f"\nload after {load_after[0]:.1f}")
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps({"date": datetime.now(UTC).isoformat(timespec="seconds"),
                                               "machine": platform.processor(), "cores": os.cpu_count(),
                                               "load_before": load, "load_after": load_after, "n": args.n,
                                               "d": args.d, "rows": rows}, indent=2))


if __name__ == "__main__":
    main()
