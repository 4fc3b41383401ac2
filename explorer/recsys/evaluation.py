"""Test metrics of a finished user-item run at any cut-off K, from what the run directory saved.

Training stores HR/NDCG/MRR at K = 10 in ``metrics.json["test"]``. The run also keeps its log,
split and sampled test negatives (``interactions.npz``), so the same instances can be ranked
again at another K: same split, same negatives, same popularity baseline.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from explorer.errors import ExplorerError
from explorer.recsys.ranking import evaluate_all, heldout_set
from explorer.runs import load_run


def test_metrics_at_k(run_dir: Path, k: int) -> dict:
    """``{"full": {"model": {...}, "popularity": {...}}, "sampled": {...}}`` at cut-off ``k``.

    Same shape as ``metrics.json["test"]`` (see :func:`explorer.recsys.ranking.evaluate_all`).
    """
    from explorer.training.useritem import load_logged

    if not isinstance(k, (int, np.integer)) or k < 1:
        raise ExplorerError(f"k: expected a positive whole number, got {k!r}")
    run = load_run(Path(run_dir))
    if run.kind != "useritem":
        raise ExplorerError(f"{run.path}: not a user-item run")
    inter, split, negatives = load_logged(run.path)
    heldout = heldout_set(inter, split, "test", negatives=negatives["test"])
    return evaluate_all(np.asarray(run.users), np.asarray(run.items), np.asarray(run.item_bias), inter, split,
                        heldout, int(k))
