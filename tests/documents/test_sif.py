"""SIF sentence vectors equal a hand computation on a toy run."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from explorer.documents.sif import sif_from_run, sif_vectors, sif_weights
from explorer.errors import ExplorerError

INDEX = {"a": 0, "b": 1, "c": 2}
VECTORS = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]], dtype=np.float32)
COUNTS = [1, 1, 2]  # p = 1/4, 1/4, 1/2


def test_the_weights_are_a_over_a_plus_p() -> None:
    np.testing.assert_allclose(sif_weights(COUNTS, a=1.0), [0.8, 0.8, 2 / 3])
    np.testing.assert_allclose(sif_weights(COUNTS, a=1e-3), [1e-3 / (1e-3 + 0.25)] * 2 + [1e-3 / (1e-3 + 0.5)])


def test_the_weighted_average_by_hand() -> None:
    # [a b]: (0.8*[1,0] + 0.8*[0,1]) / 2;  [c]: 2/3*[1,1];  [a c x]: x unknown, skipped: (0.8*[1,0] + 2/3*[1,1]) / 2
    out = sif_vectors([["a", "b"], ["c"], ["a", "c", "x"], ["x"]], INDEX, VECTORS, COUNTS, a=1.0, remove_pc=False)
    np.testing.assert_allclose(out, [[0.4, 0.4], [2 / 3, 2 / 3], [(0.8 + 2 / 3) / 2, 1 / 3], [0.0, 0.0]], atol=1e-6)


def test_the_first_principal_component_is_removed_by_hand() -> None:
    # rows before: [.4,.4], [2/3,2/3], [11/15,1/3]; M^T M = [[a, b], [b, c]] by hand, its top eigenvector u,
    # then each row r -> r - (r.u) u
    rows = np.array([[0.4, 0.4], [2 / 3, 2 / 3], [11 / 15, 1 / 3]])
    a = 0.4**2 + (2 / 3) ** 2 + (11 / 15) ** 2
    b = 0.4 * 0.4 + (2 / 3) ** 2 + (11 / 15) * (1 / 3)
    c = 0.4**2 + (2 / 3) ** 2 + (1 / 3) ** 2
    top = (a + c) / 2 + np.sqrt(((a - c) / 2) ** 2 + b**2)  # the larger eigenvalue of [[a, b], [b, c]]
    u = np.array([b, top - a])
    u /= np.linalg.norm(u)
    expected = rows - np.outer(rows @ u, u)
    out = sif_vectors([["a", "b"], ["c"], ["a", "c", "x"]], INDEX, VECTORS, COUNTS, a=1.0)
    np.testing.assert_allclose(out, expected, atol=1e-6)
    assert np.allclose(out @ u, 0, atol=1e-6) and out.dtype == np.float32


def test_sif_from_a_saved_word_run(tmp_path: Path) -> None:
    from tests.support.runs import imported_run

    run = imported_run(tmp_path / "run", ["a", "b", "c"], VECTORS, counts=COUNTS)
    out = sif_from_run(run, ["a b", "c", "a c x"], a=1.0, remove_pc=False, lang="en")
    np.testing.assert_allclose(out, [[0.4, 0.4], [2 / 3, 2 / 3], [(0.8 + 2 / 3) / 2, 1 / 3]], atol=1e-6)
    docs = tmp_path / "docs"
    docs.mkdir()
    with pytest.raises(ExplorerError):
        sif_from_run(docs, ["a"])
