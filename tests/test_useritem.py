"""The dot-product model, its trainer, the run directory and recommending from it."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import torch

from explorer.analysis.neighbors import NeighborIndex
from explorer.configs import to_dict
from explorer.errors import ExplorerError, TrainingStopped
from explorer.kinds import UserItemConfig
from explorer.progress import Progress
from explorer.recsys.evaluation import evaluate_run
from explorer.recsys.interactions import from_arrays, read_interactions
from explorer.recsys.ranking import evaluate_all, leave_latest_out
from explorer.recsys.recommend import recommend, user_history
from explorer.runs import load_run
from explorer.runs.logged import load_logged
from explorer.samples.interactions import simulate_log, write_sample_interactions
from explorer.training import run_training
from explorer.training.useritem import NegativeSampler, fit, prepare
from models.user_item import (
    DotProductRecommender,
    bce_loss,
    bpr_loss,
    observed_negative_gradients,
    observed_negative_loss,
    pair_gradients,
)


def _small(seed: int = 0):
    """A tiny log with strong planted taste: 80 users, 60 items in 4 genres."""
    sim = simulate_log(80, 60, 1600, 4, latent_dim=8, genre_weight=0.9, taste_strength=8.0, pop_sigma=0.8,
                       min_per_user=8, balanced_genres=True, seed=seed)
    return from_arrays(sim.users, sim.items, sim.timestamps)


def test_model_scores_are_dot_plus_bias_and_losses_match_formulas() -> None:
    model = DotProductRecommender(3, 4, 2)
    with torch.no_grad():
        model.users.weight.copy_(torch.tensor([[1.0, 0.0], [0.0, 2.0], [1.0, 1.0]]))
        model.items.weight.copy_(torch.tensor([[1.0, 1.0], [2.0, 0.0], [0.0, 0.0], [-1.0, 3.0]]))
        model.item_bias.weight.copy_(torch.tensor([[0.5], [0.0], [-1.0], [0.0]]))
    got = model(torch.tensor([0, 1, 2]), torch.tensor([0, 3, 1]))
    assert got.tolist() == [1.5, 6.0, 2.0]
    pos, neg, sq = model.score_pairs(torch.tensor([0]), torch.tensor([0]), torch.tensor([[1, 2]]))
    assert pos.tolist() == [1.5] and neg.tolist() == [[2.0, -1.0]]
    assert float(sq.detach()) == pytest.approx(1 + 2 + 4 + 0)
    p, n = torch.tensor([0.0]), torch.tensor([[0.0, 0.0]])
    assert float(bce_loss(p, n)) == pytest.approx(np.log(2))
    assert float(bpr_loss(torch.tensor([2.0]), torch.tensor([[0.0]]))) == pytest.approx(np.log1p(np.exp(-2)))


@pytest.mark.parametrize("loss", ["bce", "bpr"])
def test_closed_form_gradients_match_autograd(loss: str) -> None:
    g = torch.Generator().manual_seed(0)
    u, vp, vn = torch.randn(5, 3, generator=g), torch.randn(5, 3, generator=g), torch.randn(5, 2, 3, generator=g)
    bp, bn = torch.randn(5, generator=g), torch.randn(5, 2, generator=g)
    leaves = [t.clone().requires_grad_() for t in (u, vp, vn, bp, bn)]
    lu, lvp, lvn, lbp, lbn = leaves
    pos = (lu * lvp).sum(-1) + lbp
    neg = torch.einsum("bd,bkd->bk", lu, lvn) + lbn
    value = (bce_loss if loss == "bce" else bpr_loss)(pos, neg)
    total = value + 0.3 * (lu.pow(2).sum() + lvp.pow(2).sum() + lvn.pow(2).sum()) / 5
    total.backward()
    got = pair_gradients(u, vp, vn, bp, bn, loss, weight_decay=0.3)
    assert float(got[0]) == pytest.approx(float(value.detach()))
    for mine, leaf in zip(got[1:], leaves, strict=True):
        torch.testing.assert_close(mine, leaf.grad)
    ou, ov, ob = (t.clone().requires_grad_() for t in (u, vp, bp))
    (observed_negative_loss((ou * ov).sum(-1) + ob) * 0.5).backward()
    _, du, dv, db = observed_negative_gradients(u, vp, bp, scale=0.5 / 5)
    torch.testing.assert_close(du, ou.grad)
    torch.testing.assert_close(dv, ov.grad)
    torch.testing.assert_close(db, ob.grad)


def test_negative_sampler_avoids_positives() -> None:
    n_items = 10
    keys = np.array(sorted([0 * n_items + i for i in range(8)] + [1 * n_items + 3]))
    sampler = NegativeSampler(keys, n_items, None, np.random.default_rng(0))
    negs = sampler.sample(np.array([0] * 50 + [1] * 50), 4)
    assert set(negs[:50].ravel().tolist()) <= {8, 9}
    assert 3 not in negs[50:] and len(set(negs[50:].ravel().tolist())) == 9
    pop = NegativeSampler(keys, n_items, np.array([1.0] * 9 + [1000.0]), np.random.default_rng(0))
    assert (pop.sample(np.array([1] * 200), 1) == 9).mean() > 0.9


def test_loss_decreases_for_both_objectives() -> None:
    inter = _small()
    split, _, _ = prepare(inter)
    for loss in ("bce", "bpr"):
        res = fit(inter, split, UserItemConfig(dim=8, epochs=6, loss=loss, lr=0.02, batch_size=256))
        assert res.loss_per_epoch[-1] < 0.8 * res.loss_per_epoch[0], (loss, res.loss_per_epoch)


@pytest.mark.slow
def test_planted_structure_is_recovered_well_above_popularity(tmp_path: Path) -> None:
    log, _ = write_sample_interactions(tmp_path)
    inter = read_interactions(log)
    split, validation, test = prepare(inter)
    res = fit(inter, split, UserItemConfig(epochs=8), validation=validation)
    metrics = evaluate_all(res.users, res.items, res.item_bias, inter, split, test)
    model, pop = metrics["sampled"]["model"], metrics["sampled"]["popularity"]
    assert model["HR@10"] > pop["HR@10"] + 0.2, (model, pop)
    assert metrics["full"]["model"]["NDCG@10"] > 2 * metrics["full"]["popularity"]["NDCG@10"]
    curve = [v["sampled"]["HR@10"] for v in res.validation_per_epoch]
    assert len(curve) == 8 and curve[-1] > curve[0]


def test_training_is_reproducible_and_reports_progress() -> None:
    inter = _small()
    split, validation, _ = prepare(inter)
    reports: list[Progress] = []
    cfg = UserItemConfig(dim=8, epochs=3, batch_size=128)
    a = fit(inter, split, cfg, reports.append, validation)
    b = fit(inter, split, cfg)
    np.testing.assert_array_equal(a.users, b.users)
    np.testing.assert_array_equal(a.item_bias, b.item_bias)
    ends = [r for r in reports if r.metrics]
    assert [r.epoch for r in ends] == [1, 2, 3] and set(ends[0].metrics) == {"HR@10", "NDCG@10"}
    assert all(r.stage == "train" and r.epochs == 3 and r.rate > 0 for r in reports)
    assert reports[-1].progress == pytest.approx(1.0)


def test_callback_stop_raises_and_writes_nothing(tmp_path: Path) -> None:
    log, _ = write_sample_interactions(tmp_path)
    spec = {"kind": "useritem", "data": {"interactions": str(log), "items": None, "columns": {}},
            "config": to_dict(UserItemConfig(epochs=3))}
    with pytest.raises(TrainingStopped):
        run_training(spec, tmp_path / "run", lambda p: p.stage == "train")
    assert not (tmp_path / "run").exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_divergence_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    # the bounds now refuse lr > 10; the NaN check behind them still names the cause
    monkeypatch.setattr(UserItemConfig, "validate", lambda self: self)
    inter = _small()
    split, _, _ = prepare(inter)
    with pytest.raises(ExplorerError, match="diverged .* lower --lr"):
        fit(inter, split, UserItemConfig(dim=4, epochs=2, lr=1e30))


@pytest.fixture(scope="module")
def sample_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("useritem")
    log, items = write_sample_interactions(tmp)
    spec = {"kind": "useritem", "name": "sample",
            "data": {"interactions": str(log), "items": str(items), "columns": {}},
            "config": to_dict(UserItemConfig(epochs=4))}
    return run_training(spec, tmp / "run")


@pytest.mark.slow
def test_run_directory_files(sample_run: Path) -> None:
    run = load_run(sample_run)
    assert run.kind == "useritem" and run.hyper["epochs"] == 4
    assert run.users.shape == (600, 32) and run.items.shape == (400, 32) and run.item_bias.dtype == np.float32
    assert (sample_run / "users.tsv").read_text().splitlines()[0] == "user"
    assert run.item_table[0] == ["item", "title", "genre"]
    assert len(run.labels) == 400 and set(run.labels.values()) >= {"Sci-Fi", "Horror"}
    assert run.counts.sum() == 18_000 and run.counts.dtype == np.int64
    metrics = json.loads((sample_run / "metrics.json").read_text())
    assert len(metrics["loss_per_epoch"]) == 4 and len(metrics["validation_per_epoch"]) == 4
    for protocol in ("full", "sampled"):
        assert metrics["test"][protocol]["model"]["protocol"] == protocol
        assert metrics["test"][protocol]["popularity"]["protocol"] == protocol
    assert metrics["split"]["test"] == 600 and metrics["interactions_per_second"] > 0
    inter, split, negatives = load_logged(sample_run)
    assert len(inter) == 18_000 and negatives["test"].shape == (600, 99)


def test_evaluate_run_recomputes_the_saved_test_metrics(sample_run: Path) -> None:
    saved = json.loads((sample_run / "metrics.json").read_text())["test"]
    again = evaluate_run(load_run(sample_run))
    assert again["split"]["method"] == "leave-latest-out (latest by timestamp)"
    for protocol in ("full", "sampled"):
        for name in ("model", "popularity"):
            assert again["test"][protocol][name]["HR@10"] == pytest.approx(saved[protocol][name]["HR@10"])
            assert again["test"][protocol][name]["NDCG@10"] == pytest.approx(saved[protocol][name]["NDCG@10"])


def test_recommend_ranks_unseen_items_by_dot_plus_bias(sample_run: Path) -> None:
    run = load_run(sample_run)
    user = run.user_ids[5]
    recs = recommend(run, user, k=10)
    seen, labels = user_history(run, user)
    u = run.user_ids.index(user)
    scores = np.asarray(run.items) @ np.asarray(run.users[u]) + np.asarray(run.item_bias)
    scores[seen] = -np.inf
    assert [r["item"] for r in recs] == [run.item_ids[i] for i in np.argsort(-scores, kind="stable")[:10]]
    past = {run.item_ids[i] for i in seen[labels > 0]}
    for r in recs:
        assert r["score"] == pytest.approx(r["dot"] + r["bias"], abs=1e-5)
        assert r["title"] and len(r["because"]) == 3
        assert all(item in past for item, _ in r["because"])
        sims = [s for _, s in r["because"]]
        assert sims == sorted(sims, reverse=True)
    with pytest.raises(ExplorerError, match="user 'nobody' is not in this run"):
        recommend(run, "nobody")


def test_neighbours_share_the_planted_genre(sample_run: Path) -> None:
    run = load_run(sample_run)
    item = run.item_ids[0]
    near, _ = NeighborIndex(np.asarray(run.items)).query(0, 5, "cosine", exclude=[0])  # as Explore finds them
    assert 0 not in near and len(near) == 5
    same = np.mean([run.labels[run.item_ids[j]] == run.labels[item] for j in near])
    assert same >= 0.6


def test_observed_negatives_are_pushed_down_by_bce() -> None:
    # items 2 and 3 are liked alike by users 0-9; users 10-29 were shown item 2 and did not click
    # (label 0) and never saw item 3. Everyone likes items 0 and 1.
    u, i, y = [], [], []
    for user in range(30):
        u += [user, user]
        i += [0, 1]
        y += [1, 1]
        if user < 10:
            u += [user, user]
            i += [2, 3]
            y += [1, 1]
        else:
            u.append(user)
            i.append(2)
            y.append(0)
    inter = from_arrays(np.array(u), np.array(i), labels=np.array(y))
    split = leave_latest_out(inter, validation=False)
    res = fit(inter, split, UserItemConfig(dim=4, epochs=40, lr=0.05, negatives=1, batch_size=16))
    scores = res.users @ res.items.T + res.item_bias
    shown, unseen = inter.item_ids.index("2"), inter.item_ids.index("3")
    assert scores[10:, shown].mean() < scores[10:, unseen].mean() - 0.5
