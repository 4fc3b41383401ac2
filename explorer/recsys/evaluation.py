"""Test metrics of a finished user-item run, recomputed from what its run directory saved.

Training stores HR/NDCG/MRR at K = 10 in ``metrics.json["test"]``. The run also keeps its log,
split and sampled test negatives (``interactions.npz``), so the same instances can be ranked
again, at K = 10 (:func:`evaluate_run`, the ``evaluate`` command) or at another K
(:func:`test_metrics_at_k`): same split, same negatives, same popularity baseline.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from explorer.errors import ExplorerError
from explorer.recsys.ranking import describe_split, evaluate_all, heldout_set
from explorer.runs import Run, load_run
from explorer.runs.logged import load_logged


def _user_item_run(run: Run) -> Run:
    if not run.capabilities.users:
        raise ExplorerError(f"{run.path}: not a user-item run (kind {run.kind!r})", code="run_not_useritem",
                            path=str(run.path), kind=run.kind)
    return run


def evaluate_run(run: Run) -> dict:
    """Test metrics of a user-item run, recomputed from its files alone.

    Uses the run's vectors and its ``interactions.npz`` (split and the stored sampled negatives),
    so the numbers equal the ``test`` block of its metrics.json.
    """
    inter, split, negatives = load_logged(_user_item_run(run))
    test = heldout_set(inter, split, "test", negatives=negatives["test"])
    return {
        "run": str(run.path),
        "split": describe_split(split),
        "test": evaluate_all(np.asarray(run.users), np.asarray(run.items), np.asarray(run.item_bias),
                             inter, split, test),
    }


def test_metrics_at_k(run_dir: Path, k: int) -> dict:
    """``{"full": {"model": {...}, "popularity": {...}}, "sampled": {...}}`` at cut-off ``k``.

    Same shape as ``metrics.json["test"]`` (see :func:`explorer.recsys.ranking.evaluate_all`).
    """
    if not isinstance(k, (int, np.integer)) or k < 1:
        raise ExplorerError(f"k: expected a positive whole number, got {k!r}", code="param_positive_int", name="k",
                            value=repr(k))
    run = _user_item_run(load_run(Path(run_dir)))
    inter, split, negatives = load_logged(run)
    heldout = heldout_set(inter, split, "test", negatives=negatives["test"])
    return evaluate_all(np.asarray(run.users), np.asarray(run.items), np.asarray(run.item_bias), inter, split,
                        heldout, int(k))
