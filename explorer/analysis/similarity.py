"""Two or a few vectors side by side: the three similarity measures, and a faithful 2D picture of them."""

from __future__ import annotations

import numpy as np

from explorer.errors import ExplorerError


def pair_measures(u: np.ndarray, v: np.ndarray) -> dict[str, float]:
    """Cosine similarity, euclidean distance and dot product of two vectors (d,).

    >>> pair_measures(np.array([3.0, 4.0]), np.array([6.0, 8.0]))
    {'cosine': 1.0, 'euclidean': 5.0, 'dot': 50.0}
    """
    u = np.asarray(u, dtype=np.float64)
    v = np.asarray(v, dtype=np.float64)
    norms = float(np.linalg.norm(u) * np.linalg.norm(v))
    return {
        "cosine": round(float(u @ v) / norms, 6) if norms > 0 else 0.0,
        "euclidean": round(float(np.linalg.norm(u - v)), 6),
        "dot": round(float(u @ v), 6),
    }


def plane_coords(vectors: list[np.ndarray] | np.ndarray) -> np.ndarray:
    """2D coordinates of a few vectors (m, d) in the plane through the origin that fits them best.

    The plane is spanned by the top two right singular vectors of the (uncentred) matrix, so the
    origin stays the origin and the angles between the arrows are close to the true angles (exact
    when the vectors span at most two dimensions). Returns float (m, 2).
    """
    mat = np.asarray(vectors, dtype=np.float64)
    if mat.ndim != 2 or mat.shape[0] < 1:
        raise ExplorerError(f"vectors: expected a matrix (m, d), got shape {mat.shape}", code="plane_vectors_shape",
                            shape=str(mat.shape))
    _, _, vt = np.linalg.svd(mat, full_matrices=False)
    basis = vt[:2]
    coords = mat @ basis.T
    if coords.shape[1] < 2:
        coords = np.c_[coords, np.zeros(len(coords))]
    if coords[0, 0] < 0:  # the first word points right: a stable picture
        coords[:, 0] *= -1
    return coords
