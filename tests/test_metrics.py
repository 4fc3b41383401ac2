"""Cluster metrics and word-embedding evaluations on hand-worked examples."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from explorer.analysis.metrics import (
    analogy_accuracy,
    cluster_quality,
    odd_one_out,
    read_pairs,
    read_questions,
    word_similarity,
)
from explorer.errors import ExplorerError
from explorer.runs import Run, load_run
from tests.support.runs import words_run

SQ = np.sqrt(0.5)


# ---------------------------------------------------------------------- clusters

POINTS = np.array([[0.0], [1.0], [10.0], [11.0]])


def test_internal_metrics_hand_worked() -> None:
    m = cluster_quality(POINTS, [0, 0, 1, 1])
    # silhouette: s = 1 - a/b with a = 1 and b = 10.5, 9.5, 9.5, 10.5
    expected = np.mean([1 - 1 / 10.5, 1 - 1 / 9.5, 1 - 1 / 9.5, 1 - 1 / 10.5])
    assert m["silhouette"] == pytest.approx(expected, abs=1e-6)
    # Davies-Bouldin: scatter 0.5 in each cluster, centroids 0.5 and 10.5 -> (0.5 + 0.5) / 10
    assert m["davies_bouldin"] == pytest.approx(0.1)
    # Calinski-Harabasz: between 2*25 + 2*25 = 100 over k-1 = 1; within 4 * 0.25 = 1 over n-k = 2
    assert m["calinski_harabasz"] == pytest.approx(200.0)
    assert m["n_clusters"] == 2 and m["n_noise"] == 0
    assert "nmi" not in m


def test_external_metrics_hand_worked() -> None:
    perfect = cluster_quality(POINTS, [0, 0, 1, 1], truth=["a", "a", "b", "b"])
    assert perfect["nmi"] == pytest.approx(1.0) and perfect["ari"] == pytest.approx(1.0)
    crossed = cluster_quality(POINTS, [0, 0, 1, 1], truth=["a", "b", "a", "b"])
    # ARI: index 0, expected index 2*2/6, max index 2 -> (0 - 2/3) / (2 - 2/3) = -0.5
    assert crossed["ari"] == pytest.approx(-0.5)
    assert crossed["nmi"] == pytest.approx(0.0, abs=1e-12)


def test_noise_left_out_of_internal_metrics_and_counted_as_a_cluster_externally() -> None:
    x = np.vstack([POINTS, [[100.0]]])
    m = cluster_quality(x, [0, 0, 1, 1, -1], truth=["a", "a", "b", "b", "c"])
    assert m["silhouette"] == pytest.approx(cluster_quality(POINTS, [0, 0, 1, 1])["silhouette"])
    assert m["n_noise"] == 1 and m["noise_fraction"] == pytest.approx(0.2)
    assert m["nmi"] == pytest.approx(1.0)  # noise as its own cluster matches the lone "c"
    worse = cluster_quality(x, [0, 0, -1, -1, -1], truth=["a", "a", "b", "b", "c"])
    assert worse["ari"] < 1.0


def test_unlabelled_rows_are_skipped_for_nmi() -> None:
    m = cluster_quality(POINTS, [0, 0, 1, 1], truth=["a", None, "b", ""])
    assert m["n_labeled"] == 2 and m["nmi"] == pytest.approx(1.0)


def test_single_cluster_has_no_internal_metrics() -> None:
    m = cluster_quality(POINTS, [0, 0, 0, 0])
    assert m["silhouette"] is None and m["davies_bouldin"] is None and m["n_clusters"] == 1


def test_cluster_quality_shape_errors() -> None:
    with pytest.raises(ExplorerError, match="labels"):
        cluster_quality(POINTS, [0, 1])
    with pytest.raises(ExplorerError, match="truth"):
        cluster_quality(POINTS, [0, 0, 1, 1], truth=["a"])


# ---------------------------------------------------------------------- similarity

# unit vectors at angles 0, 30, 60, 150 degrees: cos(cat, x) = 1, .866, .5, -.866
ANGLES = {"cat": 0, "dog": 30, "tiger": 60, "car": 150}


@pytest.fixture
def angle_run(tmp_path: Path) -> Run:
    tokens = list(ANGLES)
    vecs = np.array([[np.cos(np.radians(a)), np.sin(np.radians(a))] for a in ANGLES.values()])
    return load_run(words_run(tmp_path / "angles", tokens, vecs))


def test_word_similarity_spearman_and_coverage(angle_run: Run) -> None:
    pairs = pd.DataFrame({"word1": ["cat", "cat", "cat", "cat"], "word2": ["dog", "tiger", "car", "unicorn"],
                          "score": [9.0, 5.0, 1.0, 7.0]})
    out = word_similarity(angle_run, pairs)
    assert out["spearman"] == pytest.approx(1.0)
    assert out["n_found"] == 3 and out["n_total"] == 4 and out["coverage"] == pytest.approx(0.75)
    np.testing.assert_allclose(out["pairs"]["similarity"], [np.cos(np.radians(30)), 0.5, -np.cos(np.radians(30))],
                               atol=1e-6)
    reversed_scores = pairs.assign(score=[1.0, 5.0, 9.0, 0.0])
    assert word_similarity(angle_run, reversed_scores)["spearman"] == pytest.approx(-1.0)


def test_wordsim_csv_with_header_and_case_fallback(angle_run: Run, tmp_path: Path) -> None:
    path = tmp_path / "ws.csv"
    path.write_text("Word 1,Word 2,Human (mean)\nCat,dog,9.1\ncat,Tiger,6.0\ncat,car,0.5\n", encoding="utf-8")
    out = word_similarity(angle_run, path)
    assert out["n_found"] == 3 and out["spearman"] == pytest.approx(1.0)


def test_simlex_tsv_score_is_first_numeric_column(tmp_path: Path) -> None:
    path = tmp_path / "simlex.txt"
    path.write_text("word1\tword2\tPOS\tSimLex999\tconc(w1)\nold\tnew\tA\t1.58\t2.72\n", encoding="utf-8")
    df = read_pairs(path)
    assert df.to_dict("records") == [{"word1": "old", "word2": "new", "score": 1.58}]


def test_pairs_file_errors(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("# nothing\n", encoding="utf-8")
    with pytest.raises(ExplorerError, match="no word pairs"):
        read_pairs(empty)
    bad = tmp_path / "bad.tsv"
    bad.write_text("a\tb\t1.0\nc\td\tlots\n", encoding="utf-8")
    with pytest.raises(ExplorerError, match="line 2"):
        read_pairs(bad)


# ---------------------------------------------------------------------- analogies

ROYAL_TOKENS = ["man", "woman", "king", "queen", "apple"]
ROYAL = np.array([[1, 0, 0, 0], [0, 1, 0, 0], [SQ, 0, SQ, 0], [0, SQ, SQ, 0], [0, 0, 0, 1]], np.float32)


def test_analogy_accuracy_per_section(tmp_path: Path) -> None:
    run = load_run(words_run(tmp_path / "royal", ROYAL_TOKENS, ROYAL))
    questions = tmp_path / "questions-words.txt"
    questions.write_text(
        ": family\nman woman king queen\nMan Woman King Apple\n: other\nman woman king unicorn\n",
        encoding="utf-8",
    )
    out = analogy_accuracy(run, questions)
    family, other = out["sections"]
    # woman - man + king = queen: the first is right, the second (expects apple) wrong
    assert family == {"section": "family", "accuracy": 0.5, "coverage": 1.0, "correct": 1, "n_found": 2,
                      "n_total": 2}
    assert other["accuracy"] is None and other["coverage"] == 0.0 and other["n_total"] == 1
    assert out["accuracy"] == pytest.approx(0.5) and out["coverage"] == pytest.approx(2 / 3)
    # every question listed with its answer, in Explore's convention x - y + z (here woman - man + king)
    assert [(d["x"], d["y"], d["z"], d["expected"], d["answer"], d["correct"]) for d in out["details"]] == [
        ("woman", "man", "king", "queen", "queen", True), ("Woman", "Man", "King", "Apple", "queen", False),
        ("woman", "man", "king", "unicorn", None, False)]


def test_questions_format_errors(tmp_path: Path) -> None:
    with pytest.raises(ExplorerError, match="line 2: expected 4 words"):
        read_questions([": s", "a b c"])
    with pytest.raises(ExplorerError, match="no analogy questions"):
        read_questions([": empty"])
    assert read_questions(["a b c d"]) == [("default", [("a", "b", "c", "d")])]


# ---------------------------------------------------------------------- odd one out


def test_odd_one_out_hand_worked(angle_run: Run, tmp_path: Path) -> None:
    # mean cosine to the others: cat (.866+.5-.866)/3, dog (.866+.866-.5)/3, tiger (.5+.866+0)/3,
    # car (-.866-.5+0)/3: car is odd
    path = tmp_path / "odd.txt"
    path.write_text("cat dog tiger car\n# comment\ncar, cat, dog, tiger\ncat dog unicorn\n", encoding="utf-8")
    out = odd_one_out(angle_run, path)
    assert out["n_total"] == 3 and out["n_found"] == 2 and out["coverage"] == pytest.approx(2 / 3)
    assert [d["predicted"] for d in out["details"]] == ["car", "car"]
    assert out["correct"] == 1 and out["accuracy"] == pytest.approx(0.5)  # the 2nd question expects tiger
    with pytest.raises(ExplorerError, match="at least 3 words"):
        odd_one_out(angle_run, [["cat", "dog"]])
