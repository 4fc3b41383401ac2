"""The spaces a run's rows can be clustered in: the original vectors, or a projection.

A space is named ``"vectors"`` or ``<method><dims>`` (``"pca2"``, ``"tsne3"``, ...; the names of
:data:`explorer.runs.saved_clusterings.SPACES`). The 2-D PCA is always available (computed and
cached on demand); t-SNE and UMAP spaces exist once a projection of that method and dimension is
in the run's cache (the Explore page's projection jobs fill it), the newest one being used.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import numpy as np

from explorer.analysis import projection
from explorer.errors import ExplorerError
from explorer.runs import Run, cache

ALWAYS = ("vectors", "pca2")
CACHED_METHODS = tuple(m for m in projection.PROJECTION_METHODS if m != "pca")  # computed by jobs, then cached


def _roots(run: Run, store: Optional[Path]) -> list[Path]:
    """Where cached projections of the run may be: the run itself, and the viewers' store of a run the
    caller does not own (:func:`explorer.jobs.workspaces.projection_store`)."""
    return [run.path] + ([Path(store)] if store is not None else [])


def _latest(run: Run, space: str, store: Optional[Path]) -> Optional[Path]:
    if not space[-1:].isdigit():
        return None
    found = [f for root in _roots(run, store) if (f := cache.latest_projection_file(root, space[:-1], int(space[-1])))]
    return max(found, key=lambda f: f.stat().st_mtime) if found else None


def space_options(run: Run, store: Optional[Path] = None) -> list[str]:
    """Original vectors and 2-D PCA always; t-SNE / UMAP spaces once they are cached (``store``: see :func:`_roots`)."""
    found = {s for root in _roots(run, store) for s in cache.projection_spaces(root, CACHED_METHODS)}
    return [*ALWAYS, *(f"{m}{d}" for m in CACHED_METHODS for d in (2, 3) if (m, d) in found)]


def space_points(run: Run, space: str, store: Optional[Path] = None) -> np.ndarray:
    """float32 (n, dims): the rows to cluster in ``space`` (a run the caller does not own is never written)."""
    if space == "vectors":
        return np.asarray(run.vectors, dtype=np.float32)
    if space == "pca2":
        return projection.cached_projection(run.path, "pca", 2, store=store)
    found = _latest(run, space, store)
    coords = cache.read_array(found, (len(run.tokens), int(space[-1]))) if found is not None else None
    if coords is None:
        raise ExplorerError(f"{space}: no cached projection of this run (compute it on the Explore page first)",
                            code="space_not_cached", space=space)
    return np.asarray(coords, dtype=np.float32)


def space_stamp(run: Run, space: str, store: Optional[Path] = None) -> float:
    """Changes when the cached projection behind ``space`` is recomputed (0 for the fixed spaces)."""
    if space in ALWAYS:
        return 0.0
    found = _latest(run, space, store)
    try:
        return found.stat().st_mtime if found is not None else 0.0
    except OSError:
        return 0.0
