"""The analysis commands end to end on small runs made with explorer.runs (no trainer needed)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import numpy as np
import pytest
from gensim.models import KeyedVectors

from explorer.cli import main
from explorer.runs import load_run
from tests.support.runs import useritem_run, words_run

GROUPS = {
    "animal": ["cat", "dog", "horse", "cow", "sheep", "猫", "狗"],
    "fruit": ["apple", "banana", "pear", "plum", "grape", "香蕉", "苹果"],
    "vehicle": ["car", "bus", "train", "truck", "bike", "汽车", "火车"],
}


@pytest.fixture
def run_dir(tmp_path: Path) -> Path:
    rng = np.random.default_rng(0)
    centres = rng.normal(size=(3, 16)) * 3
    tokens, labels, rows = [], {}, []
    for g, (name, words) in enumerate(GROUPS.items()):
        for w in words:
            tokens.append(w)
            labels[w] = name
            rows.append(centres[g] + rng.normal(size=16) * 0.5)
    return words_run(tmp_path / "run", tokens, rows, counts=list(range(len(tokens), 0, -1)), labels=labels,
                     data={"corpus": "test"})


def one_error_line(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error: ")
    return err[0]


def test_neighbors_prints_token_tab_score(run_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["neighbors", str(run_dir), "cat", "-k", "4"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 4
    pairs = [line.split("\t") for line in lines]
    assert all(len(p) == 2 for p in pairs)
    assert {w for w, _ in pairs} <= set(GROUPS["animal"]) - {"cat"}
    scores = [float(s) for _, s in pairs]
    assert scores == sorted(scores, reverse=True) and all(s <= 1.0 for s in scores)


def test_neighbors_euclidean_distances_ascend(run_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["neighbors", str(run_dir), "猫", "-k", "3", "--metric", "euclidean"]) == 0
    scores = [float(line.split("\t")[1]) for line in capsys.readouterr().out.splitlines()]
    assert scores == sorted(scores) and len(scores) == 3


def test_neighbors_unknown_word_is_exit_2(run_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["neighbors", str(run_dir), "xyz"]) == 2
    assert one_error_line(capsys) == "error: unknown word 'xyz' (not in the vocabulary of 21 tokens)"
    assert main(["neighbors", str(run_dir / "missing"), "cat"]) == 2
    assert "run directory not found" in one_error_line(capsys)


@pytest.mark.parametrize("fmt,binary", [("word2vec", False), ("word2vec-binary", True)])
def test_export_word2vec_reads_in_gensim(run_dir: Path, tmp_path: Path, fmt: str, binary: bool,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "vectors.w2v"
    assert main(["export", str(run_dir), "--format", fmt, "--out", str(out)]) == 0
    assert capsys.readouterr().out.strip() == str(out)
    kv = KeyedVectors.load_word2vec_format(str(out), binary=binary)
    run = load_run(run_dir)
    assert list(kv.index_to_key) == run.tokens
    np.testing.assert_allclose(kv.vectors, run.vectors, rtol=1e-6, atol=1e-7)


def test_export_projector_writes_both_files(run_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "emb.tsv"
    assert main(["export", str(run_dir), "--format", "projector", "--out", str(out)]) == 0
    assert capsys.readouterr().out.split() == [str(out), str(tmp_path / "emb_metadata.tsv")]
    assert len(out.read_text().splitlines()) == 21
    meta = (tmp_path / "emb_metadata.tsv").read_text(encoding="utf-8").splitlines()
    assert meta[0] == "token\tcount\tlabel" and meta[1] == "cat\t21\tanimal"


def test_export_creates_missing_folders_but_not_under_a_file(run_dir: Path, tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    # issue 11: --out creates missing parent folders for every command
    assert main(["export", str(run_dir), "--format", "word2vec", "--out", str(tmp_path / "no" / "x.txt")]) == 0
    assert (tmp_path / "no" / "x.txt").is_file()
    capsys.readouterr()
    (tmp_path / "plain").write_text("a file")
    assert main(["export", str(run_dir), "--format", "word2vec", "--out", str(tmp_path / "plain" / "x.txt")]) == 2
    assert "parent is not a folder" in one_error_line(capsys)


@pytest.mark.parametrize("fmt", ["word2vec", "word2vec-binary", "projector"])
def test_export_refuses_an_existing_file(run_dir: Path, tmp_path: Path, fmt: str,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "emb.txt"
    out.write_text("keep me", encoding="utf-8")
    assert main(["export", str(run_dir), "--format", fmt, "--out", str(out)]) == 2
    assert one_error_line(capsys) == f"error: {out}: already exists"
    assert out.read_text(encoding="utf-8") == "keep me"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["emb.txt", "run"]


def test_export_projector_refuses_an_existing_metadata_file(run_dir: Path, tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    meta = tmp_path / "emb_metadata.tsv"
    meta.write_text("keep me", encoding="utf-8")
    assert main(["export", str(run_dir), "--format", "projector", "--out", str(tmp_path / "emb.tsv")]) == 2
    assert one_error_line(capsys) == f"error: {meta}: already exists"
    assert meta.read_text(encoding="utf-8") == "keep me" and not (tmp_path / "emb.tsv").exists()


def test_project_refuses_an_existing_file(run_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "coords.csv"
    out.write_text("keep me", encoding="utf-8")
    assert main(["project", str(run_dir), "--method", "pca", "--out", str(out)]) == 2
    assert one_error_line(capsys) == f"error: {out}: already exists"
    assert out.read_text(encoding="utf-8") == "keep me"
    assert not (run_dir / "cache").exists() or not list((run_dir / "cache").glob("pca-*"))  # refused before work


@pytest.mark.slow
@pytest.mark.parametrize("method,dims", [("pca", 2), ("pca", 3), ("tsne", 2), ("umap", 2)])
def test_project_writes_csv_in_vocabulary_order(run_dir: Path, tmp_path: Path, method: str, dims: int,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "coords.csv"
    assert main(["project", str(run_dir), "--method", method, "--dims", str(dims), "--out", str(out)]) == 0
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert rows[0] == ["label", "x", "y", "z"][: dims + 1]
    assert [r[0] for r in rows[1:]] == load_run(run_dir).tokens
    coords = np.array([[float(v) for v in r[1:]] for r in rows[1:]])
    assert coords.shape == (21, dims) and np.isfinite(coords).all()
    assert list((run_dir / "cache").glob(f"{method}-{dims}-*.npy"))


def test_import_then_neighbors(run_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    w2v = tmp_path / "v.txt"
    assert main(["export", str(run_dir), "--format", "word2vec", "--out", str(w2v)]) == 0
    out = tmp_path / "imported"
    assert main(["import", str(w2v), "--out", str(out)]) == 0
    capsys.readouterr()
    assert load_run(out).kind == "imported"
    assert main(["neighbors", str(out), "cat", "-k", "2"]) == 0
    original = main(["neighbors", str(run_dir), "cat", "-k", "2"])
    lines = capsys.readouterr().out.splitlines()
    assert original == 0 and lines[:2] == lines[2:]


def test_import_with_metadata_and_bad_file(run_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tsv = tmp_path / "p.tsv"
    assert main(["export", str(run_dir), "--format", "projector", "--out", str(tsv)]) == 0
    out = tmp_path / "imported"
    assert main(["import", str(tsv), "--out", str(out), "--format", "projector",
                 "--metadata", str(tmp_path / "p_metadata.tsv")]) == 0
    assert load_run(out).labels == load_run(run_dir).labels
    bad = tmp_path / "bad.txt"
    bad.write_text("2 3\na 1 2 3\nb 1 2\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["import", str(bad), "--out", str(tmp_path / "bad_run")]) == 2
    assert "line 3" in one_error_line(capsys)
    assert not (tmp_path / "bad_run").exists()


@pytest.mark.parametrize("method", ["kmeans", "dbscan", "hdbscan"])
def test_cluster_prints_metrics_json(run_dir: Path, method: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["cluster", str(run_dir), "--method", method, "--k", "3"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["method"] == method and report["space"] == "vectors"
    assert set(report["metrics"]) >= {"silhouette", "davies_bouldin", "calinski_harabasz", "nmi", "ari"}
    assert sum(report["sizes"].values()) == 21
    if method == "kmeans":
        assert report["metrics"]["nmi"] == pytest.approx(1.0) and report["params"]["k"] == 3


def test_cluster_bad_k_is_exit_2(run_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["cluster", str(run_dir), "--k", "1"]) == 2
    assert one_error_line(capsys).startswith("error: k: must be an integer between 2 and 20")


def test_user_item_run_items_are_the_vectors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = useritem_run(tmp_path / "ui", np.zeros((1, 2)), [[1, 0], [0.9, 0.1], [0, 1], [0.1, 0.9]], user_ids=["u1"],
                        item_ids=["i1", "i2", "i3", "i4"], item_columns={"title": ["Alien", "Aliens", "Heat", "Ronin"]},
                        data={"interactions": "log.csv"})
    assert main(["neighbors", str(path), "i1", "-k", "1"]) == 0
    assert capsys.readouterr().out.split("\t")[0] == "i2"
    out = tmp_path / "items.tsv"
    assert main(["export", str(path), "--format", "projector", "--out", str(out)]) == 0
    meta = (tmp_path / "items_metadata.tsv").read_text(encoding="utf-8").splitlines()
    assert meta[0] == "token\tcount\tlabel\ttitle" and meta[1] == "i1\t0\t\tAlien"
    assert main(["project", str(path), "--out", str(tmp_path / "c.csv")]) == 0
    assert (tmp_path / "c.csv").read_text(encoding="utf-8").splitlines()[0] == "label,x,y"
