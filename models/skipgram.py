"""Skip-gram models (torch ``nn.Module``s, no I/O).

Both have an input table ``in_embed`` (the vectors we explore) and an output table ``out_embed``,
each ``(V, d)``, initialised as word2vec does: input rows uniform in ``(-0.5/d, 0.5/d)``, output
rows zero.

- :class:`SkipGramNS`: negative sampling. For a centre ``c``, its context ``o`` and ``K`` negatives
  ``n_1..n_K`` the loss is ``-log σ(u·v) - Σ_k log σ(-u·n_k)`` with ``u = in[c]``, ``v = out[o]``,
  ``n_k = out[n_k]``; ``forward`` returns its mean over the batch. :meth:`SkipGramNS.gradients`
  gives the same gradients by hand (used by the fast batched trainer and checked against autograd).
- :class:`SkipGramSoftmax`: full softmax over the vocabulary, cross-entropy of the context given
  the centre (``logits = in[c] @ out.T``). Its cost grows with ``V``, so it refuses ``V > 5000``.
"""

from __future__ import annotations

from typing import Optional

import torch
from torch import Tensor, nn
from torch.nn import functional as F

from explorer.errors import ExplorerError

#: the largest vocabulary the full-softmax objective accepts
MAX_SOFTMAX_VOCAB = 5000


class _WordTables(nn.Module):
    """Input and output tables ``(V, d)`` with word2vec's initialisation (shared by both models).

    generator: seeds the input-table initialisation; sparse: embeddings with sparse gradients.
    """

    def __init__(self, n_vocab: int, dim: int, generator: Optional[torch.Generator] = None,
                 sparse: bool = False) -> None:
        super().__init__()
        if n_vocab < 1 or dim < 1:
            raise ExplorerError(f"vocabulary size and dim must be positive, got {n_vocab} and {dim}")
        w_in = (torch.rand(n_vocab, dim, generator=generator) - 0.5) / dim
        w_out = torch.zeros(n_vocab, dim)
        self.in_embed = nn.Embedding(n_vocab, dim, sparse=sparse, _weight=w_in)
        self.out_embed = nn.Embedding(n_vocab, dim, sparse=sparse, _weight=w_out)

    @property
    def n_vocab(self) -> int:
        return self.in_embed.num_embeddings

    @property
    def dim(self) -> int:
        return self.in_embed.embedding_dim


class SkipGramNS(_WordTables):
    """Skip-gram with negative sampling.

    n_vocab, dim: table sizes (V, d); generator: seeds the input-table initialisation.
    sparse:       make the embeddings produce sparse gradients (for ``torch.optim.SparseAdam``/SGD).
    """

    def pair_losses(self, center: Tensor, context: Tensor, negatives: Tensor) -> Tensor:
        """Per-pair loss (B,) for centres (B,), contexts (B,) and negatives (B, K)."""
        u = self.in_embed(center)  # (B, d)
        v = self.out_embed(context)  # (B, d)
        n = self.out_embed(negatives)  # (B, K, d)
        pos = (u * v).sum(-1)
        neg = torch.bmm(n, u.unsqueeze(-1)).squeeze(-1)  # (B, K)
        return -F.logsigmoid(pos) - F.logsigmoid(-neg).sum(-1)

    def forward(self, center: Tensor, context: Tensor, negatives: Tensor) -> Tensor:
        """Mean loss over the batch: centres (B,), contexts (B,), negatives (B, K) -> scalar."""
        return self.pair_losses(center, context, negatives).mean()

    @torch.no_grad()
    def gradients(self, center: Tensor, context: Tensor, negatives: Tensor
                  ) -> tuple[Tensor, Tensor, Tensor, Tensor]:
        """Hand-written gradients of the *summed* loss, without autograd.

        Returns ``(grad_u (B, d), grad_v (B, d), grad_n (B, K, d), loss (B,))``: the gradient
        with respect to ``in[center]``, ``out[context]`` and each ``out[negatives[:, k]]`` row,
        one row per occurrence (apply them with ``index_add_``).
        """
        u = self.in_embed.weight[center]
        v = self.out_embed.weight[context]
        n = self.out_embed.weight[negatives]
        pos = (u * v).sum(-1)
        neg = torch.bmm(n, u.unsqueeze(-1)).squeeze(-1)
        g_pos = torch.sigmoid(pos) - 1.0  # d/dpos of -log σ(pos)
        g_neg = torch.sigmoid(neg)  # d/dneg of -log σ(-neg)
        grad_u = g_pos.unsqueeze(-1) * v + torch.bmm(g_neg.unsqueeze(1), n).squeeze(1)
        grad_v = g_pos.unsqueeze(-1) * u
        grad_n = g_neg.unsqueeze(-1) * u.unsqueeze(1)
        loss = -F.logsigmoid(pos) - F.logsigmoid(-neg).sum(-1)
        return grad_u, grad_v, grad_n, loss


class SkipGramSoftmax(_WordTables):
    """Skip-gram with a full softmax over the vocabulary (``V <= 5000``)."""

    def __init__(self, n_vocab: int, dim: int, generator: Optional[torch.Generator] = None) -> None:
        if n_vocab > MAX_SOFTMAX_VOCAB:
            raise ExplorerError(
                f"loss: the full softmax handles at most {MAX_SOFTMAX_VOCAB} words, this vocabulary has "
                f"{n_vocab} (raise --min-count, set --max-vocab, or use negative-sampling)"
            )
        super().__init__(n_vocab, dim, generator)

    def logits(self, center: Tensor) -> Tensor:
        """Scores of every vocabulary word as context: centres (B,) -> (B, V)."""
        return self.in_embed(center) @ self.out_embed.weight.T

    def forward(self, center: Tensor, context: Tensor) -> Tensor:
        """Mean cross-entropy of the contexts (B,) given the centres (B,) -> scalar."""
        return F.cross_entropy(self.logits(center), context)

    @torch.no_grad()
    def gradients(self, center: Tensor, context: Tensor) -> tuple[Tensor, Tensor, Tensor]:
        """Hand-written gradients of the *summed* cross-entropy, without autograd.

        Returns ``(grad_u (B, d), grad_out (V, d), loss (B,))``: the gradient with respect to each
        ``in[center]`` row (one per occurrence; apply with ``index_add_``) and to the whole
        output table. With ``p = softmax(u @ out.T)``: ``dL/dlogits = p - onehot(context)``.
        """
        u = self.in_embed.weight[center]
        w_out = self.out_embed.weight
        log_p = torch.log_softmax(u @ w_out.T, dim=1)
        rows = torch.arange(center.shape[0], device=center.device)
        loss = -log_p[rows, context]
        g = log_p.exp_()
        g[rows, context] -= 1.0
        return g @ w_out, g.T @ u, loss
