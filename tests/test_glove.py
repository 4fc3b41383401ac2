"""GloVe: co-occurrence counting, the objective and its AdaGrad step, training, the runner and the CLI."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from explorer.cli import main
from explorer.errors import ExplorerError, TrainingStopped
from explorer.runs import load_run, read_tsv
from explorer.training.glove import kernels as K
from explorer.training.glove.cooccur import count_cooccurrences, dense_layout
from explorer.training.glove.trainer import train_glove


def _config(**over: object) -> SimpleNamespace:
    base = dict(dim=16, window=5, epochs=15, x_max=10.0, alpha=0.75, lr=0.05, vectors="sum", workers=1, seed=0,
                frames=0)
    return SimpleNamespace(**{**base, **over})


def _sentences(sents: list[list[int]]) -> tuple[np.ndarray, np.ndarray]:
    ids = np.array([w for s in sents for w in s], np.int32)
    offsets = np.concatenate([[0], np.cumsum([len(s) for s in sents])]).astype(np.int64)
    return ids, offsets


# --------------------------------------------------------------------------- counting


def test_counts_of_a_toy_corpus_equal_a_hand_count_with_weights() -> None:
    # sentence 1: a b c a (a=0, b=1, c=2); sentence 2: b b. window 2, weight 1/distance, symmetric,
    # never across the sentence boundary
    ids, offsets = _sentences([[0, 1, 2, 0], [1, 1]])
    hand = np.zeros((3, 3))
    for i, j, w in [(0, 1, 1.0), (1, 2, 1.0), (2, 0, 1.0),  # distance 1: a-b, b-c, c-a
                    (0, 2, 0.5), (1, 0, 0.5),  # distance 2: a-c, b-a
                    (1, 1, 1.0)]:  # sentence 2: b-b at distance 1
        hand[i, j] += w
        hand[j, i] += w
    m = count_cooccurrences(ids, offsets, n_vocab=3, window=2)
    assert np.array_equal(m.dense(), hand)  # a-b: 1 + 1/2 = 1.5 each way; b-b: 2 (both directions of one pair)
    assert m.dense()[0, 1] == 1.5 and m.dense()[1, 1] == 2.0
    assert m.records == 2 * (5 + 1)  # 5 pairs within window 2 in sentence 1, one in sentence 2, both directions
    assert np.array_equal(count_cooccurrences(ids, offsets, 3, window=1).dense(),
                          np.array([[0, 1, 1], [1, 2, 1], [1, 1, 0]], float))


@pytest.mark.parametrize("window", [1, 4, 12])
@pytest.mark.parametrize("dense_bytes,buffer_records", [(64 << 20, 1 << 22), (480, 64), (8, 50)])
def test_counts_match_a_brute_force_count_however_memory_is_split(window: int, dense_bytes: int,
                                                                   buffer_records: int) -> None:
    """A whole dense table, a small one (most pairs go through sorted runs) and none (every pair does, with
    many small runs merged) all give the brute-force matrix, sorted by row then column."""
    rng = np.random.default_rng(window)
    n_vocab = 40
    lengths = rng.integers(1, 25, size=200)
    ids = (rng.zipf(1.4, size=int(lengths.sum())) % n_vocab).astype(np.int32)
    offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
    brute = np.zeros((n_vocab, n_vocab))
    for s in range(lengths.size):
        sent = ids[offsets[s]:offsets[s + 1]]
        for p in range(sent.size):
            for q in range(max(0, p - window), p):
                brute[sent[p], sent[q]] += 1 / (p - q)
                brute[sent[q], sent[p]] += 1 / (p - q)
    m = count_cooccurrences(ids, offsets, n_vocab, window, dense_bytes=dense_bytes, buffer_records=buffer_records)
    np.testing.assert_allclose(m.dense(), brute, rtol=1e-6)
    assert m.nnz == np.count_nonzero(brute)
    assert (np.diff(m.rows.astype(np.int64) * n_vocab + m.cols) > 0).all()


def test_dense_layout_keeps_frequent_pairs_within_the_cell_budget() -> None:
    product, start = dense_layout(1000, 20_000)
    widths = np.diff(start)
    assert start[-1] <= 20_000 and widths[0] == 1000 and (np.diff(widths) <= 0).all()
    assert widths[999] == min(1000, product // 1000)


def test_counts_that_outgrow_the_memory_budget_are_refused_in_one_line() -> None:
    rng = np.random.default_rng(0)
    ids = rng.integers(0, 5000, size=200_000).astype(np.int32)
    offsets = np.array([0, ids.size], np.int64)
    with pytest.raises(ExplorerError) as refused:
        count_cooccurrences(ids, offsets, 5000, 10, budget=8 << 20, source="big.txt", buffer_records=1 << 16)
    message = str(refused.value)
    assert refused.value.code == "glove_cooccur_memory" and "\n" not in message
    assert message.startswith("big.txt: the co-occurrence counts need more than") and "--min-count" in message


# --------------------------------------------------------------------------- the objective and its step


def _small_model(seed: int = 0) -> tuple[dict, tuple[np.ndarray, ...]]:
    rng = np.random.default_rng(seed)
    v, d = 6, 4
    cells = [(i, j) for i in range(v) for j in range(v) if (i + j) % 3]
    rows = np.array([c[0] for c in cells], np.int32)
    cols = np.array([c[1] for c in cells], np.int32)
    values = rng.uniform(0.5, 30.0, size=rows.size).astype(np.float32)
    t = {"w": rng.normal(0, 0.3, (v, d)).astype(np.float32), "wc": rng.normal(0, 0.3, (v, d)).astype(np.float32),
         "b": rng.normal(0, 0.3, v).astype(np.float32), "bc": rng.normal(0, 0.3, v).astype(np.float32),
         "gw": np.ones((v, d), np.float32), "gwc": np.ones((v, d), np.float32), "gb": np.ones(v, np.float32),
         "gbc": np.ones(v, np.float32)}
    return t, (rows, cols, values)


def _kernel(t: dict, rows: np.ndarray, cols: np.ndarray, values: np.ndarray, eta: float, x_max: float = 10.0,
            alpha: float = 0.75, begin: int = 0, end: int = -1) -> np.ndarray:
    stats = np.zeros(K.N_STATS)
    logx = np.log(values).astype(np.float32)
    K.train_cells(rows, cols, logx, K.weights(values, x_max, alpha), begin, rows.size if end < 0 else end,
                  t["w"], t["wc"], t["b"], t["bc"], t["gw"], t["gwc"], t["gb"], t["gbc"], eta, stats)
    return stats


def test_the_objective_matches_a_direct_numpy_evaluation_on_a_small_matrix() -> None:
    t, (rows, cols, values) = _small_model()
    x = np.zeros((6, 6))
    x[rows, cols] = values
    direct = 0.0
    for i in range(6):  # J = Σ over non-zero cells of f(X)(w_i·w̃_j + b_i + b̃_j − log X)², f = min(1, (x/10)^0.75)
        for j in range(6):
            if x[i, j] > 0:
                f = min(1.0, (x[i, j] / 10.0) ** 0.75)
                e = float(t["w"][i] @ t["wc"][j]) + t["b"][i] + t["bc"][j] - np.log(x[i, j])
                direct += f * e * e
    assert K.objective(rows, cols, values, t["w"], t["wc"], t["b"], t["bc"], 10.0, 0.75) == pytest.approx(direct,
                                                                                                           rel=1e-6)
    cost = 0.0  # the kernel's cost is measured before each cell's step: one cell at a time on the same model
    for k in range(rows.size):
        stats = _kernel({name: a.copy() for name, a in t.items()}, rows, cols, values, eta=0.05, begin=k, end=k + 1)
        assert stats[K.STAT_CELLS] == 1
        cost += stats[K.STAT_COST]
    assert cost == pytest.approx(direct, rel=1e-5)


def test_one_step_is_adagrad_on_half_the_weighted_squared_error() -> None:
    t, (rows, cols, values) = _small_model(1)
    before = {k: v.copy() for k, v in t.items()}
    i, j, x = int(rows[0]), int(cols[0]), float(values[0])
    _kernel(t, rows, cols, values, eta=0.05, end=1)
    f = min(1.0, (x / 10.0) ** 0.75)
    e = float(before["w"][i] @ before["wc"][j]) + before["b"][i] + before["bc"][j] - np.log(x)
    gw, gwc = f * e * before["wc"][j], f * e * before["w"][i]
    # the reference's AdaGrad (src/glove.c): the sums start at 1 and gather squared steps (eta included) ...
    np.testing.assert_allclose(t["w"][i], before["w"][i] - 0.05 * gw, rtol=1e-5)
    np.testing.assert_allclose(t["wc"][j], before["wc"][j] - 0.05 * gwc, rtol=1e-5)
    np.testing.assert_allclose(t["gw"][i], 1 + (0.05 * gw) ** 2, rtol=1e-5)
    np.testing.assert_allclose(t["gwc"][j], 1 + (0.05 * gwc) ** 2, rtol=1e-5)
    # ... and the biases step by the bare gradient f·e, with no eta
    assert t["b"][i] == pytest.approx(before["b"][i] - f * e, rel=1e-5)
    assert t["bc"][j] == pytest.approx(before["bc"][j] - f * e, rel=1e-5)
    assert t["gbc"][j] == pytest.approx(1 + (f * e) ** 2, rel=1e-5)
    untouched = [r for r in range(6) if r != i]
    assert np.array_equal(t["w"][untouched], before["w"][untouched])


# --------------------------------------------------------------------------- training


def _planted(n_sentences: int = 1500, seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """4 categories of 8 words; each sentence mixes shared function words (ids 32..35) with words of one
    category, and one word drawn from all 32 (so words of different categories co-occur, rarely: GloVe learns
    nothing from a pair that never occurs, its cell is not in the objective). Returns (ids, offsets, category of
    words 0..31)."""
    rng = np.random.default_rng(seed)
    sents = []
    for _ in range(n_sentences):
        cat = int(rng.integers(4))
        words = (list(cat * 8 + rng.integers(0, 8, size=6)) + list(32 + rng.integers(0, 4, size=3))
                 + [int(rng.integers(32))])
        rng.shuffle(words)
        sents.append(words)
    ids, offsets = _sentences(sents)
    return ids, offsets, np.arange(32) // 8


def test_the_cost_decreases_and_a_planted_corpus_separates_its_categories() -> None:
    ids, offsets, cats = _planted()
    reports = []
    res = train_glove(ids, offsets, 36, _config(epochs=20), callback=reports.append)
    losses = res.loss_per_epoch
    assert all(b < a for a, b in zip(losses, losses[1:], strict=False)) and losses[-1] < losses[0] / 5
    unit = res.vectors[:32] / np.linalg.norm(res.vectors[:32], axis=1, keepdims=True)
    sim = unit @ unit.T
    same = cats[:, None] == cats[None, :]
    np.fill_diagonal(same, False)
    assert sim[same].min() > sim[cats[:, None] != cats[None, :]].max()  # every same pair beats every mixed one
    centred = res.vectors[:32] - res.vectors[:32].mean(axis=0)  # GloVe's vectors share a large common part
    centred /= np.linalg.norm(centred, axis=1, keepdims=True)
    csim = centred @ centred.T
    assert csim[same].mean() > csim[cats[:, None] != cats[None, :]].mean() + 0.5
    nearest = np.argsort(-sim, axis=1)[:, 1]  # each word's nearest other word is of its category
    assert (cats[nearest] == cats).mean() >= 0.95
    train = [r for r in reports if r.stage == "train" and r.loss is not None]
    assert train and train[-1].progress == 1.0 and train[-1].epoch == 20
    assert res.nnz > 0 and res.cells_per_s > 0


def test_one_worker_is_reproducible_and_word_vectors_are_an_option() -> None:
    ids, offsets, _ = _planted(300)
    a = train_glove(ids, offsets, 36, _config(epochs=3, seed=5))
    b = train_glove(ids, offsets, 36, _config(epochs=3, seed=5))
    c = train_glove(ids, offsets, 36, _config(epochs=3, seed=5, vectors="word"))
    assert np.array_equal(a.vectors, b.vectors)
    np.testing.assert_allclose(a.vectors, a.word_vectors + a.context_vectors)
    assert np.array_equal(c.vectors, c.word_vectors) and np.array_equal(c.word_vectors, a.word_vectors)


def test_a_callback_returning_true_stops_counting_or_training() -> None:
    ids, offsets, _ = _planted(300)
    for stop_at in ("counting", "train"):
        def callback(p, stop_at=stop_at):  # type: ignore[no-untyped-def]
            return stop_at in (p.message or "") or (stop_at == "train" and p.loss is not None)

        with pytest.raises(TrainingStopped):
            train_glove(ids, offsets, 36, _config(epochs=50), callback=callback)


def test_frames_record_the_output_vectors() -> None:
    ids, offsets, _ = _planted(300)
    res = train_glove(ids, offsets, 36, _config(epochs=4, frames=5))
    assert res.frames is not None and len(res.frames.frames) >= 4
    np.testing.assert_allclose(res.frames.frames[-1].astype(np.float32), res.vectors, atol=2e-3)


# --------------------------------------------------------------------------- the command line


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    rng = np.random.default_rng(0)
    animals, fruit = ["cat", "dog", "cow", "pig"], ["apple", "banana", "pear", "plum"]
    lines = [" ".join(["the", *rng.choice(animals if i % 2 else fruit, 4), "is", "here"]) for i in range(300)]
    path = tmp_path / "tiny corpus.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_train_glove_writes_vectors_and_vocab_like_skipgram(tmp_path: Path, corpus: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "run"
    code = main(["train", "glove", "--corpus", str(corpus), "--out", str(out), "--dim", "8", "--epochs", "30",
                 "--window", "3", "--x-max", "5", "--alpha", "0.5", "--min-count", "2", "--workers", "1",
                 "--seed", "3", "--lang", "en"])
    assert code == 0, capsys.readouterr().err
    assert sorted(p.name for p in out.iterdir()) == ["config.json", "context_vectors.npy", "cooccurrences_top.npy",
                                                      "glove_biases.npy", "metrics.json", "vectors.npy", "vocab.tsv"]
    run = load_run(out)
    vocab = [row[0] for row in read_tsv(out / "vocab.tsv")[1]]
    assert run.vectors.shape == (len(vocab), 8) and "cat" in vocab
    assert run.config["kind"] == "glove" and run.config["config"]["x_max"] == 5.0
    assert run.config["config"]["alpha"] == 0.5 and run.config["config"]["window"] == 3
    unit = run.vectors / np.linalg.norm(run.vectors, axis=1, keepdims=True)
    idx = {w: i for i, w in enumerate(vocab)}
    assert unit[idx["cat"]] @ unit[idx["dog"]] > unit[idx["cat"]] @ unit[idx["apple"]]


def test_train_glove_refuses_a_bad_value_in_one_line(tmp_path: Path, corpus: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["train", "glove", "--corpus", str(corpus), "--out", str(tmp_path / "r"), "--x-max", "0"])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and err[-1].startswith("error: x_max must be greater than 0")
    assert not (tmp_path / "r").exists()


def test_a_tiny_memory_budget_from_the_settings_spills_into_sorted_runs_with_the_same_counts(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """EXPLORER_MAX_MODEL_MB bounds the counting: 1 MB forces a buffer of 32,768 records (not 4 M), reduced
    many times into sorted runs that are merged, and the counts equal those counted in one go; a corpus whose
    counts cannot fit is refused in one line."""
    rng = np.random.default_rng(4)
    ids = rng.zipf(1.3, size=30_000).clip(1, 300).astype(np.int32) - 1
    offsets = np.array([0, 10_000, 20_000, ids.size], np.int64)
    whole = count_cooccurrences(ids, offsets, 300, 5, budget=1 << 30)
    monkeypatch.setenv("EXPLORER_MAX_MODEL_MB", "1")
    spilled = count_cooccurrences(ids, offsets, 300, 5)  # the budget from the settings
    assert spilled.records == whole.records and spilled.nnz == whole.nnz
    assert np.array_equal(spilled.rows, whole.rows) and np.array_equal(spilled.cols, whole.cols)
    assert np.allclose(spilled.values, whole.values, rtol=1e-6)
    wide = rng.integers(0, 20_000, size=60_000).astype(np.int32)
    with pytest.raises(ExplorerError) as refused:
        count_cooccurrences(wide, np.array([0, wide.size], np.int64), 20_000, 10, source="wide.txt")
    assert refused.value.code == "glove_cooccur_memory" and "\n" not in str(refused.value)
    assert str(refused.value).startswith("wide.txt: the co-occurrence counts need more than") and "--min-count" in str(
        refused.value)
