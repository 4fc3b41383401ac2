"""The Data page's length histogram of documents: Chinese documents measured in characters (a whitespace
split counted each one as a single word), bins of whole numbers with distinct labels (bins narrower than one
word shared a label and were drawn as one bar)."""

from __future__ import annotations

import numpy as np

from explorer.documents.display import document_lengths, length_bins

CHINESE = ["中国队在比赛中获得了冠军，球迷们非常高兴。", "篮球运动员在训练中受伤了。", "冬天北方经常下雪。", ""]


def test_chinese_documents_are_measured_in_characters() -> None:
    assert document_lengths(CHINESE, "zh").tolist() == [21, 13, 9, 0]
    assert document_lengths(["The cat  sat.", "a b"], "en").tolist() == [3, 2]


def test_every_bin_has_its_own_label_and_the_counts_add_up() -> None:
    rng = np.random.default_rng(0)
    for lengths in (np.array([0, 1, 1, 1]), rng.integers(5, 13, 50), rng.integers(0, 5000, 1000), np.array([7])):
        labels, counts = length_bins(lengths)
        assert len(labels) == len(set(labels)) == len(counts) <= 30
        assert sum(counts) == len(lengths)
    assert length_bins(np.array([0, 1, 1, 1])) == (["0", "1"], [1, 3])
    labels, counts = length_bins(np.array([0, 59]))
    assert labels[0] == "0–1" and labels[-1] == "58–59" and counts[0] == counts[-1] == 1
