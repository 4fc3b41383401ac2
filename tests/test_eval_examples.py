"""explorer.analysis.eval_examples: toy evaluation files built from a run's category labels."""

from __future__ import annotations

import doctest

from explorer.analysis import eval_examples
from explorer.analysis.eval_examples import DIFFERENT, SAME, example_odd_one_out, example_pairs

LABELS = {w: "animal" for w in ("cat", "dog", "horse", "猫")} | {w: "fruit" for w in ("apple", "pear", "fig")} | \
    {"car": "vehicle", "ice cream": "food", "bus": "vehicle"}
VOCAB = ["cat", "dog", "horse", "猫", "apple", "pear", "fig", "car", "bus", "ice cream"]


def test_docstrings() -> None:
    assert doctest.testmod(eval_examples).failed == 0


def test_pairs_score_same_category_high_and_different_low() -> None:
    text = example_pairs(LABELS, VOCAB, n=30, seed=3)
    rows = [line.split("\t") for line in text.splitlines()]
    assert rows and len(rows) == len({(a, b) for a, b, _ in rows})  # no repeated pair
    for a, b, score in rows:
        assert int(score) == (SAME if LABELS[a] == LABELS[b] else DIFFERENT)
        assert "ice cream" not in (a, b)  # a word with a space would break the format
    assert example_pairs(LABELS, VOCAB, n=30, seed=3) == text  # deterministic


def test_odd_one_out_puts_the_outsider_last() -> None:
    lines = example_odd_one_out(LABELS, VOCAB, n=6).splitlines()
    assert len(lines) == 6
    for line in lines:
        *inside, odd = line.split()
        assert len({LABELS[w] for w in inside}) == 1 and LABELS[odd] != LABELS[inside[0]]


def test_too_few_categories_give_nothing() -> None:
    assert example_pairs({"cat": "a", "dog": "a"}, ["cat", "dog"]) == ""
    assert example_odd_one_out(LABELS, ["cat", "dog", "horse", "car"]) == ""
