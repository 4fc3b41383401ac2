"""The shared word2vec engine (explorer.training.sgns): the PV-DBOW architecture, streams with document rows,
the thread pool's stop and error handling, the public random numbers."""

from __future__ import annotations

import time

import numpy as np
import pytest

from explorer.errors import TrainingStopped
from explorer.training.sgns import kernels as K
from explorer.training.sgns import pool, rng, tables, trainer
from explorer.training.sgns.init import init_tables


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + np.exp(-x))


def test_dbow_job_is_one_sgd_step_per_word_from_the_document_row() -> None:
    # document 1 = the sentence [0, 2]; the only negative is word 3: pairs (doc 1 -> 0), then (doc 1 -> 2)
    r = np.random.default_rng(0)
    docs = r.normal(0, 0.3, (2, 4)).astype(np.float32)
    words = r.normal(0, 0.3, (4, 4)).astype(np.float32)
    lr = 0.2
    exp_docs, exp_words = docs.astype(np.float64), words.astype(np.float64)
    for word in (0, 2):
        u = exp_docs[1].copy()
        g_pos = (1 - _sigmoid(u @ exp_words[word])) * lr
        g_neg = -_sigmoid(u @ exp_words[3]) * lr
        grad_u = g_pos * exp_words[word] + g_neg * exp_words[3]
        exp_words[word] += g_pos * u
        exp_words[3] += g_neg * u
        exp_docs[1] += grad_u
    threshold, alias = tables.build_alias(np.array([0.0, 0.0, 0.0, 1.0]))
    stats = np.zeros(K.N_STATS)
    K.train_job(K.ARCH_DBOW, np.array([0, 2], np.int32), np.array([0, 2], np.int64), np.array([1], np.int64), 0, 1,
                docs, words, tables.keep_all(4), threshold, alias, 5, 1, lr, lr, np.uint64(rng.seed_state(0, 1)),
                np.empty(2, np.int32), np.zeros(4, np.float32), stats)
    np.testing.assert_allclose(docs, exp_docs, rtol=1e-4, atol=2e-6)
    np.testing.assert_allclose(words, exp_words, rtol=1e-4, atol=2e-6)
    assert stats[K.STAT_WORDS] == 2 and stats[K.STAT_PAIRS] == 2


def _topic_documents(n_docs: int, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Documents of 30..60 words, each from one of two topics of 15 words (0-14, 15-29) plus 5 shared
    words (30-34): (ids, offsets, rows = 0..n_docs-1, topic of each document)."""
    r = np.random.default_rng(seed)
    topics = r.integers(0, 2, n_docs)
    docs = []
    for t in topics:
        n = int(r.integers(30, 61))
        docs.append(np.where(r.random(n) < 0.8, t * 15 + r.integers(0, 15, n), 30 + r.integers(0, 5, n)))
    ids = np.concatenate(docs).astype(np.int32)
    offsets = np.concatenate([[0], np.cumsum([len(d) for d in docs])]).astype(np.int64)
    return ids, offsets, np.arange(n_docs, dtype=np.int64), topics


@pytest.mark.parametrize("workers", [1, 2])
def test_dbow_document_vectors_separate_planted_topics(workers: int) -> None:
    ids, offsets, rows, topics = _topic_documents(60, seed=3)
    counts = np.bincount(ids, minlength=35).astype(np.float64)
    threshold, alias = tables.build_alias(counts ** 0.75)
    docs, words = init_tables(60, 16, seed=1, salt=7, n_out=35)
    shared = pool.Tables(K.ARCH_DBOW, docs, words, tables.keep_all(35), threshold, alias, 5, 5, seed=1)
    run = trainer.train_epochs(shared, pool.Stream(ids, offsets, rows), epochs=15, lr=0.05, workers=workers,
                               callback=lambda p: False)
    assert run.pairs == [int(offsets[-1])] * 15  # one (document, word) pair per word, no subsampling
    assert run.loss_per_epoch[-1] < run.loss_per_epoch[0]
    u = docs / np.linalg.norm(docs, axis=1, keepdims=True)
    centres = np.stack([u[topics == t].mean(0) for t in (0, 1)])
    assert ((u @ centres.T).argmax(1) == topics).mean() >= 0.95


def test_split_stream_keeps_each_piece_on_its_document_row() -> None:
    stream = pool.Stream(np.zeros(27, np.int32), np.array([0, 3, 25, 27]), np.array([7, 8, 9], np.int64))
    split = pool.split_stream(stream, max_len=10)
    assert split.offsets.tolist() == [0, 3, 13, 23, 25, 27]
    assert split.rows.tolist() == [7, 8, 8, 8, 9]
    assert split.longest == 10
    assert pool.split_stream(pool.Stream(np.zeros(4, np.int32), np.array([0, 4])), max_len=10).offsets.tolist() == [0, 4]


def _small_run() -> tuple[pool.Tables, pool.Stream, list[pool.Job]]:
    r = np.random.default_rng(0)
    ids = r.integers(0, 20, 40_000).astype(np.int32)
    offsets = np.arange(0, 40_001, 20, dtype=np.int64)
    threshold, alias = tables.build_alias(np.ones(20))
    w_in, w_out = init_tables(20, 8, seed=0, salt=1)
    shared = pool.Tables(K.ARCH_SKIPGRAM, w_in, w_out, tables.keep_all(20), threshold, alias, 3, 2, seed=0)
    jobs = [pool.Job(a, b, 0.025, 0.025, 1 + j) for j, (a, b) in enumerate(pool.sentence_jobs(offsets, 1000))]
    return shared, pool.Stream(ids, offsets), jobs


@pytest.mark.parametrize("workers", [1, 2])
def test_the_pool_stops_when_poll_says_so(workers: int) -> None:
    shared, stream, jobs = _small_run()
    done: list[int] = []

    def slow_bookkeeping(j: int, job: pool.Job, stats: np.ndarray) -> None:
        done.append(j)
        time.sleep(0.01)  # 40 jobs take 0.4 s: the first poll (after 0.05 s) comes well before the end

    with pytest.raises(TrainingStopped):
        pool.run_jobs(shared, stream, jobs, workers, slow_bookkeeping, lambda: True)
    assert len(done) < len(jobs)  # the jobs not started yet never run
    pool.run_jobs(shared, stream, jobs, workers, lambda j, job, stats: done.append(j), lambda: False)
    assert len(done) >= len(jobs)


@pytest.mark.parametrize("workers", [1, 2])
def test_an_error_in_a_job_reaches_the_caller(workers: int) -> None:
    shared, stream, jobs = _small_run()

    def on_done(j: int, job: pool.Job, stats: np.ndarray) -> None:
        if j == 2:
            raise RuntimeError("job 2 failed")

    with pytest.raises(RuntimeError, match="job 2 failed"):
        pool.run_jobs(shared, stream, jobs, workers, on_done, lambda: False)


def test_jobs_draw_from_their_own_streams_whatever_the_thread_count() -> None:
    kept = {}
    for workers in (1, 2):
        shared, stream, jobs = _small_run()
        stats_by_job: dict[int, tuple[float, ...]] = {}

        def on_done(j: int, job: pool.Job, stats: np.ndarray, out: dict = stats_by_job) -> None:
            out[j] = (stats[K.STAT_WORDS], stats[K.STAT_PAIRS])

        pool.run_jobs(shared, stream, jobs, workers, on_done, lambda: False)
        kept[workers] = stats_by_job
    assert kept[1] == kept[2] and len(kept[1]) == len(jobs)


def test_the_random_numbers_are_public_and_uniform() -> None:
    state = np.uint64(rng.seed_state(5, 0))  # from Python, states stay uint64 (the compiled code's type)
    draws = []
    for _ in range(20_000):
        state = np.uint64(rng.xorshift(state))
        draws.append(rng.below(state, 10))
    counts = np.bincount(draws, minlength=10)
    assert counts.min() > 1800 and counts.max() < 2200
