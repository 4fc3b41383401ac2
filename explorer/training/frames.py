"""Frames: copies of the vectors kept during training, to watch a model learn.

A trainer asks a :class:`FrameRecorder` after each unit of work whether a frame is due
(:meth:`FrameRecorder.due`, cheap) and hands it the current vectors when it is
(:meth:`FrameRecorder.add`). The recorder keeps the first frame (the random start), frames spread
evenly over training (each epoch's end among them when there are few epochs), and the final
vectors as the last frame.

Bounds, so that a big model never fills the disk: frames keep at most :data:`MAX_FRAME_ROWS` rows
(the first ones: Skip-gram's vocabulary is sorted by frequency; user-item runs keep the most
popular items) and at most :data:`FRAME_BYTES_BUDGET` bytes in float16 altogether; beyond that the
run keeps fewer frames, and ``frames.json`` says so (``limited_by``).

Files: ``frames.npy`` float16 (n_frames, n_rows, d) and ``frames.json`` (:mod:`explorer.runs.frames`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

import numpy as np

#: frames keep at most this many rows of the vectors (the player draws at most this many points)
MAX_FRAME_ROWS = 20_000
#: all frames of a run together stay under this many bytes on disk (float16)
FRAME_BYTES_BUDGET = 400 * 1024 * 1024
#: the most frames a run may ask for
MAX_FRAMES = 200
#: the number of frames the bundled sample and the Train form ask for
DEFAULT_FRAMES = 30


@dataclass
class FramePlan:
    """When frames are taken and which rows they keep.

    at:          float (m,) progress fractions in (0, 1] after which a frame is taken (the last is 1.0);
                 the start (progress 0) is always kept as well.
    rows:        int (n_rows,) the rows kept, or None for all rows.
    requested:   how many frames were asked for.
    limited_by:  "" or what made the plan smaller ("rows", "bytes" or both).
    """

    at: np.ndarray
    rows: Optional[np.ndarray]
    requested: int
    limited_by: str = ""

    @property
    def n_frames(self) -> int:
        """Frames the plan keeps, the start included."""
        return 1 + int(self.at.size)


def plan_frames(wanted: int, epochs: int, n_rows: int, dim: int, order: Optional[np.ndarray] = None,
                max_rows: int = MAX_FRAME_ROWS, budget: int = FRAME_BYTES_BUDGET) -> FramePlan:
    """A frame plan for ``wanted`` frames (the start included) over ``epochs`` epochs of (n_rows, dim) vectors.

    ``order``: rows in order of importance (default: as stored); the first ``max_rows`` are kept.
    Each epoch's end is a frame when ``wanted - 1 >= epochs``; the others go to the early epochs
    first (epoch e gets a share proportional to 1/e) and, in the first epoch, closer together at
    the start, because that is where the vectors move most.

    >>> p = plan_frames(11, 5, 1000, 50)
    >>> p.n_frames, p.at.tolist()
    (11, [0.025, 0.070711, 0.129904, 0.2, 0.266667, 0.333333, 0.4, 0.6, 0.8, 1.0])
    >>> plan_frames(30, 10, 100_000, 100).limited_by
    'rows'
    """
    if wanted < 2:
        raise ValueError("a frame plan needs at least 2 frames (the start and the end)")
    limited = []
    rows = None
    n_keep = n_rows
    if n_rows > max_rows:
        rows = np.sort((np.arange(n_rows) if order is None else np.asarray(order))[:max_rows]).astype(np.int64)
        n_keep = max_rows
        limited.append("rows")
    elif order is not None and not np.array_equal(np.asarray(order), np.arange(n_rows)):
        rows = np.arange(n_rows, dtype=np.int64)
    per_frame = max(1, n_keep * dim * 2)
    fit = max(2, budget // per_frame)
    n = min(int(wanted), MAX_FRAMES)
    if n > fit:
        n = int(fit)
        limited.append("bytes")
    steps = n - 1
    if steps >= epochs:  # every epoch's end; the rest spread within epochs, more in early epochs (where most moves)
        weights = 1.0 / np.arange(1, epochs + 1)
        extra = steps - epochs
        per_epoch = 1 + np.floor(extra * weights / weights.sum()).astype(int)
        per_epoch[: steps - int(per_epoch.sum())] += 1  # what rounding left over goes to the first epochs
        parts = []
        for e, k in enumerate(per_epoch):
            frac = np.arange(1, k + 1) / k
            parts.append((e + (frac ** 1.5 if e == 0 else frac)) / epochs)  # denser at the very start
        at = np.concatenate(parts)
    else:
        at = (np.arange(1, steps + 1) / steps) ** 1.5
    at = np.round(at, 6)
    at[-1] = 1.0
    return FramePlan(at=at, rows=rows, requested=int(wanted), limited_by="+".join(limited))


@dataclass
class FrameRecorder:
    """Collects frames during training (see the module docstring). Not thread-safe: call from one thread
    or under the trainer's lock."""

    plan: FramePlan
    epochs: int = 0  # the training's epochs (for progress reports)
    frames: list[np.ndarray] = field(default_factory=list)  # float16 (n_rows, d) each
    meta: list[dict[str, Any]] = field(default_factory=list)
    _next: int = 0

    def _take(self, vectors: np.ndarray) -> np.ndarray:
        rows = self.plan.rows
        part = vectors if rows is None else vectors[rows]
        return np.asarray(part, dtype=np.float32).astype(np.float16)

    def start(self, vectors: np.ndarray) -> np.ndarray:
        """Keep the starting vectors (n, d) as frame 0; returns the kept copy."""
        self.frames = [self._take(vectors)]
        self.meta = [{"epoch": 0, "progress": 0.0, "loss": None}]
        self._next = 0
        return self.frames[0]

    def due(self, progress: float) -> bool:
        """Whether a frame is due at ``progress`` (0..1 of all training)."""
        return self._next < self.plan.at.size and progress + 1e-9 >= self.plan.at[self._next]

    def add(self, vectors: np.ndarray, epoch: int, progress: float, loss: Optional[float]) -> np.ndarray:
        """Keep a frame of ``vectors`` (n, d) at ``progress``; skips the planned points it passed."""
        frame = self._take(vectors)
        self.frames.append(frame)
        value = None if loss is None or not math.isfinite(loss) else round(float(loss), 6)
        self.meta.append({"epoch": int(epoch), "progress": round(float(progress), 6), "loss": value})
        while self.due(progress):
            self._next += 1
        return frame

    def finish(self, vectors: np.ndarray, epoch: int, loss: Optional[float]) -> None:
        """Make sure the last frame is the final vectors (replacing a last frame taken at progress 1)."""
        if self.meta and self.meta[-1]["progress"] >= 1.0:
            self.frames.pop()
            self.meta.pop()
        self.add(vectors, epoch, 1.0, loss)


def save_frames(run_dir: Path, recorder: FrameRecorder) -> None:
    """Write ``frames.npy`` and ``frames.json`` into ``run_dir`` (a run directory being written)."""
    from explorer.runs.frames import write_frames

    plan = recorder.plan
    write_frames(run_dir, np.stack(recorder.frames), plan.rows, recorder.meta, plan.requested, plan.limited_by)
