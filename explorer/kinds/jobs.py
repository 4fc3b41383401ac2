"""Job kinds that are not training: they compute something for an existing run (its cache).

``projection``: t-SNE, UMAP or PCA of a run's vectors (:func:`explorer.jobs.execute.run_projection`);
its duration grows with the number of points, the method and the dimensions.

    >>> PROJECTION.estimate_seconds({"method": "pca", "run_dir": "/nowhere"})
    1.0
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import explorer.kinds.files as F
from explorer.kinds.base import JOB_OVERHEAD_S, JobKind


def _n_points(run_dir: Any) -> int:
    """Rows of a run's vectors (item vectors for user-item runs) from the .npy header only."""
    import numpy as np

    for name in (F.VECTORS, F.ITEMS):
        path = Path(str(run_dir)) / name
        if path.is_file():
            try:
                return int(np.load(path, mmap_mode="r", allow_pickle=False).shape[0])
            except (OSError, ValueError):
                return 0
    return 0


class ProjectionKind(JobKind):
    def estimate_seconds(self, spec: Mapping[str, Any]) -> float:
        method, dims = spec.get("method"), spec.get("dims")
        if method not in ("tsne", "umap"):
            return 1.0
        n = _n_points(spec.get("run_dir"))
        if method == "tsne":
            return JOB_OVERHEAD_S + n / 700.0 * (2.5 if dims == 3 else 1.0)
        return JOB_OVERHEAD_S + n / 1500.0


PROJECTION = ProjectionKind(name="projection", runner="explorer.jobs.execute:run_projection")
