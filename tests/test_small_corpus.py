"""A small corpus (a novel) gets enough epochs, and a collapsed space is recognised (issue 24)."""

from __future__ import annotations

import numpy as np

from explorer.kinds.skipgram import SkipGramConfig, suggested_epochs
from explorer.lesson.quality import COLLAPSED_COSINE, mean_cosine
from explorer.train_form import form_preset


def test_a_small_corpus_gets_more_epochs_and_a_usual_one_the_default() -> None:
    default = SkipGramConfig().epochs
    assert suggested_epochs(26_449) == 31  # the lesson's novel (Alice): 5 epochs left every word pointing one way
    assert suggested_epochs(78_326) == default  # the bundled sample keeps its default
    assert suggested_epochs(1) == 50 and suggested_epochs(10**9) == default
    counted = {"path": "novel.txt", "vocab_kept": 692, "vocab_min_count": 5, "vocab_tokens": 26_449}
    assert form_preset("skipgram", counted)["epochs"] == 31  # the Train form starts there
    assert form_preset("skipgram", counted | {"epochs": 7})["epochs"] == 7  # a value chosen on the Data page wins
    assert "epochs" not in form_preset("skipgram", {"path": "big.txt", "vocab_tokens": 200_000})
    assert "epochs" not in form_preset("skipgram", {"path": "novel.txt"})  # not counted yet: the default
    assert "epochs" not in form_preset("skipgram", counted | {"vocab_tokens": "many"})


def test_a_collapsed_space_is_told_from_a_spread_one() -> None:
    rng = np.random.default_rng(0)
    spread = rng.normal(size=(500, 32))
    collapsed = np.ones((500, 32)) + 0.05 * rng.normal(size=(500, 32))  # every word along one direction
    assert abs(mean_cosine(spread)) < 0.1 < COLLAPSED_COSINE < mean_cosine(collapsed)
    assert mean_cosine(np.zeros((1, 4))) == 0.0 and mean_cosine(np.zeros((3, 4))) == 0.0
