"""The lesson step "from words to sentences" under AppTest in English and Chinese, on the small real sample runs:
the heat map of cosines per method, the check question, semantic search over the class's sentences, an edited pair
and a sentence-encoder run joining the comparison (E5 loads: slow)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from explorer.i18n import t
from explorer.jobs import workspaces
from tests.support.lesson_runs import finish_samples, train_small_samples
from tests.support.runs import encoder_run

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT = 180
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return train_small_samples(tmp_path_factory.mktemp("lesson-runs"))


@pytest.fixture(autouse=True)
def _no_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EXPLORER_START_WORKER", "0")
    st.cache_data.clear()
    st.cache_resource.clear()


def _open(trained: dict[str, Path], lang: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.run()
    finish_samples(trained)
    at.session_state["lang"] = lang
    at.run()
    at.switch_page("pages/lesson_sentences.py").run()
    assert not at.exception, at.exception
    return at


def _search_rows(at: AppTest) -> list[str]:
    frames = [d.value for d in at.dataframe]
    found = [f for f in frames if t("lesson_sentences.sentence", "en") in f.columns
             or t("lesson_sentences.sentence", "zh") in f.columns]
    assert found, "the search table"
    return list(found[-1].iloc[:, 1])


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_step_compares_the_methods_and_searches_in_both_languages(trained: dict[str, Path], lang: str) -> None:
    at = _open(trained, lang)
    assert at.title[0].value == t("lesson_sentences.title", lang)
    charts = at.get("plotly_chart")
    assert charts, "the heat map"
    # average, SIF and the bundled encoder, one row each, one column per default pair
    import json

    fig = json.loads(charts[0].proto.spec)
    heat = fig["data"][0]
    assert len(heat["y"]) == 3 and len(heat["x"]) == 3
    z = np.array([[float("nan") if v == "–" else float(v) for v in row] for row in heat["text"]])
    assert np.all(np.abs(z[np.isfinite(z)]) <= 1 + 1e-6) and np.isfinite(z[2]).all()  # E5 knows every word
    # word order: the average and SIF see the same words, so the pair's vectors are identical (cosine 1)
    assert z[0][1] == pytest.approx(1.0) and z[1][1] == pytest.approx(1.0)
    # the translation pair: the multilingual encoder puts the two sentences much closer than unrelated text
    assert z[2][2] > 0.8, z
    assert _search_rows(at), "semantic search lists sentences"
    assert at.get("page_link")
    radios = [r for r in at.radio if r.label.startswith(t("lesson_sentences.check_q", lang, n=1, a="", b="")[:6])]
    assert radios and len(radios[0].options) >= 2, z


def test_an_edited_pair_and_an_encoder_run_join_the_comparison(trained: dict[str, Path]) -> None:
    at = _open(trained, "en")
    ws = at.session_state["ws"]
    texts = ["The cat is sleeping on the sofa.", "It rained heavily all night.", "We had dumplings for dinner."]
    encoder_run(workspaces.run_path(ws, workspaces.new_run_id()), texts, np.eye(3, 384, dtype=np.float32),
                name="sentences e5")
    at.run()
    docs = at.selectbox(key="ls_docs_en")
    assert len(docs.options) >= 2
    docs.select_index(1).run()
    next(a for a in at.text_area if a.key.startswith("ls_pairs_en_")).set_value(
        "A cat sleeps. | A kitten is sleeping.\nno bar here").run()
    assert not at.exception, at.exception
    import json

    heat = json.loads(at.get("plotly_chart")[0].proto.spec)["data"][0]
    assert len(heat["x"]) == 1 and len(heat["y"]) == 4  # average, SIF, the run, the bundled encoder
    z = np.array([[float("nan") if v == "–" else float(v) for v in row] for row in heat["text"]])[:, 0]
    assert z[2] == pytest.approx(z[3], abs=0.011)  # the encoder run's queries are the bundled E5's
    at.selectbox(key="ls_search_method_en").select_index(0).run()
    next(b for b in at.text_input if b.key.startswith("ls_query_en")).set_value("weather").run()
    assert not at.exception and _search_rows(at)
    # 中文: the same choices, under the new language's labels (one box per language: a browser kept showing 'none'
    # and 'Pretrained encoder (E5)' in the 中文 UI)
    chosen = at.selectbox(key="ls_docs_en").value
    at.session_state["lang"] = "zh"
    at.run()
    assert not at.exception, at.exception
    assert at.selectbox(key="ls_docs_zh").value == chosen
    method = at.selectbox(key="ls_search_method_zh")
    assert method.value == "average" and method.options[method.index] == t("lesson_sentences.method_average", "zh")


def test_on_the_classs_novel_the_search_starts_from_a_word_of_the_novel(trained: dict[str, Path]) -> None:
    """The search over the class's sentences opened on "动物" (animals) for a novel without animals: it opens on
    one of the novel's frequent content words instead (the bundled sample keeps its query)."""
    from tests.support.runs import new_run_path, words_run

    lines = ["林远走进了茶馆，心里很平静。", "苏晴和林远在河边看月亮。", "老陈把信件交给苏晴，然后离开了茶馆。"] * 20
    upload = workspaces.save_upload("\n".join(lines).encode("utf-8"), ".txt")
    ws = workspaces.new_token()
    words = ["林远", "茶馆", "苏晴", "河边", "月亮", "老陈", "信件", "离开", "心里", "平静"]
    words_run(new_run_path(ws), words, np.random.default_rng(0).normal(size=(len(words), 8)),
              counts=[60, 40, 40, 20, 20, 20, 20, 20, 20, 20], name="novel",
              data={"corpus": str(upload), "corpus_name": "novel.txt"})
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.session_state["ws"] = ws
    at.run()
    finish_samples(trained)
    at.session_state["lang"] = "zh"
    at.run()
    at.switch_page("pages/lesson_sentences.py").run()
    picker = next(s for s in at.selectbox if s.label == t("lesson.model", "zh"))
    picker.select_index(next(i for i, o in enumerate(picker.options) if o.startswith("novel · "))).run()
    assert not at.exception, at.exception
    query = next(b for b in at.text_input if b.key.startswith("ls_query_zh")).value
    assert query != t("lesson_sentences.query_default", "zh") and query in words, query
    assert _search_rows(at) and all(r in lines for r in _search_rows(at))  # the novel's own sentences
    # the pairs compared start from the novel's own sentences too (the default pairs' 猫/狗 are not in it)
    pairs = next(a for a in at.text_area if a.key.startswith("ls_pairs_zh_")).value
    assert "猫" not in pairs and pairs.splitlines()[0] == f"{lines[0]} | {lines[1]}", pairs
    import json

    heat = json.loads(at.get("plotly_chart")[0].proto.spec)["data"][0]
    assert heat["text"][0][0] != "–" and heat["text"][1][0] != "–", heat["text"]  # average and SIF: a cosine, not "–"
    # the caption says where the pairs come from (it said the defaults test negation and word order)
    captions = [c.value for c in at.caption]
    assert t("lesson_sentences.pairs_explain", "zh") not in captions
    assert t("lesson_sentences.pairs_explain_own", "zh", name="novel.txt") in captions, captions
    # each pair's name under the heat map shows the start of both sentences (a long first one hid the second)
    first, second = (line.split(" | ") for line in pairs.splitlines()[:2])
    for name, (a, b) in zip(heat["x"], (first, second), strict=False):
        left, right = name.split(" / ")
        assert left.split(". ", 1)[1][:4] == a[:4] and right[:4] == b[:4], name
