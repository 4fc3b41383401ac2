"""Skip-gram pair generation against hand-worked examples."""

from __future__ import annotations

import numpy as np
import pytest

from explorer.text.pairs import iter_sentence_chunks, skipgram_pairs, subsample

# two sentences: [10 11 12 13] and [20 21]
IDS = np.array([10, 11, 12, 13, 20, 21])
OFFSETS = np.array([0, 4, 6])


def _pairs(centres: np.ndarray, contexts: np.ndarray) -> list[tuple[int, int]]:
    return list(zip(centres.tolist(), contexts.tolist(), strict=True))


def test_window_1_by_hand() -> None:
    c, o = skipgram_pairs(IDS, OFFSETS, 1, np.random.default_rng(0), reduced_windows=np.ones(6, int))
    assert _pairs(c, o) == [(10, 11), (11, 10), (11, 12), (12, 11), (12, 13), (13, 12), (20, 21), (21, 20)]
    assert c.dtype == np.int64 and o.dtype == np.int64


def test_window_2_with_fixed_reduced_windows_by_hand() -> None:
    # centre windows: 10->2, 11->1, 12->2, 13->1, 20->2, 21->2
    b = np.array([2, 1, 2, 1, 2, 2])
    c, o = skipgram_pairs(IDS, OFFSETS, 2, np.random.default_rng(0), reduced_windows=b)
    assert _pairs(c, o) == [
        (10, 11), (10, 12),  # 10 sees two words to its right
        (11, 10), (11, 12),  # 11 sees one word each side
        (12, 10), (12, 11), (12, 13),  # 12 sees two left, one right (end of sentence)
        (13, 12),
        (20, 21), (21, 20),  # never across the sentence boundary (13 | 20)
    ]


def test_full_window_3_by_hand() -> None:
    c, o = skipgram_pairs(np.array([1, 2, 3, 4]), np.array([0, 4]), 3, np.random.default_rng(0),
                          reduced_windows=np.full(4, 3))
    expected = [(a, b) for a in range(1, 5) for b in range(1, 5) if a != b]
    assert _pairs(c, o) == expected


def test_subsampling_drops_words_before_windowing() -> None:
    # word 11 is always dropped: 10 and 12 become neighbours, as in word2vec
    keep = np.ones(30)
    keep[11] = 0.0
    c, o = skipgram_pairs(IDS, OFFSETS, 1, np.random.default_rng(0), keep_prob=keep, reduced_windows=np.ones(5, int))
    assert _pairs(c, o) == [(10, 12), (12, 10), (12, 13), (13, 12), (20, 21), (21, 20)]


def test_subsample_keeps_each_word_with_its_probability() -> None:
    rng = np.random.default_rng(1)
    ids = np.repeat([0, 1, 2], 20000)
    kept, offs = subsample(ids, np.array([0, ids.size]), rng, np.array([1.0, 0.5, 0.1]))
    freq = np.bincount(kept, minlength=3) / 20000
    np.testing.assert_allclose(freq, [1.0, 0.5, 0.1], atol=0.015)
    assert offs.tolist() == [0, kept.size]


def test_dynamic_window_gives_word2vec_distance_weights() -> None:
    # P(pair at distance k) is proportional to P(b >= k) = (W - k + 1) / W
    window = 5
    ids = np.arange(50_000)
    c, o = skipgram_pairs(ids, np.array([0, ids.size]), window, np.random.default_rng(2))
    dist = np.abs(c - o)
    share = np.bincount(dist, minlength=window + 1)[1:] / ids.size
    expected = 2 * (window - np.arange(1, window + 1) + 1) / window
    np.testing.assert_allclose(share, expected, atol=0.02)
    assert dist.max() == window and dist.min() == 1


def test_no_pair_crosses_a_sentence() -> None:
    rng = np.random.default_rng(3)
    lengths = rng.integers(1, 8, size=300)
    offsets = np.concatenate([[0], np.cumsum(lengths)])
    sentence_of = np.repeat(np.arange(300), lengths)
    ids = np.arange(offsets[-1])  # token id = position, so pairs reveal positions
    c, o = skipgram_pairs(ids, offsets, 4, rng)
    assert np.array_equal(sentence_of[c], sentence_of[o])
    assert not np.any(c == o)


def test_a_chunk_of_sentences_equals_the_same_sentences_alone() -> None:
    ids = np.arange(100, 112)
    offsets = np.array([0, 3, 7, 12])
    b = np.full(12, 2)
    c1, o1 = skipgram_pairs(ids, offsets[1:], 2, np.random.default_rng(0), reduced_windows=b[3:])
    c2, o2 = skipgram_pairs(ids[3:], offsets[1:] - 3, 2, np.random.default_rng(0), reduced_windows=b[3:])
    assert _pairs(c1, o1) == _pairs(c2, o2)
    assert set(c1.tolist()) == set(range(103, 112))


def test_bad_arguments() -> None:
    with pytest.raises(ValueError, match="window"):
        skipgram_pairs(IDS, OFFSETS, 0, np.random.default_rng(0))
    with pytest.raises(ValueError, match="reduced_windows"):
        skipgram_pairs(IDS, OFFSETS, 2, np.random.default_rng(0), reduced_windows=np.full(6, 3))
    c, o = skipgram_pairs(np.array([5]), np.array([0, 1]), 2, np.random.default_rng(0))
    assert c.size == 0 and o.size == 0


def test_sentence_chunks_cover_everything_once() -> None:
    offsets = np.concatenate([[0], np.cumsum(np.arange(1, 101))])  # 100 sentences, 5050 tokens
    chunks = iter_sentence_chunks(offsets, 500)
    assert chunks[0][0] == 0 and chunks[-1][1] == 100
    assert all(a[1] == b[0] for a, b in zip(chunks[:-1], chunks[1:], strict=True))
    sizes = [int(offsets[b] - offsets[a]) for a, b in chunks]
    assert sum(sizes) == 5050 and max(sizes) < 500 + 100
    assert iter_sentence_chunks(np.array([0]), 10) == []
