"""Vocabulary maths (explorer.text.vocab) on hand-worked examples."""

from __future__ import annotations

import math

import numpy as np
import pytest

from explorer.errors import ExplorerError
from explorer.text.encoded import EncodedCorpus
from explorer.text.vocab import Vocab, build_vocab, encode, keep_probabilities, negative_distribution


def _corpus(sentences: list[list[str]]) -> EncodedCorpus:
    """An EncodedCorpus built by hand (first-seen ids), independent of load_corpus."""
    index: dict[str, int] = {}
    ids = [index.setdefault(t, len(index)) for s in sentences for t in s]
    offsets = np.cumsum([0] + [len(s) for s in sentences])
    counts = np.bincount(ids, minlength=len(index))
    return EncodedCorpus(
        tokens=list(index), counts=counts.astype(np.int64), ids=np.array(ids, dtype=np.int32),
        offsets=offsets.astype(np.int64), lang="pretokenized", encoding="utf-8", sha256="0" * 64,
        source="hand.txt", n_lines=len(sentences),
    )


# counts: a 4, b 1, c 3, d 2, e 1 (ids in first-seen order: a0 b1 c2 d3 e4)
SENTENCES = [["a", "b", "c"], ["a", "c", "d"], ["e"], ["d", "a", "c", "a"]]


def test_build_vocab_orders_by_count_then_first_appearance() -> None:
    corpus = _corpus(SENTENCES)
    vocab, remap = build_vocab(corpus, min_count=1)
    assert vocab.tokens == ["a", "c", "d", "b", "e"]  # b and e tie at 1: b appeared first
    assert vocab.counts.tolist() == [4, 3, 2, 1, 1]
    assert vocab.counts.dtype == np.int64 and remap.dtype == np.int32
    assert remap.tolist() == [0, 3, 1, 2, 4]
    assert vocab.index == {"a": 0, "c": 1, "d": 2, "b": 3, "e": 4} and len(vocab) == 5


def test_min_count_and_max_vocab() -> None:
    corpus = _corpus(SENTENCES)
    vocab, remap = build_vocab(corpus, min_count=2)
    assert vocab.tokens == ["a", "c", "d"] and remap.tolist() == [0, -1, 1, 2, -1]
    vocab, remap = build_vocab(corpus, min_count=1, max_vocab=2)
    assert vocab.tokens == ["a", "c"] and remap.tolist() == [0, -1, 1, -1, -1]


def test_too_few_words_names_file_min_count_and_survivors() -> None:
    with pytest.raises(ExplorerError) as info:
        build_vocab(_corpus(SENTENCES), min_count=4)
    message = str(info.value)
    assert message.startswith("hand.txt: only 1 ") and "min_count=4" in message and "lower --min-count" in message
    with pytest.raises(ExplorerError, match="only 0 "):
        build_vocab(_corpus(SENTENCES), min_count=5)


@pytest.fixture(params=["numpy", "compiled"])
def encode_path(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """encode's numpy blocks (small corpora) or its compiled passes (explorer.text.remap, big corpora)."""
    import explorer.text.vocab as vocab_mod

    monkeypatch.setattr(vocab_mod, "COMPILED_MIN_TOKENS", 1 << 62 if request.param == "numpy" else 0)
    return str(request.param)


def test_encode_drops_rare_words_and_empty_sentences(encode_path: str) -> None:
    corpus = _corpus(SENTENCES)
    _, remap = build_vocab(corpus, min_count=2)  # keeps a0 c1 d2; drops b and e
    ids, offsets = encode(corpus, remap)
    # [a b c] -> [a c]; [a c d] -> [a c d]; [e] -> gone; [d a c a] stays
    assert ids.tolist() == [0, 1, 0, 1, 2, 2, 0, 1, 0]
    assert offsets.tolist() == [0, 2, 5, 9]
    assert ids.dtype == np.int32 and offsets.dtype == np.int64


def test_encode_keeps_everything_with_identity_like_remap(encode_path: str) -> None:
    corpus = _corpus(SENTENCES)
    vocab, remap = build_vocab(corpus, min_count=1)
    ids, offsets = encode(corpus, remap)
    np.testing.assert_array_equal(offsets, corpus.offsets)
    assert [vocab.tokens[i] for i in ids] == [t for s in SENTENCES for t in s]


def test_encode_when_everything_is_dropped(encode_path: str) -> None:
    corpus = _corpus([["x"], ["y"]])
    ids, offsets = encode(corpus, np.array([-1, -1], dtype=np.int32))
    assert ids.tolist() == [] and offsets.tolist() == [0]


def test_keep_probabilities_match_the_word2vec_formula_by_hand() -> None:
    counts = np.array([1000, 100, 10, 1], dtype=np.int64)  # T = 1111
    p = keep_probabilities(counts, sample=1e-3)
    st = 1e-3 * 1111  # s * T = 1.111
    # f = 1000: (sqrt(1000 / 1.111) + 1) * 1.111 / 1000 = (30.0017 + 1) * 0.001111 = 0.034443
    assert p[0] == pytest.approx((math.sqrt(1000 / st) + 1) * st / 1000, rel=1e-6)
    assert p[0] == pytest.approx(0.034443, abs=1e-5)
    assert p[1] == pytest.approx((math.sqrt(100 / st) + 1) * st / 100, rel=1e-6)  # 0.11651
    assert p[2] == pytest.approx(0.44442, abs=1e-4)  # (sqrt(9.0009) + 1) * 0.1111
    assert p[3] == 1.0  # (sqrt(0.9) + 1) * 1.111 > 1: clipped
    assert p.dtype == np.float32
    assert keep_probabilities(counts, 0.0).tolist() == [1.0, 1.0, 1.0, 1.0]
    p = keep_probabilities(np.array([5, 0]), 1e-3)  # s * T = 0.005
    assert p[0] == pytest.approx((math.sqrt(5 / 0.005) + 1) * 0.005 / 5, rel=1e-6)
    assert p[1] == 1.0  # a zero count does not blow up


def test_negative_distribution_follows_count_to_the_three_quarters() -> None:
    counts = np.array([16, 81, 1, 0], dtype=np.int64)
    p = negative_distribution(counts)
    # 16^0.75 = 8, 81^0.75 = 27, 1^0.75 = 1, 0 -> 0; total 36
    np.testing.assert_allclose(p, [8 / 36, 27 / 36, 1 / 36, 0.0])
    assert p.dtype == np.float64 and p.sum() == pytest.approx(1.0)
    np.testing.assert_allclose(negative_distribution(counts, power=1.0), [16 / 98, 81 / 98, 1 / 98, 0.0])
    with pytest.raises(ExplorerError):
        negative_distribution(np.zeros(3))


def test_vocab_index_is_cached() -> None:
    vocab = Vocab(tokens=["x", "y"], counts=np.array([2, 1]))
    assert vocab.index is vocab.index and vocab.index["y"] == 1


@pytest.mark.parametrize("chunk", [1, 3, 7, 1 << 20])
def test_encode_in_blocks_matches_a_plain_python_loop(monkeypatch: pytest.MonkeyPatch, chunk: int,
                                                     encode_path: str) -> None:
    import explorer.text.vocab as vocab_mod

    monkeypatch.setattr(vocab_mod, "CHUNK", chunk)  # block edges fall inside and between sentences
    rng = np.random.default_rng(7)
    sentences = [[f"w{int(x)}" for x in rng.zipf(1.5, size=rng.integers(1, 9)) % 40] for _ in range(60)]
    corpus = _corpus(sentences)
    vocab, remap = build_vocab(corpus, min_count=3)
    ids, offsets = encode(corpus, remap)
    expected = [[vocab.index[t] for t in s if t in vocab.index] for s in sentences]
    expected = [s for s in expected if s]
    assert [ids[a:b].tolist() for a, b in zip(offsets[:-1], offsets[1:], strict=True)] == expected
    assert offsets[0] == 0 and offsets[-1] == len(ids)
