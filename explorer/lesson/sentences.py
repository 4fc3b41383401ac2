"""Lesson step 7, from words to sentences: four ways to give a sentence a vector, side by side on a few
sentence pairs, and semantic search over the class's own sentences.

- ``average``: the mean of the sentence's known word vectors (a word run: Skip-gram, CBOW, GloVe);
- ``sif``: the frequency-weighted mean ``a / (a + p(w))`` with the first principal component of the class's
  sentences removed (:mod:`explorer.documents.sif`; the component comes from the class's sentences, not from
  the pair: two vectors alone have no meaningful common direction);
- ``documents``: a document run's vector of the sentence (Doc2Vec: inferred; a sentence-encoder run: encoded);
- ``e5``: the bundled multilingual E5 encoder (no run needed), each text encoded once per process.

    >>> index = {"good": 0, "not": 1}
    >>> average_vectors([["not", "good"], ["good"], ["unknown"]], index, np.eye(2, dtype=np.float32)).tolist()
    [[0.5, 0.5], [1.0, 0.0], [0.0, 0.0]]
    >>> round(cosine(np.array([1.0, 0.0]), np.array([1.0, 1.0])), 3), cosine(np.zeros(2), np.ones(2))
    (0.707, 0.0)
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

import numpy as np

from explorer.documents.sif import DEFAULT_A, sif_vectors
from explorer.errors import ExplorerError

METHODS = ("average", "sif", "documents", "e5")
WORD_METHODS = METHODS[:2]  # the methods that average a word run's vectors
#: the sentence pairs the teacher starts from: negation, word order, the same sentence in two languages
#: negation, word order, one sentence in two languages; in words the bundled sample corpus knows (the class's run
#: is the bundled sample until it trains its own), so that the average and SIF have vectors to compare
DEFAULT_PAIRS: dict[str, tuple[tuple[str, str], ...]] = {
    "en": (("The cat likes the dog.", "The cat does not like the dog."),
           ("The dog chased the cat.", "The cat chased the dog."),
           ("The cat ate an apple today.", "猫今天吃了苹果。")),
    "zh": (("猫喜欢狗。", "猫不喜欢狗。"),
           ("狗追着猫跑。", "猫追着狗跑。"),
           ("猫今天吃了苹果。", "The cat ate an apple today.")),
}
#: the class's sentences searched (the first ones of the run's text): enough to search, cheap to encode
MAX_SENTENCES = 60
_E5_CACHE: OrderedDict[str, np.ndarray] = OrderedDict()
_E5_LOCK = threading.Lock()
E5_CACHE_SIZE = 5000


def tokens_of(texts: Sequence[str]) -> list[list[str]]:
    """Each text cut into words by the corpus tokenizer, its language detected per text (pairs mix languages)."""
    from explorer.training.doc2vec import tokenize

    return [tokenize([t], "auto")[1][0] if t.strip() else [] for t in texts]


def average_vectors(token_lists: Sequence[Sequence[str]], index: Mapping[str, int], vectors: np.ndarray) -> np.ndarray:
    """float32 ``(n, d)``: the mean of each token list's known words' vectors (a zero row when none is known)."""
    vectors = np.asarray(vectors, dtype=np.float64)
    out = np.zeros((len(token_lists), vectors.shape[1]))
    for row, tokens in enumerate(token_lists):
        ids = [index[t] for t in tokens if t in index]
        if ids:
            out[row] = vectors[ids].mean(axis=0)
    return out.astype(np.float32)


def sif_with_reference(token_lists: Sequence[Sequence[str]], reference: Sequence[Sequence[str]],
                       index: Mapping[str, int], vectors: np.ndarray, counts: Sequence[float],
                       a: float = DEFAULT_A) -> np.ndarray:
    """float32 ``(n, d)``: SIF weighted means of ``token_lists`` with the first principal component of the
    ``reference`` texts' weighted means (uncentred, as in the paper) removed."""
    mine = sif_vectors(token_lists, index, vectors, counts, a, remove_pc=False).astype(np.float64)
    ref = sif_vectors(reference, index, vectors, counts, a, remove_pc=False).astype(np.float64)
    if len(ref) >= 2 and np.any(ref):
        u = np.linalg.svd(ref, full_matrices=False)[2][0]
        mine -= np.outer(mine @ u, u)
    return mine.astype(np.float32)


def cosine(a: np.ndarray, b: np.ndarray) -> float:
    """Cosine of two vectors; 0 when either is all zeros (a sentence with no known word)."""
    na, nb = float(np.linalg.norm(a)), float(np.linalg.norm(b))
    return float(np.dot(a, b) / (na * nb)) if na > 0 and nb > 0 else 0.0


def e5_vectors(texts: Sequence[str], encoder: Any = None) -> np.ndarray:
    """float32 ``(n, 384)``: the bundled E5's ``query: `` vectors of ``texts``; a text already encoded in this
    process is not encoded again (``encoder``: for tests, any :class:`explorer.encoders.Encoder`)."""
    with _E5_LOCK:
        missing = list(dict.fromkeys(t for t in texts if t not in _E5_CACHE))
    if missing:
        if encoder is None:
            from explorer.encoders import make_encoder

            encoder = make_encoder("e5")
        found = encoder.encode(missing, "query")
        with _E5_LOCK:
            for t, v in zip(missing, found, strict=True):
                _E5_CACHE[t] = v
            while len(_E5_CACHE) > E5_CACHE_SIZE:
                _E5_CACHE.popitem(last=False)
    with _E5_LOCK:
        return np.stack([_E5_CACHE[t] for t in texts]).astype(np.float32) if texts else np.zeros((0, 384), np.float32)


def documents_run_vectors(run_dir: Path, texts: Sequence[str]) -> np.ndarray:
    """float32 ``(n, d)``: a document run's vectors of new texts (Doc2Vec: inferred; an encoder run: encoded); a
    zero row for a text without a word the run knows (no vector, like the average's)."""
    from explorer.documents.search import open_index

    index = open_index(Path(run_dir))
    rows = []
    for t in texts:
        try:
            rows.append(index.query_vector(t))
        except ExplorerError as exc:
            if exc.code != "query_no_known_words":
                raise
            rows.append(np.zeros(index.unit.shape[1], np.float32))
    return np.stack(rows).astype(np.float32)


@dataclass
class WordRun:
    """What ``average`` and ``sif`` need from a word run."""

    index: Mapping[str, int]
    vectors: np.ndarray
    counts: np.ndarray

    @classmethod
    def of(cls, run: Any) -> WordRun:
        return cls({t: i for i, t in enumerate(run.tokens)}, np.asarray(run.vectors),
                   np.asarray(run.counts, dtype=np.float64))

    def vectors_of(self, method: str, token_lists: Sequence[Sequence[str]],
                   reference: Sequence[Sequence[str]]) -> np.ndarray:
        if method == "average":
            return average_vectors(token_lists, self.index, self.vectors)
        return sif_with_reference(token_lists, reference, self.index, self.vectors, self.counts)


def pair_cosines(vectors: np.ndarray) -> list[float]:
    """The cosine of rows ``2i`` and ``2i+1`` for every pair i; NaN when either row is zero (no known word)."""
    return [cosine(vectors[2 * i], vectors[2 * i + 1]) if np.any(vectors[2 * i]) and np.any(vectors[2 * i + 1])
            else float("nan") for i in range(len(vectors) // 2)]


def same_words(token_lists: Sequence[Sequence[str]]) -> list[bool]:
    """For every pair, whether both sentences have the same words (in any order): averages cannot tell them apart."""
    return [sorted(token_lists[2 * i]) == sorted(token_lists[2 * i + 1]) and bool(token_lists[2 * i])
            for i in range(len(token_lists) // 2)]


@dataclass(frozen=True)
class Check:
    """A "check yourself" question computed from the cosines: which method sets pair ``pair`` furthest apart."""

    pair: int
    options: tuple[str, ...]  # method names
    answer: int
    values: tuple[float, ...]


def furthest_apart(cosines: Mapping[str, Sequence[float]]) -> Optional[Check]:
    """Which method gives a pair the lowest cosine: the first pair where at least two methods have a cosine
    (not NaN) and the lowest is 0.01 or more below the next (None when no pair has one)."""
    names = [m for m in METHODS if m in cosines]
    n_pairs = min((len(cosines[m]) for m in names), default=0)
    for pair in range(n_pairs):
        valid = tuple(m for m in names if np.isfinite(cosines[m][pair]))
        if len(valid) < 2:
            continue
        values = tuple(float(cosines[m][pair]) for m in valid)
        order = np.argsort(values)
        if values[order[1]] - values[order[0]] >= 0.01:
            return Check(pair, valid, int(order[0]), values)
    return None


def nearest(query: np.ndarray, vectors: np.ndarray, k: int) -> list[tuple[int, float]]:
    """(row, cosine) of the ``k`` rows of ``vectors`` nearest to ``query``, best first (zero rows last)."""
    from explorer.documents.search import cosine_top_k

    rows, scores = cosine_top_k(np.asarray(vectors, np.float32), np.asarray(query, np.float32), k)
    return [(int(r), float(s)) for r, s in zip(rows, scores, strict=True)]


MAX_PAIR_CHARS = 80  # a sentence offered in a default pair: short enough to read in the heat map's row name


def starting_pairs(lang: str, known: Mapping[str, int], corpus: Sequence[str],
                   corpus_tokens: Sequence[Sequence[str]]) -> list[tuple[str, str]]:
    """The sentence pairs step 7 starts from: :data:`DEFAULT_PAIRS` when the word run knows a word on both sides of
    most of them; else up to three pairs of the class's own sentences (``corpus``, tokenized as ``corpus_tokens``)
    that it knows words of: two neighbouring sentences of the text, and one of them beside a sentence far from it.

        >>> text = ["a b c.", "b c d.", "x y z.", "c d e."]
        >>> starting_pairs("en", {w: i for i, w in enumerate("abcde")}, text, [s[:-1].split() for s in text])
        [('a b c.', 'b c d.'), ('a b c.', 'c d e.')]
    """
    defaults = list(DEFAULT_PAIRS.get(lang, DEFAULT_PAIRS["en"]))
    default_tokens = tokens_of([s for pair in defaults for s in pair])

    def knows(tokens: Sequence[str], least: int = 1) -> bool:
        return sum(t in known for t in tokens) >= least

    usable = sum(knows(default_tokens[2 * i]) and knows(default_tokens[2 * i + 1]) for i in range(len(defaults)))
    if 2 * usable > len(defaults):
        return defaults
    good = [i for i, (s, toks) in enumerate(zip(corpus, corpus_tokens, strict=True))
            if len(s) <= MAX_PAIR_CHARS and knows(toks, 2)]
    if len(good) < 2:
        return defaults
    pairs = [(corpus[good[0]], corpus[good[1]])]  # neighbours in the text
    if len(good) > 2:
        pairs.append((corpus[good[0]], corpus[good[-1]]))  # far apart
    if len(good) > 4:
        pairs.append((corpus[good[2]], corpus[good[3]]))
    return pairs


def class_sentences(lines: Sequence[str], limit: int = MAX_SENTENCES) -> list[str]:
    """The first ``limit`` different non-empty lines (the class's sentences searched)."""
    out: list[str] = []
    for line in lines:
        line = line.strip()
        if line and line not in out:
            out.append(line)
            if len(out) >= limit:
                break
    return out
