"""Semantic search over a document run: the query's vector (chosen by the run's kind) against the run's
document vectors, by cosine similarity.

The query vector comes from :meth:`explorer.kinds.base.RunKind.query_vector` of the run's kind (Doc2Vec:
an inferred vector; a sentence encoder: its query encoding), so a new document kind plugs in by
overriding that one method.

A run is opened once (:func:`open_index`: the run validated, the vectors normalised in memory and
``docs.tsv`` read) and kept open between searches, keyed by the run's path and the modification times of
its two document files, so that a search costs the query's vector and one matrix-vector product.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from explorer.documents.runfiles import DOC_VECTORS, DOCS_TSV, DocTable, read_doc_vectors, read_docs_tsv
from explorer.errors import ExplorerError

SNIPPET_CHARS = 80  # characters of each result's text printed by the command line
QUERY_CHARS = 300  # a search query is cut to this many characters (a sentence or two; E5 reads 512 tokens at most)
OPEN_RUNS = 4  # document runs kept open at once (20,000 x 384 float32 = 31 MB each)


@dataclass(frozen=True)
class Hit:
    rank: int  # 1-based
    score: float  # cosine similarity
    row: int
    id: str
    title: str
    text: str  # the first 200 characters (docs.tsv)


def cosine_top_k(vectors: np.ndarray, query: np.ndarray, k: int,
                 exclude: Sequence[int] = ()) -> tuple[np.ndarray, np.ndarray]:
    """(rows, scores) of the ``k`` rows of ``vectors`` (n, d) most cosine-similar to ``query`` (d,), best
    first (ties: the lower row first); rows of zero length score 0; rows in ``exclude`` are left out."""
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1)
    return top_k(vectors @ (np.asarray(query, np.float32) / (np.linalg.norm(query) or 1.0))
                 / np.where(norms > 0, norms, 1.0), k, exclude)


def top_k(scores: np.ndarray, k: int, exclude: Sequence[int] = ()) -> tuple[np.ndarray, np.ndarray]:
    """(rows, scores) of the ``k`` highest ``scores``, best first, ties to the lower row; ``exclude`` left out.

        >>> top_k(np.array([0.5, 0.9, 0.5, 0.1]), 2)[0].tolist(), top_k(np.array([0.5, 0.9, 0.5]), 2, [1])[0].tolist()
        ([1, 0], [0, 2])
    """
    scores = np.asarray(scores, dtype=np.float64).copy()
    keep = np.ones(scores.shape[0], bool)
    keep[[r for r in exclude if 0 <= r < scores.shape[0]]] = False
    scores[~keep] = -np.inf
    k = min(k, int(keep.sum()))
    if k <= 0:
        return np.zeros(0, np.int64), np.zeros(0, np.float32)
    kth = np.partition(scores, scores.shape[0] - k)[scores.shape[0] - k]  # the k-th highest score
    candidates = np.flatnonzero(scores >= kth)  # every tie of the k-th too: the lower rows win below
    order = candidates[np.lexsort((candidates, -scores[candidates]))][:k]
    return order.astype(np.int64), scores[order].astype(np.float32)


@dataclass
class DocIndex:
    """A document run opened for searching: its kind, unit-length vectors and ``docs.tsv``.

    Empty documents (kept in the run so that its rows stay aligned with the input) are never a result: their
    vector says nothing about a text (unless no document of the run has a text, as in an import without one)."""

    path: Path
    kind: str
    unit: np.ndarray  # float32 (n, d), rows of length 1 (rows of zero length stay 0)
    docs: DocTable

    def __post_init__(self) -> None:
        empty = [i for i, text in enumerate(self.docs.texts) if not text.strip()]
        self.empty = empty if len(empty) < len(self.docs.texts) else []

    def __len__(self) -> int:
        return int(self.unit.shape[0])

    def query_vector(self, text: str) -> np.ndarray:
        """float32 (d,): ``text``'s vector by the run's kind (E5: encoded as a query; Doc2Vec: inferred)."""
        from explorer.kinds import run_kind

        return np.asarray(run_kind(self.kind).query_vector(self.path, text), dtype=np.float32)

    def nearest(self, vector: np.ndarray, k: int, exclude: Sequence[int] = ()) -> tuple[np.ndarray, np.ndarray]:
        """(rows, cosine scores) of the ``k`` documents nearest to ``vector``, best first (empty documents and
        ``exclude`` left out)."""
        v = np.asarray(vector, dtype=np.float32)
        return top_k(self.unit @ (v / (np.linalg.norm(v) or 1.0)), k, [*exclude, *self.empty])

    def like(self, rows: Sequence[int], k: int) -> tuple[np.ndarray, np.ndarray]:
        """"More like this": the ``k`` documents nearest to the mean of the unit vectors of ``rows`` (one
        document: itself), those rows left out."""
        rows = [int(r) for r in rows if 0 <= int(r) < len(self)]
        if not rows:
            return np.zeros(0, np.int64), np.zeros(0, np.float32)
        return self.nearest(self.unit[rows].mean(axis=0), k, exclude=rows)

    def hits(self, rows: np.ndarray, scores: np.ndarray) -> list[Hit]:
        docs = self.docs
        return [Hit(r + 1, float(s), int(i), docs.ids[i], docs.titles[i], docs.texts[i])
                for r, (i, s) in enumerate(zip(rows.tolist(), scores.tolist(), strict=True))]


_OPEN: OrderedDict[str, tuple[tuple, DocIndex]] = OrderedDict()
_LOCK = threading.Lock()


def _file_stamp(run_dir: Path) -> tuple:
    out = []
    for name in (DOC_VECTORS, DOCS_TSV):
        try:
            st = (Path(run_dir) / name).stat()
        except OSError:
            return ()
        out.append((st.st_mtime_ns, st.st_size))
    return tuple(out)


def open_index(run_dir: Path) -> DocIndex:
    """The document run ``run_dir`` opened for searching, kept open while its files are unchanged (the
    :data:`OPEN_RUNS` most recently used runs)."""
    from explorer.runs import load_run

    key = str(Path(run_dir).resolve())
    stamp = _file_stamp(Path(run_dir))
    with _LOCK:
        found = _OPEN.get(key)
        if found is not None and found[0] == stamp and stamp:
            _OPEN.move_to_end(key)
            return found[1]
    run = load_run(Path(run_dir))  # validates every file once
    if not run.capabilities.documents:
        raise ExplorerError(f"{run_dir}: not a run of documents", code="search_not_documents", path=str(run_dir))
    vectors = np.asarray(read_doc_vectors(run.path), dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    unit = np.ascontiguousarray(vectors / np.where(norms > 0, norms, 1.0), dtype=np.float32)
    index = DocIndex(run.path, run.kind, unit, read_docs_tsv(run.path))
    with _LOCK:
        _OPEN[key] = (stamp, index)
        _OPEN.move_to_end(key)
        while len(_OPEN) > OPEN_RUNS:
            _OPEN.popitem(last=False)
    return index


def _check_query(query: str) -> None:
    if not query.strip():
        raise ExplorerError("the query is empty: give a few words", code="query_empty")


def query_vector(run_dir: Path, query: str) -> np.ndarray:
    """float32 (d,): the vector of ``query`` for the document run ``run_dir``, by the run's kind."""
    _check_query(query)
    return open_index(Path(run_dir)).query_vector(query)


def search(run_dir: Path, query: str, k: int = 10) -> list[Hit]:
    """The ``k`` documents of ``run_dir`` nearest to ``query`` (cut to :data:`QUERY_CHARS` characters)."""
    if k < 1:
        raise ExplorerError(f"-k: must be >= 1, got {k}", code="param_min", name="k", min=1, value=k)
    _check_query(query)
    index = open_index(Path(run_dir))
    return index.hits(*index.nearest(index.query_vector(query[:QUERY_CHARS]), k))
