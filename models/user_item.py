"""The dot-product recommender: user and item embeddings plus an item bias.

``score(u, i) = users[u] . items[i] + item_bias[i]``; ``sigmoid(score)`` is the click probability
under the BCE objective. Losses live here as plain functions of scores.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn


class DotProductRecommender(nn.Module):
    """User and item embeddings (``dim`` each) and one bias per item.

    Vectors start as N(0, init_std^2), biases at zero.
    """

    def __init__(self, n_users: int, n_items: int, dim: int, init_std: float = 0.1,
                 generator: torch.Generator | None = None) -> None:
        super().__init__()
        self.users = nn.Embedding(n_users, dim)
        self.items = nn.Embedding(n_items, dim)
        self.item_bias = nn.Embedding(n_items, 1)
        with torch.no_grad():
            self.users.weight.normal_(0.0, init_std, generator=generator)
            self.items.weight.normal_(0.0, init_std, generator=generator)
            self.item_bias.weight.zero_()

    def forward(self, users: torch.Tensor, items: torch.Tensor) -> torch.Tensor:
        """Scores of pairs: users (b,) with items (b,) -> (b,), or items (b, k) -> (b, k)."""
        u = self.users(users)
        v = self.items(items)
        b = self.item_bias(items).squeeze(-1)
        if items.dim() == 2:
            return torch.einsum("bd,bkd->bk", u, v) + b
        return (u * v).sum(-1) + b

    def score_pairs(
        self, users: torch.Tensor, pos: torch.Tensor, neg: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """(positive scores (b,), negative scores (b, k), squared norm of the vectors used (scalar)).

        users, pos: (b,) indices; neg: (b, k) indices. The squared norm sums the user, positive and
        negative item vectors of the batch (the L2 penalty "on the vectors used in each step").
        """
        u = self.users(users)
        vp = self.items(pos)
        vn = self.items(neg)
        bp = self.item_bias(pos).squeeze(-1)
        bn = self.item_bias(neg).squeeze(-1)
        pos_scores = (u * vp).sum(-1) + bp
        neg_scores = torch.einsum("bd,bkd->bk", u, vn) + bn
        sq = u.pow(2).sum() + vp.pow(2).sum() + vn.pow(2).sum()
        return pos_scores, neg_scores, sq


def bce_loss(pos_scores: torch.Tensor, neg_scores: torch.Tensor) -> torch.Tensor:
    """Binary cross-entropy: positives (b,) labelled 1, sampled negatives (b, k) labelled 0.

    Mean over all b * (1 + k) pairs; ``softplus(-s) = -log sigmoid(s)``.
    """
    total = F.softplus(-pos_scores).sum() + F.softplus(neg_scores).sum()
    return total / (pos_scores.numel() + neg_scores.numel())


def bpr_loss(pos_scores: torch.Tensor, neg_scores: torch.Tensor) -> torch.Tensor:
    """Bayesian personalised ranking: mean of ``-log sigmoid(pos - neg)`` over the b * k pairs."""
    return F.softplus(neg_scores - pos_scores[:, None]).mean()


def observed_negative_loss(scores: torch.Tensor) -> torch.Tensor:
    """BCE of observed negatives (label 0 rows of the log): mean ``-log(1 - sigmoid(s))``."""
    return F.softplus(scores).mean()


def pair_gradients(
    u: torch.Tensor, vp: torch.Tensor, vn: torch.Tensor, bp: torch.Tensor, bn: torch.Tensor,
    loss: str = "bce", weight_decay: float = 0.0,
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
    """The loss of a batch and its gradients, in closed form (no autograd).

    u, vp: (b, d) user and positive-item vectors; vn: (b, k, d) negative-item vectors;
    bp: (b,) and bn: (b, k) their item biases. ``loss`` is "bce" (:func:`bce_loss`) or "bpr"
    (:func:`bpr_loss`); the penalty ``weight_decay * (|u|^2 + |vp|^2 + |vn|^2) / b`` is added to the
    gradients (not to the returned loss). Returns (loss, du, dvp, dvn, dbp, dbn), shapes as inputs.
    These equal autograd's gradients of the same expressions (checked in the tests) at about half
    the cost per step on a CPU.
    """
    b = u.shape[0]
    sp = (u * vp).sum(-1) + bp
    sn = torch.bmm(vn, u.unsqueeze(-1)).squeeze(-1) + bn
    if loss == "bce":
        n = sp.numel() + sn.numel()
        value = (F.softplus(-sp).sum() + F.softplus(sn).sum()) / n
        gp = -torch.sigmoid(-sp) / n
        gn = torch.sigmoid(sn) / n
    elif loss == "bpr":
        diff = sp[:, None] - sn
        value = F.softplus(-diff).mean()
        g = -torch.sigmoid(-diff) / diff.numel()
        gp = g.sum(1)
        gn = -g
    else:
        raise ValueError(f"loss must be bce or bpr, got {loss!r}")
    c = 2.0 * weight_decay / b
    du = gp[:, None] * vp + torch.bmm(gn.unsqueeze(1), vn).squeeze(1)
    dvp = gp[:, None] * u
    dvn = gn[..., None] * u[:, None, :]
    if c:
        du = du + c * u
        dvp = dvp + c * vp
        dvn = dvn + c * vn
    return value, du, dvp, dvn, gp, gn


def observed_negative_gradients(
    u: torch.Tensor, v: torch.Tensor, bias: torch.Tensor, scale: float
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
    """``scale * sum softplus(u . v + bias)`` (BCE of label-0 pairs) and its gradients.

    u, v: (m, d); bias: (m,). Returns (loss, du, dv, dbias).
    """
    s = (u * v).sum(-1) + bias
    g = torch.sigmoid(s) * scale
    return F.softplus(s).sum() * scale, g[:, None] * v, g[:, None] * u, g
