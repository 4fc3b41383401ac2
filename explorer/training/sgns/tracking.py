"""What a trainer reports while it trains: the smoothed loss and its history, throttled progress
reports (with stop requests), and the frames hook.

- :class:`LossTracker`: an exponential average of the measured loss over about ``SMOOTH_PAIRS`` pairs,
  and a history of at most :data:`HISTORY_POINTS` ``(progress, loss)`` points;
- :class:`Reporter`: at most one progress report per :data:`REPORT_EVERY_S` (``stage="train"``);
  remembers whether the callback asked to stop;
- :func:`maybe_frame`: keeps a frame of the vectors (V, d) when the recorder's plan says one is due
  (:mod:`explorer.training.frames`) and hands it to the callback;
- :func:`lr_at`: the linear learning-rate schedule ``lr -> lr * LR_FLOOR``.

    >>> lr_at(0.025, 0.0), abs(lr_at(0.025, 1.0) - 0.025 * LR_FLOOR) < 1e-15, lr_at(0.025, 2.0) == lr_at(0.025, 1.0)
    (0.025, True, True)
"""

from __future__ import annotations

import math
from typing import Any, Optional

import numpy as np

from explorer.progress import Progress, ProgressCallback, Throttle

#: seconds between progress reports (and checks for a stop request)
REPORT_EVERY_S = 0.2
#: the learning rate ends at lr * LR_FLOOR
LR_FLOOR = 1e-4
#: at most this many (progress, loss) points in the loss history
HISTORY_POINTS = 300


def lr_at(lr: float, frac: float) -> float:
    """The learning rate after ``frac`` (clipped to 0..1) of the training: linear from ``lr`` to ``lr * LR_FLOOR``."""
    frac = min(1.0, max(0.0, frac))
    return lr + (lr * LR_FLOOR - lr) * frac


class LossTracker:
    """Smoothed loss (exponential average over about SMOOTH_PAIRS measured pairs) and a history
    of at most HISTORY_POINTS (progress, loss) points, one per 1/(HISTORY_POINTS-1) of progress."""

    SMOOTH_PAIRS = 5000.0

    def __init__(self) -> None:
        self.smoothed: Optional[float] = None
        self.history: list[tuple[float, float]] = []
        self._last_bin = -1

    def add(self, progress: float, loss_sum: float, n: float) -> None:
        """Add ``n`` measured pairs with summed loss ``loss_sum`` at ``progress`` (0..1)."""
        if n <= 0:
            return
        value = loss_sum / n
        weight = 1.0 - math.exp(-n / self.SMOOTH_PAIRS)
        self.smoothed = value if self.smoothed is None else (1 - weight) * self.smoothed + weight * value
        bin_ = int(min(1.0, progress) * (HISTORY_POINTS - 1))
        if bin_ > self._last_bin:
            self._last_bin = bin_
            self.history.append((round(float(progress), 5), float(self.smoothed)))


class Reporter:
    """Time-throttled progress reports in words (or any unit); remembers whether the callback asked to stop."""

    def __init__(self, callback: ProgressCallback, epochs: int, total_words: int) -> None:
        self.callback = callback
        self.epochs = epochs
        self.total = max(1, total_words)
        self.throttle = Throttle(REPORT_EVERY_S)
        self.stop = False

    def report(self, words_done: int, epoch: int, loss: Optional[float], force: bool = False,
               snapshot: Optional[np.ndarray] = None) -> bool:
        """Report when due (always when ``force``); returns whether a stop was asked for (now or before)."""
        if not self.throttle.due(force):
            return self.stop
        elapsed = self.throttle.elapsed
        progress = min(1.0, words_done / self.total)
        rate = words_done / elapsed if elapsed > 0 else None
        eta = (self.total - words_done) / rate if rate else None
        if self.callback(Progress(stage="train", progress=progress, epoch=epoch, epochs=self.epochs,
                                  loss=loss, rate=rate, eta_s=eta, snapshot=snapshot)):
            self.stop = True
        return self.stop


def maybe_frame(recorder: Optional[Any], vectors: Any, epoch: int, progress: float, tracker: LossTracker,
                callback: ProgressCallback) -> None:
    """Keep a frame of ``vectors`` (numpy or torch (V, d)) when the recorder's plan says one is due,
    and hand it to the callback (the worker shows the latest frame live)."""
    if recorder is None or not recorder.due(progress):
        return
    if not isinstance(vectors, np.ndarray):
        vectors = vectors.detach().float().cpu().numpy()
    frame = recorder.add(vectors, epoch, progress, tracker.smoothed)
    callback(Progress(stage="train", progress=min(1.0, progress), epoch=epoch, epochs=recorder.epochs,
                      loss=tracker.smoothed, frame=frame))
