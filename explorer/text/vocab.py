"""Vocabulary: min_count / max_vocab, re-encoding, subsampling and the negative-sampling distribution.

All functions are vectorised numpy on the :class:`explorer.text.encoded.EncodedCorpus` arrays.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Optional

import numpy as np

from explorer.errors import ExplorerError
from explorer.text.encoded import EncodedCorpus


@dataclass
class Vocab:
    """The training vocabulary.

    tokens: V tokens sorted by count, descending (ties: first appearance in the corpus).
    counts: int64 (V,) occurrences of each token in the corpus.
    """

    tokens: list[str]
    counts: np.ndarray

    @cached_property
    def index(self) -> dict[str, int]:
        """token -> id."""
        return {t: i for i, t in enumerate(self.tokens)}

    def __len__(self) -> int:
        return len(self.tokens)


def build_vocab(corpus: EncodedCorpus, min_count: int = 5, max_vocab: Optional[int] = None) -> tuple[Vocab, np.ndarray]:
    """Keep tokens seen at least ``min_count`` times, the ``max_vocab`` most frequent of them.

    Returns ``(vocab, remap)``: remap is int32 (V_corpus,), corpus id -> vocab id, -1 for dropped
    tokens. Raises ExplorerError when fewer than 2 words survive.
    """
    counts = np.asarray(corpus.counts, dtype=np.int64)
    order = np.argsort(-counts, kind="stable")  # count desc; stable keeps first-seen order on ties
    order = order[counts[order] >= min_count]
    if max_vocab is not None:
        order = order[:max_vocab]
    if len(order) < 2:
        raise ExplorerError(
            f"{corpus.source}: only {len(order)} distinct word(s) occur at least min_count={min_count} times "
            f"(need 2 or more); lower --min-count",
            code="vocab_too_small", file=corpus.source, n=len(order), min_count=min_count,
        )
    remap = np.full(len(counts), -1, dtype=np.int32)
    remap[order] = np.arange(len(order), dtype=np.int32)
    vocab = Vocab(tokens=[corpus.tokens[i] for i in order], counts=counts[order].copy())
    return vocab, remap


CHUNK = 1 << 20  # tokens per block in encode (bounds the temporary arrays to a few MB)
#: corpora from this many tokens are encoded by the compiled passes of :mod:`explorer.text.remap` (7x faster; its
#: import starts numba, which the compiled trainers need anyway)
COMPILED_MIN_TOKENS = 4_000_000


def encode(corpus: EncodedCorpus, remap: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The corpus in vocab ids, without dropped tokens and without sentences left empty.

    Returns ``(ids, offsets)``: ids int32 (N',), offsets int64 (S'+1,) with sentence i at
    ``ids[offsets[i]:offsets[i+1]]``. Dropped words are removed before any windowing, as
    word2vec does, so the words around them become neighbours.

    Works in blocks of :data:`CHUNK` tokens, so besides the result it needs only a few MB
    (a 20M-token corpus needs no 8-bytes-per-token temporaries).
    """
    remap = np.asarray(remap, dtype=np.int32)
    src = corpus.ids
    offsets = np.asarray(corpus.offsets, dtype=np.int64)
    n = len(src)
    if n >= COMPILED_MIN_TOKENS:
        from explorer.text.remap import remap_corpus

        return remap_corpus(src, offsets, remap)
    n_kept = sum(int(np.count_nonzero(remap[src[i : i + CHUNK]] >= 0)) for i in range(0, n, CHUNK))
    ids = np.empty(n_kept, dtype=np.int32)
    kept_before = np.zeros(len(offsets), dtype=np.int64)  # kept tokens before each old offset
    done = 0
    for start in range(0, n, CHUNK):
        stop = min(start + CHUNK, n)
        new = remap[src[start:stop]]
        keep = new >= 0
        kept = new[keep]
        ids[done : done + len(kept)] = kept
        cum = np.cumsum(keep, dtype=np.int64)
        lo, hi = np.searchsorted(offsets, [start, stop], side="right")  # offsets o with start < o <= stop
        kept_before[lo:hi] = done + cum[offsets[lo:hi] - start - 1]
        done += len(kept)
    lengths = np.diff(kept_before)
    new_offsets = np.concatenate([[0], kept_before[1:][lengths > 0]]).astype(np.int64)
    return ids, new_offsets


def keep_probabilities(counts: np.ndarray, sample: float) -> np.ndarray:
    """float32 (V,): probability of keeping each occurrence of a word (frequent-word subsampling).

    The word2vec C formula (``word2vec.c``, TrainModelThread), also used by gensim
    (``Word2Vec.prepare_vocab``: ``(sqrt(v / threshold_count) + 1) * (threshold_count / v)``)::

        p(w) = (sqrt(f(w) / (s * T)) + 1) * (s * T) / f(w), clipped to 1

    with f(w) the word's count, T the total count of the vocabulary's words and s = ``sample``.
    ``sample == 0`` keeps everything.
    """
    counts = np.asarray(counts, dtype=np.float64)
    if sample <= 0 or counts.size == 0:
        return np.ones(counts.shape, dtype=np.float32)
    threshold = sample * counts.sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        p = (np.sqrt(counts / threshold) + 1.0) * threshold / counts
    p[~np.isfinite(p)] = 1.0  # words with zero count
    return np.minimum(p, 1.0).astype(np.float32)


def negative_distribution(counts: np.ndarray, power: float = 0.75) -> np.ndarray:
    """float64 (V,): the negative-sampling distribution, ``count ** power`` normalised to sum to 1."""
    weights = np.asarray(counts, dtype=np.float64) ** power
    total = weights.sum()
    if not total > 0:
        raise ExplorerError("negative sampling: the vocabulary has no counts", code="vocab_no_counts")
    return weights / total
