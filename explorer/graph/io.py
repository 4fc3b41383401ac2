"""Reading graphs: edge lists (CSV / TSV / whitespace) and GraphML / GML / GEXF, plus node labels.

Edge lists hold one edge per line, ``source target [weight]``, separated by a comma, a tab or
spaces (decided from the first data line); lines starting with ``#`` or ``%`` are comments
(SNAP and KONECT files start with them); a first line of column names (``source,target,weight``,
``from to``, ...) is recognised and skipped; columns after the weight (e.g. KONECT's timestamps)
are ignored. GraphML, GML and GEXF files are read with networkx (a numeric ``weight`` edge
attribute is used when present).

Cleaning, the same for every format: self-loops are dropped (counted in
:attr:`Graph.n_self_loops`); repeated edges are merged (their weights added; an unweighted graph
stays unweighted); an undirected edge is stored once with ``u < v``. Nodes are numbered by degree,
highest first (ties: first appearance), like a vocabulary by count.

Every problem is one :class:`~explorer.errors.ExplorerError` naming the file (codes in
``explorer/i18n/errors_graph.py``): no edges, self-loops only, a non-numeric or non-positive weight,
a graph over the size limit (:func:`max_edges`), unknown nodes in a label file.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "g.csv"
    >>> _ = p.write_text("source,target,weight\\na,b,2\\nb,c,1\\nc,c,5\\n")
    >>> g = read_graph(p)
    >>> g.nodes, g.edges.tolist(), g.weights.tolist(), g.n_self_loops
    (['b', 'a', 'c'], [[0, 1], [0, 2]], [2.0, 1.0], 1)
    >>> c = g.csr()
    >>> c.indptr.tolist(), c.indices.tolist()
    ([0, 2, 3, 4], [1, 2, 0, 0])
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, Optional

import numpy as np

from explorer import settings
from explorer.errors import ExplorerError

#: suffixes read as edge lists, and those read through networkx
EDGE_LIST_SUFFIXES = (".csv", ".tsv", ".txt", ".edges", ".edgelist", ".el", ".dat")
NETWORKX_SUFFIXES = {".graphml": "GraphML", ".gml": "GML", ".gexf": "GEXF"}
#: GraphML/GML/GEXF are parsed whole in memory by networkx: refuse bigger files
MAX_XML_MB = 100
_HEADER_WORDS = frozenset({
    "source", "target", "src", "dst", "from", "to", "node", "node1", "node2", "id", "id1",
    "id2", "weight", "head", "tail", "start", "end", "label", "community", "class", "group", "category",
    "faction", "club", "name",
})


def max_edges() -> int:
    """The edge limit: ``$EXPLORER_MAX_GRAPH_EDGES`` (default 5,000,000: :mod:`explorer.settings`)."""
    return settings.max_graph_edges()


@dataclass
class CSR:
    """A graph's adjacency in compressed sparse rows, neighbours of each node sorted ascending.

    indptr:  int32 (V+1,): neighbours of node ``v`` are ``indices[indptr[v]:indptr[v+1]]``.
    indices: int32 (A,): A = E for a directed graph, 2E for an undirected one.
    weights: float32 (A,): edge weights aligned with ``indices`` (ones when unweighted).
    weighted: whether the weights are the file's (False: all ones).
    """

    indptr: np.ndarray
    indices: np.ndarray
    weights: np.ndarray
    weighted: bool

    @property
    def n_nodes(self) -> int:
        return int(self.indptr.shape[0] - 1)


@dataclass
class Graph:
    """A cleaned graph.

    nodes:   V node ids (text), numbered by degree, highest first.
    edges:   int32 (E, 2) distinct edges without self-loops (``u < v`` when undirected).
    weights: float32 (E,) or None for an unweighted graph.
    """

    nodes: list[str]
    edges: np.ndarray
    weights: Optional[np.ndarray]
    directed: bool
    source: str
    n_self_loops: int = 0
    n_merged: int = 0  # repeated edges merged into one

    @property
    def n_nodes(self) -> int:
        return len(self.nodes)

    @property
    def n_edges(self) -> int:
        return int(self.edges.shape[0])

    @cached_property
    def index(self) -> dict[str, int]:
        """node id -> number."""
        return {n: i for i, n in enumerate(self.nodes)}

    @cached_property
    def degrees(self) -> np.ndarray:
        """int64 (V,): number of edges at each node (in + out for a directed graph)."""
        return np.bincount(self.edges.ravel(), minlength=self.n_nodes).astype(np.int64)

    def csr(self) -> CSR:
        """The walkable adjacency (out-neighbours; both directions when undirected)."""
        return build_csr(self.n_nodes, self.edges, self.weights, self.directed)

    def without(self, drop: np.ndarray) -> Graph:
        """This graph without the edges whose rows are True in ``drop`` (bool (E,)); same nodes."""
        keep = ~np.asarray(drop, dtype=bool)
        return Graph(self.nodes, self.edges[keep], None if self.weights is None else self.weights[keep],
                     self.directed, self.source, self.n_self_loops, self.n_merged)


def build_csr(n: int, edges: np.ndarray, weights: Optional[np.ndarray], directed: bool) -> CSR:
    """CSR arrays of ``edges`` int (E, 2) over ``n`` nodes (both directions unless ``directed``)."""
    src = edges[:, 0].astype(np.int64)
    dst = edges[:, 1].astype(np.int64)
    w = np.ones(len(src), np.float32) if weights is None else np.asarray(weights, np.float32)
    if not directed:
        src, dst, w = np.concatenate([src, dst]), np.concatenate([dst, src]), np.concatenate([w, w])
    order = np.argsort(src * n + dst, kind="stable")
    counts = np.bincount(src, minlength=n)
    indptr = np.zeros(n + 1, np.int64)
    np.cumsum(counts, out=indptr[1:])
    if indptr[-1] >= 2**31:
        raise ExplorerError("graph: too many edges for 32-bit indices", code="graph_too_large", source="graph",
                            limit=2**31 - 1)
    return CSR(indptr.astype(np.int32), dst[order].astype(np.int32), np.ascontiguousarray(w[order]),
               weights is not None)


# --------------------------------------------------------------------------- edge lists


def _decode(path: Path, source: str) -> str:
    from explorer.text.decode import decode_bytes

    if not path.is_file():
        raise ExplorerError(f"{path}: file not found", code="file_not_found", path=str(path))
    text, _ = decode_bytes(path.read_bytes(), source)
    return text


def _data_lines(text: str) -> tuple[list[str], list[int]]:
    """Non-blank, non-comment lines and their 1-based line numbers."""
    lines, numbers = [], []
    for i, line in enumerate(text.splitlines()):
        s = line.strip()
        if s and s[0] not in "#%":
            lines.append(s)
            numbers.append(i + 1)
    return lines, numbers


def _delimiter(first: str) -> Optional[str]:
    """``,`` or tab when the first data line holds one; None: any run of spaces."""
    if "\t" in first:
        return "\t"
    if "," in first:
        return ","
    if ";" in first:
        return ";"
    return None


def _split(lines: list[str], delimiter: Optional[str]) -> list[list[str]]:
    if delimiter is None:
        return [line.split() for line in lines]
    return [[c.strip() for c in row] for row in csv.reader(lines, delimiter=delimiter)]


def _is_number(cell: str) -> bool:
    try:
        float(cell)
        return True
    except ValueError:
        return False


def _has_header(rows: list[list[str]], words_only: bool = False) -> bool:
    """A first row of column names: known header words, or a non-numeric weight above numeric ones."""
    first = rows[0]
    if len(first) >= 2 and {c.casefold() for c in first[:2]} <= _HEADER_WORDS and (
            len(rows) < 2 or {c.casefold() for c in rows[1][:2]} != {c.casefold() for c in first[:2]}):
        return True
    if words_only or len(first) < 3 or len(rows) < 2 or len(rows[1]) < 3:
        return False
    return not _is_number(first[2]) and _is_number(rows[1][2])


def _table(path: Path, source: str, limit: Optional[int]) -> tuple[list[list[str]], list[int]]:
    """The rows (cells) of a delimited file without header/comments, and their line numbers."""
    lines, numbers = _data_lines(_decode(path, source))
    if limit is not None and len(lines) > limit + 1:
        raise ExplorerError(f"{source}: the graph has more than {limit:,} edges (limit of this server)",
                            code="graph_too_large", source=source, limit=limit)
    if not lines:
        return [], []
    rows = _split(lines, _delimiter(lines[0]))
    if _has_header(rows[:2]):
        rows, numbers = rows[1:], numbers[1:]
    if limit is not None and len(rows) > limit:
        raise ExplorerError(f"{source}: the graph has more than {limit:,} edges (limit of this server)",
                            code="graph_too_large", source=source, limit=limit)
    return rows, numbers


MIN_WEIGHT, MAX_WEIGHT = 1e-30, 1e30  # weights are stored as float32 and summed per node: keep them well inside its range


def _check_weight_range(value: float, source: str, line: object, cell: str) -> None:
    """A weight float32 holds with room for sums over many edges (a 1e39 weight is finite in float64 but infinite
    in float32, and turns node2vec's sampling weights into NaN)."""
    if not MIN_WEIGHT <= value <= MAX_WEIGHT:
        raise ExplorerError(f"{source}: line {line}: weight {cell[:40]} is out of range (expected "
                            f"{MIN_WEIGHT:g} to {MAX_WEIGHT:g})", code="graph_weight_range", source=source,
                            line=line, value=cell[:40], min=f"{MIN_WEIGHT:g}", max=f"{MAX_WEIGHT:g}")


def _parse_weights(rows: list[list[str]], numbers: list[int], source: str) -> Optional[np.ndarray]:
    if not rows or max(len(r) for r in rows[:1000]) < 3 and all(len(r) < 3 for r in rows):
        return None
    out = np.empty(len(rows), np.float64)
    for i, row in enumerate(rows):
        cell = row[2] if len(row) >= 3 else ""
        try:
            value = float(cell)
        except ValueError:
            raise ExplorerError(f"{source}: line {numbers[i]}: weight {cell!r} is not a number",
                                code="graph_weight_not_number", source=source, line=numbers[i], value=cell) from None
        if not (value > 0 and np.isfinite(value)):
            raise ExplorerError(f"{source}: line {numbers[i]}: weight {cell} must be greater than 0",
                                code="graph_weight_not_positive", source=source, line=numbers[i], value=cell)
        _check_weight_range(value, source, numbers[i], cell)
        out[i] = value
    return out


def _read_edge_list(path: Path, source: str, limit: int) -> tuple[list[str], list[str], Optional[np.ndarray]]:
    rows, numbers = _table(path, source, limit)
    for row, line in zip(rows, numbers, strict=True):
        if len(row) < 2 or not row[0] or not row[1]:
            raise ExplorerError(f"{source}: line {line}: expected 'source target [weight]', got {len(row)} column(s)",
                                code="graph_too_few_columns", source=source, line=line, n=len(row))
    weights = _parse_weights(rows, numbers, source)
    return [r[0] for r in rows], [r[1] for r in rows], weights


def _read_networkx(path: Path, source: str, fmt: str, limit: int) -> tuple[list[str], list[str], Optional[np.ndarray]]:
    import networkx as nx

    if path.stat().st_size > MAX_XML_MB << 20:
        raise ExplorerError(f"{source}: the file is larger than {MAX_XML_MB} MB (limit for GraphML/GML/GEXF)",
                            code="graph_file_too_large", source=source, limit_mb=MAX_XML_MB)
    try:
        if fmt == "GraphML":
            g = nx.read_graphml(path)
        elif fmt == "GEXF":
            g = nx.read_gexf(path)
        else:
            try:
                g = nx.read_gml(path)
            except nx.NetworkXError:  # labels missing or repeated: use the ids
                g = nx.read_gml(path, label="id")
    except Exception as exc:  # noqa: BLE001 - any parser failure is the file's problem
        reason = " ".join(str(exc).split())[:160] or type(exc).__name__
        raise ExplorerError(f"{source}: not a readable {fmt} file ({reason})", code="graph_unreadable",
                            source=source, format=fmt, reason=reason) from None
    if g.number_of_edges() > limit:
        raise ExplorerError(f"{source}: the graph has more than {limit:,} edges (limit of this server)",
                            code="graph_too_large", source=source, limit=limit)
    src, dst, weights = [], [], []
    any_weight = False
    for u, v, data in g.edges(data=True):
        src.append(str(u))
        dst.append(str(v))
        w = data.get("weight", 1.0)
        any_weight = any_weight or "weight" in data
        try:
            w = float(w)
        except (TypeError, ValueError):
            raise ExplorerError(f"{source}: line {u}-{v}: weight {w!r} is not a number",
                                code="graph_weight_not_number", source=source, line=f"{u}-{v}", value=str(w)) from None
        if not (w > 0 and np.isfinite(w)):
            raise ExplorerError(f"{source}: line {u}-{v}: weight {w} must be greater than 0",
                                code="graph_weight_not_positive", source=source, line=f"{u}-{v}", value=w)
        _check_weight_range(w, source, f"{u}-{v}", str(w))
        weights.append(w)
    # nodes without any edge are left out, as in an edge list
    return src, dst, (np.asarray(weights, np.float64) if any_weight else None)


def _assemble(src: list[str], dst: list[str], weights: Optional[np.ndarray], directed: bool, source: str) -> Graph:
    import pandas as pd

    if not src:
        raise ExplorerError(f"{source}: no edges found (expected lines 'source target [weight]')",
                            code="graph_no_edges", source=source)
    codes, uniques = pd.factorize(np.asarray(src + dst, dtype=object), sort=False)
    e = len(src)
    u, v = codes[:e].astype(np.int64), codes[e:].astype(np.int64)
    loops = u == v
    n_loops = int(loops.sum())
    if n_loops == e:
        raise ExplorerError(f"{source}: all {e} edges are self-loops (a node linked to itself); nothing to walk on",
                            code="graph_self_loops_only", source=source, n=e)
    u, v = u[~loops], v[~loops]
    w = None if weights is None else weights[~loops]
    if not directed:
        u, v = np.minimum(u, v), np.maximum(u, v)
    n_all = len(uniques)
    key = u * n_all + v
    uniq, inverse = np.unique(key, return_inverse=True)
    n_merged = len(key) - len(uniq)
    if w is not None:
        w = np.bincount(inverse, weights=w, minlength=len(uniq))
    u, v = uniq // n_all, uniq % n_all
    # number nodes by degree, highest first; ties by first appearance; nodes left only on self-loops go
    degree = np.bincount(np.concatenate([u, v]), minlength=n_all)
    present = np.flatnonzero(degree > 0)
    order = present[np.argsort(-degree[present], kind="stable")]
    remap = np.full(n_all, -1, np.int64)
    remap[order] = np.arange(len(order))
    nodes = [str(uniques[i]) for i in order]
    if len(nodes) < 2:
        raise ExplorerError(f"{source}: the graph has {len(nodes)} node(s); at least 2 are needed",
                            code="graph_too_few_nodes", source=source, n=len(nodes))
    edges = np.stack([remap[u], remap[v]], axis=1)
    if not directed:
        edges = np.sort(edges, axis=1)
    edges = edges.astype(np.int32)
    return Graph(nodes, edges, None if w is None else w.astype(np.float32), directed, source, n_loops, n_merged)


def read_graph(path: Path, *, directed: bool = False, name: Optional[str] = None,
               limit: Optional[int] = None) -> Graph:
    """Read an edge list or a GraphML / GML / GEXF file (chosen by the suffix) into a :class:`Graph`.

    ``name`` is the user's name of the file (messages name it instead of the stored copy);
    ``limit`` the largest number of edges accepted (default :func:`max_edges`).
    """
    path = Path(path)
    source = name or path.name
    limit = max_edges() if limit is None else limit
    suffix = Path(source).suffix.lower() if Path(source).suffix.lower() in NETWORKX_SUFFIXES else path.suffix.lower()
    if suffix in NETWORKX_SUFFIXES:
        if not path.is_file():
            raise ExplorerError(f"{path}: file not found", code="file_not_found", path=str(path))
        src, dst, weights = _read_networkx(path, source, NETWORKX_SUFFIXES[suffix], limit)
    elif suffix in EDGE_LIST_SUFFIXES or suffix == "":
        src, dst, weights = _read_edge_list(path, source, limit)
    else:
        raise ExplorerError(f"{source}: unknown graph format {suffix!r} (expected .csv, .tsv, .txt, .edges, "
                            f".edgelist, .graphml, .gml or .gexf)", code="graph_unknown_format", source=source,
                            suffix=suffix)
    return _assemble(src, dst, weights, directed, source)


# --------------------------------------------------------------------------- node labels


def read_node_labels(path: Path, nodes: list[str] | dict[str, int], *, name: Optional[str] = None) -> dict[str, str]:
    """A ``node label`` file (comma, tab or spaces; optional header) as ``{node: label}``.

    Every labelled node must be in the graph (``nodes``); graph nodes without a label are fine.
    """
    path = Path(path)
    source = name or path.name
    rows, numbers = _table(path, source, None)
    labels: dict[str, str] = {}
    for row in rows:
        if len(row) >= 2 and row[0] and row[1]:
            labels[row[0]] = row[1]
    if not labels:
        raise ExplorerError(f"{source}: no 'node label' rows found", code="graph_labels_empty", source=source)
    known = nodes if isinstance(nodes, dict) else set(nodes)
    unknown = [n for n in labels if n not in known]
    if unknown:
        raise ExplorerError(f"{source}: {len(unknown)} labelled node(s) are not in the graph, e.g. {unknown[0]!r}",
                            code="graph_labels_unknown_node", source=source, n=len(unknown), node=unknown[0])
    return labels


def write_edge_list(path: Path, graph: Graph) -> None:
    """Write ``graph`` as a TSV edge list with a header (``source target [weight]``)."""
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, delimiter="\t", lineterminator="\n")
        w.writerow(["source", "target"] + (["weight"] if graph.weights is not None else []))
        for i, (a, b) in enumerate(graph.edges.tolist()):
            row = [graph.nodes[a], graph.nodes[b]]
            if graph.weights is not None:
                row.append(f"{float(graph.weights[i]):g}")
            w.writerow(row)


def read_graph_data(data: Any, directed: bool) -> tuple[Graph, Optional[dict[str, str]]]:
    """The graph and node labels a graph kind's data names (``edges``/``edges_name``, ``labels``/``labels_name``,
    as :class:`explorer.kinds.graph.GraphData`); labels None when none are given."""
    if not data.edges:
        raise ExplorerError("edges: no graph file given", code="spec_invalid", what="data.edges")
    graph = read_graph(Path(data.edges), directed=directed, name=data.edges_name)
    labels = read_node_labels(Path(data.labels), graph.index, name=data.labels_name) if data.labels else None
    return graph, labels
