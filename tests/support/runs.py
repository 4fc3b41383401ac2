"""Run directories for tests: one builder per run kind, written atomically as the trainers write them.

    words_run(path, tokens, vectors)        # a word2vec run (kind skipgram; config={..., "arch": "cbow"}: CBOW)
    useritem_run(path, users, items)        # a user-item run
    graph_run(path, nodes, vectors)         # a graph run
    gnn_run(path, nodes, vectors)           # a graph neural network run (its model files without trained weights)
    imported_run(path, tokens, vectors)     # imported vectors
    documents_run(path, texts, vectors)     # a run of documents (kind doc2vec)
    encoder_run(path, texts, vectors)       # a run of documents (kind encoder)
    imported_documents_run(path, texts, vectors)  # imported document vectors

Each writes the files every run of its kind holds plus ``metrics.json`` and returns ``path``. Keyword
arguments add the optional files (counts, labels, item metadata, the logged interactions) and set
``config.json``: ``config`` (the hyperparameters; default ``{"dim": d}``), ``data`` (the data's
provenance; default ``{}``) and ``name``. :func:`new_run_path` is a fresh run folder in a workspace.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Optional

import numpy as np

from explorer.jobs import workspaces
from explorer.runs import atomic_run_dir, save_labels, save_vectors, write_config, write_json, write_tsv
from explorer.runs import layout as L

ArrayLike = Any  # an array or nested lists of numbers


def new_run_path(token: str) -> Path:
    """A new run folder (not yet created) in the workspace ``token``."""
    return workspaces.run_path(token, workspaces.new_run_id())


def words_run(path: Path, tokens: Sequence[str], vectors: ArrayLike, *, counts: Optional[Sequence[int]] = None, labels: Optional[Mapping[str, str]] = None,
              config: Optional[dict] = None, data: Optional[dict] = None, name: str = "",
              metrics: Optional[dict] = None) -> Path:
    """A word2vec run (kind ``skipgram``; Skip-gram or, with ``config["arch"] = "cbow"``, CBOW): one vector per token.

    ``counts``: the vocabulary's counts (default 0 each); ``labels``: token -> category (labels.tsv);
    ``metrics``: metrics.json's content (default ``{}``).
    """
    return _vectors_run("skipgram", path, tokens, vectors, counts, labels, config, data, name, metrics)


def glove_run(path: Path, tokens: Sequence[str], vectors: ArrayLike, *, counts: Optional[Sequence[int]] = None,
              labels: Optional[Mapping[str, str]] = None, config: Optional[dict] = None,
              data: Optional[dict] = None, name: str = "", metrics: Optional[dict] = None) -> Path:
    """A GloVe run: one vector per token, like a word2vec run."""
    return _vectors_run("glove", path, tokens, vectors, counts, labels, config, data, name, metrics)


def graph_run(path: Path, nodes: Sequence[str], vectors: ArrayLike, *, degrees: Optional[Sequence[int]] = None,
              labels: Optional[Mapping[str, str]] = None, config: Optional[dict] = None,
              data: Optional[dict] = None, name: str = "", metrics: Optional[dict] = None) -> Path:
    """A graph run: one vector per node; ``degrees`` are stored as the vocabulary's counts."""
    return _vectors_run("graph", path, nodes, vectors, degrees, labels, config, data, name, metrics)


def gnn_run(path: Path, nodes: Sequence[str], vectors: ArrayLike, *, edges: Sequence[tuple[int, int]] = ((0, 1),),
            degrees: Optional[Sequence[int]] = None, labels: Optional[Mapping[str, str]] = None,
            config: Optional[dict] = None, data: Optional[dict] = None, name: str = "",
            metrics: Optional[dict] = None) -> Path:
    """A gnn run: the node files of a graph run plus the model's description, the training ``edges`` (row pairs)
    and one degree feature per node; ``gnn_model.npz`` holds no weights (``embed-node`` refuses it in one line)."""
    vectors = np.asarray(vectors, np.float32)
    n = len(nodes)
    with atomic_run_dir(Path(path)) as tmp:
        save_vectors(tmp, vectors, list(nodes), degrees)
        np.savez(tmp / "gnn_model.npz")
        write_json(tmp / "gnn_model.json", {
            "version": 1, "encoder": "gcn", "dim": int(vectors.shape[1]), "dropout": 0.5, "in_features": 1,
            "n_ids": 0, "scaler": {"columns": [], "mean": [0.0], "std": [1.0], "node_ids": False,
                                   "source": "degree", "missing_rows": 0}, "classes": []})
        np.save(tmp / "gnn_edges.npy", np.asarray(edges, np.int32).reshape(-1, 2))
        np.save(tmp / "gnn_features.npy", np.zeros((n, 1), np.float32))
        _finish(tmp, "gnn", {"dim": int(vectors.shape[1])}, labels, config, data, name, metrics)
    return Path(path)


def imported_run(path: Path, tokens: Sequence[str], vectors: ArrayLike, *, counts: Optional[Sequence[int]] = None,
                 labels: Optional[Mapping[str, str]] = None, config: Optional[dict] = None,
                 data: Optional[dict] = None, name: str = "", metrics: Optional[dict] = None) -> Path:
    """Vectors imported from a file (kind ``imported``)."""
    return _vectors_run("imported", path, tokens, vectors, counts, labels, config, data, name, metrics)


def useritem_run(path: Path, users: ArrayLike, items: ArrayLike, *, user_ids: Optional[Sequence[str]] = None,
                 item_ids: Optional[Sequence[str]] = None, item_columns: Optional[Mapping[str, Sequence[str]]] = None,
                 item_bias: Optional[ArrayLike] = None, item_counts: Optional[Sequence[int]] = None,
                 interactions: Optional[Mapping[str, ArrayLike]] = None, labels: Optional[Mapping[str, str]] = None,
                 config: Optional[dict] = None, data: Optional[dict] = None, name: str = "",
                 metrics: Optional[dict] = None) -> Path:
    """A user-item run: user and item vectors, the item bias and the id tables.

    ``user_ids`` / ``item_ids``: default ``u0, u1, …`` / ``i0, i1, …``; ``item_columns``: more
    columns of items.tsv (``{"title": [...], "genre": [...]}``); ``item_bias``: default 0 each;
    ``item_counts``: item_counts.npy; ``interactions``: the arrays of interactions.npz
    (``user``, ``item``, ``label``, …); ``labels``: item id -> category (labels.tsv).
    """
    users = np.asarray(users, np.float32)
    items = np.asarray(items, np.float32)
    user_ids = list(user_ids) if user_ids is not None else [f"u{i}" for i in range(len(users))]
    item_ids = list(item_ids) if item_ids is not None else [f"i{i}" for i in range(len(items))]
    columns = dict(item_columns or {})
    with atomic_run_dir(Path(path)) as tmp:
        np.save(tmp / L.USERS, users)
        np.save(tmp / L.ITEMS, items)
        bias = np.zeros(len(items), np.float32) if item_bias is None else np.asarray(item_bias, np.float32)
        np.save(tmp / L.ITEM_BIAS, bias)
        if item_counts is not None:
            np.save(tmp / L.ITEM_COUNTS, np.asarray(item_counts, np.int64))
        write_tsv(tmp / L.USERS_TSV, ["user"], [[u] for u in user_ids])
        write_tsv(tmp / L.ITEMS_TSV, ["item", *columns],
                  [[item, *(values[i] for values in columns.values())] for i, item in enumerate(item_ids)])
        if interactions is not None:
            np.savez(tmp / L.INTERACTIONS, **interactions)
        _finish(tmp, "useritem", {"dim": int(items.shape[1])}, labels, config, data, name, metrics)
    return Path(path)


def documents_run(path: Path, texts: Sequence[str], vectors: ArrayLike, *, ids: Optional[Sequence[str]] = None,
                  titles: Optional[Sequence[str]] = None, labels: Optional[Sequence[str]] = None,
                  words: Sequence[str] = ("a", "b"), config: Optional[dict] = None, data: Optional[dict] = None,
                  name: str = "", metrics: Optional[dict] = None) -> Path:
    """A Doc2Vec run: doc_vectors.npy and docs.tsv (``ids`` default ``d0, d1, …``; titles and labels default
    empty), plus the vocabulary ``words`` and a zero output layer (what inference reads)."""
    from explorer.documents import write_doc_vectors, write_docs_tsv

    vectors = np.asarray(vectors, np.float32)
    n = len(texts)
    with atomic_run_dir(Path(path)) as tmp:
        write_doc_vectors(tmp, vectors)
        write_docs_tsv(tmp, list(ids) if ids is not None else [f"d{i}" for i in range(n)],
                       list(titles) if titles is not None else [""] * n,
                       list(labels) if labels is not None else [""] * n, list(texts))
        write_tsv(tmp / L.VOCAB, ["token", "count"], [[w, 1] for w in words])
        np.save(tmp / "context_vectors.npy", np.zeros((len(words), vectors.shape[1]), np.float32))
        _finish(tmp, "doc2vec", {"dim": int(vectors.shape[1])}, None, config, data, name, metrics)
    return Path(path)


def _vectors_run(kind: str, path: Path, tokens: Sequence[str], vectors: ArrayLike, counts: Optional[Sequence[int]],
                 labels: Optional[Mapping[str, str]], config: Optional[dict], data: Optional[dict], name: str,
                 metrics: Optional[dict]) -> Path:
    vectors = np.asarray(vectors, np.float32)
    with atomic_run_dir(Path(path)) as tmp:
        save_vectors(tmp, vectors, list(tokens), counts)
        _finish(tmp, kind, {"dim": int(vectors.shape[1])}, labels, config, data, name, metrics)
    return Path(path)


def _finish(tmp: Path, kind: str, default_config: dict, labels: Optional[Mapping[str, str]], config: Optional[dict],
            data: Optional[dict], name: str, metrics: Optional[dict]) -> None:
    if labels is not None:
        save_labels(tmp, dict(labels))
    write_config(tmp, kind, default_config if config is None else config, {} if data is None else data, name=name)
    write_json(tmp / L.METRICS, {} if metrics is None else metrics)


def encoder_run(path: Path, texts: Sequence[str], vectors: ArrayLike, *, ids: Optional[Sequence[str]] = None,
                labels: Optional[Sequence[str]] = None, config: Optional[dict] = None, data: Optional[dict] = None,
                name: str = "", metrics: Optional[dict] = None) -> Path:
    """A sentence-encoder run: doc_vectors.npy and docs.tsv only (config ``{"dim": d}`` by default: the e5 encoder)."""
    return _doc_vectors_run("encoder", path, texts, vectors, ids, labels, config, data, name, metrics)


def sif_run(path: Path, texts: Sequence[str], vectors: ArrayLike, *, ids: Optional[Sequence[str]] = None,
            labels: Optional[Sequence[str]] = None, words: Sequence[str] = ("a", "b"),
            config: Optional[dict] = None, data: Optional[dict] = None, name: str = "",
            metrics: Optional[dict] = None) -> Path:
    """A SIF run of documents: doc_vectors.npy and docs.tsv, plus the model's ``words`` (weight 1 each, zero
    vectors) and a zero component (what a query's encoding reads)."""
    from explorer.documents.sif import SifModel

    d = np.asarray(vectors, np.float32).shape[1]
    out = _doc_vectors_run("sif", path, texts, vectors, ids, labels, config, data, name, metrics)
    SifModel(list(words), np.zeros((len(words), d), np.float32), np.ones(len(words))).save(out)
    return out


def imported_documents_run(path: Path, texts: Sequence[str], vectors: ArrayLike, *,
                           ids: Optional[Sequence[str]] = None, labels: Optional[Sequence[str]] = None,
                           config: Optional[dict] = None, data: Optional[dict] = None, name: str = "",
                           metrics: Optional[dict] = None) -> Path:
    """Imported document vectors (kind ``imported_documents``): doc_vectors.npy and docs.tsv only."""
    return _doc_vectors_run("imported_documents", path, texts, vectors, ids, labels, config, data, name, metrics)


def _doc_vectors_run(kind: str, path: Path, texts: Sequence[str], vectors: ArrayLike, ids: Optional[Sequence[str]],
                     labels: Optional[Sequence[str]], config: Optional[dict], data: Optional[dict], name: str,
                     metrics: Optional[dict]) -> Path:
    from explorer.documents import write_doc_vectors, write_docs_tsv

    vectors = np.asarray(vectors, np.float32)
    n = len(texts)
    with atomic_run_dir(Path(path)) as tmp:
        write_doc_vectors(tmp, vectors)
        write_docs_tsv(tmp, list(ids) if ids is not None else [f"d{i}" for i in range(n)], [""] * n,
                       list(labels) if labels is not None else [""] * n, list(texts))
        _finish(tmp, kind, {"dim": int(vectors.shape[1])}, None, config, data, name, metrics)
    return Path(path)
