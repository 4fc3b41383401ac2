"""AppTests of the graph pages, in English and Chinese: the Data page's graph part (bundled graph,
upload, a refused file beside the control), a graph run on Explore / Evaluate / Runs, the lesson page."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from explorer.jobs import workspaces
from explorer.training import run_training
from tests.support.pages import ROOT, TIMEOUT, texts

pytestmark = pytest.mark.slow


@pytest.fixture(autouse=True)
def _no_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EXPLORER_START_WORKER", "0")
    st.cache_data.clear()
    st.cache_resource.clear()


def app_in(lang: str, page: str, ws: str | None = None, **state: object) -> AppTest:
    """The app started in ``lang`` with session ``state`` (AppTest keeps a widget's first option
    labels after a language switch, so the language is set before the first run), on ``page``."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.session_state["lang"] = lang
    for key, value in state.items():
        at.session_state[key] = value
    if ws:
        at.query_params["ws"] = ws
    at.run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def graph_tab(lang: str = "en", sample: bool = False) -> AppTest:
    """The Data page on its graph part, maybe with the karate club chosen."""
    at = app_in(lang, "pages/data.py", data_kind="graph")  # the kind chosen before (remembered per session)
    if sample:
        at.button(key="sample_graph").click().run()
    assert not at.exception, at.exception
    return at


@pytest.mark.parametrize("lang,words", [("en", ("Nodes 34", "Edges 78", "Components 1", "2 groups")),
                                        ("zh", ("节点 34", "边 78", "连通分量 1", "2 组"))])
def test_data_page_previews_the_karate_club(lang: str, words: tuple[str, ...]) -> None:
    at = graph_tab(lang, sample=True)
    shown = texts(at)
    for word in words:
        assert word in shown, (word, shown)
    charts = [c for c in at.get("plotly_chart")]
    assert len(charts) == 2  # degree distribution + drawing
    assert at.session_state["train_kind"] == "graph"
    assert at.session_state["data_graph"]["labels"].endswith("karate_labels.tsv")


def test_data_page_upload_and_a_refused_file_in_chinese() -> None:
    at = graph_tab("zh")
    at.get("file_uploader")[0].upload("friends.csv", b"source,target,weight\nann,bob,2\nbob,cy,1\n").run()
    assert not at.exception, at.exception
    shown = texts(at)
    assert "friends.csv" in shown and "节点 3" in shown and "边 2" in shown
    assert len(list(workspaces.uploads_dir().glob("*.csv"))) == 1
    at.get("file_uploader")[0].upload("loops.txt", b"a a\nb b\n").run()
    assert not at.exception
    errors = [e.value for e in at.error]
    assert errors and errors[0].startswith("loops.txt：") and "自环" in errors[0]
    assert "friends.csv" in texts(at)  # the previous good graph stays chosen
    at.get("file_uploader")[0].upload("w.csv", b"a,b,1\nb,c,heavy\n").run()
    assert "第 2 行" in at.error[0].value and "heavy" in at.error[0].value


def graph_run(tmp: Path, ws: str) -> Path:
    from explorer.graph.samples import write_sample_graph

    edges, labels = write_sample_graph("karate", tmp)
    from explorer.jobs.workspaces import new_run_id

    run_id = new_run_id()
    out = workspaces.run_path(ws, run_id)
    out.parent.mkdir(parents=True, exist_ok=True)
    run_training({"kind": "graph", "name": "club", "data": {"edges": str(edges), "labels": str(labels)},
                  "config": {"dim": 8, "walks_per_node": 5, "workers": 1}}, out)
    return out


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_graph_run_on_evaluate_explore_and_runs(tmp_path: Path, lang: str) -> None:
    ws = workspaces.new_token()
    graph_run(tmp_path, ws)  # the only run of this workspace: the picker opens on it
    at = app_in(lang, "pages/evaluate.py", ws=ws)
    assert not at.exception, at.exception
    shown = texts(at)
    if lang == "en":
        assert "Link prediction" in shown and "ROC-AUC" in shown and "macro-F1" in shown and "NMI" in shown
    else:
        assert "链接预测" in shown and "宏平均 F1" in shown
    if lang == "zh":  # AppTest formats a select box's options outside the run (in English) when
        return        # pages change, so Explore and Runs are checked in English only
    at.switch_page("pages/explore.py").run()
    assert not at.exception, at.exception
    assert "34 points" in texts(at)  # one point per karate-club member
    colour = next(s for s in at.selectbox if s.key.startswith("ex_colour_graph"))
    assert colour.options == ["category label", "degree (log10)", "cluster (k-means)", "nothing"]
    at.switch_page("pages/runs.py").run()
    assert not at.exception, at.exception
    assert "club" in texts(at) or any("club" in str(d.value) for d in at.dataframe)


@pytest.mark.parametrize("lang,word", [("en", "walk"), ("zh", "游走")])
def test_lesson_page(lang: str, word: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # the lead places the page in the navigation: run it on its own here (its link to the Data
    # page needs the navigation, so links are recorded instead)
    links = []
    monkeypatch.setattr(st, "page_link", lambda page, **kw: links.append(page))
    at = AppTest.from_file(str(ROOT / "pages" / "lesson_graph.py"), default_timeout=TIMEOUT)
    at.session_state["lang"] = lang
    at.session_state["ws"] = "lesson-test"
    at.run()
    assert not at.exception, at.exception
    assert word in texts(at)
    assert at.get("plotly_chart")
    walk = at.code[0].value.split(" → ")
    assert walk[0] == "0" and len(walk) == 10
    pairs = at.dataframe[0].value
    assert len(pairs) == sum(min(i, 2) + min(9 - i, 2) for i in range(10))  # window 2 on 10 members
    at.slider(key="lg_window").set_value(1).run()
    assert len(at.dataframe[0].value) == 18
    at.button[0].click().run()  # another walk
    assert not at.exception
    assert links[-1] == "pages/data.py"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_train_page_generates_the_graph_form_and_submits(lang: str) -> None:
    from explorer import jobs

    at = graph_tab(lang, sample=True)
    at.switch_page("pages/train.py").run()
    assert not at.exception, at.exception
    keys = {w.key for w in at.number_input} | {w.key for w in at.selectbox} | {w.key for w in at.checkbox}
    assert {"GraphConfig_walk", "GraphConfig_p", "GraphConfig_q", "GraphConfig_walk_length",
            "GraphConfig_walks_per_node", "GraphConfig_window", "GraphConfig_dim", "GraphConfig_holdout",
            "GraphConfig_directed"} <= keys
    if lang == "zh":
        assert "游走长度" in [w.label for w in at.number_input]
    at.number_input(key="GraphConfig_walk_length").set_value(20)
    at.number_input(key="GraphConfig_dim").set_value(16)
    at.get("form_submit_button")[0].click() if at.get("form_submit_button") else at.button[0].click()
    at.run()
    assert not at.exception, at.exception
    listed = [j for j in jobs.list_jobs(at.session_state["ws"]) if j.kind == "graph"]
    assert len(listed) == 1
    spec = listed[0].spec
    assert spec["config"]["walk_length"] == 20 and spec["config"]["dim"] == 16
    assert spec["data"]["edges"].endswith("karate_edges.tsv") and spec["data"]["labels"].endswith("karate_labels.tsv")


def test_clusters_page_on_a_graph_run(tmp_path: Path) -> None:
    ws = workspaces.new_token()
    graph_run(tmp_path, ws)
    at = app_in("en", "pages/clusters.py", ws=ws)
    assert not at.exception, at.exception
    assert not at.error and len(at.metric) >= 3  # clusters of the 34 members, with their quality measures


def test_a_reload_keeps_the_chosen_graph() -> None:
    at = graph_tab("en", sample=True)
    key = at.query_params["data"]
    assert key.startswith("graph-"), key
    again = app_in("en", "pages/data.py", data_kind="graph")  # a new session, as after a reload
    again.query_params["data"] = key
    again.run()
    assert not again.exception, again.exception
    assert again.session_state["data_graph"]["labels"].endswith("karate_labels.tsv")
    assert "Nodes 34" in texts(again)


@pytest.mark.parametrize("lang,found", [("en", "2 feature columns for 34 nodes"),
                                        ("zh", "34 个节点，各有 2 个特征列")])
def test_data_page_checks_a_node_features_file_and_the_gnn_spec_reads_it(tmp_path: Path, lang: str,
                                                                       found: str) -> None:
    from explorer import train_form
    from explorer.graph.samples import write_sample_graph

    edges, _ = write_sample_graph("karate", tmp_path)
    good = tmp_path / "features.csv"
    good.write_text("id,age,dues\n" + "".join(f"{n},{20 + n},{n % 3}\n" for n in range(34)), encoding="utf-8")
    data = {"path": str(edges), "name": edges.name, "features": str(good), "features_name": "features.csv"}
    at = app_in(lang, "pages/data.py", data_kind="graph", data_graph=dict(data))
    assert found in texts(at), texts(at)
    assert at.session_state["data_graph"]["features"] == str(good)
    spec = train_form.page_spec("gnn", at.session_state["data_graph"], {"epochs": 3})
    assert spec.data.features == str(good) and spec.data.features_name == "features.csv"
    broken = tmp_path / "broken.csv"
    broken.write_text("id,age\n0,old\n", encoding="utf-8")
    at = app_in(lang, "pages/data.py", data_kind="graph", data_graph=dict(data, features=str(broken),
                                                                         features_name="broken.csv"))
    errors = [e.value for e in at.error]
    assert len(errors) == 1 and "broken.csv" in errors[0] and "\n" not in errors[0].strip(), errors
    assert at.session_state["data_graph"]["features"] is None  # a refused file is not used


@pytest.mark.parametrize("lang,said", [("en", "2 of the graph's 34 nodes have no row in the features file (e.g. "),
                                       ("zh", "图的 34 个节点中有 2 个在特征文件里没有对应的行（例如 ")])
def test_a_features_file_missing_some_nodes_says_what_they_start_from(tmp_path: Path, lang: str, said: str) -> None:
    # accepted as before ("2 feature columns for 32 nodes"), but it did not say that nodes were missing
    from explorer.graph.samples import write_sample_graph

    edges, _ = write_sample_graph("karate", tmp_path)
    partial = tmp_path / "features.csv"
    partial.write_text("id,age,dues\n" + "".join(f"{n},{20 + n},{n % 3}\n" for n in range(34) if n not in (5, 33)),
                       encoding="utf-8")
    at = app_in(lang, "pages/data.py", data_kind="graph",
                data_graph={"path": str(edges), "name": edges.name, "features": str(partial),
                            "features_name": "features.csv"})
    assert not at.exception, at.exception
    warnings = [w.value for w in at.warning]
    assert any(said in w and "5" in w and "33" in w for w in warnings), warnings
    assert at.session_state["data_graph"]["features"] == str(partial)  # still used
