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
