"""Searching a document run: the run stays open between searches (until its files change), "more like this",
exact ties, queries cut to a sane length."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from explorer.documents import write_doc_vectors
from explorer.documents.search import QUERY_CHARS, open_index, search, top_k
from explorer.kinds import run_kind
from tests.support.runs import documents_run

GROUPS = ("sport", "food", "music")


def _run(path: Path) -> Path:
    rng = np.random.default_rng(0)
    centres = np.eye(3, 8, dtype=np.float32) * 3
    vectors = np.concatenate([centres[g] + 0.1 * rng.standard_normal((10, 8)) for g in range(3)])
    labels = [g for g in GROUPS for _ in range(10)]
    return documents_run(path, [f"text {i} about {g}" for i, g in enumerate(labels)], vectors, labels=labels)


def test_the_run_stays_open_until_its_files_change(tmp_path: Path) -> None:
    run = _run(tmp_path / "run")
    first = open_index(run)
    assert open_index(run) is first  # not re-read per search
    assert np.allclose(np.linalg.norm(first.unit, axis=1), 1.0, atol=1e-5)
    vectors = -np.asarray(first.unit)
    write_doc_vectors(run, vectors)
    later = os.stat(run / "doc_vectors.npy").st_mtime_ns + 10_000_000
    os.utime(run / "doc_vectors.npy", ns=(later, later))
    second = open_index(run)
    assert second is not first and np.allclose(second.unit, vectors, atol=1e-6)


def test_more_like_this_finds_the_documents_of_the_same_group(tmp_path: Path) -> None:
    index = open_index(_run(tmp_path / "run"))
    rows, scores = index.like([12], 5)
    assert 12 not in rows.tolist() and all(10 <= r < 20 for r in rows.tolist())
    assert list(scores) == sorted(scores, reverse=True)
    rows, _ = index.like([0, 1, 2], 7)  # several documents: their mean, themselves left out
    assert set(rows.tolist()) == set(range(3, 10))
    hits = index.hits(rows[:1], np.array([0.5]))
    assert hits[0].rank == 1 and hits[0].text.endswith("about sport") and hits[0].id == f"d{rows[0]}"


def test_an_empty_document_is_never_a_result(tmp_path: Path) -> None:
    # an empty document keeps its row (aligned with the input) but its vector says nothing: it was ranked 9th
    # for a query on a Chinese run of 14 documents; "more like this" of it still works
    vectors = np.array([[1, 0], [0.9, 0.1], [1, 0.01], [0, 1]], np.float32)
    index = open_index(documents_run(tmp_path / "run", ["a cat", "a kitten", "", "a truck"], vectors))
    assert 2 not in index.nearest(np.array([1, 0], np.float32), 4)[0].tolist()
    assert 2 not in index.like([0], 3)[0].tolist() and index.like([2], 3)[0].tolist()[0] == 0
    bare = open_index(documents_run(tmp_path / "bare", ["", "", ""], vectors[:3]))  # no text at all (an import)
    assert bare.like([0], 2)[0].tolist() == [2, 1]


def test_an_empty_query_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # an encoder run answered "" with a ranking (the vector of "query: " alone)
    from explorer.cli import main

    run = _run(tmp_path / "run")
    for argv in (["search", str(run), "  ", "-k", "2"], ["infer", str(run), ""]):
        assert main(argv) == 2
        assert capsys.readouterr().err.strip() == "error: the query is empty: give a few words"


def test_top_k_breaks_ties_by_row_and_leaves_out_rows() -> None:
    scores = np.array([0.2, 0.7, 0.7, 0.7, 0.1])
    assert top_k(scores, 2)[0].tolist() == [1, 2]
    assert top_k(scores, 3, exclude=[2])[0].tolist() == [1, 3, 0]
    assert top_k(scores, 10, exclude=[0, 1, 2, 3, 4])[0].tolist() == []


def test_search_cuts_a_long_query(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    run = _run(tmp_path / "run")
    kind = run_kind(open_index(run).kind)
    seen: list[str] = []

    def fake(self, run_dir: Path, text: str) -> np.ndarray:  # type: ignore[no-untyped-def]
        seen.append(text)
        return np.eye(3, 8, dtype=np.float32)[1]  # the "food" direction

    monkeypatch.setattr(type(kind), "query_vector", fake)
    hits = search(run, "bread " * 2000, k=4)
    assert len(seen[0]) == QUERY_CHARS
    assert [h.rank for h in hits] == [1, 2, 3, 4] and all(h.text.endswith("about food") for h in hits)


def test_documents_are_coloured_by_label_or_cluster_never_by_frequency(tmp_path: Path) -> None:
    from explorer.analysis.colouring import colour_options
    from explorer.runs import load_run

    assert colour_options(load_run(_run(tmp_path / "run")), users=False) == ["label", "cluster", "none"]
