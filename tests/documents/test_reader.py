"""Documents as data: each format, layout detection, columns guessed and chosen, empties and duplicates
reported (never dropped), bad files refused with one line, and the document run files."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import numpy as np
import pytest

from explorer.documents import (
    DOCS_TSV,
    read_doc_vectors,
    read_docs_tsv,
    read_documents,
    write_doc_vectors,
    write_docs_tsv,
    write_documents,
)
from explorer.errors import ExplorerError
from explorer.i18n import error_text


def _write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_txt_one_document_per_line(tmp_path: Path) -> None:
    docs = read_documents(_write(tmp_path, "d.txt", "first doc\n\nsecond <b>doc</b>\nthird doc\nfirst doc\n"))
    assert docs.format == "txt" and docs.layout == "lines"
    assert docs.texts == ["first doc", "second doc", "third doc", "first doc"]
    assert docs.ids == ["1", "3", "4", "5"]  # line numbers: rows stay traceable to the input
    assert docs.n_blank == 1 and docs.duplicates == [(3, 0)] and docs.empty == []
    assert "one document per line" in docs.summary() and "1 duplicates" in docs.summary()


def test_txt_blank_line_blocks(tmp_path: Path) -> None:
    text = "A first paragraph\nthat goes on.\n\n\nSecond one.\n\nThird\nparagraph here.\n"
    docs = read_documents(_write(tmp_path, "d.txt", text))
    assert docs.layout == "blocks"
    assert docs.texts == ["A first paragraph that goes on.", "Second one.", "Third paragraph here."]
    assert docs.ids == ["1", "2", "3"]
    assert "blank-line block" in docs.summary()
    forced = read_documents(_write(tmp_path, "d.txt", text), layout="lines")
    assert len(forced) == 5


def test_txt_in_gbk_is_decoded(tmp_path: Path) -> None:
    docs = read_documents(_write(tmp_path, "zh.txt", "今天天气很好，我们去公园散步吧\n机器学习是人工智能的一个分支领域\n", "gbk"))
    assert docs.texts[1].startswith("机器学习") and docs.encoding == "gb18030"


def test_csv_columns_guessed_and_changeable(tmp_path: Path) -> None:
    path = _write(tmp_path, "d.csv", "doc_id,headline,body,category,score\n"
                                    "a1,Cats,\"Cats sleep a lot, all day long\",pets,3\n"
                                    "a2,Stocks,,finance,4\n"
                                    "a3,Cats again,\"Cats sleep a lot, all day long\",pets,5\n")
    docs = read_documents(path)
    assert docs.columns == {"text": "body", "id": "doc_id", "title": "headline", "label": "category"}
    assert docs.ids == ["a1", "a2", "a3"] and docs.titles == ["Cats", "Stocks", "Cats again"]
    assert docs.labels == ["pets", "finance", "pets"] and docs.has_labels
    assert docs.texts[1] == "" and docs.empty == [1] and docs.duplicates == [(2, 0)]
    assert read_documents(path, label_column="", title_column="").columns["label"] is None  # "": none
    chosen = read_documents(path, text_column="headline", label_column="SCORE")
    assert chosen.texts == ["Cats", "Stocks", "Cats again"] and chosen.labels == ["3", "4", "5"]


def test_tsv_text_column_by_length_and_row_numbers_as_ids(tmp_path: Path) -> None:
    docs = read_documents(_write(tmp_path, "d.tsv", "n\tx\n1\tshort words here and more\n2\tanother line of text\n"))
    assert docs.columns["text"] == "x" and docs.ids == ["1", "2"] and not docs.has_labels


def test_jsonl(tmp_path: Path) -> None:
    rows = [{"id": 7, "text": "hello world", "label": "greeting"}, {"id": 8, "text": "bye now", "label": None}]
    docs = read_documents(_write(tmp_path, "d.jsonl", "\n".join(json.dumps(r) for r in rows) + "\n\n"))
    assert docs.format == "jsonl" and docs.ids == ["7", "8"] and docs.labels == ["greeting", ""]
    assert docs.texts == ["hello world", "bye now"]


def test_zip_of_txt_files(tmp_path: Path) -> None:
    path = tmp_path / "docs.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("b/second.txt", "Second\ndocument")
        zf.writestr("a_first.txt", "First document")
        zf.writestr("empty.txt", "")
        zf.writestr("notes.md", "ignored")
    docs = read_documents(path)
    assert docs.format == "zip" and docs.ids == ["a_first.txt", "b/second.txt", "empty.txt"]
    assert docs.titles == ["a_first", "second", "empty"]
    assert docs.texts == ["First document", "Second document", ""] and docs.empty == [2]


@pytest.mark.parametrize("name, content, code", [
    ("d.txt", "", "file_empty"),
    ("d.txt", "\n\n  \n", "documents_none"),
    ("d.txt", "\x00\x01\x02" * 100, "file_binary"),
    ("d.jsonl", '{"text": "ok"}\n{bad json\n', "documents_bad_json"),
    ("d.jsonl", '{"text": "ok"}\n[1, 2]\n', "documents_json_not_object"),
    ("d.csv", "a,b\n1,2\n3,4\n", "text_no_text_column"),
    ("d.zip", "PK\x03\x04 not really a zip", "zip_invalid"),
])
def test_bad_files_are_one_line(tmp_path: Path, name: str, content: str, code: str) -> None:
    with pytest.raises(ExplorerError) as info:
        read_documents(_write(tmp_path, name, content))
    assert info.value.code == code and "\n" not in str(info.value) and name in str(info.value)
    assert error_text(info.value, "zh") != str(info.value)


def test_column_errors(tmp_path: Path) -> None:
    csv_path = _write(tmp_path, "d.csv", "text,label\nhello there,a\n")
    with pytest.raises(ExplorerError) as info:
        read_documents(csv_path, label_column="nope")
    assert info.value.code == "documents_no_column" and "text, label" in str(info.value)
    assert "标签" in error_text(info.value, "zh")
    with pytest.raises(ExplorerError) as info:
        read_documents(_write(tmp_path, "d.txt", "hello\n"), text_column="text")
    assert info.value.code == "documents_column_not_table"


def test_line_limit_applies(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EXPLORER_MAX_LINE_CHARS", "50")
    with pytest.raises(ExplorerError) as info:
        read_documents(_write(tmp_path, "d.txt", "short\n" + "x" * 80 + "\n"))
    assert info.value.code == "limit_line"


def test_run_files_round_trip(tmp_path: Path) -> None:
    docs = read_documents(_write(tmp_path, "d.csv", "id,title,text\n1,T\tab,\"line one\nline two " + "y" * 300 + "\"\n"
                                                      "2,,second\n"))
    vectors = np.arange(6, dtype=np.float64).reshape(2, 3)
    write_documents(tmp_path, docs, vectors)
    table = read_docs_tsv(tmp_path)
    assert table.ids == ["1", "2"] and table.titles == ["T ab", ""] and table.labels == ["", ""]
    assert table.texts[0].startswith("line one line two") and len(table.texts[0]) == 200
    assert (tmp_path / DOCS_TSV).read_text().splitlines()[0] == "id\ttitle\tlabel\ttext"
    loaded = read_doc_vectors(tmp_path)
    assert loaded.dtype == np.float32 and loaded.shape == (2, 3)
    assert table.hover(0).startswith("T ab — line one")
    with pytest.raises(ValueError):
        write_documents(tmp_path, docs, vectors[:1])
    with pytest.raises(ValueError):
        write_doc_vectors(tmp_path, np.zeros(3))
    with pytest.raises(ValueError):
        write_docs_tsv(tmp_path, ["a"], [], [""], ["t"])


def test_docs_tsv_damaged(tmp_path: Path) -> None:
    (tmp_path / DOCS_TSV).write_text("id\ttext\n1\tx\n")
    with pytest.raises(ExplorerError) as info:
        read_docs_tsv(tmp_path)
    assert info.value.code == "docs_tsv_header"
    (tmp_path / DOCS_TSV).write_text("id\ttitle\tlabel\ttext\n1\tx\n")
    with pytest.raises(ExplorerError) as info:
        read_docs_tsv(tmp_path)
    assert info.value.code == "docs_tsv_row"


def test_train_says_on_stderr_how_the_documents_were_read(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # the Data page said which layout was detected and which rows were empty or repeated; the command line said
    # nothing, so a script could not tell that "a cat" counted twice and an empty file took a row
    from explorer.cli import main

    docs = tmp_path / "docs.txt"
    docs.write_text("a cat sat\nthe dog ran\na cat sat\n", encoding="utf-8")
    assert main(["train", "doc2vec", "--documents", str(docs), "--out", str(tmp_path / "run"), "--epochs", "1",
                 "--min-count", "1", "--dim", "4", "--workers", "1"]) == 0
    captured = capsys.readouterr()
    assert captured.out.strip() == str(tmp_path / "run")
    assert captured.err.strip().splitlines()[-1] == ("3 documents (txt, one document per line); 1 duplicate (row 3=1): "
                                                      "kept, so that rows match the file")


def test_csv_blank_row_is_counted_and_the_rows_keep_their_numbers(tmp_path: Path) -> None:
    """A spreadsheet's empty row (",,") is not a document, but it is said, and the documents after it keep their
    row numbers as ids (they were renumbered: row 4 of the file became document "3")."""
    text = "编号,评论内容,标签\n,好评质量很好,好评\n,物流太慢,差评\n,,\n,Great quality,好评\n"
    docs = read_documents(_write(tmp_path, "reviews.csv", text), text_column="评论内容", id_column="")
    assert docs.texts == ["好评质量很好", "物流太慢", "Great quality"]
    assert docs.ids == ["1", "2", "4"] and docs.n_blank == 1 and docs.empty == []
    trailing = read_documents(_write(tmp_path, "t.csv", "text\na\nb\n\n\n"))
    assert trailing.n_blank == 0 and trailing.ids == ["1", "2"]  # blank lines at the end of a file are not rows


def test_documents_are_shown_as_written_and_trained_on_their_normalised_text(tmp_path: Path) -> None:
    """Full-width Chinese punctuation stays in what is shown (the Data page, docs.tsv: hover, search results); the
    text a model reads is NFKC-normalised as a corpus line is; markup and URLs are gone from both."""
    import numpy as np

    from explorer.documents.runfiles import read_docs_tsv, write_documents

    csv = tmp_path / "reviews.csv"
    csv.write_text("评论,标题\n不敢用！太贵了，<b>差</b> https://x.cn/a,《好书》\nＨｅｌｌｏ　world！,\n", encoding="utf-8")
    zipped = tmp_path / "notes.zip"
    with zipfile.ZipFile(zipped, "w") as zf:
        zf.writestr("a.txt", "第一条。好！")
    lines = tmp_path / "lines.txt"
    lines.write_text("真的吗？是的！\n", encoding="utf-8")
    docs = read_documents(csv)
    assert docs.texts == ["不敢用!太贵了, 差", "Hello world!"]  # what the models read (NFKC, as corpora; a tag: a space)
    assert docs.display_texts == ["不敢用！太贵了， 差", "Ｈｅｌｌｏ world！"]  # as written, markup and URL removed
    assert docs.titles == ["《好书》", ""]
    (tmp_path / "run").mkdir()
    write_documents(tmp_path / "run", docs, np.zeros((2, 3), np.float32))
    assert read_docs_tsv(tmp_path / "run").texts == docs.display_texts
    assert read_documents(zipped).display_texts == ["第一条。好！"]
    assert read_documents(lines).display_texts == ["真的吗？是的！"]
    assert read_documents(lines).texts == ["真的吗?是的!"]
