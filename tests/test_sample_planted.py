"""The bundled sample's planted neighbours, trained with default settings, for several seeds."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from explorer.configs import CorpusConfig
from explorer.kinds import SkipGramConfig
from explorer.samples.corpus import write_sample_corpus
from explorer.text.corpus import load_corpus
from explorer.text.vocab import build_vocab, encode
from explorer.training.skipgram import train_skipgram

pytestmark = pytest.mark.slow  # trains the planted sample (real training, seconds)

SEEDS = (0, 1, 2)


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> dict[int, tuple[np.ndarray, dict[str, int]]]:
    """The sample read once (as the command line reads it: default settings), trained once per seed."""
    corpus_path, _ = write_sample_corpus(Path(tmp_path_factory.mktemp("sample")))
    corpus = load_corpus(corpus_path, CorpusConfig(), use_cache=False)
    vocab, remap = build_vocab(corpus, SkipGramConfig().min_count, SkipGramConfig().max_vocab)
    ids, offsets = encode(corpus, remap)
    out = {}
    for seed in SEEDS:
        result = train_skipgram(ids, offsets, vocab.counts, SkipGramConfig(seed=seed))
        unit = result.vectors / np.linalg.norm(result.vectors, axis=1, keepdims=True)
        out[seed] = (unit, vocab.index)
    return out


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("word,near,far", [("cat", "dog", "banana"), ("猫", "狗", "香蕉")])
def test_planted_neighbours(trained: dict, seed: int, word: str, near: str, far: str) -> None:
    unit, index = trained[seed]
    cos_near = float(unit[index[word]] @ unit[index[near]])
    cos_far = float(unit[index[word]] @ unit[index[far]])
    assert cos_near > cos_far, (seed, word, cos_near, cos_far)


def test_categories_are_recovered(trained: dict) -> None:
    # beyond the two required pairs: most planted words have a same-category nearest neighbour
    from explorer.samples.corpus import CATEGORIES

    unit, index = trained[0]
    label = {w: c for c, pairs in CATEGORIES.items() for pair in pairs for w in pair if w in index}
    words = sorted(label)
    rows = np.array([index[w] for w in words])
    sims = unit[rows] @ unit[rows].T
    np.fill_diagonal(sims, -np.inf)
    nearest = sims.argmax(axis=1)
    agree = np.mean([label[words[i]] == label[words[j]] for i, j in enumerate(nearest)])
    assert agree > 0.9
