"""Explore and Clusters on a run of documents, in English and Chinese: semantic search with scores (results
listed and marked on the map), "more like this", markup shown as text, clusters named by their terms."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from explorer.documents.search import open_index
from explorer.jobs import workspaces
from explorer.kinds import run_kind
from tests.support.pages import no_worker  # noqa: F401
from tests.support.runs import encoder_run

pytestmark = pytest.mark.slow  # AppTest: seconds per test

TOPICS = {
    "sport": ("football", "goal", "referee"),
    "food": ("bread", "oven", "flour"),
    "music": ("guitar", "concert", "melody"),
}
TOPICS_ZH = {"sport": ("足球", "进球"), "food": ("面包", "烤箱"), "music": ("吉他", "音乐会")}
MARKUP = "<b>bold</b> [link](http://127.0.0.1:9/x) <img src=x onerror=alert(1)>"


def _run(zh: bool = False) -> tuple[str, Path]:
    """30 documents in 3 planted groups (their vectors near 3 axes), the group's words in each text."""
    ws = workspaces.new_token()
    rng = np.random.default_rng(0)
    vectors = np.concatenate([np.eye(3, 8)[g] * 3 + 0.1 * rng.standard_normal((10, 8)) for g in range(3)])
    texts, labels = [], []
    for topic, words in (TOPICS_ZH if zh else TOPICS).items():
        for i in range(10):
            a, b = words[i % len(words)], words[(i + 1) % len(words)]
            texts.append(f"今天我们谈{a}和{b}，第{i}篇。" if zh else f"Today we talk about {a} and {b}, part {i}.")
            labels.append(topic)
    texts[0] = MARKUP + " " + texts[0]
    path = encoder_run(workspaces.run_path(ws, workspaces.new_run_id()), texts, vectors.astype(np.float32),
                       labels=labels, data={"documents": "docs.csv"}, name="docs")
    return ws, path


@pytest.fixture
def food_query(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Queries reach the run's kind (as E5 would encode them); a query points at the "food" group, or at "sport"
    when it names football."""
    seen: list[str] = []

    def fake(self, run_dir: Path, text: str) -> np.ndarray:  # type: ignore[no-untyped-def]
        seen.append(text)
        return np.eye(3, 8, dtype=np.float32)[0 if "football" in text else 1]

    monkeypatch.setattr(type(run_kind("encoder")), "query_vector", fake)
    return seen


def _explore(ws: str, lang: str, **params: str) -> AppTest:
    at = AppTest.from_file(str(Path(__file__).resolve().parents[2] / "app.py"), default_timeout=120)
    at.query_params["ws"] = ws
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    if lang != "en":
        at.session_state["lang"] = lang
        at.run()
    at.switch_page("pages/explore.py").run()
    assert not at.exception, at.exception
    return at


def _spec(at: AppTest) -> dict:
    return json.loads(at.get("plotly_chart")[0].proto.spec)


def _rows(trace: dict) -> list[int]:
    data = trace["customdata"]
    if isinstance(data, dict):  # a numpy array, base64-encoded by plotly
        return np.frombuffer(base64.b64decode(data["bdata"]), dtype=np.dtype(data["dtype"])).tolist()
    return [int(x) for x in data]


def _marked(at: AppTest, size: int) -> list[int]:
    """Rows drawn as marked points (9: results / neighbours, 13: the picked document)."""
    return sorted(r for d in _spec(at)["data"] if d.get("marker", {}).get("size") == size for r in _rows(d))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_search_lists_the_nearest_documents_and_marks_them(lang: str, food_query: list[str]) -> None:
    ws, path = _run()
    at = _explore(ws, lang)
    box = at.text_input(key="ex_query")
    assert box.label == ("Search the documents (a question, a sentence or a few words)" if lang == "en"
                         else "搜索文档（一个问题、一句话或几个词）")
    box.set_value("fresh bread from the oven").run()
    assert not at.exception, at.exception
    assert food_query[-1] == "fresh bread from the oven"
    table = at.table[0].value
    assert list(table.columns) == (["rank", "cosine", "label", "text (first 200 characters)"] if lang == "en"
                                   else ["名次", "余弦", "标签", "正文（前 200 个字符）"])  # no titles: no title column
    assert set(table.iloc[:, 2]) == {"food" if lang == "en" else "食物"}  # each result's label, as on the map
    assert len(table) == 10 and all("bread" in t or "oven" in t or "flour" in t for t in table.iloc[:, -1])
    scores = [float(x) for x in table.iloc[:, 1]]
    assert scores == sorted(scores, reverse=True) and scores[0] > 0.9
    assert _marked(at, 9) == list(range(10, 20))  # the ten results, marked on the map
    ranks = sorted(int(a["text"]) for a in _spec(at)["layout"].get("annotations", []))
    assert ranks == list(range(1, 11))  # and numbered there by rank, as in the table


def test_more_like_this_of_a_result_and_the_query_kept_in_the_url(food_query: list[str]) -> None:
    ws, path = _run()
    at = _explore(ws, "en", ex_query="bread", ex_k="5")
    assert at.text_input(key="ex_query").value == "bread"  # the query and k come from the URL
    assert len(at.table[0].value) == 5
    rows, _ = open_index(path).nearest(np.eye(3, 8)[1], 5)
    picker = next(s for s in at.selectbox if s.label == "More like this document")
    picker.set_value(int(rows[0])).run()
    assert not at.exception, at.exception
    like = at.table[1].value
    assert len(like) == 5 and all(any(w in t for w in TOPICS["food"]) for t in like.iloc[:, -1])
    assert any("most like" in m.value for m in at.markdown)
    assert _marked(at, 13) == [int(rows[0])]  # the picked document
    assert set(_marked(at, 9)) <= set(range(10, 20)) and int(rows[0]) not in _marked(at, 9)


def test_a_long_query_is_cut(food_query: list[str]) -> None:
    ws, _ = _run()
    at = _explore(ws, "en")
    at.text_input(key="ex_query").set_value("bread " * 200).run()
    assert not at.exception, at.exception
    assert len(food_query[-1]) <= 300
    assert any("at most 300 characters" in c.value for c in at.caption)


def test_documents_with_markup_are_shown_as_text(food_query: list[str]) -> None:
    ws, _ = _run()
    at = _explore(ws, "en", ex_query="football")
    spec = json.dumps(_spec(at)["data"], ensure_ascii=False)
    assert "&lt;b&gt;bold&lt;/b&gt;" in spec and "<b>bold" not in spec  # hover shows the tags as text
    assert "&lt;img src=x" in spec and "<img" not in spec
    assert "<br>" in spec  # the hover box breaks long text into lines
    # the results table escapes Markdown: no link, no image, no HTML
    cells = " ".join(str(v) for v in at.table[0].value.iloc[:, -1])
    assert "\\<b\\>bold" in cells and "\\[link\\]" in cells


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_colour_by_cluster_names_each_cluster_by_its_terms(lang: str) -> None:
    ws, _ = _run(zh=lang == "zh")
    at = _explore(ws, lang, ex_n_clusters="3")
    colour = next(s for s in at.selectbox if s.label == ("Colour by" if lang == "en" else "着色依据"))
    colour.set_value("cluster").run()
    assert not at.exception, at.exception
    spec = _spec(at)
    names = {d.get("name") for d in spec["data"]}
    on_map = [a["text"] for a in spec["layout"].get("annotations", [])]
    groups = TOPICS_ZH if lang == "zh" else TOPICS
    for words in groups.values():  # every planted group is a cluster named by its own words
        assert any(sum(w in n for w in words) >= 2 for n in names if n), (names, words)
        assert any(sum(w in a for w in words) >= 2 for a in on_map), (on_map, words)
    assert len(on_map) == 3


def _clusters(ws: str, lang: str) -> AppTest:
    at = AppTest.from_file(str(Path(__file__).resolve().parents[2] / "app.py"), default_timeout=120)
    at.query_params["ws"] = ws
    at.run()
    if lang != "en":
        at.session_state["lang"] = lang
        at.run()
    at.switch_page("pages/clusters.py").run()
    assert not at.exception, at.exception
    return at


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_clusters_of_documents_are_named_in_the_list_and_on_the_map(lang: str) -> None:
    ws, _ = _run(zh=lang == "zh")
    at = _clusters(ws, lang)
    at.slider(key="cl_k").set_value(3).run()
    assert not at.exception, at.exception
    members = at.dataframe[0].value
    column = "distinctive terms" if lang == "en" else "区分度最高的词"
    assert column in members.columns
    groups = TOPICS_ZH if lang == "zh" else TOPICS
    named = list(members[column])
    for words in groups.values():
        assert any(sum(w in n for w in words) >= 2 for n in named), (named, words)
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    on_map = sorted(a["text"] for a in spec["layout"]["annotations"])
    assert on_map == sorted(named)  # every cluster named at its centre
    title = "Map of the clusters" if lang == "en" else "聚类地图"
    assert any(title in s.value for s in at.subheader)
