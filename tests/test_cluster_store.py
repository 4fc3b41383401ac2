"""explorer.runs.saved_clusterings: clusterings saved beside a run for the Explore page."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from explorer.errors import ExplorerError
from explorer.runs import saved_clusterings


def test_save_and_load_round_trip(tmp_path: Path) -> None:
    labels = np.array([0, 0, 1, 1, -1])
    name = saved_clusterings.save_clustering(tmp_path, labels, "kmeans", {"k": 2, "seed": 0}, "vectors",
                                         {"silhouette": 0.5})
    assert name == "kmeans-k2-seed0-vectors"
    name2 = saved_clusterings.save_clustering(tmp_path, np.array([0, 1, 1, 1, 1]), "dbscan",
                                          {"eps": 0.25, "min_samples": 3, "metric": "cosine"}, "pca2")
    assert name2 == "dbscan-eps0.25-metric_cosine-min_samples3-pca2"
    saved = {s.name: s for s in saved_clusterings.load_clusterings(tmp_path)}
    assert set(saved) == {name, name2}
    assert saved[name].n_clusters == 2 and saved[name].metrics == {"silhouette": 0.5}
    assert saved[name2].space == "pca2" and saved[name2].params == {"eps": 0.25, "min_samples": 3, "metric": "cosine"}
    np.testing.assert_array_equal(saved_clusterings.load_labels(tmp_path, name), labels)
    assert saved_clusterings.load_labels(tmp_path, name).dtype == np.int32
    np.testing.assert_array_equal(saved_clusterings.load_labels(tmp_path, name2), [0, 1, 1, 1, 1])
    # saving again replaces, leaving no temporary files
    saved_clusterings.save_clustering(tmp_path, labels[::-1].copy(), "kmeans", {"k": 2, "seed": 0}, "vectors")
    np.testing.assert_array_equal(saved_clusterings.load_labels(tmp_path, name), labels[::-1])
    assert not [p for p in (tmp_path / "cache" / "clusters").iterdir() if p.name.startswith(".")]


def test_no_clusterings_and_bad_names(tmp_path: Path) -> None:
    assert saved_clusterings.load_clusterings(tmp_path) == []
    with pytest.raises(ExplorerError, match="not a valid clustering name"):
        saved_clusterings.load_labels(tmp_path, "../../etc/passwd")
    with pytest.raises(ExplorerError, match="not saved"):
        saved_clusterings.load_labels(tmp_path, "kmeans-k3-vectors")
    with pytest.raises(ExplorerError, match="method"):
        saved_clusterings.save_clustering(tmp_path, np.zeros(3, int), "spectral", {}, "vectors")
    with pytest.raises(ExplorerError, match="must be a number"):
        saved_clusterings.save_clustering(tmp_path, np.zeros(3, int), "kmeans", {"k": "../x"}, "vectors")
    with pytest.raises(ExplorerError, match="bad parameter name"):
        saved_clusterings.save_clustering(tmp_path, np.zeros(3, int), "kmeans", {"../k": 3}, "vectors")
    with pytest.raises(ExplorerError, match="labels"):
        saved_clusterings.save_clustering(tmp_path, np.zeros(3), "kmeans", {"k": 3}, "vectors")
