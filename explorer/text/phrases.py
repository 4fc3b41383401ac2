"""Phrase detection, word2vec's ``word2phrase``: join word pairs that occur together far more often
than chance into one token (``new york`` -> ``new_york``, ``机器 学习`` -> ``机器_学习``).

For every pair of adjacent tokens ``a b`` inside a sentence (never across sentences)::

    score(a, b) = (count(ab) - δ) * N / (count(a) * count(b))

with N the number of tokens in the corpus and δ = ``min_count`` (word2phrase.c's discount, which
keeps rare pairs out). Pairs with ``count(a)``, ``count(b)`` or ``count(ab)`` below ``min_count``
are never joined; a pair is joined when its score exceeds ``threshold`` (word2phrase's default:
100). Joining runs left to right, like word2phrase: in ``a b c`` with both ``ab`` and ``bc``
phrases, ``ab`` is joined and ``c`` stays alone. A second pass over the joined corpus finds longer
phrases (``new_york`` + ``times`` -> ``new_york_times``), up to four words after two passes.

Everything is vectorised over the int32 token stream: pair keys ``a * V + b`` are counted by
sorting, scores are computed for the distinct pairs, and the joins are chosen with array
operations (runs of consecutive phrase positions keep every other one). Only pairs whose two words
could ever pass the threshold are counted: since ``count(ab) <= min(count(a), count(b))``, a pair
can score above ``threshold`` only if both words occur fewer than ``N / threshold`` times, which
leaves out the very frequent words (``the``, ``的``) and about half of all pairs.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from explorer.text.encoded import EncodedCorpus

JOIN = "_"


@dataclass(frozen=True)
class Phrase:
    """One detected phrase: the joined token, its score, and the pair's count when it was scored."""

    token: str
    score: float
    count: int
    left: str
    right: str
    pass_: int  # 1 or 2


def pair_scores(ids: np.ndarray, offsets: np.ndarray, counts: np.ndarray, min_count: int,
                threshold: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every adjacent pair inside a sentence that could be a phrase, counted and scored.

    ids int32 (N,), offsets int64 (S+1,), counts int64 (V,). Returns ``(keys int64 (P,) sorted,
    pair_counts int64 (P,), scores float64 (P,))`` with key = a * V + b, for the pairs whose words
    both occur at least ``min_count`` and fewer than ``N / threshold`` times (no other pair can
    score above ``threshold``).
    """
    ids = np.asarray(ids)
    n = int(ids.size)
    n_vocab = np.int64(len(counts))
    counts = np.asarray(counts, dtype=np.int64)
    if n < 2:
        empty = np.empty(0, np.int64)
        return empty, empty, np.empty(0, np.float64)
    usable = (counts >= min_count) & (counts * threshold < n)  # (V,) bool
    ok = usable[ids]
    valid = ok[:-1] & ok[1:]  # (N-1,) pair (i, i+1) is a candidate
    starts = np.asarray(offsets[1:-1], dtype=np.int64)
    valid[starts[starts > 0] - 1] = False  # never across a sentence boundary
    pos = np.flatnonzero(valid)
    # uint32 keys when they fit (sorting them is about twice as fast)
    key_type = np.uint32 if int(n_vocab) ** 2 < 2**32 else np.int64
    keys = ids[pos].astype(key_type) * key_type(n_vocab) + ids[pos + 1].astype(key_type)
    keys.sort()
    if keys.size == 0:
        empty = np.empty(0, np.int64)
        return empty, empty, np.empty(0, np.float64)
    first = np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1])))
    uniq = keys[first].astype(np.int64)
    pair_counts = np.diff(np.append(first, keys.size)).astype(np.int64)
    a, b = uniq // n_vocab, uniq % n_vocab
    scores = (pair_counts - min_count) * float(n) / (counts[a].astype(np.float64) * counts[b])
    return uniq, pair_counts, scores


def _slot(keys: np.ndarray, bits: int) -> np.ndarray:
    """Fibonacci hashing of int64 pair keys to ``bits``-bit slot numbers (int64)."""
    h = keys.view(np.uint64) * np.uint64(0x9E3779B97F4A7C15)
    return (h >> np.uint64(64 - bits)).view(np.int64)


def join_pairs(ids: np.ndarray, offsets: np.ndarray, n_vocab: int, phrase_keys: np.ndarray
               ) -> tuple[np.ndarray, np.ndarray]:
    """Join the adjacent pairs whose key (a * V + b) is in ``phrase_keys`` (sorted int64 (P,)), left
    to right. A joined pair becomes id ``V + rank of its key``. Returns ``(ids int32 (N',),
    offsets int64 (S+1,))``; sentences keep their number (a joined sentence is never empty).
    """
    ids = np.asarray(ids)
    n = int(ids.size)
    if n < 2 or phrase_keys.size == 0:
        return ids, offsets
    # a hash table of the phrase keys (int32 rank per slot, ~8 slots per phrase, a few MB): one
    # gather per position finds the candidates and their rank, verified exactly; keys whose slot is
    # shared by two phrases fall back to a binary search (binary search for every position costs ~5x)
    bits = max(16, int(phrase_keys.size * 8 - 1).bit_length())
    slot_of = _slot(phrase_keys, bits)
    table = np.full(1 << bits, -1, dtype=np.int32)
    table[slot_of] = np.arange(phrase_keys.size, dtype=np.int32)
    shared = np.flatnonzero(np.bincount(slot_of, minlength=1 << bits) > 1)
    table[shared] = -2
    all_keys = ids[:-1].astype(np.int64) * np.int64(n_vocab) + ids[1:]  # (N-1,)
    found = table[_slot(all_keys, bits)]
    pos = np.flatnonzero(found != -1)  # candidate positions, increasing
    rank = found[pos].astype(np.int64)
    keys = all_keys[pos]
    again = np.flatnonzero(rank == -2)
    rank[again] = np.minimum(np.searchsorted(phrase_keys, keys[again]), phrase_keys.size - 1)
    offsets = np.asarray(offsets, dtype=np.int64)
    starts = offsets[1:-1]
    crosses = np.isin(pos + 1, starts, assume_unique=True)  # never join across a sentence boundary
    hit = (phrase_keys[rank] == keys) & ~crosses
    pos, rank = pos[hit], rank[hit]
    if pos.size == 0:
        return ids, offsets
    # runs of consecutive phrase positions: left to right, keep the 1st, 3rd, ... of each run
    run_start = np.concatenate(([True], pos[1:] != pos[:-1] + 1))
    run_first = np.maximum.accumulate(np.where(run_start, pos, 0))
    take = (pos - run_first) % 2 == 0
    chosen = pos[take]
    out = ids.astype(np.int32, copy=True)
    out[chosen] = (n_vocab + rank[take]).astype(np.int32)
    dropped = chosen + 1  # the right word of each joined pair, increasing
    keep = np.ones(n, dtype=bool)
    keep[dropped] = False
    return out[keep], offsets - np.searchsorted(dropped, offsets, side="left")


def _best_first(phrase: Phrase) -> tuple[float, str]:
    return (-phrase.score, phrase.token)


def detect_phrases(corpus: EncodedCorpus, passes: int = 1, min_count: int = 5, threshold: float = 100.0,
                   listed: bool = True) -> tuple[EncodedCorpus, list[Phrase]]:
    """``(corpus with phrases joined, the phrases used, best score first)`` after ``passes`` passes.

    The returned corpus's vocabulary is the old tokens that still occur (first-seen order), then
    the phrase tokens; its counts are recounted. ``passes == 0`` returns ``corpus`` unchanged.
    ``listed=False`` skips building the list (training needs only the corpus).
    """
    phrases: list[Phrase] = []
    for p in range(1, passes + 1):
        tokens = corpus.tokens
        n_vocab = len(tokens)
        keys, pair_counts, scores = pair_scores(corpus.ids, corpus.offsets, corpus.counts, min_count, threshold)
        good = (scores > threshold) & (pair_counts >= min_count)
        if not good.any():
            break
        phrase_keys = keys[good]
        ids, offsets = join_pairs(corpus.ids, corpus.offsets, n_vocab, phrase_keys)
        a, b = (phrase_keys // n_vocab).tolist(), (phrase_keys % n_vocab).tolist()
        new_tokens = [tokens[i] + JOIN + tokens[j] for i, j in zip(a, b, strict=True)]
        all_tokens = tokens + new_tokens
        counts = np.bincount(ids, minlength=len(all_tokens)).astype(np.int64)
        present = np.flatnonzero(counts > 0)
        remap = np.full(len(all_tokens), -1, dtype=np.int32)
        remap[present] = np.arange(present.size, dtype=np.int32)
        corpus = replace(corpus, tokens=[all_tokens[i] for i in present], counts=counts[present],
                         ids=remap[ids], offsets=offsets)
        if not listed:
            continue
        good_scores, good_counts = scores[good].tolist(), pair_counts[good].tolist()
        for k in np.flatnonzero(counts[n_vocab:] > 0).tolist():
            phrases.append(Phrase(new_tokens[k], good_scores[k], good_counts[k], tokens[a[k]], tokens[b[k]], p))
    phrases.sort(key=_best_first)
    return corpus, phrases
