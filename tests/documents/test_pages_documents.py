"""Explore and Clusters open a run of documents: points are documents, hover shows the title and text."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from explorer.jobs import workspaces
from tests.support.runs import documents_run

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow  # AppTest: seconds per test


@pytest.fixture(autouse=True)
def _no_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EXPLORER_START_WORKER", "0")
    st.cache_data.clear()
    st.cache_resource.clear()


def _doc_run() -> str:
    ws = workspaces.new_token()
    rng = np.random.default_rng(0)
    centres = np.eye(3, 8, dtype=np.float32) * 3
    vectors = np.concatenate([centres[k] + 0.1 * rng.standard_normal((10, 8)) for k in range(3)]).astype(np.float32)
    labels = [lab for lab in ("sport", "food", "music") for _ in range(10)]
    documents_run(workspaces.run_path(ws, workspaces.new_run_id()),
                  [f"document number {i} about {lab}" for i, lab in enumerate(labels)], vectors,
                  ids=[f"d{i}" for i in range(30)], titles=[f"Title {i}" for i in range(30)], labels=labels,
                  data={"documents": "docs.csv"}, name="docs", metrics={"loss_per_epoch": [2.0, 1.0]})
    return ws


def _app(page: str, ws: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params["ws"] = ws
    at.run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def test_explore_opens_a_run_of_documents() -> None:
    at = _app("pages/explore.py", _doc_run())
    charts = at.get("plotly_chart")
    assert charts
    spec = json.loads(charts[0].proto.spec)
    hover = json.dumps(spec["data"], ensure_ascii=False)
    assert "Title 3<br>document number 3 about sport" in hover  # the title, then the text on its own line
    assert {t.get("name") for t in spec["data"]} >= {"sport", "food", "music"}  # coloured by label


def test_clusters_opens_a_run_of_documents() -> None:
    at = _app("pages/clusters.py", _doc_run())
    members = at.dataframe[0].value.to_string()
    assert "document number" in members and "sport" in members  # members as documents, their labels counted
    metrics = "\n".join(f"{m.label} {m.value}" for m in at.metric)
    assert "NMI vs labels" in metrics  # the documents' labels are the ground truth
    notes = " ".join(c.value for c in at.caption)
    assert "labelled points" in notes and "tokens" not in notes  # documents are not tokens


def _data_page(lang: str = "en") -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    if lang != "en":
        at.session_state["lang"] = lang
        at.run()
    at.switch_page("pages/data.py").run()
    at.button_group(key=f"data_kind_{lang}").set_value("documents").run()
    at.button(key="sample_documents").click().run()
    assert not at.exception, at.exception
    return at


@pytest.mark.parametrize("lang, count, label_column", [("en", "Documents", "Label column"), ("zh", "文档数", "标签列")])
def test_data_page_previews_the_documents_sample(lang: str, count: str, label_column: str) -> None:
    at = _data_page(lang)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics[count] == "200"
    boxes = {s.label: s.value for s in at.selectbox}
    assert boxes[label_column] == "label"
    first = at.dataframe[-1].value
    assert first.iloc[0, 0] == "d1" and len(first) == 5
    balance = at.dataframe[0].value
    assert sorted(balance.iloc[:, 0]) == ["topic0", "topic1", "topic2", "topic3"] and set(balance.iloc[:, 1]) == {50}
    # choosing another label column re-reads the file with it
    next(s for s in at.selectbox if s.label == label_column).set_value("—").run()
    assert not at.exception
    assert len(at.dataframe) == 1  # no label balance without labels
