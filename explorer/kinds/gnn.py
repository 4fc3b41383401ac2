"""The gnn kind: node vectors from a graph neural network (GCN or GAT, PyTorch Geometric).

Without labels it trains a graph auto-encoder (link reconstruction) and scores link prediction on held-out edges,
as the graph kind does; with ``--labels`` it trains semi-supervised on ``--label-rate`` of the labelled nodes and
scores accuracy and macro-F1 on the others. Node features come from ``--features`` (or a GraphML/GEXF file's node
attributes), else from degrees and a learned vector per node (:mod:`explorer.training.gnn.features`). Its runs hold
``vectors.npy`` + ``vocab.tsv`` like the graph kind's, plus the model's weights (``gnn_model.npz``, arrays only) and
description (``gnn_model.json``), so ``embed-node`` can embed a node that was not in training.

    >>> KIND.required_files
    ('config.json', 'metrics.json', 'vectors.npy', 'vocab.tsv', 'gnn_model.npz', 'gnn_model.json', 'gnn_edges.npy', 'gnn_features.npy')
    >>> spec = TrainingSpec("gnn", GnnData(edges="e.tsv"), GnnConfig())
    >>> KIND.estimate_seconds(spec, {"edges": 12_000_000}) > 600  # a million edges: a long job
    True
    >>> KIND.family(GnnConfig(encoder="gat"))
    ('gnn', 'gat')
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

import explorer.kinds.files as F
from explorer.configs import SEED_MAX, check, param
from explorer.kinds.base import JOB_OVERHEAD_S, Capabilities, TrainingKind, TrainingSpec, data_field, load_runner
from explorer.kinds.graph import BYTES_PER_EDGE
from explorer.kinds.graph import KIND as GRAPH_KIND

#: full-batch epochs: (4 x edges x dim) per second on one busy core (bench/results_gnn.md: 10,000 nodes, 50,000
#: edges, dim 64 took 0.38 s per epoch on the shared 2-core machine at load 11)
EDGE_DIMS_PER_S = 30_000_000.0
GAT_COST = 4.0  # attention heads and their softmax cost about this much more than GCN's sums
MODEL_WEIGHTS = "gnn_model.npz"
MODEL_META = "gnn_model.json"
EDGES_FILE = "gnn_edges.npy"
FEATURES_FILE = "gnn_features.npy"


@dataclass
class GnnData:
    """The graph a GNN run reads, and optional node labels (semi-supervised) and node features."""

    edges: str = data_field(help="graph file: edge list (.csv/.tsv/.txt, lines 'source target [weight]'), "
                                 ".graphml, .gml or .gexf (GraphML/GEXF numeric node attributes are features)",
                            file=True)
    labels: Optional[str] = data_field(None, "file of node,label rows: trains semi-supervised on --label-rate of "
                                             "them, scores the others (default: none, unsupervised)", file=True)
    features: Optional[str] = data_field(None, "CSV of node features: a header, then id,value,... per node "
                                               "(default: degree + a learned vector per node)", file=True)
    edges_name: Optional[str] = None  # the user's file names of uploads stored under their hash
    labels_name: Optional[str] = None
    features_name: Optional[str] = None


@dataclass
class GnnConfig:
    """A two-layer GCN or GAT encoder trained with PyTorch Geometric (explorer.training.gnn)."""

    encoder: str = param("gcn", "gcn (normalised sum of neighbours) or gat (attention over neighbours)",
                         choices=("gcn", "gat"))
    dim: int = param(64, "vector size (the last hidden layer)", min=2, max=1000)
    epochs: int = param(200, "full passes over the graph (one optimiser step each)", min=1, max=10000)
    lr: float = param(0.01, "Adam's learning rate", min=0.0, max=1.0, min_exclusive=True)
    dropout: float = param(0.5, "share of inputs dropped in training", min=0.0, max=0.9)
    label_rate: float = param(0.1, "share of the labelled nodes trained on; the rest are held out and scored "
                                   "(1: all, no score)", min=0.0, max=1.0, min_exclusive=True)
    node_ids: str = param("auto", "learn a vector per node (auto: without a features file, up to 100,000 nodes)",
                          choices=("auto", "yes", "no"))
    holdout: float = param(0.1, "share of edges held out of training, to score link prediction (0 disables)",
                           min=0.0, max=0.5)
    frames: int = param(0, "frames kept to watch the model learn (0: none)", min=0, max=200)
    workers: int = param(0, "most CPU threads (0: all cores); one per 100,000 directed edges", min=0, max=256)
    seed: int = param(0, "seeds every random choice", min=0, max=SEED_MAX)

    def validate(self) -> GnnConfig:
        return check(self)


GnnSpec = TrainingSpec[GnnData, GnnConfig]


class GnnKind(TrainingKind):
    def estimate_seconds(self, spec: TrainingSpec, data_stats: Mapping[str, int]) -> float:
        """Epochs x edges (both directions, plus as many sampled non-edges) x dim, GAT costing more."""
        c = spec.config
        edges = data_stats.get("edges", 0) / BYTES_PER_EDGE
        work = c.epochs * 4 * edges * c.dim * (GAT_COST if c.encoder == "gat" else 1.0)
        return JOB_OVERHEAD_S + work / EDGE_DIMS_PER_S

    def family(self, settings: Any) -> tuple[str, ...]:
        """GCN and GAT runs are compared apart."""
        return (self.name,) if settings is None else (self.name, settings.encoder)

    def family_label_keys(self, settings: Any) -> tuple[str, ...]:
        return (self.label_key,) if settings is None else (self.label_key, f"common.encoder_{settings.encoder}")

    def key_numbers(self, metrics: Mapping[str, Any]) -> dict[str, float]:
        out = super().key_numbers(metrics)
        if isinstance(metrics.get("nodes_per_s"), (int, float)):
            out["nodes/s"] = float(metrics["nodes_per_s"])
        link = metrics.get("link_prediction")
        if isinstance(link, dict) and isinstance(link.get("auc"), (int, float)):
            out["AUC"] = float(link["auc"])
        if isinstance(metrics.get("node_accuracy"), (int, float)):
            out["accuracy"] = float(metrics["node_accuracy"])
        return out

    def node_vector(self, run_dir: Path, neighbours: list[str], features: str = "") -> Any:
        """The vector of a node that was not in training, from its edges to the run's nodes (and features)."""
        return load_runner("explorer.training.gnn.run:embed_new_node")(run_dir, neighbours, features)

    def node_feature_columns(self, run_dir: Path) -> list[tuple[str, float]]:
        """The run's feature columns and their training means (a new node's values are given in this order)."""
        return load_runner("explorer.training.gnn.run:feature_columns")(run_dir)

    def sample_data(self) -> dict[str, Any]:
        return GRAPH_KIND.sample_data()


KIND = GnnKind(
    name="gnn", help="node vectors from a graph neural network (GCN / GAT, PyTorch Geometric)", data_cls=GnnData,
    config_cls=GnnConfig, runner="explorer.training.gnn.run:train_gnn_run",
    run_files=(F.CONFIG_FILE,
               F.RunFile(F.METRICS, "json", about="training figures, link prediction, node accuracy and macro-F1"),
               F.VECTORS_FILE, F.VOCAB_FILE, F.LABELS_FILE, *F.frames_files("n"),
               F.RunFile(MODEL_WEIGHTS, "file", about="the encoder's weights (numpy arrays, no pickle)"),
               F.RunFile(MODEL_META, "json", about="encoder, sizes and feature scaling (embed-node reads it)"),
               F.RunFile(EDGES_FILE, "npy", ("", ""), "int", about="the edges trained on (embed-node adds a node)"),
               F.RunFile(FEATURES_FILE, "npy", ("n", ""), "float32", finite=True,
                         about="each node's input features, as the model saw them")),
    capabilities=Capabilities(words=True, nodes=True, labels=True, frames=True, inductive=True), rate_unit="nodes",
    example="--edges sample/karate_edges.tsv --labels sample/karate_labels.tsv",
    data_input=GRAPH_KIND.data_input)
