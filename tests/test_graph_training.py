"""The graph kind end to end: known answers (karate club's factions, planted communities, an
obvious link-prediction graph), reproducibility, cancel, the run directory and the registry."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from explorer.errors import ExplorerError, TrainingStopped
from explorer.graph import evaluation as ev
from explorer.graph.io import Graph, build_csr
from explorer.graph.samples import planted_partition, sample_graph, write_sample_graph
from explorer.kinds import GraphConfig, spec_from_dict, training_kind
from explorer.runs import load_run
from explorer.training import run_training
from explorer.training.graph import train_node_vectors


def karate() -> tuple[Graph, dict[str, str]]:
    edges, labels = sample_graph("karate")
    from explorer.graph.io import _assemble

    return _assemble([a for a, _, _ in edges], [b for _, b, _ in edges], None, False, "karate"), labels


@pytest.mark.parametrize("seed", [0, 2])
def test_karate_club_factions_separated(seed: int) -> None:
    g, labels = karate()
    assert g.n_nodes == 34 and g.n_edges == 78
    r = train_node_vectors(g.csr(), GraphConfig(dim=16, seed=seed, workers=1))
    found = ev.cluster_agreement(r.vectors, g.nodes, labels, seed)
    # K-Means with two clusters puts at most one of the 34 members in the other faction
    assert found["ari"] > 0.85
    # and every member is closer to its own faction's centre
    u = r.vectors / np.linalg.norm(r.vectors, axis=1, keepdims=True)
    hi = np.array([labels[n] == "Mr. Hi" for n in g.nodes])
    own = np.where(hi, u @ u[hi].mean(0), u @ u[~hi].mean(0))
    other = np.where(hi, u @ u[~hi].mean(0), u @ u[hi].mean(0))
    assert (own > other).mean() >= 32 / 34


def test_one_worker_is_reproducible() -> None:
    g, _ = karate()
    cfg = GraphConfig(dim=8, walk="node2vec", p=0.5, q=2.0, walks_per_node=4, workers=1, seed=7)
    a = train_node_vectors(g.csr(), cfg)
    b = train_node_vectors(g.csr(), cfg)
    np.testing.assert_array_equal(a.vectors, b.vectors)
    cfg.seed = 8
    assert not np.array_equal(a.vectors, train_node_vectors(g.csr(), cfg).vectors)
    assert a.n_walks == 4 * 34 and a.n_steps == 4 * 34 * 80


def test_two_workers_train_too() -> None:
    g, labels = karate()
    r = train_node_vectors(g.csr(), GraphConfig(dim=16, workers=2))
    assert r.workers == 2 and np.isfinite(r.vectors).all()
    assert ev.cluster_agreement(r.vectors, g.nodes, labels)["ari"] > 0.6


def test_cancel_stops_and_reports_progress() -> None:
    g, _ = karate()
    seen = []

    def callback(p):
        seen.append(p)
        return p.progress > 0

    with pytest.raises(TrainingStopped):
        train_node_vectors(g.csr(), GraphConfig(dim=8, epochs=3, workers=1), callback)
    assert seen[0].message and any(p.progress > 0 for p in seen)


def ring_of_cliques(k: int = 20, size: int = 8) -> Graph:
    from explorer.graph.io import _assemble

    pairs = []
    for c in range(k):
        nodes = [c * size + i for i in range(size)]
        pairs += [(a, b) for i, a in enumerate(nodes) for b in nodes[i + 1:]]
        pairs.append((c * size, ((c + 1) % k) * size + 1))
    return _assemble([str(a) for a, _ in pairs], [str(b) for _, b in pairs], None, False, "ring")


def test_link_prediction_obvious_answer() -> None:
    g = ring_of_cliques()
    held = ev.holdout_edges(g, 0.1, seed=0)
    assert len(held.positives) == round(0.1 * g.n_edges) == len(held.negatives)
    assert (held.train.degrees > 0).all()  # no node lost its last edge
    full = {tuple(e) for e in g.edges.tolist()}
    assert all(tuple(sorted(p)) not in full for p in held.negatives.tolist())
    r = train_node_vectors(held.train.csr(), GraphConfig(dim=16, workers=1))
    assert ev.link_prediction_auc(r.vectors, held.positives, held.negatives)["auc"] > 0.95


def test_evaluation_on_hand_made_vectors() -> None:
    vectors = np.array([[1, 0], [1, 0.1], [0, 1], [0.1, 1]], np.float32)
    out = ev.link_prediction_auc(vectors, np.array([[0, 1], [2, 3]]), np.array([[0, 2], [1, 3]]))
    assert out["auc"] == 1.0 and out["n_edges"] == 2
    nodes = ["a", "b", "c", "d"]
    labels = {"a": "x", "b": "x", "c": "y", "d": "y"}
    assert ev.cluster_agreement(vectors, nodes, labels)["nmi"] == pytest.approx(1.0)
    clf = ev.node_classification(np.repeat(vectors, 3, axis=0), [f"{n}{i}" for n in nodes for i in range(3)],
                                 {f"{n}{i}": labels[n] for n in nodes for i in range(3)})
    assert clf["macro_f1"] == 1.0 and "50% train / 50% test" in clf["split"]
    assert ev.node_classification(vectors, nodes, {"a": "x", "b": "x"}) is None  # one class


@pytest.mark.slow
def test_planted_partition_communities_recovered() -> None:
    edges, community = planted_partition()  # 1,000 nodes in 10 communities
    csr = build_csr(1000, edges, None, directed=False)
    r = train_node_vectors(csr, GraphConfig())
    labels = {str(i): str(c) for i, c in enumerate(community)}
    assert ev.cluster_agreement(r.vectors, [str(i) for i in range(1000)], labels)["nmi"] >= 0.9


def test_run_directory(tmp_path: Path) -> None:
    edges, labels = write_sample_graph("karate", tmp_path)
    spec = {"kind": "graph", "name": "club", "data": {"edges": str(edges), "labels": str(labels)},
            "config": {"dim": 8, "walks_per_node": 5, "workers": 1}}
    out = run_training(spec, tmp_path / "run")
    run = load_run(out)
    assert run.kind == "graph" and run.name == "club"
    assert run.vectors.shape == (34, 8) and run.vectors.dtype == np.float32
    degree = dict(zip(run.tokens, run.counts.tolist(), strict=True))
    assert degree["33"] == 17 and degree["0"] == 16 and run.tokens[0] == "33"  # by degree, highest first
    assert run.labels["0"] == "Mr. Hi" and len(run.labels) == 34
    metrics = json.loads((out / "metrics.json").read_text())
    assert metrics["link_prediction"]["n_edges"] == 8 and 0 <= metrics["link_prediction"]["auc"] <= 1
    assert metrics["node_classification"]["macro_f1"] > 0.5 and metrics["clusters"]["k"] == 2
    assert run.config["data"]["n_edges"] == 78 and run.hyper["walk"] == "deepwalk"
    for name in training_kind("graph").required_files:
        assert (out / name).is_file()


def test_registry_and_spec_errors(tmp_path: Path) -> None:
    kind = training_kind("graph")
    assert kind.capabilities.words and kind.capabilities.graph
    spec = spec_from_dict({"kind": "graph", "data": {"edges": "/x.csv"}, "config": {"walk": "node2vec", "q": 0.5}})
    assert spec.config.q == 0.5 and spec.config.walk_length == 80 and spec.config.dim == 64
    with pytest.raises(ExplorerError, match="walk must be one of deepwalk, node2vec"):
        spec_from_dict({"kind": "graph", "data": {"edges": "/x"}, "config": {"walk": "bfs"}})
    with pytest.raises(ExplorerError, match="p must be greater than 0"):
        spec_from_dict({"kind": "graph", "data": {"edges": "/x"}, "config": {"p": 0}})
    with pytest.raises(ExplorerError, match="data.edges is required"):
        spec_from_dict({"kind": "graph", "data": {}, "config": {}})
    bad = tmp_path / "loops.txt"
    bad.write_text("a a\n")
    with pytest.raises(ExplorerError, match="self-loops"):
        run_training({"kind": "graph", "data": {"edges": str(bad)}}, tmp_path / "run")
    assert not (tmp_path / "run").exists()
