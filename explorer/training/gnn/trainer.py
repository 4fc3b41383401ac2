"""The epoch loop of a graph neural network: full-batch training on one graph, progress, cancel and frames.

Each epoch runs the encoder over the whole graph once (and the classifier head with labels), takes one Adam step
and reports through the callback (stage ``train``, the epoch's loss, nodes per second); a callback that returns True
stops training (:class:`~explorer.errors.TrainingStopped`). With ``config.frames`` the embeddings (evaluation mode)
are kept as frames at the points :func:`explorer.training.frames.plan_frames` chooses.

Reproducibility: torch's global seed and a seeded generator for the sampled non-edges; with one thread a seed gives
the same vectors.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, Optional

import numpy as np
import torch

from explorer.errors import ExplorerError, TrainingStopped
from explorer.progress import Progress, ProgressCallback, no_progress
from explorer.training.gnn import objectives
from explorer.training.gnn.model import Classifier, Encoder
from explorer.training.sgns.pool import resolve_workers

#: Adam's weight decay (the GCN paper's 5e-4)
WEIGHT_DECAY = 5e-4
#: torch threads only pay on big graphs: one thread per this many directed edges (a small graph's epoch takes
#: milliseconds, and on a busy machine two spinning OpenMP threads made the 34-node karate club 15x slower)
EDGES_PER_THREAD = 100_000


@dataclass
class GraphTensors:
    """One graph ready for the encoder: features float32 (V, k), edges int64 (2, 2E) in both directions."""

    x: np.ndarray
    edge_index: np.ndarray
    n_ids: int  # learned id vectors (0: none)


@dataclass
class LabelSplit:
    """Labelled nodes: class per node (-1: none), the training rows and the held-out (validation) rows."""

    y: np.ndarray  # int64 (V,)
    classes: list[str]
    train: np.ndarray  # int64 rows
    validation: np.ndarray  # int64 rows (empty with label rate 1)


@dataclass
class GnnResult:
    vectors: np.ndarray  # float32 (V, dim)
    encoder: Encoder
    head: Optional[Classifier]
    loss_per_epoch: list[float]
    loss_history: list[tuple[float, float]]
    seconds: float
    nodes_per_s: float
    workers: int
    predictions: Optional[np.ndarray] = None  # int64 (V,) class index per node (with labels)
    frames: Optional[Any] = None  # a FrameRecorder
    extra: dict[str, Any] = field(default_factory=dict)


def edge_index_of(edges: np.ndarray) -> np.ndarray:
    """int64 (2, 2E): both directions of the undirected edges (E, 2); the first E columns are the edges once."""
    e = np.asarray(edges, dtype=np.int64).reshape(-1, 2)
    return np.ascontiguousarray(np.concatenate([e, e[:, ::-1]]).T)


def split_labels(labels: dict[str, str], nodes: list[str], rate: float, seed: int) -> LabelSplit:
    """Stratified split of the labelled nodes: ``rate`` of each class (at least one node) for training, the rest
    held out; ``rate`` 1 trains on all of them."""
    classes = sorted(set(labels.values()))
    code = {c: i for i, c in enumerate(classes)}
    y = np.array([code[labels[n]] if n in labels else -1 for n in nodes], dtype=np.int64)
    rng = np.random.default_rng([int(seed), 0x6E1])
    train, held = [], []
    for c in range(len(classes)):
        rows = rng.permutation(np.flatnonzero(y == c))
        k = len(rows) if rate >= 1.0 else min(len(rows), max(1, int(round(rate * len(rows)))))
        train.append(rows[:k])
        held.append(rows[k:])
    return LabelSplit(y, classes, np.sort(np.concatenate(train)), np.sort(np.concatenate(held)))


def train_gnn(graph: GraphTensors, config: Any, labels: Optional[LabelSplit] = None,
              callback: Optional[ProgressCallback] = None) -> GnnResult:
    """Train the encoder (and head with ``labels``) for ``config.epochs`` full-batch epochs."""
    callback = callback or no_progress
    workers = max(1, min(resolve_workers(config.workers), graph.edge_index.shape[1] // EDGES_PER_THREAD))
    old_threads = torch.get_num_threads()
    torch.set_num_threads(workers)
    try:
        return _train(graph, config, labels, callback, workers)
    finally:
        torch.set_num_threads(old_threads)


def _train(graph: GraphTensors, config: Any, labels: Optional[LabelSplit], callback: ProgressCallback,
           workers: int) -> GnnResult:
    torch.manual_seed(config.seed)
    gen = torch.Generator().manual_seed(int(config.seed))
    x = torch.from_numpy(graph.x)
    ei = torch.from_numpy(graph.edge_index)
    pairs = ei[:, : ei.size(1) // 2]  # each edge once: the reconstruction loss scores it once
    n = x.size(0)
    encoder = Encoder(config.encoder, x.size(1), config.dim, graph.n_ids, config.dropout)
    head = Classifier(config.dim, len(labels.classes)) if labels is not None else None
    params = list(encoder.parameters()) + (list(head.parameters()) if head is not None else [])
    opt = torch.optim.Adam(params, lr=config.lr, weight_decay=WEIGHT_DECAY)
    y = torch.from_numpy(labels.y) if labels is not None else None
    rows = torch.from_numpy(labels.train) if labels is not None else None

    def embed() -> np.ndarray:
        encoder.eval()
        with torch.no_grad():
            return encoder(x, ei).numpy()

    recorder = None
    if config.frames:
        from explorer.training.frames import FrameRecorder, plan_frames

        recorder = FrameRecorder(plan_frames(config.frames + 1, config.epochs, n, config.dim), epochs=config.epochs)
        recorder.start(embed())
    losses: list[float] = []
    history: list[tuple[float, float]] = []
    start = time.perf_counter()
    for epoch in range(config.epochs):
        encoder.train()
        if head is not None:
            head.train()
        opt.zero_grad()
        z = encoder(x, ei)
        loss = objectives.reconstruction_loss(z, pairs, n, gen) if pairs.size(1) else z.sum() * 0.0
        if head is not None and y is not None and rows is not None and len(rows):
            loss = objectives.classification_loss(head(z), y, rows) + objectives.RECONSTRUCTION_WEIGHT * loss
        loss.backward()
        opt.step()
        value = float(loss.detach())
        if not np.isfinite(value):
            raise ExplorerError(f"lr: training diverged (non-finite loss) at lr={config.lr}; try a smaller lr",
                                code="train_diverged", lr=config.lr)
        losses.append(value)
        progress = (epoch + 1) / config.epochs
        history.append((round(progress, 6), value))
        elapsed = time.perf_counter() - start
        if recorder is not None and recorder.due(progress):
            frame = recorder.add(embed(), epoch + 1, progress, value)
            callback(Progress(stage="train", progress=progress, epoch=epoch + 1, epochs=config.epochs, loss=value,
                              frame=frame))
        if callback(Progress(stage="train", progress=progress, epoch=epoch + 1, epochs=config.epochs, loss=value,
                             rate=n * (epoch + 1) / elapsed if elapsed > 0 else None,
                             eta_s=elapsed / progress * (1 - progress))):
            raise TrainingStopped()
    seconds = time.perf_counter() - start
    vectors = np.ascontiguousarray(embed(), dtype=np.float32)
    if not np.isfinite(vectors).all():
        raise ExplorerError(f"lr: training diverged (non-finite vectors) at lr={config.lr}; try a smaller lr",
                            code="train_diverged", lr=config.lr)
    if recorder is not None:
        recorder.finish(vectors, config.epochs, losses[-1] if losses else None)
    predictions = None
    if head is not None:
        head.eval()
        with torch.no_grad():
            predictions = head(torch.from_numpy(vectors)).argmax(dim=1).numpy()
    return GnnResult(vectors, encoder, head, losses, history, seconds,
                     n * config.epochs / seconds if seconds > 0 else float("inf"), workers, predictions, recorder)
