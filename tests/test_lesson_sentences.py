"""Lesson step "from words to sentences": known answers for the average, SIF with the class's principal
component, the pair cosines, the check question and the E5 cache (fast; no model is loaded)."""

from __future__ import annotations

import numpy as np
import pytest

from explorer.encoders import Encoder
from explorer.jobs import workspaces
from explorer.lesson import sentences as ls
from explorer.runs import load_run
from tests.support.runs import new_run_path, words_run

TOKENS = ["good", "not", "movie", "the"]
VECTORS = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 2.0], [1.0, 1.0, 1.0]], dtype=np.float32)
COUNTS = [10, 5, 5, 80]


def _toy() -> ls.WordRun:
    return ls.WordRun.of(load_run(words_run(new_run_path(workspaces.new_token()), TOKENS, VECTORS, counts=COUNTS)))


def test_the_average_of_a_toy_run_equals_the_hand_computation() -> None:
    run = _toy()
    got = run.vectors_of("average", [["the", "movie", "good"], ["not", "good", "unknown"], ["unknown"]], [])
    np.testing.assert_allclose(got, [[2 / 3, 1 / 3, 1.0], [0.5, 0.5, 0.0], [0.0, 0.0, 0.0]], atol=1e-6)


def test_sif_of_a_toy_run_equals_the_hand_computation() -> None:
    run = _toy()
    a = 1e-3
    total = sum(COUNTS)
    w = {t: a / (a + c / total) for t, c in zip(TOKENS, COUNTS, strict=True)}
    reference = [["the", "good"], ["the", "not"], ["movie"]]
    ref = np.array([(w["the"] * VECTORS[3] + w["good"] * VECTORS[0]) / 2,
                    (w["the"] * VECTORS[3] + w["not"] * VECTORS[1]) / 2, w["movie"] * VECTORS[2]], dtype=np.float64)
    u = np.linalg.svd(ref)[2][0]  # the first principal component of the class's sentences (uncentred)
    mine = np.array([(w["not"] * VECTORS[1] + w["good"] * VECTORS[0]) / 2, w["good"] * VECTORS[0]])
    expected = mine - np.outer(mine @ u, u)
    got = run.vectors_of("sif", [["not", "good"], ["good"]], reference)
    np.testing.assert_allclose(got, expected, atol=1e-6)
    # the component is the class's: removing it leaves the pair's vectors orthogonal to it
    np.testing.assert_allclose(got @ u, 0.0, atol=1e-6)


def test_pair_cosines_same_words_and_the_check_question_come_from_the_vectors() -> None:
    v = np.array([[1, 0], [1, 0], [1, 0], [0, 1], [1, 1], [-1, -1], [0, 0], [1, 0]], dtype=np.float32)
    got = ls.pair_cosines(v)
    assert np.allclose(got[:3], [1.0, 0.0, -1.0]) and np.isnan(got[3])  # a sentence with no known word: no cosine
    assert ls.same_words([["dog", "bit", "man"], ["man", "bit", "dog"], ["good"], ["not", "good"]]) == [True, False]
    check = ls.furthest_apart({"average": [0.9, 1.0], "sif": [0.5, 1.0], "e5": [0.7, 0.2]})
    assert check is not None and check.pair == 0 and check.options == ("average", "sif", "e5")
    assert check.options[check.answer] == "sif" and check.values == (0.9, 0.5, 0.7)
    nan = float("nan")
    # pair 0: a tie and a method without a cosine; pair 1 asks, among the methods that have one
    check = ls.furthest_apart({"average": [nan, 0.3], "sif": [0.9, nan], "e5": [0.9, 0.8]})
    assert check is not None and check.pair == 1 and check.options == ("average", "e5") and check.answer == 0
    assert ls.furthest_apart({"average": [0.9], "sif": [0.9]}) is None  # a tie asks nothing
    assert ls.furthest_apart({"e5": [0.1]}) is None


def test_semantic_search_ranks_by_cosine_and_class_sentences_are_distinct() -> None:
    vectors = np.array([[0, 1], [1, 0], [1, 1], [0, 0]], dtype=np.float32)
    hits = ls.nearest(np.array([1.0, 0.1]), vectors, 3)
    assert [r for r, _ in hits] == [1, 2, 0] and hits[0][1] > hits[1][1] > hits[2][1]
    assert ls.class_sentences(["  a ", "", "b", "a", "c"], limit=2) == ["a", "b"]


class _Counting(Encoder):
    name = "counting"

    def __init__(self) -> None:
        self.seen: list[str] = []

    def _encode_batch(self, texts: list[str], kind: str) -> np.ndarray:
        assert kind == "query"
        self.seen += texts
        return np.array([[len(t), 1.0] for t in texts], dtype=np.float32)


def test_e5_vectors_encode_each_text_once_per_process() -> None:
    enc = _Counting()
    first = ls.e5_vectors(["lesson-a", "lesson-bb", "lesson-a"], encoder=enc)
    assert enc.seen == ["lesson-a", "lesson-bb"] and first[:, 0].tolist() == [8, 9, 8]
    again = ls.e5_vectors(["lesson-bb", "lesson-ccc"], encoder=enc)
    assert enc.seen == ["lesson-a", "lesson-bb", "lesson-ccc"] and again[:, 0].tolist() == [9, 10]


def test_tokens_of_detects_the_language_of_each_text() -> None:
    toks = ls.tokens_of(["The movie was not good.", "今天天气很好。", "  "])
    assert "not" in toks[0] and "good" in toks[0]
    assert "".join(toks[1]) == "今天天气很好" and len(toks[1]) >= 2 and toks[2] == []  # jieba cut the Chinese


def test_heat_map_keeps_its_cells_and_colour_bar_readable_beside_long_pair_names() -> None:
    # the slanted pair names took the bottom margin out of a fixed 290 px: the cells and the colour bar shrank to
    # about 60 px and the colour bar's tick labels (1, 0.5, 0, -0.5, -1) were written on top of each other
    from explorer.figures.sentences import PAIR_CHARS, cosine_heatmap, label_room

    long = "1. The weather is very nice today in the park. / 今天公园里的天气非常好，我们去散步吧。"
    pairs = [long, "2. The dog bit the man. / The man bit the dog."]
    fig = cosine_heatmap(["average", "SIF", "E5"], pairs, np.array([[0.9, 1.0], [0.6, 1.0], [0.9, 0.95]]))
    trace = fig.data[0]
    assert list(trace.colorbar.tickvals) == [-1, 0, 1]
    names = list(trace.x)
    assert max(len(n) for n in names) <= PAIR_CHARS and names[0].endswith("…")  # cut under the cells ...
    assert trace.customdata[0][0] == long  # ... whole on hover
    assert fig.layout.xaxis.tickangle == -30
    assert fig.layout.height - label_room(names) >= 140 + 50 * 3  # the names' room comes on top of the cells'
    assert label_room(["一二三"]) > label_room(["abc"]) and label_room(["a"]) < 40


@pytest.mark.slow  # tokenizes the whole sample corpus (about 2 s)
def test_the_default_pairs_are_in_words_the_bundled_sample_knows() -> None:
    # the class's run is the bundled sample until it trains its own: pairs in words it never saw (movie, good,
    # 电影, 好) left the average and SIF without vectors ("–") or comparing "the was" with "the was not"
    from collections import Counter

    from explorer.samples.corpus import generate_corpus

    lines = generate_corpus().lines
    counts = Counter(t for tokens in ls.tokens_of(lines) for t in tokens)
    for lang, pairs in ls.DEFAULT_PAIRS.items():
        for sentence in (s for pair in pairs for s in pair):
            unknown = [t for t in ls.tokens_of([sentence])[0] if counts[t] < 5]  # 5: the sample run's min count
            assert not unknown, (lang, sentence, unknown)
