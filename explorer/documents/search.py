"""Semantic search over a document run: the query's vector (chosen by the run's kind) against the run's
document vectors, by cosine similarity.

The query vector comes from :meth:`explorer.kinds.base.RunKind.query_vector` of the run's kind (Doc2Vec:
an inferred vector; a sentence encoder: its query encoding), so a new document kind plugs in by
overriding that one method.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from explorer.documents.runfiles import read_doc_vectors, read_docs_tsv
from explorer.errors import ExplorerError

SNIPPET_CHARS = 80  # characters of each result's text printed by the command line


@dataclass(frozen=True)
class Hit:
    rank: int  # 1-based
    score: float  # cosine similarity
    row: int
    id: str
    title: str
    text: str  # the first 200 characters (docs.tsv)


def query_vector(run_dir: Path, query: str) -> np.ndarray:
    """float32 (d,): the vector of ``query`` for the document run ``run_dir``, by the run's kind."""
    from explorer.runs import load_run

    run = load_run(Path(run_dir))
    if not run.capabilities.documents:
        raise ExplorerError(f"{run_dir}: not a run of documents", code="search_not_documents", path=str(run_dir))
    from explorer.kinds import run_kind

    return np.asarray(run_kind(run.kind).query_vector(run.path, query), dtype=np.float32)


def cosine_top_k(vectors: np.ndarray, query: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """(rows, scores) of the ``k`` rows of ``vectors`` (n, d) most cosine-similar to ``query`` (d,), best
    first (ties: the lower row first); rows of zero length score 0."""
    norms = np.linalg.norm(vectors, axis=1)
    q = query / (np.linalg.norm(query) or 1.0)
    scores = (vectors @ q) / np.where(norms > 0, norms, 1.0)
    k = min(k, scores.shape[0])
    top = np.lexsort((np.arange(scores.shape[0]), -scores))[:k]
    return top, scores[top]


def search(run_dir: Path, query: str, k: int = 10) -> list[Hit]:
    """The ``k`` documents of ``run_dir`` nearest to ``query``."""
    if k < 1:
        raise ExplorerError(f"-k: must be >= 1, got {k}", code="param_min", name="k", min=1, value=k)
    vec = query_vector(run_dir, query)
    vectors = np.asarray(read_doc_vectors(Path(run_dir), mmap=True), dtype=np.float32)
    docs = read_docs_tsv(Path(run_dir))
    rows, scores = cosine_top_k(vectors, vec, k)
    return [Hit(r + 1, float(s), int(i), docs.ids[i], docs.titles[i], docs.texts[i])
            for r, (i, s) in enumerate(zip(rows, scores, strict=True))]
