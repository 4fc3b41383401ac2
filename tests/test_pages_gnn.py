"""AppTests of the gnn kind on the Train page, in English and Chinese: the model choice offers it, its form is
generated from its config (translated labels), and a submission queues a gnn job on the chosen graph."""

from __future__ import annotations

from pathlib import Path

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


def gnn_run_in(ws: str, tmp: Path) -> Path:
    """The karate club trained by the gnn kind (few epochs) as the only run of workspace ``ws``."""
    from explorer.graph.samples import write_sample_graph
    from explorer.jobs.workspaces import new_run_id
    from explorer.training import run_training

    edges, _ = write_sample_graph("karate", tmp)
    out = workspaces.run_path(ws, new_run_id())
    out.parent.mkdir(parents=True, exist_ok=True)
    run_training({"kind": "gnn", "name": "club", "data": {"edges": str(edges)},
                  "config": {"dim": 8, "epochs": 30, "workers": 1}}, out)
    return out


@pytest.mark.parametrize("lang,title,picker", [("en", "Embed a new node", "Linked to"),
                                               ("zh", "为新节点计算向量", "连接到")])
def test_explore_embeds_a_new_node_of_a_gnn_run(tmp_path: Path, lang: str, title: str, picker: str) -> None:
    ws = workspaces.new_token()
    gnn_run_in(ws, tmp_path)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.session_state["lang"] = lang
    at.query_params["ws"] = ws
    at.run()
    at.switch_page("pages/explore.py").run()
    assert not at.exception, at.exception
    assert title in [s.value for s in at.subheader]
    assert ("Search a node (its id)" if lang == "en" else "搜索一个节点（编号）") in [t.label for t in at.text_input]
    box = at.multiselect(key="ex_new_node_edges")
    assert box.label == picker and len(box.options) == 34
    box.set_value(["0", "1", "2"]).run()
    assert not at.exception, at.exception
    shown = [str(m.value) for m in at.markdown]
    assert any(("linked to 3 node(s)" if lang == "en" else "连接到 3 个节点") in m for m in shown)
    table = at.table[-1].value
    assert len(table) == 10 and table.iloc[:, 1].is_monotonic_decreasing


def gnn_run_with_features(ws: str, tmp: Path, n_columns: int) -> Path:
    """A ring of 24 nodes trained by the gnn kind with a features file of ``n_columns`` numeric columns (the first
    one splits the ring into two alternating groups)."""
    from explorer.jobs.workspaces import new_run_id
    from explorer.training import run_training

    n = 24
    edges = tmp / "ring.tsv"
    edges.write_text("".join(f"v{i}\tv{(i + 1) % n}\n" for i in range(n)), encoding="utf-8")
    feats = tmp / "features.csv"
    header = ",".join(["id"] + [f"<b>c{j}</b>" for j in range(n_columns)])
    feats.write_text(header + "\n" + "".join(
        ",".join([f"v{i}", "1.0" if i % 2 else "-1.0"] + [f"{0.1 * ((i + j) % 3):.1f}" for j in range(1, n_columns)])
        + "\n" for i in range(n)), encoding="utf-8")
    out = workspaces.run_path(ws, new_run_id())
    out.parent.mkdir(parents=True, exist_ok=True)
    run_training({"kind": "gnn", "name": "ring", "data": {"edges": str(edges), "features": str(feats)},
                  "config": {"dim": 8, "epochs": 60, "workers": 1, "holdout": 0.0, "seed": 1}}, out)
    return out


def _new_node_table(at: AppTest) -> list[str]:
    assert not at.exception, at.exception
    return at.table[-1].value.iloc[:, 0].tolist()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_new_node_takes_feature_values_one_box_per_column(tmp_path: Path, lang: str) -> None:
    """A run trained with two feature columns: a box per column (named as in the file, markup shown as text); the
    nearest nodes follow the value typed; empty boxes are the training mean."""
    from explorer.i18n import t
    from explorer.training.gnn.run import embed_new_node

    ws = workspaces.new_token()
    run_dir = gnn_run_with_features(ws, tmp_path, 2)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.session_state["lang"] = lang
    at.query_params["ws"] = ws
    at.run()
    at.switch_page("pages/explore.py").run()
    at.multiselect(key="ex_new_node_edges").set_value(["v0", "v1"]).run()
    assert t("explore.new_node_features", lang, n=2) in [c.value for c in at.caption]
    boxes = [at.number_input(key=f"ex_new_node_feature_{i}") for i in range(2)]
    labels = [b.label for b in boxes]
    assert all("c0" in labels[0] and "c1" in labels[1] and "<b>" not in label for label in labels), labels
    assert all(b.value is None for b in boxes)
    mean_table = _new_node_table(at)
    boxes[0].set_value(1.0).run()
    high = _new_node_table(at)
    at.number_input(key="ex_new_node_feature_0").set_value(-1.0).run()
    low = _new_node_table(at)
    assert high != low  # the new node's own feature moves it
    from explorer.analysis.neighbors import index_for
    from explorer.training.gnn.run import feature_columns as load_feature_columns

    mean_c1 = dict(load_feature_columns(run_dir))["<b>c1</b>"]  # the empty second box: its training mean
    expected = index_for(run_dir).query(embed_new_node(run_dir, ["v0", "v1"], f"{-1.0!r},{mean_c1!r}"), k=10)[0]
    assert low == [f"v{int(r)}" for r in expected]
    assert mean_table == [f"v{int(r)}" for r in index_for(run_dir).query(embed_new_node(run_dir, ["v0", "v1"]), k=10)[0]]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_many_feature_columns_are_one_line_and_a_wrong_count_is_one_translated_line(tmp_path: Path, lang: str) -> None:
    from explorer.i18n import t

    ws = workspaces.new_token()
    gnn_run_with_features(ws, tmp_path, 12)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.session_state["lang"] = lang
    at.query_params["ws"] = ws
    at.run()
    at.switch_page("pages/explore.py").run()
    at.multiselect(key="ex_new_node_edges").set_value(["v0"]).run()
    line = at.text_input(key="ex_new_node_features")
    assert line.label == t("explore.new_node_features_line", lang, n=12)
    assert len(_new_node_table(at)) == 10  # empty: the mean
    line.input("1, 2, 3").run()
    assert not at.exception, at.exception
    errors = [e.value for e in at.error]
    assert len(errors) == 1 and "12" in errors[0] and "Traceback" not in errors[0], errors
    if lang == "zh":
        assert any("\u4e00" <= ch <= "\u9fff" for ch in errors[0]), errors
    at.text_input(key="ex_new_node_features").input(",".join(["0.5"] * 12)).run()
    assert not at.error and len(_new_node_table(at)) == 10
