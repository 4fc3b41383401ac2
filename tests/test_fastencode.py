"""The compiled block encoder (explorer.text.fastencode) gives exactly the corpus of the line-by-line path, and the
fast helpers of that path (cutting long lines, counting symbols) answer as the character loops they replaced."""

from __future__ import annotations

import logging
import random
import unicodedata
from pathlib import Path

import numpy as np
import pytest

import explorer.text.corpus as corpus_mod
import explorer.text.fastencode as fastencode
from explorer.configs import CorpusConfig
from explorer.text.corpus import load_corpus, symbol_chars
from explorer.text.tokenizer import bounded_pieces

GOLDEN_LINES = [
    "The Cat sat on the MAT. Don't stop, it's 5 o'clock!",
    "don’t say ’quoted’ or 'quoted' -- l'été à Paris, naïve CAFÉ",
    "well-known state_of_art pi is 3.14 x'' ''y a''b c'd'e 'f",
    "Ελληνικά ΣΟΦΟΣ σοφός İstanbul straße ŉ ﬁne",  # lowercasing that changes lengths or depends on context
    "mixed 中文 words 我喜欢 NLP 和 word2vec!",
    "emoji 🍕🍕 and 👍🏽 and ^carets^ and `ticks`",
    "!!! ... ???",  # a line without tokens
    "<b>bold</b> see https://example.com &amp; www.Example.org more\ttabs",
    "Ｆｕｌｌｗｉｄｔｈ ＡＢＣ １２３",
    "digits 12345 and 1,000,000 and 3.5e10",
    " ".join(f"w{i % 97}" for i in range(900)),  # long, with spaces: cut after a space
    "a" * 2500 + " tail",  # a long run without any break: cut at the bound
    ("x,y." * 800) + " end",  # long, breaks but no spaces: cut after a comma or period
    "é" * 1200 + "a'b" * 400,  # long and not ASCII
    ("sentence one! two? three; " * 120),
    "don't" * 500,  # apostrophes across a cut at the bound
    "CASE Kept In PRETOKENIZED text",
    "   runs   of  spaces   inside ,  and  around   ",  # printable: reach the encoder with their runs of spaces
    "  é  naïve   CAFÉ   l'été  ",
    ("word  " * 300) + ("b" * 1990) + "   " + ("c" * 30),  # long en line: cut where the single-spaced line is cut
]


def _load(path: Path, lang: str, fast: bool, monkeypatch: pytest.MonkeyPatch, **cfg: object):
    monkeypatch.setattr(corpus_mod, "FASTENCODE_MIN_BYTES", 0 if fast else 1 << 62)
    return load_corpus(path, CorpusConfig(lang=lang, dedupe_lines=False, **cfg), use_cache=False)


def _assert_same(a, b) -> None:  # type: ignore[no-untyped-def]
    assert a.tokens == b.tokens
    for name in ("ids", "offsets", "counts"):
        x, y = getattr(a, name), getattr(b, name)
        assert x.dtype == y.dtype and np.array_equal(x, y), name
    assert (a.n_lines, a.lang, a.encoding) == (b.n_lines, b.lang, b.encoding)


@pytest.mark.parametrize("lang", ["en", "pretokenized"])
@pytest.mark.parametrize("block_chars", [64, 1 << 20])  # many small blocks (the vocabulary arrays grow) or one
def test_block_encoder_gives_the_line_by_line_corpus_on_mixed_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lang: str, block_chars: int
) -> None:
    path = tmp_path / "mixed.txt"
    path.write_text("\n".join(GOLDEN_LINES * 3) + "\n", encoding="utf-8")
    monkeypatch.setattr(fastencode, "BLOCK_CHARS", block_chars)
    slow = _load(path, lang, False, monkeypatch)
    fast = _load(path, lang, True, monkeypatch)
    _assert_same(fast, slow)
    if lang == "en":  # the golden answer of a few lines, so that both paths cannot drift together
        first = slow.sentence(0)
        assert first == ["the", "cat", "sat", "on", "the", "mat", "don't", "stop", "it's", "5", "o'clock"]
        assert slow.sentence(1)[:6] == ["don't", "say", "quoted", "or", "quoted", "l'été"]
        assert "ﬁne" not in slow.tokens and "fine" in slow.tokens  # NFKC before tokenizing
        assert "a" * 2000 in slow.tokens and "a" * 500 in slow.tokens  # the 2,500-letter run cut at the bound


def test_block_encoder_on_random_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(7)
    alphabet = list("abcXYZ019'’ -_.,!?;:\t") + ["é", "Σ", "中", "文", "🍕", "\u00a0", "\u3000", "İ", "ß", "Ⅻ", "²"]
    lines = []
    for _ in range(300):
        n = rng.choice([0, 3, 20, 80, 2100, 4500])
        lines.append("".join(rng.choice(alphabet) for _ in range(n)))
    path = tmp_path / "random.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.setattr(fastencode, "BLOCK_CHARS", 5000)
    for lang in ("en", "pretokenized"):
        _assert_same(_load(path, lang, True, monkeypatch), _load(path, lang, False, monkeypatch))


def test_block_encoder_warns_once_about_long_lines(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                    caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "long.txt"
    path.write_text(("word " * 1000 + "\n") * 3, encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="explorer.text"):
        _load(path, "en", True, monkeypatch)
    assert sum("tokenized in pieces" in r.getMessage() for r in caplog.records) == 1


def test_small_files_and_stopwords_keep_the_line_by_line_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    real = fastencode.BlockEncoder

    def spy(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(args[0])
        return real(*args, **kwargs)

    monkeypatch.setattr(fastencode, "BlockEncoder", spy)
    path = tmp_path / "small.txt"
    path.write_text("the cat and the dog\n", encoding="utf-8")
    load_corpus(path, CorpusConfig(lang="en"), use_cache=False)  # below FASTENCODE_MIN_BYTES
    monkeypatch.setattr(corpus_mod, "FASTENCODE_MIN_BYTES", 0)
    got = load_corpus(path, CorpusConfig(lang="en", remove_stopwords=True), use_cache=False)
    assert calls == [] and got.tokens == ["cat", "dog"]
    load_corpus(path, CorpusConfig(lang="en"), use_cache=False)
    assert calls == ["en"]


def _cut_at_by_characters(line: str, start: int, end: int) -> int:  # the loop that _cut_at replaced
    half = start + (end - start) // 2
    fallback = 0
    for i in range(end - 1, half - 1, -1):
        ch = line[i]
        if ch in "。！？；!?;\n":
            return i + 1
        if not fallback and (ch in "，、,.:：…)）」』》】 \t\u3000" or ch.isspace()):
            fallback = i + 1
    return fallback or end


def _bounded_pieces_by_characters(line: str, size: int) -> list[str]:
    if len(line) <= size:
        return [line]
    pieces, start = [], 0
    while len(line) - start > size:
        cut = _cut_at_by_characters(line, start, start + size)
        pieces.append(line[start:cut])
        start = cut
    pieces.append(line[start:])
    return pieces


def test_cutting_long_lines_matches_the_character_loop() -> None:
    rng = random.Random(3)
    alphabet = list("ab ,.!?;\n\t") + ["。", "，", "\u3000", "\u2028", "\u00a0", "\x1c", "中", "…", "」"]
    for _ in range(400):
        sparse = rng.random() < 0.5  # long stretches without breaks as well
        letters = "ab中" if sparse else alphabet
        line = "".join(rng.choice(alphabet if rng.random() < 0.01 else letters) for _ in range(rng.randint(0, 700)))
        size = rng.choice([10, 37, 100, 256])
        assert bounded_pieces(line, size) == _bounded_pieces_by_characters(line, size)


def test_symbol_counts_match_the_character_loop() -> None:
    rng = random.Random(5)
    alphabet = list("ab ^`~$+<|") + ["🍕", "👍", "🏽", "\u200d", "\ufe0f", "©", "°", "中", "é", "¨", "€"]
    for _ in range(300):
        line = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 60)))
        if rng.random() < 0.3:
            line = line.encode("ascii", "ignore").decode()
        want = sum(1 for ch in line if unicodedata.category(ch) in ("So", "Sk") or ch in "\u200d\ufe0f")
        assert symbol_chars(line) == want


def _clean_line_before(line: str) -> str:  # clean_line before its printable-line shortcuts
    import html

    from explorer.text.clean import _ASCII_CONTROL, _CONTROL, _DROP, TAG_PATTERN, URL_PATTERN

    if (line.isascii() and "<" not in line and "&" not in line and "://" not in line
            and "www." not in line.lower() and not _ASCII_CONTROL.search(line)):
        return " ".join(line.split())
    if "&" in line:
        line = html.unescape(line)
    if "<" in line or "\uff1c" in line:
        line = TAG_PATTERN.sub(" ", line)
    if not line.isascii():
        line = unicodedata.normalize("NFKC", line)
        line = _DROP.sub("", line)
        if "<" in line:
            line = TAG_PATTERN.sub(" ", line)
    if "://" in line or "www." in line.lower():
        line = URL_PATTERN.sub(" ", line)
    line = _CONTROL.sub(" ", line)
    return " ".join(line.split())


def test_clean_line_shortcuts_give_what_the_full_path_gives() -> None:
    from explorer.text.clean import clean_line

    rng = random.Random(11)
    pieces = ["a", "B", " ", "  ", "\t", "\n", "\x00", "\x1c", "\x7f", "\x85", "\xa0", "\u3000", "\u2028", "\xad",
              "\u200b", "\ufeff", "\ufffd", "é", "Ｆ", "ﬁ", "<b>", "</b>", "&amp;", "&lt;i&gt;", "http://x.org/y",
              "www.", "WwW.", "w.", "W.", "\uff1cb\uff1e", "中", "🍕", ".", "'"]
    for _ in range(3000):
        line = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 12))) + rng.choice(["", "\n", "\r\n"])
        assert clean_line(line) == _clean_line_before(line), repr(line)
        # without collapsing, only runs of spaces inside the line differ (and an empty line stays empty)
        loose = clean_line(line, collapse=False)
        assert bool(loose) == bool(clean_line(line)), repr(line)
        assert " ".join(loose.split()) == clean_line(line) and loose == loose.strip(), repr(line)
