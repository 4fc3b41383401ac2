"""The gnn kind's runner (graph file -> run directory) and the inductive embedding of a new node.

Files written (see :mod:`explorer.runs` and :data:`explorer.kinds.gnn.KIND`): config.json, metrics.json,
vectors.npy (the last hidden layer), vocab.tsv (``token`` = node id, ``count`` = degree in the full graph),
labels.tsv with labels, frames.npy + frames.json with ``frames``, and for ``embed-node``: gnn_model.npz (the
weights, numpy arrays only), gnn_model.json (encoder, sizes, feature scaling), gnn_edges.npy (the training edges)
and gnn_features.npy (the nodes' input features). Nothing is written when training fails or is stopped.

metrics.json: ``loss_per_epoch``, ``loss_history``, ``seconds``, ``nodes_per_s``, ``objective``, ``features``;
``link_prediction`` (held-out edges, as the graph kind); with labels ``split`` (training / held-out nodes),
``node_accuracy`` and ``node_macro_f1`` on the held-out labelled nodes (absent with label rate 1) and ``clusters``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Optional

import numpy as np

from explorer.configs import to_dict
from explorer.errors import ExplorerError, TrainingStopped
from explorer.kinds.gnn import EDGES_FILE, FEATURES_FILE, MODEL_META, MODEL_WEIGHTS, GnnSpec
from explorer.progress import Progress, ProgressCallback, no_progress

META_VERSION = 1


def _model_bytes(n_nodes: int, n_edges: int, width: int, dim: int, n_ids: int) -> int:
    """A rough peak of full-batch training: messages over both directions and sampled pairs, activations, the
    id table with Adam's two moments."""
    return 4 * (6 * 4 * n_edges * dim + 8 * n_nodes * (width + dim) + 4 * n_ids * dim)


def train_gnn_run(spec: GnnSpec, out_dir: Path, callback: ProgressCallback) -> Path:
    """Read the graph (labels, features), hold out edges, train, evaluate, write the run."""
    from explorer.graph import evaluation as ev
    from explorer.graph.io import read_graph_data
    from explorer.resources import check_model_memory
    from explorer.runs import atomic_run_dir, check_out_dir, save_labels, save_vectors, write_config, write_json
    from explorer.text.readers import file_sha256
    from explorer.training.gnn import features as feat
    from explorer.training.gnn import trainer as T
    from explorer.training.gnn.model import state_arrays

    out_dir = check_out_dir(Path(out_dir))
    data, config = spec.data, spec.config
    callback = callback or no_progress
    if callback(Progress(stage="read", progress=0.0, message="reading the graph")):
        raise TrainingStopped()
    graph, labels = read_graph_data(data, directed=False)
    if data.features:
        table = feat.read_features_file(Path(data.features), graph.index, name=data.features_name)
    else:
        table = feat.read_graph_attributes(Path(data.edges), graph.index, name=data.edges_name)
    held = ev.holdout_edges(graph, config.holdout, config.seed) if config.holdout > 0 else None
    trained = held.train if held is not None else graph
    scaler = feat.fit_scaler(table, trained.degrees, config.node_ids)
    n_ids = graph.n_nodes if scaler.node_ids else 0
    check_model_memory(_model_bytes(graph.n_nodes, trained.n_edges, scaler.width, config.dim, n_ids),
                       f"{graph.source}: {graph.n_nodes:,} nodes, {graph.n_edges:,} edges x dim {config.dim}",
                       "lower --dim or use a smaller graph")
    x = scaler.transform(table.values if table is not None else None, trained.degrees)
    tensors = T.GraphTensors(x, T.edge_index_of(trained.edges), n_ids)
    split = T.split_labels(labels, graph.nodes, config.label_rate, config.seed) if labels else None
    result = T.train_gnn(tensors, config, split, callback)

    if callback(Progress(stage="evaluate", progress=1.0, message="evaluating")):
        raise TrainingStopped()
    metrics: dict[str, Any] = {
        "loss_per_epoch": result.loss_per_epoch, "loss_history": [list(p) for p in result.loss_history],
        "seconds": result.seconds, "nodes_per_s": result.nodes_per_s, "workers": result.workers,
        "epochs": config.epochs, "n_nodes": graph.n_nodes, "n_edges": graph.n_edges, "encoder": config.encoder,
        "objective": "semi-supervised (cross-entropy + link reconstruction)" if split else "graph auto-encoder",
        "features": {"source": scaler.source, "columns": len(scaler.columns), "node_ids": scaler.node_ids,
                     "missing_rows": scaler.missing_rows},
        "backend": "torch_geometric", "device": "cpu",
    }
    if held is not None:
        metrics["link_prediction"] = ev.link_prediction_auc(result.vectors, held.positives, held.negatives) | {
            "holdout": config.holdout}
    if split is not None and labels:
        metrics.update(_label_scores(split, result.predictions, config.label_rate))
        metrics["clusters"] = ev.cluster_agreement(result.vectors, graph.nodes, labels, config.seed)
    meta = {"version": META_VERSION, "encoder": config.encoder, "dim": config.dim, "dropout": config.dropout,
            "in_features": scaler.width, "n_ids": n_ids, "scaler": scaler.to_dict(),
            "classes": split.classes if split is not None else [], "weights": MODEL_WEIGHTS}

    with atomic_run_dir(out_dir) as tmp:
        save_vectors(tmp, result.vectors, graph.nodes, graph.degrees)
        if labels:
            save_labels(tmp, labels)
        write_config(tmp, spec.kind, config=to_dict(config), data={
            "source": graph.source, "sha256": file_sha256(Path(data.edges)), "n_nodes": graph.n_nodes,
            "n_edges": graph.n_edges, "directed": False, "weighted": graph.weights is not None,
            "self_loops_dropped": graph.n_self_loops, "edges_merged": graph.n_merged,
            "labels": data.labels_name or (Path(data.labels).name if data.labels else None),
            "features": data.features_name or (Path(data.features).name if data.features else None),
        }, name=spec.name)
        write_json(tmp / "metrics.json", metrics)
        weights = state_arrays(result.encoder, "encoder")
        if result.head is not None:
            weights |= state_arrays(result.head, "head")
        np.savez(tmp / MODEL_WEIGHTS, **weights)
        write_json(tmp / MODEL_META, meta)
        np.save(tmp / EDGES_FILE, trained.edges.astype(np.int32))
        np.save(tmp / FEATURES_FILE, x)
        if result.frames is not None:
            from explorer.training.frames import save_frames

            save_frames(tmp, result.frames)
    return out_dir


def _label_scores(split: Any, predictions: Optional[np.ndarray], rate: float) -> dict[str, Any]:
    """The split shown to people, and accuracy / macro-F1 on the held-out labelled nodes."""
    from sklearn.metrics import accuracy_score, f1_score

    out: dict[str, Any] = {"split": {"train": int(len(split.train)), "validation": int(len(split.validation)),
                                     "label_rate": rate, "classes": len(split.classes),
                                     "how": "stratified by label, at least one training node per label"}}
    if predictions is None:
        return out
    y = split.y
    out["train_accuracy"] = float(accuracy_score(y[split.train], predictions[split.train]))
    if len(split.validation):
        truth, guess = y[split.validation], predictions[split.validation]
        out["node_accuracy"] = float(accuracy_score(truth, guess))
        out["node_macro_f1"] = float(f1_score(truth, guess, average="macro"))
    return out


# --------------------------------------------------------------------------- inductive: embed a new node


def _read_meta(run_dir: Path) -> dict[str, Any]:
    path = run_dir / MODEL_META
    try:
        meta = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ExplorerError(f"{run_dir.name}: no {MODEL_META} (the run was not trained by the gnn kind)",
                            code="gnn_no_model", run=run_dir.name, file=MODEL_META) from None
    except (OSError, ValueError, UnicodeDecodeError):
        raise ExplorerError(f"{run_dir.name}: {MODEL_META} is damaged", code="gnn_model_damaged", run=run_dir.name,
                            file=MODEL_META) from None
    if not isinstance(meta, dict) or meta.get("version") != META_VERSION or meta.get("encoder") not in ("gcn", "gat"):
        raise ExplorerError(f"{run_dir.name}: {MODEL_META} is damaged", code="gnn_model_damaged", run=run_dir.name,
                            file=MODEL_META)
    return meta


def feature_columns(run_dir: Path) -> list[tuple[str, float]]:
    """The run's own feature columns (from a features file or graph attributes) with the training nodes' mean of
    each, in the order :func:`embed_new_node` takes their values; [] when the model saw degrees (and ids) only."""
    from explorer.training.gnn.features import FeatureScaler

    try:
        scaler = FeatureScaler.from_dict(_read_meta(Path(run_dir))["scaler"])
    except (KeyError, TypeError, ValueError):
        raise ExplorerError(f"{Path(run_dir).name}: {MODEL_META} is damaged", code="gnn_model_damaged",
                            run=Path(run_dir).name, file=MODEL_META) from None
    return [(name, float(mean)) for name, mean in zip(scaler.columns, scaler.mean, strict=False)]


def embed_new_node(run_dir: Path, neighbours: list[str], features: str = "") -> np.ndarray:
    """float32 (dim,): the embedding of a node that was not in training, linked to ``neighbours`` (node ids of the
    run) and with ``features`` ("v1,v2,..." in the run's feature columns; empty: the mean).

    The new node joins the training graph with its edges and runs through the trained encoder (evaluation mode);
    it has no learned id vector. The other nodes keep their training inputs (their degree is not updated).
    """
    import torch

    from explorer.runs import load_run
    from explorer.runs.arrays import load_npz, open_npy
    from explorer.training.gnn.features import FeatureScaler, parse_feature_values
    from explorer.training.gnn.model import Encoder, load_state_arrays

    run_dir = Path(run_dir)
    run = load_run(run_dir)
    meta = _read_meta(run_dir)
    index = run.index
    wanted = [n.strip() for n in neighbours if n.strip()]
    if not wanted:
        raise ExplorerError("the new node's edges: give at least one node of the run the new node is linked to",
                            code="gnn_node_no_edges")
    unknown = [n for n in wanted if n not in index]
    if unknown:
        raise ExplorerError(f"the new node's edges: {len(unknown)} node(s) are not in the run, e.g. {unknown[0][:40]!r}",
                            code="gnn_node_unknown", n=len(unknown), node=unknown[0][:40])
    rows = sorted({index[n] for n in wanted})
    scaler = FeatureScaler.from_dict(meta["scaler"])
    values = parse_feature_values(features, scaler)
    try:
        x_old = np.asarray(open_npy(run_dir / FEATURES_FILE, FEATURES_FILE), dtype=np.float32)
        edges = np.asarray(open_npy(run_dir / EDGES_FILE, EDGES_FILE), dtype=np.int64)
        arrays = load_npz(run_dir / MODEL_WEIGHTS, MODEL_WEIGHTS)
        n = x_old.shape[0]
        if x_old.shape != (len(index), scaler.width) or edges.ndim != 2 or edges.shape[1] != 2 or (
                edges.size and (edges.min() < 0 or edges.max() >= n)):
            raise ValueError("shapes")
        encoder = Encoder(meta["encoder"], scaler.width, int(meta["dim"]), int(meta["n_ids"]), float(meta["dropout"]))
        load_state_arrays(encoder, arrays, "encoder")
    except ExplorerError:
        raise
    except (ValueError, KeyError, RuntimeError, TypeError):
        raise ExplorerError(f"{run_dir.name}: the saved model does not match its run ({MODEL_WEIGHTS}, "
                            f"{EDGES_FILE}, {FEATURES_FILE})", code="gnn_model_damaged", run=run_dir.name,
                            file=MODEL_WEIGHTS) from None
    new_x = scaler.transform(None if values is None else values[None, :], np.array([len(rows)]))
    x = torch.from_numpy(np.concatenate([x_old, new_x]))
    new_edges = np.array([[r, n] for r in rows], dtype=np.int64)
    from explorer.training.gnn.trainer import edge_index_of

    ei = torch.from_numpy(edge_index_of(np.concatenate([edges, new_edges])))
    ids = torch.cat([torch.arange(n), torch.tensor([-1])]) if meta["n_ids"] else None
    encoder.eval()
    with torch.no_grad():
        z = encoder(x, ei, ids)
    return z[-1].numpy().astype(np.float32)
