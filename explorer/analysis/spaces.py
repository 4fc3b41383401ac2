"""The spaces a run's rows can be clustered in: the original vectors, or a projection.

A space is named ``"vectors"`` or ``<method><dims>`` (``"pca2"``, ``"tsne3"``, ...; the names of
:data:`explorer.runs.saved_clusterings.SPACES`). The 2-D PCA is always available (computed and
cached on demand); t-SNE and UMAP spaces exist once a projection of that method and dimension is
in the run's cache (the Explore page's projection jobs fill it), the newest one being used.
"""

from __future__ import annotations

from typing import Optional

import numpy as np

from explorer.analysis import projection
from explorer.errors import ExplorerError
from explorer.runs import Run, cache

ALWAYS = ("vectors", "pca2")
CACHED_METHODS = tuple(m for m in projection.PROJECTION_METHODS if m != "pca")  # computed by jobs, then cached


def _cached_file(run: Run, space: str) -> Optional[str]:
    path = cache.latest_projection_file(run.path, space[:-1], int(space[-1]))
    return str(path) if path is not None else None


def space_options(run: Run) -> list[str]:
    """Original vectors and 2-D PCA always; t-SNE / UMAP spaces once they are cached."""
    return [*ALWAYS, *(f"{m}{d}" for m, d in cache.projection_spaces(run.path, CACHED_METHODS))]


def space_points(run: Run, space: str) -> np.ndarray:
    """float32 (n, dims): the rows to cluster in ``space``."""
    if space == "vectors":
        return np.asarray(run.vectors, dtype=np.float32)
    if space == "pca2":
        return projection.cached_projection(run.path, "pca", 2)
    found = cache.latest_projection_file(run.path, space[:-1], int(space[-1])) if space[-1:].isdigit() else None
    coords = cache.read_array(found, (len(run.tokens), int(space[-1]))) if found is not None else None
    if coords is None:
        raise ExplorerError(f"{space}: no cached projection of this run (compute it on the Explore page first)",
                            code="space_not_cached", space=space)
    return np.asarray(coords, dtype=np.float32)


def space_stamp(run: Run, space: str) -> float:
    """Changes when the cached projection behind ``space`` is recomputed (0 for the fixed spaces)."""
    if space in ALWAYS:
        return 0.0
    found = cache.latest_projection_file(run.path, space[:-1], int(space[-1])) if space[-1:].isdigit() else None
    try:
        return found.stat().st_mtime if found is not None else 0.0
    except OSError:
        return 0.0
