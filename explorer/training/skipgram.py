"""Training Skip-gram models, and the ``skipgram`` job (corpus file -> run directory).

Three trainers share one entry point, :func:`train_skipgram` (``config.arch == "cbow"`` trains
CBOW instead, always with the compiled kernel):

- ``numba`` (the default on CPU for negative sampling): word2vec's own loop on the shared engine
  (:mod:`explorer.training.sgns`: compiled kernels, thread pool, loss tracking, frames), run by
  ``workers`` Python threads over jobs of 2,000-10,000 words (64 per epoch on small corpora) that
  update the weight tables in place without locks (Hogwild, as word2vec and gensim do). Pairs are generated inside the kernel, so
  memory stays at the size of the token ids plus the two tables. Skip-gram trains each window as one minibatch
  against negatives shared by the window (HogBatch, :data:`DEFAULT_KERNEL`); CBOW a batch of centre words at a
  time against shared negatives, the output rows updated once per batch; ``kernel="pair"`` keeps word2vec's own
  updates, one pair or centre word at a time, for either architecture.
- ``torch`` (used when the device resolves to CUDA): pairs from :mod:`explorer.text.pairs` one chunk
  of sentences at a time, large batches, hand-written gradients applied with ``index_add_``.
- ``torch-autograd``: the same batches through ``SkipGramNS.forward`` and autograd (kept as the
  plain reference the benchmark compares against).

The full-softmax objective (``config.loss == "softmax"``, ``V <= 5000``) always trains with torch
(batched, hand-written gradients: three matrix products per batch).

All trainers decay the learning rate linearly from ``lr`` to ``lr * 1e-4`` over all words of all
epochs, and report progress through the callback at least every 0.2 s; a callback returning True
stops training with :class:`explorer.errors.TrainingStopped` within about 0.2 s plus one job.

Loss: the mean over pairs of ``-log σ(u·v) - Σ_k log σ(-u·n_k)`` (softmax: the cross-entropy).
The numba kernel measures it on every 16th pair, before that pair's update.

Reproducibility: a seed fixes the initial vectors (numpy's generator, the same for every backend:
:func:`explorer.training.sgns.init.init_tables`) and every random draw. With ``workers == 1``
(or any torch trainer on CPU) the same seed gives bit-identical vectors; with several threads the
order in which threads update shared rows varies, so vectors differ slightly run to run.
"""

from __future__ import annotations

import functools
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

import numpy as np

from explorer.configs import CorpusConfig
from explorer.devices import resolve_device
from explorer.errors import ExplorerError, TrainingStopped
from explorer.kinds.skipgram import SkipGramConfig, SkipGramSpec, model_bytes
from explorer.progress import ProgressCallback, no_progress
from explorer.startup import long_lived
from explorer.training.sgns.pool import JOB_WORDS, resolve_workers
from explorer.training.sgns.tracking import LossTracker, Reporter, lr_at, maybe_frame

BACKENDS = ("auto", "numba", "torch", "torch-autograd")
#: the compiled trainer's kernels: ``pair`` (word2vec's updates, one (input, positive) pair at a time), ``batched``
#: (HogBatch: minibatched per window with shared negatives), or ``default``, the kernel of :data:`DEFAULT_KERNEL`
KERNELS = ("default", "pair", "batched")
#: the kernel ``default`` trains each architecture with: HogBatch for both. Skip-gram: at 3.3M words 5% and at 20M
#: tokens 32% fewer CPU seconds than ``pair``, WordSim-353 +0.024 / +0.053 above it. CBOW (negatives shared by
#: CBOW_BATCH centre words, output rows updated once per batch): as fast as ``pair`` on one thread, but ``pair``'s
#: two threads fight over the hot output rows (1.04x the one-thread speed, against 1.51x), so with 2 threads its
#: training takes 0.47 s against 0.67 s at 3.3M words and 2.78 against 3.72 s at 20M tokens, WordSim-353 -0.008
#: against -0.010 (4 seeds) and +0.006 against -0.013 (2 seeds) from gensim's (bench/results_sgns.md, 2026-12-06)
DEFAULT_KERNEL = {"skipgram": "batched", "cbow": "batched"}


@dataclass
class SkipGramResult:
    """What :func:`train_skipgram` returns."""

    vectors: np.ndarray  # float32 (V, d): input embeddings, the vectors we explore
    context_vectors: np.ndarray  # float32 (V, d): output embeddings
    loss_per_epoch: list[float]  # mean loss per pair (positive + its negatives) in each epoch
    loss_history: list[tuple[float, float]]  # (progress 0..1, smoothed loss), <= HISTORY_POINTS
    words_per_s: float  # corpus words (after min_count, before subsampling) x epochs / training seconds
    seconds: float  # training time, excluding one-off compilation
    snapshots: Optional[list[np.ndarray]]  # per-epoch copies of vectors when config.snapshots
    device: str  # "cpu" or "cuda"
    backend: str = "numba"  # numba | torch | torch-autograd | softmax
    workers: int = 1  # CPU threads used
    compile_seconds: float = 0.0  # first-call compilation (or cache load) of the kernel
    extra: dict = field(default_factory=dict)
    frames: Optional[Any] = None  # a FrameRecorder (explorer.training.frames) when config.frames


# --------------------------------------------------------------------------- numba trainer


def _train_numba(ids: np.ndarray, offsets: np.ndarray, keep_prob: Optional[np.ndarray], neg_probs: np.ndarray,
                 w_in: np.ndarray, w_out: np.ndarray, config: SkipGramConfig, workers: int,
                 callback: ProgressCallback, result_extra: dict, recorder: Optional[Any] = None,
                 kernel: str = "default") -> Any:
    """Skip-gram or CBOW on the shared word2vec engine (:func:`explorer.training.sgns.trainer.train_epochs`);
    trains ``w_in``/``w_out`` float32 (V, d) in place and returns its EpochsResult."""
    arch = _job_arch(config, kernel)
    with long_lived(freeze=True):  # the job's modules (numba's, where its machine code is not loaded) stay loaded
        from explorer.training.sgns import abi, pool, trainer

        n_vocab = w_in.shape[0]
        keep = abi.keep_all(n_vocab) if keep_prob is None else abi.keep_thresholds(keep_prob)
        threshold, alias = pool.alias_table(np.asarray(neg_probs, dtype=np.float64), arch)
    shared = pool.Tables(arch, w_in, w_out, keep, threshold, alias, config.window,
                         config.negatives, config.seed)
    run = trainer.train_epochs(shared, pool.Stream(ids, offsets), config.epochs, config.lr, workers, callback,
                               config.snapshots, recorder)
    result_extra["words_kept"] = run.words_kept
    result_extra["pairs"] = run.pairs
    # how busy the threads were: seconds on a core, seconds ready but waiting for one, over the pool's wall time
    result_extra["threads"] = {"workers": run.usage.workers, "wall_s": run.usage.wall, "cpu_s": run.usage.cpu,
                               "waiting_s": run.usage.waiting, "demand": run.usage.demand}
    return run


def _job_arch(config: SkipGramConfig, kernel: str = "default") -> int:
    """The compiled job's architecture (``ARCH_*`` of :mod:`explorer.training.sgns.abi`) for ``config``."""
    from explorer.training.sgns import abi

    arch = abi.ARCHS[config.arch]
    if (DEFAULT_KERNEL[config.arch] if kernel == "default" else kernel) == "batched":
        arch = abi.BATCHED[arch]
    return arch


def _frame_job_words(n_words: int, config: SkipGramConfig, recorder: Optional[Any] = None) -> int:
    """Words per batch chunk of the torch trainers: smaller on small corpora when frames are kept, so that
    frames can be taken between chunks (at least two chunks between the closest planned frames; never
    below 200 words)."""
    if recorder is None:
        return JOB_WORDS
    gap = float(np.diff(np.concatenate([[0.0], recorder.plan.at])).min())
    return int(min(JOB_WORDS, max(200, gap * n_words * config.epochs / 2)))


# --------------------------------------------------------------------------- torch trainers


def _torch_batches(ids: np.ndarray, offsets: np.ndarray, config: SkipGramConfig, rng: np.random.Generator,
                   keep_prob: Optional[np.ndarray], chunk_words: int):
    """Yield (chunk words, centres int64, contexts int64) one chunk of sentences at a time."""
    from explorer.text.pairs import iter_sentence_chunks, skipgram_pairs

    for s0, s1 in iter_sentence_chunks(offsets, chunk_words):
        centres, contexts = skipgram_pairs(ids, offsets[s0:s1 + 1], config.window, rng, keep_prob)
        yield int(offsets[s1] - offsets[s0]), centres, contexts


def _train_torch(ids: np.ndarray, offsets: np.ndarray, keep_prob: Optional[np.ndarray], neg_probs: np.ndarray,
                 model: Any, config: SkipGramConfig, device: str, backend: str, callback: ProgressCallback,
                 batch_size: int, recorder: Optional[Any] = None
                 ) -> tuple[list[float], LossTracker, Optional[list[np.ndarray]], float]:
    """Batched SGD on pairs; ``backend`` is torch (hand-written gradients), torch-autograd or softmax."""
    import torch

    rng = np.random.default_rng(config.seed)
    gen = torch.Generator(device=device).manual_seed(config.seed)
    n_words = int(offsets[-1] - offsets[0])
    total_words = n_words * config.epochs
    reporter = Reporter(callback, config.epochs, total_words)
    tracker = LossTracker()
    loss_per_epoch: list[float] = []
    snapshots: Optional[list[np.ndarray]] = [] if config.snapshots else None
    neg_table = torch.as_tensor(np.asarray(neg_probs, dtype=np.float64), dtype=torch.float32, device=device)
    w_in = model.in_embed.weight
    w_out = model.out_embed.weight
    params = [w_in, w_out]
    words_done = 0
    chunk_words = max(10 * batch_size, 50_000)
    if recorder is not None:  # smaller chunks on small corpora, so that frames fall between batches
        chunk_words = min(chunk_words, _frame_job_words(n_words, config, recorder))
    start = time.perf_counter()
    for epoch in range(config.epochs):
        epoch_loss, epoch_pairs = 0.0, 0
        for chunk_size, centres, contexts in _torch_batches(ids, offsets, config, rng, keep_prob, chunk_words):
            n_pairs = centres.shape[0]
            c_all = torch.from_numpy(centres).to(device)
            o_all = torch.from_numpy(contexts).to(device)
            n_batches = max(1, -(-n_pairs // batch_size))
            for b in range(n_batches):
                lo, hi = b * batch_size, min(n_pairs, (b + 1) * batch_size)
                if hi <= lo:
                    break
                lr = lr_at(config.lr, (words_done + chunk_size * (lo / max(1, n_pairs))) / max(1.0, total_words))
                c, o = c_all[lo:hi], o_all[lo:hi]
                if backend == "softmax":
                    g_u, g_out, losses = model.gradients(c, o)
                    with torch.no_grad():
                        w_in.index_add_(0, c, g_u, alpha=-lr)
                        w_out.add_(g_out, alpha=-lr)
                    batch_loss = float(losses.sum())
                else:
                    negs = torch.multinomial(neg_table, (hi - lo) * config.negatives, replacement=True,
                                             generator=gen).view(hi - lo, config.negatives)
                    if backend == "torch-autograd":
                        losses = model.pair_losses(c, o, negs)
                        loss = losses.sum()
                        for p in params:
                            p.grad = None
                        loss.backward()
                        with torch.no_grad():
                            for p in params:
                                p.add_(p.grad, alpha=-lr)  # dense or sparse gradient
                        batch_loss = float(loss.detach())
                    else:
                        g_u, g_v, g_n, losses = model.gradients(c, o, negs)
                        with torch.no_grad():
                            w_in.index_add_(0, c, g_u, alpha=-lr)
                            w_out.index_add_(0, o, g_v, alpha=-lr)
                            w_out.index_add_(0, negs.reshape(-1), g_n.reshape(-1, g_n.shape[-1]), alpha=-lr)
                        batch_loss = float(losses.sum())
                epoch_loss += batch_loss
                epoch_pairs += hi - lo
                tracker.add((words_done + chunk_size * hi / n_pairs) / max(1, total_words), batch_loss, hi - lo)
                maybe_frame(recorder, w_in, epoch + 1, (words_done + chunk_size * hi / n_pairs) / max(1, total_words),
                             tracker, callback)
                if reporter.report(int(words_done + chunk_size * hi / n_pairs), epoch + 1, tracker.smoothed):
                    raise TrainingStopped()
            words_done += chunk_size
            if reporter.report(words_done, epoch + 1, tracker.smoothed):
                raise TrainingStopped()
        if not all(bool(torch.isfinite(p).all()) for p in params):
            raise ExplorerError(f"lr: training diverged (non-finite vectors) at lr={config.lr}; try a smaller lr",
                                code="train_diverged", lr=config.lr)
        loss_per_epoch.append(epoch_loss / epoch_pairs if epoch_pairs else float("nan"))
        snap = None
        if snapshots is not None:
            snap = w_in.detach().float().cpu().numpy().copy()
            snapshots.append(snap)
        if reporter.report(words_done, epoch + 1, tracker.smoothed, force=True, snapshot=snap):
            raise TrainingStopped()
    if device == "cuda":
        torch.cuda.synchronize()
    return loss_per_epoch, tracker, snapshots, time.perf_counter() - start


# --------------------------------------------------------------------------- entry points


def train_skipgram(
    ids: np.ndarray,
    offsets: np.ndarray,
    counts: np.ndarray,
    config: SkipGramConfig,
    callback: Optional[ProgressCallback] = None,
    backend: str = "auto",
    batch_size: Optional[int] = None,
    torch_threads: int = 1,
    kernel: str = "default",
) -> SkipGramResult:
    """Train Skip-gram on an encoded corpus.

    ids:      int (N,) token ids in 0..V-1 (after the vocabulary is built).
    offsets:  int64 (S+1,) sentence boundaries into ``ids``; pairs never cross them.
    counts:   int64 (V,) word frequencies (subsampling and the negative-sampling distribution).
    config:   hyperparameters (``config.min_count``/``max_vocab`` were used to build ``counts``).
    callback: progress reports (stage "train"); returning True raises ``TrainingStopped``.
    backend:  auto (numba on CPU for negative sampling, torch on CUDA), numba, torch,
              torch-autograd; the softmax loss always uses torch.
    batch_size: pairs per step for the torch trainers (default 1024 on CPU, 16384 on CUDA).
    torch_threads: CPU threads for the torch trainers on the CPU. One by default: their steps are
              small, and torch's OpenMP threads slow down badly when the cores are busy with
              other work (measured: 10 ms vs 280 ms per softmax step on a loaded 2-core machine).
    kernel:   the compiled trainer's kernel (:data:`KERNELS`): ``pair`` (word2vec's updates, one pair at a time),
              ``batched`` (HogBatch: one window's pairs against shared negatives; see
              :func:`explorer.training.sgns.kernels.skipgram_batched_sentence`) or ``default``
              (:data:`DEFAULT_KERNEL`: ``batched`` for both architectures).
    """
    from explorer.text.vocab import keep_probabilities, negative_distribution
    from explorer.training.sgns.init import WORDS_SALT, init_tables

    config.validate()
    callback = callback or no_progress
    if backend not in BACKENDS:
        raise ValueError(f"backend must be one of {BACKENDS}, got {backend!r}")
    if kernel not in KERNELS:
        raise ValueError(f"kernel must be one of {KERNELS}, got {kernel!r}")
    counts = np.asarray(counts, dtype=np.int64)
    n_vocab = counts.shape[0]
    ids = np.ascontiguousarray(ids, dtype=np.int32)
    offsets = np.ascontiguousarray(offsets, dtype=np.int64)
    if ids.size and (int(ids.min()) < 0 or int(ids.max()) >= n_vocab):
        raise ValueError("ids must lie in 0..len(counts)-1")
    if offsets.size < 2 or offsets[0] != 0 or offsets[-1] != ids.size:
        raise ValueError("offsets must start at 0 and end at len(ids)")
    device = resolve_device(config.device)
    workers = resolve_workers(config.workers)
    if config.arch == "cbow":  # CBOW is trained by the compiled CPU kernel only
        if backend not in ("auto", "numba"):
            raise ValueError(f"arch cbow trains with the numba backend, not {backend!r}")
        backend, device = "numba", "cpu"
    elif config.loss == "softmax":
        backend = "softmax"
    elif backend == "auto":
        backend = "numba" if device == "cpu" else "torch"
    if backend == "numba" and device != "cpu":
        raise ExplorerError("device: the compiled trainer runs on the CPU; use device cpu or the torch backend",
                            code="compiled_trainer_device")

    keep_prob = keep_probabilities(counts, config.sample) if config.sample > 0 else None
    neg_probs = negative_distribution(counts)
    # every backend starts from the same numbers (numpy's, so that the compiled path never loads torch)
    w_in, w_out = init_tables(n_vocab, config.dim, config.seed, WORDS_SALT)
    extra: dict = {}
    compile_s = 0.0
    recorder = None
    if config.frames:
        from explorer.training.frames import FrameRecorder, plan_frames

        # rows are sorted by frequency, so a plan that keeps fewer rows keeps the most frequent words
        recorder = FrameRecorder(plan_frames(config.frames + 1, config.epochs, n_vocab, config.dim),
                                 epochs=config.epochs)
    if backend == "numba":
        if recorder is not None:
            recorder.start(w_in)
        run = _train_numba(ids, offsets, keep_prob, neg_probs, w_in, w_out, config, workers, callback, extra, recorder,
                           kernel)
        loss_per_epoch, tracker, snapshots = run.loss_per_epoch, run.tracker, run.snapshots
        seconds, compile_s = run.seconds, run.compile_seconds
        vectors, context = w_in, w_out
    else:
        import torch

        from models.skipgram import SkipGramNS, SkipGramSoftmax

        if backend == "softmax":
            model = SkipGramSoftmax(n_vocab, config.dim)
        else:
            model = SkipGramNS(n_vocab, config.dim, sparse=(backend == "torch-autograd"))
        with torch.no_grad():
            model.in_embed.weight.copy_(torch.from_numpy(w_in))
            model.out_embed.weight.copy_(torch.from_numpy(w_out))
        if recorder is not None:
            recorder.start(model.in_embed.weight.detach().numpy())
        model.to(device)
        old_threads = torch.get_num_threads()
        if device == "cpu":
            torch.set_num_threads(max(1, torch_threads))
        try:
            bs = batch_size or (16384 if device == "cuda" else 1024)
            loss_per_epoch, tracker, snapshots, seconds = _train_torch(
                ids, offsets, keep_prob, neg_probs, model, config, device, backend, callback, bs, recorder)
        finally:
            torch.set_num_threads(old_threads)
        vectors = model.in_embed.weight.detach().float().cpu().numpy()
        context = model.out_embed.weight.detach().float().cpu().numpy()
        extra["batch_size"] = bs
    if not (np.isfinite(vectors).all() and np.isfinite(context).all()):
        raise ExplorerError(f"lr: training diverged (non-finite vectors) at lr={config.lr}; try a smaller lr",
                            code="train_diverged", lr=config.lr)
    total_words = int(offsets[-1]) * config.epochs
    if recorder is not None:
        recorder.finish(vectors, config.epochs, tracker.smoothed)
    return SkipGramResult(
        vectors=np.ascontiguousarray(vectors, dtype=np.float32),
        context_vectors=np.ascontiguousarray(context, dtype=np.float32),
        loss_per_epoch=loss_per_epoch,
        loss_history=tracker.history,
        words_per_s=total_words / seconds if seconds > 0 else float("inf"),
        seconds=seconds,
        snapshots=snapshots,
        device=device,
        backend=backend,
        workers=workers if backend == "numba" else max(1, torch_threads) if device == "cpu" else 1,
        compile_seconds=compile_s,
        extra=extra,
        frames=recorder,
    )


def _check_vocab_size(source: str, counts: np.ndarray, min_count: int, max_vocab: Optional[int]) -> None:
    """Raise ExplorerError, saying what to change, when fewer than 2 words occur ``min_count`` times.

    counts: int64 (V,) occurrences of each corpus token.
    """
    n = int(np.count_nonzero(np.asarray(counts) >= min_count))
    if max_vocab is not None:
        n = min(n, max_vocab)
    if n < 2:
        raise ExplorerError(
            f"{source}: only {n} distinct words occur at least min_count={min_count} times (need 2 or more); "
            f"lower min_count (--min-count) or use a bigger corpus",
            code="vocab_too_small", file=source, n=n, min_count=min_count,
        )


def _numba_trains(config: SkipGramConfig) -> bool:
    """Whether :func:`train_skipgram` will train ``config`` with the compiled kernels (CBOW always; Skip-gram on the
    CPU with negative sampling)."""
    return config.arch == "cbow" or (config.loss != "softmax" and resolve_device(config.device) == "cpu")


def _warm_kernels(arch: int) -> None:
    """Load the word2vec job (its machine code, or numba and numba's job) and the modules the training imports once
    it has the corpus (the package metadata the corpus cache's key reads, numpy's random generator, and its masked
    arrays, which ``np.unique`` asks for): this process loads them while the tokenizing child works, not after it."""
    with long_lived(freeze=True):
        import importlib.metadata  # noqa: F401  (the corpus cache's key asks for jieba's version)

        import numpy.ma  # noqa: F401
        import numpy.random  # noqa: F401

        from explorer.text import pairs  # noqa: F401
        from explorer.training.sgns import init, trainer  # noqa: F401
        from explorer.training.sgns.pool import warm

        warm(arch)


def train_skipgram_run(spec: SkipGramSpec, out_dir: Path, callback: ProgressCallback) -> Path:
    """The Skip-gram kind's runner: read the corpus in ``spec``, train, write the run directory ``out_dir``.

    Files written (see :mod:`explorer.runs`): config.json, metrics.json, vectors.npy, vocab.tsv,
    labels.tsv when ``spec.data.labels`` is given, snapshots.npy (float16 (epochs, V, d))
    when ``config.snapshots``, frames.npy + frames.json and context_vectors.npy (float32 (V, d), the
    output vectors) when ``config.frames`` (:mod:`explorer.training.frames`). Nothing is written when training fails or is stopped.
    ``spec.data.corpus_name`` (optional): the user's name for the corpus file, used in
    messages and as ``config.json``'s ``data.source`` (default: the stored file's name).
    """
    from explorer.resources import check_model_memory, disk_space
    from explorer.runs import atomic_run_dir, check_out_dir, write_json
    from explorer.text import cache
    from explorer.text.readers import read_labels, read_user_words
    from explorer.text.vocab import build_vocab, encode
    from explorer.training.overlap import load_corpus_while_warming, worth_forking
    from explorer.training.word_run import save_word_run

    out_dir = check_out_dir(Path(out_dir))
    data, config = spec.data, spec.config
    corpus_config = spec.corpus_config or CorpusConfig()
    corpus_path = data.corpus
    if not corpus_path:
        raise ExplorerError("corpus: no corpus file given", code="corpus_missing")
    user_words = read_user_words(Path(data.user_words)) if data.user_words else []
    labels = read_labels(Path(data.labels)) if data.labels else None

    # messages name the user's file, not the stored copy (uploads are stored under a hashed name);
    # spec.name is the run's name, not a file name, so the file's name travels as data.corpus_name
    source = data.corpus_name or None
    # the new cache entry is written while the vocabulary is built and the corpus encoded (one core each); a command
    # line's first numba training tokenizes in a child process while this one loads the kernels
    path = Path(corpus_path)
    warm = functools.partial(_warm_kernels, _job_arch(config)) if worth_forking(path) and _numba_trains(config) \
        else None
    corpus = load_corpus_while_warming(path, corpus_config, user_words, callback, source, warm)
    try:
        _check_vocab_size(corpus.source, corpus.counts, config.min_count, config.max_vocab)
        vocab, remap = build_vocab(corpus, config.min_count, config.max_vocab)
        ids, offsets = encode(corpus, remap)
    finally:
        cache.wait_for_writes()  # before training takes both cores
    n_vocab = len(vocab.tokens)  # build_vocab refuses fewer than 2 words, naming the file
    need = model_bytes(n_vocab, config.dim, config.epochs, config.snapshots)
    check_model_memory(need, f"{corpus.source}: vocabulary {n_vocab:,} words x dim {config.dim}"
                       + (f" x {config.epochs} snapshots" if config.snapshots else ""),
                       "lower --dim, raise --min-count or set --max-vocab" + (", or drop --snapshots"
                                                                            if config.snapshots else ""))
    result = train_skipgram(ids, offsets, vocab.counts, config, callback)

    with disk_space(out_dir.parent, need // 2 + 64 * n_vocab), atomic_run_dir(out_dir) as tmp:
        save_word_run(tmp, spec, config, corpus_config, corpus, vocab, result.vectors, labels)
        write_json(tmp / "metrics.json", {
            "loss_per_epoch": result.loss_per_epoch,
            "loss_history": [list(p) for p in result.loss_history],
            "words_per_s": result.words_per_s,
            "seconds": result.seconds,
            "compile_seconds": result.compile_seconds,
            "n_tokens": int(ids.size),
            "vocab_size": n_vocab,
            "device": result.device,
            "backend": result.backend,
            "workers": result.workers,
            "epochs": config.epochs,
        })
        if result.snapshots:
            np.save(tmp / "snapshots.npy", np.stack(result.snapshots).astype(np.float16))
        if result.frames is not None:
            from explorer.runs.frames import CONTEXT_FILE
            from explorer.training.frames import save_frames

            save_frames(tmp, result.frames)
            # the objective lesson scores real pairs, which needs the output (context) vectors too
            np.save(tmp / CONTEXT_FILE, result.context_vectors)
    return out_dir


