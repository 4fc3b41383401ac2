"""``project``, ``import`` and ``cluster``: the analysis commands (``run(args)`` branches on the command).

- ``project DIR --method pca|tsne|umap --dims 2|3 --out FILE.csv [--seed 0]``: CSV (never overwrites FILE) with header
  ``label,x,y`` (or ``label,x,y,z``), rows in vocabulary order, UTF-8, csv-module quoting.
  Uses (and fills) the run's projection cache.
- ``import PATH --out DIR [--format ...] [--metadata F]``: a run of kind ``imported``; prints DIR.
- ``cluster DIR --method kmeans|dbscan|hdbscan [--k 8] [--seed 0]``: metrics, parameters and
  cluster sizes as JSON on stdout (NMI/ARI when the run has labels). ``--k`` is used by kmeans only.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from explorer import settings
from explorer.errors import ExplorerError


def _check_seed(seed: int) -> None:
    """Seeds are 32-bit (numpy, numba): refused before any heavy import."""
    from explorer.configs import SEED_MAX

    if not 0 <= seed <= SEED_MAX:
        raise ExplorerError(f"--seed: must be between 0 and {SEED_MAX}, got {seed}", code="param_range",
                            name="seed", min=0, max=SEED_MAX, value=seed)


def _project(args: argparse.Namespace) -> int:
    _check_seed(args.seed)
    from explorer.analysis.projection import cached_projection
    from explorer.commands.export import refuse_existing
    from explorer.commands.progress_bar import ProgressBar
    from explorer.runs import load_run
    from explorer.runs.formats import export_coordinates_csv

    run = load_run(Path(args.run_dir))
    out = Path(args.out)
    refuse_existing(out)
    bar = ProgressBar(disable=True if settings.no_progress() else None)
    try:
        coords = cached_projection(run.path, args.method, args.dims, args.seed, callback=bar)
    finally:
        bar.close()
    export_coordinates_csv(run.tokens, coords, None, out)
    print(out)
    return 0


def _import(args: argparse.Namespace) -> int:
    from explorer.resources import disk_space
    from explorer.runs.formats import import_run

    source = Path(args.path)
    size = source.stat().st_size if source.is_file() else 0
    with disk_space(Path(args.out).parent, size + (1 << 16)):  # about the vectors' size, as float32
        out = import_run(source, Path(args.out), fmt=args.format,
                         metadata=Path(args.metadata) if args.metadata else None)
    print(out)
    return 0


def _cluster(args: argparse.Namespace) -> int:
    _check_seed(args.seed)
    from explorer.runs import load_run

    run = load_run(Path(args.run_dir))
    n = len(run.vectors)
    if args.method == "kmeans" and not 2 <= args.k <= n - 1:  # before importing scikit-learn (seconds)
        raise ExplorerError(f"k: must be an integer between 2 and {n - 1} (rows - 1), got {args.k!r}")
    from explorer.analysis.clusters import cluster

    labels = run.labels
    truth = [labels.get(t) for t in run.tokens] if labels else None
    result = cluster(np.asarray(run.vectors, dtype=np.float32), args.method, k=args.k, seed=args.seed, truth=truth)
    report = {
        "run": str(run.path),
        "method": result.method,
        "space": result.space,
        "params": result.params,
        "metrics": result.metrics,
        "sizes": {str(c): n for c, n in result.sizes().items()},
    }
    print(json.dumps(report, indent=2, ensure_ascii=False))
    return 0


def run(args: argparse.Namespace) -> int:
    handlers = {"project": _project, "import": _import, "cluster": _cluster}
    return handlers[args.command](args)
