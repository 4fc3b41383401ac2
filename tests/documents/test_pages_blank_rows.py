"""The Data page on a spreadsheet of reviews with an empty row and a duplicate: the blank row is said (it was
dropped silently, and the rows after it renumbered), and the duplicates are named by the documents' ids."""

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
    at.button_group(key="data_kind__zh").set_value("documents").run()
    assert not at.exception, at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["文档数"] == "4" and metrics["重复文档"] == "1", metrics
    captions = " ".join(c.value for c in at.caption)
    assert "跳过 1 个空白行" in captions, captions
    warning = " ".join(w.value for w in at.warning)
    ids = {s.label: s.value for s in at.selectbox}.get("编号列")
    assert ("R005=R002" if ids == "编号" else "5=2") in warning, (ids, warning)  # ids, or the file's row numbers
