"""Node features of a graph neural network: a features file, GraphML/GEXF attributes, or degree + node ids.

What a node starts from, in this order:

1. a **features file** (``--features F``): CSV/TSV keyed by node id, one numeric column per feature; the id column
   is the one named ``id``/``node``/``node_id``/``name`` or else the first. Every column is standardised (mean 0,
   standard deviation 1 over the graph's nodes); graph nodes without a row get the mean (0 after standardising;
   ``missing_rows`` counts them).
2. the numeric **node attributes** of a GraphML or GEXF edges file (the same standardising), when it has any;
3. else nothing from the user.

Always added: ``log(1 + degree)``, standardised. With ``node_ids`` on (``auto``: only when no user features and at
most :data:`MAX_ID_NODES` nodes) the model also learns one vector per node (one-hot ids times a weight matrix, kept
as an embedding table): ``nodes x dim`` parameters (64 floats per node at dim 64: 25 MB for 100,000 nodes, three
times that with Adam's moments). A node that was not in training has no id vector (zeros, as a one-hot column that
was never trained).

Every problem with a features file is one :class:`~explorer.errors.ExplorerError` naming the file (codes in
``explorer/i18n/errors_gnn.py``).

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "f.csv"
    >>> _ = p.write_text("node,age,score\\nb,30,1\\na,20,0.5\\n")
    >>> table = read_features_file(p, {"a": 0, "b": 1, "c": 2})
    >>> table.columns, table.values.tolist(), table.missing_rows
    (['age', 'score'], [[20.0, 0.5], [30.0, 1.0], [nan, nan]], 1)
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

import numpy as np

from explorer.errors import ExplorerError

#: the most feature columns a file may have (a wider table belongs in a dimensionality reduction first)
MAX_FEATURE_COLUMNS = 1000
#: ``node_ids: auto`` learns a vector per node up to this many nodes
MAX_ID_NODES = 100_000
#: names of the id column (case-insensitive); otherwise the first column holds the ids
ID_COLUMNS = ("id", "node", "node_id", "nodeid", "name")


@dataclass
class FeatureTable:
    """Feature values of the graph's nodes: float64 (V, k), NaN where a node has no row."""

    columns: list[str]
    values: np.ndarray
    missing_rows: int
    source: str  # "file" or "attributes"


def _fail(source: str, code: str, problem: str, **params: Any) -> ExplorerError:
    return ExplorerError(f"{source}: {problem}", code=code, source=source, **params)


def _rows(path: Path, source: str) -> list[list[str]]:
    from explorer.text.decode import decode_bytes

    if not path.is_file():
        raise ExplorerError(f"{path}: file not found", code="file_not_found", path=str(path))
    text, _ = decode_bytes(path.read_bytes(), source)
    lines = [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    if not lines:
        raise _fail(source, "gnn_features_empty", "no rows found (expected a header 'id,feature1,...' and one row "
                    "per node)")
    first = lines[0]
    delimiter = "\t" if "\t" in first else ("," if "," in first else (";" if ";" in first else None))
    if delimiter is None:
        return [line.split() for line in lines]
    return [[c.strip() for c in row] for row in csv.reader(lines, delimiter=delimiter)]


def read_features_file(path: Path, index: dict[str, int], *, name: Optional[str] = None) -> FeatureTable:
    """The features file ``path`` (header row, then ``id,value,...``) as a table over the nodes of ``index``."""
    path = Path(path)
    source = name or path.name
    rows = _rows(path, source)
    header = rows[0]
    if len(header) < 2:
        raise _fail(source, "gnn_features_no_columns", "expected a header with a node id column and at least one "
                    "feature column ('id,feature1,...')")
    if len(header) - 1 > MAX_FEATURE_COLUMNS:
        raise ExplorerError(f"{source}: {len(header) - 1:,} feature columns; at most {MAX_FEATURE_COLUMNS:,} are "
                            f"accepted", code="gnn_features_too_many_columns", source=source, n=len(header) - 1,
                            limit=MAX_FEATURE_COLUMNS)
    folded = [c.casefold() for c in header]
    id_col = next((i for i, c in enumerate(folded) if c in ID_COLUMNS), 0)
    feature_cols = [i for i in range(len(header)) if i != id_col]
    body = rows[1:]
    if not body:
        raise _fail(source, "gnn_features_empty", "no rows found (expected a header 'id,feature1,...' and one row "
                    "per node)")
    ids = [r[id_col] if id_col < len(r) else "" for r in body]
    known = sum(1 for i in ids if i in index)
    if known == 0:
        raise ExplorerError(f"{source}: no column holds the graph's node ids (column {header[id_col]!r} matches no "
                            f"node; the ids go in the first column or one named id or node)",
                            code="gnn_features_no_id_column", source=source, column=header[id_col][:40])
    unknown = [i for i in ids if i not in index]
    if unknown:
        raise ExplorerError(f"{source}: {len(unknown)} row(s) name nodes that are not in the graph, e.g. "
                            f"{unknown[0][:40]!r}", code="gnn_features_unknown_ids", source=source, n=len(unknown),
                            node=unknown[0][:40])
    values = np.full((len(index), len(feature_cols)), np.nan)
    seen = np.zeros(len(index), bool)
    for line, row in enumerate(body, start=2):
        if len(row) != len(header):
            raise ExplorerError(f"{source}: line {line}: {len(row)} column(s), the header has {len(header)}",
                                code="gnn_features_ragged", source=source, line=line, n=len(row), expected=len(header))
        node = index[row[id_col]]
        if seen[node]:
            raise ExplorerError(f"{source}: line {line}: node {row[id_col][:40]!r} has a second row",
                                code="gnn_features_repeated_id", source=source, line=line, node=row[id_col][:40])
        seen[node] = True
        for j, col in enumerate(feature_cols):
            cell = row[col]
            try:
                value = float(cell)
            except ValueError:
                raise ExplorerError(f"{source}: line {line}: column {header[col][:40]!r}: {cell[:40]!r} is not a "
                                    f"number", code="gnn_features_not_number", source=source, line=line,
                                    column=header[col][:40], value=cell[:40]) from None
            if not math.isfinite(value):
                raise ExplorerError(f"{source}: line {line}: column {header[col][:40]!r}: {cell[:40]} is not a "
                                    f"finite number (NaN or infinite)", code="gnn_features_not_finite",
                                    source=source, line=line, column=header[col][:40], value=cell[:40])
            values[node, j] = value
    return FeatureTable([header[c] for c in feature_cols], values, int((~seen).sum()), "file")


def read_graph_attributes(path: Path, index: dict[str, int], *, name: Optional[str] = None) -> Optional[FeatureTable]:
    """The numeric node attributes of a GraphML / GEXF file (None for other files or without any): the attributes
    whose every given value is a finite number (booleans and text are left out)."""
    import networkx as nx

    from explorer.graph.io import NETWORKX_SUFFIXES

    source = name or Path(path).name
    suffix = Path(source).suffix.lower() if Path(source).suffix.lower() in NETWORKX_SUFFIXES else Path(path).suffix.lower()
    if NETWORKX_SUFFIXES.get(suffix) not in ("GraphML", "GEXF"):
        return None
    g = nx.read_graphml(path) if NETWORKX_SUFFIXES[suffix] == "GraphML" else nx.read_gexf(path)
    columns: dict[str, dict[int, float]] = {}
    dropped: set[str] = set()
    for node, attrs in g.nodes(data=True):
        row = index.get(str(node))
        if row is None:
            continue
        for key, value in attrs.items():
            if key in dropped or key in ("label", "id") or isinstance(value, (bool, str)):
                if isinstance(value, str):
                    dropped.add(key)
                    columns.pop(key, None)
                continue
            try:
                number = float(value)
            except (TypeError, ValueError):
                dropped.add(key)
                columns.pop(key, None)
                continue
            if not math.isfinite(number):
                dropped.add(key)
                columns.pop(key, None)
                continue
            columns.setdefault(key, {})[row] = number
    names = sorted(columns)[:MAX_FEATURE_COLUMNS]
    if not names:
        return None
    values = np.full((len(index), len(names)), np.nan)
    for j, key in enumerate(names):
        for row, number in columns[key].items():
            values[row, j] = number
    missing = int(np.isnan(values).all(axis=1).sum())
    return FeatureTable(names, values, missing, "attributes")


@dataclass
class FeatureScaler:
    """How raw features become the model's input: user columns then log(1 + degree), each standardised."""

    columns: list[str]  # user feature columns (may be empty)
    mean: list[float]  # per column, log-degree last
    std: list[float]
    node_ids: bool  # the model learns a vector per training node
    source: str  # "file", "attributes" or "degree"
    missing_rows: int = 0
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def width(self) -> int:
        return len(self.columns) + 1

    def transform(self, user: Optional[np.ndarray], degrees: np.ndarray) -> np.ndarray:
        """float32 (m, width): standardised user columns (NaN: the mean, i.e. 0) and log-degree."""
        m = len(degrees)
        raw = np.empty((m, self.width), np.float64)
        if self.columns:
            raw[:, :-1] = user if user is not None else np.nan
        raw[:, -1] = np.log1p(np.asarray(degrees, np.float64))
        out = (raw - np.asarray(self.mean)) / np.asarray(self.std)
        return np.nan_to_num(out, nan=0.0).astype(np.float32)

    def to_dict(self) -> dict[str, Any]:
        return {"columns": self.columns, "mean": self.mean, "std": self.std, "node_ids": self.node_ids,
                "source": self.source, "missing_rows": self.missing_rows}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> FeatureScaler:
        return cls([str(c) for c in d["columns"]], [float(x) for x in d["mean"]], [float(x) for x in d["std"]],
                   bool(d["node_ids"]), str(d["source"]), int(d.get("missing_rows", 0)))


def fit_scaler(table: Optional[FeatureTable], degrees: np.ndarray, node_ids: str) -> FeatureScaler:
    """The scaler of a graph's features; ``node_ids``: "auto", "yes" or "no" (see the module docstring)."""
    cols = table.values if table is not None else np.empty((len(degrees), 0))
    raw = np.concatenate([cols, np.log1p(np.asarray(degrees, np.float64))[:, None]], axis=1)
    with np.errstate(invalid="ignore"):
        mean = np.nanmean(raw, axis=0) if len(raw) else np.zeros(raw.shape[1])
        std = np.nanstd(raw, axis=0) if len(raw) else np.ones(raw.shape[1])
    mean = np.nan_to_num(mean)
    std = np.where(np.isfinite(std) & (std > 1e-12), std, 1.0)
    ids = node_ids == "yes" or (node_ids == "auto" and table is None and len(degrees) <= MAX_ID_NODES)
    return FeatureScaler(table.columns if table is not None else [], mean.tolist(), std.tolist(), ids,
                         table.source if table is not None else "degree",
                         table.missing_rows if table is not None else 0)


def parse_feature_values(text: str, scaler: FeatureScaler) -> Optional[np.ndarray]:
    """A new node's feature values from ``"1.5,2,0"`` (as many numbers as the run's feature columns, in its order),
    or None when ``text`` is empty (the node gets the mean)."""
    if not text.strip():
        return None
    cells = [c.strip() for c in text.replace(";", ",").split(",")]
    if len(cells) != len(scaler.columns):
        raise ExplorerError(f"the new node's features: {len(cells)} value(s) given, the run has {len(scaler.columns)} feature "
                            f"column(s) ({', '.join(scaler.columns)[:120] or 'none'})",
                            code="gnn_node_features_count", n=len(cells), expected=len(scaler.columns),
                            columns=", ".join(scaler.columns)[:120] or "-")
    out = np.empty(len(cells))
    for i, cell in enumerate(cells):
        try:
            out[i] = float(cell)
        except ValueError:
            raise ExplorerError(f"the new node's features: {cell[:40]!r} is not a number", code="gnn_node_features_not_number",
                                value=cell[:40]) from None
        if not math.isfinite(out[i]):
            raise ExplorerError(f"the new node's features: {cell[:40]!r} is not a number", code="gnn_node_features_not_number",
                                value=cell[:40])
    return out
