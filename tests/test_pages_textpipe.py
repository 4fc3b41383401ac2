"""The Data page's text-pipeline choices under AppTest, in English and Chinese: word forms before ->
after, jieba and THULAC side by side, phrases with their scores; the Train page submits them; Explore
finds a stem's vector from the typed word."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from explorer import jobs
from explorer.jobs import workspaces
from explorer.text.tokenizer import make_tokenizer
from tests.support.runs import words_run

pytestmark = pytest.mark.slow  # AppTests of the whole app: seconds each

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT = 90


@pytest.fixture(autouse=True)
def _no_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EXPLORER_START_WORKER", "0")
    st.cache_data.clear()
    st.cache_resource.clear()


def app(page: str, ws: str, lang: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.query_params["ws"] = ws
    at.run()
    at.session_state["lang"] = lang
    at.run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def shown(at: AppTest) -> str:
    parts = []
    for kind in ("markdown", "caption", "info", "warning", "error", "success", "code"):
        parts += [str(e.value) for e in getattr(at, kind)]
    return "\n".join(parts)


CASES = {  # language -> (text that must appear, column names of the tables)
    "en": ("Word forms, word by word", "jieba and THULAC on the same lines", "Phrases found", ["word", "becomes"],
           ["phrase", "score", "count", "pass"]),
    "zh": ("逐词的词形变化", "jieba 与 THULAC 切分同样的句子", "找到的短语", ["原词", "变为"],
           ["短语", "得分", "次数", "第几遍"]),
}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_data_page_text_pipeline_choices(lang: str) -> None:
    make_tokenizer("zh", segmenter="thulac")  # loaded, as the page's background thread would have done
    ws = workspaces.new_token()
    at = app("pages/data.py", ws, lang)
    at.button(key="sample_text").click().run()
    forms, side, found, form_cols, phrase_cols = CASES[lang]
    assert found not in shown(at) and forms not in shown(at)  # off by default
    at.selectbox(key=f"data_normalize_{lang}").set_value("stem").run()
    at.selectbox(key=f"data_phrases_{lang}").set_value(1).run()
    at.selectbox(key=f"data_segmenter_{lang}").set_value("thulac").run()
    assert not at.exception, at.exception
    text = shown(at)
    assert forms in text and side in text and found in text
    tables = {tuple(df.value.columns): df.value for df in at.dataframe}
    stems = tables[tuple(form_cols)]
    assert ("playing", "play") in set(map(tuple, stems.values.tolist()))
    phrases = tables[tuple(phrase_cols)]
    assert len(phrases) > 0 and (phrases.iloc[:, 1] > 100).all()
    # jieba and THULAC cut the same first Chinese lines: THULAC splits 科学家, jieba keeps it
    jieba_cut, thulac_cut = [c.value for c in at.code][-2:]
    assert "科学家" in jieba_cut.split(" | ") and "科学" in thulac_cut.split(" | ")
    # the word-by-word tokenization uses the chosen segmenter
    assert "`科学` `家`" in text
    # the Train page submits the choices in the job's corpus config
    at.switch_page("pages/train.py").run()
    at.selectbox(key="SkipGramConfig_arch").set_value("cbow")
    at.button[-1].click()
    at.run()
    assert not at.exception, at.exception
    (job,) = jobs.list_jobs(ws)
    assert job.spec["config"]["arch"] == "cbow"
    cc = job.spec["corpus_config"]
    assert (cc["segmenter"], cc["normalize"], cc["phrases"], cc["phrase_threshold"]) == ("thulac", "stem", 1, 100.0)


def test_data_page_shows_jieba_while_thulac_loads(monkeypatch: pytest.MonkeyPatch) -> None:
    import pages._data_text as ui

    monkeypatch.setattr(ui, "segmenter_ready", lambda seg, words=(): seg != "thulac")
    ws = workspaces.new_token()
    at = app("pages/data.py", ws, "en")
    at.button(key="sample_text").click().run()
    at.selectbox(key="data_segmenter_en").set_value("thulac").run()
    assert not at.exception, at.exception
    text = shown(at)
    assert "Shown with jieba until THULAC has loaded." in text
    assert "Loading THULAC's model" in text


def _stemmed_run(path: Path) -> Path:
    words = {"run": [1.0, 0.0, 0.0], "walk": [0.9, 0.1, 0.0], "cat": [0.0, 1.0, 0.0], "dog": [0.1, 0.9, 0.0],
             "new_york": [0.0, 0.0, 1.0], "pari": [0.0, 0.1, 0.9]}
    return words_run(path, list(words), list(words.values()), counts=[9, 8, 7, 6, 5, 4],
                     config={"dim": 3, "corpus_config": {"lang": "en", "normalize": "stem", "phrases": 1}},
                     data={"corpus": "c.txt"}, name="stemmed", metrics={"loss_per_epoch": [1.0]})


def test_neighbours_of_a_typed_word_use_the_runs_stems_and_phrases(tmp_path: Path) -> None:
    from explorer.analysis.metrics import word_similarity
    from explorer.analysis.neighbors import neighbors_of, query_row
    from explorer.runs import load_run

    run = load_run(_stemmed_run(tmp_path / "r"))
    assert query_row(run, "Running") == run.index["run"]
    assert query_row(run, "New York") == run.index["new_york"]
    assert neighbors_of(run, "running", k=1)[0][0] == "walk"
    assert neighbors_of(run, "Cats", k=1)[0][0] == "dog"
    import pandas as pd

    res = word_similarity(run, pd.DataFrame({"word1": ["running", "cats"], "word2": ["walking", "dogs"],
                                             "score": [9.0, 8.0]}))
    assert res["n_found"] == 2
