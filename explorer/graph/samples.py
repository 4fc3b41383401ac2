"""Bundled graph samples with ground truth, generated (no download).

- ``karate``: Zachary's karate club (34 members, 78 friendships), label = the faction each member
  joined after the club split ("Mr. Hi" or "Officer"), from networkx.
- ``lesmis``: the Les Misérables co-appearance graph (77 characters, 254 weighted edges: number of
  chapters together), from networkx; label = the character's community found by greedy modularity
  (networkx), since the novel has no official groups.
- ``planted``: a planted-partition graph (:func:`planted_partition`): 10 communities of 100 nodes,
  each node linked to about 8 nodes of its own community and 2 outside it.

Each sample is an edge list (``<name>_edges.tsv``, ``source<TAB>target[<TAB>weight]``) and a label
file (``<name>_labels.tsv``, ``node<TAB>label``).
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

SAMPLES = ("karate", "lesmis", "planted")


def planted_partition(n_communities: int = 10, size: int = 100, degree_in: float = 8.0, degree_out: float = 2.0,
                      seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """A planted-partition graph: ``(edges int32 (E, 2) with u < v, community int32 (V,))``.

    Node ``i`` is in community ``i // size``. Each node has on average ``degree_in`` neighbours in
    its own community and ``degree_out`` outside it: that many distinct pairs are drawn uniformly
    among the pairs inside communities and among the pairs across them (so big graphs need no
    V x V array).
    """
    rng = np.random.default_rng([seed, 0x91A7])
    n = n_communities * size
    community = np.arange(n, dtype=np.int64) // size

    def draw(count: int, inside: bool) -> np.ndarray:
        found = np.empty(0, np.int64)
        while len(found) < count:
            m = 2 * (count - len(found)) + 16
            u = rng.integers(0, n, m)
            if inside:
                v = community[u] * size + rng.integers(0, size, m)
            else:
                v = rng.integers(0, n, m)
            ok = (u != v) & ((community[u] == community[v]) == inside)
            a, b = np.minimum(u[ok], v[ok]), np.maximum(u[ok], v[ok])
            found = np.unique(np.concatenate([found, a * n + b]))
        return rng.permutation(found)[:count]

    n_in = int(round(n * degree_in / 2))
    n_out = int(round(n * degree_out / 2)) if n_communities > 1 else 0
    keys = np.sort(np.concatenate([draw(n_in, True), draw(n_out, False)]))
    edges = np.stack([keys // n, keys % n], axis=1).astype(np.int32)
    return edges, community.astype(np.int32)


def _karate() -> tuple[list[tuple[str, str, float | None]], dict[str, str]]:
    import networkx as nx

    g = nx.karate_club_graph()
    edges = [(str(a), str(b), None) for a, b in g.edges()]
    labels = {str(n): str(d["club"]) for n, d in g.nodes(data=True)}
    return edges, labels


def _lesmis() -> tuple[list[tuple[str, str, float | None]], dict[str, str]]:
    import networkx as nx
    from networkx.algorithms.community import greedy_modularity_communities

    g = nx.les_miserables_graph()
    edges = [(str(a), str(b), float(d.get("weight", 1.0))) for a, b, d in g.edges(data=True)]
    groups = greedy_modularity_communities(g, weight="weight")
    labels = {str(n): f"group {i + 1}" for i, members in enumerate(groups) for n in sorted(members)}
    return edges, labels


def _planted() -> tuple[list[tuple[str, str, float | None]], dict[str, str]]:
    edges, community = planted_partition()
    return ([(f"n{a}", f"n{b}", None) for a, b in edges.tolist()],
            {f"n{i}": f"c{int(c)}" for i, c in enumerate(community)})


def sample_graph(name: str) -> tuple[list[tuple[str, str, float | None]], dict[str, str]]:
    """``(edges [(source, target, weight or None)], labels {node: label})`` of a bundled sample."""
    makers = {"karate": _karate, "lesmis": _lesmis, "planted": _planted}
    if name not in makers:
        raise KeyError(f"unknown graph sample {name!r} (known: {', '.join(SAMPLES)})")
    return makers[name]()


def write_sample_graph(name: str, out: Path) -> tuple[Path, Path]:
    """Write ``<name>_edges.tsv`` and ``<name>_labels.tsv`` into ``out``; return their paths."""
    edges, labels = sample_graph(name)
    out = Path(out)
    edge_path, label_path = out / f"{name}_edges.tsv", out / f"{name}_labels.tsv"
    weighted = any(w is not None for _, _, w in edges)
    with open(edge_path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, delimiter="\t", lineterminator="\n")
        w.writerow(["source", "target"] + (["weight"] if weighted else []))
        for a, b, weight in edges:
            w.writerow([a, b] + ([f"{weight:g}"] if weighted else []))
    with open(label_path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, delimiter="\t", lineterminator="\n")
        w.writerow(["node", "label"])
        for node, label in labels.items():
            w.writerow([node, label])
    return edge_path, label_path


def sample_graph_files() -> dict[str, tuple[Path, Path]]:
    """The bundled graphs written once under ``EXPLORER_HOME/samples/graphs``: name -> (edges, labels)."""
    import os
    import shutil
    import tempfile

    from explorer.paths import explorer_home

    out = explorer_home() / "samples" / "graphs"
    out.mkdir(parents=True, exist_ok=True)
    files = {name: (out / f"{name}_edges.tsv", out / f"{name}_labels.tsv") for name in SAMPLES}
    for name, paths in files.items():
        if all(p.is_file() for p in paths):
            continue
        tmp = Path(tempfile.mkdtemp(dir=out, prefix=".tmp-"))
        try:
            for made, final in zip(write_sample_graph(name, tmp), paths, strict=True):
                os.replace(made, final)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    return files
