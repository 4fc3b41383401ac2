"""Clustering: known blobs are recovered; parameters are checked; members nearest the centre first."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import adjusted_rand_score

from explorer.analysis.clusters import auto_eps, cluster, cluster_members, k_sweep
from explorer.errors import ExplorerError


def blobs(per: int = 20, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    centres = np.array([[0, 0, 0], [10, 0, 0], [0, 10, 0]], np.float32)
    truth = np.repeat(np.arange(3), per)
    return (centres[truth] + rng.normal(scale=0.5, size=(3 * per, 3))).astype(np.float32), truth


def test_kmeans_recovers_blobs_with_metrics() -> None:
    x, truth = blobs()
    result = cluster(x, "kmeans", k=3, truth=[str(t) for t in truth])
    assert adjusted_rand_score(truth, result.labels) == pytest.approx(1.0)
    assert result.labels.dtype == np.int64 and result.method == "kmeans" and result.space == "vectors"
    assert result.metrics["ari"] == pytest.approx(1.0) and result.metrics["silhouette"] > 0.8
    assert result.params["k"] == 3 and result.params["inertia"] > 0
    assert sorted(result.sizes().values()) == [20, 20, 20]
    again = cluster(x, "kmeans", k=3)
    np.testing.assert_array_equal(again.labels, result.labels)


def test_dbscan_marks_outlier_as_noise() -> None:
    x, truth = blobs()
    x = np.vstack([x, [[50, 50, 50]]]).astype(np.float32)
    result = cluster(x, "dbscan", eps=2.0, min_samples=4)
    assert result.labels[-1] == -1
    assert adjusted_rand_score(truth, result.labels[:-1]) == pytest.approx(1.0)
    assert result.metrics["n_noise"] == 1 and result.sizes()[-1] == 1
    auto = cluster(x, "dbscan")
    assert auto.params["eps"] == pytest.approx(auto_eps(x, 5)) and auto.metrics["n_clusters"] == 3


def test_hdbscan_recovers_blobs() -> None:
    x, truth = blobs()
    result = cluster(x, "hdbscan", min_cluster_size=5, space="projection")
    keep = result.labels >= 0
    assert result.metrics["n_clusters"] == 3 and keep.mean() > 0.8
    assert adjusted_rand_score(truth[keep], result.labels[keep]) == pytest.approx(1.0)
    assert result.space == "projection"


def test_auto_eps_is_the_knee_of_the_k_distance_curve() -> None:
    x = np.array([[0.0], [1.0], [3.0], [6.0], [10.0]], np.float32)
    # distance to the nearest other point, sorted: 1, 1, 2, 3, 4 -> scaled 0, 0, 1/3, 2/3, 1
    # against positions 0, 1/4, 1/2, 3/4, 1: the largest gap (1/4) is at the second value, 1.0
    assert auto_eps(x, 1) == pytest.approx(1.0)


@pytest.mark.parametrize("kwargs,name", [
    ({"method": "kmeans", "k": 1}, "k"),
    ({"method": "kmeans", "k": 60}, "k"),
    ({"method": "spectral"}, "method"),
    ({"method": "dbscan", "eps": -1.0}, "eps"),
    ({"method": "dbscan", "min_samples": 0}, "min_samples"),
    ({"method": "hdbscan", "min_cluster_size": 1}, "min_cluster_size"),
    ({"method": "kmeans", "eps": 1.0}, "eps"),
    ({"method": "kmeans", "space": "umap"}, "space"),
])
def test_bad_parameters(kwargs: dict, name: str) -> None:
    x, _ = blobs()
    with pytest.raises(ExplorerError, match=name):
        cluster(x, **kwargs)


def test_k_sweep_peaks_at_the_planted_k() -> None:
    x, _ = blobs()
    df = k_sweep(x, [2, 3, 4, 5])
    assert list(df.columns) == ["k", "silhouette", "inertia"]
    assert int(df.loc[df["silhouette"].idxmax(), "k"]) == 3
    assert (np.diff(df["inertia"]) < 0).all()
    with pytest.raises(ExplorerError, match="ks"):
        k_sweep(x, [1])


def test_cluster_members_nearest_centre_first() -> None:
    x = np.array([[0.0], [1.0], [10.0], [50.0], [52.0]], np.float32)
    labels = np.array([0, 0, 0, -1, 1])
    # cluster 0 centre = 11/3: distances 3.67, 2.67, 6.33 -> b, a, c; noise left out
    members = cluster_members(x, labels, ["a", "b", "c", "d", "e"], top=20)
    assert members == {0: ["b", "a", "c"], 1: ["e"]}
    assert cluster_members(x, labels, ["a", "b", "c", "d", "e"], top=1) == {0: ["b"], 1: ["e"]}
