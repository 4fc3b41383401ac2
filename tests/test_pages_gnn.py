"""AppTests of the gnn kind on the Train page, in English and Chinese: the model choice offers it, its form is
generated from its config (translated labels), and a submission queues a gnn job on the chosen graph."""

from __future__ import annotations

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from explorer.jobs import workspaces
from tests.support.pages import ROOT, TIMEOUT

pytestmark = pytest.mark.slow


@pytest.fixture(autouse=True)
def _no_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EXPLORER_START_WORKER", "0")
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.mark.parametrize("lang,model,encoder,label_rate", [("en", "Graph nodes (GCN / GAT)", "Encoder",
                                                              "Labels used for training"),
                                                             ("zh", "图节点（GCN / GAT 图神经网络）", "编码器",
                                                              "用于训练的标签比例")])
def test_train_page_offers_the_gnn_form_and_submits(lang: str, model: str, encoder: str, label_rate: str) -> None:
    from explorer import jobs

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.session_state["lang"] = lang
    at.session_state["data_kind"] = "graph"
    at.run()
    at.switch_page("pages/data.py").run()
    at.button(key="sample_graph").click().run()  # the karate club, with its factions as labels
    at.session_state["train_kind"] = "gnn"
    at.switch_page("pages/train.py").run()
    assert not at.exception, at.exception
    choice = next(w for w in at.get("button_group") if w.label in ("Model", "模型"))
    assert model in str(choice.proto)  # the model choice shows the kind's translated name
    keys = {w.key for w in at.number_input} | {w.key for w in at.selectbox}
    assert {"GnnConfig_encoder", "GnnConfig_dim", "GnnConfig_epochs", "GnnConfig_label_rate", "GnnConfig_node_ids",
            "GnnConfig_holdout", "GnnConfig_frames"} <= keys
    assert at.selectbox(key="GnnConfig_encoder").label == encoder
    assert at.number_input(key="GnnConfig_label_rate").label == label_rate
    at.selectbox(key="GnnConfig_encoder").set_value("gat")
    at.number_input(key="GnnConfig_epochs").set_value(30)
    at.number_input(key="GnnConfig_label_rate").set_value(0.5)
    at.get("form_submit_button")[0].click() if at.get("form_submit_button") else at.button[0].click()
    at.run()
    assert not at.exception, at.exception
    listed = [j for j in jobs.list_jobs(at.session_state["ws"]) if j.kind == "gnn"]
    assert len(listed) == 1 and workspaces.is_valid_token(at.session_state["ws"])
    spec = listed[0].spec
    assert spec["config"]["encoder"] == "gat" and spec["config"]["epochs"] == 30
    assert spec["config"]["label_rate"] == 0.5
    assert spec["data"]["edges"].endswith("karate_edges.tsv") and spec["data"]["labels"].endswith("karate_labels.tsv")
