"""The Skip-gram trainers: the compiled kernel against autograd, training behaviour, the run job."""

from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np
import pytest
import torch

from explorer.configs import CorpusConfig, to_dict
from explorer.errors import ExplorerError, TrainingStopped
from explorer.kinds import SkipGramConfig, TrainingSpec, spec_from_dict
from explorer.progress import Progress
from explorer.runs import load_run
from explorer.training.sgns import kernels as K
from explorer.training.sgns.pool import resolve_workers, split_long_sentences
from explorer.training.sgns.rng import seed_state
from explorer.training.sgns.tables import build_alias, keep_thresholds
from explorer.training.skipgram import SkipGramResult, train_skipgram, train_skipgram_run
from models.skipgram import SkipGramNS

# --------------------------------------------------------------------------- the kernel vs autograd


def _sgd_step_with_autograd(w_in: np.ndarray, w_out: np.ndarray, centre: int, context: int,
                            negatives: list[int], lr: float) -> tuple[np.ndarray, np.ndarray]:
    model = SkipGramNS(*w_in.shape)
    with torch.no_grad():
        model.in_embed.weight.copy_(torch.from_numpy(w_in))
        model.out_embed.weight.copy_(torch.from_numpy(w_out))
    loss = model.pair_losses(torch.tensor([centre]), torch.tensor([context]), torch.tensor([negatives])).sum()
    loss.backward()
    with torch.no_grad():
        new_in = model.in_embed.weight - lr * model.in_embed.weight.grad
        new_out = model.out_embed.weight - lr * model.out_embed.weight.grad
    return new_in.numpy(), new_out.numpy()


def test_kernel_pair_step_equals_an_sgd_step_with_autograd_gradients() -> None:
    rng = np.random.default_rng(0)
    w_in = rng.normal(0, 0.5, (8, 5)).astype(np.float32)
    w_out = rng.normal(0, 0.5, (8, 5)).astype(np.float32)
    centre, context, negatives, lr = 2, 5, [0, 3, 7], 0.1
    expected_in, expected_out = _sgd_step_with_autograd(w_in, w_out, centre, context, negatives, lr)

    targets = np.array([context, *negatives], dtype=np.int64)
    loss = K.sgns_pair_update(w_in, w_out, centre, targets, len(targets), np.float32(lr),
                              np.zeros(5, np.float32), True)
    np.testing.assert_allclose(w_in, expected_in, rtol=1e-4, atol=2e-6)
    np.testing.assert_allclose(w_out, expected_out, rtol=1e-4, atol=2e-6)
    assert loss > 0


def test_kernel_pair_step_reports_the_exact_loss() -> None:
    w_in = np.array([[1.0, 0.0], [0.0, 0.0], [0.0, 0.0]], np.float32)
    w_out = np.array([[0.0, 0.0], [2.0, 0.0], [-1.0, 3.0]], np.float32)
    loss = K.sgns_pair_update(w_in, w_out, 0, np.array([1, 2]), 2, np.float32(0.0), np.zeros(2, np.float32), True)
    assert loss == pytest.approx(np.log1p(np.exp(-2.0)) + np.log1p(np.exp(-1.0)), rel=1e-5)


def test_train_job_is_word2vec_sgd_on_a_tiny_corpus() -> None:
    # sentence [0, 1], window 1, no subsampling, every negative is word 2 (its probability is 1):
    # the kernel must take the SGD step of pair (0 -> 1) and then of pair (1 -> 0)
    rng = np.random.default_rng(1)
    w_in = rng.normal(0, 0.3, (3, 4)).astype(np.float32)
    w_out = rng.normal(0, 0.3, (3, 4)).astype(np.float32)
    lr = 0.2
    exp_in, exp_out = _sgd_step_with_autograd(w_in, w_out, 0, 1, [2], lr)
    exp_in, exp_out = _sgd_step_with_autograd(exp_in, exp_out, 1, 0, [2], lr)

    threshold, alias = build_alias(np.array([0.0, 0.0, 1.0]))
    keep = keep_thresholds(np.ones(3))
    stats = np.zeros(K.N_STATS)
    K.train_job(K.ARCH_SKIPGRAM, np.array([0, 1], np.int32), np.array([0, 2], np.int64), K.NO_ROWS, 0, 1, w_in, w_out, keep, threshold,
                alias, 1, 1, lr, lr, np.uint64(seed_state(0, 1)), np.empty(2, np.int32), np.zeros(4, np.float32),
                stats)
    np.testing.assert_allclose(w_in, exp_in, rtol=1e-4, atol=2e-6)
    np.testing.assert_allclose(w_out, exp_out, rtol=1e-4, atol=2e-6)
    assert stats[K.STAT_RAW_WORDS] == 2 and stats[K.STAT_WORDS] == 2 and stats[K.STAT_PAIRS] == 2


def test_alias_table_reproduces_the_distribution_exactly() -> None:
    probs = np.array([0.5, 0.2, 0.15, 0.1, 0.05, 0.0])
    threshold, alias = build_alias(probs)
    n = probs.size
    stay = threshold.astype(np.float64) / 2.0**32
    mass = stay / n
    np.add.at(mass, alias, (1.0 - stay) / n)
    np.testing.assert_allclose(mass, probs, atol=1e-9)


def test_kernel_subsampling_and_window_statistics() -> None:
    # 200k tokens of a 4-word vocabulary; word 0 kept with p=0.25. Pairs per kept word with window
    # 5 in long sentences: 2 * E[b] = 2 * 3 = 6
    rng = np.random.default_rng(2)
    ids = rng.integers(0, 4, 200_000).astype(np.int32)
    offsets = np.arange(0, 200_001, 10_000, dtype=np.int64)
    keep = keep_thresholds(np.array([0.25, 1.0, 1.0, 1.0]))
    threshold, alias = build_alias(np.full(4, 0.25))
    w_in = np.zeros((4, 4), np.float32)
    stats = np.zeros(K.N_STATS)
    K.train_job(K.ARCH_SKIPGRAM, ids, offsets, K.NO_ROWS, 0, 20, w_in, np.zeros((4, 4), np.float32), keep, threshold, alias, 5, 2, 0.0, 0.0,
                np.uint64(seed_state(3, 0)), np.empty(10_000, np.int32), np.zeros(4, np.float32), stats)
    expected_kept = 200_000 * (0.25 * 0.25 + 0.75)
    assert stats[K.STAT_WORDS] == pytest.approx(expected_kept, rel=0.01)
    assert stats[K.STAT_PAIRS] / stats[K.STAT_WORDS] == pytest.approx(6.0, rel=0.01)
    # with zero vectors every term is log 2: 1 positive + 2 negatives, minus the negatives equal to
    # the context (word2vec skips those; here 1 in 4): (1 + 2 * 0.75) log 2
    assert stats[K.STAT_LOSS_SUM] / stats[K.STAT_LOSS_PAIRS] == pytest.approx(2.5 * np.log(2), rel=0.02)


def test_split_long_sentences() -> None:
    out = split_long_sentences(np.array([0, 3, 25, 26]), max_len=10)
    assert out.tolist() == [0, 3, 13, 23, 25, 26]
    same = np.array([0, 5, 9])
    assert split_long_sentences(same, 10) is not None and split_long_sentences(same, 10).tolist() == [0, 5, 9]


# --------------------------------------------------------------------------- training behaviour


def _topic_corpus(n_sentences: int = 3000, seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Two planted topics: words 0-9 and words 10-19, never in the same sentence, plus 5 fillers."""
    rng = np.random.default_rng(seed)
    topic = rng.integers(0, 2, n_sentences)
    lengths = rng.integers(5, 12, n_sentences)
    words = [np.where(rng.random(n) < 0.3, 20 + rng.integers(0, 5, n), t * 10 + rng.integers(0, 10, n))
             for t, n in zip(topic, lengths, strict=True)]
    ids = np.concatenate(words).astype(np.int32)
    offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
    return ids, offsets, np.bincount(ids, minlength=25).astype(np.int64)


def _cos(v: np.ndarray, a: int, b: int) -> float:
    return float(v[a] @ v[b] / (np.linalg.norm(v[a]) * np.linalg.norm(v[b])))


def _topic_gap(v: np.ndarray) -> float:
    same = np.mean([_cos(v, a, b) for a in range(10) for b in range(10) if a != b])
    other = np.mean([_cos(v, a, b) for a in range(10) for b in range(10, 20)])
    return float(same - other)


CFG = dict(dim=16, window=3, negatives=3, epochs=4, min_count=1, sample=0.0, seed=0)


def test_numba_trainer_learns_planted_topics_and_loss_decreases() -> None:
    ids, offsets, counts = _topic_corpus()
    seen: list[Progress] = []
    res = train_skipgram(ids, offsets, counts, SkipGramConfig(**CFG, workers=1), seen.append)
    assert isinstance(res, SkipGramResult) and res.backend == "numba" and res.device == "cpu"
    assert res.vectors.shape == (25, 16) and res.vectors.dtype == np.float32
    assert res.context_vectors.shape == (25, 16)
    assert len(res.loss_per_epoch) == 4
    assert res.loss_per_epoch[-1] < res.loss_per_epoch[0] < 4 * np.log(2) + 0.05
    assert _topic_gap(res.vectors) > 0.3
    assert res.words_per_s > 0 and res.seconds > 0
    assert 0 < len(res.loss_history) <= 300
    progress = [p.progress for p in seen]
    assert all(p.stage == "train" for p in seen) and progress == sorted(progress) and progress[-1] == 1.0
    assert seen[-1].epoch == 4 and seen[-1].epochs == 4 and seen[-1].loss is not None and seen[-1].rate


def test_same_seed_one_worker_is_bit_identical() -> None:
    ids, offsets, counts = _topic_corpus(800)
    cfg = SkipGramConfig(**{**CFG, "sample": 1e-2}, workers=1)
    a = train_skipgram(ids, offsets, counts, cfg)
    b = train_skipgram(ids, offsets, counts, cfg)
    np.testing.assert_array_equal(a.vectors, b.vectors)
    np.testing.assert_array_equal(a.context_vectors, b.context_vectors)
    c = train_skipgram(ids, offsets, counts, SkipGramConfig(**{**CFG, "sample": 1e-2, "seed": 1}, workers=1))
    assert not np.array_equal(a.vectors, c.vectors)


def test_two_threads_learn_as_well() -> None:
    ids, offsets, counts = _topic_corpus()
    res = train_skipgram(ids, offsets, counts, SkipGramConfig(**CFG, workers=2))
    assert res.workers == 2 and np.isfinite(res.vectors).all()
    assert _topic_gap(res.vectors) > 0.3


def test_workers_zero_means_all_cores() -> None:
    import os

    assert resolve_workers(0) == len(os.sched_getaffinity(0))
    assert resolve_workers(3) == 3


def test_snapshots_per_epoch() -> None:
    ids, offsets, counts = _topic_corpus(500)
    snaps: list[np.ndarray] = []

    def keep_snapshots(p: Progress) -> None:
        if p.snapshot is not None:
            snaps.append(p.snapshot)

    res = train_skipgram(ids, offsets, counts, SkipGramConfig(**{**CFG, "epochs": 3}, snapshots=True, workers=1),
                         keep_snapshots)
    assert res.snapshots is not None and len(res.snapshots) == 3 and len(snaps) == 3
    np.testing.assert_array_equal(res.snapshots[-1], res.vectors)
    assert not np.array_equal(res.snapshots[0], res.snapshots[2])


def test_torch_trainer_matches_autograd_trainer() -> None:
    # same seed, same pairs and negatives: the hand-written gradients and autograd give the same vectors
    ids, offsets, counts = _topic_corpus(600)
    cfg = SkipGramConfig(**{**CFG, "epochs": 2}, workers=1)
    hand = train_skipgram(ids, offsets, counts, cfg, backend="torch", batch_size=256)
    auto = train_skipgram(ids, offsets, counts, cfg, backend="torch-autograd", batch_size=256)
    assert hand.backend == "torch" and auto.backend == "torch-autograd"
    np.testing.assert_allclose(hand.vectors, auto.vectors, rtol=1e-3, atol=1e-5)
    assert hand.loss_per_epoch[1] < hand.loss_per_epoch[0]


@pytest.mark.slow
def test_torch_trainer_learns_planted_topics() -> None:
    ids, offsets, counts = _topic_corpus()
    res = train_skipgram(ids, offsets, counts, SkipGramConfig(**CFG, workers=1), backend="torch", batch_size=512)
    assert _topic_gap(res.vectors) > 0.3


def test_softmax_objective_trains_and_refuses_big_vocabularies() -> None:
    ids, offsets, counts = _topic_corpus(1500)
    res = train_skipgram(ids, offsets, counts, SkipGramConfig(**{**CFG, "epochs": 3}, loss="softmax", workers=1))
    assert res.backend == "softmax"
    assert res.loss_per_epoch[0] < np.log(25) and res.loss_per_epoch[-1] < res.loss_per_epoch[0]
    assert _topic_gap(res.vectors) > 0.3
    big = np.arange(5001, dtype=np.int32)
    with pytest.raises(ExplorerError, match="5000"):
        train_skipgram(big, np.array([0, 5001]), np.ones(5001, np.int64), SkipGramConfig(loss="softmax", min_count=1))


def test_bad_arrays_are_refused() -> None:
    with pytest.raises(ValueError, match="ids"):
        train_skipgram(np.array([0, 5], np.int32), np.array([0, 2]), np.ones(3, np.int64), SkipGramConfig())
    with pytest.raises(ValueError, match="offsets"):
        train_skipgram(np.array([0, 1], np.int32), np.array([0, 1]), np.ones(3, np.int64), SkipGramConfig())


# --------------------------------------------------------------------------- stopping


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["numba", "torch"])
def test_callback_stop_is_prompt(backend: str) -> None:
    ids, offsets, counts = _topic_corpus(20_000)
    asked_at: list[float] = []

    def stop_after_first_report(p: Progress) -> bool:
        if not asked_at:
            asked_at.append(time.perf_counter())
        return True

    with pytest.raises(TrainingStopped):
        train_skipgram(ids, offsets, counts, SkipGramConfig(**{**CFG, "epochs": 50}, workers=2), stop_after_first_report,
                       backend=backend)
    assert asked_at and time.perf_counter() - asked_at[0] < 0.5


# --------------------------------------------------------------------------- the run job


def _write_corpus(path: Path, n_sentences: int = 400) -> Path:
    ids, offsets, _ = _topic_corpus(n_sentences)
    names = [f"word{i}" for i in range(25)]
    lines = [" ".join(names[t] for t in ids[a:b]) for a, b in zip(offsets[:-1], offsets[1:], strict=True)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _spec(corpus: Path, labels: Path | None = None, **cfg: object) -> TrainingSpec:
    config = SkipGramConfig(**{**CFG, "min_count": 2, "epochs": 2, **cfg})
    return spec_from_dict({"kind": "skipgram", "name": "tiny",
                           "data": {"corpus": str(corpus), "labels": str(labels) if labels else None, "user_words": None},
                           "corpus_config": to_dict(CorpusConfig(lang="en", dedupe_lines=False)), "config": to_dict(config)})


def test_run_job_writes_the_run_directory(tmp_path: Path) -> None:
    corpus = _write_corpus(tmp_path / "c.txt")
    labels = tmp_path / "labels.tsv"
    labels.write_text("token\tlabel\nword0\tA\nword11\tB\nabsent\tC\n", encoding="utf-8")
    out = train_skipgram_run(_spec(corpus, labels, snapshots=True), tmp_path / "run", lambda p: None)
    assert sorted(f.name for f in out.iterdir()) == ["config.json", "labels.tsv", "metrics.json", "snapshots.npy",
                                                     "vectors.npy", "vocab.tsv"]
    run = load_run(out)
    assert run.kind == "skipgram" and len(run.tokens) == 25 and run.vectors.shape == (25, 16)
    assert run.labels == {"word0": "A", "word11": "B"}  # restricted to the vocabulary
    assert run.counts.sum() > 0 and list(run.counts) == sorted(run.counts, reverse=True)
    config = json.loads((out / "config.json").read_text())
    assert config["config"]["dim"] == 16 and config["config"]["corpus_config"]["lang"] == "en"
    assert config["data"]["source"] == "c.txt" and config["data"]["vocab_size"] == 25
    assert len(config["data"]["sha256"]) == 64 and config["data"]["n_tokens"] > 1000 and config["name"] == "tiny"
    metrics = run.metrics
    assert len(metrics["loss_per_epoch"]) == 2 and metrics["epochs"] == 2 and metrics["words_per_s"] > 0
    assert metrics["vocab_size"] == 25 and metrics["device"] == "cpu" and metrics["loss_history"]
    snaps = np.load(out / "snapshots.npy")
    assert snaps.dtype == np.float16 and snaps.shape == (2, 25, 16)
    np.testing.assert_allclose(snaps[-1], run.vectors, atol=1e-3)


def test_run_job_stopped_leaves_nothing(tmp_path: Path) -> None:
    corpus = _write_corpus(tmp_path / "c.txt")
    before = set(tmp_path.iterdir())

    def stop_in_training(p: Progress) -> bool:
        return p.stage == "train"

    with pytest.raises(TrainingStopped):
        train_skipgram_run(_spec(corpus), tmp_path / "run", stop_in_training)
    assert set(tmp_path.iterdir()) == before


def test_run_job_bad_input_is_one_clear_error(tmp_path: Path) -> None:
    corpus = _write_corpus(tmp_path / "c.txt", 5)
    with pytest.raises(ExplorerError, match="c.txt"):
        train_skipgram_run(_spec(corpus, min_count=1000), tmp_path / "run", lambda p: None)
    assert not (tmp_path / "run").exists()


def test_divergence_is_a_clear_error_not_a_crash() -> None:
    ids, offsets, counts = _topic_corpus(300)
    with pytest.raises(ExplorerError, match="lr"):
        train_skipgram(ids, offsets, counts, SkipGramConfig(**{**CFG, "epochs": 2}, lr=1e30, workers=1))


def test_kernel_warmup_compiles_the_job_every_trainer_runs() -> None:
    from explorer.graph.io import build_csr
    from explorer.kinds import GraphConfig
    from explorer.training.graph import train_node_vectors

    K.warmup()  # the worker calls this at start-up; an empty job changes nothing and raises nothing
    assert len(K.train_job.signatures) == 1
    ids, offsets, counts = _topic_corpus(50)
    for arch in ("skipgram", "cbow"):
        train_skipgram(ids, offsets, counts, SkipGramConfig(**{**CFG, "epochs": 1}, arch=arch, workers=1))
    csr = build_csr(4, np.array([[0, 1], [1, 2], [2, 3]]), None, directed=False)
    train_node_vectors(csr, GraphConfig(dim=4, walk_length=5, walks_per_node=2, window=2, workers=1))
    assert len(K.train_job.signatures) == 1  # the warm-up compiled what the trainers run: no compilation in a job
