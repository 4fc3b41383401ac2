"""Smaller behaviours of issue 24: emoji-only corpora refused with the reason, text files judged by content rather
than suffix, exports named after the run's name."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from explorer.configs import CorpusConfig
from explorer.errors import ExplorerError
from explorer.i18n import error_text
from explorer.jobs import workspaces
from explorer.runs import manage
from explorer.text.corpus import load_corpus
from explorer.text.decode import is_text


@pytest.mark.parametrize("text", ["😀😀 🍕🍕 🎉\n" * 50, "🙂🙃 I love 🍕\n😀😀🎉🎉🎉👍🏽\n"])
def test_an_emoji_corpus_is_refused_naming_the_emoji(tmp_path: Path, text: str) -> None:
    path = tmp_path / "chat.txt"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ExplorerError) as info:
        load_corpus(path, CorpusConfig(), use_cache=False)
    assert info.value.code == "text_mostly_symbols"
    assert "emoji" in str(info.value)
    assert "表情符号" in error_text(info.value, "zh")


def test_a_text_with_some_emoji_still_trains(tmp_path: Path) -> None:
    path = tmp_path / "chat.txt"
    path.write_text("".join(f"我们 今天 去 公园 玩 了 {i} 次 😀\n" for i in range(200)), encoding="utf-8")
    corpus = load_corpus(path, CorpusConfig(), use_cache=False)
    assert "公园" in corpus.tokens and not any("😀" in t for t in corpus.tokens)


def test_an_unknown_suffix_is_read_as_text_when_its_content_is_text() -> None:
    novel = "滚滚长江东逝水，浪花淘尽英雄。\n".encode("gb18030") * 20
    path = workspaces.save_upload(novel, ".cor")
    assert path.suffix == ".txt" and path.read_bytes() == novel
    assert load_corpus(path, CorpusConfig(), name="sanguo.cor").n_tokens > 0
    with pytest.raises(ExplorerError) as info:  # not text: still refused by its suffix
        workspaces.save_upload(bytes(range(256)) * 8, ".cor")
    assert info.value.code == "upload_type"
    assert not is_text(b"PK\x03\x04 a zip") and is_text(b"plain words\n")
    with pytest.raises(ExplorerError):  # a binary format's suffix is never sniffed, even when its bytes look like text
        workspaces.save_upload(b"\x89PNG....", ".png")


def test_the_data_pages_check_accepts_a_cor_corpus_by_content() -> None:
    from pages._data_ui import save_checked

    upload = SimpleNamespace(name="book.cor", getvalue=lambda: b"It was the best of times.\n" * 10)
    assert save_checked(upload, ("txt", "csv", "tsv", "zip")).suffix == ".txt"
    binary = SimpleNamespace(name="book.cor", getvalue=lambda: bytes(range(256)) * 8)
    with pytest.raises(ExplorerError) as info:
        save_checked(binary, ("txt", "csv", "tsv", "zip"))
    assert info.value.code == "upload_type"
    log = SimpleNamespace(name="ratings.cor", getvalue=lambda: b"1,2,5\n")  # where text is not accepted: refused
    with pytest.raises(ExplorerError):
        save_checked(log, ("inter", "csv"))


def run_named(name: str) -> SimpleNamespace:
    return SimpleNamespace(name=name, run_id="20260101-120000-0123abcd")


@pytest.mark.parametrize(("name", "stem"), [
    ("Romance of the Three Kingdoms", "Romance-of-the-Three-Kingdoms"),
    ("三国演义 第二版", "三国演义-第二版"),
    ("a/b\\c:d*e?f\"g<h>i|j", "a-b-c-d-e-f-g-h-i-j"),
    ("../../etc/passwd", "etc-passwd"),
    (".hidden", "hidden"),
    ("CON", "20260101-120000-0123abcd"),
    ("🎉🎉", "20260101-120000-0123abcd"),
    ("x" * 200, "x" * 60),
])
def test_exports_are_named_after_the_run_made_safe(name: str, stem: str) -> None:
    assert manage.download_stem(run_named(name)) == stem
    file_name, mime = manage.export_file_name(run_named(name), "word2vec_text")
    assert file_name == f"{stem}-word2vec.txt" and mime == "text/plain"
