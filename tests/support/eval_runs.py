"""A toy run built to agree with the bundled Chinese evaluation sets (COS960 pairs, CA8 analogies)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from explorer.analysis import metrics
from explorer.samples import eval_sets
from tests.support.runs import words_run


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
    return words_run(path, tokens, np.array([vectors[t] for t in tokens], dtype=np.float32), counts=[5] * len(tokens),
                     config={"dim": 32}, data={"corpus": "toy.txt"}, name="玩具")
