"""The gnn kind (GCN / GAT with PyTorch Geometric): known answers on toy graphs, semi-supervised scores, the
inductive embedding of a new node, features files (good and bad), offline training, the registry and the CLI."""

from __future__ import annotations

import json
import socket
import sys
from pathlib import Path

import numpy as np
import pytest

from explorer import kinds
from explorer.cli import build_parser, main
from explorer.errors import ExplorerError, TrainingStopped
from explorer.graph.samples import planted_partition
from explorer.i18n import error_text
from explorer.kinds import spec_from_dict, training_kind
from explorer.runs import load_run
from explorer.training import run_training

FAST = {"epochs": 80, "workers": 1, "dim": 16}


def write_edges(path: Path, edges: list[tuple[str, str]]) -> Path:
    path.write_text("source\ttarget\n" + "".join(f"{a}\t{b}\n" for a, b in edges), encoding="utf-8")
    return path


def two_cliques(size: int = 6) -> list[tuple[str, str]]:
    """Two cliques a0..a5 and b0..b5 joined by one bridge a0-b0."""
    edges = []
    for side in "ab":
        edges += [(f"{side}{i}", f"{side}{j}") for i in range(size) for j in range(i + 1, size)]
    return edges + [("a0", "b0")]


def train(tmp_path: Path, edges: Path, name: str = "run", **config: object) -> Path:
    data = {k: str(config.pop(k)) for k in ("labels", "features") if k in config}
    spec = spec_from_dict({"kind": "gnn", "data": {"edges": str(edges), **data}, "config": {**FAST, **config}})
    return run_training(spec, tmp_path / name)


def unit(x: np.ndarray) -> np.ndarray:
    return x / np.linalg.norm(x, axis=1, keepdims=True)


@pytest.fixture(scope="module")
def cliques_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("gnn-cliques")
    return train(tmp, write_edges(tmp / "cliques.tsv", two_cliques()), holdout=0.0, epochs=150)


# --------------------------------------------------------------------------- known answers


@pytest.mark.slow
@pytest.mark.parametrize("encoder", ["gcn", "gat"])
def test_two_cliques_and_a_bridge_give_two_clusters(tmp_path: Path, encoder: str) -> None:
    from sklearn.cluster import KMeans
    from sklearn.metrics import adjusted_rand_score

    run = load_run(train(tmp_path, write_edges(tmp_path / "e.tsv", two_cliques()), encoder=encoder, holdout=0.0,
                         epochs=150))
    truth = [t[0] for t in run.tokens]
    found = KMeans(2, n_init=10, random_state=0).fit_predict(unit(np.asarray(run.vectors)))
    assert adjusted_rand_score(truth, found) == 1.0
    assert run.metrics["encoder"] == encoder and run.metrics["objective"] == "graph auto-encoder"
    assert run.metrics["loss_per_epoch"][-1] < run.metrics["loss_per_epoch"][0]


@pytest.mark.slow
def test_semi_supervised_accuracy_on_a_planted_partition(tmp_path: Path) -> None:
    edges, community = planted_partition(n_communities=4, size=40, degree_in=8, degree_out=1.5, seed=3)
    path = write_edges(tmp_path / "planted.tsv", [(f"n{a}", f"n{b}") for a, b in edges.tolist()])
    labels = tmp_path / "labels.csv"
    labels.write_text("node,label\n" + "".join(f"n{i},c{c}\n" for i, c in enumerate(community)), encoding="utf-8")
    run = load_run(train(tmp_path, path, labels=labels, label_rate=0.1, epochs=120))
    m = run.metrics
    assert m["split"]["train"] == 16 and m["split"]["validation"] == 144 and m["split"]["classes"] == 4
    assert m["node_accuracy"] >= 0.9 and m["node_macro_f1"] >= 0.9
    assert 0.5 < m["link_prediction"]["auc"] <= 1.0 and m["objective"].startswith("semi-supervised")
    assert training_kind("gnn").key_numbers(m)["accuracy"] == m["node_accuracy"]
    assert len(run.labels) == 160  # labels.tsv for colours, as the graph kind keeps it

    every = load_run(train(tmp_path, path, "all", labels=labels, label_rate=1.0, epochs=20))
    assert every.metrics["split"]["validation"] == 0 and "node_accuracy" not in every.metrics


# --------------------------------------------------------------------------- inductive


@pytest.mark.slow
def test_a_new_node_lands_next_to_its_neighbours(cliques_run: Path) -> None:
    from explorer.training.gnn.run import embed_new_node

    run = load_run(cliques_run)
    vectors = unit(np.asarray(run.vectors))
    for side in "ab":
        new = embed_new_node(cliques_run, [f"{side}1", f"{side}2", f"{side}3"])
        scores = vectors @ (new / np.linalg.norm(new))
        nearest = [run.tokens[i] for i in np.argsort(-scores)[:5]]
        assert all(t.startswith(side) for t in nearest), nearest


@pytest.mark.slow
def test_embed_node_on_the_command_line(cliques_run: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["embed-node", str(cliques_run), "--edges", "b1,b2"]) == 0
    vector = json.loads(capsys.readouterr().out)
    assert len(vector) == 16 and all(isinstance(v, float) for v in vector)
    assert main(["embed-node", str(cliques_run), "--edges", "b1,nope"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "'nope'" in err
    assert main(["embed-node", str(cliques_run), "--edges", "b1", "--features", "1,2"]) == 2
    assert "0 feature column" in capsys.readouterr().err
    assert main(["embed-node", str(cliques_run), "--edges", " , "]) == 2
    assert "at least one node" in capsys.readouterr().err


def test_embed_node_refuses_a_walk_run(tmp_path: Path) -> None:
    from tests.support.runs import graph_run

    path = graph_run(tmp_path / "walks", ["a", "b"], np.eye(2, dtype=np.float32))
    with pytest.raises(ExplorerError) as refused:
        training_kind("graph").node_vector(path, ["a"])
    assert refused.value.code == "kind_no_node_vector" and "gnn" in str(refused.value)
    assert error_text(refused.value, "zh") != error_text(refused.value, "en")


# --------------------------------------------------------------------------- features


@pytest.mark.slow
def test_a_features_file_drives_the_vectors_and_embed_node_takes_features(tmp_path: Path) -> None:
    """Features alone (no ids, no edges between the groups' meaning) separate two groups of a ring."""
    n = 24
    edges = [(f"v{i}", f"v{(i + 1) % n}") for i in range(n)]
    feats = tmp_path / "features.csv"
    feats.write_text("id,x,y\n" + "".join(f"v{i},{1.0 if i % 2 else -1.0},{0.1 * (i % 3)}\n" for i in range(n)),
                     encoding="utf-8")
    run_dir = train(tmp_path, write_edges(tmp_path / "ring.tsv", edges), features=feats, holdout=0.0, epochs=100,
                    encoder="gcn")
    run = load_run(run_dir)
    assert run.metrics["features"] == {"source": "file", "columns": 2, "node_ids": False, "missing_rows": 0}
    meta = json.loads((run_dir / "gnn_model.json").read_text())
    assert meta["scaler"]["columns"] == ["x", "y"] and meta["n_ids"] == 0
    from explorer.training.gnn.run import embed_new_node

    a = embed_new_node(run_dir, ["v0"], "1,0")
    b = embed_new_node(run_dir, ["v0"], "-1,0")
    assert not np.allclose(a, b)  # the new node's own features count


def test_graphml_node_attributes_are_features(tmp_path: Path) -> None:
    import networkx as nx

    from explorer.graph.io import read_graph
    from explorer.training.gnn.features import read_graph_attributes

    g = nx.Graph()
    g.add_node("a", size=1.5, colour="red", flag=True)
    g.add_node("b", size=2.5, colour="blue", flag=False)
    g.add_node("c", size=3)
    g.add_edges_from([("a", "b"), ("b", "c")])
    path = tmp_path / "g.graphml"
    nx.write_graphml(g, path)
    graph = read_graph(path)
    table = read_graph_attributes(path, graph.index)
    assert table is not None and table.columns == ["size"] and table.source == "attributes"
    assert sorted(table.values[:, 0].tolist()) == [1.5, 2.5, 3.0]
    assert read_graph_attributes(write_edges(tmp_path / "e.tsv", [("a", "b")]), graph.index) is None


BAD_FEATURES = {
    "unknown ids": ("id,x\na,1\nzz,2\n", "gnn_features_unknown_ids", "'zz'"),
    "not a number": ("id,x\na,1\nb,tall\n", "gnn_features_not_number", "'tall'"),
    "NaN": ("id,x\na,1\nb,nan\n", "gnn_features_not_finite", "NaN"),
    "infinite": ("id,x\na,inf\n", "gnn_features_not_finite", "infinite"),
    "too many columns": ("id," + ",".join(f"f{i}" for i in range(1001)) + "\n", "gnn_features_too_many_columns",
                         "1,001 feature columns"),
    "missing id column": ("x,y\n1,2\n3,4\n", "gnn_features_no_id_column", "node ids"),
    "only an id column": ("id\na\nb\n", "gnn_features_no_columns", "at least one feature column"),
    "ragged": ("id,x,y\na,1\n", "gnn_features_ragged", "line 2"),
    "repeated id": ("id,x\na,1\na,2\n", "gnn_features_repeated_id", "second row"),
    "empty": ("\n", "gnn_features_empty", "no rows"),
}


@pytest.mark.parametrize("case", sorted(BAD_FEATURES))
def test_a_bad_features_file_is_refused_in_one_line_naming_the_file(tmp_path: Path, case: str) -> None:
    from explorer.training.gnn.features import read_features_file

    text, code, words = BAD_FEATURES[case]
    path = tmp_path / "my_features.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ExplorerError) as refused:
        read_features_file(path, {"a": 0, "b": 1, "c": 2})
    message = str(refused.value)
    assert refused.value.code == code and words in message and "\n" not in message
    assert message.startswith("my_features.csv: ")
    zh = error_text(refused.value, "zh")
    assert zh.startswith("my_features.csv：") and zh != message and "\n" not in zh


@pytest.mark.slow
def test_a_bad_features_file_stops_the_cli_with_one_error_line(tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    edges = write_edges(tmp_path / "e.tsv", two_cliques(3))
    feats = tmp_path / "f.csv"
    feats.write_text("id,x\na0,1\na1,nan\n", encoding="utf-8")
    code = main(["train", "gnn", "--edges", str(edges), "--features", str(feats), "--out", str(tmp_path / "r"),
                 "--epochs", "2"])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and err[-1].startswith("error: f.csv: line 3: column 'x'") and not (tmp_path / "r").exists()


# --------------------------------------------------------------------------- offline, no compiled extras


@pytest.mark.slow
def test_training_needs_no_network_and_no_compiled_extras(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError("network blocked by the test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    for encoder in ("gcn", "gat"):
        run = load_run(train(tmp_path, write_edges(tmp_path / "e.tsv", two_cliques(4)), encoder, encoder=encoder,
                             epochs=3))
        assert run.metrics["backend"] == "torch_geometric"
    for extra in ("torch_scatter", "torch_sparse", "pyg_lib", "torch_cluster"):
        assert extra not in sys.modules


# --------------------------------------------------------------------------- training loop: cancel, frames


@pytest.mark.slow
def test_cancel_writes_nothing_and_frames_are_kept_per_epoch(tmp_path: Path) -> None:
    from explorer.kinds.gnn import GnnConfig
    from explorer.training.gnn import trainer as T

    edges = np.array([[0, 1], [1, 2], [2, 0], [2, 3]])
    graph = T.GraphTensors(np.zeros((4, 1), np.float32), T.edge_index_of(edges), 4)
    seen: list[int] = []
    with pytest.raises(TrainingStopped):
        T.train_gnn(graph, GnnConfig(epochs=50, dim=4, workers=1),
                    callback=lambda p: seen.append(p.epoch) or p.epoch >= 3)
    assert max(seen) == 3
    result = T.train_gnn(graph, GnnConfig(epochs=10, dim=4, frames=10, workers=1))
    assert result.frames is not None and result.frames.plan.n_frames == 11
    assert len(result.frames.frames) == 11 and result.frames.meta[-1]["epoch"] == 10
    np.testing.assert_allclose(result.frames.frames[-1], result.vectors.astype(np.float16))
    stopped = tmp_path / "stopped"
    spec = spec_from_dict({"kind": "gnn", "data": {"edges": str(write_edges(tmp_path / "e.tsv", two_cliques(3)))},
                           "config": {"epochs": 5, "workers": 1}})
    with pytest.raises(TrainingStopped):
        run_training(spec, stopped, callback=lambda p: p.stage == "train" and p.epoch >= 2)
    assert not stopped.exists() or not any(stopped.iterdir())


def test_labels_are_split_by_class_with_at_least_one_training_node_each() -> None:
    from explorer.training.gnn.trainer import split_labels

    nodes = [f"n{i}" for i in range(30)]
    labels = {f"n{i}": ("x" if i < 25 else "y") for i in range(28)}
    split = split_labels(labels, nodes, 0.1, seed=1)
    assert split.classes == ["x", "y"] and (split.y[28:] == -1).all()
    assert len(split.train) == 2 + 1 and len(split.validation) == 23 + 2  # round(2.5) = 2 of x, 1 (at least) of y
    assert not set(split.train) & set(split.validation)
    assert split_labels(labels, nodes, 0.1, seed=1).train.tolist() == split.train.tolist()  # seeded


# --------------------------------------------------------------------------- registry and CLI


def test_the_registry_generates_the_cli_flags_and_the_kind_answers() -> None:
    kind = training_kind("gnn")
    assert kind.capabilities.nodes and kind.capabilities.labels and kind.capabilities.frames
    action = next(a for a in build_parser()._actions if a.dest == "command")
    flags = {o for a in action.choices["train"]._subparsers._group_actions[0].choices["gnn"]._actions
             for o in a.option_strings}
    assert {"--edges", "--labels", "--features", "--encoder", "--label-rate", "--dim", "--epochs", "--seed",
            "--out"} <= flags
    gcn = spec_from_dict({"kind": "gnn", "data": {"edges": "e.tsv"}, "config": {}})
    gat = spec_from_dict({"kind": "gnn", "data": {"edges": "e.tsv"}, "config": {"encoder": "gat"}})
    assert kind.estimate_seconds(gat, {"edges": 10**6}) > kind.estimate_seconds(gcn, {"edges": 10**6})
    assert kind.family(gat.config) == ("gnn", "gat") and kind.family(None) == ("gnn",)
    limited = kind.limited_fields(gcn)
    assert limited.epochs == 200 and limited.dim == 64 and set(limited.inputs) == {"edges"}
    with pytest.raises(ExplorerError, match="label_rate"):
        spec_from_dict({"kind": "gnn", "data": {"edges": "e.tsv"}, "config": {"label_rate": 0}})
    assert "gnn" in kinds.training_kinds() and kind.data_input is training_kind("graph").data_input


def test_embed_node_refuses_a_run_whose_model_is_missing_or_damaged(tmp_path: Path) -> None:
    from tests.support.runs import gnn_run

    path = gnn_run(tmp_path / "g", ["a", "b", "c"], np.eye(3, dtype=np.float32), degrees=[1, 1, 0])
    kind = training_kind("gnn")
    with pytest.raises(ExplorerError) as refused:
        kind.node_vector(path, ["a"])  # the builder's gnn_model.npz holds no weights
    assert refused.value.code == "gnn_model_damaged" and "gnn_model.npz" in str(refused.value)
    (path / "gnn_model.json").write_text('{"version": 99}', encoding="utf-8")
    with pytest.raises(ExplorerError, match="gnn_model.json is damaged"):
        kind.node_vector(path, ["a"])
