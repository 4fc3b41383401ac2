"""The SIF kind: document vectors from a word run, a search query encoded like the documents, hostile cases."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from explorer.cli import main
from explorer.documents import read_doc_vectors, read_docs_tsv
from explorer.documents.search import search
from explorer.documents.sif import SIF_COMPONENT, SIF_VECTORS, SIF_WORDS, SifModel, sif_vectors
from explorer.errors import ExplorerError, TrainingStopped
from explorer.kinds import spec_from_dict, training_kind
from explorer.runs import load_run
from explorer.training.sif import sif_run
from tests.support.runs import documents_run, imported_run

TOKENS = ["cat", "dog", "sofa", "rain", "wind", "the"]
VECTORS = np.array([[1, 0, 0], [0.9, 0.1, 0], [0.8, 0, 0.2], [0, 1, 0], [0, 0.9, 0.1], [0.3, 0.3, 0.3]], np.float32)
COUNTS = [5, 5, 3, 4, 4, 50]
TEXTS = ["the cat and the dog", "the cat on the sofa", "rain and wind", "the wind and the rain", "nothing known"]


def _documents(tmp_path: Path) -> Path:
    path = tmp_path / "docs.csv"
    path.write_text("id,label,text\n" + "".join(f"d{i},{'pets' if i < 2 else 'weather'},{t}\n"
                                                 for i, t in enumerate(TEXTS)), encoding="utf-8")
    return path


def _spec(tmp_path: Path, word_run: str, **config) -> object:
    return spec_from_dict({"kind": "sif", "data": {"documents": str(_documents(tmp_path))},
                           "config": {"word_run": word_run, "lang": "en", **config}})


def test_the_run_holds_the_hand_computed_sif_vectors_and_a_query_lands_on_its_document(tmp_path: Path) -> None:
    words = imported_run(tmp_path / "words", TOKENS, VECTORS, counts=COUNTS)
    out = sif_run(_spec(tmp_path, str(words)), tmp_path / "sif", lambda p: None)
    expected = sif_vectors([t.split() for t in TEXTS], {t: i for i, t in enumerate(TOKENS)}, VECTORS, COUNTS)
    np.testing.assert_allclose(read_doc_vectors(out), expected, atol=1e-5)
    assert read_docs_tsv(out).ids == [f"d{i}" for i in range(5)] and load_run(out).kind == "sif"
    metrics = json.loads((out / "metrics.json").read_text(encoding="utf-8"))
    assert metrics["documents_without_known_words"] == 1 and metrics["n_documents"] == 5
    # a query is averaged like the documents and loses the same component: a document's own text finds it
    for i, text in enumerate(TEXTS[:4]):
        assert search(out, text, k=1)[0].id == f"d{i}" or search(out, text, k=1)[0].score > 0.999
    q = training_kind("sif").query_vector(out, TEXTS[2])
    np.testing.assert_allclose(q, expected[2], atol=1e-5)


def test_the_run_stands_alone_once_its_word_run_is_deleted(tmp_path: Path) -> None:
    import shutil

    words = imported_run(tmp_path / "words", TOKENS, VECTORS, counts=COUNTS)
    out = sif_run(_spec(tmp_path, str(words)), tmp_path / "sif", lambda p: None)
    before = training_kind("sif").query_vector(out, "rain")
    shutil.rmtree(words)
    np.testing.assert_array_equal(training_kind("sif").query_vector(out, "rain"), before)


def test_without_removing_the_component_the_vectors_are_the_plain_weighted_averages(tmp_path: Path) -> None:
    words = imported_run(tmp_path / "words", TOKENS, VECTORS, counts=COUNTS)
    out = sif_run(_spec(tmp_path, str(words), remove_component=False), tmp_path / "sif", lambda p: None)
    expected = sif_vectors([t.split() for t in TEXTS], {t: i for i, t in enumerate(TOKENS)}, VECTORS, COUNTS,
                           remove_pc=False)
    np.testing.assert_allclose(read_doc_vectors(out), expected, atol=1e-6)
    assert not np.load(out / SIF_COMPONENT).any()


def test_cancel_leaves_nothing(tmp_path: Path) -> None:
    words = imported_run(tmp_path / "words", TOKENS, VECTORS, counts=COUNTS)
    out = tmp_path / "sif"
    with pytest.raises(TrainingStopped):
        sif_run(_spec(tmp_path, str(words)), out, lambda p: p.stage == "train")
    assert not out.exists() or not any(out.iterdir())


def test_a_missing_or_wrong_word_run_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    docs = _documents(tmp_path)
    assert main(["train", "sif", "--documents", str(docs), "--out", str(tmp_path / "a")]) == 2
    assert capsys.readouterr().err.strip().splitlines() == ["error: word run: none chosen"]
    doc_run = documents_run(tmp_path / "doc2vec", ["a b"], [[1.0, 0.0]])
    assert main(["train", "sif", "--documents", str(docs), "--word-run", str(doc_run), "--out", str(tmp_path / "b")]) == 2
    assert "SIF needs a run of word vectors" in capsys.readouterr().err
    assert not (tmp_path / "a").exists() or not any((tmp_path / "a").iterdir())


def test_the_command_line_writes_a_run_that_search_reads(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    words = imported_run(tmp_path / "words", TOKENS, VECTORS, counts=COUNTS)
    out = tmp_path / "runs" / "sif"
    assert main(["train", "sif", "--documents", str(_documents(tmp_path)), "--word-run", str(words), "--lang", "en",
                 "--out", str(out)]) == 0
    capsys.readouterr()
    assert main(["search", str(out), "windy rain", "-k", "2"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 2 and lines[0].split("\t")[2] in {"d2", "d3"}  # rain and wind, not the pets
    assert main(["search", str(out), "xyzzy", "-k", "2"]) == 2  # no known word: every score would be 0
    assert "vocabulary" in capsys.readouterr().err


@pytest.mark.parametrize("damage", ["rows", "vectors", "component"])
def test_damaged_model_files_are_one_line(tmp_path: Path, damage: str) -> None:
    words = imported_run(tmp_path / "words", TOKENS, VECTORS, counts=COUNTS)
    out = sif_run(_spec(tmp_path, str(words)), tmp_path / "sif", lambda p: None)
    if damage == "rows":
        (out / SIF_WORDS).write_text("token\tweight\ncat\n", encoding="utf-8")
    elif damage == "vectors":
        np.save(out / SIF_VECTORS, np.zeros((2, 3), np.float32))
    else:
        np.save(out / SIF_COMPONENT, np.zeros(7, np.float32))
    with pytest.raises(ExplorerError) as err:
        SifModel.load(out)
    assert err.value.code == "sif_damaged" and "\n" not in str(err.value)
