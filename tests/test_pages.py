"""Every page under Streamlit's AppTest: no run yet, a finished run, a failed job; language switch;
typing into widgets. Assertions are on what the page shows.

No worker process is started (``EXPLORER_START_WORKER=0``): jobs are moved through their states
with the job table's own worker-side calls (claim / finish), and "finished runs" are small run
directories written with :mod:`explorer.runs`, whose vectors give known similarities.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import numpy as np
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from explorer import jobs
from explorer.jobs import sample_job, workspaces
from explorer.kinds import SkipGramConfig, UserItemConfig
from tests.support.page_runs import tiny_useritem_run
from tests.support.pages import ROOT, TIMEOUT, app, no_worker, set_lang, texts  # noqa: F401  (no_worker: autouse)
from tests.support.runs import imported_run, new_run_path, words_run

pytestmark = pytest.mark.slow  # AppTests of the whole app: seconds each

# cat . dog = 0.8 (cosine), banana orthogonal to both; the same for the Chinese words
WORDS = {
    "cat": [1.0, 0.0, 0.0, 0.0], "dog": [0.8, 0.6, 0.0, 0.0], "banana": [0.0, 0.0, 2.0, 0.0],
    "猫": [1.0, 0.0, 0.0, 0.1], "狗": [0.8, 0.6, 0.0, 0.1], "香蕉": [0.0, 0.0, 2.0, 0.1],
    "apple": [0.0, 0.1, 1.9, 0.0], "car": [0.0, 0.0, 0.0, 1.0], "bus": [0.1, 0.0, 0.0, 1.0],
}
LABELS = {"cat": "animals", "dog": "animals", "猫": "animals", "狗": "animals", "banana": "fruit",
          "香蕉": "fruit", "apple": "fruit", "car": "vehicles", "bus": "vehicles"}


TINY = {"tokens": list(WORDS), "vectors": list(WORDS.values()), "counts": [50, 40, 30, 5, 4, 3, 9, 8, 7], "labels": LABELS,
        "data": {"corpus": "tiny.txt"}, "metrics": {"loss_per_epoch": [2.0, 1.0]}}


def finish_job(job_id: str, state: str, error: str | None = None, with_run: bool = True, **detail) -> None:
    """Move a queued job through claim -> finish as a worker would (with a tiny run when done; ``detail``:
    the failure's ``error_code`` and ``error_params``)."""
    claim = jobs.claim(job_id, "test-worker", os.getpid())
    assert claim is not None
    run_dir = None
    if state == "done" and with_run:
        run_dir = str(words_run(workspaces.run_path(claim.workspace, claim.run_id), **TINY, name=claim.spec["name"]))
    assert jobs.finish(job_id, state, error=error, run_dir=run_dir, **detail)


def sample_done() -> str:
    """Queue-and-finish the bundled sample (app.py queued it); return the sample job id."""
    job_id = sample_job.sample_job_id()
    assert job_id and jobs.get(job_id).state == "queued"
    finish_job(job_id, "done")
    return job_id


# --------------------------------------------------------------------------- app shell


def test_new_browser_gets_a_workspace_token_in_the_url_and_keeps_a_given_one() -> None:
    at = app()
    token = at.query_params["ws"]
    assert workspaces.is_valid_token(token if isinstance(token, str) else token[0])
    mine = workspaces.new_token()
    at = app(ws=mine)
    assert at.query_params["ws"] in (mine, [mine])
    at = app(ws="../../etc")  # not a token: replaced, never used as a path
    assert at.query_params["ws"] not in ("../../etc", ["../../etc"])


def test_sample_is_queued_once_per_data_home() -> None:
    app()
    first = sample_job.sample_job_id()
    st.cache_resource.clear()
    app()
    assert sample_job.sample_job_id() == first  # still queued: not queued twice
    assert len([j for j in jobs.list_jobs(sample_job.sample_workspace())]) == 2  # the text sample and the log


# --------------------------------------------------------------------------- Learn


def test_learn_shows_live_progress_while_the_sample_trains() -> None:
    at = app()
    assert "Training the bundled sample" in texts(at)
    bars = at.get("progress")
    assert bars and "queue" in bars[0].proto.text and "1" in bars[0].proto.text


def test_learn_shows_the_three_measures_on_the_sample_vectors() -> None:
    app()
    sample_done()
    at = app()
    table = at.dataframe[1].value
    row = table.set_index(table.columns[0]).loc["cat ↔ dog"]
    assert row.iloc[0] == pytest.approx(0.8)  # cosine
    assert row.iloc[1] == pytest.approx(np.hypot(0.2, 0.6), abs=1e-3)  # euclidean
    assert row.iloc[2] == pytest.approx(0.8)  # dot
    banana = table.set_index(table.columns[0]).loc["cat ↔ banana"]
    assert banana.iloc[0] == pytest.approx(0.0) and banana.iloc[2] == pytest.approx(0.0)
    assert "Cosine similarity" in texts(at)
    # the sample was published to the gallery, where every workspace can open it
    assert (workspaces.gallery_dir() / Path(jobs.get(sample_job.sample_job_id()).run_dir).name).is_dir()


def test_learn_in_chinese_uses_the_chinese_words_and_unknown_words_get_a_message() -> None:
    app()
    sample_done()
    at = app(lang="zh")
    assert "什么是嵌入向量" in texts(at)
    labels = at.dataframe[1].value.iloc[:, 0].tolist()
    assert labels[0] == "猫 ↔ 狗"
    at.text_input[0].input("大象").run()
    assert "样例词表" in texts(at) and "大象" in texts(at)


def test_learn_loads_the_sample_into_explore() -> None:
    app()
    sample_done()
    at = app()
    next(b for b in at.button if b.label == "Load the sample and explore").click().run()
    assert not at.exception
    assert "Explore" in [t.value for t in at.title]
    assert "bundled sample" in at.selectbox(key="run_en").value.label
    assert "dog" in table_column(at)


def test_learn_with_a_failed_sample_offers_a_retry() -> None:
    app()
    finish_job(sample_job.sample_job_id(), "failed", error="corpus: something broke")
    at = app()
    assert "something broke" in texts(at)
    at.button[0].click().run()
    assert not at.exception
    assert jobs.get(sample_job.sample_job_id()).state == "queued"  # queued again


def test_switching_language_changes_the_navigation_and_page() -> None:
    at = app()
    assert at.sidebar.button_group(key="lang").options == ["English", "中文"]
    at.button_group(key="lang").set_value("zh").run()
    assert "什么是嵌入向量" in texts(at)
    set_lang(at, "en")
    assert "What is an embedding" in texts(at)
    set_lang(at, "zh")
    at.switch_page("pages/data.py").run()
    assert "数据" in texts(at)


# --------------------------------------------------------------------------- Data


def test_data_page_previews_the_bundled_text_sample() -> None:
    at = app("pages/data.py")
    assert "Choose a file above" in texts(at)
    at.button(key="sample_text").click().run()
    assert not at.exception
    shown = texts(at)
    assert "Encoding utf-8" in shown
    assert "distinct words occur at least 5 times" in shown
    # tokenization word by word, Chinese segmented: planted words appear as whole tokens
    tokens_md = "\n".join(m.value for m in at.markdown)
    assert "`" in tokens_md


def test_data_page_upload_is_saved_and_previewed_and_a_bad_file_is_refused_beside_the_control() -> None:
    at = app("pages/data.py")
    from explorer.samples.corpus import generate_corpus

    chinese = [line for line in generate_corpus(0).lines if "猫" in line][:40]
    text = ("\n".join(chinese) + "\n").encode("gb18030")
    at.get("file_uploader")[0].upload("pets.txt", text).run()
    assert not at.exception
    shown = texts(at)
    assert "pets.txt" in shown and "gb18030" in shown and "Chinese" in shown
    assert "`猫`" in "\n".join(m.value for m in at.markdown)
    assert len(list(workspaces.uploads_dir().glob("*.txt"))) == 1
    at.get("file_uploader")[0].upload("binary.txt", bytes(range(256)) * 64).run()
    assert not at.exception
    errors = [e.value for e in at.error]
    assert errors and errors[0].startswith("binary.txt:")
    assert "pets.txt" in texts(at)  # the previous good file stays chosen


def test_data_page_previews_the_interaction_sample_with_an_editable_mapping() -> None:
    at = app("pages/data.py")
    at.button_group(key="data_kind_en").set_value("log").run()
    at.button(key="sample_log").click().run()
    assert not at.exception
    shown = texts(at)
    assert "Users" in shown and "Density" in shown
    assert [s.value for s in at.selectbox if s.label in ("user", "item", "rating", "time")] == [
        "user", "item", "rating", "timestamp"]  # the guessed mapping
    assert "Popularity" in json.loads(at.get("plotly_chart")[0].proto.spec)["layout"]["title"]["text"]
    rating_box = next(s for s in at.selectbox if s.label == "rating")
    rating_box.set_value("user").run()  # a wrong mapping: a clear message beside the mapping, no traceback
    assert not at.exception
    errors = [e.value for e in at.error]
    assert errors and errors[0].startswith("sample_interactions.csv:") and "rating" in errors[0]


# --------------------------------------------------------------------------- Train


def test_train_submits_a_job_and_shows_its_progress_then_its_outcome() -> None:
    ws = workspaces.new_token()
    at = app("pages/train.py", ws=ws)
    assert "training uses the bundled sample" in texts(at)
    assert "No jobs yet" in texts(at)
    at.number_input(key="SkipGramConfig_epochs").set_value(2)
    at.button[-1].click()  # the form's submit button
    at.run()
    assert not at.exception
    (job,) = [j for j in jobs.list_jobs(ws)]
    assert job.spec["config"]["epochs"] == 2 and job.spec["kind"] == "skipgram"
    assert at.query_params["job"] in (job.id, [job.id])
    assert "Waiting in the queue" in at.get("progress")[0].proto.text
    finish_job(job.id, "failed", error="corpus.txt: no tokens left after cleaning")
    at.run()
    shown = texts(at)
    assert "Training failed: corpus.txt: no tokens left after cleaning" in shown
    assert at.dataframe[0].value.iloc[0].tolist()[2] == "failed"


def test_train_shows_a_failed_jobs_reason_in_chinese() -> None:
    ws = workspaces.new_token()
    job_id = jobs.submit({"kind": "skipgram", "name": "mine", "data": {"corpus": str(ROOT / "README.md")}}, ws)
    finish_job(job_id, "failed", error="mine.txt: no words left after cleaning and tokenizing",
               error_code="text_no_tokens", error_params={"file": "mine.txt"})
    at = app("pages/train.py", ws=ws, lang="zh")
    at.session_state["job"] = job_id
    at.run()
    shown = texts(at)
    assert "mine.txt：清洗和分词后没有剩下任何词。" in shown and "no words left" not in shown


def test_train_shows_a_finished_job_with_a_link_to_explore() -> None:
    ws = workspaces.new_token()
    job_id = jobs.submit({"kind": "skipgram", "name": "mine", "data": {"corpus": str(ROOT / "README.md")}}, ws)
    finish_job(job_id, "done")
    at = app("pages/train.py", ws=ws)
    at.session_state["job"] = job_id
    at.run()
    assert "Finished in" in texts(at)
    assert any(b.label == "Open in Explore" for b in at.button)


def test_train_user_item_submits_the_mapping_chosen_on_the_data_page() -> None:
    ws = workspaces.new_token()
    at = app("pages/data.py", ws=ws)
    at.button_group(key="data_kind_en").set_value("log").run()
    at.button(key="sample_log").click().run()
    at.switch_page("pages/train.py").run()
    at.button_group(key="train_kind_en").set_value("useritem").run()
    assert "Data: sample_interactions.csv" in texts(at)
    at.number_input(key="UserItemConfig_epochs").set_value(3)
    at.button[-1].click()
    at.run()
    (job,) = jobs.list_jobs(ws)
    assert job.kind == "useritem" and job.spec["config"]["epochs"] == 3
    assert job.spec["data"]["columns"]["user"] == "user" and job.spec["data"]["columns"]["time"] == "timestamp"
    assert job.spec["data"]["items"].endswith("sample_items.csv")


def test_train_opens_on_the_kind_of_data_chosen_last_on_the_data_page() -> None:
    at = app("pages/data.py")
    at.button_group(key="data_kind_en").set_value("log").run()
    at.button(key="sample_log").click().run()
    at.switch_page("pages/train.py").run()
    assert not at.exception
    assert at.button_group(key="train_kind_en").value == "useritem"
    shown = texts(at)
    assert "Data: sample_interactions.csv" in shown and "training uses the bundled sample" not in shown
    at.switch_page("pages/data.py").run()
    at.button_group(key="data_kind_en").set_value("text").run()
    at.button(key="sample_text").click().run()
    at.switch_page("pages/train.py").run()
    assert at.button_group(key="train_kind_en").value == "skipgram"
    assert "Data: sample_corpus.txt" in texts(at)


def test_a_vocabulary_under_two_words_is_an_error_on_data_and_refused_on_train() -> None:
    ws = workspaces.new_token()
    at = app("pages/data.py", ws=ws)
    at.get("file_uploader")[0].upload("tiny.txt", b"one two three\nfour five six\n").run()
    assert not at.exception
    errors = " ".join(e.value for e in at.error)
    assert "0 distinct words occur at least 5 times" in errors and "lower the minimum count" in errors
    assert not any("distinct words" in s.value for s in at.success)
    at.switch_page("pages/train.py").run()
    assert any("Fewer than 2 distinct words" in w.value for w in at.warning)
    at.button[-1].click()  # the form's submit button
    at.run()
    assert any("Fewer than 2 distinct words" in e.value for e in at.error)
    assert jobs.list_jobs(ws) == []


def test_train_form_has_a_widget_for_every_hyperparameter() -> None:
    from dataclasses import fields

    at = app("pages/train.py")

    def keys(prefix: str) -> set[str]:
        widgets = [*at.number_input, *at.selectbox, *at.checkbox]
        return {w.key[len(prefix):] for w in widgets if w.key and w.key.startswith(prefix)}

    assert keys("SkipGramConfig_") == {f.name for f in fields(SkipGramConfig)}
    at.button_group(key="train_kind_en").set_value("useritem").run()
    # min_rating is chosen with the column mapping on the Data page
    assert keys("UserItemConfig_") == {f.name for f in fields(UserItemConfig)} - {"min_rating"}


@pytest.mark.parametrize("language", ["en", "zh"])
def test_train_form_is_generated_from_every_kinds_ui_fields(language: str) -> None:
    """One widget per ``ui=True`` field of every registered kind, labelled and helped in the language,
    number inputs bounded as declared."""
    from explorer import train_form
    from explorer.i18n import t, value_text
    from explorer.kinds import training_kinds

    at = app("pages/train.py")
    for kind in training_kinds():
        set_lang(at, "en")  # the kind is chosen in English; the choice survives the language switch
        at.button_group(key="train_kind_en").set_value(kind).run()
        set_lang(at, language)
        assert not at.exception
        widgets = {w.key: w for w in [*at.number_input, *at.selectbox, *at.checkbox] if w.key}
        for spec in train_form.form_fields(kind):
            widget = widgets[train_form.widget_key(kind, spec)]
            assert widget.label == t(f"train.f_{spec.name}", language)
            default = value_text("default" if spec.default in (None, True, False) else spec.name, spec.default,
                                 language)  # the default as the UI says it (负采样, 无 …)
            assert widget.help == t(f"train.help_{spec.name}", language, default=default)
            if spec.type in (int, float) and not spec.choices:
                opts = train_form.number_options(spec)
                assert (widget.min, widget.max) == (opts["min_value"], opts["max_value"]), spec.name


def test_train_hyperparameters_have_help_with_their_defaults() -> None:
    at = app("pages/train.py")
    dim = at.number_input(key="SkipGramConfig_dim")
    assert dim.value == 100 and "Default 100" in dim.help
    at.button_group(key="train_kind_en").set_value("useritem").run()
    assert at.number_input(key="UserItemConfig_dim").value == 32
    assert "Default 32" in at.number_input(key="UserItemConfig_dim").help


def test_every_ui_string_used_by_the_pages_exists() -> None:
    from explorer.i18n import table

    for path in [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py"))]:
        source = path.read_text(encoding="utf-8")
        for key in re.findall(r"""tr\(\s*f?["']([a-z_]+)\.([a-z_0-9]+)["']""", source):
            assert key[1] in table(key[0]), (path.name, ".".join(key))


# --------------------------------------------------------------------------- Explore


def workspace_with_run() -> tuple[str, Path]:
    ws = workspaces.new_token()
    return ws, words_run(new_run_path(ws), **TINY, name="tiny")


def chart_spec(at: AppTest) -> dict:
    charts = at.get("plotly_chart")
    assert charts, "no chart on the page"
    return json.loads(charts[0].proto.spec)


def chart_texts(spec: dict) -> set[str]:
    """Labels drawn on the chart: point labels, and labels fanned out around a clump (annotations)."""
    notes = {a["text"] for a in spec["layout"].get("annotations") or [] if a.get("text")}
    return {t for trace in spec["data"] for t in (trace.get("text") or [])} | notes


def table_column(at: AppTest, i: int = 0) -> list[str]:
    return at.table[i].value.iloc[:, 0].tolist()


def test_explore_without_a_run_says_how_to_get_one() -> None:
    at = app("pages/explore.py")
    assert "No trained model yet" in texts(at)
    assert not at.get("plotly_chart")


def test_explore_shows_the_projection_and_the_neighbours_of_cat() -> None:
    ws, _ = workspace_with_run()
    at = app("pages/explore.py", ws=ws)
    assert table_column(at)[:3] == ["猫", "dog", "狗"]  # the default search is "cat"
    spec = chart_spec(at)
    assert {t["type"] for t in spec["data"]} >= {"scattergl"}
    assert {"cat", "dog"} <= chart_texts(spec)  # the query and its neighbours are labelled
    assert any(t.get("mode") == "lines" for t in spec["data"])  # lines to the neighbours
    assert [t["name"] for t in spec["data"]][:3] == ["animals", "fruit", "vehicles"]  # coloured by label
    assert "9 points" in texts(at)


def test_explore_search_box_analogy_and_unknown_words() -> None:
    ws, _ = workspace_with_run()
    at = app("pages/explore.py", ws=ws)
    at.text_input(key="ex_search_en").input("banana").run()
    assert table_column(at)[:2] == ["香蕉", "apple"]
    at.text_input(key="ex_search_en").input("zebra").run()
    assert "“zebra” is not in this model's vocabulary" in texts(at)
    # analogy: dog - cat + banana, the three words excluded from the answers
    answers = table_column(at, -1)
    assert answers[0] == "apple" and not {"dog", "cat", "banana"} & set(answers)
    assert "excluded from the answers" in texts(at)
    (a_box,) = [w for w in at.text_input if w.key.startswith("an_a_") and w.key.endswith("_en")]
    assert a_box.value == "dog"  # brother - father + mother is not in this run: the next example
    a_box.input("unicorn").run()
    assert any("unicorn" in e.value for e in at.error)


def test_explore_3d_and_colour_by_frequency() -> None:
    ws, _ = workspace_with_run()
    at = app("pages/explore.py", ws=ws)
    at.button_group(key="ex_dims").set_value(3).run()
    spec = chart_spec(at)
    assert {t["type"] for t in spec["data"]} == {"scatter3d"}
    assert "cannot select points" in texts(at)
    at.selectbox(key="ex_colour_skipgram_False_en").set_value("frequency").run()
    spec = chart_spec(at)
    assert spec["data"][0]["marker"]["colorbar"]["title"]["text"] == "frequency (log10)"


def test_explore_tsne_runs_as_a_background_job_and_shows_its_progress() -> None:
    ws, run_dir = workspace_with_run()
    at = app("pages/explore.py", ws=ws)
    at.button_group(key="ex_method").set_value("tsne").run()
    assert "Computing the t-SNE projection in the background" in texts(at)
    (job,) = [j for j in jobs.list_jobs(ws) if j.kind == "projection"]
    assert job.spec["method"] == "tsne" and job.spec["run_dir"] == str(run_dir.resolve())
    at.run()  # a rerun does not queue the same projection twice
    assert len([j for j in jobs.list_jobs(ws) if j.kind == "projection"]) == 1
    finish_job(job.id, "failed", error="tsne: perplexity too large")
    at.run()
    assert "The projection failed: tsne: perplexity too large" in texts(at)
    at.run()  # a failed projection is not queued again by itself
    assert len([j for j in jobs.list_jobs(ws) if j.kind == "projection"]) == 1
    next(b for b in at.button if b.label == "Compute it again").click().run()
    assert [j.state for j in jobs.list_jobs(ws) if j.kind == "projection"] == ["queued", "failed"]
    assert "Computing the t-SNE projection" in texts(at)


def test_explore_in_chinese_searches_mao_and_keeps_the_choices() -> None:
    ws, _ = workspace_with_run()
    at = app("pages/explore.py", ws=ws)
    at.selectbox(key="ex_colour_skipgram_False_en").set_value("frequency").run()
    set_lang(at, "zh")
    assert "搜索一个词" in [t.label for t in at.text_input]
    assert table_column(at)[:2] == ["cat", "狗"]
    colour = at.selectbox(key="ex_colour_skipgram_False_zh")
    assert colour.value == "frequency" and "词频（log10）" in colour.options  # relabelled, choice kept
    assert "余弦相似度" in at.selectbox(key="ex_metric_zh").options


def test_explore_user_item_run_recommends_with_the_why_and_shows_users_on_request() -> None:
    ws = workspaces.new_token()
    tiny_useritem_run(new_run_path(ws))
    at = app("pages/explore.py", ws=ws)
    recs = at.table[-1].value
    assert recs.iloc[0, 0] == "Item Four" and recs.iloc[0, 2] == pytest.approx(0.5) and recs.iloc[0, 3] == pytest.approx(0.6)
    assert recs.iloc[1, 0] == "Item One" and "Item Zero (1.00)" in recs.iloc[0, 4]
    assert "Item Zero" not in recs.iloc[:, 0].tolist()  # already seen
    spec = chart_spec(at)
    hover = [h for t in spec["data"] for h in (t.get("hovertext") or [])]
    assert "Item Four" in hover and not any(h.startswith("user:") for h in hover)
    at.toggle(key="ex_users").set_value(True).run()
    spec = chart_spec(at)
    names = [t["name"] for t in spec["data"]]
    assert names[:2] == ["item", "user"]  # coloured by user / item
    hover = [h for t in spec["data"] for h in (t.get("hovertext") or [])]
    assert {"user:u0", "Item Four"} <= set(hover)


def test_train_shows_live_progress_of_a_running_job_and_cancels_it() -> None:
    ws = workspaces.new_token()
    job_id = jobs.submit({"kind": "skipgram", "name": "mine", "data": {"corpus": str(ROOT / "README.md")}}, ws)
    assert jobs.claim(job_id, "test-worker", os.getpid()) is not None
    jobs.report(job_id, {"progress": 0.5, "stage": "train", "epoch": 3, "epochs": 5,
                         "loss_history": [3.0, 2.5, 2.0], "rate": 12345.0, "eta_s": 4.0})
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.query_params["ws"] = ws
    at.query_params["job"] = job_id  # a reload finds the followed job in the URL
    at.run()
    at.switch_page("pages/train.py").run()
    at.query_params["job"] = job_id
    at.run()
    assert not at.exception
    shown = texts(at)
    assert "words/s 12,345" in shown and "time left 4 s" in shown and "loss 2.0000" in shown
    assert "Training: epoch 3/5 · 50%" in at.get("progress")[0].proto.text
    assert "Job “mine”: running" in texts(at)
    jobs_frame = at.dataframe[-1].value
    assert list(jobs_frame["seconds"]) == ["–"]  # not "None" while the job runs
    loss = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert loss["data"][0]["y"] == [3.0, 2.5, 2.0] or "bdata" in loss["data"][0]["y"]
    jobs.report(job_id, {"progress": 0.9, "stage": "evaluate", "epoch": 0, "epochs": 0})
    at.run()
    assert at.get("progress")[0].proto.text == "Evaluating · 90%"  # no "epoch 0/0" for a stage without epochs
    next(b for b in at.button if b.label == "Cancel").click().run()
    assert jobs.job_row(job_id)["cancel_requested"] == 1


def test_explore_draws_a_sample_above_50000_points_and_says_so() -> None:
    ws = workspaces.new_token()
    n = 60_000
    rng = np.random.default_rng(0)
    imported_run(new_run_path(ws), [f"w{i}" for i in range(n)], rng.normal(size=(n, 3)), data={"source": "test"}, name="big")
    at = app("pages/explore.py", ws=ws)
    # 50,000 drawn at random, plus the searched word's neighbours not among them (the box opens on a word)
    said = re.search(r"60,000 points are too many to draw smoothly: showing a random sample of ([\d,]+)", texts(at))
    assert said is not None
    spec = chart_spec(at)
    drawn = sum(len(t["hovertext"]) for t in spec["data"] if t.get("hovertext") is not None)
    shown = int(said.group(1).replace(",", ""))
    assert 50_000 <= shown <= 50_011  # the word and its 10 neighbours at most
    assert shown <= drawn <= shown + 11  # the highlighted word and neighbours are drawn again on top
    at.text_input(key="ex_search_en").input("w59999").run()  # the searched word is always drawn
    hover = {h for t in chart_spec(at)["data"] for h in (t.get("hovertext") or [])}
    assert "w59999" in hover


def test_the_default_analogy_is_brother_father_mother_when_the_run_has_those_words() -> None:
    from types import SimpleNamespace

    from pages._explore_ui import analogy_example

    family = SimpleNamespace(index={w: i for i, w in enumerate(
        ["brother", "father", "mother", "dog", "cat", "banana", "哥哥", "爸爸", "妈妈"])})
    assert analogy_example(family, "en") == ("brother", "father", "mother")
    assert analogy_example(family, "zh") == ("哥哥", "爸爸", "妈妈")
    pets = SimpleNamespace(index={"dog": 0, "cat": 1, "banana": 2})
    assert analogy_example(pets, "en") == ("dog", "cat", "banana")
    assert analogy_example(SimpleNamespace(index={}), "en") == ("", "", "")


def test_explore_view_and_search_are_kept_in_the_url() -> None:
    """A reload of Explore (a new session on the same URL) finds the projection, its settings and the search word."""
    ws, _ = workspace_with_run()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    # a bound segmented control keeps its option's label in the URL (as the language switch does: lang=中文)
    for key, value in {"ws": ws, "ex_method": "UMAP", "ex_dims": "3D", "ex_n_neighbors": "7",
                       "ex_search_en": "dog", "ex_k": "5"}.items():
        at.query_params[key] = value
    at.switch_page("pages/explore.py").run()  # the page's own address, as a reload opens it
    assert not at.exception, at.exception
    assert at.button_group(key="ex_method").value == "umap" and at.button_group(key="ex_dims").value == 3
    assert at.slider(key="ex_n_neighbors").value == 7 and at.slider(key="ex_k").value == 5
    assert at.text_input(key="ex_search_en").value == "dog"
    assert "nearest neighbours of **dog**" in texts(at) and "狗" in table_column(at)  # searched from the URL
