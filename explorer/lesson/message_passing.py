"""Lesson graph step, one message-passing step: how a graph neural network builds a node's new vector.

GCN (Kipf & Welling 2017) gives node ``i`` the normalised sum of its neighbours' transformed features, itself
included::

    h_i' = Σ_{j ∈ N(i) ∪ {i}}  c_ij · (x_j W),   c_ij = 1 / sqrt(d_i d_j)

with ``d`` the degree counted with the self-loop (the rows of ``D^-1/2 (A + I) D^-1/2 X W``). GAT (Veličković
et al. 2018) replaces the fixed ``c_ij`` by attention weights learnt from the two nodes' vectors::

    e_ij = LeakyReLU(a_dst · (x_i W) + a_src · (x_j W)),   α_ij = softmax_j(e_ij) over N(i) ∪ {i}

so the weights over a node's neighbours sum to 1. The lesson's GAT layer is one seeded head trained for a few
steps to tell the club's two factions apart (:func:`train_gat`), so its weights mean something.

    >>> edges = np.array([[0, 1], [1, 2]])  # a path 0 - 1 - 2
    >>> np.round(gcn_matrix(edges, 3), 3).tolist()
    [[0.5, 0.408, 0.0], [0.408, 0.333, 0.408], [0.0, 0.408, 0.5]]
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

import numpy as np

#: feature size of the lesson's transformed vectors (2: one can read them, and draw them)
OUT_DIM = 2
#: the lesson's GAT training: steps of Adam on the factions, learning rate, seed
GAT_STEPS, GAT_LR, GAT_SEED = 60, 0.05, 0


def gcn_matrix(edges: np.ndarray, n: int) -> np.ndarray:
    """float64 (n, n): ``D^-1/2 (A + I) D^-1/2`` of an undirected graph given by ``edges`` (E, 2)."""
    a = np.eye(n)
    edges = np.asarray(edges, dtype=np.int64).reshape(-1, 2)
    a[edges[:, 0], edges[:, 1]] = 1.0
    a[edges[:, 1], edges[:, 0]] = 1.0
    d = a.sum(axis=1)
    inv = 1.0 / np.sqrt(d)
    return inv[:, None] * a * inv[None, :]


def neighbours(edges: np.ndarray, i: int) -> list[int]:
    """The neighbours of node ``i`` (ascending), ``i`` itself first: the nodes whose messages it adds up."""
    edges = np.asarray(edges, dtype=np.int64).reshape(-1, 2)
    others = set(edges[edges[:, 0] == i, 1].tolist()) | set(edges[edges[:, 1] == i, 0].tolist())
    return [i, *sorted(others - {i})]


@dataclass
class GcnStep:
    """Node ``node``'s GCN step. rows: the nodes summed (``node`` first); degrees: their degrees with the
    self-loop; coefficients: ``1 / sqrt(d_i d_j)``; messages: (k, OUT_DIM) ``x_j W``; contributions:
    coefficient x message; new: (OUT_DIM,) their sum (= row ``node`` of ``Â X W``)."""

    node: int
    rows: list[int]
    degrees: np.ndarray
    coefficients: np.ndarray
    messages: np.ndarray
    contributions: np.ndarray
    new: np.ndarray


def seeded_weights(n_features: int, out_dim: int = OUT_DIM, seed: int = 0) -> np.ndarray:
    """float64 (n_features, out_dim) Glorot-uniform weights ``W`` (the untrained GCN layer the lesson shows)."""
    bound = np.sqrt(6.0 / (n_features + out_dim))
    return np.random.default_rng(seed).uniform(-bound, bound, (n_features, out_dim))


def gcn_step(edges: np.ndarray, features: np.ndarray, weights: np.ndarray, node: int) -> GcnStep:
    """One GCN step for ``node`` (see the module docstring); features (n, f), weights (f, OUT_DIM)."""
    x = np.asarray(features, np.float64)
    rows = neighbours(edges, node)
    degree = np.ones(x.shape[0])
    edges = np.asarray(edges, dtype=np.int64).reshape(-1, 2)
    np.add.at(degree, edges.ravel(), 1.0)
    coefficients = 1.0 / np.sqrt(degree[node] * degree[rows])
    messages = x[rows] @ np.asarray(weights, np.float64)
    contributions = coefficients[:, None] * messages
    return GcnStep(node, rows, degree[rows], coefficients, messages, contributions, contributions.sum(axis=0))


@dataclass
class GatLayer:
    """A trained single-head GAT layer's numbers: ``w`` (f, OUT_DIM), ``att_src`` / ``att_dst`` (OUT_DIM,),
    ``slope`` of the LeakyReLU; ``edge_index`` (2, E') with self-loops and ``alpha`` (E',) the layer's own
    attention (message from ``edge_index[0]`` to ``edge_index[1]``); ``accuracy`` on the factions after training;
    ``steps`` trained (0: random initialisation)."""

    w: np.ndarray
    att_src: np.ndarray
    att_dst: np.ndarray
    slope: float
    edge_index: np.ndarray
    alpha: np.ndarray
    accuracy: float
    steps: int


def train_gat(edges: np.ndarray, features: np.ndarray, labels: np.ndarray, steps: int = GAT_STEPS,
              lr: float = GAT_LR, seed: int = GAT_SEED) -> GatLayer:
    """One GAT head (``torch_geometric.nn.GATConv``, ``OUT_DIM`` outputs read as the two factions' scores)
    trained ``steps`` Adam steps on every node's faction (``labels`` (n,) 0/1), seeded; CPU, well under a second
    on the karate club. ``steps=0`` keeps the random initialisation."""
    import torch
    from torch_geometric.nn import GATConv

    torch.manual_seed(seed)
    e = torch.as_tensor(np.asarray(edges, np.int64).reshape(-1, 2).T)
    edge_index = torch.cat([e, e.flip(0)], dim=1)  # undirected: a message each way
    x = torch.as_tensor(np.asarray(features, np.float32))
    y = torch.as_tensor(np.asarray(labels, np.int64))
    layer = GATConv(x.shape[1], OUT_DIM, heads=1, add_self_loops=True)
    optimiser = torch.optim.Adam(layer.parameters(), lr=lr)
    for _ in range(steps):
        optimiser.zero_grad()
        loss = torch.nn.functional.cross_entropy(layer(x, edge_index), y)
        loss.backward()
        optimiser.step()
    with torch.no_grad():
        out, (index, alpha) = layer(x, edge_index, return_attention_weights=True)
        accuracy = float((out.argmax(dim=1) == y).float().mean())
    return GatLayer(w=layer.lin.weight.detach().numpy().T.astype(np.float64),
                    att_src=layer.att_src.detach().numpy().reshape(-1).astype(np.float64),
                    att_dst=layer.att_dst.detach().numpy().reshape(-1).astype(np.float64),
                    slope=float(layer.negative_slope), edge_index=index.numpy().astype(np.int64),
                    alpha=alpha.numpy().reshape(-1).astype(np.float64), accuracy=accuracy, steps=steps)


@dataclass
class GatStep:
    """Node ``node``'s attention: rows (the senders, ``node`` first), scores ``e_ij`` before the softmax,
    weights ``α_ij`` (sum 1), and the layer's own weights for the same edges (a check)."""

    node: int
    rows: list[int]
    scores: np.ndarray
    weights: np.ndarray
    layer_weights: np.ndarray


def gat_step(layer: GatLayer, features: np.ndarray, node: int) -> GatStep:
    """The attention of ``layer`` over ``node``'s neighbours, computed in numpy from its parameters."""
    h = np.asarray(features, np.float64) @ layer.w
    src, dst = layer.edge_index
    senders = src[dst == node]
    rows = [node, *sorted(int(s) for s in set(senders.tolist()) - {node})]
    raw = h[node] @ layer.att_dst + h[rows] @ layer.att_src
    scores = np.where(raw > 0, raw, layer.slope * raw)
    weights = np.exp(scores - scores.max())
    weights /= weights.sum()
    own = {int(s): float(a) for s, d, a in zip(src, dst, layer.alpha, strict=True) if d == node}
    return GatStep(node, rows, scores, weights, np.array([own[r] for r in rows]))


@dataclass
class KarateMessages:
    """Everything the lesson draws for the karate club: ``edges`` (E, 2) rows of ``nodes``; one-hot features;
    ``labels`` (n,) 0/1 factions (``faction_names`` their names); the GCN weights; the trained GAT layer."""

    nodes: list[str]
    edges: np.ndarray
    features: np.ndarray
    labels: np.ndarray
    faction_names: list[str]
    gcn_weights: np.ndarray
    gat: GatLayer


def karate_messages(gat_steps: int = GAT_STEPS, seed: int = 0) -> KarateMessages:
    """The karate club with one-hot features (each member is its own feature, the classic GCN demo), seeded GCN
    weights, and a GAT head trained ``gat_steps`` steps on the two factions."""
    from explorer.graph.lesson import karate

    graph, factions = karate()
    names = sorted(set(factions.values()))
    labels = np.array([names.index(factions[n]) for n in graph.nodes])
    features = np.eye(len(graph.nodes))
    edges = np.asarray(graph.edges, np.int64)
    return KarateMessages(list(graph.nodes), edges, features, labels, names,
                          seeded_weights(features.shape[1], OUT_DIM, seed),
                          train_gat(edges, features, labels, steps=gat_steps, seed=seed))


def strongest(weights: np.ndarray, rows: list[int], skip: Optional[int] = None) -> int:
    """The row of ``rows`` with the largest weight (``skip`` left out: the node itself), for the quiz."""
    order = [k for k in np.argsort(-np.asarray(weights), kind="stable") if rows[k] != skip]
    return rows[int(order[0])]
