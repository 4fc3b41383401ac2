"""The lesson step "walk -> pairs -> Skip-gram", on Zachary's karate club or a class's own graph (pure functions).

A random walk over the club is a sentence whose words are members; Skip-gram then trains on
(centre, context) pairs of members that appear within ``window`` steps of each other on the walk,
exactly as it pairs words of a sentence. Members that share many walks get similar vectors.

    >>> walk_pairs(["a", "b", "c"], window=1)
    [('a', 'b'), ('b', 'a'), ('b', 'c'), ('c', 'b')]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Optional

import numpy as np

from explorer.graph.io import Graph


def walk_pairs(walk: Sequence[str], window: int) -> list[tuple[str, str]]:
    """Every (centre, context) pair of ``walk`` at most ``window`` steps apart, in walk order.

    (The trainer draws a window of 1..``window`` per centre, so nearer pairs count more often.)
    """
    pairs = []
    for i, centre in enumerate(walk):
        for j in range(max(0, i - window), min(len(walk), i + window + 1)):
            if j != i:
                pairs.append((centre, walk[j]))
    return pairs


@cache
def karate() -> tuple[Graph, dict[str, str]]:
    """The karate club as a :class:`Graph` and its factions (node -> "Mr. Hi" / "Officer")."""
    from explorer.graph.io import _assemble
    from explorer.graph.samples import sample_graph

    edges, labels = sample_graph("karate")
    return _assemble([a for a, _, _ in edges], [b for _, b, _ in edges], None, False, "karate"), labels


@dataclass
class WalkLesson:
    """One walk on a graph and the Skip-gram pairs it gives.

    walk: node ids in walk order; rows: their rows in ``graph.nodes``; pairs: (centre, context) ids.
    factions: node -> group (the karate club's factions, a run's labels), empty when the graph has none.
    same_faction: share of the pairs whose two nodes are both labelled and in the same group (None without groups).
    """

    graph: Graph
    factions: dict[str, str]
    walk: list[str]
    rows: list[int]
    pairs: list[tuple[str, str]]
    same_faction: Optional[float]


def graph_walk(graph: Graph, groups: Optional[dict[str, str]], start: str, length: int = 10, window: int = 2,
               walk: str = "deepwalk", p: float = 1.0, q: float = 1.0, seed: int = 0) -> WalkLesson:
    """A walk of ``length`` nodes of ``graph`` from ``start`` (DeepWalk or node2vec, seeded), and its pairs within
    ``window``. Raises KeyError when ``start`` is not a node."""
    from explorer.graph.walks import generate_walks

    if start not in graph.index:
        raise KeyError(start)
    walks, lengths = generate_walks(graph.csr(), np.array([graph.index[start]]), length, walk=walk, p=p, q=q,
                                    seed=seed, workers=1)
    rows = walks[0, : lengths[0]].tolist()
    members = [graph.nodes[r] for r in rows]
    pairs = walk_pairs(members, window)
    groups = groups or {}
    labelled = [(a, b) for a, b in pairs if a in groups and b in groups]
    same = sum(groups[a] == groups[b] for a, b in labelled) / len(labelled) if labelled else None
    return WalkLesson(graph, groups, members, rows, pairs, None if same is None else float(same))


def karate_walk(start: str = "0", length: int = 10, window: int = 2, walk: str = "deepwalk", p: float = 1.0,
                q: float = 1.0, seed: int = 0) -> WalkLesson:
    """A walk on the karate club (see :func:`graph_walk`); every member has a faction."""
    graph, factions = karate()
    return graph_walk(graph, factions, start, length, window, walk, p, q, seed)


def walk_view(graph: Graph, rows: Sequence[int], limit: int = 500) -> tuple[list[int], np.ndarray]:
    """What to draw of a large graph around a walk: the walk's nodes, then their neighbours, at most ``limit``
    nodes (rows of ``graph.nodes``, walk first); and the edges among them, int64 (E', 2) in positions of that list.

    >>> from explorer.graph.io import _assemble
    >>> g = _assemble(["a", "b", "c", "d"], ["b", "c", "d", "e"], None, False, "path")  # a - b - c - d - e
    >>> keep, edges = walk_view(g, [g.index["c"]], limit=3)
    >>> sorted(g.nodes[r] for r in keep), len(edges)
    (['b', 'c', 'd'], 2)
    """
    keep = list(dict.fromkeys(int(r) for r in rows))[:limit]
    csr = graph.csr()
    for r in list(keep):
        if len(keep) >= limit:
            break
        for nb in csr.indices[csr.indptr[r]:csr.indptr[r + 1]].tolist():
            if nb not in keep:
                keep.append(int(nb))
                if len(keep) >= limit:
                    break
    position = {r: i for i, r in enumerate(keep)}
    edges = np.array([(position[a], position[b]) for a, b in graph.edges.tolist() if a in position and b in position],
                     dtype=np.int64).reshape(-1, 2)
    return keep, edges
