"""SIF sentence vectors (Arora, Liang & Ma 2017, "A simple but tough-to-beat baseline for sentence
embeddings") from a word run: each text's vector is the average of its known words' vectors weighted by
``a / (a + p(w))`` (``p(w)``: the word's share of the training corpus, from ``vocab.tsv``'s counts), then
the projection on the first principal component of all the texts' vectors (uncentred, as in the paper)
is removed. Words the run does not know are skipped; a text with none gets a zero row.

    >>> import numpy as np
    >>> v = sif_vectors([["a"], ["a"], ["b"]], {"a": 0, "b": 1}, np.eye(2, dtype=np.float32), [2, 1], a=1.0)
    >>> v.round(3).tolist()
    [[0.0, 0.0], [0.0, 0.0], [0.0, 0.75]]
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np

from explorer.errors import ExplorerError

DEFAULT_A = 1e-3


def sif_weights(counts: Sequence[float], a: float = DEFAULT_A) -> np.ndarray:
    """``a / (a + p(w))`` for every word, ``p(w) = count / total``."""
    c = np.asarray(counts, dtype=np.float64)
    total = c.sum()
    p = c / total if total > 0 else np.zeros_like(c)
    return a / (a + p)


def sif_vectors(token_lists: Sequence[Sequence[str]], index: Mapping[str, int], vectors: np.ndarray,
                counts: Sequence[float], a: float = DEFAULT_A, remove_pc: bool = True) -> np.ndarray:
    """float32 ``(len(token_lists), d)``: the SIF vector of each token list (see the module)."""
    weights = sif_weights(counts, a)
    vectors = np.asarray(vectors, dtype=np.float64)
    out = np.zeros((len(token_lists), vectors.shape[1]), dtype=np.float64)
    for row, tokens in enumerate(token_lists):
        ids = [index[t] for t in tokens if t in index]
        if ids:
            out[row] = (weights[ids, None] * vectors[ids]).sum(axis=0) / len(ids)
    if remove_pc and len(out) >= 2 and np.any(out):
        _, _, vt = np.linalg.svd(out, full_matrices=False)
        u = vt[0]
        out -= np.outer(out @ u, u)
    return out.astype(np.float32)


def sif_from_run(run_dir: Path, texts: Sequence[str], a: float = DEFAULT_A, remove_pc: bool = True,
                 lang: str = "auto") -> np.ndarray:
    """SIF vectors of ``texts`` from the word run ``run_dir`` (Skip-gram, CBOW, GloVe...: ``vectors.npy`` and
    ``vocab.tsv`` with counts), cut into words by the corpus tokenizer (``lang``: auto, en, zh, pretokenized)."""
    from explorer.runs import load_run
    from explorer.training.doc2vec import tokenize

    run = load_run(Path(run_dir))
    if not run.capabilities.words:
        raise ExplorerError(f"{run_dir}: SIF needs a run of word vectors", code="sif_not_words", path=str(run_dir))
    counts = np.asarray(run.counts, dtype=np.float64)  # imported vectors without counts: all 0, a plain average
    _, token_lists = tokenize(list(texts), lang)
    index = {t: i for i, t in enumerate(run.tokens)}
    return sif_vectors(token_lists, index, np.asarray(run.vectors), counts, a, remove_pc)
