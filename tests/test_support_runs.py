"""The run builders of tests/support/runs.py: one per run kind, each writing a run that loads and validates."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import partial
from pathlib import Path

import numpy as np
import pytest

from explorer.runs import layout as L
from explorer.runs import load_run
from tests.support.runs import (
    documents_run,
    encoder_run,
    glove_run,
    gnn_run,
    graph_run,
    imported_documents_run,
    imported_run,
    sif_run,
    useritem_run,
    words_run,
)

VECTORS = np.arange(6, dtype=np.float32).reshape(3, 2)
BUILDERS: dict[str, Callable[[Path], Path]] = {
    "skipgram": partial(words_run, tokens=["cat", "dog", "猫"], vectors=VECTORS),
    "glove": partial(glove_run, tokens=["cat", "dog", "猫"], vectors=VECTORS),
    "useritem": partial(useritem_run, users=VECTORS[:2], items=VECTORS),
    "graph": partial(graph_run, nodes=["a", "b", "c"], vectors=VECTORS, degrees=[2, 1, 1]),
    "gnn": partial(gnn_run, nodes=["a", "b", "c"], vectors=VECTORS, degrees=[1, 1, 0]),
    "imported": partial(imported_run, tokens=["cat", "dog", "猫"], vectors=VECTORS),
    "doc2vec": partial(documents_run, texts=["a cat", "a dog", "一只猫"], vectors=VECTORS),
    "encoder": partial(encoder_run, texts=["a cat", "a dog", "一只猫"], vectors=VECTORS),
    "sif": partial(sif_run, texts=["a cat", "a dog", "一只猫"], vectors=VECTORS),
    "imported_documents": partial(imported_documents_run, texts=["a cat", "a dog", "一只猫"], vectors=VECTORS),
}


def test_every_run_kind_has_a_builder() -> None:
    assert set(BUILDERS) == set(L.run_kinds())


@pytest.mark.parametrize("kind", sorted(BUILDERS))
def test_each_builder_writes_a_valid_run_of_its_kind(tmp_path: Path, kind: str) -> None:
    path = BUILDERS[kind](tmp_path / "run")
    run = load_run(path)
    assert run.kind == kind
    files = {p.name for p in path.iterdir()}
    assert set(L.required_files(kind)) | {L.METRICS} == files
    config = json.loads((path / L.CONFIG).read_text(encoding="utf-8"))
    assert config["config"] == {"dim": 2} and config["data"] == {} and config["name"] == ""


def test_words_run_options(tmp_path: Path) -> None:
    run = load_run(words_run(tmp_path / "r", ["a", "b"], [[1, 0], [0, 1]], counts=[5, 3], labels={"a": "x"},
                             config={"dim": 2, "epochs": 3}, data={"corpus": "c.txt"}, name="mine",
                             metrics={"loss_per_epoch": [1.0]}))
    assert run.tokens == ["a", "b"] and run.counts.tolist() == [5, 3] and run.labels == {"a": "x"}
    assert run.name == "mine" and run.config["config"]["epochs"] == 3 and run.metrics == {"loss_per_epoch": [1.0]}
    assert run.vectors.dtype == np.float32


def test_useritem_run_options(tmp_path: Path) -> None:
    run = load_run(useritem_run(tmp_path / "r", [[1, 0]], [[1, 0], [0, 1]], user_ids=["ann"], item_ids=["x", "y"],
                                item_columns={"title": ["Ex", "Why"]}, item_bias=[0.5, 0], item_counts=[2, 1],
                                interactions={"user": np.array([0, 0], np.int32), "item": np.array([0, 1], np.int32),
                                              "label": np.ones(2, np.float32)}))
    assert run.user_ids == ["ann"] and run.item_ids == ["x", "y"] and run.item_titles == ["Ex", "Why"]
    assert run.item_bias.tolist() == [0.5, 0.0]
    assert {L.ITEM_COUNTS, L.INTERACTIONS} <= {p.name for p in run.path.iterdir()}
