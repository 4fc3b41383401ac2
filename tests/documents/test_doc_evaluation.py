"""Evaluating runs of documents (explorer/documents/evaluation.py): known answers on planted data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from explorer.documents import evaluation as E
from explorer.errors import ExplorerError


def planted(n_per: int = 20, seed: int = 0) -> tuple[np.ndarray, list[str]]:
    """Three labels, each a tight blob around its own axis (separable by a linear model)."""
    rng = np.random.default_rng(seed)
    labels = [lab for lab in ("sport", "food", "music") for _ in range(n_per)]
    centres = {"sport": np.eye(8)[0], "food": np.eye(8)[1], "music": np.eye(8)[2]}
    x = np.stack([centres[lab] * 5 + rng.normal(0, 0.1, 8) for lab in labels]).astype(np.float32)
    return x, labels


NEUTRAL = ["the one over there", "a thing we saw", "it was on the table", "some of them", "here and now"]


def neutral_texts(n: int) -> list[str]:
    return [NEUTRAL[i % len(NEUTRAL)] for i in range(n)]


def test_separable_vectors_predict_labels_exactly_and_the_baseline_sees_only_words():
    x, labels = planted()
    r = E.label_prediction(x, labels, neutral_texts(len(labels)), folds=5, seed=3)
    assert r["embedding"]["accuracy"] == 1.0 and r["embedding"]["macro_f1"] == 1.0
    assert r["tfidf"]["accuracy"] < 0.7  # the texts carry no label: the baseline is near chance (1/3)
    assert r["n"] == 60 and r["n_classes"] == 3 and r["folds"] == 5 and r["majority"] == pytest.approx(1 / 3)
    assert len(r["embedding"]["accuracy_per_fold"]) == 5


def test_words_that_name_the_label_make_the_baseline_exact_and_random_vectors_do_not():
    labels = ["pos", "neg"] * 15
    texts = [f"{'wonderful lovely' if lab == 'pos' else 'awful dreadful'} {NEUTRAL[i % 5]}"
             for i, lab in enumerate(labels)]
    x = np.random.default_rng(1).normal(size=(30, 16)).astype(np.float32)
    r = E.label_prediction(x, labels, texts, folds=3, seed=0)
    assert r["tfidf"]["accuracy"] == 1.0 and r["tfidf"]["macro_f1"] == 1.0
    assert r["embedding"]["accuracy"] < 0.9


def test_baseline_and_vectors_use_the_same_seeded_folds():
    """Recomputing both models by hand on the returned folds gives the reported numbers."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import accuracy_score

    rng = np.random.default_rng(7)
    labels = ["a", "b"] * 20
    texts = [("red green " if lab == "a" else "blue ") + NEUTRAL[rng.integers(5)] + (" red" if i % 7 == 0 else "")
             for i, lab in enumerate(labels)]
    x = rng.normal(size=(40, 6)) + np.array([[0.8 if lab == "a" else -0.8] + [0] * 5 for lab in labels])
    r = E.label_prediction(x, labels, texts, folds=4, seed=11)
    again = E.label_prediction(x, labels, texts, folds=4, seed=11)
    assert np.array_equal(r["fold_of"], again["fold_of"]) and r["embedding"] == again["embedding"]
    assert sorted(np.bincount(r["fold_of"]).tolist()) == [10, 10, 10, 10]
    y = np.array(labels)
    unit = x / np.linalg.norm(x, axis=1, keepdims=True)
    _, toks = E.tokens_of(texts, "en")
    grams = [t + [f"{a} {b}" for a, b in zip(t, t[1:], strict=False)] for t in toks]
    emb_acc, base_acc = [], []
    for k in range(4):
        tr, te = r["fold_of"] != k, r["fold_of"] == k
        model = LogisticRegression(max_iter=2000).fit(unit[tr], y[tr])
        emb_acc.append(accuracy_score(y[te], model.predict(unit[te])))
        vec = TfidfVectorizer(analyzer=lambda g: g, sublinear_tf=True)
        xt = vec.fit_transform([g for g, t in zip(grams, tr, strict=True) if t])
        base = LogisticRegression(max_iter=2000).fit(xt, y[tr])
        base_acc.append(accuracy_score(y[te], base.predict(vec.transform([g for g, t in zip(grams, te, strict=True) if t]))))
    assert r["embedding"]["accuracy"] == pytest.approx(np.mean(emb_acc))
    assert r["tfidf"]["accuracy"] == pytest.approx(np.mean(base_acc))
    other = E.label_prediction(x, labels, texts, folds=4, seed=12)
    assert not np.array_equal(other["fold_of"], r["fold_of"])


def test_unlabelled_and_single_document_labels_are_left_out():
    x, labels = planted(6)
    labels = list(labels)
    labels[0] = ""
    labels[1] = "lonely"
    r = E.label_prediction(x, labels, neutral_texts(len(labels)), folds=10)
    assert r["n"] == 16 and r["dropped"] == 1 and set(r["classes"]) == {"sport", "food", "music"}
    assert r["folds"] == 4  # cut to the smallest class (4 sport documents left)
    assert 0 not in r["rows"].tolist() and 1 not in r["rows"].tolist()
    assert E.label_prediction(x, [""] * len(labels), neutral_texts(len(labels))) is None
    assert E.label_prediction(x, ["a"] * 17 + ["b"], neutral_texts(18)) is None


@pytest.mark.slow  # loads jieba's dictionary
def test_chinese_texts_are_cut_into_words_for_the_baseline():
    labels = ["好", "坏"] * 8
    texts = ["这部电影非常精彩" if lab == "好" else "这部电影非常无聊" for lab in labels]
    r = E.label_prediction(np.random.default_rng(0).normal(size=(16, 4)), labels, texts, folds=4)
    assert r["lang"] == "zh" and r["tfidf"]["accuracy"] == 1.0
    _, toks = E.tokens_of(texts[:1], "zh")
    assert "精彩" in toks[0]  # words, not the whole sentence


def test_clusters_against_planted_labels():
    x, labels = planted()
    r = E.cluster_agreement(x, labels, seed=0)
    assert r["nmi"] == pytest.approx(1.0) and r["ari"] == pytest.approx(1.0) and r["k"] == 3 and r["n"] == 60
    shuffled = list(np.random.default_rng(0).permutation(labels))
    assert E.cluster_agreement(x, shuffled)["nmi"] < 0.2
    assert E.cluster_agreement(x, [""] * 60) is None


def write(tmp_path, text: str, name: str = "pairs.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_pairs_correlate_with_cosines(tmp_path):
    x = np.array([[1, 0], [1, 0.2], [0.5, 1], [0, 1]], np.float32)
    ids = ["a", "b", "c", "d"]
    pairs = E.read_doc_pairs(write(tmp_path, "id_a,id_b,score\na,b,9\na,c,5\na,d,1\nb,d,2\nzz,a,3\n"))
    assert list(pairs.columns) == ["id_a", "id_b", "score"] and len(pairs) == 5
    r = E.pair_correlation(x, ids, pairs)
    assert r["spearman"] == pytest.approx(1.0) and r["n_found"] == 4 and r["n_total"] == 5
    u = x / np.linalg.norm(x, axis=1, keepdims=True)
    cos = [u[0] @ u[1], u[0] @ u[2], u[0] @ u[3], u[1] @ u[3]]
    assert r["pearson"] == pytest.approx(np.corrcoef([9, 5, 1, 2], cos)[0, 1])
    tsv = E.read_doc_pairs(write(tmp_path, "a\tb\t0.5\nc\td\t1e-1\n", "p.tsv"))
    assert tsv["score"].tolist() == [0.5, 0.1]


@pytest.mark.parametrize("text, code", [
    ("", "doc_pairs_empty"),
    ("id_a,id_b,score\n", "doc_pairs_empty"),
    ("a,b,1\nc,d\n", "doc_pairs_fields"),
    ("a,b,1\nc,d,high\n", "doc_pairs_score"),
    ("a,b,1\nc,d,nan\n", "doc_pairs_score"),
    ("a,b,1,2\n", "doc_pairs_fields"),
])
def test_malformed_pairs_files_are_one_line_naming_the_file(tmp_path, text, code):
    with pytest.raises(ExplorerError) as exc:
        E.read_doc_pairs(write(tmp_path, text), name="ratings.csv")
    assert exc.value.code == code and str(exc.value).startswith("ratings.csv: ") and "\n" not in str(exc.value)


def test_pairs_of_unknown_documents_or_equal_scores_are_refused(tmp_path):
    x = np.eye(3, dtype=np.float32)
    with pytest.raises(ExplorerError) as exc:
        E.pair_correlation(x, ["a", "b", "c"], pd.DataFrame({"id_a": ["a", "x"], "id_b": ["b", "y"],
                                                             "score": [1.0, 2.0]}), "r.csv")
    assert exc.value.code == "doc_pairs_too_few_found" and str(exc.value).startswith("r.csv: only 1 of its 2")
    with pytest.raises(ExplorerError) as exc:
        E.pair_correlation(x, ["a", "b", "c"], pd.DataFrame({"id_a": ["a", "a"], "id_b": ["b", "c"],
                                                             "score": [1.0, 1.0]}), "r.csv")
    assert exc.value.code == "doc_pairs_constant"
    with pytest.raises(ExplorerError) as exc:
        E.read_doc_pairs(tmp_path / "gone.csv", name="gone.csv")
    assert exc.value.code == "doc_pairs_missing"
    binary = tmp_path / "b.csv"
    binary.write_bytes(b"\x00\x01\x02" * 100)
    with pytest.raises(ExplorerError):
        E.read_doc_pairs(binary, name="b.csv")


def test_evaluate_documents_reports_what_the_data_allows():
    x, labels = planted(5)
    ids = [f"d{i}" for i in range(15)]
    out = E.evaluate_documents(x, ids, [""] * 15, neutral_texts(15))
    assert out["label_prediction"] is None and out["clusters"] is None and out["pairs"] is None
    out = E.evaluate_documents(x, ids, labels, neutral_texts(15),
                               pairs=pd.DataFrame({"id_a": ["d0", "d0"], "id_b": ["d1", "d9"], "score": [5.0, 1.0]}))
    assert out["label_prediction"]["embedding"]["accuracy"] == 1.0 and "rows" not in out["label_prediction"]
    assert out["clusters"]["nmi"] == pytest.approx(1.0) and out["pairs"]["n_found"] == 2
    import json
    json.dumps(out)  # JSON-ready


def test_the_evaluate_command_prints_the_document_tests_as_json(tmp_path, capsys):
    import json

    from explorer.cli import main
    from tests.support.runs import documents_run

    x, labels = planted(6)
    run = documents_run(tmp_path / "run", neutral_texts(18), x, ids=[f"d{i}" for i in range(18)], labels=labels)
    (tmp_path / "pairs.csv").write_text("d0,d1,5\nd0,d10,1\nd6,d7,4\n", encoding="utf-8")
    assert main(["evaluate", str(run), "--pairs", str(tmp_path / "pairs.csv"), "--folds", "3", "--seed", "2"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["label_prediction"]["embedding"]["accuracy"] == 1.0 and out["label_prediction"]["folds"] == 3
    assert out["label_prediction"]["tfidf"]["accuracy"] < 0.8 and out["clusters"]["nmi"] == pytest.approx(1.0)
    assert out["pairs"]["n_found"] == 3 and out["documents"] == 18
    (tmp_path / "bad.csv").write_text("d0,d1\n", encoding="utf-8")
    assert main(["evaluate", str(run), "--pairs", str(tmp_path / "bad.csv")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["error: bad.csv: line 1 has 2 fields, expected 3 (id_a, id_b, score)"]
    from tests.support.runs import words_run

    words = words_run(tmp_path / "words", ["a", "b", "c"], np.eye(3, dtype=np.float32))
    assert main(["evaluate", str(words), "--pairs", str(tmp_path / "pairs.csv")]) == 2
    assert "rated pairs are for runs of documents" in capsys.readouterr().err


def test_close_unit_vectors_of_a_small_set_are_not_regularised_into_guessing() -> None:
    # a sentence encoder's unit vectors: cosines about 0.9 between any two sentences, the labels in small offsets.
    # With C = 1 the regression stayed near the prior on 32 documents (0.34 here; 0.62 on the bundled sentences,
    # where the page then said TF-IDF carried the signal); the offsets are plain to see at C = 10
    rng = np.random.default_rng(0)
    base = rng.standard_normal(384)
    base /= np.linalg.norm(base)
    offsets = rng.standard_normal((4, 384))
    offsets /= np.linalg.norm(offsets, axis=1, keepdims=True)
    x = np.stack([base + 0.15 * offsets[i % 4] + 0.3 * rng.standard_normal(384) / np.sqrt(384) for i in range(32)])
    result = E.label_prediction(x, [f"t{i % 4}" for i in range(32)], ["word"] * 32)
    assert result["embedding"]["accuracy"] >= 0.9
