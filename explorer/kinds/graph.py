"""The graph kind: node vectors from DeepWalk / node2vec random walks trained with Skip-gram.

    >>> KIND.required_files
    ('config.json', 'metrics.json', 'vectors.npy', 'vocab.tsv')
    >>> spec = TrainingSpec("graph", GraphData(edges="e.tsv"), GraphConfig())
    >>> KIND.estimate_seconds(spec, {"edges": 12_000_000}) > 600  # a million edges: a long job
    True
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Optional

import explorer.kinds.files as F
from explorer.configs import SEED_MAX, check, param
from explorer.kinds.base import JOB_OVERHEAD_S, Capabilities, DataInput, TrainingKind, TrainingSpec, data_field

BYTES_PER_EDGE = 12.0  # an edge-list line "1234 5678\n"
NODES_PER_EDGE = 0.5  # a sparse graph's nodes per edge (mean degree 4)
PAIRS_PER_S = 1_250_000.0  # Skip-gram (centre, context) pairs per second on one busy core (bench/results_sgns.md)
GRAPH_TYPES = ("csv", "tsv", "txt", "edges", "edgelist", "graphml", "gml", "gexf")


@dataclass
class GraphData:
    """The graph a node-embedding run reads (edge list, GraphML, GML or GEXF) and optional node labels."""

    edges: str = data_field(help="graph file: edge list (.csv/.tsv/.txt, lines 'source target [weight]'), "
                                 ".graphml, .gml or .gexf", file=True)
    labels: Optional[str] = data_field(None, "file of node,label rows: communities or classes, for colours and "
                                       "evaluation (default: none)", file=True)
    edges_name: Optional[str] = None  # the user's file names of uploads stored under their hash
    labels_name: Optional[str] = None


@dataclass
class GraphConfig:
    """Node embeddings from random walks (DeepWalk / node2vec) trained with Skip-gram (explorer.training.graph)."""

    walk: str = param("deepwalk", "deepwalk (uniform walks) or node2vec (biased by p and q, weights honoured)",
                      choices=("deepwalk", "node2vec"))
    p: float = param(1.0, "node2vec return parameter: small p stays near the previous node", min=0.0, max=100.0,
                     min_exclusive=True)
    q: float = param(1.0, "node2vec in-out parameter: small q walks outward, large q stays local", min=0.0,
                     max=100.0, min_exclusive=True)
    walk_length: int = param(80, "nodes per walk", min=2, max=1000)
    walks_per_node: int = param(10, "walks started at every node (per epoch)", min=1, max=1000)
    window: int = param(10, "max distance between centre and context node in a walk", min=1, max=100)
    dim: int = param(64, "vector size", min=1, max=1000)
    epochs: int = param(1, "passes (each with fresh walks)", min=1, max=100)
    negatives: int = param(5, "negative samples per positive pair", min=1, max=100)
    lr: float = param(0.025, "starting learning rate, decays linearly to lr * 1e-4", min=0.0, max=10.0,
                      min_exclusive=True)
    sample: float = param(0.0, "frequent-node subsampling threshold (0 disables)", min=0.0, max=0.1)
    directed: bool = param(False, "follow edges only from source to target")
    holdout: float = param(0.1, "share of edges held out before walking, to score link prediction (0 disables)",
                           min=0.0, max=0.5)
    workers: int = param(0, "CPU threads (0: all cores)", min=0, max=256)
    seed: int = param(0, "seeds every random choice", min=0, max=SEED_MAX)

    def validate(self) -> GraphConfig:
        return check(self)


GraphSpec = TrainingSpec[GraphData, GraphConfig]


class GraphKind(TrainingKind):
    def estimate_seconds(self, spec: TrainingSpec, data_stats: Mapping[str, int]) -> float:
        """Walk positions (nodes x walks per node x walk length x epochs) times the window's pairs."""
        c = spec.config
        nodes = data_stats.get("edges", 0) / BYTES_PER_EDGE * NODES_PER_EDGE
        positions = nodes * c.walks_per_node * c.walk_length * c.epochs
        return JOB_OVERHEAD_S + positions * c.window / PAIRS_PER_S

    def key_numbers(self, metrics: Mapping[str, Any]) -> dict[str, float]:
        out = super().key_numbers(metrics)
        if isinstance(metrics.get("steps_per_s"), (int, float)):
            out["steps/s"] = float(metrics["steps_per_s"])
        link = metrics.get("link_prediction")
        if isinstance(link, dict) and isinstance(link.get("auc"), (int, float)):
            out["AUC"] = float(link["auc"])
        return out

    def sample_data(self) -> dict[str, Any]:
        from explorer.graph.samples import sample_graph_files

        edges, labels = sample_graph_files()["karate"]
        return {"path": str(edges), "name": edges.name, "labels": str(labels), "labels_name": labels.name,
                "sample": True}


KIND = GraphKind(
    name="graph", help="node vectors from DeepWalk / node2vec walks (Skip-gram)", data_cls=GraphData,
    config_cls=GraphConfig, runner="explorer.training.graph:train_graph_run",
    run_files=(F.CONFIG_FILE, F.RunFile(F.METRICS, "json", about="training figures, link prediction, node classification"),
               F.VECTORS_FILE, F.VOCAB_FILE, F.LABELS_FILE),
    capabilities=Capabilities(words=True, nodes=True, labels=True), rate_unit="steps",
    example="--edges sample/karate_edges.tsv --labels sample/karate_labels.tsv",
    data_input=DataInput("graph", GRAPH_TYPES, page="pages._data_graph:graph_data_ui",
                         shared="graph", shared_extra=("labels",)))
