"""The word2vec steps train every output row in one pass over the dimensions (the row's update, its share of the
input gradient and the next row's score together). Against a plain reference that takes the targets one after
the other -- score, sigmoid, gradient into ``neu1e``, row update -- they agree, also when a negative is drawn twice
(the second draw sees the first one's update, as sequential steps do) and when the positive reappears as a
negative's row. (The autograd checks in test_training_skipgram.py and test_cbow.py cover distinct targets.)"""

from __future__ import annotations

import numpy as np
import pytest

from explorer.training.sgns import kernels as K


def _reference_outputs(h: np.ndarray, w_out: np.ndarray, targets: list[int], lr: float) -> tuple[np.ndarray, float]:
    """The output side target by target in float64 (updates ``w_out`` in place); returns (neu1e, loss)."""
    neu1e = np.zeros_like(h)
    loss = 0.0
    for k, t in enumerate(targets):
        f = float(h @ w_out[t])
        label = 1.0 if k == 0 else 0.0
        g = (label - 1.0 / (1.0 + np.exp(-f))) * lr
        loss += float(np.log1p(np.exp(-f if k == 0 else f)))
        neu1e += g * w_out[t]
        w_out[t] += g * h
    return neu1e, loss


@pytest.mark.parametrize("targets", [[3, 1, 4, 6], [3, 1, 1, 4, 1], [2, 5, 5], [4]], ids=str)
def test_pair_step_equals_targets_one_after_another(targets: list[int]) -> None:
    rng = np.random.default_rng(len(targets))
    w_in = rng.normal(0, 0.6, (7, 19)).astype(np.float32)  # an odd dimension: the vector loops' tails run too
    w_out = rng.normal(0, 0.6, (7, 19)).astype(np.float32)
    want_in, want_out = w_in.astype(np.float64), w_out.astype(np.float64)
    neu1e, want_loss = _reference_outputs(want_in[2].copy(), want_out, targets, 0.3)
    want_in[2] += neu1e
    loss = K.sgns_pair_update(w_in, w_out, 2, np.array(targets, np.int64), len(targets), np.float32(0.3),
                              np.full(19, np.nan, np.float32), True)  # neu1e's old contents must not matter
    np.testing.assert_allclose(w_out, want_out, rtol=1e-5, atol=2e-6)
    np.testing.assert_allclose(w_in, want_in, rtol=1e-5, atol=2e-6)
    assert loss == pytest.approx(want_loss, rel=1e-4)


def test_cbow_step_with_a_repeated_negative_equals_targets_one_after_another() -> None:
    rng = np.random.default_rng(3)
    w_in = rng.normal(0, 0.6, (8, 21)).astype(np.float32)
    w_out = rng.normal(0, 0.6, (8, 21)).astype(np.float32)
    sentence = np.array([5, 1, 2, 5, 7], np.int32)  # centre 2 at position 2; context 5, 1, 5, 7 (5 twice)
    targets = [2, 6, 6, 0]
    want_in, want_out = w_in.astype(np.float64), w_out.astype(np.float64)
    h = want_in[[5, 1, 5, 7]].mean(axis=0)
    neu1e, want_loss = _reference_outputs(h, want_out, targets, 0.2)
    for c in (5, 1, 5, 7):  # every context position gets the whole error (word2vec's CBOW)
        want_in[c] += neu1e
    loss = K.cbow_update(w_in, w_out, sentence, 0, 5, 2, np.array(targets, np.int64), len(targets),
                         np.float32(0.2), np.full(21, np.nan, np.float32), np.full(21, np.nan, np.float32), True)
    np.testing.assert_allclose(w_out, want_out, rtol=1e-5, atol=2e-6)
    np.testing.assert_allclose(w_in, want_in, rtol=1e-5, atol=2e-6)
    assert loss == pytest.approx(want_loss, rel=1e-4)
