"""Frames (plan, capture in both trainers, files, alignment, the ``frames`` command, the live frame) and the
lesson's maths (pairs of a typed sentence, one pair's loss against the trainer's, BCE numbers)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest
import torch

from explorer.analysis.frames import align, align_frames, procrustes_rotation, project_frames
from explorer.analysis.projection import project
from explorer.cli import main
from explorer.configs import CorpusConfig, to_dict
from explorer.kinds import SkipGramConfig, UserItemConfig, spec_from_dict
from explorer.lesson import objective as obj
from explorer.lesson.recommend_steps import score_numbers
from explorer.lesson.text_steps import sentence_pairs
from explorer.progress import Progress
from explorer.runs.frames import live_frame_path, read_frames, read_live_frame
from explorer.text.pairs import skipgram_pairs
from explorer.training.frames import FRAME_BYTES_BUDGET, MAX_FRAME_ROWS, plan_frames
from explorer.training.skipgram import train_skipgram, train_skipgram_run
from models.skipgram import SkipGramNS
from models.user_item import bce_loss

# --------------------------------------------------------------------------- the lesson's maths


def test_pairs_of_a_typed_sentence_match_a_hand_worked_example() -> None:
    words = "the cat sat on the mat".split()
    # window 2; word2vec shrinks each centre's window: here the, cat, sat, on, the, mat get 2, 1, 2, 1, 1, 2
    pairs = [(p.centre, p.context) for p in sentence_pairs(words, 2, [2, 1, 2, 1, 1, 2])]
    assert pairs == [
        ("the", "cat"), ("the", "sat"),  # the (b=2): cat, sat
        ("cat", "the"), ("cat", "sat"),  # cat (b=1): the, sat
        ("sat", "the"), ("sat", "cat"), ("sat", "on"), ("sat", "the"),  # sat (b=2)
        ("on", "sat"), ("on", "the"),  # on (b=1)
        ("the", "on"), ("the", "mat"),  # the (b=1)
        ("mat", "on"), ("mat", "the"),  # mat (b=2)
    ]
    # the trainer's own pair generator gives the same pairs for the same windows
    index = {w: i for i, w in enumerate(dict.fromkeys(words))}
    ids = np.array([index[w] for w in words])
    c, o = skipgram_pairs(ids, np.array([0, len(ids)]), 2, np.random.default_rng(0),
                          reduced_windows=np.array([2, 1, 2, 1, 1, 2]))
    vocab = list(index)
    assert [(vocab[a], vocab[b]) for a, b in zip(c, o, strict=True)] == pairs


def test_one_pairs_loss_equals_the_trainers_loss_functions() -> None:
    rng = np.random.default_rng(1)
    w_in = rng.normal(0, 0.5, (12, 6)).astype(np.float32)
    w_out = rng.normal(0, 0.5, (12, 6)).astype(np.float32)
    negs = [3, 7, 9]
    b = obj.pair_breakdown(w_in[1], w_out[2], w_out[negs], lr=0.1)
    model = SkipGramNS(12, 6)
    with torch.no_grad():
        model.in_embed.weight.copy_(torch.from_numpy(w_in))
        model.out_embed.weight.copy_(torch.from_numpy(w_out))
        expected = float(model.pair_losses(torch.tensor([1]), torch.tensor([2]), torch.tensor([negs]))[0])
    assert b.loss == pytest.approx(expected, rel=1e-5)
    assert obj.trainer_loss(w_in, w_out, 1, 2, negs) == pytest.approx(b.loss, rel=1e-5)
    assert b.pos_term + b.neg_terms.sum() == pytest.approx(b.loss)
    # the step shown is the trainer's: autograd's gradient of the same loss
    u = torch.tensor(w_in[1], dtype=torch.float64, requires_grad=True)
    v = torch.tensor(w_out[2], dtype=torch.float64, requires_grad=True)
    n = torch.tensor(w_out[negs], dtype=torch.float64, requires_grad=True)
    loss = -torch.nn.functional.logsigmoid(u @ v) - torch.nn.functional.logsigmoid(-(n @ u)).sum()
    loss.backward()
    np.testing.assert_allclose(b.grad_u, u.grad.numpy(), rtol=1e-6)
    np.testing.assert_allclose(b.grad_v, v.grad.numpy(), rtol=1e-6)
    np.testing.assert_allclose(b.grad_n, n.grad.numpy(), rtol=1e-6)
    assert b.loss_after < b.loss


def test_click_numbers_equal_the_recommenders_bce() -> None:
    n = score_numbers(np.array([0.3, -1.2, 0.5]), np.array([1.0, 0.4, -0.2]), 0.25)
    s = torch.tensor([n["score"]], dtype=torch.float64)
    assert n["bce_click"] == pytest.approx(float(bce_loss(s, torch.zeros((1, 0), dtype=torch.float64))))
    assert n["bce_skip"] == pytest.approx(float(bce_loss(torch.zeros(0, dtype=torch.float64), s[None, :])))
    assert n["p_click"] == pytest.approx(float(torch.sigmoid(s)))


# --------------------------------------------------------------------------- alignment


def test_procrustes_alignment_recovers_a_known_rotation() -> None:
    rng = np.random.default_rng(0)
    target = rng.normal(size=(200, 10))
    q, _ = np.linalg.qr(rng.normal(size=(10, 10)))
    moved = target @ q + rng.normal(size=10)  # rotated (maybe reflected) and shifted
    r = procrustes_rotation(moved, target)
    np.testing.assert_allclose(r, q.T, atol=1e-8)
    np.testing.assert_allclose(align(moved, target), target, atol=1e-8)
    frames = np.stack([moved, target]).astype(np.float32)
    np.testing.assert_allclose(align_frames(frames)[0], target, atol=1e-4)


def test_projected_frames_end_at_the_pca_of_the_final_vectors() -> None:
    rng = np.random.default_rng(2)
    final = rng.normal(size=(60, 8)).astype(np.float32)
    q, _ = np.linalg.qr(rng.normal(size=(8, 8)))
    frames = np.stack([final @ q * 0.1, final @ q.T, final])
    xy = project_frames(frames)
    assert xy.shape == (3, 60, 2)
    np.testing.assert_allclose(xy[-1], project(final, "pca", 2), atol=1e-5)
    np.testing.assert_allclose(xy[1], xy[-1], atol=1e-4)  # only a rotation away: drawn in the same place


# --------------------------------------------------------------------------- plans and bounds


def frames_bytes(n_frames: int, n_rows: int, dim: int) -> int:
    """Bytes of ``frames.npy`` (without its header): float16 frames of at most MAX_FRAME_ROWS rows."""
    return n_frames * min(n_rows, MAX_FRAME_ROWS) * dim * 2


def test_frame_plan_keeps_each_epoch_and_big_models_stay_small() -> None:
    p = plan_frames(31, 5, 803, 100)
    assert p.n_frames == 31 and p.rows is None and p.limited_by == ""
    assert set(np.round(np.arange(1, 6) / 5, 6)) <= set(p.at.tolist()) and p.at[-1] == 1.0
    big = plan_frames(11, 10, 100_000, 100)  # a 100,000-word dim-100 model over 10 epochs
    assert big.n_frames == 11 and big.limited_by == "rows" and big.rows.size == 20_000
    assert frames_bytes(big.n_frames, 100_000, 100) < 500 * 2**20
    huge = plan_frames(200, 10, 100_000, 1000)
    assert huge.limited_by == "rows+bytes" and frames_bytes(huge.n_frames, 100_000, 1000) <= FRAME_BYTES_BUDGET


# --------------------------------------------------------------------------- capture in the trainers


def _corpus(path: Path) -> Path:
    rng = np.random.default_rng(0)
    names = [f"w{i}" for i in range(20)]
    lines = [" ".join(names[t * 10 + j] for j in rng.integers(0, 10, 8)) for t in rng.integers(0, 2, 300)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.slow
def test_skipgram_keeps_frames_and_the_frames_command_writes_them(tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture) -> None:
    spec = {"kind": "skipgram", "name": "t", "data": {"corpus": str(_corpus(tmp_path / "c.txt"))},
            "corpus_config": to_dict(CorpusConfig(lang="en")),
            "config": to_dict(SkipGramConfig(dim=8, epochs=3, frames=9, min_count=1, workers=1))}
    out = train_skipgram_run(spec_from_dict(spec), tmp_path / "run", lambda p: None)
    frames = read_frames(out)
    vectors = np.load(out / "vectors.npy")
    assert frames.vectors.shape == (10, 20, 8) and [m["epoch"] for m in frames.meta][:1] == [0]
    assert frames.meta[-1]["progress"] == 1.0 and sorted(m["progress"] for m in frames.meta) == [
        m["progress"] for m in frames.meta]
    np.testing.assert_allclose(frames.vectors[-1], vectors, atol=2e-3)  # float16
    assert (out / "context_vectors.npy").is_file()

    csv_path = tmp_path / "frames.csv"
    assert main(["frames", str(out), "--out", str(csv_path)]) == 0
    rows = list(csv.reader(csv_path.open(encoding="utf-8")))
    assert rows[0] == ["frame", "epoch", "label", "x", "y"] and len(rows) == 1 + 10 * 20
    last = np.array([[float(r[3]), float(r[4])] for r in rows[1:] if r[0] == "9"])
    np.testing.assert_allclose(last, project(vectors, "pca", 2), atol=1e-4)
    assert main(["frames", str(out), "--out", str(csv_path)]) == 2  # never overwrites

    spec["config"] = to_dict(SkipGramConfig(dim=8, epochs=1, min_count=1, workers=1))
    plain = train_skipgram_run(spec_from_dict(spec), tmp_path / "plain", lambda p: None)
    capsys.readouterr()
    assert main(["frames", str(plain), "--out", str(tmp_path / "none.csv")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "no frames" in err and err.count("\n") == 1


def test_frames_reach_the_callback_in_the_torch_trainer_too() -> None:
    rng = np.random.default_rng(0)
    ids = rng.integers(0, 15, 3000).astype(np.int32)
    seen: list[Progress] = []
    res = train_skipgram(ids, np.array([0, 3000]), np.bincount(ids, minlength=15),
                         SkipGramConfig(dim=4, epochs=2, frames=4, min_count=1), seen.append, backend="torch")
    assert len(res.frames.frames) == 5 and sum(p.frame is not None for p in seen) >= 3
    np.testing.assert_allclose(res.frames.frames[-1].astype(np.float32), res.vectors, atol=2e-3)


@pytest.mark.slow
def test_useritem_keeps_item_frames(tmp_path: Path) -> None:
    from explorer.samples.interactions import write_sample_interactions
    from explorer.training.useritem import train_useritem_run

    log, items = write_sample_interactions(tmp_path)
    out = train_useritem_run(spec_from_dict({"kind": "useritem", "data": {"interactions": str(log), "items": str(items)},
                                             "config": to_dict(UserItemConfig(dim=4, epochs=2, frames=4))}),
                             tmp_path / "run")
    frames = read_frames(out)
    n_items = np.load(out / "items.npy").shape[0]
    assert frames.vectors.shape == (5, n_items, 4) and frames.meta[-1]["epoch"] == 2
    np.testing.assert_allclose(frames.vectors[-1], np.load(out / "items.npy")[frames.rows], atol=2e-3)
    # the player names items by their titles (the probes are still chosen by id)
    from explorer.lesson.watch import player_data
    from explorer.runs import load_run

    run = load_run(out)
    assert run.item_titles and run.display_labels[0] != run.tokens[0]
    data = player_data(out, [run.tokens[0]], k=3)
    assert data.labels[data.probes[0]] == run.display_labels[0]
    assert set(data.labels) <= set(run.display_labels) and not set(data.labels) & (set(run.tokens) - set(run.display_labels))
    assert all(n in run.display_labels for n in data.neighbours[-1][0])


def test_the_worker_writes_a_running_jobs_latest_frame(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from explorer.jobs import execute as worker

    monkeypatch.setattr(worker.table, "report", lambda job_id, fields=None: True)
    monitor = worker.JobMonitor("0" * 20)
    monitor.run_path = tmp_path / "run1"
    frame = np.random.default_rng(0).normal(size=(50, 6)).astype(np.float16)
    monitor(Progress(stage="train", progress=0.4, epoch=2, epochs=5, loss=1.5, frame=frame))
    monitor._write_live_frame()
    live = read_live_frame(monitor.run_path)
    assert live is not None and live["xy"].shape == (50, 2) and live["epoch"] == 2 and live["loss"] == 1.5
    assert live_frame_path(monitor.run_path).name == ".run1.live.npz"
    json.dumps({k: v for k, v in live.items() if k not in ("xy", "rows")})


def test_the_train_form_keeps_frames_by_default_for_kinds_that_can() -> None:
    from explorer import train_form
    from explorer.training.frames import DEFAULT_FRAMES

    assert train_form.form_preset("skipgram", {"min_count": 2}) == {"frames": DEFAULT_FRAMES, "min_count": 2}
    assert train_form.form_preset("useritem", {})["frames"] == DEFAULT_FRAMES
