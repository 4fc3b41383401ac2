"""``encode`` then ``search`` on a tiny CSV (E5, offline), the run's files, and a cancelled encoding that leaves nothing."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from explorer.cli import main
from explorer.errors import TrainingStopped

DOCS = """id,title,label,text
a,Cats,animals,"The cat is sleeping on the sofa, purring."
b,Rain,weather,It rained heavily all night and the streets flooded.
c,面条,food,这家餐馆的面条很好吃。
d,Football,sport,Our team won the football match on Sunday.
e,,weather,明天晴朗温暖。
"""


@pytest.mark.slow
def test_encode_then_search_round_trip(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    docs = tmp_path / "docs.csv"
    docs.write_text(DOCS, encoding="utf-8")
    out = tmp_path / "runs" / "e5"
    assert main(["encode", "--documents", str(docs), "--out", str(out), "--text-column", "text",
                 "--label-column", "label"]) == 0
    vectors = np.load(out / "doc_vectors.npy", allow_pickle=False)
    assert vectors.dtype == np.float32 and vectors.shape == (5, 384)
    lines = (out / "docs.tsv").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "id\ttitle\tlabel\ttext" and [ln.split("\t")[0] for ln in lines[1:]] == list("abcde")
    assert lines[3].split("\t")[2:] == ["food", "这家餐馆的面条很好吃。"]
    metrics = json.loads((out / "metrics.json").read_text(encoding="utf-8"))
    assert metrics["n_documents"] == 5 and metrics["encoder"] == "e5" and metrics["documents_per_s"] > 0
    config = json.loads((out / "config.json").read_text(encoding="utf-8"))
    assert config["kind"] == "encoder" and config["config"]["encoder"] == "e5"
    capsys.readouterr()
    assert main(["search", str(out), "where can I eat good noodles?", "-k", "2"]) == 0
    rows = [ln.split("\t") for ln in capsys.readouterr().out.splitlines()]
    assert [r[0] for r in rows] == ["1", "2"] and rows[0][2] == "c" and float(rows[0][1]) > float(rows[1][1])
    assert main(["search", str(out), "下雨天气", "-k", "5"]) == 0
    rows = [ln.split("\t") for ln in capsys.readouterr().out.splitlines()]
    assert rows[0][2] in ("b", "e") and len(rows) == 5
    assert main(["infer", str(out), "a sleeping cat"]) == 0
    vec = json.loads(capsys.readouterr().out)
    assert len(vec) == 384 and int(np.argmax(vectors @ np.asarray(vec))) == 0


@pytest.mark.slow
def test_a_cancelled_encoding_writes_nothing_and_progress_comes_every_batch(tmp_path: Path) -> None:
    import time

    from explorer.kinds import spec_from_dict
    from explorer.training import run_training

    docs = tmp_path / "docs.txt"
    docs.write_text("\n".join(f"sentence number {i} about topic {i % 7}" for i in range(400)) + "\n", encoding="utf-8")
    spec = spec_from_dict({"kind": "encoder", "data": {"documents": str(docs)}, "config": {}})
    times: list[float] = []

    def callback(p) -> bool:  # type: ignore[no-untyped-def]
        if p.stage == "train":
            times.append(time.perf_counter())
        return len(times) >= 4

    out = tmp_path / "run"
    with pytest.raises(TrainingStopped):
        run_training(spec, out, callback)
    assert len(times) == 4 and max(np.diff(times)) < 2.0
    assert not out.exists() or not any(out.iterdir())
