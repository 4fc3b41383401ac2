"""explorer.analysis.projection.project against the plain libraries, side by side in ONE process.

    python bench/bench_projection.py [--n 10000] [--d 100] [--clusters 20] [--repeats 3]
                                     [--tsne-repeats 1] [--skip-umap] [--skip-tsne] [--opentsne-ref]
                                     [--json bench/out/projection.json]

Data: n x d float32, ``clusters`` planted Gaussian clusters (centres N(0, 4^2 I), unit noise).

UMAP (target: warm time <= 0.5x umap-learn defaults, trustworthiness within 0.02):
  1. cold costs, each in a fresh subprocess: umap-learn defaults called twice (first call = numba
     compilation + work), and explorer ``project(..., "umap")`` called twice without warmup;
  2. in this process: ``warmup()`` (what workers pay once at start), then the first
     ``project(..., "umap")`` after it (must not pay compilation), then ``repeats`` rounds of
     [umap-learn defaults, project(umap)] interleaved, after one untimed umap-learn call.
t-SNE (target: <= 0.45x scikit-learn TSNE defaults, trustworthiness within 0.02): rounds of
  [project(tsne), sklearn TSNE(random_state=0)], then project(tsne) once more (bracketing);
  ``--opentsne-ref`` adds openTSNE defaults after PCA-50 (the issue's reference point).

Times are wall-clock seconds (median over rounds; ratio = median of per-round ratios) plus CPU
seconds of this process. Trustworthiness: sklearn.manifold.trustworthiness(n_neighbors=10) in
the original space. Prints a Markdown table and writes JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
import warnings
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from explorer.analysis.projection import project, warmup  # noqa: E402


def planted(n: int, d: int, clusters: int, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(clusters, d)) * 4
    return (centres[rng.integers(0, clusters, n)] + rng.normal(size=(n, d))).astype(np.float32)


def timed(fn):
    c, t = time.process_time(), time.perf_counter()
    out = fn()
    return np.asarray(out, dtype=np.float32), time.perf_counter() - t, time.process_time() - c


def tw(x: np.ndarray, e: np.ndarray) -> float:
    from sklearn.manifold import trustworthiness

    return float(trustworthiness(x, e, n_neighbors=10))


_COLD = """
import sys, time, warnings
warnings.filterwarnings("ignore")
sys.path.insert(0, {root!r})
import numpy as np
sys.path.insert(0, {bench!r})
from bench_projection import planted
x = planted({n}, {d}, {clusters})
times = []
for _ in range(2):
    t = time.perf_counter()
    if {which!r} == "umap-learn":
        import umap
        umap.UMAP().fit_transform(x)
    else:
        from explorer.analysis.projection import project
        project(x, "umap")
    times.append(time.perf_counter() - t)
print(times[0], times[1])
"""


def cold(which: str, args: argparse.Namespace) -> tuple[float, float]:
    code = _COLD.format(root=str(ROOT), bench=str(ROOT / "bench"), n=args.n, d=args.d, clusters=args.clusters,
                        which=which)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    first, second = (float(v) for v in out.stdout.split()[-2:])
    return first, second


def bench_umap(x: np.ndarray, args: argparse.Namespace, report: dict) -> None:
    import umap

    res: dict = {}
    if not args.skip_cold:
        res["cold_umap_learn_first_s"], res["cold_umap_learn_second_s"] = cold("umap-learn", args)
        res["cold_explorer_first_s"], res["cold_explorer_second_s"] = cold("explorer", args)
    _, res["warmup_s"], _ = timed(warmup)
    first, res["first_after_warmup_s"], _ = timed(lambda: project(x, "umap"))
    umap.UMAP().fit_transform(x)  # warm umap-learn's own code paths (nndescent, spectral init)
    plain_t, plain_c, ours_t, ours_c = [], [], [], []
    for _ in range(args.repeats):
        plain, t, c = timed(lambda: umap.UMAP().fit_transform(x))
        plain_t.append(t)
        plain_c.append(c)
        ours, t, c = timed(lambda: project(x, "umap"))
        ours_t.append(t)
        ours_c.append(c)
        assert np.array_equal(ours, first), "project(umap) is not deterministic"
    res.update(
        plain_s=plain_t, plain_cpu_s=plain_c, ours_s=ours_t, ours_cpu_s=ours_c,
        ratio_median=float(np.median(np.array(ours_t) / np.array(plain_t))),
        ratio_cpu_median=float(np.median(np.array(ours_c) / np.array(plain_c))),
        tw_plain=tw(x, plain), tw_ours=tw(x, ours),
    )
    report["umap"] = res


def bench_tsne(x: np.ndarray, args: argparse.Namespace, report: dict) -> None:
    from sklearn.manifold import TSNE

    res: dict = {}
    ours_t, ours_c, sk_t, sk_c = [], [], [], []
    ours, t, c = timed(lambda: project(x, "tsne"))
    ours_t.append(t)
    ours_c.append(c)
    for _ in range(args.tsne_repeats):
        sk, t, c = timed(lambda: TSNE(random_state=0).fit_transform(x))
        sk_t.append(t)
        sk_c.append(c)
        again, t, c = timed(lambda: project(x, "tsne"))
        ours_t.append(t)
        ours_c.append(c)
        assert np.array_equal(again, ours), "project(tsne) is not deterministic"
    # each sklearn run against the mean of the two project() runs around it
    around = [(ours_t[i] + ours_t[i + 1]) / 2 for i in range(len(sk_t))]
    around_c = [(ours_c[i] + ours_c[i + 1]) / 2 for i in range(len(sk_c))]
    res.update(
        sklearn_s=sk_t, sklearn_cpu_s=sk_c, ours_s=ours_t, ours_cpu_s=ours_c,
        ratio_median=float(np.median(np.array(around) / np.array(sk_t))),
        ratio_cpu_median=float(np.median(np.array(around_c) / np.array(sk_c))),
        tw_sklearn=tw(x, sk), tw_ours=tw(x, ours),
    )
    if args.opentsne_ref:
        import openTSNE
        from sklearn.decomposition import PCA

        ref, t, c = timed(lambda: openTSNE.TSNE(n_jobs=2, random_state=0).fit(PCA(50, random_state=0).fit_transform(x)))
        res.update(opentsne_pca50_s=t, opentsne_pca50_cpu_s=c, tw_opentsne_pca50=tw(x, ref))
    report["tsne"] = res


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--d", type=int, default=100)
    ap.add_argument("--clusters", type=int, default=20)
    ap.add_argument("--repeats", type=int, default=3, help="UMAP rounds")
    ap.add_argument("--tsne-repeats", type=int, default=1, help="scikit-learn TSNE runs (35 s+ each)")
    ap.add_argument("--skip-umap", action="store_true")
    ap.add_argument("--skip-tsne", action="store_true")
    ap.add_argument("--skip-cold", action="store_true", help="skip the fresh-process compile measurements")
    ap.add_argument("--opentsne-ref", action="store_true")
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args()
    warnings.filterwarnings("ignore")

    from importlib.metadata import version

    x = planted(args.n, args.d, args.clusters)
    report: dict = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()} {os.cpu_count()} CPUs, Python {platform.python_version()}",
        "load_avg_start": os.getloadavg(),
        "versions": {p: version(p) for p in ("umap-learn", "openTSNE", "scikit-learn", "numba", "numpy")},
        "data": {"n": args.n, "d": args.d, "clusters": args.clusters},
        "command": " ".join([Path(sys.executable).name, *sys.argv]),
    }
    if not args.skip_umap:
        bench_umap(x, args, report)
    if not args.skip_tsne:
        bench_tsne(x, args, report)
    report["load_avg_end"] = os.getloadavg()

    print(f"# projections of {args.n:,} x {args.d} ({args.clusters} clusters), {report['date']}, "
          f"load {report['load_avg_start'][0]:.1f} -> {report['load_avg_end'][0]:.1f}")
    if "umap" in report:
        u = report["umap"]
        print("| UMAP | wall s (median) | CPU s (median) | trustworthiness |")
        print("|---|---|---|---|")
        print(f"| umap-learn defaults | {np.median(u['plain_s']):.2f} | {np.median(u['plain_cpu_s']):.2f} | "
              f"{u['tw_plain']:.4f} |")
        print(f"| explorer project(umap) | {np.median(u['ours_s']):.2f} | {np.median(u['ours_cpu_s']):.2f} | "
              f"{u['tw_ours']:.4f} |")
        print(f"ratio (median per round): wall {u['ratio_median']:.2f}x, CPU {u['ratio_cpu_median']:.2f}x; "
              f"warmup() {u['warmup_s']:.1f} s; first project() after warmup {u['first_after_warmup_s']:.2f} s")
        if "cold_umap_learn_first_s" in u:
            print(f"fresh process: umap-learn {u['cold_umap_learn_first_s']:.1f} s then {u['cold_umap_learn_second_s']:.1f} s;"
                  f" project(umap) without warmup {u['cold_explorer_first_s']:.1f} s then {u['cold_explorer_second_s']:.1f} s")
    if "tsne" in report:
        t = report["tsne"]
        print("| t-SNE | wall s (median) | CPU s (median) | trustworthiness |")
        print("|---|---|---|---|")
        print(f"| scikit-learn TSNE defaults | {np.median(t['sklearn_s']):.2f} | {np.median(t['sklearn_cpu_s']):.2f} | "
              f"{t['tw_sklearn']:.4f} |")
        if "opentsne_pca50_s" in t:
            print(f"| openTSNE defaults after PCA-50 | {t['opentsne_pca50_s']:.2f} | {t['opentsne_pca50_cpu_s']:.2f} | "
                  f"{t['tw_opentsne_pca50']:.4f} |")
        print(f"| explorer project(tsne) | {np.median(t['ours_s']):.2f} | {np.median(t['ours_cpu_s']):.2f} | "
              f"{t['tw_ours']:.4f} |")
        print(f"ratio (each sklearn run against the project() runs around it): wall {t['ratio_median']:.2f}x, "
              f"CPU {t['ratio_cpu_median']:.2f}x")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=2))
    print(json.dumps(report))


if __name__ == "__main__":
    main()
