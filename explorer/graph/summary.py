"""What the Data page shows about a graph: sizes, degree distribution, components, a small layout."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

import numpy as np

from explorer.graph.io import Graph

#: graphs up to this many nodes get a drawing
MAX_DRAWN_NODES = 500


@dataclass
class GraphSummary:
    """Numbers about a graph.

    degree_values / degree_counts: int64 (k,): how many nodes have each degree (degrees ascending).
    component_sizes: int64 (c,): nodes per connected component (weakly, when directed), largest first.
    """

    n_nodes: int
    n_edges: int
    directed: bool
    weighted: bool
    n_self_loops: int
    n_merged: int
    degree_values: np.ndarray
    degree_counts: np.ndarray
    component_sizes: np.ndarray
    mean_degree: float
    max_degree: int


def component_labels(graph: Graph) -> np.ndarray:
    """int32 (V,): the connected component (weak, when directed) of each node."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    e = graph.edges
    m = coo_matrix((np.ones(len(e)), (e[:, 0], e[:, 1])), shape=(graph.n_nodes, graph.n_nodes))
    _, labels = connected_components(m, directed=graph.directed, connection="weak")
    return labels.astype(np.int32)


def summarize(graph: Graph) -> GraphSummary:
    """The :class:`GraphSummary` of ``graph``."""
    degrees = graph.degrees
    values, counts = np.unique(degrees, return_counts=True)
    sizes = np.sort(np.bincount(component_labels(graph)))[::-1]
    return GraphSummary(graph.n_nodes, graph.n_edges, graph.directed, graph.weights is not None, graph.n_self_loops,
                        graph.n_merged, values.astype(np.int64), counts.astype(np.int64), sizes.astype(np.int64),
                        float(degrees.mean()), int(degrees.max()))


def layout(graph: Graph, seed: int = 0) -> Optional[np.ndarray]:
    """float32 (V, 2) positions (networkx spring layout, seeded), or None above :data:`MAX_DRAWN_NODES`."""
    import networkx as nx

    if graph.n_nodes > MAX_DRAWN_NODES:
        return None
    g = nx.Graph()
    g.add_nodes_from(range(graph.n_nodes))
    g.add_edges_from(graph.edges.tolist())
    pos = nx.spring_layout(g, seed=seed)
    return np.array([pos[i] for i in range(graph.n_nodes)], dtype=np.float32)
