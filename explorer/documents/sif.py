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
from explorer.kinds.files import SIF_COMPONENT, SIF_VECTORS, SIF_WORDS

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
    out = weighted_averages(token_lists, index, vectors, sif_weights(counts, a))
    return remove_component(out, first_component(out)) if remove_pc else out


def weighted_averages(token_lists: Sequence[Sequence[str]], index: Mapping[str, int], vectors: np.ndarray,
                      weights: np.ndarray) -> np.ndarray:
    """float32 ``(len(token_lists), d)``: each list's average of ``weights[w] * vectors[w]`` over its known
    words (a list with none: zeros)."""
    vectors = np.asarray(vectors, dtype=np.float64)
    out = np.zeros((len(token_lists), vectors.shape[1]), dtype=np.float64)
    for row, tokens in enumerate(token_lists):
        ids = [index[t] for t in tokens if t in index]
        if ids:
            out[row] = (weights[ids, None] * vectors[ids]).sum(axis=0) / len(ids)
    return out.astype(np.float32)


def first_component(rows: np.ndarray) -> np.ndarray:
    """float32 ``(d,)``: the first principal component of ``rows`` (uncentred, as in the paper); zeros when
    there are fewer than two rows or all are zero."""
    x = np.asarray(rows, dtype=np.float64)
    if len(x) >= 2 and np.any(x):
        return np.linalg.svd(x, full_matrices=False)[2][0].astype(np.float32)
    return np.zeros(x.shape[1] if x.ndim == 2 else 0, dtype=np.float32)


def remove_component(rows: np.ndarray, u: np.ndarray) -> np.ndarray:
    """float32 ``rows`` less their projection on the unit (or zero) vector ``u``."""
    x = np.asarray(rows, dtype=np.float64)
    u = np.asarray(u, dtype=np.float64)
    return (x - np.outer(x @ u, u)).astype(np.float32)


def sif_from_run(run_dir: Path, texts: Sequence[str], a: float = DEFAULT_A, remove_pc: bool = True,
                 lang: str = "auto") -> np.ndarray:
    """SIF vectors of ``texts`` from the word run ``run_dir`` (Skip-gram, CBOW, GloVe...: ``vectors.npy`` and
    ``vocab.tsv`` with counts; imported vectors without counts: all 0, a plain average), cut into words by the
    corpus tokenizer (``lang``: auto, en, zh, pretokenized)."""
    model = SifModel.from_word_run(run_dir, a, lang)
    out = model.averages(texts)
    return remove_component(out, first_component(out)) if remove_pc else out


def query_vector(run_dir: Path, text: str, lang: str = "auto") -> np.ndarray:
    """float32 (d,): ``text`` encoded by the SIF run of documents ``run_dir`` (``lang``: its tokenizer's),
    averaged like the documents and without their component. Raises ExplorerError when no word of ``text`` is
    known to the model (its vector would be zero: every document would score 0)."""
    vector = SifModel.load(Path(run_dir), lang).encode([text])[0]
    if not np.any(vector):
        from explorer.training.doc2vec import raise_no_known_words

        raise_no_known_words(text)
    return vector


class SifModel:
    """SIF as a model of a set of documents: the word run's vectors and weights, and the documents' first
    principal component, which a query has removed too (so that it lands among the documents).

    ``tokens`` (w,), ``vectors`` float32 (w, d), ``weights`` (w,) ``a / (a + p(w))``, ``component`` (d,)
    unit or zeros; ``lang``: the tokenizer's language (auto, en, zh, pretokenized).
    """

    def __init__(self, tokens: Sequence[str], vectors: np.ndarray, weights: np.ndarray, lang: str = "auto",
                 component: np.ndarray | None = None) -> None:
        self.tokens = list(tokens)
        self.vectors = np.asarray(vectors, dtype=np.float32)
        self.weights = np.asarray(weights, dtype=np.float64)
        self.lang = lang
        self.component = (np.zeros(self.vectors.shape[1], dtype=np.float32) if component is None
                          else np.asarray(component, dtype=np.float32))
        self.index = {t: i for i, t in enumerate(self.tokens)}

    @classmethod
    def from_word_run(cls, run_dir: Path, a: float = DEFAULT_A, lang: str = "auto") -> SifModel:
        """The model of the word run ``run_dir`` (``vectors.npy`` + ``vocab.tsv`` counts; no component yet)."""
        from explorer.runs import load_run

        run = load_run(Path(run_dir))
        if not run.capabilities.words:
            raise ExplorerError(f"{run_dir}: SIF needs a run of word vectors", code="sif_not_words", path=str(run_dir))
        return cls(run.tokens, np.asarray(run.vectors), sif_weights(np.asarray(run.counts, dtype=np.float64), a), lang)

    def averages(self, texts: Sequence[str]) -> np.ndarray:
        """float32 (len(texts), d): each text's weighted average of its known words (zeros: none known)."""
        from explorer.training.doc2vec import tokenize

        _, token_lists = tokenize(list(texts), self.lang)
        return weighted_averages(token_lists, self.index, self.vectors, self.weights)

    def fit_component(self, averages: np.ndarray) -> None:
        """Keep the first principal component (uncentred) of the documents' averages ``(n, d)``."""
        self.component = first_component(averages)

    def remove_component(self, averages: np.ndarray) -> np.ndarray:
        """float32 ``averages`` less their projection on the component."""
        return remove_component(averages, self.component)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """float32 (len(texts), d): SIF vectors with the stored component removed (a search query's)."""
        return self.remove_component(self.averages(texts))

    def save(self, run_dir: Path) -> None:
        """Write the model's files into ``run_dir`` (see :data:`SIF_WORDS`)."""
        lines = ["token\tweight"] + [f"{t}\t{w:.9g}" for t, w in zip(self.tokens, self.weights, strict=True)]
        (Path(run_dir) / SIF_WORDS).write_text("\n".join(lines) + "\n", encoding="utf-8")
        np.save(Path(run_dir) / SIF_VECTORS, self.vectors, allow_pickle=False)
        np.save(Path(run_dir) / SIF_COMPONENT, self.component, allow_pickle=False)

    @classmethod
    def load(cls, run_dir: Path, lang: str = "auto") -> SifModel:
        """The model a SIF run of documents saved (numpy files read without pickles)."""
        run_dir = Path(run_dir)
        rows = (run_dir / SIF_WORDS).read_text(encoding="utf-8").splitlines()[1:]
        pairs = [r.split("\t") for r in rows if r]
        if any(len(p) != 2 for p in pairs):
            raise ExplorerError(f"{SIF_WORDS}: damaged (a row is not token<TAB>weight)", code="sif_damaged",
                                file=SIF_WORDS)
        vectors = np.load(run_dir / SIF_VECTORS, allow_pickle=False)
        component = np.load(run_dir / SIF_COMPONENT, allow_pickle=False)
        if vectors.ndim != 2 or len(vectors) != len(pairs) or component.shape != (vectors.shape[1],):
            raise ExplorerError(f"{SIF_VECTORS}: does not match {SIF_WORDS}", code="sif_damaged", file=SIF_VECTORS)
        return cls([p[0] for p in pairs], vectors, np.array([float(p[1]) for p in pairs]), lang, component)
