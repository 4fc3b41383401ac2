"""The text pipeline's optional steps: stems and lemmas, phrases, THULAC beside jieba, query mapping."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from explorer.configs import CorpusConfig
from explorer.errors import ExplorerError
from explorer.text.cache import cache_key
from explorer.text.corpus import load_corpus
from explorer.text.encoded import EncodedCorpus
from explorer.text.normalize import normalize_corpus, normalize_labels, normalize_pairs, normalize_words, query_token
from explorer.text.phrases import detect_phrases, join_pairs, pair_scores
from explorer.text.preview import corpus_phrases, normalization_rows, segmentations
from explorer.text.tokenizer import make_tokenizer, segmenter_ready

# --------------------------------------------------------------------------- stems and lemmas


def test_snowball_stems_of_known_words() -> None:
    words = ["running", "runs", "studies", "cats", "happily", "connection", "generously"]
    assert normalize_words(words, "stem") == ["run", "run", "studi", "cat", "happili", "connect", "generous"]


def test_lemmas_of_known_words() -> None:
    words = ["running", "mice", "was", "better", "studies", "cats", "geese"]
    assert normalize_words(words, "lemma") == ["run", "mouse", "be", "good", "study", "cat", "goose"]


def test_only_latin_words_change_and_case_stays_lowercase() -> None:
    assert normalize_words(["猫", "跑步", "3", "running"], "stem") == ["猫", "跑步", "3", "run"]
    assert normalize_words(["new"], "lemma") == ["new"]
    assert normalize_words(["running"], "none") == ["running"]
    with pytest.raises(ExplorerError, match="normalize"):
        normalize_words(["x"], "porter")


def test_pairs_before_after_for_the_preview() -> None:
    assert normalize_pairs(["the", "mice", "were", "running"], "lemma") == [
        ("the", "the"), ("mice", "mouse"), ("were", "be"), ("running", "run")]
    rows = normalization_rows([["cats", "run"], ["cats", "猫"]], "stem", changed_only=True)
    assert rows == [("cats", "cat")]


def _corpus(sentences: list[list[str]]) -> EncodedCorpus:
    index: dict[str, int] = {}
    ids: list[int] = []
    offsets = [0]
    for sentence in sentences:
        ids += [index.setdefault(t, len(index)) for t in sentence]
        offsets.append(len(ids))
    return EncodedCorpus(tokens=list(index), counts=np.bincount(ids).astype(np.int64),
                         ids=np.array(ids, np.int32), offsets=np.array(offsets, np.int64), lang="en",
                         encoding="utf-8", sha256="", source="t.txt", n_lines=len(sentences))


def test_normalizing_a_corpus_merges_word_forms_on_the_vocabulary() -> None:
    corpus = _corpus([["cats", "running"], ["cat", "runs", "猫"]])
    out = normalize_corpus(corpus, "stem")
    assert out.tokens == ["cat", "run", "猫"]
    assert out.counts.tolist() == [2, 2, 1]
    assert [out.sentence(i) for i in range(2)] == [["cat", "run"], ["cat", "run", "猫"]]
    assert out.offsets is corpus.offsets and out.ids.dtype == np.int32
    assert normalize_corpus(corpus, "none") is corpus


def test_labels_follow_the_normal_forms() -> None:
    assert normalize_labels({"cats": "animals", "cat": "pets", "apples": "fruit"}, "stem") == {
        "cat": "animals", "appl": "fruit"}


# --------------------------------------------------------------------------- phrases

# hand-worked: N = 32 tokens; count(new) = count(york) = 8, count(new york) = 6 -> (6 - 2) * 32 / 64 = 2.0;
# count(i) = count(love) = 6, count(i love) = 6 -> (6 - 2) * 32 / 36 = 3.556; "love new" scores
# (6 - 2) * 32 / 48 = 2.667 too, but left-to-right joining takes "i love" first, then "new york".
HAND = [["i", "love", "new", "york"]] * 6 + [["new", "cars", "in", "york"], ["a", "b"], ["york", "new"]]


def test_phrase_scores_on_a_hand_worked_example() -> None:
    corpus = _corpus(HAND)
    keys, pair_counts, scores = pair_scores(corpus.ids, corpus.offsets, corpus.counts, min_count=2, threshold=1.0)
    ix = {t: i for i, t in enumerate(corpus.tokens)}
    v = len(corpus.tokens)
    got = {(corpus.tokens[k // v], corpus.tokens[k % v]): (c, s) for k, c, s in zip(keys, pair_counts, scores,
                                                                                      strict=True)}
    assert got[("new", "york")] == (6, pytest.approx(2.0))
    assert got[("i", "love")] == (6, pytest.approx(4 * 32 / 36))
    assert got[("love", "new")] == (6, pytest.approx(4 * 32 / 48))
    # "york new" occurs inside the last sentence, and also across sentences 6 and 7 (never counted)
    assert got[("york", "new")] == (1, pytest.approx(-0.5))
    assert ("a", "b") not in got  # words under min_count are never candidates
    assert ix["new"] < v


def test_detected_pairs_are_joined_left_to_right_inside_sentences() -> None:
    out, phrases = detect_phrases(_corpus(HAND), passes=1, min_count=2, threshold=1.0)
    assert [(p.token, round(p.score, 3), p.count) for p in phrases] == [("i_love", 3.556, 6), ("new_york", 2.0, 6)]
    assert out.sentence(0) == ["i_love", "new_york"]
    assert [out.sentence(i) for i in range(6, 9)] == [["new", "cars", "in", "york"], ["a", "b"], ["york", "new"]]
    assert out.n_sentences == 9 and out.n_tokens == 6 * 2 + 8
    assert dict(zip(out.tokens, out.counts.tolist(), strict=True))["new_york"] == 6
    assert "love" not in out.tokens  # every "love" went into "i_love": tokens that no longer occur are dropped
    # a higher threshold keeps only the best pair
    _, phrases = detect_phrases(_corpus(HAND), passes=1, min_count=2, threshold=3.0)
    assert [p.token for p in phrases] == ["i_love"]


def test_a_second_pass_finds_longer_phrases() -> None:
    sentences = [["new", "york", "times", "today", f"w{i}"] for i in range(20)] + [[f"x{i}", "y"] for i in range(20)]
    once, _ = detect_phrases(_corpus(sentences), passes=1, min_count=3, threshold=2.0)
    twice, phrases = detect_phrases(_corpus(sentences), passes=2, min_count=3, threshold=2.0)
    assert once.sentence(0)[:2] == ["new_york", "times_today"]
    assert twice.sentence(0)[0] == "new_york_times_today"
    assert {p.pass_ for p in phrases} == {1, 2}


def test_join_pairs_runs_keep_every_other_position() -> None:
    ids = np.array([0, 0, 0, 0, 0], np.int32)  # "a a a a a" with "a a" a phrase -> "a_a a_a a"
    out, offsets = join_pairs(ids, np.array([0, 5]), 1, np.array([0], np.int64))
    assert out.tolist() == [1, 1, 0] and offsets.tolist() == [0, 3]


# --------------------------------------------------------------------------- segmenters


@pytest.mark.slow  # loads THULAC's model (~1.5 s, ~800 MB)
def test_jieba_and_thulac_segment_fixed_sentences() -> None:
    line = "今天早上小林在办公室见到了科学家和作家。"
    assert make_tokenizer("zh")(line) == ["今天", "早上", "小林", "在", "办公室", "见到", "了", "科学家", "和", "作家"]
    assert make_tokenizer("zh", segmenter="thulac")(line) == [
        "今天", "早上", "小林", "在", "办公室", "见到", "了", "科学", "家", "和", "作", "家"]
    assert make_tokenizer("zh", segmenter="thulac")("我爱北京天安门") == ["我", "爱", "北京", "天安门"]
    # English inside Chinese follows the English rules with both
    mixed = "我爱 New York, I don't know"
    assert make_tokenizer("zh", segmenter="thulac")(mixed) == make_tokenizer("zh")(mixed) == [
        "我", "爱", "new", "york", "i", "don't", "know"]


@pytest.mark.slow  # loads THULAC's model (~1.5 s, ~800 MB)
def test_both_segmenters_honour_user_words() -> None:
    line = "科学家和作家都爱吃奇异果冻"
    for segmenter in ("jieba", "thulac"):
        tokens = make_tokenizer("zh", user_words=["奇异果冻", "作家"], segmenter=segmenter)(line)
        assert "奇异果冻" in tokens and "作家" in tokens, segmenter
    assert "作家" not in make_tokenizer("zh", segmenter="thulac")(line)


@pytest.mark.slow  # loads THULAC's model (~1.5 s, ~800 MB)
def test_side_by_side_preview_is_bounded_and_thulac_is_ready_once_loaded() -> None:
    make_tokenizer("zh", segmenter="thulac")  # loads it (cached per process)
    assert segmenter_ready("thulac") and segmenter_ready("jieba")
    lines = ["An English line."] + [f"我爱北京天安门{i}" for i in range(20)]
    cuts = segmentations(lines)
    assert set(cuts) == {"jieba", "thulac"} and len(cuts["jieba"]) == len(cuts["thulac"]) == 5
    with pytest.raises(ExplorerError, match="segmenter"):
        make_tokenizer("zh", segmenter="pkuseg")


# --------------------------------------------------------------------------- config, corpus, queries


def test_corpus_config_declares_and_checks_the_new_fields() -> None:
    cfg = CorpusConfig().validate()
    assert (cfg.segmenter, cfg.normalize, cfg.phrases, cfg.phrase_min_count, cfg.phrase_threshold) == (
        "jieba", "none", 0, 5, 100.0)
    for bad in ({"normalize": "porter"}, {"segmenter": "pkuseg"}, {"phrases": 3}, {"phrase_threshold": 0.0}):
        with pytest.raises(ExplorerError):
            CorpusConfig(**bad).validate()


def test_load_corpus_applies_forms_and_phrases_on_the_cached_tokens(tmp_path: Path) -> None:
    path = tmp_path / "c.txt"
    path.write_text("\n".join(f"the cats were running to new york {i}" for i in range(30)) + "\n", encoding="utf-8")
    plain = CorpusConfig(lang="en")
    stemmed = CorpusConfig(lang="en", normalize="stem", phrases=1, phrase_min_count=3, phrase_threshold=1.0)
    # the steps after tokenizing do not change the cache key: the file is tokenized once
    assert cache_key("x", plain, [], "txt") == cache_key("x", stemmed, [], "txt")
    assert cache_key("x", plain, [], "txt") != cache_key("x", CorpusConfig(lang="en", segmenter="thulac"), [], "txt")
    base = load_corpus(path, plain)
    out = load_corpus(path, stemmed)
    assert "running" in base.tokens and "run" not in base.tokens
    assert out.sentence(0)[0].count("_") >= 1 and any("run" in t for t in out.tokens)
    assert out.n_sentences == base.n_sentences
    n, rows = corpus_phrases(path, stemmed, n=2)  # the Data page's table
    assert n >= 2 and len(rows) == 2 and set(rows[0]) == {"phrase", "score", "count", "pass"}
    assert rows[0]["score"] >= rows[1]["score"] > 1.0 and "_" in rows[0]["phrase"]


def test_query_token_follows_the_run_config() -> None:
    assert query_token("Running", {"lang": "en", "normalize": "stem"}) == "run"
    assert query_token("mice", {"lang": "en", "normalize": "lemma"}) == "mouse"
    assert query_token("New York", {"lang": "en", "phrases": 1}) == "new_york"
    assert query_token("New York", {"lang": "en"}) == "New York"
    assert query_token("Cats", {"lang": "pretokenized"}) == "Cats"
    assert query_token(" 猫 ", {"lang": "zh", "normalize": "stem"}) == "猫"
