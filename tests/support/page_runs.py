"""Runs with known contents that several page-test modules open (built with :mod:`tests.support.runs`).

* :func:`planted_words_run`: a Skip-gram run whose 24 words sit in three planted clusters (labels = the clusters);
* :func:`recsys_run`: a user-item run whose metrics.json has the layout user-item training writes;
* :func:`workspace_with`: a new workspace holding one of each asked kind;
* :func:`tiny_useritem_run`: 4 users and 5 titled items in 2D with known recommendations.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from explorer.jobs import workspaces
from tests.support.runs import new_run_path, useritem_run, words_run

# three planted clusters, 8 words each, far apart in 6 dimensions (labels = the clusters)
CLUSTERS = {
    "animals": ["cat", "dog", "horse", "cow", "sheep", "猫", "狗", "马"],
    "fruit": ["apple", "banana", "grape", "pear", "peach", "苹果", "香蕉", "葡萄"],
    "vehicles": ["car", "bus", "train", "bike", "plane", "汽车", "火车", "飞机"],
}


def planted_vectors(seed: int = 0) -> tuple[np.ndarray, list[str], dict[str, str]]:
    """(vectors, tokens, labels) of the three planted clusters."""
    rng = np.random.default_rng(seed)
    centres = np.eye(6, dtype=np.float32)[:3] * 4.0
    tokens, rows, labels = [], [], {}
    for centre, (label, words) in zip(centres, CLUSTERS.items(), strict=True):
        for word in words:
            tokens.append(word)
            rows.append(centre + rng.normal(0, 0.3, 6).astype(np.float32))
            labels[word] = label
    return np.stack(rows).astype(np.float32), tokens, labels


def planted_words_run(path: Path, name: str = "planted", seed: int = 0) -> Path:
    vectors, tokens, labels = planted_vectors(seed)
    return words_run(path, tokens, vectors, counts=list(range(100, 100 - len(tokens), -1)), labels=labels,
                     config={"dim": 6, "window": 5, "epochs": 2}, data={"corpus": "planted.txt"}, name=name,
                     metrics={"loss_per_epoch": [2.0, 1.25], "seconds": 3.0})


def ranking(hr: float, ndcg: float, mrr: float, protocol: str) -> dict:
    out = {"protocol": protocol, "description": "…", "k": 10, "users": 5, "HR@10": hr, "NDCG@10": ndcg,
           "Recall@10": hr, "MRR": mrr}
    return out | ({"negatives": 99} if protocol == "sampled" else {})


def recsys_run(path: Path, name: str = "recsys") -> Path:
    """A tiny user-item run (5 users, 6 items); metrics.json laid out as explorer.training.useritem writes it."""
    rng = np.random.default_rng(1)
    return useritem_run(
        path, rng.normal(size=(5, 4)), rng.normal(size=(6, 4)),
        item_columns={"genre": ["drama" if i % 2 else "comedy" for i in range(6)]},
        config={"dim": 4, "epochs": 2, "loss": "bce"}, data={"interactions": "log.csv"}, name=name, metrics={
            "loss": "bce", "loss_per_epoch": [0.69, 0.52],
            "validation_per_epoch": [
                {"epoch": e, "sampled": {"protocol": "sampled", "negatives": 99, "users": 5, "HR@10": h, "NDCG@10": n},
                 "full": {"protocol": "full", "users": 5, "HR@10": h / 2, "NDCG@10": n / 2}}
                for e, h, n in ((1, 0.2, 0.1), (2, 0.4, 0.25))],
            "test": {"full": {"model": ranking(0.345, 0.2, 0.15, "full"),
                              "popularity": ranking(0.123, 0.08, 0.07, "full")},
                     "sampled": {"model": ranking(0.6, 0.4, 0.3, "sampled"),
                                 "popularity": ranking(0.5, 0.3, 0.2, "sampled")}},
            "split": {"method": "leave-latest-out (latest by timestamp)", "seed": 0, "train": 20, "validation": 5,
                      "test": 5},
            "seconds": 1.0,
        })


def workspace_with(*kinds: str) -> tuple[str, dict[str, Path]]:
    """A new workspace with a :func:`planted_words_run` ("skipgram") and/or a :func:`recsys_run` ("useritem")."""
    token = workspaces.new_token()
    made = {}
    for kind in kinds:
        path = new_run_path(token)
        made[kind] = planted_words_run(path) if kind == "skipgram" else recsys_run(path)
    return token, made


def tiny_useritem_run(path: Path) -> Path:
    """4 users, 5 items in 2D; user u0 = [1, 0] has seen i0; item i4 ("Drama|Comedy") gets a bias of 0.6."""
    genres = ["Drama", "Drama", "Comedy", "Horror", "Drama|Comedy"]
    return useritem_run(
        path, [[1, 0], [0, 1], [-1, 0], [0.7, 0.7]], [[1, 0], [0.9, 0.1], [0, 1], [-1, 0], [0.5, 0]],
        item_columns={"title": ["Item Zero", "Item One", "Item Two", "Item Three", "Item Four"], "genre": genres},
        item_bias=[0, 0, 0, 0, 0.6], item_counts=[5, 4, 3, 2, 9],
        interactions={"user": np.array([0, 1, 2, 3], np.int32), "item": np.array([0, 2, 3, 1], np.int32),
                      "label": np.ones(4, np.float32)},
        labels={f"i{i}": g.split("|")[0] for i, g in enumerate(genres)},
        data={"interactions": "log.csv"}, name="tiny log")
