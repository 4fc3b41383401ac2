"""What the encoder learns from.

- **No labels: a graph auto-encoder** (Kipf & Welling 2016): the inner product of two node embeddings should say
  whether they are linked; each epoch scores every training edge against as many sampled node pairs (binary
  cross-entropy). This is ``torch_geometric.nn.GAE.recon_loss`` written out with uniform pairs drawn from a seeded
  torch generator (PyG's ``negative_sampling`` rejects pairs that are edges, which costs more per epoch and draws
  from the global random state). Chosen over Deep Graph Infomax because it trains what the score
  measures (held-out links) and, on graphs without features, it found the communities of a planted partition
  (NMI 0.99) where DGI's embeddings stayed at about 0.75-0.78 in our trials: with learned node-id vectors the DGI
  discriminator tells real from shuffled nodes too easily to need the community structure.
- **Labels: semi-supervised** (Kipf & Welling 2017): cross-entropy of the classifier head on the training share
  of the labelled nodes, plus the auto-encoder's loss (weight :data:`RECONSTRUCTION_WEIGHT`) so the unlabelled
  nodes shape the embedding too.
"""

from __future__ import annotations

import torch
from torch import Tensor
from torch.nn import functional as F

#: weight of the link reconstruction loss beside the cross-entropy of the labelled nodes
RECONSTRUCTION_WEIGHT = 1.0
EPS = 1e-15


def reconstruction_loss(z: Tensor, edge_index: Tensor, n_nodes: int, generator: torch.Generator) -> Tensor:
    """GAE's loss: -log sigmoid(z_u . z_v) over the edges ``edge_index`` (2, E; each undirected edge once: the dot
    product is symmetric), -log(1 - sigmoid(z_u . z_v)) over as many random pairs
    (uniform node pairs; a pair that happens to be an edge counts as a non-edge, as in PyG's sampler for sparse
    graphs)."""
    pos = (z[edge_index[0]] * z[edge_index[1]]).sum(dim=1)
    m = edge_index.size(1)
    src = torch.randint(0, n_nodes, (m,), generator=generator)
    dst = torch.randint(0, n_nodes, (m,), generator=generator)
    neg = (z[src] * z[dst]).sum(dim=1)
    return -torch.log(torch.sigmoid(pos) + EPS).mean() - torch.log(1 - torch.sigmoid(neg) + EPS).mean()


def classification_loss(logits: Tensor, labels: Tensor, rows: Tensor) -> Tensor:
    """Cross-entropy of the labelled training nodes ``rows``."""
    return F.cross_entropy(logits[rows], labels[rows])
