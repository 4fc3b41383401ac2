"""The minibatched (HogBatch) kernels against word2vec's pair updates (``kernel="pair"``): one window's step is the
exact minibatch gradient, and on planted corpora both kernels find the same neighbours at a close loss; vectors are
reproducible for a seed and thread count; ``kernel="default"`` is HogBatch for both architectures. (Speed is measured in bench/bench_sgns.py, not here.)"""

from __future__ import annotations

import numpy as np
import pytest
import torch

from explorer.kinds import SkipGramConfig
from explorer.training.sgns import kernels as K
from explorer.training.skipgram import train_skipgram


def _planted(n_tokens: int, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(ids int32 (N,), offsets int64 (S+1,), counts int64 (V,)): 60 words in three topics of 20 (word w is in
    topic w // 20), Zipf-like within a topic; sentences of 3..40 words, one topic each."""
    rng = np.random.default_rng(seed)
    weights = 1.0 / np.arange(1, 21) ** 0.8
    weights /= weights.sum()
    ids, lengths, total = [], [], 0
    while total < n_tokens:
        n = int(rng.integers(3, 41))
        ids.append((int(rng.integers(0, 3)) * 20 + rng.choice(20, size=n, p=weights)).astype(np.int32))
        lengths.append(n)
        total += n
    flat = np.concatenate(ids)
    return flat, np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64), np.bincount(flat, minlength=60)


def _neighbours(vectors: np.ndarray, k: int = 5) -> np.ndarray:
    unit = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    sim = unit @ unit.T
    np.fill_diagonal(sim, -np.inf)
    return np.argsort(-sim, axis=1)[:, :k]


@pytest.mark.parametrize("inputs", [[1, 4, 7], [1, 4, 7, 3, 6]])
def test_a_window_step_is_the_minibatch_gradient_times_lr(inputs: list[int]) -> None:
    """Inputs (context rows) against shared outputs [positive, negatives]: every input row moves by
    -lr * dL/dW_in and every output row by -lr * dL/dW_out of the window's summed loss, all gradients taken
    at the weights before the step (a minibatch). Three inputs are summed as four (one zero row), five as eight."""
    rng = np.random.default_rng(1)
    w_in = rng.normal(0, 0.5, (9, 6)).astype(np.float32)
    w_out = rng.normal(0, 0.5, (9, 6)).astype(np.float32)
    idx, targets, lr = np.array(inputs, np.int64), np.array([2, 0, 5, 8], np.int64), 0.05
    wi = torch.tensor(w_in, dtype=torch.float64, requires_grad=True)
    wo = torch.tensor(w_out, dtype=torch.float64, requires_grad=True)
    scores = wi[torch.tensor(idx)] @ wo[torch.tensor(targets)].T  # (inputs, 4 targets)
    loss = -(torch.nn.functional.logsigmoid(scores[:, 0]).sum() + torch.nn.functional.logsigmoid(-scores[:, 1:]).sum())
    loss.backward()
    want_in = (wi - lr * wi.grad).detach().numpy()
    want_out = (wo - lr * wo.grad).detach().numpy()
    d = w_in.shape[1]
    before = np.full((8, d), np.nan, np.float32)  # the padding rows must be zeroed, not read as they are
    gains = np.full((8, 6), np.nan, np.float32)
    got_loss, measured = K.window_batch_update(  # 4 outputs: one group of three and one padded with two
        w_in, w_out, idx, len(idx), targets, 4, np.float32(lr), before, gains, np.empty(d, np.float32),
        np.empty(6, np.int64), np.empty(6, np.float32), np.empty(6, np.bool_), 1, 0)
    np.testing.assert_allclose(w_in, want_in, rtol=1e-4, atol=3e-6)
    np.testing.assert_allclose(w_out, want_out, rtol=1e-4, atol=3e-6)
    assert measured == len(idx) and got_loss == pytest.approx(float(loss.detach()), rel=1e-4)


@pytest.mark.parametrize("m", [K.CBOW_BATCH, 3])
def test_a_cbow_batch_adds_each_output_rows_gradient_summed_over_its_members(m: int) -> None:
    """A CBOW batch's close: member q's positive row gets gains[q, 0] * hidden[q], the k-th shared negative
    Σ_q gains[q, 1 + k] * hidden[q] (a word drawn twice gets both); a short batch (the end of a sentence) opens by
    zeroing the unused members' rows, so whatever they held adds nothing."""
    rng = np.random.default_rng(2)
    d, negatives = 6, 3
    w_out = rng.normal(0, 0.5, (9, d)).astype(np.float32)
    sent = rng.integers(0, 9, 12).astype(np.int32)
    threshold, alias = K.build_alias(np.full(9, 1 / 9))
    targets = np.empty((1, K.CBOW_BATCH + negatives), np.int64)
    hidden = np.full((K.CBOW_BATCH, d), np.nan, np.float32)
    gains = np.full((K.CBOW_BATCH, negatives + 1), np.nan, np.float32)
    n_targets, _ = K._batch_open(sent, 2, m, w_out, threshold, alias, negatives, np.uint64(7), targets, hidden,
                                 gains)
    assert n_targets == m + negatives and list(targets[0, :m]) == list(sent[2:2 + m])
    assert not hidden[m:].any() and not gains[m:].any()
    hidden[:m] = rng.normal(0, 0.5, (m, d))
    gains[:m] = rng.normal(0, 0.1, (m, negatives + 1))
    want = w_out.astype(np.float64)
    for q in range(m):
        want[targets[0, q]] += gains[q, 0] * hidden[q]
        for k in range(negatives):
            want[targets[0, m + k]] += gains[q, 1 + k] * hidden[q]
    K._batch_close(w_out, targets, m, n_targets, hidden, gains)
    np.testing.assert_allclose(w_out, want, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("arch", ["skipgram", "cbow"])
def test_the_batched_kernel_finds_the_same_neighbours_at_a_close_loss(arch: str) -> None:
    ids, offsets, counts = _planted(60_000, 3)
    topic = np.arange(60) // 20
    runs = {}
    for kernel in ("pair", "batched"):
        cfg = SkipGramConfig(dim=16, window=4, negatives=4, epochs=3, sample=1e-2, min_count=1, workers=1, seed=5,
                             arch=arch)
        runs[kernel] = train_skipgram(ids, offsets, counts, cfg, kernel=kernel)
    for kernel, run in runs.items():  # every word's 5 nearest neighbours are of its topic, for both kernels
        same_topic = (topic[_neighbours(run.vectors)] == topic[:, None]).mean()
        assert same_topic >= 0.97, (kernel, same_topic)
    pair, batched = runs["pair"], runs["batched"]
    # the same subsampling (one stream per job, so the draws differ but not the expected number kept)
    assert batched.extra["words_kept"][0] == pytest.approx(pair.extra["words_kept"][0], rel=0.02)
    assert batched.loss_per_epoch[-1] == pytest.approx(pair.loss_per_epoch[-1], rel=0.05)
    assert batched.loss_per_epoch[-1] < batched.loss_per_epoch[0]


@pytest.mark.parametrize("arch", ["skipgram", "cbow"])
def test_the_batched_kernel_is_reproducible_for_a_seed_and_thread_count(arch: str) -> None:
    ids, offsets, counts = _planted(30_000, 4)

    def run(workers: int, seed: int) -> np.ndarray:
        cfg = SkipGramConfig(dim=8, window=3, negatives=3, epochs=2, sample=1e-2, min_count=1, workers=workers,
                             seed=seed, arch=arch)
        return train_skipgram(ids, offsets, counts, cfg, kernel="batched").vectors

    np.testing.assert_array_equal(run(1, 7), run(1, 7))
    assert not np.array_equal(run(1, 7), run(1, 8))
    small_ids, small_offsets, small_counts = _planted(1_800, 4)  # one job per epoch: two threads = one
    cfg = dict(dim=8, window=3, negatives=3, epochs=2, sample=1e-2, min_count=1, seed=7, arch=arch)
    one = train_skipgram(small_ids, small_offsets, small_counts, SkipGramConfig(workers=1, **cfg), kernel="batched")
    two = train_skipgram(small_ids, small_offsets, small_counts, SkipGramConfig(workers=2, **cfg), kernel="batched")
    np.testing.assert_array_equal(one.vectors, two.vectors)


@pytest.mark.parametrize(("arch", "kernel"), [("skipgram", "batched"), ("cbow", "batched")])
def test_the_default_kernel_is_hogbatch_for_both_architectures(arch: str, kernel: str) -> None:
    ids, offsets, counts = _planted(3_000, 2)
    cfg = SkipGramConfig(dim=8, window=3, negatives=3, epochs=1, sample=1e-2, min_count=1, workers=1, seed=3,
                         arch=arch)
    default = train_skipgram(ids, offsets, counts, cfg).vectors
    np.testing.assert_array_equal(default, train_skipgram(ids, offsets, counts, cfg, kernel=kernel).vectors)
    other = "pair" if kernel == "batched" else "batched"
    assert not np.array_equal(default, train_skipgram(ids, offsets, counts, cfg, kernel=other).vectors)


def test_an_unknown_kernel_is_refused() -> None:
    ids, offsets, counts = _planted(1_000, 1)
    with pytest.raises(ValueError, match="kernel"):
        train_skipgram(ids, offsets, counts, SkipGramConfig(min_count=1), kernel="fast")
