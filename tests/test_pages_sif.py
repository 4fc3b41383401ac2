"""The SIF kind on the Train page, in English and Chinese: the word run is a picker of the workspace's word
runs (never a typed path), a submission queues a sif job on that run, and with no word run the form says so."""

from __future__ import annotations

import numpy as np
import pytest

from explorer import jobs
from explorer.jobs import workspaces
from tests.support.pages import app, no_worker  # noqa: F401
from tests.support.runs import words_run

pytestmark = pytest.mark.slow  # AppTest: seconds per test

LABELS = {"en": ("Word vectors to average", "SIF smoothing a", "Train"),
          "zh": ("要平均的词向量模型", "SIF 平滑系数 a", "开始训练")}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_sif_form_picks_a_word_run_of_the_workspace_and_submits(lang: str) -> None:
    ws = workspaces.new_token()
    run = words_run(workspaces.run_path(ws, workspaces.new_run_id()), ["cat", "dog", "rain"], np.eye(3, dtype=np.float32),
                    counts=[3, 2, 1], name="my words")
    at = app(ws=ws, lang=lang)
    at.session_state["train_kind"] = "sif"
    at.switch_page("pages/train.py").run()
    assert not at.exception, at.exception
    picker = at.selectbox(key="train_sif_word_run")
    word_run, smoothing, _ = LABELS[lang]
    assert picker.label == word_run and at.number_input(key="SifConfig_a").label == smoothing
    assert str(run) in picker.options or any("my words" in o for o in picker.options)
    assert not [w for w in at.text_input if "word" in (w.key or "")]  # the run is chosen, never typed
    at.selectbox(key="train_sif_word_run").set_value(str(run))
    at.get("form_submit_button")[0].click()
    at.run()
    assert not at.exception, at.exception
    listed = [j for j in jobs.list_jobs(ws) if j.kind == "sif"]
    assert len(listed) == 1 and listed[0].spec["config"]["word_run"] == str(run)
    assert listed[0].spec["data"]["documents"].endswith("sample_sentences.csv")


@pytest.mark.parametrize("lang,said", [("en", "there is none yet"), ("zh", "现在还没有")])
def test_with_no_word_run_the_form_says_what_to_train_first(lang: str, said: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import pages._widgets as widgets

    monkeypatch.setattr(widgets.sample_job, "sample_run_dir", lambda *a, **k: None)
    at = app(ws=workspaces.new_token(), lang=lang)
    at.session_state["train_kind"] = "sif"
    at.switch_page("pages/train.py").run()
    assert not at.exception, at.exception
    assert any(said in w.value for w in at.warning)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_explore_searches_a_sif_run_with_its_own_word_vectors(tmp_path, lang: str) -> None:
    from explorer.kinds import spec_from_dict
    from explorer.training.sif import sif_run

    ws = workspaces.new_token()
    tokens = ["cat", "dog", "sofa", "rain", "wind", "the"]
    vectors = np.array([[1, 0, 0], [0.9, 0.1, 0], [0.8, 0, 0.2], [0, 1, 0], [0, 0.9, 0.1], [0.3, 0.3, 0.3]], np.float32)
    words = words_run(workspaces.run_path(ws, workspaces.new_run_id()), tokens, vectors, counts=[5, 5, 3, 4, 4, 50])
    docs = tmp_path / "docs.csv"
    docs.write_text("id,text\n" + "".join(f"p{i},the cat and the dog {i}\n" for i in range(6))
                    + "".join(f"w{i},rain and wind {i}\n" for i in range(6)), encoding="utf-8")
    spec = spec_from_dict({"kind": "sif", "name": "sif docs", "data": {"documents": str(docs)},
                           "config": {"word_run": str(words), "lang": "en"}})
    run = sif_run(spec, workspaces.run_path(ws, workspaces.new_run_id()), lambda p: None)
    at = app(ws=ws, lang=lang)
    at.query_params["run"] = run.name
    at.session_state["run_id"] = run.name
    at.switch_page("pages/explore.py").run()
    assert not at.exception, at.exception
    at.text_input(key="ex_query").set_value("windy rain").run()
    assert not at.exception, at.exception
    table = at.table[0].value
    assert all(text.startswith("rain and wind") for text in table.iloc[:6, -1])
