"""The bundled public Chinese evaluation sets (COS960 word pairs, CA8-semantic analogies): present, licensed,
read by Evaluate's readers, and scored on a toy run whose vectors are built to agree with them."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from explorer.analysis import metrics
from explorer.runs import atomic_run_dir, load_run, save_vectors, write_config
from explorer.samples import eval_sets


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


def toy_run(path: Path) -> Path:
    """40 COS960 pairs whose cosine similarity rises with their human score, and 12 CA8 questions whose answer d is
    exactly b - a + c (the words of a question chosen so that none is shared with another question)."""
    rng = np.random.default_rng(0)
    vectors: dict[str, np.ndarray] = {}
    pairs = metrics.read_pairs(eval_sets.word_pairs_zh()).iloc[::24].head(40)
    for w1, w2, score in pairs.itertuples(index=False):
        if w1 in vectors or w2 in vectors:
            continue
        base = rng.normal(size=32)
        vectors[w1] = base
        vectors[w2] = base + (4.5 - score) * rng.normal(size=32)  # a higher score: a smaller difference
    used: set[str] = set(vectors)
    chosen = 0
    for _section, questions in metrics.read_questions(eval_sets.analogies_zh()):
        for a, b, c, d in questions[::97]:
            if chosen == 12 or {a, b, c, d} & used or len({a, b, c, d}) < 4:
                continue
            for w in (a, b, c):
                vectors[w] = rng.normal(size=32) * 3
            vectors[d] = vectors[b] - vectors[a] + vectors[c]
            used |= {a, b, c, d}
            chosen += 1
    assert chosen == 12
    tokens = list(vectors)
    with atomic_run_dir(path) as tmp:
        save_vectors(tmp, np.array([vectors[t] for t in tokens], dtype=np.float32), tokens, [5] * len(tokens))
        write_config(tmp, "skipgram", {"dim": 32}, {"corpus": "toy.txt"}, name="玩具")
    return path


def test_a_toy_run_is_scored_on_the_bundled_sets(tmp_path: Path) -> None:
    run = load_run(toy_run(tmp_path / "run"))
    sim = metrics.word_similarity(run, eval_sets.word_pairs_zh())
    assert sim["n_total"] == 960 and sim["n_found"] >= 30 and sim["coverage"] < 0.1
    assert sim["spearman"] > 0.6
    ana = metrics.analogy_accuracy(run, eval_sets.analogies_zh())
    assert ana["n_found"] >= 12
    answered = [d for d in ana["details"] if d["answer"] is not None]
    assert sum(d["correct"] for d in answered) >= 12
