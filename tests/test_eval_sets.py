"""The bundled public Chinese evaluation sets (COS960 word pairs, CA8-semantic analogies): present, licensed,
read by Evaluate's readers, and scored on a toy run whose vectors are built to agree with them."""

from __future__ import annotations

from pathlib import Path

from explorer.analysis import metrics
from explorer.runs import load_run
from explorer.samples import eval_sets
from tests.support.eval_runs import toy_run


def test_the_sets_are_bundled_with_their_licenses_stated() -> None:
    data = eval_sets.word_pairs_zh().parent
    readme = (data / "README.md").read_text(encoding="utf-8")
    for path, license_file, words in ((eval_sets.word_pairs_zh(), "LICENSE-COS960", ("MIT", "THUNLP")),
                                      (eval_sets.analogies_zh(), "LICENSE-CA8", ("Apache License",))):
        assert path.is_file() and path.name in readme
        assert license_file in readme
        text = (data / license_file).read_text(encoding="utf-8")
        assert all(w in text for w in words), license_file


def test_evaluates_readers_take_the_bundled_files() -> None:
    pairs = metrics.read_pairs(eval_sets.word_pairs_zh())
    assert len(pairs) == 960 and pairs["score"].between(0, 4).all()
    sections = dict(metrics.read_questions(eval_sets.analogies_zh()))
    assert set(sections) == {"geography", "nature", "history", "people"}
    assert sum(len(q) for q in sections.values()) == 7636


def test_a_toy_run_is_scored_on_the_bundled_sets(tmp_path: Path) -> None:
    run = load_run(toy_run(tmp_path / "run"))
    sim = metrics.word_similarity(run, eval_sets.word_pairs_zh())
    assert sim["n_total"] == 960 and sim["n_found"] >= 30 and sim["coverage"] < 0.1
    assert sim["spearman"] > 0.6
    ana = metrics.analogy_accuracy(run, eval_sets.analogies_zh())
    assert ana["n_found"] >= 12
    answered = [d for d in ana["details"] if d["answer"] is not None]
    assert sum(d["correct"] for d in answered) >= 12
