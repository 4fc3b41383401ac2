"""Progress reporting out of long loops (training, tokenizing, projections).

Loops never print: they call a ``ProgressCallback`` with a :class:`Progress`. The callback returns
``True`` to ask the loop to stop; the loop then raises :class:`explorer.errors.TrainingStopped`.
The CLI turns these into a progress bar on stderr, the worker into rows in the job table.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Optional

if TYPE_CHECKING:
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

#: Stages a job reports (``Progress.stage``, the job table's ``stage``); each has a UI string ``train.stage_<name>``.
STAGES = ("tokenize", "train", "evaluate", "project", "precompute", "copy", "done", "cancelled")


def no_progress(_: Progress) -> None:
    """A callback that ignores reports and never stops the loop."""
    return None


class Throttle:
    """Says when a loop's next progress report is due: at most one every ``interval`` seconds.

    >>> t = Throttle(3600.0)
    >>> t.due(), t.due(), t.due(force=True)
    (True, False, True)
    """

    def __init__(self, interval: float) -> None:
        self.interval = float(interval)
        self.start = time.perf_counter()
        self.last: Optional[float] = None

    def due(self, force: bool = False) -> bool:
        """True (and the clock restarts) when ``interval`` has passed since the last report, or when forced."""
        now = time.perf_counter()
        if not force and self.last is not None and now - self.last < self.interval:
            return False
        self.last = now
        return True

    @property
    def elapsed(self) -> float:
        """Seconds since the throttle was made."""
        return time.perf_counter() - self.start
