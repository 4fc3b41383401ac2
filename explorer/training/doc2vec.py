"""Doc2Vec: document vectors trained on the user's documents (Le & Mikolov 2014), on the shared word2vec engine.

- ``arch="dbow"`` (PV-DBOW, the default): each document's row predicts the document's words with negative
  sampling (``ARCH_DBOW`` of :mod:`explorer.training.sgns.kernels`); with ``dbow_words`` every epoch also
  trains Skip-gram on the same documents into the word rows, sharing the output table (gensim's
  ``dbow_words=1``), so word vectors come out too;
- ``arch="dm"`` (PV-DM, mean): the mean of the document's row and its context words' rows predicts each
  word (:func:`explorer.training.doc2vec_kernels.dm_job`).

One input table holds the word rows ``0..V-1`` and the document rows ``V..V+D-1`` (so Skip-gram and PV-DM
read word rows by their ids and PV-DBOW reads document rows through the stream's ``rows``). The learning
rate falls linearly from ``lr`` to ``lr * 1e-4`` over all the words of all epochs (both passes of
``dbow_words`` counted); frames keep the document rows. Inference (:func:`infer`) trains a new row
against the frozen tables.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

import numpy as np

from explorer.errors import ExplorerError, TrainingStopped
from explorer.progress import Progress, ProgressCallback, no_progress
from explorer.training.sgns.tracking import LossTracker, Reporter, lr_at, maybe_frame

SALT_DOC2VEC = 0x2D0C  # the init tables' random stream


def init_scale(arch: str) -> float:
    """How much wider than word2vec's ``U(-0.5, 0.5) / dim`` the input rows start (training and inference).

    PV-DM starts its rows at gensim 4's ``U(-1, 1) / dim``: a document's row is one of ~7 rows averaged into
    each prediction, and with the narrower start the trained rows stayed so alike that an inferred training
    document found its own row first for only 7-14 % of the planted corpus's documents at 20 epochs (gensim
    24-35 %) and 92-96 % at 50 (gensim 99 %); with gensim's start 24-33 % and 98-99 % (3 seeds each,
    bench/results_doc2vec.md). PV-DBOW keeps word2vec's start (its quality was measured against gensim with it).
    """
    return 2.0 if arch == "dm" else 1.0
# inference trains as many epochs as training did (gensim's default): more fits the new text closer to
# its own words but generalises worse (Lee corpus, 40 training epochs: Pearson 0.44 at 40 inference
# epochs, 0.39 at 100, 0.32 at 300; bench/results_doc2vec.md)


@dataclass
class Doc2VecResult:
    doc_vectors: np.ndarray  # float32 (D, d)
    word_vectors: Optional[np.ndarray]  # float32 (V, d) when words were trained (dbow_words or dm)
    word_in: np.ndarray  # float32 (V, d) the word input rows (random when not trained)
    output: np.ndarray  # float32 (V, d) the output table
    loss_per_epoch: list[float]
    loss_history: list[tuple[float, float]]
    words_per_s: float
    seconds: float
    workers: int
    frames: Optional[Any] = None


def tokenize(texts: Sequence[str], lang: str = "auto", remove_stopwords: bool = False) -> tuple[str, list[list[str]]]:
    """(the language used, the tokens of each text) with the corpus tokenizer."""
    from explorer.text.tokenizer import make_tokenizer, resolve_lang

    lang = resolve_lang(lang, [t for t in texts[:2000] if t])
    tok = make_tokenizer(lang, remove_stopwords=remove_stopwords)
    return lang, [tok(t) if t else [] for t in texts]


def build_vocab(token_lists: Sequence[Sequence[str]], min_count: int,
                max_vocab: Optional[int] = None) -> tuple[list[str], np.ndarray]:
    """Words seen at least ``min_count`` times, most frequent first (ties: first seen); their counts."""
    counts: dict[str, int] = {}
    for tokens in token_lists:
        for t in tokens:
            counts[t] = counts.get(t, 0) + 1
    order = sorted((w for w, c in counts.items() if c >= min_count), key=lambda w: -counts[w])  # stable: first seen
    if max_vocab is not None:
        order = order[:max_vocab]
    return order, np.array([counts[w] for w in order], dtype=np.int64)


def encode(token_lists: Sequence[Sequence[str]], index: dict[str, int]) -> tuple[np.ndarray, np.ndarray]:
    """int32 ids of the known words of every document, concatenated, and int64 (D+1,) offsets."""
    pieces = [np.array([index[t] for t in tokens if t in index], dtype=np.int32) for tokens in token_lists]
    offsets = np.zeros(len(pieces) + 1, np.int64)
    offsets[1:] = np.cumsum([p.size for p in pieces])
    ids = np.concatenate(pieces) if pieces else np.zeros(0, np.int32)
    return ids.astype(np.int32, copy=False), offsets


def train_doc2vec(ids: np.ndarray, offsets: np.ndarray, counts: np.ndarray, config: Any,
                  callback: Optional[ProgressCallback] = None) -> Doc2VecResult:
    """Train document vectors for the D documents of ``ids``/``offsets`` (see the module docstring).

    ids: int32 (N,) word ids in 0..V-1; offsets: int64 (D+1,) document boundaries; counts: int64 (V,).
    ``config``: a :class:`explorer.kinds.doc2vec.Doc2VecConfig`.
    """
    from explorer.text.vocab import keep_probabilities, negative_distribution
    from explorer.training.doc2vec_kernels import dm_job
    from explorer.training.sgns import kernels as K
    from explorer.training.sgns import pool, tables
    from explorer.training.sgns.init import init_tables
    from explorer.training.sgns.rng import seed_state

    callback = callback or no_progress
    counts = np.asarray(counts, dtype=np.int64)
    n_vocab, n_docs = counts.shape[0], offsets.shape[0] - 1
    workers = pool.resolve_workers(config.workers)
    w_in, w_out = init_tables(n_vocab + n_docs, config.dim, config.seed, SALT_DOC2VEC, n_out=n_vocab)
    w_in *= np.float32(init_scale(config.arch))
    docs_view = w_in[n_vocab:]
    keep_prob = keep_probabilities(counts, config.sample) if config.sample > 0 else None
    keep = tables.keep_all(n_vocab) if keep_prob is None else tables.keep_thresholds(keep_prob)
    threshold, alias = tables.build_alias(negative_distribution(counts))
    rows = np.arange(n_vocab, n_vocab + n_docs, dtype=np.int64)
    stream = pool.split_stream(pool.Stream(np.ascontiguousarray(ids, np.int32), offsets, rows))
    phases: list[Optional[pool.Tables]] = []
    if config.arch == "dm":
        phases.append(None)
    else:
        phases.append(pool.Tables(K.ARCH_DBOW, w_in, w_out, keep, threshold, alias, config.window, config.negatives,
                                  config.seed))
        if config.dbow_words:
            phases.append(pool.Tables(K.ARCH_SKIPGRAM, w_in, w_out, keep, threshold, alias, config.window,
                                      config.negatives, config.seed))
    recorder = None
    if config.frames:
        from explorer.training.frames import FrameRecorder, plan_frames

        recorder = FrameRecorder(plan_frames(config.frames + 1, config.epochs, n_docs, config.dim),
                                 epochs=config.epochs)
        recorder.start(docs_view)
    if callback(Progress(stage="train", progress=0.0, epoch=1, epochs=config.epochs,
                         message="preparing the compiled trainer")):
        raise TrainingStopped()
    for phase in phases:
        if phase is not None:
            pool.compile_kernel(phase, stream)
    n_words = int(stream.offsets[-1] - stream.offsets[0])
    total = max(1, n_words * config.epochs * len(phases))
    reporter = Reporter(callback, config.epochs, total)
    tracker = LossTracker()
    loss_per_epoch: list[float] = []
    done = 0
    job_no = 0
    frame_at = None if recorder is None else recorder.plan.at
    start = time.perf_counter()
    for epoch in range(config.epochs):
        sums = np.zeros(2)
        for phase in phases:
            jobs = []
            base = done
            for s0, s1 in pool.epoch_sentence_jobs(stream.offsets, epoch, config.epochs, frame_at):
                a = base + int(stream.offsets[s0] - stream.offsets[0])
                size = stream.words(s0, s1)
                job_no += 1
                jobs.append(pool.Job(s0, s1, lr_at(config.lr, a / total), lr_at(config.lr, (a + size) / total), job_no))

            def on_done(j: int, job: pool.Job, stats: np.ndarray, epoch: int = epoch, sums: np.ndarray = sums,
                        dbow: bool = phase is phases[0]) -> None:
                nonlocal done
                done += stream.words(job.first, job.end)
                tracker.add(done / total, stats[K.STAT_LOSS_SUM], stats[K.STAT_LOSS_PAIRS])
                if dbow:
                    sums[0] += stats[K.STAT_LOSS_SUM]
                    sums[1] += stats[K.STAT_LOSS_PAIRS]
                    maybe_frame(recorder, docs_view, epoch + 1, done / total, tracker, callback)

            def poll(epoch: int = epoch) -> bool:
                return reporter.report(done, epoch + 1, tracker.smoothed)

            if phase is None:
                _run_dm(stream, jobs, w_in, w_out, keep, threshold, alias, config, workers, on_done, poll,
                        dm_job, seed_state)
            else:
                pool.run_jobs(phase, stream, jobs, workers, on_done, poll, name="doc2vec")
        loss_per_epoch.append(float(sums[0] / sums[1]) if sums[1] else float("nan"))
        if reporter.report(done, epoch + 1, tracker.smoothed, force=True):
            raise TrainingStopped()
    seconds = time.perf_counter() - start
    if not (np.isfinite(w_in).all() and np.isfinite(w_out).all()):
        raise ExplorerError(f"lr: training diverged (non-finite vectors) at lr={config.lr}; try a smaller lr",
                            code="train_diverged", lr=config.lr)
    if recorder is not None:
        recorder.finish(docs_view, config.epochs, tracker.smoothed)
    words_trained = config.arch == "dm" or config.dbow_words
    return Doc2VecResult(
        doc_vectors=np.ascontiguousarray(docs_view), word_vectors=np.ascontiguousarray(w_in[:n_vocab])
        if words_trained else None, word_in=np.ascontiguousarray(w_in[:n_vocab]), output=w_out,
        loss_per_epoch=loss_per_epoch, loss_history=tracker.history,
        words_per_s=n_words * config.epochs / seconds if seconds > 0 else float("inf"), seconds=seconds,
        workers=workers, frames=recorder)


def _run_dm(stream: Any, jobs: list, w_in: np.ndarray, w_out: np.ndarray, keep: np.ndarray, threshold: np.ndarray,
            alias: np.ndarray, config: Any, workers: int, on_done: Any, poll: Any, dm_job: Any,
            seed_state: Any) -> None:
    """PV-DM jobs on ``workers`` threads (the compiled job releases the interpreter lock)."""
    import threading

    lock = threading.Lock()
    stop = threading.Event()
    errors: list[BaseException] = []
    nxt = [0]

    def worker() -> None:
        stats = np.zeros(4, np.float64)
        try:
            while not stop.is_set():
                with lock:
                    j = nxt[0]
                    nxt[0] += 1
                if j >= len(jobs):
                    return
                job = jobs[j]
                stats[:] = 0
                dm_job(stream.ids, stream.offsets, stream.rows, job.first, job.end, w_in, w_out, keep, threshold,
                       alias, config.window, config.negatives, job.lr_begin, job.lr_end,
                       np.uint64(seed_state(config.seed, job.stream)), stats)
                out = np.zeros(8, np.float64)
                from explorer.training.sgns import kernels as K

                out[K.STAT_WORDS], out[K.STAT_PAIRS] = stats[0], stats[1]
                out[K.STAT_LOSS_SUM], out[K.STAT_LOSS_PAIRS] = stats[2], stats[3]
                with lock:
                    on_done(j, job, out)
        except BaseException as exc:  # surfaced in the calling thread
            errors.append(exc)
            stop.set()

    threads = [threading.Thread(target=worker, name=f"doc2vec-dm-{i}", daemon=True) for i in range(workers)]
    for t in threads:
        t.start()
    stopped = False
    for t in threads:
        while t.is_alive():
            t.join(0.05)
            if not stopped and poll():
                stopped = True
                stop.set()
    if errors:
        raise errors[0]
    if stopped:
        raise TrainingStopped()


# --------------------------------------------------------------------------- inference


@dataclass
class InferenceModel:
    """What inference needs from a Doc2Vec run: the vocabulary, the frozen tables and the settings."""

    index: dict[str, int]
    counts: np.ndarray
    word_in: Optional[np.ndarray]  # PV-DM only
    output: np.ndarray
    config: Any  # a Doc2VecConfig
    lang: str

    @classmethod
    def from_run(cls, run_dir: Path) -> InferenceModel:
        from explorer.runs import load_run
        from explorer.runs.directory import read_tsv
        from explorer.runs.formats import open_npy

        run = load_run(Path(run_dir))
        config = run.settings  # the recorded Doc2VecConfig
        _, rows = read_tsv(run.path / "vocab.tsv")
        words = [r[0] for r in rows]
        counts = np.array([int(r[1]) for r in rows], dtype=np.int64)
        output = np.asarray(open_npy(run.path / "context_vectors.npy", str(run.path / "context_vectors.npy")))
        word_in = None
        if config.arch == "dm":
            word_in = np.asarray(open_npy(run.path / "vectors.npy", str(run.path / "vectors.npy")))
        return cls({w: i for i, w in enumerate(words)}, counts, word_in, output, config,
                   config.lang if config.lang in ("en", "zh", "pretokenized") else "en")

    def tokens(self, text: str) -> list[str]:
        """``text`` cut into words by the run's tokenizer."""
        from explorer.text.clean import clean_line
        from explorer.text.tokenizer import make_tokenizer

        return make_tokenizer(self.lang if self.lang in ("en", "zh", "pretokenized") else "en")(clean_line(text))

    def known(self, text: str) -> bool:
        """Whether at least one word of ``text`` is in the vocabulary."""
        return any(t in self.index for t in self.tokens(text))

    def infer(self, text: str, epochs: Optional[int] = None, seed: Optional[int] = None) -> np.ndarray:
        """float32 (d,): the vector of ``text`` (deterministic for a text, the run's seed and ``epochs``)."""
        from explorer.text.vocab import keep_probabilities, negative_distribution
        from explorer.training.doc2vec_kernels import infer_vector
        from explorer.training.sgns.tables import build_alias, keep_all, keep_thresholds

        tokens = self.tokens(text)
        ids = np.array([self.index[t] for t in tokens if t in self.index], dtype=np.int64)
        if not hasattr(self, "_alias"):
            self._alias = build_alias(negative_distribution(self.counts))
            sample = float(getattr(self.config, "sample", 0.0))
            self._keep = (keep_thresholds(keep_probabilities(self.counts, sample)) if sample > 0
                          else keep_all(self.counts.shape[0]))
        threshold, alias = self._alias
        dim = self.output.shape[1]
        seed = int(self.config.seed) if seed is None else seed
        rng = np.random.default_rng([seed, SALT_DOC2VEC, ids.size])
        doc = ((rng.random(dim, dtype=np.float32) - np.float32(0.5)) / np.float32(dim)
               * np.float32(init_scale(self.config.arch))).astype(np.float32)
        dm = self.config.arch == "dm"
        w_in = self.word_in if dm and self.word_in is not None else self.output
        infer_vector(ids, doc, w_in, self.output, threshold, alias, dm, int(self.config.window),
                     int(self.config.negatives), int(epochs or self.config.epochs), float(self.config.lr), seed,
                     self._keep)
        return doc


def infer(run_dir: Path, text: str) -> np.ndarray:
    """The inferred vector of ``text`` for the Doc2Vec run ``run_dir``. Raises ExplorerError when no word of
    ``text`` is in the run's vocabulary (the vector would be the seeded starting point: a confident-looking
    answer that means nothing)."""
    model = InferenceModel.from_run(run_dir)
    if not model.known(text):
        raise_no_known_words(text)
    return model.infer(text)


def raise_no_known_words(text: str) -> None:
    """The one-line error of a query without a single known word."""
    query = " ".join(text.split())
    query = query if len(query) <= 40 else query[:39] + "…"
    raise ExplorerError(f"none of the words of {query!r} is in the model's vocabulary: its vector would say nothing",
                        code="query_no_known_words", query=query)


# --------------------------------------------------------------------------- the runner


def train_doc2vec_run(spec: Any, out_dir: Path, callback: ProgressCallback) -> Path:
    """The Doc2Vec kind's runner: read the documents, train, write the run directory ``out_dir``.

    Files: config.json, metrics.json, doc_vectors.npy, docs.tsv, vocab.tsv and context_vectors.npy (what
    inference needs), vectors.npy (the word vectors) when words were trained (``dbow_words`` or PV-DM),
    frames.npy + frames.json with ``frames``. Nothing is written when training fails or is stopped.
    """
    from explorer.configs import to_dict
    from explorer.documents import documents_metrics, documents_record, read_data_documents, write_documents
    from explorer.runs import atomic_run_dir, check_out_dir, save_vectors, write_config, write_json

    out_dir = check_out_dir(Path(out_dir))
    data, config = spec.data, spec.config
    path, docs = read_data_documents(data)
    callback(Progress(stage="read", progress=1.0, message=docs.summary()))
    lang, token_lists = tokenize(docs.texts, config.lang)
    words, counts = build_vocab(token_lists, config.min_count, config.max_vocab)
    if len(words) < 2:
        raise ExplorerError(f"{docs.source}: only {len(words)} distinct words occur at least min_count="
                            f"{config.min_count} times (need 2 or more); lower min_count or use more documents",
                            code="vocab_too_small", file=docs.source, n=len(words), min_count=config.min_count)
    ids, offsets = encode(token_lists, {w: i for i, w in enumerate(words)})
    result = train_doc2vec(ids, offsets, counts, config, callback)
    with atomic_run_dir(out_dir) as tmp:
        write_documents(tmp, docs, result.doc_vectors)
        if result.word_vectors is not None:
            save_vectors(tmp, result.word_vectors, words, counts)
        else:
            from explorer.runs.directory import write_tsv

            write_tsv(tmp / "vocab.tsv", ["token", "count"], zip(words, (int(c) for c in counts), strict=True))
        np.save(tmp / "context_vectors.npy", result.output)
        # the language the tokenizer used (auto resolved), so that inference tokenizes new text the same way
        write_config(tmp, spec.kind, config={**to_dict(config), "lang": lang}, name=spec.name, data={
            **documents_record(path, docs), "lang": lang, "n_tokens": int(ids.size), "vocab_size": len(words)})
        write_json(tmp / "metrics.json", {
            "loss_per_epoch": result.loss_per_epoch, "loss_history": [list(p) for p in result.loss_history],
            "words_per_s": result.words_per_s, "seconds": result.seconds, "n_tokens": int(ids.size),
            "vocab_size": len(words), "workers": result.workers, "epochs": config.epochs, **documents_metrics(docs),
            "device": "cpu", "backend": "numba"})
        if result.frames is not None:
            from explorer.training.frames import save_frames

            save_frames(tmp, result.frames)
    return out_dir
