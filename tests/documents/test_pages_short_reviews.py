"""A spreadsheet of short reviews. The Data page: the blank row is said (it was dropped silently, and the rows after
it renumbered), and the duplicates are named by the documents' ids. The Train form: Doc2Vec starts short documents on
more epochs (at the usual 40, every review's vector pointed the same way and search found everything equally near)."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from explorer.jobs import workspaces
from tests.support import ROOT
from tests.support.pages import no_worker  # noqa: F401

pytestmark = pytest.mark.slow  # AppTest


def test_data_page_says_the_blank_row_and_names_duplicates_by_id() -> None:
    csv = "编号,评论内容,标签\nR001,质量很好,好评\nR002,物流太慢,差评\n,,\nR004,Great quality,好评\nR005,物流太慢,差评\n"
    path = workspaces.save_upload(csv.encode("utf-8"), ".csv")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    at.session_state["lang"] = "zh"
    at.run()
    at.session_state["data_documents"] = {"path": str(path), "name": "reviews.csv"}
    at.switch_page("pages/data.py").run()
    at.button_group(key="data_kind_zh").set_value("documents").run()
    assert not at.exception, at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["文档数"] == "4" and metrics["重复文档"] == "1", metrics
    captions = " ".join(c.value for c in at.caption)
    assert "跳过 1 个空白行" in captions, captions
    warning = " ".join(w.value for w in at.warning)
    ids = {s.label: s.value for s in at.selectbox}.get("编号列")
    assert ("R005=R002" if ids == "编号" else "5=2") in warning, (ids, warning)  # ids, or the file's row numbers


def test_train_starts_doc2vec_on_short_reviews_with_more_epochs() -> None:
    from explorer.kinds.doc2vec import Doc2VecConfig

    rows = [f"R{i:03d},{text},{label}" for i, (text, label) in enumerate(
        [("质量很好，物超所值", "好评"), ("物流太慢，等了一个星期", "差评"), ("Great quality, worth it", "好评"),
         ("Shipping was slow", "差评")] * 20, 1)]
    path = workspaces.save_upload(("id,text,label\n" + "\n".join(rows) + "\n").encode("utf-8"), ".csv")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    at.session_state["data_documents"] = {"path": str(path), "name": "reviews.csv"}
    at.switch_page("pages/data.py").run()
    at.button_group(key="data_kind_en").set_value("documents").run()
    at.switch_page("pages/train.py").run()
    at.button_group(key="train_kind_en").set_value("doc2vec").run()
    assert not at.exception, at.exception
    epochs = next(n for n in at.number_input if n.label == "Epochs")
    assert epochs.value > Doc2VecConfig().epochs * 3, epochs.value
    said = [c.value for c in at.caption if "Epochs" in c.value and str(epochs.value) in c.value]
    assert said and "Short documents" in said[0], [c.value for c in at.caption]  # said of documents, not a corpus
