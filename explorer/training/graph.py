"""Node vectors from random walks: walks are sentences of node ids, trained by the Skip-gram kernel.

:func:`train_node_vectors` streams: it generates a block of walks (:func:`explorer.graph.walks.walk_block`,
numba threads over chunks of start nodes), hands the block to ``workers`` Python threads that train
it with the shared word2vec engine's Skip-gram job (:func:`explorer.training.sgns.pool.run_jobs`, Hogwild,
as the Skip-gram trainer does), then generates the next block. Memory therefore holds one block of
about :data:`BLOCK_STEPS` node ids, not ``walks x length``.

Schedule: every epoch starts ``walks_per_node`` walks at every node, a shuffled pass at a time
(DeepWalk's order), with fresh walks each epoch. The learning rate decays linearly from ``lr`` to
``lr * 1e-4`` over all walks. Negatives are drawn from the expected node frequency in the walks
(``1 + (L - 1) * in-degree / sum of in-degrees`` per walk) to the power 0.75.

Reproducibility: walks never depend on the number of threads; with ``workers == 1`` a seed gives
bit-identical vectors. With more threads, the order of updates varies (as in word2vec and gensim).

:func:`train_graph_run` is the ``graph`` kind's runner (edge file -> run directory).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

import numpy as np

from explorer.configs import to_dict
from explorer.errors import ExplorerError, TrainingStopped
from explorer.graph.io import CSR
from explorer.kinds.graph import GraphConfig, GraphSpec
from explorer.progress import Progress, ProgressCallback, no_progress
from explorer.training.sgns.tracking import REPORT_EVERY_S, LossTracker, lr_at

#: node ids per block of walks (4 MB of int32)
BLOCK_STEPS = 1 << 20
#: node ids per job handed to a training thread
JOB_STEPS = 10_000
#: the random stream of the starting vectors (numpy's generator seeded with [seed, INIT_SALT])
INIT_SALT = 0xD1


@dataclass
class NodeVectorsResult:
    """What :func:`train_node_vectors` returns."""

    vectors: np.ndarray  # float32 (V, d): input vectors, one row per node
    context_vectors: np.ndarray  # float32 (V, d)
    loss_per_epoch: list[float]
    loss_history: list[tuple[float, float]]
    steps_per_s: float  # node ids (walk steps) walked and trained per second
    seconds: float  # walking + training, without compilation
    walk_seconds: float  # of which generating walks
    compile_seconds: float
    workers: int
    n_walks: int
    n_steps: int
    extra: dict = field(default_factory=dict)


def expected_counts(csr: CSR, walks_per_node: int, walk_length: int) -> np.ndarray:
    """float64 (V,): expected occurrences of each node in one epoch of walks."""
    indeg = np.bincount(csr.indices, minlength=csr.n_nodes).astype(np.float64)
    total = indeg.sum()
    share = indeg / total if total > 0 else np.zeros_like(indeg)
    return walks_per_node * (1.0 + (walk_length - 1) * share)


def train_node_vectors(csr: CSR, config: GraphConfig, callback: Optional[ProgressCallback] = None) -> NodeVectorsResult:
    """Walk ``csr`` and train Skip-gram on the walks, block by block (see the module docstring)."""
    from explorer.graph import walks as W
    from explorer.text.vocab import keep_probabilities, negative_distribution
    from explorer.training.sgns import kernels, pool, tables
    from explorer.training.sgns.init import init_tables

    config.validate()
    callback = callback or no_progress
    workers = pool.resolve_workers(config.workers)
    n, dim, length = csr.n_nodes, config.dim, config.walk_length
    w_in, w_out = init_tables(n, dim, config.seed, INIT_SALT)
    counts = expected_counts(csr, config.walks_per_node, length)
    threshold, alias = tables.build_alias(negative_distribution(counts))
    keep = tables.keep_thresholds(keep_probabilities(counts, config.sample)) if config.sample > 0 else tables.keep_all(n)
    shared = pool.Tables(kernels.ARCH_SKIPGRAM, w_in, w_out, keep, threshold, alias, config.window, config.negatives,
                         config.seed)
    mode = "node2vec" if config.walk == "node2vec" else "deepwalk"
    weighted = bool(csr.weighted and mode == "node2vec")
    cumw = W.cumulative_weights(csr) if weighted else np.zeros(1, np.float64)
    inv_p, inv_q = (1.0 / config.p, 1.0 / config.q) if mode == "node2vec" else (1.0, 1.0)

    if callback(Progress(stage="train", progress=0.0, epoch=1, epochs=config.epochs,
                         message="preparing the compiled walker and trainer")):
        raise TrainingStopped()
    t0 = time.perf_counter()
    scratch_walks = np.empty((0, length), np.int32)
    W.walk_block(csr.indptr, csr.indices, cumw, weighted, np.empty(0, np.int32), length, W.MODES[mode], inv_p, inv_q,
                 np.uint64(1), 0, scratch_walks, np.empty(0, np.int32))
    pool.compile_kernel(shared, pool.Stream(np.zeros(1, np.int32), np.zeros(2, np.int64), longest=length))
    compile_s = time.perf_counter() - t0

    per_epoch = config.walks_per_node * n
    total_walks = per_epoch * config.epochs
    block_walks = max(W.CHUNK, (BLOCK_STEPS // length) // W.CHUNK * W.CHUNK)
    job_walks = max(1, JOB_STEPS // length)
    tracker = LossTracker()
    loss_per_epoch: list[float] = []
    done = np.zeros(2, np.int64)  # walks, node ids trained
    walk_s = 0.0
    last_report = 0.0
    start = time.perf_counter()
    old_threads = W.numba.get_num_threads()

    def report(epoch: int, force: bool = False) -> bool:
        nonlocal last_report
        now = time.perf_counter()
        if not force and now - last_report < REPORT_EVERY_S:
            return False
        last_report = now
        elapsed = now - start
        progress = int(done[0]) / max(1, total_walks)
        rate = int(done[1]) / elapsed if elapsed > 0 else None
        eta = elapsed * (1 - progress) / progress if progress > 0 else None
        return bool(callback(Progress(stage="train", progress=min(1.0, progress), epoch=epoch, epochs=config.epochs,
                                      loss=tracker.smoothed, rate=rate, eta_s=eta)))

    W.numba.set_num_threads(max(1, min(workers, W.numba.config.NUMBA_NUM_THREADS)))
    try:
        for epoch in range(config.epochs):
            starts_all = W.start_order(n, config.walks_per_node, config.seed, epoch)
            seed = W.walk_seed(config.seed, epoch)
            epoch_stats = np.zeros(kernels.N_STATS, np.float64)
            for b0 in range(0, per_epoch, block_walks):
                starts = starts_all[b0:b0 + block_walks]
                tw = time.perf_counter()
                walks = np.empty((len(starts), length), np.int32)
                lengths = np.empty(len(starts), np.int32)
                W.walk_block(csr.indptr, csr.indices, cumw, weighted, starts, length, W.MODES[mode], inv_p, inv_q,
                             seed, b0 // W.CHUNK, walks, lengths)
                ids, offsets = W.walks_to_stream(walks, lengths)
                walk_s += time.perf_counter() - tw
                base = epoch * per_epoch + b0  # walks before this block; walk w's job draws from stream 1 + w
                jobs = [pool.Job(s0, s1, lr_at(config.lr, (base + s0) / total_walks),
                                 lr_at(config.lr, (base + s1) / total_walks), 1 + base + s0)
                        for s0, s1 in ((s, min(s + job_walks, len(starts))) for s in range(0, len(starts), job_walks))]

                def on_done(j: int, job: Any, stats: np.ndarray, base: int = base, epoch_stats: np.ndarray = epoch_stats,
                            offsets: np.ndarray = offsets) -> None:
                    epoch_stats[:] += stats
                    done[0] += job.end - job.first
                    done[1] += int(offsets[job.end] - offsets[job.first])
                    tracker.add((base + job.end) / total_walks, stats[kernels.STAT_LOSS_SUM],
                                stats[kernels.STAT_LOSS_PAIRS])

                pool.run_jobs(shared, pool.Stream(ids, offsets, longest=length), jobs, workers, on_done,
                              lambda e=epoch + 1: report(e), name="graph-sgns")
                if report(epoch + 1):
                    raise TrainingStopped()
            pairs = epoch_stats[kernels.STAT_LOSS_PAIRS]
            loss_per_epoch.append(float(epoch_stats[kernels.STAT_LOSS_SUM] / pairs) if pairs else float("nan"))
            if report(epoch + 1, force=True):
                raise TrainingStopped()
    finally:
        W.numba.set_num_threads(old_threads)
    seconds = time.perf_counter() - start
    if not (np.isfinite(w_in).all() and np.isfinite(w_out).all()):
        raise ExplorerError(f"lr: training diverged (non-finite vectors) at lr={config.lr}; try a smaller lr",
                            code="train_diverged", lr=config.lr)
    steps_done = int(done[1])
    return NodeVectorsResult(w_in, w_out, loss_per_epoch, tracker.history,
                             steps_done / seconds if seconds > 0 else float("inf"), seconds, walk_s, compile_s,
                             workers, total_walks, steps_done)


# --------------------------------------------------------------------------- the graph kind's runner


def train_graph_run(spec: GraphSpec, out_dir: Path, callback: ProgressCallback) -> Path:
    """The graph kind's runner: read the graph (and labels), hold out edges, walk + train, evaluate, write the run.

    Files written (see :mod:`explorer.runs`): config.json, metrics.json (training figures plus
    ``link_prediction``, ``node_classification`` and ``clusters`` when they apply), vectors.npy,
    vocab.tsv (``token`` = node id, ``count`` = degree in the full graph), labels.tsv when labels are given.
    """
    from explorer.graph import evaluation as ev
    from explorer.graph.io import read_graph_data
    from explorer.runs import atomic_run_dir, check_out_dir, save_labels, save_vectors, write_config, write_json
    from explorer.text.readers import file_sha256

    out_dir = check_out_dir(Path(out_dir))
    data, config = spec.data, spec.config
    callback = callback or no_progress
    if callback(Progress(stage="read", progress=0.0, message="reading the graph")):
        raise TrainingStopped()
    graph, labels = read_graph_data(data, directed=config.directed)
    held = ev.holdout_edges(graph, config.holdout, config.seed) if config.holdout > 0 else None
    walked = held.train if held is not None else graph
    result = train_node_vectors(walked.csr(), config, callback)

    if callback(Progress(stage="evaluate", progress=1.0, message="evaluating")):
        raise TrainingStopped()
    metrics: dict[str, Any] = {
        "loss_per_epoch": result.loss_per_epoch, "loss_history": [list(p) for p in result.loss_history],
        "steps_per_s": result.steps_per_s, "seconds": result.seconds, "walk_seconds": result.walk_seconds,
        "compile_seconds": result.compile_seconds, "workers": result.workers, "epochs": config.epochs,
        "n_walks": result.n_walks, "n_steps": result.n_steps, "n_nodes": graph.n_nodes, "n_edges": graph.n_edges,
        "backend": "numba", "device": "cpu",
    }
    if held is not None:
        metrics["link_prediction"] = ev.link_prediction_auc(result.vectors, held.positives, held.negatives) | {
            "holdout": config.holdout}
    if labels:
        metrics["node_classification"] = ev.node_classification(result.vectors, graph.nodes, labels, config.seed)
        metrics["clusters"] = ev.cluster_agreement(result.vectors, graph.nodes, labels, config.seed)

    with atomic_run_dir(out_dir) as tmp:
        save_vectors(tmp, result.vectors, graph.nodes, graph.degrees)
        if labels:
            save_labels(tmp, labels)
        write_config(tmp, spec.kind, config=to_dict(config), data={
            "source": graph.source, "sha256": file_sha256(Path(data.edges)), "n_nodes": graph.n_nodes,
            "n_edges": graph.n_edges, "directed": graph.directed, "weighted": graph.weights is not None,
            "self_loops_dropped": graph.n_self_loops, "edges_merged": graph.n_merged,
            "labels": data.labels_name or (Path(data.labels).name if data.labels else None),
        }, name=spec.name)
        write_json(tmp / "metrics.json", metrics)
    return out_dir
