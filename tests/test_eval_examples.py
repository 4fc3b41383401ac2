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


def test_bilingual_labels_give_questions_and_pairs_in_one_language_each() -> None:
    from explorer.analysis.eval_examples import script

    animals, vehicles = "cat dog cow horse 猫 狗 牛 马".split(), "car bus van 车 公交 卡车".split()
    labels = dict.fromkeys(animals, "animal") | dict.fromkeys(vehicles, "vehicle")
    questions = [q.split() for q in example_odd_one_out(labels, animals + vehicles, n=8).splitlines()]
    assert len(questions) == 8 and {script(q[0]) for q in questions} == {"latin", "zh"}  # both languages asked
    for q in questions:
        assert len({script(w) for w in q}) == 1, q
        assert len({labels[w] for w in q[:3]}) == 1 and labels[q[3]] != labels[q[0]]
    pairs = [line.split("\t") for line in example_pairs(labels, animals + vehicles, n=20).splitlines()]
    assert {script(a) for a, _, _ in pairs} == {"latin", "zh"}
    assert all(script(a) == script(b) for a, b, _ in pairs)
