"""Import/export round trips (word2vec through gensim's loader, GloVe, Projector, npy) and bad files."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import pytest
from gensim.models import KeyedVectors

from explorer.errors import ExplorerError
from explorer.runs import Run, load_run
from explorer.runs.formats import (
    coordinates_csv,
    detect_format,
    export_coordinates_csv,
    export_projector,
    export_word2vec,
    import_run,
    import_vectors,
)
from tests.support.runs import words_run

TOKENS = ["cat", "dog", "猫", "狗", "a b"]


def vectors(n: int = 5, d: int = 4, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).normal(size=(n, d)).astype(np.float32)


@pytest.fixture
def run(tmp_path: Path) -> Run:
    return load_run(words_run(tmp_path / "run", TOKENS, vectors(), counts=[50, 40, 30, 20, 10],
                              labels={"cat": "animal", "dog": "animal", "猫": "动物"}, data={"corpus": "test"}))


# ---------------------------------------------------------------------- export -> gensim


@pytest.mark.parametrize("binary", [False, True])
def test_word2vec_export_loads_in_gensim(run: Run, tmp_path: Path, binary: bool) -> None:
    out = export_word2vec(run, tmp_path / ("v.bin" if binary else "v.txt"), binary=binary)
    kv = KeyedVectors.load_word2vec_format(str(out), binary=binary)
    assert list(kv.index_to_key) == ["cat", "dog", "猫", "狗", "a_b"]  # whitespace inside a token -> _
    np.testing.assert_allclose(kv.vectors, vectors(), rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("binary", [False, True])
def test_gensim_files_import(tmp_path: Path, binary: bool) -> None:
    kv = KeyedVectors(vector_size=4)
    kv.add_vectors(["x", "y", "中文"], vectors(3))
    path = tmp_path / ("g.bin" if binary else "g.txt")
    kv.save_word2vec_format(str(path), binary=binary)
    assert detect_format(path) == ("word2vec-binary" if binary else "word2vec")
    got, labels, extra = import_vectors(path)
    assert labels == ["x", "y", "中文"] and extra == {}
    np.testing.assert_allclose(got, vectors(3), rtol=1e-6, atol=1e-7)


def test_word2vec_binary_with_newline_after_each_vector(tmp_path: Path) -> None:
    # the original C word2vec writes "\n" after every vector
    vecs = vectors(2, 3)
    data = b"2 3\n" + b"".join(t.encode() + b" " + v.astype("<f4").tobytes() + b"\n" for t, v in zip(["p", "q"], vecs, strict=True))
    path = tmp_path / "c.bin"
    path.write_bytes(data)
    got, labels, _ = import_vectors(path)
    assert labels == ["p", "q"]
    np.testing.assert_array_equal(got, vecs)


def test_glove_round_trip(tmp_path: Path) -> None:
    vecs = vectors(3, 5)
    path = tmp_path / "glove.6B.5d.txt"
    path.write_text("".join(f"{t} " + " ".join(repr(float(v)) for v in row) + "\n"
                            for t, row in zip(["the", ",", "naïve"], vecs, strict=True)), encoding="utf-8")
    assert detect_format(path) == "glove"
    got, labels, _ = import_vectors(path)
    assert labels == ["the", ",", "naïve"]
    np.testing.assert_array_equal(got, vecs)


def test_projector_round_trip_with_metadata(run: Run, tmp_path: Path) -> None:
    vec_path, meta_path = export_projector(run, tmp_path / "emb.tsv")
    assert meta_path == tmp_path / "emb_metadata.tsv"
    lines = meta_path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "token\tcount\tlabel" and lines[1] == "cat\t50\tanimal" and lines[5] == "a b\t10\t"
    assert detect_format(vec_path) == "projector"
    got, labels, extra = import_vectors(vec_path, metadata=meta_path)
    np.testing.assert_array_equal(got, vectors())
    assert labels == TOKENS
    assert extra["count"] == ["50", "40", "30", "20", "10"] and extra["label"][:3] == ["animal", "animal", "动物"]
    imported = load_run(import_run(vec_path, tmp_path / "imported", metadata=meta_path))
    assert imported.kind == "imported" and imported.tokens == TOKENS
    assert imported.counts.tolist() == [50, 40, 30, 20, 10]
    assert imported.labels == {"cat": "animal", "dog": "animal", "猫": "动物"}
    assert imported.config["config"]["format"] == "projector"
    assert (imported.path / "cache" / "normalized.npy").is_file()


def test_projector_single_column_metadata_has_no_header(tmp_path: Path) -> None:
    vec = tmp_path / "v.tsv"
    vec.write_text("1\t0\n0\t1\n", encoding="utf-8")
    meta = tmp_path / "m.tsv"
    meta.write_text("up\nright\n", encoding="utf-8")
    _, labels, extra = import_vectors(vec, metadata=meta)
    assert labels == ["up", "right"] and extra == {}


def test_npy_with_labels_csv(tmp_path: Path) -> None:
    arr = vectors(3, 2).astype(np.float64)
    npy = tmp_path / "v.npy"
    np.save(npy, arr)
    labels_csv = tmp_path / "labels.csv"
    labels_csv.write_text('word,category\n"x, with comma",a\ny,b\nz,\n', encoding="utf-8")
    got, labels, extra = import_vectors(npy, metadata=labels_csv)
    assert got.dtype == np.float32
    np.testing.assert_allclose(got, arr, rtol=1e-6)
    assert labels == ["x, with comma", "y", "z"] and extra == {"category": ["a", "b", ""]}
    run = load_run(import_run(npy, tmp_path / "r", metadata=labels_csv))
    assert run.labels == {"x, with comma": "a", "y": "b"}
    unlabeled = import_vectors(npy)[1]
    assert unlabeled == ["0", "1", "2"]


def test_keyed_metadata_for_word2vec(tmp_path: Path) -> None:
    path = tmp_path / "w.txt"
    path.write_text("3 2\ncat 1 0\ndog 0.9 0.1\ncar 0 1\n", encoding="utf-8")
    meta = tmp_path / "labels.tsv"
    meta.write_text("car\tvehicle\ncat\tanimal\nunknown\tx\n", encoding="utf-8")  # no header, any order
    _, labels, extra = import_vectors(path, metadata=meta)
    assert labels == ["cat", "dog", "car"] and extra == {"label": ["animal", "", "vehicle"]}


# ---------------------------------------------------------------------- bad files


@pytest.mark.parametrize("content,fmt,message", [
    ("2 3\na 1 2 3\nb 1 2\n", "word2vec", "line 3: 2 values but the header says 3"),
    ("3 2\na 1 2\nb 1 2\n", "word2vec", "header says 3 vectors but the file has 2"),
    ("1 2\na 1 2\nb 1 2\n", "word2vec", "line 3: more vectors than the header's count of 1"),
    ("a 1 2\nb 1 nan\n", "glove", "line 2: NaN or infinite"),
    ("a 1 2\nb 1 inf\n", "glove", "line 2: NaN or infinite"),
    ("a 1 2\nb 1 two\n", "glove", "line 2: not a number: 'two'"),
    ("a 1 2\nb 3 4\na 5 6\n", "glove", "duplicate label 'a' (lines 1 and 3)"),
    ("a 1 2 3\nb 1 2\n", "glove", "line 2: 2 values but the first vector has 3"),
    ("1\t2\n3\n", "projector", "line 2: 1 values but the first row has 2"),
    ("label,x,y\n", "auto", "line 1: no numbers after the label"),
])
def test_bad_text_files(tmp_path: Path, content: str, fmt: str, message: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ExplorerError) as err:
        import_vectors(path, fmt)
    assert message in str(err.value) and str(path) in str(err.value)


def test_truncated_and_overlong_binary(tmp_path: Path) -> None:
    vecs = vectors(2, 3)
    body = b"".join(t.encode() + b" " + v.astype("<f4").tobytes() for t, v in zip(["p", "q"], vecs, strict=True))
    short = tmp_path / "short.bin"
    short.write_bytes(b"3 3\n" + body)
    with pytest.raises(ExplorerError, match="truncated"):
        import_vectors(short, "word2vec-binary")
    long = tmp_path / "long.bin"
    long.write_bytes(b"1 3\n" + body)
    with pytest.raises(ExplorerError, match="has more data"):
        import_vectors(long, "word2vec-binary")


def test_binary_nan_and_duplicates(tmp_path: Path) -> None:
    nan = np.array([1, np.nan, 0], "<f4").tobytes()
    path = tmp_path / "nan.bin"
    path.write_bytes(b"1 3\nw " + nan)
    with pytest.raises(ExplorerError, match="NaN or infinite"):
        import_vectors(path)
    dup = tmp_path / "dup.bin"
    ok = np.zeros(3, "<f4").tobytes()
    dup.write_bytes(b"2 3\nw " + ok + b"w " + ok)
    with pytest.raises(ExplorerError, match="duplicate label 'w'"):
        import_vectors(dup)


def test_npy_problems(tmp_path: Path) -> None:
    one_d = tmp_path / "a.npy"
    np.save(one_d, np.zeros(3))
    with pytest.raises(ExplorerError, match="2-D"):
        import_vectors(one_d)
    objects = tmp_path / "o.npy"
    np.save(objects, np.array([[{"a": 1}]], dtype=object), allow_pickle=True)
    with pytest.raises(ExplorerError, match="not a plain .npy"):
        import_vectors(objects)
    nan = tmp_path / "n.npy"
    np.save(nan, np.array([[1.0, 2.0], [np.inf, 0.0]]))
    with pytest.raises(ExplorerError, match="row 2: NaN or infinite"):
        import_vectors(nan)
    good = tmp_path / "g.npy"
    np.save(good, np.zeros((3, 2)))
    labels = tmp_path / "l.csv"
    labels.write_text("a\nb\n", encoding="utf-8")
    with pytest.raises(ExplorerError, match="metadata has 2 rows but the vectors have 3"):
        import_vectors(good, metadata=labels)
    labels.write_text("a\nb\na\n", encoding="utf-8")
    with pytest.raises(ExplorerError, match="duplicate label 'a'"):
        import_vectors(good, metadata=labels)


def test_size_limit_unknown_format_and_missing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "big.txt"
    path.write_text("a 1 2\n" * 1000, encoding="utf-8")
    monkeypatch.setenv("EXPLORER_MAX_IMPORT_MB", "0.001")
    with pytest.raises(ExplorerError, match="over the import limit of 0 MB"):
        import_vectors(path)
    monkeypatch.delenv("EXPLORER_MAX_IMPORT_MB")
    with pytest.raises(ExplorerError, match="format: unknown format 'fasttext'"):
        import_vectors(path, "fasttext")
    with pytest.raises(ExplorerError, match="not found"):
        import_vectors(tmp_path / "nope.txt")
    binary = tmp_path / "junk.dat"
    binary.write_bytes(b"\x00\x01\x02garbage")
    with pytest.raises(ExplorerError, match="unknown format"):
        import_vectors(binary)
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    with pytest.raises(ExplorerError, match="empty file"):
        import_vectors(empty)


def test_failed_import_leaves_no_run(tmp_path: Path) -> None:
    path = tmp_path / "bad.txt"
    path.write_text("a 1 2\na 3 4\n", encoding="utf-8")
    with pytest.raises(ExplorerError, match="duplicate"):
        import_run(path, tmp_path / "out")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.txt"]


# ---------------------------------------------------------------------- coordinates CSV


def test_coordinates_csv_quoting_and_utf8(tmp_path: Path) -> None:
    labels = ["plain", "has,comma", 'has "quote"', "猫"]
    coords = np.array([[0, 1], [2, 3], [4, 5], [6.5, -7.25]], np.float32)
    data = export_coordinates_csv(labels, coords, {"cluster": [0, 1, 1, 2]})
    assert isinstance(data, bytes)
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"))))
    assert rows[0] == ["label", "x", "y", "cluster"]
    assert [r[0] for r in rows[1:]] == labels
    assert rows[4] == ["猫", "6.5", "-7.25", "2"]
    out = export_coordinates_csv(labels, np.zeros((4, 3), np.float32), None, tmp_path / "c.csv")
    assert out == tmp_path / "c.csv"
    assert out.read_text(encoding="utf-8").splitlines()[0] == "label,x,y,z"
    assert coordinates_csv(coords, labels, rows=[3]).splitlines()[1] == "猫,6.5,-7.25"
    with pytest.raises(ExplorerError, match="coords"):
        coordinates_csv(coords[:2], labels)


def test_import_refuses_a_non_empty_output_directory(tmp_path: Path) -> None:
    path = tmp_path / "v.txt"
    path.write_text("a 1 2\nb 3 4\n", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("precious", encoding="utf-8")
    with pytest.raises(ExplorerError, match="not empty"):
        import_run(path, out)
    assert sorted(p.name for p in out.iterdir()) == ["keep.txt"]
