"""Node vectors from random walks: walks are sentences of node ids, trained by the Skip-gram kernel.

:func:`train_node_vectors` streams: it generates a block of walks (:func:`explorer.graph.walks.walk_block`,
numba threads over chunks of start nodes), hands the block to ``workers`` Python threads that train
it with word2vec's compiled loop (:func:`explorer.training.sgns_kernel.train_job`, Hogwild, as
the Skip-gram trainer does), then generates the next block. Memory therefore holds one block of
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

import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

import numpy as np

from explorer.configs import GraphConfig, from_dict, to_dict
from explorer.errors import ExplorerError, TrainingStopped
from explorer.graph.io import CSR
from explorer.progress import Progress, ProgressCallback, no_progress

#: node ids per block of walks (4 MB of int32)
BLOCK_STEPS = 1 << 20
#: node ids per job handed to a training thread
JOB_STEPS = 10_000
REPORT_EVERY_S = 0.2
LR_FLOOR = 1e-4


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


def _lr_at(config: GraphConfig, frac: float) -> float:
    frac = min(1.0, max(0.0, frac))
    return config.lr + (config.lr * LR_FLOOR - config.lr) * frac


def train_node_vectors(csr: CSR, config: GraphConfig, callback: Optional[ProgressCallback] = None) -> NodeVectorsResult:
    """Walk ``csr`` and train Skip-gram on the walks, block by block (see the module docstring)."""
    from explorer.graph import walks as W
    from explorer.text.vocab import keep_probabilities, negative_distribution
    from explorer.training import sgns_kernel as K
    from explorer.training.skipgram import _LossTracker, resolve_workers

    config.validate()
    callback = callback or no_progress
    workers = resolve_workers(config.workers)
    n, dim, length = csr.n_nodes, config.dim, config.walk_length
    rng = np.random.default_rng([config.seed, 0xD1])
    w_in = ((rng.random((n, dim), dtype=np.float32) - np.float32(0.5)) / np.float32(dim)).astype(np.float32)
    w_out = np.zeros((n, dim), np.float32)
    counts = expected_counts(csr, config.walks_per_node, length)
    alias_threshold, alias = K.build_alias(negative_distribution(counts))
    if config.sample > 0:
        keep = K.keep_thresholds(keep_probabilities(counts, config.sample))
    else:
        keep = np.full(n, np.uint64(1 << 32), dtype=np.uint64)
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
    K.train_job(np.zeros(1, np.int32), np.zeros(2, np.int64), 0, 0, w_in, w_out, keep, alias_threshold, alias,
                config.window, config.negatives, config.lr, config.lr, np.uint64(K.seed_state(config.seed, 0)),
                np.empty(length, np.int32), np.zeros(dim, np.float32), np.zeros(K.N_STATS))
    compile_s = time.perf_counter() - t0

    per_epoch = config.walks_per_node * n
    total_walks = per_epoch * config.epochs
    block_walks = max(W.CHUNK, (BLOCK_STEPS // length) // W.CHUNK * W.CHUNK)
    job_walks = max(1, JOB_STEPS // length)
    tracker = _LossTracker()
    loss_per_epoch: list[float] = []
    lock = threading.Lock()
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
            epoch_stats = np.zeros(K.N_STATS, np.float64)
            for b0 in range(0, per_epoch, block_walks):
                starts = starts_all[b0:b0 + block_walks]
                tw = time.perf_counter()
                walks = np.empty((len(starts), length), np.int32)
                lengths = np.empty(len(starts), np.int32)
                W.walk_block(csr.indptr, csr.indices, cumw, weighted, starts, length, W.MODES[mode], inv_p, inv_q,
                             seed, b0 // W.CHUNK, walks, lengths)
                ids, offsets = W.walks_to_stream(walks, lengths)
                walk_s += time.perf_counter() - tw
                base = epoch * per_epoch + b0
                jobs = [(s, min(s + job_walks, len(starts))) for s in range(0, len(starts), job_walks)]
                _train_block(ids, offsets, jobs, base, total_walks, w_in, w_out, keep, alias_threshold, alias, config,
                             workers, epoch_stats, tracker, lock, lambda e=epoch + 1: report(e), done)
                if report(epoch + 1):
                    raise TrainingStopped()
            pairs = epoch_stats[K.STAT_LOSS_PAIRS]
            loss_per_epoch.append(float(epoch_stats[K.STAT_LOSS_SUM] / pairs) if pairs else float("nan"))
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


def _train_block(ids: np.ndarray, offsets: np.ndarray, jobs: list[tuple[int, int]], base: int, total_walks: int,
                 w_in: np.ndarray, w_out: np.ndarray, keep: np.ndarray, alias_threshold: np.ndarray,
                 alias: np.ndarray, config: GraphConfig, workers: int, epoch_stats: np.ndarray, tracker: Any,
                 lock: threading.Lock, report: Any, done: np.ndarray) -> None:
    """Train one block of walks (sentences ``jobs``) on ``workers`` threads; stops when ``report()`` says so.

    ``done`` int64 (2,): walks and node ids trained so far, added to as jobs finish.
    """
    from explorer.training import sgns_kernel as K

    next_job = 0
    errors: list[BaseException] = []
    stop = threading.Event()
    dim = w_in.shape[1]

    def worker() -> None:
        nonlocal next_job
        sent_buf = np.empty(config.walk_length, np.int32)
        neu1e = np.zeros(dim, np.float32)
        stats = np.zeros(K.N_STATS, np.float64)
        try:
            while not stop.is_set():
                with lock:
                    j = next_job
                    next_job += 1
                if j >= len(jobs):
                    return
                s0, s1 = jobs[j]
                stats[:] = 0
                K.train_job(ids, offsets, s0, s1, w_in, w_out, keep, alias_threshold, alias, config.window,
                            config.negatives, _lr_at(config, (base + s0) / total_walks),
                            _lr_at(config, (base + s1) / total_walks),
                            np.uint64(K.seed_state(config.seed, 1 + base + s0)), sent_buf, neu1e, stats)
                with lock:
                    epoch_stats[:] += stats
                    done[0] += s1 - s0
                    done[1] += int(offsets[s1] - offsets[s0])
                    tracker.add((base + s1) / total_walks, stats[K.STAT_LOSS_SUM], stats[K.STAT_LOSS_PAIRS])
        except BaseException as exc:  # surfaced in the main thread
            errors.append(exc)
            stop.set()

    if workers == 1:
        worker()
    else:
        threads = [threading.Thread(target=worker, name=f"graph-sgns-{i}", daemon=True) for i in range(workers)]
        for t in threads:
            t.start()
        while True:
            alive = [t for t in threads if t.is_alive()]
            if not alive:
                break
            alive[0].join(REPORT_EVERY_S / 4)
            if report():
                stop.set()
        for t in threads:
            t.join()
        if stop.is_set() and not errors:
            raise TrainingStopped()
    if errors:
        raise errors[0]


# --------------------------------------------------------------------------- the graph kind's runner


def train_graph_run(spec: dict, out_dir: Path, callback: ProgressCallback) -> Path:
    """The ``graph`` job: read the graph (and labels), hold out edges, walk + train, evaluate, write the run.

    Files written (see :mod:`explorer.runs`): config.json, metrics.json (training figures plus
    ``link_prediction``, ``node_classification`` and ``clusters`` when they apply), vectors.npy,
    vocab.tsv (``token`` = node id, ``count`` = degree in the full graph), labels.tsv when labels are given.
    """
    from explorer.graph import evaluation as ev
    from explorer.graph.io import read_graph, read_node_labels
    from explorer.runs import atomic_run_dir, check_out_dir, save_labels, save_vectors, write_config, write_json
    from explorer.text.readers import file_sha256

    out_dir = check_out_dir(Path(out_dir))
    data = spec.get("data") or {}
    config = from_dict(GraphConfig, spec.get("config") or {}).validate()
    if not data.get("edges"):
        raise ExplorerError("edges: no graph file given", code="spec_invalid", what="data.edges")
    callback = callback or no_progress
    if callback(Progress(stage="read", progress=0.0, message="reading the graph")):
        raise TrainingStopped()
    graph = read_graph(Path(data["edges"]), directed=config.directed, name=data.get("edges_name"))
    labels = None
    if data.get("labels"):
        labels = read_node_labels(Path(data["labels"]), graph.index, name=data.get("labels_name"))
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
        write_config(tmp, "graph", config=to_dict(config), data={
            "source": graph.source, "sha256": file_sha256(Path(data["edges"])), "n_nodes": graph.n_nodes,
            "n_edges": graph.n_edges, "directed": graph.directed, "weighted": graph.weights is not None,
            "self_loops_dropped": graph.n_self_loops, "edges_merged": graph.n_merged,
            "labels": data.get("labels_name") or (Path(data["labels"]).name if data.get("labels") else None),
        }, name=spec.get("name", ""))
        write_json(tmp / "metrics.json", metrics)
    return out_dir
