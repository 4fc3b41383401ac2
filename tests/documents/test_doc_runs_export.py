"""Runs of documents leave and come back: the run zip, the Projector export + import (as documents), and damaged
files refused with one line."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import numpy as np
import pytest

from explorer.analysis import compare
from explorer.errors import ExplorerError
from explorer.runs import formats, load_run, manage, zip_run
from tests.support.runs import documents_run, encoder_run

TEXTS = ['He said "great" and left', "second\tdocument", "「引号」中文文档", '"starts with a quote', "plain five",
         "six", "seven about food", "eight"]
LABELS = ["pos", "neg", "pos", "neg", "pos", "neg", "pos", "neg"]


def doc_run(tmp_path: Path, name: str = "Doc2Vec: reviews / v2") -> Path:
    vectors = np.random.default_rng(0).normal(size=(len(TEXTS), 5)).astype(np.float32)
    return documents_run(tmp_path / "run", TEXTS, vectors, ids=[f"r{i}" for i in range(len(TEXTS))],
                         titles=[f"T{i}" for i in range(len(TEXTS))], labels=LABELS, name=name)


def test_a_quote_in_a_documents_text_keeps_the_rows_apart(tmp_path):
    run = load_run(doc_run(tmp_path))
    assert len(run.documents) == len(TEXTS) == len(run.vectors)
    assert run.documents.texts[0] == 'He said "great" and left' and run.documents.texts[3] == '"starts with a quote'


def test_the_run_zip_round_trips_a_run_of_documents(tmp_path):
    run = load_run(doc_run(tmp_path))
    archive = tmp_path / "run.zip"
    archive.write_bytes(zip_run(run.path))
    back = load_run(manage.unpack_run_zip(archive, tmp_path / "back", 10 * 2**20))
    assert back.kind == run.kind and back.name == run.name
    assert np.array_equal(back.vectors, run.vectors) and back.documents == run.documents


def _zip_with(tmp_path: Path, run_dir: Path, replace: dict[str, bytes]) -> Path:
    path = tmp_path / "damaged.zip"
    with zipfile.ZipFile(path, "w") as zf:
        for f in sorted(run_dir.iterdir()):
            if f.is_file():
                zf.writestr(f.name, replace.get(f.name, f.read_bytes()))
    return path


@pytest.mark.parametrize("docs_tsv, said", [
    (b"id\ttitle\ttext\nr0\tT\tx\n", "docs.tsv: the header must be"),
    (b"id\ttitle\tlabel\ttext\n" + b"".join(f"r{i}\tT\tpos\ttext {i}\n".encode() for i in range(7)),
     "docs.tsv: 7 rows but doc_vectors.npy has 8"),
    (b"id\ttitle\tlabel\ttext\n" + b"".join(f"r{i}\tT\tpos\ttext {i}\n".encode() for i in range(9)),
     "docs.tsv: 9 rows but doc_vectors.npy has 8"),
    (b"id\ttitle\tlabel\ttext\n" + b"".join(f"r{i}\tT\tpos\n".encode() for i in range(8)),
     "docs.tsv: line 2 has 3 fields, expected 4"),
    (b"id\ttitle\tlabel\ttext\n" + b"\xff\xfe\x00bad" * 3, "docs.tsv: not UTF-8 text"),
])
def test_a_run_zip_with_a_damaged_docs_tsv_is_one_line(tmp_path, docs_tsv, said):
    run_dir = doc_run(tmp_path)
    with pytest.raises(ExplorerError) as exc:
        manage.unpack_run_zip(_zip_with(tmp_path, run_dir, {"docs.tsv": docs_tsv}), tmp_path / "out", 10 * 2**20)
    message = str(exc.value)
    assert said in message and "\n" not in message, message
    assert not (tmp_path / "out").exists()  # nothing half-written


def test_the_projector_export_of_documents_imports_back_as_documents(tmp_path):
    run = load_run(doc_run(tmp_path))
    data = manage.export_bytes(run, "projector")
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        (tmp_path / "vectors.tsv").write_bytes(zf.read("vectors.tsv"))
        (tmp_path / "metadata.tsv").write_bytes(zf.read("metadata.tsv"))
    assert (tmp_path / "metadata.tsv").read_text(encoding="utf-8").startswith("id\ttitle\tlabel\ttext\n")
    back = load_run(formats.import_run(tmp_path / "vectors.tsv", tmp_path / "imported", "auto",
                                       tmp_path / "metadata.tsv"))
    assert back.kind == "imported_documents" and back.capabilities.documents
    assert np.array_equal(back.vectors, run.vectors)  # .9g text round-trips float32 exactly
    assert back.documents == run.documents and back.labels == run.labels
    summary = compare.overlap_summary(run, back, k=3, max_words=100)  # the same documents, matched by id
    assert summary["n_shared"] == len(TEXTS) and (summary["frame"]["jaccard"] == 1.0).all()
    name, _ = manage.export_file_name(run, "projector")
    assert name == "Doc2Vec-reviews-v2-projector.zip"  # named after the run


def test_word2vec_export_of_documents_keeps_one_row_per_document(tmp_path):
    run = load_run(doc_run(tmp_path))
    text = manage.export_bytes(run, "word2vec_text").decode("utf-8").splitlines()
    assert text[0] == f"{len(TEXTS)} 5" and [line.split(" ")[0] for line in text[1:]] == run.documents.ids


@pytest.mark.parametrize("metadata, code", [
    ("id\ttitle\tlabel\ttext\n" + "".join(f"r{i}\tT\tpos\tx\n" for i in range(7)), "import_meta_rows"),
    ("id\ttitle\tlabel\ttext\n" + "".join(f"r{i}\tT\tpos\n" for i in range(8)), "import_meta_columns"),
    ("id\ttitle\tlabel\ttext\n" + "".join("r0\tT\tpos\tx\n" for _ in range(8)), "import_duplicate_label"),
])
def test_importing_documents_with_damaged_metadata_is_one_line(tmp_path, metadata, code):
    run = load_run(doc_run(tmp_path))
    formats.export_projector(run, tmp_path / "vectors.tsv")
    (tmp_path / "meta.tsv").write_text(metadata, encoding="utf-8")
    with pytest.raises(ExplorerError) as exc:
        formats.import_run(tmp_path / "vectors.tsv", tmp_path / "imported", "auto", tmp_path / "meta.tsv")
    assert exc.value.code == code and "\n" not in str(exc.value), (exc.value.code, exc.value)
    assert not (tmp_path / "imported").exists()


def test_runs_of_documents_and_runs_of_words_do_not_compare(tmp_path):
    from tests.support.runs import words_run

    docs = load_run(doc_run(tmp_path))
    words = load_run(words_run(tmp_path / "words", [f"r{i}" for i in range(8)],
                               np.eye(8, 5, dtype=np.float32) + 0.1))
    with pytest.raises(ExplorerError) as exc:
        compare.overlap_summary(docs, words, k=3, max_words=10)
    assert exc.value.code == "compare_rows_differ" and "rows are documents" in str(exc.value)
    e5 = load_run(encoder_run(tmp_path / "e5", TEXTS, np.random.default_rng(1).normal(size=(8, 7)),
                              ids=[f"r{i}" for i in range(8)]))
    assert compare.overlap_summary(docs, e5, k=3, max_words=10)["n_shared"] == 8  # other sizes, same documents
