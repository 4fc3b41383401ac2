"""The encoder: two graph convolutions (GCN or GAT) over the node features and, optionally, a learned vector per
node (one-hot ids times a weight matrix, kept as an embedding table).

    h0 = [features | id vector]    h1 = PReLU(conv1(dropout(h0)))    z = conv2(dropout(h1))

``z`` (nodes x dim) is the node embedding (the last hidden layer); the semi-supervised head is one linear layer on
``relu(z)``. GCN: ``GCNConv`` (symmetric normalisation with self-loops: a node's new vector is the normalised sum
of its own and its neighbours'). GAT: ``GATConv`` with :data:`GAT_HEADS` attention heads concatenated in the first
layer, one head in the second.

The weights are saved as ``.npz`` arrays (:func:`state_arrays`) and loaded without unpickling
(:func:`load_state_arrays`).
"""

from __future__ import annotations

from typing import Optional

import numpy as np
import torch
from torch import Tensor, nn
from torch.nn import functional as F

GAT_HEADS = 4


class Encoder(nn.Module):
    """Two graph convolutions; ``n_ids`` > 0 adds a learned vector per training node (id ``-1``: none, zeros)."""

    def __init__(self, encoder: str, in_features: int, dim: int, n_ids: int = 0, dropout: float = 0.5) -> None:
        super().__init__()
        from torch_geometric.nn import GATConv, GCNConv

        self.kind = encoder
        self.dropout = dropout
        self.n_ids = n_ids
        self.ids = nn.Embedding(n_ids, dim) if n_ids else None
        if self.ids is not None:
            nn.init.normal_(self.ids.weight, std=1.0)
        width = in_features + (dim if n_ids else 0)
        if encoder == "gat":
            per_head = max(1, -(-dim // GAT_HEADS))
            self.conv1 = GATConv(width, per_head, heads=GAT_HEADS)
            self.conv2 = GATConv(per_head * GAT_HEADS, dim, heads=1)
            hidden = per_head * GAT_HEADS
        else:
            self.conv1 = GCNConv(width, dim)
            self.conv2 = GCNConv(dim, dim)
            hidden = dim
        self.act = nn.PReLU(hidden)

    def forward(self, x: Tensor, edge_index: Tensor, ids: Optional[Tensor] = None) -> Tensor:
        if self.ids is not None:
            known = ids if ids is not None else torch.arange(x.size(0))
            vec = self.ids(known.clamp(min=0)) * (known >= 0).unsqueeze(1).to(x.dtype)
            x = torch.cat([x, vec], dim=1)
        x = F.dropout(x, self.dropout, self.training)
        h = self.act(self.conv1(x, edge_index))
        h = F.dropout(h, self.dropout, self.training)
        return self.conv2(h, edge_index)


class Classifier(nn.Module):
    """The semi-supervised head: class scores from the embedding."""

    def __init__(self, dim: int, n_classes: int) -> None:
        super().__init__()
        self.linear = nn.Linear(dim, n_classes)

    def forward(self, z: Tensor) -> Tensor:
        return self.linear(F.relu(z))


def state_arrays(module: nn.Module, prefix: str) -> dict[str, np.ndarray]:
    """The module's weights as float32 arrays named ``<prefix>.<parameter>`` (for ``np.savez``)."""
    return {f"{prefix}.{k}": v.detach().cpu().numpy().astype(np.float32) for k, v in module.state_dict().items()}


def load_state_arrays(module: nn.Module, arrays: dict[str, np.ndarray], prefix: str) -> None:
    """Load weights saved by :func:`state_arrays` (strict: every parameter present, shapes equal)."""
    own = module.state_dict()
    state = {k: torch.from_numpy(np.asarray(arrays[f"{prefix}.{k}"])).to(own[k].dtype) for k in own}
    module.load_state_dict(state, strict=True)
