"""The Skip-gram torch modules: initialisation, known loss values, hand-written gradients."""

from __future__ import annotations

import math

import pytest
import torch
from torch.nn import functional as F

from explorer.errors import ExplorerError
from models.skipgram import MAX_SOFTMAX_VOCAB, SkipGramNS, SkipGramSoftmax


def test_word2vec_initialisation() -> None:
    model = SkipGramNS(50, 8, generator=torch.Generator().manual_seed(0))
    w_in = model.in_embed.weight.detach()
    assert w_in.shape == (50, 8) and model.out_embed.weight.shape == (50, 8)
    assert float(w_in.abs().max()) <= 0.5 / 8 and float(w_in.std()) > 0.01
    assert float(model.out_embed.weight.detach().abs().max()) == 0.0
    again = SkipGramNS(50, 8, generator=torch.Generator().manual_seed(0))
    assert torch.equal(w_in, again.in_embed.weight)


def test_loss_with_zero_output_vectors_is_log2_per_term() -> None:
    # all scores are 0, so every term is -log σ(0) = log 2; 1 positive + 3 negatives
    model = SkipGramNS(10, 4)
    loss = model(torch.tensor([1, 2]), torch.tensor([3, 4]), torch.tensor([[5, 6, 7], [8, 9, 0]]))
    assert float(loss.detach()) == pytest.approx(4 * math.log(2), rel=1e-6)


def test_loss_known_value() -> None:
    model = SkipGramNS(3, 2)
    with torch.no_grad():
        model.in_embed.weight.copy_(torch.tensor([[1.0, 0.0], [0.0, 0.0], [0.0, 0.0]]))
        model.out_embed.weight.copy_(torch.tensor([[0.0, 0.0], [2.0, 0.0], [-1.0, 3.0]]))
    # u = (1,0), v = out[1] = (2,0): -log σ(2); negative out[2] = (-1,3): u·n = -1 -> -log σ(1)
    loss = model(torch.tensor([0]), torch.tensor([1]), torch.tensor([[2]]))
    expected = math.log1p(math.exp(-2)) + math.log1p(math.exp(-1))
    assert float(loss.detach()) == pytest.approx(expected, rel=1e-6)


@pytest.mark.slow
def test_hand_written_gradients_match_autograd() -> None:
    gen = torch.Generator().manual_seed(1)
    model = SkipGramNS(20, 6, generator=gen)
    with torch.no_grad():
        model.out_embed.weight.copy_(torch.randn(20, 6, generator=gen) * 0.5)
        model.in_embed.weight.mul_(40)
    centre = torch.tensor([0, 3, 3, 7])
    context = torch.tensor([1, 4, 5, 8])
    negatives = torch.randint(0, 20, (4, 5), generator=gen)
    grad_u, grad_v, grad_n, loss = model.gradients(centre, context, negatives)

    model.pair_losses(centre, context, negatives).sum().backward()
    expected_in = torch.zeros(20, 6).index_add_(0, centre, grad_u)
    expected_out = torch.zeros(20, 6).index_add_(0, context, grad_v).index_add_(
        0, negatives.reshape(-1), grad_n.reshape(-1, 6))
    torch.testing.assert_close(model.in_embed.weight.grad, expected_in, rtol=1e-5, atol=1e-6)
    torch.testing.assert_close(model.out_embed.weight.grad, expected_out, rtol=1e-5, atol=1e-6)
    torch.testing.assert_close(loss, model.pair_losses(centre, context, negatives).detach())


def test_softmax_is_cross_entropy_over_the_vocabulary() -> None:
    gen = torch.Generator().manual_seed(2)
    model = SkipGramSoftmax(7, 3, generator=gen)
    with torch.no_grad():
        model.out_embed.weight.copy_(torch.randn(7, 3, generator=gen))
    centre, context = torch.tensor([0, 5]), torch.tensor([2, 2])
    logits = model.in_embed.weight[centre] @ model.out_embed.weight.T
    expected = -(F.log_softmax(logits, dim=1)[[0, 1], [2, 2]]).mean()
    assert float(model(centre, context).detach()) == pytest.approx(float(expected.detach()), rel=1e-6)
    # fresh model: zero output table, uniform softmax, loss log V
    assert float(SkipGramSoftmax(7, 3)(centre, context).detach()) == pytest.approx(math.log(7), rel=1e-6)


@pytest.mark.slow
def test_softmax_hand_written_gradients_match_autograd() -> None:
    gen = torch.Generator().manual_seed(3)
    model = SkipGramSoftmax(9, 4, generator=gen)
    with torch.no_grad():
        model.out_embed.weight.copy_(torch.randn(9, 4, generator=gen))
        model.in_embed.weight.mul_(20)
    centre, context = torch.tensor([0, 5, 5, 8]), torch.tensor([2, 2, 7, 0])
    grad_u, grad_out, loss = model.gradients(centre, context)
    F.cross_entropy(model.logits(centre), context, reduction="sum").backward()
    expected_in = torch.zeros(9, 4).index_add_(0, centre, grad_u)
    torch.testing.assert_close(model.in_embed.weight.grad, expected_in, rtol=1e-5, atol=1e-6)
    torch.testing.assert_close(model.out_embed.weight.grad, grad_out, rtol=1e-5, atol=1e-6)
    assert float(loss.sum()) == pytest.approx(float(model(centre, context).detach()) * 4, rel=1e-5)


def test_softmax_refuses_large_vocabularies() -> None:
    SkipGramSoftmax(MAX_SOFTMAX_VOCAB, 2)
    with pytest.raises(ExplorerError, match="5000"):
        SkipGramSoftmax(MAX_SOFTMAX_VOCAB + 1, 2)
