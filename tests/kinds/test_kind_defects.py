"""The graph kind's three defects of the last round, each fixed by asking the kind (one test each; the
gallery's display name is an AppTest in test_kind_gallery_page.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from explorer import kinds
from explorer.errors import ExplorerError
from explorer.jobs import classes, lanes
from explorer.samples.files import sample_files


def _sparse(path: Path, size: int) -> Path:
    """A file of ``size`` bytes that takes no disk space (estimates and limits read only its size)."""
    with open(path, "wb") as fh:
        fh.truncate(size)
    return path


def test_a_million_edge_graph_job_is_estimated_long_and_takes_the_training_lane(tmp_path: Path) -> None:
    edges = _sparse(tmp_path / "edges.tsv", 12_000_000)  # ~1,000,000 lines "1234 5678"
    big = kinds.spec_from_dict({"kind": "graph", "data": {"edges": str(edges)}})
    job = lanes.QueuedJob("big", "ws", "graph", json.dumps(big.to_dict()))
    assert job.estimate_s > 60 * lanes.LONG_AFTER_S and job.long
    karate = kinds.training_kind("graph").sample_data()
    small = kinds.spec_from_dict({"kind": "graph", "data": {"edges": karate["path"]}})
    assert not lanes.QueuedJob("small", "ws", "graph", json.dumps(small.to_dict())).long
    # a long job waits for the training lane: the interactive process of a 2-process worker never takes it
    assert lanes.pick([job], [], "w1", concurrency=2, may_run_long=False) is None
    assert lanes.pick([job], [], "w1", concurrency=2, may_run_long=True) is job


def test_a_graphs_edge_file_and_a_logs_item_metadata_count_against_the_class_input_limit(tmp_path: Path) -> None:
    info = classes.create_class("C", classes.Limits(max_corpus_mb=1.0))
    ann = classes.join(info.code, "Ann")
    edges = _sparse(tmp_path / "edges.tsv", 3 * 2**20)
    graph = kinds.spec_from_dict({"kind": "graph", "data": {"edges": str(edges)}})
    with pytest.raises(ExplorerError, match=r"^edges: 3\.0 MB, the class allows at most 1 MB$") as refused:
        classes.check_submit(ann.workspace, graph)
    assert refused.value.code == "class_limit_corpus" and refused.value.params["field"] == "edges"
    log = sample_files().interactions  # small: within the limit
    items = _sparse(tmp_path / "items.csv", 2 * 2**20)
    useritem = kinds.spec_from_dict({"kind": "useritem", "data": {"interactions": str(log), "items": str(items)}})
    with pytest.raises(ExplorerError, match=r"^items: 2\.0 MB") as refused:
        classes.check_submit(ann.workspace, useritem)
    assert refused.value.params["field"] == "items"
    classes.check_submit(ann.workspace, kinds.spec_from_dict({"kind": "useritem", "data": {"interactions": str(log)}}))
