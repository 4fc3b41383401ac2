"""explorer.recsys.evaluation: a finished run's test metrics recomputed at another cut-off K."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from explorer.errors import ExplorerError
from explorer.kinds import UserItemConfig
from explorer.recsys.evaluation import test_metrics_at_k as metrics_at_k
from tests.support.runs import words_run


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real user-item run trained for one epoch on a 12-user log (a second or two)."""
    from explorer.kinds import TrainingSpec, UserItemData
    from explorer.training.useritem import train_useritem_run

    base = tmp_path_factory.mktemp("useritem")
    rng = np.random.default_rng(0)
    rows = ["user,item,timestamp"]
    for u in range(12):
        for t, i in enumerate(rng.choice(8, size=5, replace=False)):
            rows.append(f"u{u},i{i},{t}")
    log = base / "log.csv"
    log.write_text("\n".join(rows) + "\n", encoding="utf-8")
    spec = TrainingSpec("useritem", UserItemData(interactions=str(log)), UserItemConfig(dim=4, epochs=1, batch_size=16))
    return train_useritem_run(spec, base / "run")


def test_k10_reproduces_the_stored_test_metrics(tiny_run: Path) -> None:
    stored = json.loads((tiny_run / "metrics.json").read_text(encoding="utf-8"))["test"]
    again = metrics_at_k(tiny_run, 10)
    for protocol in ("full", "sampled"):
        for who in ("model", "popularity"):
            for name in ("HR@10", "NDCG@10", "MRR"):
                assert again[protocol][who][name] == pytest.approx(stored[protocol][who][name])


def test_hits_grow_with_k_and_mrr_does_not_depend_on_k(tiny_run: Path) -> None:
    one, three = metrics_at_k(tiny_run, 1)["full"]["model"], metrics_at_k(tiny_run, 3)["full"]["model"]
    assert one["HR@1"] <= three["HR@3"] <= 1.0
    assert one["MRR"] == pytest.approx(three["MRR"])
    assert one["NDCG@1"] == pytest.approx(one["HR@1"])  # one relevant item: a hit at rank 1 scores 1


def test_bad_k_and_wrong_kind(tiny_run: Path, tmp_path: Path) -> None:
    with pytest.raises(ExplorerError, match="k"):
        metrics_at_k(tiny_run, 0)
    words_run(tmp_path / "sg", ["a", "b", "c"], np.eye(3), config={})
    with pytest.raises(ExplorerError, match="not a user-item run"):
        metrics_at_k(tmp_path / "sg", 5)
