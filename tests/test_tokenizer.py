"""Tokenizers (explorer.text.tokenizer): English regex, jieba for Chinese, mixed text, pre-tokenized, auto."""

from __future__ import annotations

import jieba
import pytest

from explorer.errors import ExplorerError
from explorer.text.stopwords import CHINESE, ENGLISH, STOPWORDS
from explorer.text.tokenizer import detect_lang, make_tokenizer, resolve_lang, tokenize_lines


@pytest.mark.parametrize(
    "line,tokens",
    [
        ("The Cat sat on the MAT.", ["the", "cat", "sat", "on", "the", "mat"]),
        ("Don't stop, it's 5 o'clock!", ["don't", "stop", "it's", "5", "o'clock"]),
        ("don’t", ["don't"]),  # typographic apostrophe
        ("well-known state_of_art", ["well", "known", "state", "of", "art"]),
        ("'quoted' words -- and ... dots", ["quoted", "words", "and", "dots"]),
        ("pi is 3.14", ["pi", "is", "3", "14"]),
        ("Café naïve Ünïcödé ÉCOLE", ["café", "naïve", "ünïcödé", "école"]),
        ("!!! ... ???", []),
        ("", []),
    ],
)
def test_english_tokens(line: str, tokens: list[str]) -> None:
    assert make_tokenizer("en")(line) == tokens


def test_chinese_precise_mode_known_sentence() -> None:
    tokenize = make_tokenizer("zh")
    assert tokenize("我喜欢吃香蕉") == ["我", "喜欢", "吃", "香蕉"]
    assert tokenize("我家的猫和狗在院子里玩。") == ["我家", "的", "猫", "和", "狗", "在", "院子", "里", "玩"]


@pytest.mark.slow
def test_user_words_are_kept_whole_without_touching_global_jieba() -> None:
    line = "小明爱吃奇异果冻"
    assert "奇异果冻" not in make_tokenizer("zh")(line)
    assert make_tokenizer("zh", user_words=["奇异果冻"])(line) == ["小明", "爱", "吃", "奇异果冻"]
    assert make_tokenizer("zh", user_words=[" 奇异果冻 ", ""])(line)[-1] == "奇异果冻"  # stripped, blanks ignored
    assert "奇异果冻" not in jieba.lcut(line)  # the global tokenizer is unchanged
    assert "奇异果冻" not in make_tokenizer("zh")(line)  # and so is a tokenizer without user words


def test_mixed_chinese_and_english() -> None:
    tokenize = make_tokenizer("zh")
    assert tokenize("我不喜欢Python, but I don't mind 猫!") == [
        "我", "不", "喜欢", "python", "but", "i", "don't", "mind", "猫",
    ]
    assert tokenize("iPhone手机很贵。") == ["iphone", "手机", "很", "贵"]
    assert tokenize("The dog barked twice.") == ["the", "dog", "barked", "twice"]  # no Chinese: English rules
    assert tokenize("  ,。!  ") == []


def test_pretokenized_splits_on_whitespace_only() -> None:
    assert make_tokenizer("pretokenized")("我 喜欢  吃\t香蕉 Don't,") == ["我", "喜欢", "吃", "香蕉", "Don't,"]


def test_stopwords_are_removed_in_every_language() -> None:
    assert make_tokenizer("en", remove_stopwords=True)("The cat and I saw a dog") == ["cat", "saw", "dog"]
    assert make_tokenizer("zh", remove_stopwords=True)("我的猫和你的狗") == ["猫", "狗"]
    assert make_tokenizer("pretokenized", remove_stopwords=True)("the 猫 of 的") == ["猫"]
    assert "cat" not in STOPWORDS and "猫" not in STOPWORDS
    assert STOPWORDS == ENGLISH | CHINESE and not ENGLISH & CHINESE


def test_detect_lang() -> None:
    assert detect_lang(["The cat sat on the mat."]) == "en"
    assert detect_lang(["我喜欢吃香蕉。"]) == "zh"
    assert detect_lang([]) == "en" and detect_lang(["123 !!!"]) == "en"
    # 5 % threshold: 1 Chinese character among 19 letters (5.3 %) -> zh; among 21 (4.8 %) -> en
    assert detect_lang(["abcdefghij klmnopqr 猫"]) == "zh"
    assert detect_lang(["abcdefghij klmnopqrst 猫"]) == "en"
    bilingual = ["The cat chased the dog across the yard."] * 3 + ["我家的猫和狗在院子里玩。"]
    assert detect_lang(bilingual) == "zh"


def test_resolve_lang_and_unknown_languages() -> None:
    assert resolve_lang("auto", ["我喜欢猫"]) == "zh"
    assert resolve_lang("pretokenized", ["我喜欢猫"]) == "pretokenized"
    with pytest.raises(ExplorerError, match="lang"):
        resolve_lang("klingon", [])
    with pytest.raises(ExplorerError, match="lang"):
        make_tokenizer("auto")


def test_tokenize_lines_resolves_auto() -> None:
    assert tokenize_lines(["Hello World", "second line"]) == [["hello", "world"], ["second", "line"]]
    assert tokenize_lines(["我喜欢吃香蕉"], lang="auto") == [["我", "喜欢", "吃", "香蕉"]]
    assert tokenize_lines(["a b"], lang="pretokenized") == [["a", "b"]]


def test_long_lines_reach_the_segmenter_in_bounded_pieces(monkeypatch: pytest.MonkeyPatch) -> None:
    from explorer.text import tokenizer

    sizes: list[int] = []
    base = tokenizer.english_tokens
    monkeypatch.setattr(tokenizer, "english_tokens", lambda line: sizes.append(len(line)) or base(line))
    tok = make_tokenizer("en")
    line = "a cat, a dog. " * 1000  # 14,000 characters
    assert tok(line) == ["a", "cat", "a", "dog"] * 1000
    assert max(sizes) <= tokenizer.SEGMENT_CHARS and tok.long_lines == [1]
    assert tokenizer.bounded_pieces("x" * 4001) == ["x" * 2000, "x" * 2000, "x"]


def test_a_long_pretokenized_line_is_split_whole_and_not_counted_as_cut() -> None:
    from explorer.text.tokenizer import SEGMENT_CHARS, make_tokenizer

    # "x!y" straddles where an en line would be cut (after the last "!" in the window's second half)
    line = " ".join(["w"] * (SEGMENT_CHARS // 2 - 2)) + " x!y " + " ".join(["z"] * 500)
    tokenize = make_tokenizer("pretokenized")
    tokens = tokenize(line)
    assert "x!y" in tokens and tokens == line.split()
    assert tokenize.long_lines == [0]
    assert make_tokenizer("en").long_lines == [0]


def test_jiebas_dictionary_loads_from_one_read_of_its_cache_with_the_same_words(tmp_path) -> None:
    """_jieba_base reads jieba's dictionary cache whole (marshal.load on a file read it a few bytes at a time,
    0.49 s against 0.14 s): the same objects, jieba's own marshal back in place, and the same cuts."""
    import marshal

    from explorer.text import tokenizer

    data = ({"北京": 3, "北": 5, "a b": 1}, 9)
    path = tmp_path / "c.cache"
    path.write_bytes(marshal.dumps(data))
    with open(path, "rb") as fh:
        assert tokenizer._WholeFileMarshal.load(fh) == data
    base = tokenizer._jieba_base()
    assert jieba.marshal is marshal and base.initialized and len(base.FREQ) > 300_000
    jieba.dt.check_initialized()  # jieba's global tokenizer, loaded its own way
    assert base.FREQ == jieba.dt.FREQ and base.total == jieba.dt.total
    assert list(base.cut("我们在北京大学学习自然语言处理")) == list(jieba.cut("我们在北京大学学习自然语言处理"))
