"""Progress reporting out of long loops (training, tokenizing, projections).

Loops never print: they call a ``ProgressCallback`` with a :class:`Progress`. The callback returns
``True`` to ask the loop to stop; the loop then raises :class:`explorer.errors.TrainingStopped`.
The CLI turns these into a progress bar on stderr, the worker into rows in the job table.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Optional

import numpy as np


@dataclass
class Progress:
    """One progress report.

    stage:      what is running ("tokenize", "train", "project", ...).
    progress:   overall fraction done, 0..1.
    epoch:      1-based epoch number (0 when not training).
    epochs:     total epochs (0 when not training).
    loss:       latest smoothed training loss (None when unknown).
    rate:       items per second (words/s for Skip-gram, interactions/s for user-item).
    eta_s:      estimated seconds left (None when unknown).
    message:    short human text (optional).
    snapshot:   optional float32 array (n, d) of the current vectors (per-epoch snapshots).
    metrics:    optional dict of validation metrics for this epoch (user-item).
    frame:      optional float16 array (n_rows, d): a frame just kept to watch the model learn
                (:mod:`explorer.training.frames`; the rows its plan keeps).
    """

    stage: str
    progress: float
    epoch: int = 0
    epochs: int = 0
    loss: Optional[float] = None
    rate: Optional[float] = None
    eta_s: Optional[float] = None
    message: str = ""
    snapshot: Optional[np.ndarray] = field(default=None, repr=False)
    metrics: Optional[dict] = None
    frame: Optional[np.ndarray] = field(default=None, repr=False)


ProgressCallback = Callable[[Progress], Optional[bool]]


def no_progress(_: Progress) -> None:
    """A callback that ignores reports and never stops the loop."""
    return None
