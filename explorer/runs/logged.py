"""A user-item run's log as the model saw it: ``interactions.npz`` (no pickles).

Its arrays, dtypes and shapes: ``docs/run-directory.md`` (User–item runs). :func:`load_logged` reads it
back after the run passed :func:`explorer.runs.load_run`'s checks.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import numpy as np

from explorer.errors import ExplorerError
from explorer.recsys.interactions import Interactions
from explorer.recsys.ranking import Split
from explorer.runs import layout as L
from explorer.runs.arrays import load_npz
from explorer.runs.directory import Run, load_run
from explorer.runs.validation import LOGGED_FOR_EVALUATION, check_logged


def save_logged(run_dir: Path, inter: Interactions, split: Split, validation_negatives: np.ndarray,
                test_negatives: np.ndarray) -> None:
    """Write ``interactions.npz`` into the (temporary) run directory ``run_dir``."""
    np.savez(
        Path(run_dir) / L.INTERACTIONS,
        user=inter.users.astype(np.int32),
        item=inter.items.astype(np.int32),
        label=inter.labels.astype(np.float32),
        split=split.role.astype(np.int8),
        split_seed=np.int64(split.seed),
        timestamp=(inter.timestamps if inter.timestamps is not None
                   else np.full(len(inter), np.nan)).astype(np.float64),
        validation_negatives=validation_negatives.astype(np.int64),
        test_negatives=test_negatives.astype(np.int64),
    )


def logged_arrays(run: Run) -> dict[str, np.ndarray]:
    """The arrays of the run's ``interactions.npz`` (a clear error when the run has none)."""
    path = run.path / L.INTERACTIONS
    if not path.exists():
        raise ExplorerError(f"{path}: missing; evaluate and recommend need a run trained by this version",
                            code="run_missing_file", file=str(path))
    return load_npz(path, str(path))


def load_logged(run: Run | Path) -> tuple[Interactions, Split, dict[str, np.ndarray]]:
    """The log saved in a run's ``interactions.npz``: (interactions, split, sampled negatives).

    ``run`` is an opened :class:`Run` or a run directory (opened with :func:`load_run`). The
    negatives dict has ``"validation"`` and ``"test"`` int64 arrays (rows of that split).
    """
    if not isinstance(run, Run):
        run = load_run(Path(run))
    arrays = logged_arrays(run)
    check_logged(arrays, str(run.path / L.INTERACTIONS), len(run.user_ids), len(run.item_ids),
                 required=LOGGED_FOR_EVALUATION)
    times: Optional[np.ndarray] = arrays["timestamp"].astype(np.float64)
    if times is not None and np.isnan(times).all():
        times = None
    inter = Interactions(
        user_ids=list(run.user_ids), item_ids=list(run.item_ids),
        users=arrays["user"].astype(np.int32), items=arrays["item"].astype(np.int32),
        labels=arrays["label"].astype(np.float32), timestamps=times, source=str(run.path / L.INTERACTIONS),
    )
    method = "latest by timestamp" if inter.timestamps is not None else "random (no timestamps)"
    seed = int(arrays["split_seed"]) if "split_seed" in arrays else 0
    split = Split(role=arrays["split"].astype(np.int8), method=method, seed=seed)
    return inter, split, {"validation": arrays["validation_negatives"].astype(np.int64),
                          "test": arrays["test_negatives"].astype(np.int64)}
