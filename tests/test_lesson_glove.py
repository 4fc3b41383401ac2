"""The lesson's GloVe cell: its numbers against a direct count and numpy, and the objective page with a GloVe
run (and with a Skip-gram run beside a GloVe run on the same corpus), in English and Chinese."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from explorer.configs import CorpusConfig, to_dict
from explorer.jobs import workspaces
from explorer.kinds import GloveConfig, spec_from_dict
from explorer.lesson import objective as obj
from explorer.runs import load_run
from tests.support.lesson_runs import finish_samples, train_small_glove, train_small_samples

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT = 90
pytestmark = pytest.mark.slow  # trains small models, then AppTest pages

WINDOW = 3


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("glove-lesson")
    return {**train_small_samples(base), "glove": train_small_glove(base)}


@pytest.fixture(autouse=True)
def _no_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EXPLORER_START_WORKER", "0")
    st.cache_data.clear()
    st.cache_resource.clear()


def brute_force_x(lines: list[list[str]], a: str, b: str, window: int) -> float:
    """X[a, b] counted by hand: each time b stands d <= window words from a in a line, 1/d."""
    x = 0.0
    for words in lines:
        for p, w in enumerate(words):
            for q in range(max(0, p - window), min(len(words), p + window + 1)):
                if q != p and w == a and words[q] == b:
                    x += 1.0 / abs(p - q)
    return x


def test_a_cell_equals_a_direct_count_and_a_numpy_evaluation(tmp_path: Path) -> None:
    from explorer.text.corpus import load_corpus
    from explorer.text.vocab import build_vocab, encode
    from explorer.training.glove import kernels as K
    from explorer.training.glove.run import train_glove_run
    from explorer.training.glove.trainer import train_glove

    rng = np.random.default_rng(0)
    words = ["cat", "dog", "cow", "apple", "pear", "plum", "the", "is"]
    lines = [list(rng.choice(words, 7)) for _ in range(200)]
    corpus = tmp_path / "toy.txt"
    corpus.write_text("\n".join(" ".join(line) for line in lines) + "\n", encoding="utf-8")
    config = GloveConfig(dim=6, window=WINDOW, epochs=5, min_count=1, workers=1, seed=2)
    out = train_glove_run(spec_from_dict({"kind": "glove", "name": "toy", "corpus_config": {"lang": "en"},
                                          "data": {"corpus": str(corpus)}, "config": to_dict(config)}),
                          tmp_path / "run", lambda p: None)
    run = load_run(out)
    parts = obj.glove_parts(run)
    assert parts is not None and parts.top.shape == (len(words), len(words))
    i, j = run.index["cat"], run.index["pear"]
    cell = obj.glove_cell(parts, i, j)
    assert cell.x == pytest.approx(brute_force_x(lines, "cat", "pear", WINDOW), rel=1e-6)
    # the same model trained again from the same encoded corpus: W and W~ are bit-identical with one worker
    encoded = load_corpus(corpus, CorpusConfig(lang="en"))
    vocab, remap = build_vocab(encoded, 1, None)
    assert vocab.tokens == run.tokens
    again = train_glove(*encode(encoded, remap), len(vocab.tokens), config)
    w, wc, b, bc = again.word_vectors, again.context_vectors, again.biases, again.context_biases
    assert np.allclose(parts.w, w, atol=1e-5) and np.array_equal(parts.wc, wc)
    prediction = float(np.float64(w[i]) @ np.float64(wc[j]) + b[i] + bc[j])
    assert cell.prediction == pytest.approx(prediction, abs=1e-5)
    assert cell.log_x == pytest.approx(np.log(cell.x)) and cell.error == pytest.approx(prediction - np.log(cell.x),
                                                                                        abs=1e-5)
    assert cell.weight == pytest.approx(min(1.0, (cell.x / 10.0) ** 0.75))
    direct = K.objective(np.array([i]), np.array([j]), np.array([cell.x]), w, wc, b, bc, 10.0, 0.75)
    assert cell.loss == pytest.approx(direct, rel=1e-4)
    assert obj.cell_partners(parts, i, 3)[0] == int(np.argmax(np.where(np.arange(len(words)) == i, 0, parts.top[i])))
    with pytest.raises(ValueError):
        obj.glove_cell(obj.GloveParts(parts.w, parts.wc, parts.b, parts.bc, np.zeros_like(parts.top), 10.0, 0.75),
                       i, j)


def test_runs_of_other_kinds_have_no_glove_parts(trained: dict[str, Path]) -> None:
    assert obj.glove_parts(load_run(trained["job"])) is None
    glove = load_run(trained["glove"])
    assert obj.glove_parts(glove) is not None
    assert obj.same_corpus(glove, load_run(trained["job"])) and not obj.same_corpus(glove, glove)


def open_objective(trained: dict[str, Path], lang: str, with_glove: bool, pick_glove: bool = False
                   ) -> tuple[AppTest, str]:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.run()  # queues the samples
    finish_samples(trained)
    token = at.session_state["ws"]
    if with_glove:
        run_id = workspaces.new_run_id()
        shutil.copytree(trained["glove"], workspaces.run_path(token, run_id))
        if pick_glove:
            at.session_state["lesson_run"] = run_id  # the lesson's remembered model
    at.session_state["lang"] = lang
    at.run()
    at.switch_page("pages/lesson_objective.py").run()
    assert not at.exception, at.exception
    return at, token


def shown(at: AppTest) -> str:
    return "\n".join(str(e.value) for kind in ("markdown", "caption", "subheader", "info") for e in getattr(at, kind))


@pytest.mark.parametrize("lang,words", [("en", ("one table of counts", "this cell adds", "Skip-gram (")),
                                        ("zh", ("计数表", "这个格子给 GloVe 的损失贡献", "旁边是同一份语料上的 Skip-gram"))])
def test_the_objective_page_shows_a_glove_runs_cell_beside_skipgrams_pair(trained: dict[str, Path], lang: str,
                                                                          words: tuple[str, ...]) -> None:
    at, _ = open_objective(trained, lang, with_glove=True, pick_glove=True)
    text = shown(at)
    assert all(w in text for w in words), text
    picker = at.selectbox[0]
    assert load_run(Path(picker.value.path)).kind == "glove"
    table = at.dataframe[0].value
    run = load_run(Path(picker.value.path))
    parts = obj.glove_parts(run)
    i = next(s for s in at.selectbox if s.key.startswith("lo_g_i_")).value
    j = next(s for s in at.selectbox if s.key.startswith("lo_g_j_")).value
    cell = obj.glove_cell(parts, run.index[i], run.index[j])
    assert table.iloc[:, 1].tolist() == pytest.approx([round(v, 4) for v in (
        cell.x, cell.weight, cell.dot, cell.b, cell.bc, cell.prediction, cell.log_x, cell.error, cell.loss)])
    quiz = next(r for r in at.radio if r.key == "lo_g_check")
    answer = quiz.options[1 if cell.error > 0 else 0]
    quiz.set_value(answer).run()
    next(b for b in at.button if b.key == "lo_g_check_go").click().run()
    assert at.success, "the computed answer is right"


def test_a_skipgram_run_shows_the_same_pair_as_a_glove_cell_when_a_glove_run_exists(trained: dict[str, Path]) -> None:
    at, _ = open_objective(trained, "en", with_glove=True)
    assert load_run(Path(at.selectbox[0].value.path)).kind == "skipgram"  # the bundled sample's run first
    text = shown(at)
    assert "GloVe: the same corpus as one table of counts" in text
    assert "Skip-gram's loss for this pair above: **" in text or "are not both among the most frequent words" in text


def test_a_skipgram_run_without_a_glove_partner_says_how_to_get_one(trained: dict[str, Path]) -> None:
    at, _ = open_objective(trained, "en", with_glove=False)
    assert "Train GloVe on the same corpus" in shown(at)


def open_quality(trained: dict[str, Path], lang: str, with_glove: bool) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.run()
    finish_samples(trained)
    if with_glove:
        shutil.copytree(trained["glove"], workspaces.run_path(at.session_state["ws"], workspaces.new_run_id()))
    at.session_state["lang"] = lang
    at.run()
    at.switch_page("pages/lesson_quality.py").run()
    assert not at.exception, at.exception
    return at


@pytest.mark.parametrize("lang,title", [("en", "Two methods, one corpus: Skip-gram"), ("zh", "同一份语料，两种方法")])
def test_the_quality_step_sets_glove_against_skipgram_on_the_same_corpus(trained: dict[str, Path], lang: str,
                                                                         title: str) -> None:
    from explorer.lesson import quality as q

    at = open_quality(trained, lang, with_glove=True)
    assert any(title in s.value for s in at.subheader), [s.value for s in at.subheader]
    expected = q.side_by_side(load_run(trained["job"]), load_run(trained["glove"]))
    table = next(d.value for d in at.dataframe if len(d.value) == 2 and "GloVe" in " ".join(map(str, d.value.iloc[:, 0])))
    assert table.iloc[:, 1].tolist() == pytest.approx([round(expected[k]["agreement"], 3) for k in ("a", "b")])
    assert f"{expected['jaccard']:.0%}" in shown(at)
    quiz = next(r for r in at.radio if r.key == "lq_vs_check")
    best = 0 if expected["a"]["agreement"] > expected["b"]["agreement"] else 1
    quiz.set_value(quiz.options[best]).run()
    next(b for b in at.button if b.key == "lq_vs_check_go").click().run()
    assert at.success
    if lang == "en":
        next(b for b in at.button if b.key == "lq_vs_open").click().run()
        assert not at.exception, at.exception


def test_the_quality_step_without_a_second_method_says_how_to_get_one(trained: dict[str, Path]) -> None:
    at = open_quality(trained, "en", with_glove=False)
    assert "Train GloVe and Skip-gram on the same corpus" in shown(at)
    assert not any("…" in s.value for s in at.subheader), [s.value for s in at.subheader]  # no "Skip-gram against …"
