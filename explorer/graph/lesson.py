"""The lesson step "walk -> pairs -> Skip-gram", on Zachary's karate club (pure functions).

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
    """One walk on the karate club and the Skip-gram pairs it gives.

    walk: member ids in walk order; rows: their rows in ``graph.nodes``; pairs: (centre, context) ids.
    same_faction: share of the pairs whose two members belong to the same faction.
    """

    graph: Graph
    factions: dict[str, str]
    walk: list[str]
    rows: list[int]
    pairs: list[tuple[str, str]]
    same_faction: float


def karate_walk(start: str = "0", length: int = 10, window: int = 2, walk: str = "deepwalk", p: float = 1.0,
                q: float = 1.0, seed: int = 0) -> WalkLesson:
    """A walk of ``length`` members from ``start`` (DeepWalk or node2vec), and its pairs within ``window``."""
    from explorer.graph.walks import generate_walks

    graph, factions = karate()
    if start not in graph.index:
        raise KeyError(start)
    walks, lengths = generate_walks(graph.csr(), np.array([graph.index[start]]), length, walk=walk, p=p, q=q,
                                    seed=seed, workers=1)
    rows = walks[0, : lengths[0]].tolist()
    members = [graph.nodes[r] for r in rows]
    pairs = walk_pairs(members, window)
    same = sum(factions[a] == factions[b] for a, b in pairs) / max(1, len(pairs))
    return WalkLesson(graph, factions, members, rows, pairs, float(same))
