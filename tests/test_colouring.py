"""Colourings of a map (explorer.analysis.colouring) and clustering spaces (explorer.analysis.spaces)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from explorer.analysis import colouring, spaces
from explorer.errors import ExplorerError
from explorer.runs import cache, load_run, saved_clusterings
from tests.support.runs import useritem_run, words_run

WORDS = {"tokens": ["a", "b", "c", "d", "e", "f"], "vectors": np.random.default_rng(0).normal(size=(6, 3)),
         "counts": [1, 9, 99, 0, 0, 0], "labels": {"a": "x", "b": "y"}}
ITEMS = {"users": np.ones((2, 2)), "items": np.eye(3, 2), "user_ids": ["u1", "u2"], "item_ids": ["i1", "i2", "i3"],
         "item_columns": {"genre": ["Drama|Comedy", "Comedy", ""], "id2": ["1", "2", "3"]}}


def test_word_run_colourings(tmp_path: Path) -> None:
    run = load_run(words_run(tmp_path / "w", **WORDS))
    assert colouring.colour_options(run, users=False) == ["label", "frequency", "cluster", "none"]
    assert colouring.colour_values(run, "label") == ("category", ["x", "y", "", "", "", ""])
    kind, values = colouring.colour_values(run, "frequency")
    assert kind == "number" and values[2] == pytest.approx(2.0)  # log10(1 + 99)
    kind, found = colouring.colour_values(run, "cluster", n_clusters=2)
    assert kind == "category" and len(set(found)) == 2
    saved_clusterings.save_clustering(run.path, np.array([0, 0, 1, 1, -1, 1]), "kmeans", {"k": 2}, "vectors")
    assert "saved:kmeans-k2-vectors" in colouring.colour_options(run, users=False)
    assert colouring.colour_values(run, "saved:kmeans-k2-vectors") == ("category", ["0", "0", "1", "1", "", "1"])
    assert colouring.colour_values(run, "none") is None


def test_item_run_colourings_parse_the_first_genre(tmp_path: Path) -> None:
    run = load_run(useritem_run(tmp_path / "u", **ITEMS))
    assert colouring.metadata_columns(run) == ["genre", "id2"]
    assert colouring.colour_options(run, users=True)[:4] == ["type", "meta:genre", "meta:id2", "popularity"]
    # without users, "colour by genre" comes first (the default); labels.tsv would repeat it
    assert colouring.colour_options(run, users=False)[:3] == ["meta:genre", "meta:id2", "popularity"]
    assert colouring.colour_values(run, "meta:genre", users=True) == ("category", ["Drama", "Comedy", "", "", ""])
    assert colouring.colour_values(run, "type", users=True) == ("category", ["item"] * 3 + ["user"] * 2)
    assert colouring.colour_values(run, "meta:nope") is None


def test_spaces_offer_cached_projections_only(tmp_path: Path) -> None:
    run = load_run(words_run(tmp_path / "w", **WORDS))
    assert spaces.space_options(run) == ["vectors", "pca2"]
    with pytest.raises(ExplorerError, match="tsne2: no cached projection"):
        spaces.space_points(run, "tsne2")
    coords = np.arange(12, dtype=np.float32).reshape(6, 2)
    assert cache.write_array(cache.projection_file(run.path, "tsne", 2, 0, {"perplexity": 5}), coords)
    assert spaces.space_options(run) == ["vectors", "pca2", "tsne2"]
    np.testing.assert_array_equal(spaces.space_points(run, "tsne2"), coords)
    assert spaces.space_stamp(run, "tsne2") > 0 and spaces.space_stamp(run, "vectors") == 0
    assert spaces.space_points(run, "pca2").shape == (6, 2)
