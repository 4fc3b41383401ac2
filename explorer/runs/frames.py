"""The frame files of a run directory, and the live frame of a running job.

``frames.npy`` and ``frames.json`` hold the vectors during training; the live frame
(``.<run_id>.live.npz`` beside a run being trained, removed when the job ends) holds the latest frame in
2D for the pages, at most :data:`LIVE_ROWS` points. Their format: ``docs/run-directory.md`` (Frames).
"""

from __future__ import annotations

import json
import os
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

import numpy as np

from explorer.errors import ExplorerError
from explorer.runs.layout import CONTEXT_VECTORS as CONTEXT_FILE
from explorer.runs.layout import FRAMES as FRAMES_FILE
from explorer.runs.layout import FRAMES_META

LIVE_ROWS = 1000  # points in a live frame


@dataclass
class Frames:
    """A run's frames, read and checked.

    vectors: float32 (n_frames, n_rows, d); rows: int64 (n_rows,) rows of the run's vectors;
    meta: one dict per frame (epoch, progress, loss); limited_by: see the module docstring.
    """

    vectors: np.ndarray
    rows: np.ndarray
    meta: list[dict[str, Any]]
    requested: int
    limited_by: str

    @property
    def n_frames(self) -> int:
        return int(self.vectors.shape[0])


def has_frames(run_dir: Path) -> bool:
    """Whether the run directory holds frames."""
    return (Path(run_dir) / FRAMES_FILE).is_file() and (Path(run_dir) / FRAMES_META).is_file()


def write_frames(run_dir: Path, stack: np.ndarray, rows: Optional[np.ndarray], meta: list[dict],
                 requested: int, limited_by: str) -> None:
    """Write ``frames.npy`` (stack (n_frames, n_rows, d), stored float16) and ``frames.json``."""
    from explorer.runs.directory import write_json

    run_dir = Path(run_dir)
    stack = np.asarray(stack).astype(np.float16)
    np.save(run_dir / FRAMES_FILE, stack)
    write_json(run_dir / FRAMES_META, {
        "rows": None if rows is None else [int(r) for r in rows],
        "n_rows": int(stack.shape[1]),
        "frames": list(meta),
        "requested": int(requested),
        "limited_by": limited_by,
    })


def read_frames(run_dir: Path, n_vectors: Optional[int] = None) -> Frames:
    """The frames of ``run_dir``; :class:`ExplorerError` (code ``no_frames``) when it has none.

    ``n_vectors``: the run's number of rows, to check the rows against.
    """
    run_dir = Path(run_dir)
    if not has_frames(run_dir):
        raise ExplorerError(f"{run_dir}: this run kept no frames (train it with --frames N)", code="no_frames",
                            run=str(run_dir))
    try:
        meta = json.loads((run_dir / FRAMES_META).read_text(encoding="utf-8"))
        stack = np.load(run_dir / FRAMES_FILE, mmap_mode="r", allow_pickle=False)
    except (OSError, ValueError) as exc:
        raise ExplorerError(f"{run_dir / FRAMES_FILE}: unreadable ({exc})", code="frames_bad", run=str(run_dir)) from None
    frames = meta.get("frames") if isinstance(meta, dict) else None
    if stack.ndim != 3 or not isinstance(frames, list) or len(frames) != stack.shape[0] or stack.shape[0] < 1:
        raise ExplorerError(f"{run_dir / FRAMES_META}: does not match {FRAMES_FILE}", code="frames_bad",
                            run=str(run_dir))
    rows = meta.get("rows")
    rows = np.arange(stack.shape[1], dtype=np.int64) if rows is None else np.asarray(rows, dtype=np.int64)
    if rows.shape != (stack.shape[1],) or (n_vectors is not None and rows.size and
                                             (rows.min() < 0 or rows.max() >= n_vectors)):
        raise ExplorerError(f"{run_dir / FRAMES_META}: rows do not match the run's vectors", code="frames_bad",
                            run=str(run_dir))
    return Frames(vectors=np.asarray(stack, dtype=np.float32), rows=rows, meta=frames,
                  requested=int(meta.get("requested") or len(frames)), limited_by=str(meta.get("limited_by") or ""))


# --------------------------------------------------------------------------- the live frame of a running job


def live_frame_path(run_path: Path) -> Path:
    """Where a job training into ``run_path`` keeps its latest frame (a hidden sibling file)."""
    run_path = Path(run_path)
    return run_path.parent / f".{run_path.name}.live.npz"


def write_live_frame(run_path: Path, xy: np.ndarray, rows: np.ndarray, epoch: int, progress: float,
                     loss: Optional[float]) -> None:
    """Write the live frame atomically (temp file + rename); skipped when the folder is gone."""
    path = live_frame_path(run_path)
    tmp = path.with_name(f"{path.stem}.tmp-{uuid.uuid4().hex[:8]}.npz")
    try:
        with open(tmp, "wb") as fh:
            np.savez(fh, xy=np.asarray(xy, np.float32), rows=np.asarray(rows, np.int64), epoch=np.int64(epoch),
                     progress=np.float64(progress), loss=np.float64(np.nan if loss is None else loss))
        os.replace(tmp, path)
    except OSError:
        tmp.unlink(missing_ok=True)


def read_live_frame(run_path: Path) -> Optional[dict[str, Any]]:
    """The live frame of a job training into ``run_path`` (None when there is none yet)."""
    path = live_frame_path(run_path)
    try:
        with np.load(path, allow_pickle=False) as npz:
            loss = float(npz["loss"])
            return {"xy": npz["xy"], "rows": npz["rows"], "epoch": int(npz["epoch"]),
                    "progress": float(npz["progress"]), "loss": None if np.isnan(loss) else loss}
    except (OSError, ValueError, KeyError):
        return None


def remove_live_frame(run_path: Path) -> None:
    live_frame_path(run_path).unlink(missing_ok=True)



def has_context_vectors(run_dir: Path) -> bool:
    """Whether the run kept its output-layer (context) vectors (``context_vectors.npy``)."""
    return (Path(run_dir) / CONTEXT_FILE).is_file()


def read_context_vectors(run_dir: Path) -> Optional[np.ndarray]:
    """A Skip-gram run's output vectors (written with frames), memory-mapped; None when the run has none."""
    path = Path(run_dir) / CONTEXT_FILE
    if not path.is_file():
        return None
    try:
        return np.load(path, mmap_mode="r", allow_pickle=False)
    except (OSError, ValueError):
        return None
