"""Reading graphs: every input format, the cleaning rules, each error (with its code), the CSR arrays."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import numpy as np
import pytest

from explorer.errors import ExplorerError
from explorer.graph.io import build_csr, read_graph, read_node_labels
from explorer.i18n import t


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def edge_set(g) -> set[tuple[str, str]]:
    return {(g.nodes[a], g.nodes[b]) for a, b in g.edges.tolist()}


def undirected(pairs) -> set[frozenset]:
    return {frozenset(p) for p in pairs}


TRIANGLE = {frozenset(p) for p in [("a1", "b1"), ("b1", "c1"), ("a1", "c1")]}


@pytest.mark.parametrize("name,text", [
    ("g.csv", "source,target\na1,b1\nb1,c1\nc1,a1\n"),
    ("g.tsv", "a1\tb1\nb1\tc1\nc1\ta1\n"),
    ("g.txt", "# a comment\n% another\na1 b1\n\nb1   c1\nc1 a1\n"),
    ("g.edges", "from to\na1 b1\nb1 c1\nc1 a1\n"),
])
def test_edge_lists(tmp_path: Path, name: str, text: str) -> None:
    g = read_graph(write(tmp_path, name, text))
    assert undirected(edge_set(g)) == TRIANGLE
    assert g.weights is None and not g.directed and g.n_edges == 3
    assert g.degrees.tolist() == [2, 2, 2]


def test_weights_header_detected_and_merged(tmp_path: Path) -> None:
    g = read_graph(write(tmp_path, "w.csv", "u1,v1,w\nx,y,1.5\ny,x,2\ny,z,1\nz,z,3\n"))
    assert g.n_edges == 2 and g.n_merged == 1 and g.n_self_loops == 1
    weights = {frozenset((g.nodes[a], g.nodes[b])): float(w) for (a, b), w in zip(g.edges.tolist(), g.weights, strict=True)}
    assert weights == {frozenset(("x", "y")): 3.5, frozenset(("y", "z")): 1.0}
    assert g.nodes[0] == "y"  # numbered by degree, highest first


def test_header_by_numbers(tmp_path: Path) -> None:
    g = read_graph(write(tmp_path, "w.tsv", "person\tfriend\tstrength\n1\t2\t0.5\n2\t3\t4\n"))
    assert g.n_edges == 2 and sorted(g.nodes) == ["1", "2", "3"]


def test_directed_keeps_both_directions(tmp_path: Path) -> None:
    path = write(tmp_path, "d.txt", "a1 b1\nb1 a1\nb1 c1\n")
    g = read_graph(path, directed=True)
    assert edge_set(g) == {("a1", "b1"), ("b1", "a1"), ("b1", "c1")}
    csr = g.csr()
    c1 = g.index["c1"]
    assert csr.indptr[c1 + 1] - csr.indptr[c1] == 0  # no way out of c1
    assert read_graph(path).n_edges == 2


@pytest.mark.parametrize("suffix,writer", [
    (".graphml", nx.write_graphml), (".gml", nx.write_gml), (".gexf", nx.write_gexf)])
def test_networkx_formats(tmp_path: Path, suffix: str, writer) -> None:
    g0 = nx.Graph()
    g0.add_edge("a1", "b1", weight=2.0)
    g0.add_edge("b1", "c1", weight=1.0)
    g0.add_edge("c1", "a1", weight=0.5)
    path = tmp_path / f"g{suffix}"
    writer(g0, path)
    g = read_graph(path)
    assert undirected(edge_set(g)) == TRIANGLE
    weights = {frozenset((g.nodes[a], g.nodes[b])): float(w) for (a, b), w in zip(g.edges.tolist(), g.weights, strict=True)}
    assert weights[frozenset(("a1", "b1"))] == 2.0


def test_csr_sorted_rows_and_weights() -> None:
    edges = np.array([[0, 3], [0, 1], [2, 1], [1, 3]])
    csr = build_csr(4, edges, np.array([1, 2, 3, 4], np.float32), directed=False)
    assert csr.indptr.dtype == np.int32 and csr.indices.dtype == np.int32 and csr.weights.dtype == np.float32
    rows = [csr.indices[csr.indptr[v]:csr.indptr[v + 1]].tolist() for v in range(4)]
    assert rows == [[1, 3], [0, 2, 3], [1], [0, 1]]
    assert csr.weights[csr.indptr[1]:csr.indptr[2]].tolist() == [2.0, 3.0, 4.0]


def check_error(exc: ExplorerError, code: str) -> None:
    assert exc.code == code
    assert "\n" not in str(exc)
    assert t(f"errors_graph.{code}", "zh", **exc.params)  # translated with the same parameters


@pytest.mark.parametrize("name,text,code,words", [
    ("empty.csv", "source,target\n", "graph_no_edges", "no edges"),
    ("comments.txt", "# only a comment\n", "graph_no_edges", "no edges"),
    ("loops.txt", "a1 a1\nb1 b1\n", "graph_self_loops_only", "self-loops"),
    ("weights.csv", "a1,b1,1\nb1,c1,heavy\n", "graph_weight_not_number", "line 2"),
    ("negative.csv", "a1,b1,1\nb1,c1,-2\n", "graph_weight_not_positive", "line 2"),
    ("short.csv", "a1,b1\nc1\n", "graph_too_few_columns", "line 2"),
])
def test_errors(tmp_path: Path, name: str, text: str, code: str, words: str) -> None:
    with pytest.raises(ExplorerError) as info:
        read_graph(write(tmp_path, name, text))
    assert str(info.value).startswith(name) and words in str(info.value)
    check_error(info.value, code)


def test_size_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, "big.txt", "".join(f"n{i} n{i + 1}\n" for i in range(20)))
    with pytest.raises(ExplorerError) as info:
        read_graph(path, limit=10)
    check_error(info.value, "graph_too_large")
    monkeypatch.setenv("EXPLORER_MAX_GRAPH_EDGES", "5")
    with pytest.raises(ExplorerError, match="more than 5 edges"):
        read_graph(path)


def test_unknown_format_and_unreadable(tmp_path: Path) -> None:
    with pytest.raises(ExplorerError) as info:
        read_graph(write(tmp_path, "g.pdf", "a b\n"))
    check_error(info.value, "graph_unknown_format")
    with pytest.raises(ExplorerError) as info:
        read_graph(write(tmp_path, "g.graphml", "<graphml><broken"))
    check_error(info.value, "graph_unreadable")
    assert "g.graphml" in str(info.value)


def test_name_used_in_messages(tmp_path: Path) -> None:
    with pytest.raises(ExplorerError, match=r"^friends\.csv: no edges"):
        read_graph(write(tmp_path, "0a1b2c.csv", "\n"), name="friends.csv")


def test_labels(tmp_path: Path) -> None:
    g = read_graph(write(tmp_path, "g.txt", "a1 b1\nb1 c1\n"))
    labels = read_node_labels(write(tmp_path, "l.csv", "node,community\na1,x\nb1,y\n"), g.nodes)
    assert labels == {"a1": "x", "b1": "y"}
    assert read_node_labels(write(tmp_path, "l.txt", "a1 x\nc1 z\n"), g.index) == {"a1": "x", "c1": "z"}
    with pytest.raises(ExplorerError) as info:
        read_node_labels(write(tmp_path, "bad.tsv", "a1\tx\nzz\ty\nqq\ty\n"), g.nodes)
    assert "2 labelled node(s)" in str(info.value) and "'zz'" in str(info.value)
    check_error(info.value, "graph_labels_unknown_node")
    with pytest.raises(ExplorerError) as info:
        read_node_labels(write(tmp_path, "none.tsv", "node\tlabel\n"), g.nodes)
    check_error(info.value, "graph_labels_empty")
