"""Reading, decoding, cleaning and loading corpora (explorer.text: decode, clean, readers, corpus): known answers on tiny files."""

from __future__ import annotations

import hashlib
import os
import threading
import zipfile
from pathlib import Path

import numpy as np
import pytest

import explorer.text.cache as cache_mod
import explorer.text.corpus as corpus_mod
from explorer.configs import CorpusConfig
from explorer.errors import ExplorerError, TrainingStopped
from explorer.progress import Progress
from explorer.text.clean import LineFilter, clean_line
from explorer.text.corpus import load_corpus
from explorer.text.decode import decode_bytes, detect_encoding
from explorer.text.readers import file_sha256, read_labels, read_user_words
from tests.support.text import read_text

SIMPLIFIED = (
    "我喜欢吃香蕉，也喜欢吃苹果。The cat chased the dog.\n"
    "今天天气很好，我们去公园散步吧。\n"
    "小明的妈妈是一名医生，她每天都很忙。\n"
)
TRADITIONAL = (
    "我喜歡吃香蕉，也喜歡吃蘋果。The cat chased the dog.\n"
    "今天天氣很好，我們去公園散步吧。\n"
    "小明的媽媽是一名醫生，她每天都很忙。\n"
)
EXPECTED_SIMPLIFIED = [
    "我喜欢吃香蕉,也喜欢吃苹果。The cat chased the dog.",  # NFKC: the full-width comma becomes ","
    "今天天气很好,我们去公园散步吧。",
    "小明的妈妈是一名医生,她每天都很忙。",
]


# --------------------------------------------------------------------------- encodings


@pytest.mark.parametrize(
    "encoding,expected",
    [
        ("utf-8", "utf-8"),
        ("utf-8-sig", "utf-8-sig"),
        ("utf-16", "utf-16"),  # Python writes a BOM (little-endian here)
        ("gb18030", "gb18030"),
        ("gbk", "gb18030"),  # GBK is a subset: decoded as GB18030
    ],
)
def test_simplified_chinese_in_every_encoding_reads_the_same(tmp_path: Path, encoding: str, expected: str) -> None:
    path = tmp_path / "zh.txt"
    path.write_bytes(SIMPLIFIED.encode(encoding))
    raw = read_text(path)
    assert raw.encoding == expected
    assert raw.lines == EXPECTED_SIMPLIFIED
    assert raw.source == "zh.txt" and raw.n_raw_lines == 3 and raw.n_dropped == 0


def test_utf16_le_with_bom_is_detected() -> None:
    data = b"\xff\xfe" + SIMPLIFIED.encode("utf-16-le")
    assert detect_encoding(data) == "utf-16"
    assert decode_bytes(data, "x.txt") == (SIMPLIFIED, "utf-16")


def test_big5_traditional_text(tmp_path: Path) -> None:
    data = TRADITIONAL.encode("big5")
    assert detect_encoding(data) == "big5"
    path = tmp_path / "big5.txt"
    path.write_bytes(data)
    lines = read_text(path).lines
    assert lines[1] == "今天天氣很好,我們去公園散步吧。"
    for encoding in ("utf-8", "utf-16", "gb18030"):  # the same traditional text in other encodings
        path.write_bytes(TRADITIONAL.encode(encoding))
        assert read_text(path).lines == lines


def test_detect_encoding_answers() -> None:
    assert detect_encoding(b"") == "utf-8"
    assert detect_encoding(b"plain ascii") == "utf-8"
    assert detect_encoding("猫".encode() * 3 + "猫".encode()[:2]) == "utf-8"  # a sample cut mid-character
    assert detect_encoding(b"\xef\xbb\xbfhi") == "utf-8-sig"
    assert detect_encoding(b"\xfe\xff\x00h") == "utf-16"
    assert detect_encoding(b"\xff\xfe\x00\x00h\x00\x00\x00") == "utf-32"


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + np.random.default_rng(0).bytes(3000),
        bytes(2000),
        b"text\x00with\x00nuls\x00" * 50,
    ],
    ids=["png", "zeros", "nul-heavy"],
)
def test_binary_data_is_refused(tmp_path: Path, data: bytes) -> None:
    with pytest.raises(ExplorerError, match=r"^blob\.bin: looks like a binary file, not text$"):
        decode_bytes(data, "blob.bin")
    path = tmp_path / "blob.txt"
    path.write_bytes(data)
    with pytest.raises(ExplorerError, match=r"blob\.txt: looks like a binary file, not text"):
        read_text(path)
    with pytest.raises(ExplorerError, match="binary"):
        load_corpus(path, CorpusConfig())


def test_empty_missing_and_blank_files(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    with pytest.raises(ExplorerError, match=r"empty\.txt: is empty"):
        read_text(tmp_path / "empty.txt")
    with pytest.raises(ExplorerError, match=r"empty\.txt: is empty"):
        load_corpus(tmp_path / "empty.txt", CorpusConfig())
    with pytest.raises(ExplorerError, match=r"is empty"):
        decode_bytes(b"", "e.txt")
    with pytest.raises(ExplorerError, match=r"nope\.txt: file not found"):
        read_text(tmp_path / "nope.txt")
    (tmp_path / "blank.txt").write_text(" \n\t\n<br>\n http://example.com \n")
    with pytest.raises(ExplorerError, match=r"blank\.txt: no text left after cleaning"):
        read_text(tmp_path / "blank.txt")
    with pytest.raises(ExplorerError, match=r"blank\.txt: no text left after cleaning"):
        load_corpus(tmp_path / "blank.txt", CorpusConfig())
    (tmp_path / "punct.txt").write_text("... !!! ???\n-- --\n")
    with pytest.raises(ExplorerError, match=r"punct\.txt: no tokens left after cleaning and tokenizing"):
        load_corpus(tmp_path / "punct.txt", CorpusConfig(lang="en"))


# --------------------------------------------------------------------------- csv / tsv / zip


def test_csv_guesses_the_longest_column_and_honours_a_named_one(tmp_path: Path) -> None:
    path = tmp_path / "reviews.csv"
    path.write_text(
        'id,stars,review\n1,5,"A lovely film, with a great cast"\n2,1,"Dull and far, far too long"\n3,4,Fine\n',
        encoding="utf-8",
    )
    assert read_text(path).lines == ["A lovely film, with a great cast", "Dull and far, far too long", "Fine"]
    assert read_text(path, text_column="stars").lines == ["5", "1", "4"]
    assert read_text(path, text_column="REVIEW").lines[0] == "A lovely film, with a great cast"  # case-insensitive
    with pytest.raises(ExplorerError, match=r"reviews\.csv: no column 'text'; available columns: id, stars, review"):
        read_text(path, text_column="text")
    with pytest.raises(ExplorerError, match="available columns"):
        load_corpus(path, CorpusConfig(text_column="text"))


def test_csv_guess_skips_numeric_columns_and_reports_the_column(tmp_path: Path) -> None:
    path = tmp_path / "mixed.csv"
    # the score column has the longest cells, but they are numbers; the short words are the text
    path.write_text("id,score,word\n1,0.123456789,cat\n2,1234.5678901,dog\n3,-0.000012345,ox\n", encoding="utf-8")
    raw = read_text(path)
    assert raw.lines == ["cat", "dog", "ox"] and raw.text_column == "word"
    assert read_text(path, text_column="SCORE").text_column == "score"  # the header's spelling
    assert read_text(path, text_column="").text_column == "word"  # empty = guess
    txt = tmp_path / "plain.txt"
    txt.write_text("a b c\n", encoding="utf-8")
    assert read_text(txt).text_column is None


def test_csv_without_a_text_column_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "numbers.csv"
    path.write_text("id,score,count\n1,0.5,3\n2,0.25,10\n3,1e3,\n", encoding="utf-8")
    message = r"numbers\.csv: no text column found \(columns: id, score, count\); choose one with --text-column"
    with pytest.raises(ExplorerError, match=message):
        read_text(path)
    with pytest.raises(ExplorerError, match=message):
        load_corpus(path, CorpusConfig(), use_cache=False)
    assert read_text(path, text_column="score").lines == ["0.5", "0.25", "1e3"]  # asked for: allowed


def test_text_column_for_a_txt_or_zip_file_is_an_error(tmp_path: Path) -> None:
    txt = tmp_path / "plain.txt"
    txt.write_text("a b c\n", encoding="utf-8")
    with pytest.raises(ExplorerError, match=r"plain\.txt: --text-column applies only to \.csv/\.tsv files"):
        read_text(txt, text_column="review")
    with pytest.raises(ExplorerError, match="applies only to"):
        load_corpus(txt, CorpusConfig(text_column="review"), use_cache=False)
    assert read_text(txt, text_column="").lines == ["a b c"]  # empty and None: no column given
    assert read_text(txt, text_column=None).lines == ["a b c"]
    archive = tmp_path / "texts.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("a.txt", "x y z\n")
    with pytest.raises(ExplorerError, match=r"texts\.zip: --text-column applies only"):
        read_text(archive, text_column="review")


def test_tsv_and_semicolon_csv_with_bom_and_multiline_cells(tmp_path: Path) -> None:
    tsv = tmp_path / "t.tsv"
    tsv.write_text("n\ttext\n1\t猫和狗\n2\t香蕉\n", encoding="utf-8")
    assert read_text(tsv).lines == ["猫和狗", "香蕉"]
    semi = tmp_path / "s.csv"
    semi.write_bytes('id;text\n1;"first line\nsecond line"\n2;third one here\n'.encode("utf-8-sig"))
    raw = read_text(semi)
    assert raw.encoding == "utf-8-sig"
    assert raw.lines == ["first line", "second line", "third one here"]


@pytest.mark.slow
def test_zip_of_txt_files_is_read_in_memory(tmp_path: Path) -> None:
    path = tmp_path / "books.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("b/second.txt", b"the dog barked\n")
        zf.writestr("a/first.txt", SIMPLIFIED.encode("gb18030"))
        zf.writestr("notes.md", "ignored\n")
        zf.writestr("__MACOSX/a/._first.txt", b"\x00\x05\x16\x07junk")
        zf.writestr("../../evil.txt", "skipped: a dot-dot name is never a normal text member\n")
        zf.writestr(".hidden.txt", "skipped too\n")
    before = set(os.listdir(tmp_path))
    raw = read_text(path)
    assert raw.lines == [*EXPECTED_SIMPLIFIED, "the dog barked"]  # members sorted by name
    assert raw.encoding == "gb18030+utf-8"  # in member order
    assert set(os.listdir(tmp_path)) == before  # nothing written next to the zip
    corpus = load_corpus(path, CorpusConfig(lang="zh"))
    assert corpus.n_lines == 4 and "香蕉" in corpus.tokens and "barked" in corpus.tokens


def test_zip_without_txt_and_broken_zip(tmp_path: Path) -> None:
    path = tmp_path / "x.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("data.csv", "a,b\n")
    with pytest.raises(ExplorerError, match=r"x\.zip: no \.txt files inside the zip"):
        read_text(path)
    (tmp_path / "broken.zip").write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(ExplorerError, match=r"broken\.zip: not a valid zip file"):
        read_text(tmp_path / "broken.zip")


# --------------------------------------------------------------------------- cleaning


@pytest.mark.parametrize(
    "raw,clean",
    [
        ("<p>Hello <b>world</b></p>", "Hello world"),
        ("a<br/>b", "a b"),
        ("1 < 2 and 3 > 2", "1 < 2 and 3 > 2"),
        ("<script>var x = 1;</script>text <!-- note --> here", "text here"),
        ("Tom &amp; Jerry&nbsp;&lt;3", "Tom & Jerry <3"),
        ("see https://example.com/a?b=1&c=2 and www.test.org now", "see and now"),
        ("链接http://x.cn/a。完", "链接 。完"),
        ("ｆｕｌｌ－ｗｉｄｔｈ　ＡＢＣ１２３", "full-width ABC123"),
        ("ﬁne café", "fine café"),  # NFKC: ligature unfolded, composed é kept
        ("bell\x07 nul\x00 del\x7f c1\x85 end", "bell nul del c1 end"),
        ("zero\u200bwidth soft\xadhyphen \ufeffbom", "zerowidth softhyphen bom"),
        ("  many \t  spaces \r\n", "many spaces"),
        ("", ""),
        ("   ", ""),
    ],
)
def test_clean_line(raw: str, clean: str) -> None:
    assert clean_line(raw) == clean


def test_line_filter_drops_empty_and_duplicate_lines() -> None:
    lines = ["b", " ", "a", "b", "<i>a</i>", "", "c"]
    for dedupe, kept, dropped in ((True, ["b", "a", "c"], 4), (False, ["b", "a", "b", "a", "c"], 2)):
        keep = LineFilter(dedupe)
        assert (list(keep(lines)), keep.n_raw, keep.n_dropped) == (kept, 7, dropped)


def test_read_text_counts_raw_and_dropped_lines(tmp_path: Path) -> None:
    path = tmp_path / "d.txt"
    path.write_text("one\n\ntwo\none\r\nthree\r\n\n")
    raw = read_text(path)
    assert raw.lines == ["one", "two", "three"] and raw.n_raw_lines == 6 and raw.n_dropped == 3
    assert read_text(path, dedupe=False).lines == ["one", "two", "one", "three"]


# --------------------------------------------------------------------------- small helpers


def test_file_sha256(tmp_path: Path) -> None:
    path = tmp_path / "h.txt"
    path.write_bytes(b"abc" * 1000)
    assert file_sha256(path) == hashlib.sha256(b"abc" * 1000).hexdigest()


def test_read_labels_tsv_csv_header_and_errors(tmp_path: Path) -> None:
    tsv = tmp_path / "l.tsv"
    tsv.write_text("token\tlabel\ncat\tanimals\n猫\tanimals\n\nbanana\tfruit\n", encoding="utf-8")
    assert read_labels(tsv) == {"cat": "animals", "猫": "animals", "banana": "fruit"}
    csv_path = tmp_path / "l.csv"
    csv_path.write_bytes("dog,animals\nＡＢＣ, letters \nlonely\n".encode("utf-16"))
    assert read_labels(csv_path) == {"dog": "animals", "ABC": "letters"}
    (tmp_path / "bad.tsv").write_text("just words\nno labels\n")
    with pytest.raises(ExplorerError, match=r"bad\.tsv: no word,label rows"):
        read_labels(tmp_path / "bad.tsv")


def test_read_user_words(tmp_path: Path) -> None:
    path = tmp_path / "words.txt"
    path.write_bytes("# my words\n奇异果冻\n\n  长颈鹿 10 n\nＡＩ芯片\n".encode("utf-16"))
    assert read_user_words(path) == ["奇异果冻", "长颈鹿", "AI芯片"]
    (tmp_path / "none.txt").write_text("# only a comment\n\n")
    with pytest.raises(ExplorerError, match=r"none\.txt: no words found"):
        read_user_words(tmp_path / "none.txt")


# --------------------------------------------------------------------------- load_corpus


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_load_corpus_encodes_ids_offsets_and_counts(tmp_path: Path) -> None:
    path = _write(tmp_path / "c.txt", "The cat sat.\n\nthe dog, the cat!\n... \nthe cat sat\nA dog\n")
    corpus = load_corpus(path, CorpusConfig())
    assert corpus.lang == "en" and corpus.encoding == "utf-8" and corpus.source == "c.txt"
    assert corpus.sha256 == file_sha256(path)
    assert corpus.tokens == ["the", "cat", "sat", "dog", "a"]
    assert corpus.ids.dtype == np.int32 and corpus.offsets.dtype == np.int64 and corpus.counts.dtype == np.int64
    assert corpus.ids.tolist() == [0, 1, 2, 0, 3, 0, 1, 0, 1, 2, 4, 3]
    assert corpus.offsets.tolist() == [0, 3, 7, 10, 12]
    assert corpus.counts.tolist() == [4, 3, 2, 2, 1]
    assert corpus.n_tokens == 12 and corpus.n_sentences == 4 and corpus.n_lines == 5  # "..." gave no tokens
    assert corpus.sentence(1) == ["the", "dog", "the", "cat"]
    deduped = load_corpus(_write(tmp_path / "dup.txt", "a b\na b\nc\n"), CorpusConfig(lang="en"))
    assert deduped.offsets.tolist() == [0, 2, 3]
    kept = load_corpus(tmp_path / "dup.txt", CorpusConfig(lang="en", dedupe_lines=False))
    assert kept.offsets.tolist() == [0, 2, 4, 5]


@pytest.mark.slow
def test_load_corpus_auto_detects_chinese_and_uses_user_words(tmp_path: Path) -> None:
    path = _write(tmp_path / "zh.txt", "我喜欢吃香蕉\n小明爱吃奇异果冻\n")
    corpus = load_corpus(path, CorpusConfig())
    assert corpus.lang == "zh"
    assert corpus.sentence(0) == ["我", "喜欢", "吃", "香蕉"]
    with_words = load_corpus(path, CorpusConfig(user_words=["奇异果冻"]))
    assert "奇异果冻" in with_words.sentence(1)
    also = load_corpus(path, CorpusConfig(), user_words=["奇异果冻"])
    assert also.tokens == with_words.tokens


def test_load_corpus_stopwords_and_pretokenized(tmp_path: Path) -> None:
    path = _write(tmp_path / "s.txt", "The cat and the dog\n我 的 猫\n")
    assert load_corpus(path, CorpusConfig(lang="en", remove_stopwords=True)).tokens == ["cat", "dog", "猫"]
    pre = load_corpus(path, CorpusConfig(lang="pretokenized"))
    assert pre.tokens == ["The", "cat", "and", "the", "dog", "我", "的", "猫"]
    with pytest.raises(ExplorerError, match="lang"):
        load_corpus(path, CorpusConfig(lang="fr"))


def test_cache_hits_on_second_load_and_misses_on_changed_config(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, explorer_home: Path
) -> None:
    path = _write(tmp_path / "c.txt", "the cat sat\nthe dog ran\n")
    calls: list[str] = []
    real = corpus_mod.make_tokenizer

    def counting(*args, **kwargs):
        tokenize = real(*args, **kwargs)

        def wrapped(line: str) -> list[str]:
            calls.append(line)
            return tokenize(line)

        return wrapped

    monkeypatch.setattr(corpus_mod, "make_tokenizer", counting)
    first = load_corpus(path, CorpusConfig())
    assert len(calls) == 2
    cached = sorted(p.name for p in (explorer_home / "cache").iterdir())
    assert len(cached) == 4 and all(name.startswith("corpus-") for name in cached)  # named by hash only
    second = load_corpus(path, CorpusConfig(), name="renamed.txt")
    assert len(calls) == 2  # served from the cache: the tokenizer did not run
    assert second.tokens == first.tokens and second.source == "renamed.txt"
    np.testing.assert_array_equal(second.ids, first.ids)
    np.testing.assert_array_equal(second.offsets, first.offsets)
    np.testing.assert_array_equal(second.counts, first.counts)
    load_corpus(path, CorpusConfig(remove_stopwords=True))  # another config: a miss
    assert len(calls) == 4
    load_corpus(path, CorpusConfig(), user_words=["猫咪"])  # other user words: a miss
    assert len(calls) == 6
    load_corpus(path, CorpusConfig(), use_cache=False)
    assert len(calls) == 8
    path.write_text("the cat sat\nthe dog ran\nnew line\n")  # changed bytes: a miss
    assert load_corpus(path, CorpusConfig()).n_lines == 3 and len(calls) == 11
    as_csv = tmp_path / "c.csv"  # the same bytes as a CSV file (header + 2 rows): a different corpus
    as_csv.write_bytes(path.read_bytes())
    assert load_corpus(as_csv, CorpusConfig()).n_lines == 2 and len(calls) == 13


def test_unwritable_cache_still_returns_the_corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_args, **_kwargs) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(cache_mod, "save_cache", broken)
    path = _write(tmp_path / "c.txt", "the cat sat\n")
    assert load_corpus(path, CorpusConfig()).tokens == ["the", "cat", "sat"]


def test_corrupt_cache_entry_is_a_miss(tmp_path: Path, explorer_home: Path) -> None:
    path = _write(tmp_path / "c.txt", "the cat sat\n")
    load_corpus(path, CorpusConfig())
    for file in (explorer_home / "cache").glob("*.ids.npy"):
        file.write_bytes(b"garbage")
    assert load_corpus(path, CorpusConfig()).tokens == ["the", "cat", "sat"]


def test_progress_reports_and_stop(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _write(tmp_path / "p.txt", "".join(f"line {i} with words\n" for i in range(2000)))
    reports: list[Progress] = []
    load_corpus(path, CorpusConfig(lang="en"), callback=reports.append, use_cache=False)
    assert reports and all(r.stage == "tokenize" for r in reports)
    assert reports[-1].progress == 1.0 and reports[-1].rate > 0 and "2,000 lines" in reports[-1].message
    assert all(0.0 <= r.progress <= 1.0 for r in reports)

    monkeypatch.setattr(corpus_mod._Reporter, "__init__", _eager_reporter_init)  # report every line
    seen: list[float] = []

    def stop_early(report: Progress) -> bool:
        seen.append(report.progress)
        return len(seen) >= 3

    with pytest.raises(TrainingStopped):
        load_corpus(path, CorpusConfig(lang="en"), callback=stop_early)
    assert len(seen) == 3
    assert not list(Path(os.environ["EXPLORER_HOME"], "cache").glob("*.json"))  # nothing cached


_real_reporter_init = corpus_mod._Reporter.__init__


def _eager_reporter_init(self, callback, interval: float = 0.1) -> None:
    _real_reporter_init(self, callback, interval=0.0)


def test_a_cache_entry_written_behind_is_there_once_waited_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, explorer_home: Path
) -> None:
    """load_corpus(write_behind=True) returns before its cache entry is written (a thread writes it while the
    caller builds the vocabulary); wait_for_writes() waits for it; a failed write costs nothing but speed."""
    path = _write(tmp_path / "c.txt", "the cat sat\nthe dog ran\n")
    started, release = threading.Event(), threading.Event()
    real = cache_mod.save_cache

    def slow(key: str, corpus: object) -> None:
        started.set()
        assert release.wait(10)
        real(key, corpus)  # type: ignore[arg-type]

    monkeypatch.setattr(cache_mod, "save_cache", slow)
    first = load_corpus(path, CorpusConfig(), write_behind=True)
    assert started.wait(10) and not list((explorer_home / "cache").glob("corpus-*"))  # returned before the write
    release.set()
    cache_mod.wait_for_writes()
    assert len(list((explorer_home / "cache").glob("corpus-*"))) == 4
    def not_again(*_args: object) -> None:
        raise AssertionError("tokenized again: the entry written behind was not used")

    encode_file = corpus_mod._encode_file
    monkeypatch.setattr(corpus_mod, "_encode_file", not_again)
    assert load_corpus(path, CorpusConfig()).tokens == first.tokens  # a hit
    monkeypatch.setattr(corpus_mod, "_encode_file", encode_file)

    def broken(*_args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(cache_mod, "save_cache", broken)
    other = _write(tmp_path / "d.txt", "a b c\n")
    assert load_corpus(other, CorpusConfig(), write_behind=True).tokens == ["a", "b", "c"]
    cache_mod.wait_for_writes()  # the failed write raised nothing
