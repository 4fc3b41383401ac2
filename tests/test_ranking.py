"""Ranking metrics on hand-worked rankings, both protocols, the split and the popularity baseline."""

from __future__ import annotations

import math

import numpy as np
import pytest

from explorer.recsys.interactions import from_arrays
from explorer.recsys.ranking import (
    Heldout,
    evaluate,
    evaluate_all,
    heldout_set,
    leave_latest_out,
    popularity_model,
    rank_metrics,
    sample_negatives,
)

# 1-d model over 6 items: user 0 scores items 5,4,3,2,1,0; user 1 scores them -5..0
USERS = np.array([[1.0], [-1.0]], np.float32)
ITEMS = np.array([[5.0], [4.0], [3.0], [2.0], [1.0], [0.0]], np.float32)


def _heldout() -> Heldout:
    # A: user 0, target item 3 (score 2), item 0 already seen -> beaten by items 1 and 2 (rank 2)
    # B: user 1, target item 4 (score -1), item 5 already seen -> first (rank 0)
    return Heldout(
        users=np.array([0, 1]), targets=np.array([3, 4]),
        exclude=np.array([0, 5]), exclude_ptr=np.array([0, 1, 2]),
        negatives=np.array([[0, 5], [3, -1]]),  # A: scores 5, 0 -> rank 1; B: score -2 -> rank 0
    )


def test_rank_metrics_hand_worked() -> None:
    got = rank_metrics(np.array([0, 2, 10, 9]), np.array([0, 0, 0, 1]), k=10)
    np.testing.assert_allclose(got["hit"], [1, 1, 0, 0.5])
    np.testing.assert_allclose(got["ndcg"], [1, 0.5, 0, 0.5 / math.log2(11)])
    np.testing.assert_allclose(got["rr"], [1, 1 / 3, 1 / 11, (1 / 10 + 1 / 11) / 2])


def test_full_protocol_hand_worked() -> None:
    res = evaluate(USERS, ITEMS, None, _heldout(), "full", k=3)
    assert res["protocol"] == "full" and res["users"] == 2 and "negatives" not in res
    assert res["HR@3"] == pytest.approx(1.0)
    assert res["NDCG@3"] == pytest.approx((0.5 + 1) / 2)
    assert res["MRR"] == pytest.approx((1 / 3 + 1) / 2)
    assert res["Recall@3"] == res["HR@3"]  # one held-out item per user
    res = evaluate(USERS, ITEMS, None, _heldout(), "full", k=1)
    assert res["HR@1"] == pytest.approx(0.5) and res["NDCG@1"] == pytest.approx(0.5)


def test_sampled_protocol_hand_worked() -> None:
    res = evaluate(USERS, ITEMS, None, _heldout(), "sampled", k=3)
    assert res["protocol"] == "sampled" and res["negatives"] == 2
    assert res["HR@3"] == pytest.approx(1.0)
    assert res["NDCG@3"] == pytest.approx((1 / math.log2(3) + 1) / 2)
    assert res["MRR"] == pytest.approx((1 / 2 + 1) / 2)
    assert evaluate(USERS, ITEMS, None, _heldout(), "sampled", k=1)["HR@1"] == pytest.approx(0.5)


def test_ties_count_in_expectation() -> None:
    # popularity-like model: item biases 2,2,2,1,0,0, zero vectors; user 0 holds out item 1 (bias 2)
    held = Heldout(np.array([0]), np.array([1]), np.zeros(0, np.int64), np.array([0, 0]), np.array([[0, 2, 3]]))
    bias = np.array([2, 2, 2, 1, 0, 0], np.float32)
    zeros_u, zeros_i = np.zeros((2, 1), np.float32), np.zeros((6, 1), np.float32)
    full = evaluate(zeros_u, zeros_i, bias, held, "full", k=2)  # tied with items 0 and 2: rank 0, 1 or 2
    assert full["HR@2"] == pytest.approx(2 / 3)
    assert full["NDCG@2"] == pytest.approx((1 + 1 / math.log2(3)) / 3)
    assert full["MRR"] == pytest.approx((1 + 1 / 2 + 1 / 3) / 3)
    sampled = evaluate(zeros_u, zeros_i, bias, held, "sampled", k=1)  # same candidates but 4 and 5
    assert sampled["HR@1"] == pytest.approx(1 / 3)


def _log():
    # user 1: x t3, y t1, z t2, w t5 observed negative; user 2: x t1, y t2; user 3: x only
    users = np.array([1, 1, 1, 1, 2, 2, 3])
    items = np.array([10, 11, 12, 13, 10, 11, 10])
    times = np.array([3, 1, 2, 5, 1, 2, 9], float)
    labels = np.array([1, 1, 1, 0, 1, 1, 1])
    return from_arrays(users, items, times, labels)


def _role(inter, split, user: str, item: str) -> int:
    for k in range(len(inter)):
        if inter.user_ids[inter.users[k]] == user and inter.item_ids[inter.items[k]] == item:
            return int(split.role[k])
    raise KeyError((user, item))


def test_leave_latest_out_by_timestamp() -> None:
    inter = _log()
    split = leave_latest_out(inter)
    assert split.method == "latest by timestamp"
    assert _role(inter, split, "1", "10") == 2  # latest positive (the later negative stays in training)
    assert _role(inter, split, "1", "12") == 1  # next latest: validation
    assert _role(inter, split, "1", "11") == 0 and _role(inter, split, "1", "13") == 0
    assert _role(inter, split, "2", "11") == 2 and _role(inter, split, "2", "10") == 0  # two: no validation
    assert _role(inter, split, "3", "10") == 0  # a single positive always trains
    assert split.rows("test").tolist() == sorted(split.rows("test").tolist())


def test_random_split_without_timestamps_is_seeded() -> None:
    users = np.repeat(np.arange(20), 5)
    items = np.tile(np.arange(5), 20)
    inter = from_arrays(users, items)
    a, b = leave_latest_out(inter, seed=3), leave_latest_out(inter, seed=3)
    assert a.method == "random (no timestamps)"
    np.testing.assert_array_equal(a.role, b.role)
    assert not np.array_equal(a.role, leave_latest_out(inter, seed=4).role)
    per_user_test = np.bincount(inter.users[a.role == 2], minlength=20)
    assert (per_user_test == 1).all()
    assert len(set(inter.items[a.role == 2].tolist())) > 1  # not always the same item


def test_timestamp_ties_broken_by_seed() -> None:
    users = np.repeat(np.arange(30), 3)
    items = np.tile(np.arange(3), 30)
    times = np.tile([1.0, 2.0, 2.0], 30)  # items 1 and 2 tie for latest
    inter = from_arrays(users, items, times)
    split = leave_latest_out(inter, seed=0)
    test_items = inter.items[split.role == 2]
    assert set(test_items.tolist()) == {1, 2}
    assert (inter.items[split.role == 0] == 0).all()


def test_heldout_set_excludes_other_seen_items_and_samples_unseen() -> None:
    inter = _log()
    split = leave_latest_out(inter)
    held = heldout_set(inter, split, "test", n_negatives=3, seed=0)
    assert len(held) == 2
    u1 = inter.user_ids.index("1")
    row = held.users.tolist().index(u1)
    excluded = held.exclude[held.exclude_ptr[row]:held.exclude_ptr[row + 1]]
    assert sorted(inter.item_ids[i] for i in excluded) == ["11", "12", "13"]  # not the target 10
    assert held.negatives[row].tolist() == [-1, -1, -1]  # user 1 has seen every item
    u2 = inter.user_ids.index("2")
    negs = held.negatives[held.users.tolist().index(u2)]
    assert sorted(inter.item_ids[i] for i in negs if i >= 0) == ["12", "13"]


def test_sample_negatives_never_returns_seen_items() -> None:
    n_items = 50
    rng = np.random.default_rng(0)
    seen = {u: set(rng.choice(n_items, size=10 + 3 * u, replace=False).tolist()) for u in range(12)}
    keys = np.array(sorted(u * n_items + i for u, items in seen.items() for i in items))
    users = np.arange(12)
    negs = sample_negatives(keys, users, n_items, 20, seed=1)
    for u in users:
        row = negs[u][negs[u] >= 0].tolist()
        assert len(row) == min(20, n_items - len(seen[u])) and len(set(row)) == len(row)
        assert not set(row) & seen[u]
    np.testing.assert_array_equal(negs, sample_negatives(keys, users, n_items, 20, seed=1))


def test_popularity_baseline_counts_training_positives_only() -> None:
    inter = _log()
    split = leave_latest_out(inter)
    _, _, counts = popularity_model(inter, split)
    # training positives: user 1 item 11, user 2 item 10, user 3 item 10 (13 is an observed negative)
    assert dict(zip(inter.item_ids, counts.tolist(), strict=True)) == {"10": 2, "11": 1, "12": 0, "13": 0}


def test_evaluate_all_names_both_protocols_and_the_baseline() -> None:
    inter = _log()
    split = leave_latest_out(inter)
    held = heldout_set(inter, split, "test", n_negatives=2, seed=0)
    res = evaluate_all(np.ones((3, 2), np.float32), np.ones((4, 2), np.float32), None, inter, split, held, k=2)
    assert set(res) == {"full", "sampled"}
    for protocol in ("full", "sampled"):
        assert set(res[protocol]) == {"model", "popularity"}
        for name in ("model", "popularity"):
            assert res[protocol][name]["protocol"] == protocol
            assert {"HR@2", "NDCG@2", "Recall@2", "MRR"} <= set(res[protocol][name])


def test_heldout_subset_keeps_each_instance_whole() -> None:
    held = Heldout(users=np.array([0, 1, 2]), targets=np.array([5, 6, 7]), exclude=np.array([1, 2, 3, 4, 8]),
                   exclude_ptr=np.array([0, 2, 2, 5]), negatives=np.array([[9], [10], [11]]))
    sub = held.subset(np.array([0, 2]))
    assert sub.users.tolist() == [0, 2] and sub.targets.tolist() == [5, 7]
    assert sub.exclude.tolist() == [1, 2, 3, 4, 8] and sub.exclude_ptr.tolist() == [0, 2, 5]
    assert sub.negatives.tolist() == [[9], [11]]
    one = held.subset(np.array([2]))
    assert one.exclude.tolist() == [3, 4, 8] and one.exclude_ptr.tolist() == [0, 3]
