"""The bundled bilingual sample corpus (explorer.samples.corpus) and the ``sample`` command."""

from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from explorer.cli import main
from explorer.configs import CorpusConfig
from explorer.samples.corpus import CATEGORIES, SampleCorpus, generate_corpus, write_sample_corpus
from explorer.text.clean import clean_line
from explorer.text.corpus import load_corpus
from explorer.text.readers import read_labels
from explorer.text.tokenizer import HAN, detect_lang, english_tokens, make_tokenizer
from tests.support.text import read_text

pytestmark = pytest.mark.slow  # generates and tokenizes the teaching corpus (jieba): seconds


@pytest.fixture(scope="module")
def sample() -> SampleCorpus:
    return generate_corpus(0)


@pytest.fixture(scope="module")
def tokenized(sample: SampleCorpus) -> list[list[str]]:
    """Every line tokenized as load_corpus does by default (zh tokenizer, planted words as user words)."""
    tokenize = make_tokenizer("zh", sample.words)
    return [tokenize(line) for line in sample.lines]


def test_generation_is_deterministic_per_seed(sample: SampleCorpus) -> None:
    assert generate_corpus(0) == sample
    other = generate_corpus(1)
    assert other.lines != sample.lines and other.labels == sample.labels and other.words == sample.words


def test_categories_and_labels(sample: SampleCorpus) -> None:
    assert {"animals", "fruit", "vehicles", "colours", "jobs"} <= set(CATEGORIES) and len(CATEGORIES) >= 8
    for category, pairs in CATEGORIES.items():
        assert 10 <= len(pairs) <= 20, category
        for en, zh in pairs:
            assert english_tokens(en) == [en]  # one lowercase English token
            assert all(HAN.match(ch) for ch in zh)  # only Chinese characters
            assert sample.labels[en] == sample.labels[zh] == category
    assert sample.labels["cat"] == sample.labels["dog"] == sample.labels["猫"] == sample.labels["狗"] == "animals"
    assert sample.labels["banana"] == sample.labels["香蕉"] == "fruit"
    assert sample.words == [zh for pairs in CATEGORIES.values() for _, zh in pairs]
    assert len(sample.labels) == 2 * len(sample.words)  # no word is planted twice


def test_lines_are_clean_unique_bilingual(sample: SampleCorpus) -> None:
    cleaned = [clean_line(line) for line in sample.lines]  # NFKC turns "，" into ","; nothing else changes
    assert cleaned == [line.replace("，", ",") for line in sample.lines]
    assert len(set(cleaned)) == len(sample.lines)  # duplicate-line removal keeps them all
    chinese = [line for line in sample.lines if HAN.search(line)]
    assert len(chinese) == len(sample.lines) // 2
    assert not any(" " in line for line in chinese)  # written without spaces: jieba has to segment
    assert detect_lang(sample.lines) == "zh"  # auto picks the tokenizer that handles both halves


def test_size_and_every_planted_word_is_frequent(sample: SampleCorpus, tokenized: list[list[str]]) -> None:
    n_tokens = sum(map(len, tokenized))
    assert 100_000 <= n_tokens <= 200_000
    counts = Counter(t for tokens in tokenized for t in tokens)
    assert min(counts[word] for word in sample.labels) >= 50  # min_count 5 keeps every one, with room


@pytest.mark.parametrize("user_words", [True, False], ids=["with-user-words", "without"])
def test_jieba_keeps_every_planted_word_whole(sample: SampleCorpus, user_words: bool) -> None:
    """Each planted word found in the raw text (longest match first) is one token, nothing glued on."""
    planted = re.compile("|".join(map(re.escape, sorted(sample.words, key=len, reverse=True))))
    tokenize = make_tokenizer("zh", sample.words if user_words else ())
    words = set(sample.words)
    for line in sample.lines:
        if HAN.search(line):
            expected = planted.findall(line)
            assert [t for t in tokenize(line) if t in words] == expected, line


def test_categories_share_contexts(sample: SampleCorpus, tokenized: list[list[str]]) -> None:
    """The planted signal itself: a word's sentence neighbours are mostly words of its own category."""
    same = other = 0
    for tokens in tokenized:
        labelled = [sample.labels[t] for t in tokens if t in sample.labels]
        for i, a in enumerate(labelled):
            for b in labelled[i + 1 :]:
                same += a == b
                other += a != b
    assert same > 0 and other == 0  # every sentence is about one category


def test_planted_neighbours_with_gensim_reference(tokenized: list[list[str]], sample: SampleCorpus) -> None:
    """An independent Skip-gram (gensim, default word2vec settings) recovers the categories."""
    from gensim.models import Word2Vec

    model = Word2Vec(
        tokenized, sg=1, vector_size=100, window=5, negative=5, epochs=5, min_count=5, sample=1e-3, workers=1, seed=3
    )
    wv = model.wv
    assert wv.similarity("cat", "dog") > wv.similarity("cat", "banana") + 0.2
    assert wv.similarity("猫", "狗") > wv.similarity("猫", "香蕉") + 0.2
    words = list(sample.labels)
    vectors = np.stack([wv[w] for w in words])
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    sims = vectors @ vectors.T
    np.fill_diagonal(sims, -np.inf)
    nearest = np.argsort(-sims, axis=1)[:, :5]
    labels = np.array([sample.labels[w] for w in words])
    assert (labels[nearest] == labels[:, None]).mean() >= 0.9  # 5 nearest: own category


def test_write_sample_corpus_round_trips(tmp_path: Path, sample: SampleCorpus) -> None:
    corpus_path, labels_path = write_sample_corpus(tmp_path)
    assert (corpus_path.name, labels_path.name) == ("sample_corpus.txt", "sample_labels.tsv")
    assert labels_path.read_text(encoding="utf-8").splitlines()[0] == "token\tlabel"
    assert read_labels(labels_path) == sample.labels
    raw = read_text(corpus_path)
    assert raw.encoding == "utf-8" and raw.lines == [clean_line(line) for line in sample.lines]
    assert raw.n_dropped == 0
    corpus = load_corpus(corpus_path, CorpusConfig(), user_words=sample.words)
    assert corpus.lang == "zh" and corpus.n_lines == len(sample.lines)
    assert {"cat", "dog", "banana", "猫", "狗", "香蕉"} <= set(corpus.tokens)


def test_sample_command_writes_files_and_refuses_to_overwrite(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "new" / "samples"
    assert main(["sample", "--out", str(out)]) == 0
    printed = capsys.readouterr().out.split()
    assert printed[:2] == [str(out / "sample_corpus.txt"), str(out / "sample_labels.tsv")]
    assert all(Path(p).is_file() for p in printed)
    assert sorted(p.name for p in out.iterdir()) == sorted(Path(p).name for p in printed)  # no temp dir left
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    assert main(["sample", "--out", str(out)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error: ") and "refusing to overwrite" in err[0]
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    (tmp_path / "file").write_text("x")
    assert main(["sample", "--out", str(tmp_path / "file")]) == 2
    assert "not a directory" in capsys.readouterr().err


def test_sample_command_without_the_interaction_sample(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "explorer.samples.interactions", None)  # as if the module were absent
    assert main(["sample", "--out", str(tmp_path)]) == 0
    graphs = [f"{g}_{part}.tsv" for g in ("karate", "lesmis", "planted") for part in ("edges", "labels")]
    documents = ["sample_documents.csv", "sample_sentences.csv"]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["sample_corpus.txt", "sample_labels.tsv", *graphs,
                                                                 *documents])
