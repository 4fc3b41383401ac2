"""``frames DIR --out FILE.csv [--method pca|umap] [--seed 0]``: a run's frames, aligned, as CSV.

Header ``frame,epoch,label,x,y``; one row per frame and row of the frames (frame 0 = the random
start), aligned as :mod:`explorer.analysis.frames` describes; the last frame equals the 2D PCA
of the run's final vectors (``--method pca``). A run without frames: ``error: ...``, exit 2.
Never overwrites FILE.
"""

from __future__ import annotations

import argparse
import csv
import io
from pathlib import Path

from explorer.errors import ExplorerError


def frames_csv(run_dir: Path, method: str = "pca", seed: int = 0) -> str:
    """The CSV text of a run's aligned frames (see the module docstring)."""
    from explorer.analysis.frames import cached_frame_coords, run_frames

    run, frames = run_frames(run_dir)
    coords = cached_frame_coords(run.path, method, seed)
    tokens = run.tokens
    labels = [tokens[r] for r in frames.rows]
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["frame", "epoch", "label", "x", "y"])
    for f, meta in enumerate(frames.meta):
        epoch = meta.get("epoch", 0)
        for label, (x, y) in zip(labels, coords[f], strict=True):
            writer.writerow([f, epoch, label, f"{x:.6g}", f"{y:.6g}"])
    return buf.getvalue()


def run(args: argparse.Namespace) -> int:
    from explorer.commands.export import refuse_existing
    from explorer.runs.formats import export_file

    out = Path(args.out)
    if not out.parent.is_dir():
        raise ExplorerError(f"{out.parent}: output directory does not exist")
    refuse_existing(out)
    text = frames_csv(Path(args.run_dir), args.method, args.seed)
    with export_file(out, "wb") as fh:
        fh.write(text.encode("utf-8"))
    print(out)
    return 0
