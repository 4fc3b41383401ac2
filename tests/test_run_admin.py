"""explorer.runs.manage: rename, summaries, and the safety checks of a run zip coming back."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import numpy as np
import pytest

from explorer.errors import ExplorerError
from explorer.runs import load_run, manage, zip_run
from tests.support.runs import words_run

MB = 2**20


TOY = {"tokens": ["cat", "dog", "猫", "狗"], "vectors": np.arange(12).reshape(4, 3), "counts": [5, 4, 3, 2],
       "labels": {"cat": "animal", "dog": "animal"}, "data": {"source": "toy"}, "name": "toy",
       "metrics": {"loss_per_epoch": [0.9, 0.5], "seconds": 1.5}}


def zip_bytes(files: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return buf.getvalue()


def run_files(path: Path) -> dict[str, bytes]:
    return {f.name: f.read_bytes() for f in path.iterdir() if f.is_file()}


def test_rename_keeps_everything_else(tmp_path: Path) -> None:
    run = words_run(tmp_path / "r1", **TOY)
    before = json.loads((run / "config.json").read_text(encoding="utf-8"))
    assert manage.rename_run(run, "  新 名字  ") == "新 名字"
    after = json.loads((run / "config.json").read_text(encoding="utf-8"))
    assert after == {**before, "name": "新 名字"}
    assert load_run(run).name == "新 名字"
    assert not [p for p in run.iterdir() if p.name.startswith(".")]  # no temporary file left


@pytest.mark.parametrize("bad", ["", "   ", "x" * 81, "a\x00b"])
def test_rename_refuses_bad_names(tmp_path: Path, bad: str) -> None:
    run = words_run(tmp_path / "r1", **TOY)
    with pytest.raises(ExplorerError, match="name"):
        manage.rename_run(run, bad)
    assert load_run(run).name == "toy"


def test_key_metrics_and_size(tmp_path: Path) -> None:
    run = words_run(tmp_path / "r1", **TOY)
    m = manage.key_metrics(load_run(run))
    assert (m["n"], m["dim"], m["loss"], m["seconds"]) == (4, 3, 0.5, 1.5)
    assert m["hr10"] is None
    assert manage.run_size(run) == sum(f.stat().st_size for f in run.iterdir())


def test_zip_round_trip(tmp_path: Path) -> None:
    run = words_run(tmp_path / "r1", **TOY)
    (run / "cache").mkdir()
    (run / "cache" / "normalized.npy").write_bytes(b"derived")  # skipped, not refused
    path = tmp_path / "up.zip"
    path.write_bytes(zip_run(run))
    out = manage.unpack_run_zip(path, tmp_path / "r2", 10 * MB)
    back = load_run(out)
    assert back.tokens == ["cat", "dog", "猫", "狗"]
    np.testing.assert_array_equal(back.vectors, load_run(run).vectors)
    assert back.labels == {"cat": "animal", "dog": "animal"}
    assert not (out / "cache").exists()


def test_zip_inside_one_folder_is_accepted(tmp_path: Path) -> None:
    run = words_run(tmp_path / "r1", **TOY)
    path = tmp_path / "up.zip"
    path.write_bytes(zip_bytes({f"myrun/{k}": v for k, v in run_files(run).items()}))
    assert load_run(manage.unpack_run_zip(path, tmp_path / "r2", 10 * MB)).name == "toy"


def _refused(tmp_path: Path, files: dict[str, bytes], match: str, limit: int = 10 * MB) -> None:
    path = tmp_path / "bad.zip"
    path.write_bytes(zip_bytes(files))
    with pytest.raises(ExplorerError, match=match):
        manage.unpack_run_zip(path, tmp_path / "out", limit)
    assert not (tmp_path / "out").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out")]


@pytest.mark.parametrize("evil", ["../config.json", "/etc/passwd", "a/../../x", "C:/x", "a\\b"])
def test_zip_refuses_path_traversal(tmp_path: Path, evil: str) -> None:
    files = run_files(words_run(tmp_path / "r1", **TOY))
    _refused(tmp_path, {**files, evil: b"x"}, "refusing member")


def test_zip_refuses_unknown_files_kind_size_and_mismatch(tmp_path: Path) -> None:
    files = run_files(words_run(tmp_path / "r1", **TOY))
    _refused(tmp_path, {**files, "evil.py": b"print(1)"}, "unexpected file 'evil.py'")
    config = json.loads(files["config.json"])
    _refused(tmp_path, {**files, "config.json": json.dumps({**config, "kind": "shell"}).encode()}, "unknown run kind")
    _refused(tmp_path, {k: v for k, v in files.items() if k != "config.json"}, "no config.json")
    _refused(tmp_path, {k: v for k, v in files.items() if k != "vectors.npy"}, "needs vectors.npy")
    _refused(tmp_path, files, "above the limit", limit=100)
    vocab = files["vocab.tsv"] + b"extra\t1\n"
    _refused(tmp_path, {**files, "vocab.tsv": vocab}, "vocab.tsv: 5 rows but vectors.npy has 4")
    pickled = io.BytesIO()
    np.save(pickled, np.array([{"a": 1}], dtype=object), allow_pickle=True)
    _refused(tmp_path, {**files, "vectors.npy": pickled.getvalue()}, "vectors.npy: holds object values, expected numbers")
    nan = io.BytesIO()
    np.save(nan, np.full((4, 3), np.nan, dtype=np.float32))
    _refused(tmp_path, {**files, "vectors.npy": nan.getvalue()}, "NaN")


def test_not_a_zip(tmp_path: Path) -> None:
    path = tmp_path / "x.zip"
    path.write_bytes(b"hello")
    with pytest.raises(ExplorerError, match="not a zip file"):
        manage.unpack_run_zip(path, tmp_path / "out", MB)


def test_exports_load_back(tmp_path: Path) -> None:
    from gensim.models import KeyedVectors

    run = load_run(words_run(tmp_path / "r1", **TOY))
    for fmt, binary in (("word2vec_text", False), ("word2vec_binary", True)):
        name, _ = manage.export_file_name(run, fmt)
        path = tmp_path / name
        path.write_bytes(manage.export_bytes(run, fmt))
        kv = KeyedVectors.load_word2vec_format(str(path), binary=binary)
        assert kv.index_to_key == run.tokens
        np.testing.assert_allclose(kv.vectors, run.vectors)
    with zipfile.ZipFile(io.BytesIO(manage.export_bytes(run, "projector"))) as zf:
        assert sorted(zf.namelist()) == ["metadata.tsv", "vectors.tsv"]
        assert zf.read("metadata.tsv").decode("utf-8").splitlines()[1] == "cat\t5\tanimal"
        assert len(zf.read("vectors.tsv").decode("utf-8").splitlines()) == 4
    with pytest.raises(ExplorerError, match="format"):
        manage.export_bytes(run, "pickle")
