"""CBOW in the compiled kernel: one step against torch autograd, the job loop, training and the run."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import torch

from explorer.errors import ExplorerError, TrainingStopped
from explorer.kinds import SkipGramConfig, spec_from_dict
from explorer.progress import Progress
from explorer.training import run_training
from explorer.training.sgns import kernels as K
from explorer.training.sgns.rng import seed_state
from explorer.training.sgns.tables import build_alias, keep_thresholds
from explorer.training.skipgram import train_skipgram


def _cbow_step_with_autograd(w_in: np.ndarray, w_out: np.ndarray, context: list[int], centre: int,
                             negatives: list[int], lr: float) -> tuple[np.ndarray, np.ndarray]:
    """gensim's cbow_mean=1 step from autograd: output rows move by -lr * dL/dW_out; each context row
    by -lr * dL/dh (word2vec applies the error of the mean h to every context word in full), and
    dL/dh = len(context) * dL/dW_in[c] for a word c seen once in the context."""
    wi = torch.tensor(w_in, dtype=torch.float64, requires_grad=True)
    wo = torch.tensor(w_out, dtype=torch.float64, requires_grad=True)
    h = wi[torch.tensor(context)].mean(0)
    pos = torch.nn.functional.logsigmoid(h @ wo[centre])
    neg = torch.nn.functional.logsigmoid(-(wo[torch.tensor(negatives)] @ h)).sum()
    (-(pos + neg)).backward()
    new_in = w_in - lr * len(context) * wi.grad.numpy()
    new_out = w_out - lr * wo.grad.numpy()
    return new_in.astype(np.float32), new_out.astype(np.float32)


def test_cbow_update_equals_autograd_gradient_times_lr() -> None:
    rng = np.random.default_rng(0)
    w_in = rng.normal(0, 0.5, (8, 5)).astype(np.float32)
    w_out = rng.normal(0, 0.5, (8, 5)).astype(np.float32)
    sentence = np.array([4, 1, 2, 6], np.int32)  # centre 2 at position 2, context 4, 1, 6
    negatives, lr = [0, 3, 7], 0.1
    expected_in, expected_out = _cbow_step_with_autograd(w_in, w_out, [4, 1, 6], 2, negatives, lr)
    targets = np.array([2, *negatives], np.int64)
    loss = K.cbow_update(w_in, w_out, sentence, 0, 4, 2, targets, 4, np.float32(lr), np.zeros(5, np.float32),
                         np.zeros(5, np.float32), True)
    np.testing.assert_allclose(w_in, expected_in, rtol=1e-4, atol=2e-6)
    np.testing.assert_allclose(w_out, expected_out, rtol=1e-4, atol=2e-6)
    assert loss > 0


def test_cbow_loss_is_the_exact_negative_log_likelihood() -> None:
    w_in = np.array([[1.0, 0.0], [3.0, 0.0], [0.0, 0.0], [0.0, 0.0]], np.float32)
    w_out = np.array([[0.0, 0.0], [0.0, 0.0], [1.0, 0.0], [-1.0, 3.0]], np.float32)
    # context rows 0 and 1 -> h = (2, 0); centre 2: h.v = 2; negative 3: h.v = -2
    loss = K.cbow_update(w_in, w_out, np.array([0, 2, 1], np.int32), 0, 3, 1, np.array([2, 3]), 2,
                         np.float32(0.0), np.zeros(2, np.float32), np.zeros(2, np.float32), True)
    assert loss == pytest.approx(2 * np.log1p(np.exp(-2.0)), rel=1e-5)


def test_cbow_job_is_word2vec_cbow_on_a_tiny_corpus() -> None:
    # sentence [0, 1, 2], window 1 (so b = 1), no subsampling, the only negative is word 3:
    # centre 0 <- [1], centre 1 <- [0, 2], centre 2 <- [1], in this order
    rng = np.random.default_rng(1)
    w_in = rng.normal(0, 0.3, (4, 4)).astype(np.float32)
    w_out = rng.normal(0, 0.3, (4, 4)).astype(np.float32)
    lr = 0.2
    exp_in, exp_out = w_in.copy(), w_out.copy()
    for centre, context in ((0, [1]), (1, [0, 2]), (2, [1])):
        exp_in, exp_out = _cbow_step_with_autograd(exp_in, exp_out, context, centre, [3], lr)
    threshold, alias = build_alias(np.array([0.0, 0.0, 0.0, 1.0]))
    stats = np.zeros(K.N_STATS)
    K.train_job(K.ARCH_CBOW, np.array([0, 1, 2], np.int32), np.array([0, 3], np.int64), K.NO_ROWS, 0, 1, w_in, w_out,
                keep_thresholds(np.ones(4)), threshold, alias, 1, 1, lr, lr, np.uint64(seed_state(0, 1)),
                np.empty(3, np.int32), np.zeros(4, np.float32), stats)
    np.testing.assert_allclose(w_in, exp_in, rtol=1e-4, atol=2e-6)
    np.testing.assert_allclose(w_out, exp_out, rtol=1e-4, atol=2e-6)
    assert stats[K.STAT_RAW_WORDS] == 3 and stats[K.STAT_WORDS] == 3 and stats[K.STAT_PAIRS] == 3


def _topic_corpus(n_sentences: int = 1500, seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Two topics of 10 words each (0-9, 10-19) and 5 shared words (20-24)."""
    rng = np.random.default_rng(seed)
    ids, offsets = [], [0]
    for _ in range(n_sentences):
        topic = rng.integers(2) * 10
        sent = np.where(rng.random(8) < 0.7, topic + rng.integers(0, 10, 8), 20 + rng.integers(0, 5, 8))
        ids.extend(sent.tolist())
        offsets.append(len(ids))
    ids_np = np.array(ids, np.int32)
    return ids_np, np.array(offsets, np.int64), np.bincount(ids_np, minlength=25).astype(np.int64)


def _cos(v: np.ndarray, a: int, b: int) -> float:
    return float(v[a] @ v[b] / (np.linalg.norm(v[a]) * np.linalg.norm(v[b])))


def test_cbow_trainer_learns_planted_topics_with_progress_and_snapshots() -> None:
    ids, offsets, counts = _topic_corpus()
    seen: list[Progress] = []
    cfg = SkipGramConfig(dim=16, window=3, negatives=3, epochs=4, min_count=1, sample=0.0, seed=0, workers=1,
                         arch="cbow", snapshots=True)
    res = train_skipgram(ids, offsets, counts, cfg, seen.append)
    assert res.backend == "numba" and res.device == "cpu" and len(res.loss_per_epoch) == 4
    assert res.loss_per_epoch[-1] < res.loss_per_epoch[0]
    same = np.mean([_cos(res.vectors, a, b) for a in range(10) for b in range(10) if a != b])
    other = np.mean([_cos(res.vectors, a, b) for a in range(10) for b in range(10, 20)])
    assert same - other > 0.3
    assert len(res.snapshots) == 4 and res.extra["pairs"][0] > 0
    assert [p.progress for p in seen][-1] == 1.0 and any(p.snapshot is not None for p in seen)
    # one thread, same seed: bit-identical
    again = train_skipgram(ids, offsets, counts, cfg)
    np.testing.assert_array_equal(res.vectors, again.vectors)


def test_cbow_stops_when_the_callback_asks() -> None:
    ids, offsets, counts = _topic_corpus()
    cfg = SkipGramConfig(dim=8, epochs=50, min_count=1, workers=1, arch="cbow")
    with pytest.raises(TrainingStopped):
        train_skipgram(ids, offsets, counts, cfg, lambda p: p.stage == "train" and p.progress > 0)


def test_cbow_refuses_softmax_and_cuda() -> None:
    with pytest.raises(ExplorerError, match="cbow"):
        SkipGramConfig(arch="cbow", loss="softmax").validate()
    with pytest.raises(ExplorerError, match="cbow"):
        SkipGramConfig(arch="cbow", device="cuda").validate()
    with pytest.raises(ExplorerError, match="arch"):
        SkipGramConfig(arch="glove").validate()
    assert SkipGramConfig().arch == "skipgram"  # today's commands keep training Skip-gram


@pytest.mark.slow
def test_cbow_on_the_bundled_sample_finds_same_category_neighbours(tmp_path: Path) -> None:
    from explorer.analysis.neighbors import neighbors_of
    from explorer.runs import load_run
    from explorer.samples.corpus import write_sample_corpus

    corpus, labels = write_sample_corpus(tmp_path)
    spec = spec_from_dict({"kind": "skipgram", "name": "sample", "data": {"corpus": str(corpus), "labels": str(labels)},
                           "config": {"arch": "cbow", "epochs": 5, "dim": 50, "workers": 1, "seed": 1},
                           "corpus_config": {"normalize": "stem"}})
    out = run_training(spec.to_dict(), tmp_path / "run")
    run = load_run(out)
    config = json.loads((out / "config.json").read_text())
    assert config["config"]["arch"] == "cbow" and config["config"]["corpus_config"]["normalize"] == "stem"
    for word in ("cat", "banana", "teacher", "猫", "香蕉"):
        top = [t for t, _ in neighbors_of(run, word, k=5)]
        same = sum(run.labels.get(t) == run.labels.get(run.tokens[run.index[word]]) for t in top)
        assert same >= 4, (word, top)
    # "cats" and "Running" find the stems' vectors; labels were stemmed like the corpus
    assert neighbors_of(run, "cats", k=3) == neighbors_of(run, "cat", k=3)
    assert run.labels.get("pineappl") == "fruit"
