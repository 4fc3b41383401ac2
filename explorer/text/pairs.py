"""Skip-gram (centre, context) pair generation, vectorised with numpy.

word2vec's rules: frequent words are first dropped at random (subsampling, keep word ``w`` with
probability ``keep_prob[w]``); then every kept word is a centre with its own reduced window
``b ~ U{1..window}``, and pairs it with the kept words at most ``b`` positions away *in the same
sentence* (distances are counted after subsampling, as in word2vec). The loops run over the
``2 * window`` offsets, never over pairs.

The fast CPU trainer generates pairs inside its compiled kernel instead; this module feeds the
torch trainers (CUDA and the full-softmax objective) one chunk of sentences at a time, so the
pairs of a whole epoch are never held at once.
"""

from __future__ import annotations

from typing import Optional

import numpy as np


def subsample(ids: np.ndarray, offsets: np.ndarray, rng: np.random.Generator,
              keep_prob: Optional[np.ndarray] = None) -> tuple[np.ndarray, np.ndarray]:
    """Drop words at random: each token ``t`` is kept with probability ``keep_prob[t]``.

    ids (N,) int, offsets (S+1,) int64 sentence boundaries into ``ids`` (the sentences are
    ``ids[offsets[s]:offsets[s+1]]``; ``offsets[0]`` may be non-zero) -> (kept ids (M,), offsets
    (S+1,) into them, starting at 0). With ``keep_prob`` None nothing is dropped.
    """
    offsets = np.asarray(offsets, dtype=np.int64)
    ids = np.asarray(ids)[offsets[0]:offsets[-1]]
    offsets = offsets - offsets[0]
    if keep_prob is None:
        return ids, offsets
    keep = rng.random(ids.shape[0]) < np.asarray(keep_prob)[ids]
    kept_before = np.concatenate([[0], np.cumsum(keep, dtype=np.int64)])
    return ids[keep], kept_before[offsets]


def skipgram_pairs(
    ids: np.ndarray,
    offsets: np.ndarray,
    window: int,
    rng: np.random.Generator,
    keep_prob: Optional[np.ndarray] = None,
    reduced_windows: Optional[np.ndarray] = None,
) -> tuple[np.ndarray, np.ndarray]:
    """All Skip-gram pairs of the sentences ``ids[offsets[s]:offsets[s+1]]``.

    ids:             int (N,) token ids.
    offsets:         int64 (S+1,) sentence boundaries into ``ids`` (``offsets[0]`` may be non-zero,
                     to take a chunk of sentences).
    window:          the largest distance between centre and context.
    rng:             draws the subsampling and the reduced windows.
    keep_prob:       float (V,) probability of keeping each word (None: keep all).
    reduced_windows: int (M,) the window of each kept centre, each in 1..window (None: drawn
                     uniformly, as word2vec does); for tests and hand-worked examples.

    Returns ``(centers int64 (P,), contexts int64 (P,))`` ordered by centre position, then by
    context position.
    """
    if window < 1:
        raise ValueError(f"window must be >= 1, got {window}")
    tokens, offs = subsample(ids, offsets, rng, keep_prob)
    n = tokens.shape[0]
    if n < 2:
        empty = np.empty(0, np.int64)
        return empty, empty
    lengths = np.diff(offs)
    sentence = np.repeat(np.arange(lengths.shape[0]), lengths)
    if reduced_windows is None:
        b = rng.integers(1, window + 1, size=n)
    else:
        b = np.asarray(reduced_windows)
        if b.shape != (n,) or (n and (b.min() < 1 or b.max() > window)):
            raise ValueError("reduced_windows must hold one value in 1..window per kept token")
    pos = np.arange(n)
    centre_parts, context_parts = [], []
    for dist in range(1, window + 1):
        head = pos[:-dist]  # centre i, context i + dist
        ok = (sentence[dist:] == sentence[:-dist])
        right = head[ok & (b[:-dist] >= dist)]
        left = head[ok & (b[dist:] >= dist)] + dist  # centre i + dist, context i
        centre_parts += [right, left]
        context_parts += [right + dist, left - dist]
    centre_pos = np.concatenate(centre_parts)
    context_pos = np.concatenate(context_parts)
    order = np.lexsort((context_pos, centre_pos))
    tok = tokens.astype(np.int64, copy=False)
    return tok[centre_pos[order]], tok[context_pos[order]]


def iter_sentence_chunks(offsets: np.ndarray, tokens_per_chunk: int) -> list[tuple[int, int]]:
    """Split sentences into consecutive chunks of about ``tokens_per_chunk`` tokens.

    offsets (S+1,) -> list of (first sentence, end sentence) ranges covering 0..S.
    """
    offsets = np.asarray(offsets, dtype=np.int64)
    n_sent = offsets.shape[0] - 1
    if n_sent <= 0:
        return []
    total = int(offsets[-1] - offsets[0])
    n_chunks = max(1, -(-total // max(1, tokens_per_chunk)))
    targets = offsets[0] + (np.arange(1, n_chunks) * total) // n_chunks
    cuts = np.searchsorted(offsets, targets, side="left")
    bounds = np.unique(np.concatenate([[0], cuts, [n_sent]]))
    return [(int(a), int(b)) for a, b in zip(bounds[:-1], bounds[1:], strict=True) if b > a]
