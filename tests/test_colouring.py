"""Colourings of a map (explorer.analysis.colouring) and clustering spaces (explorer.analysis.spaces)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from explorer.analysis import colouring, spaces
from explorer.errors import ExplorerError
from explorer.runs import atomic_run_dir, cache, load_run, save_labels, save_vectors, saved_clusterings, write_config
from explorer.runs import layout as L


def make_words(path: Path) -> Path:
    with atomic_run_dir(path) as tmp:
        save_vectors(tmp, np.random.default_rng(0).normal(size=(6, 3)).astype(np.float32),
                     ["a", "b", "c", "d", "e", "f"], [1, 9, 99, 0, 0, 0])
        save_labels(tmp, {"a": "x", "b": "y"})
        write_config(tmp, "skipgram", {"dim": 3}, {})
    return path


def make_items(path: Path) -> Path:
    with atomic_run_dir(path) as tmp:
        np.save(tmp / L.USERS, np.ones((2, 2), np.float32))
        np.save(tmp / L.ITEMS, np.eye(3, 2, dtype=np.float32))
        np.save(tmp / L.ITEM_BIAS, np.zeros(3, np.float32))
        (tmp / L.USERS_TSV).write_text("user\nu1\nu2\n", encoding="utf-8")
        (tmp / L.ITEMS_TSV).write_text("item\tgenre\tid2\ni1\tDrama|Comedy\t1\ni2\tComedy\t2\ni3\t\t3\n",
                                       encoding="utf-8")
        write_config(tmp, "useritem", {"dim": 2}, {})
    return path


def test_word_run_colourings(tmp_path: Path) -> None:
    run = load_run(make_words(tmp_path / "w"))
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
    run = load_run(make_items(tmp_path / "u"))
    assert colouring.metadata_columns(run) == ["genre", "id2"]
    assert colouring.colour_options(run, users=True)[:4] == ["type", "meta:genre", "meta:id2", "popularity"]
    # without users, "colour by genre" comes first (the default); labels.tsv would repeat it
    assert colouring.colour_options(run, users=False)[:3] == ["meta:genre", "meta:id2", "popularity"]
    assert colouring.colour_values(run, "meta:genre", users=True) == ("category", ["Drama", "Comedy", "", "", ""])
    assert colouring.colour_values(run, "type", users=True) == ("category", ["item"] * 3 + ["user"] * 2)
    assert colouring.colour_values(run, "meta:nope") is None


def test_spaces_offer_cached_projections_only(tmp_path: Path) -> None:
    run = load_run(make_words(tmp_path / "w"))
    assert spaces.space_options(run) == ["vectors", "pca2"]
    with pytest.raises(ExplorerError, match="tsne2: no cached projection"):
        spaces.space_points(run, "tsne2")
    coords = np.arange(12, dtype=np.float32).reshape(6, 2)
    assert cache.write_array(cache.projection_file(run.path, "tsne", 2, 0, {"perplexity": 5}), coords)
    assert spaces.space_options(run) == ["vectors", "pca2", "tsne2"]
    np.testing.assert_array_equal(spaces.space_points(run, "tsne2"), coords)
    assert spaces.space_stamp(run, "tsne2") > 0 and spaces.space_stamp(run, "vectors") == 0
    assert spaces.space_points(run, "pca2").shape == (6, 2)
