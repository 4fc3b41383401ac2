"""The lesson pages under AppTest, in English and Chinese, on real (small) models of the bundled samples.

The sample runs are trained once per session with the real trainers (tiny settings, with frames) and
copied in as the finished sample jobs; no worker runs (``EXPLORER_START_WORKER=0``).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from explorer import jobs
from explorer.i18n import t
from explorer.jobs import sample_job, workspaces
from tests.support.lesson_runs import finish_samples, train_small_samples

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT = 60
PAGES = ["lesson_text", "lesson_objective", "lesson_watch", "lesson_quality", "lesson_recommend"]
pytestmark = pytest.mark.slow  # trains two small models once per session, then seconds per page


@pytest.fixture(scope="session")
def trained(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The small sample runs, trained once per session."""
    return train_small_samples(tmp_path_factory.mktemp("lesson-runs"))


@pytest.fixture(autouse=True)
def _no_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EXPLORER_START_WORKER", "0")
    st.cache_data.clear()
    st.cache_resource.clear()


def texts(at: AppTest) -> str:
    parts = []
    for kind in ("title", "subheader", "markdown", "caption", "info", "warning", "error", "success", "text"):
        parts += [str(e.value) for e in getattr(at, kind)]
    parts += [f"{m.label} {m.value}" for m in at.metric]
    return "\n".join(parts)


def open_page(page: str, lang: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.run()
    at.session_state["lang"] = lang
    at.run()
    at.switch_page(f"pages/{page}.py").run()
    assert not at.exception, at.exception
    return at


def ready_app(trained: dict[str, Path]) -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.run()  # queues the samples
    finish_samples(trained)


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("page", PAGES)
def test_lesson_page_renders_in_both_languages(trained: dict[str, Path], page: str, lang: str) -> None:
    ready_app(trained)
    at = open_page(page, lang)
    shown = texts(at)
    assert at.title, page
    if lang == "zh":
        assert any("\u4e00" <= ch <= "\u9fff" for ch in at.title[0].value), at.title[0].value
    assert "Traceback" not in shown
    assert at.get("page_link"), "each lesson page links to the tool where students try it"


def test_lesson_pages_wait_for_the_sample(trained: dict[str, Path]) -> None:
    at = open_page("lesson_watch", "en")
    assert "training in the background" in texts(at)


def test_objective_shows_the_trainers_own_loss_and_compares_objectives(trained: dict[str, Path]) -> None:
    ready_app(trained)
    at = open_page("lesson_objective", "en")
    shown = texts(at)
    assert "Loss of this pair" in shown and "trainer's own loss function" in shown
    assert "comparison models are training" in shown
    finish_samples(trained, sample_job.SAMPLE_KEYS[2:])
    at.run()
    assert not at.exception
    frames = [d.value for d in at.dataframe]
    assert any("neighbours with the same category" in f.columns for f in frames)
    at.session_state["lang"] = "zh"
    at.run()
    compared = next(d.value for d in at.dataframe if "目标函数" in d.value.columns)
    assert "负采样" in set(compared["目标函数"]) <= {"完整 softmax", "负采样"}  # translated, not negative-sampling


def test_watch_page_draws_the_player_with_frames(trained: dict[str, Path]) -> None:
    ready_app(trained)
    at = open_page("lesson_watch", "en")
    import json

    charts = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    player = next(c for c in charts if c.get("frames"))
    assert len(player["frames"]) == 7  # the start + 6 frames
    assert player["layout"]["updatemenus"][0]["buttons"][0]["label"].endswith("Play")


def test_text_page_turns_a_typed_sentence_into_pairs(trained: dict[str, Path]) -> None:
    ready_app(trained)
    at = open_page("lesson_text", "en")
    at.text_input(key="lt_sentence_en").input("a b c").run()
    pairs = next(d.value for d in at.dataframe if "centre" in d.value.columns)
    assert list(zip(pairs["centre"], pairs["context"], strict=True)) == [
        ("a", "b"), ("a", "c"), ("b", "a"), ("b", "c"), ("c", "a"), ("c", "b")]


def _projection_jobs(ws: str) -> list[jobs.JobInfo]:
    return [j for j in jobs.list_jobs(ws) if j.kind == "projection"]


def _run_projections_as_the_worker(ws: str) -> int:
    """Claim and run this workspace's queued projection jobs as a worker would; how many ran."""
    from explorer.jobs.execute import run_projection

    ran = 0
    for job in _projection_jobs(ws):
        if job.state != "queued":
            continue
        claim = jobs.claim(job.id, "test-worker", os.getpid())
        assert claim is not None
        run_projection(job.spec, None, lambda p: False)
        assert jobs.finish(job.id, "done")
        ran += 1
    return ran


def test_quality_maps_queue_once_and_show_where_the_worker_writes(trained: dict[str, Path]) -> None:
    """Step 4 on the bundled sample (a run the workspace does not own): each map's projection is queued once,
    revisits queue nothing, and once the worker has written them (to the viewer's store) the maps are drawn."""
    import json

    ready_app(trained)
    at = open_page("lesson_quality", "en")
    ws = at.session_state["ws"]
    from explorer.lesson.quality import VIEWS

    queued = _projection_jobs(ws)
    assert len(queued) == len(VIEWS) - 1  # PCA is computed on the page; t-SNE and UMAP twice each are jobs
    for _ in range(3):  # three more visits (reruns of the page and its fragment) queue nothing new
        at.run()
        assert not at.exception
    assert len(_projection_jobs(ws)) == len(queued)
    assert "being computed in the background" in texts(at)

    assert _run_projections_as_the_worker(ws) == len(queued)
    for _ in range(2):
        at.run()
    assert not at.exception
    assert len(_projection_jobs(ws)) == len(queued)  # done jobs are not queued again
    charts = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    recall_maps = [c for c in charts if "mean recall" in json.dumps(c.get("layout", {}).get("title", ""))]
    assert len(recall_maps) == len(VIEWS), [c.get("layout", {}).get("title") for c in charts]
    assert "being computed in the background" not in texts(at)
    assert at.get("expander"), "the check-yourself question appears once the maps are ready"


def test_lesson_opens_on_the_classs_shared_dataset_run_with_content_words(trained: dict[str, Path]) -> None:
    """A student's run on the class's shared (unlabelled) novel is the lesson's default model on steps 2-4, two
    runs of the same name are told apart, and step 4's examples are content words, not function words."""
    import json

    from explorer.jobs import classes

    ready_app(trained)
    novel = workspaces.save_upload("之 曰 也 吾 the of 孔明 曹操 玄德 关公 the army\n".encode() * 50, ".txt")
    info = classes.create_class("Period 3")
    classes.share_dataset(info.teacher_token, novel, "Romance", "corpus")
    student = classes.join(info.code, "Ann").workspace
    runs = []
    for name, source in (("novel", str(novel)), ("novel", "elsewhere.txt")):
        out = workspaces.run_path(student, workspaces.new_run_id())
        shutil.copytree(trained["job"], out)
        config = json.loads((out / "config.json").read_text())
        config["name"], config["data"]["source"] = name, source
        (out / "config.json").write_text(json.dumps(config))
        (out / "labels.tsv").unlink(missing_ok=True)
        runs.append(out)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.session_state["ws"] = student
    at.run()
    for page in ("lesson_objective", "lesson_watch", "lesson_quality"):
        at.switch_page(f"pages/{page}.py").run()
        assert not at.exception, (page, at.exception)
        picker = next(s for s in at.selectbox if s.label == "Model used in this step")
        assert picker.value.path == str(runs[0]), page  # the run on the shared dataset, not the sample
        labels = list(picker.options)  # as shown
        assert len(set(labels)) == len(labels), labels  # two runs called "novel" can be told apart
    words = next(m for m in at.multiselect if m.label == "Three words")
    assert words.value and not set(words.value) & {"之", "曰", "也", "吾", "the", "of"}, words.value


def test_text_step_shows_the_chosen_runs_own_text_and_never_a_path_named_by_an_imported_run(
        trained: dict[str, Path], tmp_path: Path) -> None:
    """Step 1 has the model picker too: on a run trained on an upload it starts from that upload's first lines
    and counts that run's vocabulary; a run whose config names a file outside the uploads is not read."""
    import json

    ready_app(trained)
    ws = workspaces.new_token()
    upload = workspaces.save_upload(b"Alice was beginning to get very tired of sitting by her sister\n" * 40, ".txt")
    secret = tmp_path / "secret.txt"
    secret.write_text("do not show this line\n", encoding="utf-8")
    runs = {}
    for name, corpus in (("novel", upload), ("imported", secret)):
        out = workspaces.run_path(ws, workspaces.new_run_id())
        shutil.copytree(trained["job"], out)
        config = json.loads((out / "config.json").read_text())
        config["name"], config["data"] = name, {"corpus": str(corpus), "corpus_name": f"{name}.txt"}
        (out / "config.json").write_text(json.dumps(config))
        runs[name] = out
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.session_state["ws"] = ws
    at.run()
    at.switch_page("pages/lesson_text.py").run()
    assert not at.exception, at.exception
    for name in ("novel", "imported"):
        picker = next(s for s in at.selectbox if s.label == "Model used in this step")
        picker.select_index(next(i for i, o in enumerate(picker.options) if o.startswith(f"{name} · "))).run()
        assert at.selectbox(key=picker.key).value.path == str(runs[name])
        assert not at.exception, at.exception
        lines = at.text_area[0].value
        if name == "novel":
            assert "novel.txt" in texts(at) and lines.startswith("Alice was beginning"), lines[:80]
            assert "The chosen model (novel) used min_count" in texts(at)  # not "the sample model"
        else:
            assert "do not show this line" not in lines and "imported.txt" not in texts(at)


def test_quality_step_compares_content_words_when_only_one_default_word_is_known(trained: dict[str, Path]) -> None:
    """Step 4's three words: cat/dog/banana when the run knows two of them, else the run's content words (a novel
    that knows "cat" only used to get one word, and so no pair to compare)."""
    import json

    ready_app(trained)
    ws = workspaces.new_token()
    out = workspaces.run_path(ws, workspaces.new_run_id())
    shutil.copytree(trained["job"], out)
    vocab = (out / "vocab.tsv").read_text(encoding="utf-8").splitlines()
    renamed = {"dog": "doggo", "banana": "plantain", "狗": "犬", "香蕉": "芭蕉"}
    (out / "vocab.tsv").write_text("\n".join("\t".join([renamed.get(r.split("\t")[0], r.split("\t")[0]),
                                                          *r.split("\t")[1:]]) for r in vocab) + "\n",
                                   encoding="utf-8")
    (out / "labels.tsv").unlink(missing_ok=True)
    config = json.loads((out / "config.json").read_text())
    config["name"] = "novel"
    (out / "config.json").write_text(json.dumps(config))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.session_state["ws"] = ws
    at.run()
    at.switch_page("pages/lesson_quality.py").run()
    assert not at.exception, at.exception
    picker = next(s for s in at.selectbox if s.label == "Model used in this step")
    picker.select_index(next(i for i, o in enumerate(picker.options) if o.startswith("novel · "))).run()
    assert not at.exception, at.exception
    words = next(m for m in at.multiselect if m.label == "Three words")
    assert len(words.value) == 3, words.value
    assert any(d.value.shape[0] == 3 for d in at.dataframe if "pair" in d.value.columns)  # three pairs compared
    # no labels, no groups to place: no empty picker (its "No options to select" is Streamlit's, English in 中文)
    assert not [m for m in at.multiselect if m.label == t("lesson_quality.axis_groups", "en")]


def test_a_class_students_check_yourself_answer_reaches_the_report(trained: dict[str, Path]) -> None:
    from explorer.jobs import class_report, classes

    ready_app(trained)
    info = classes.create_class("Period 3")
    ann = classes.join(info.code, "Ann")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.session_state["ws"] = ann.workspace
    at.run()
    at.switch_page("pages/lesson_text.py").run()
    at.radio(key="lt_check").set_value("14").run()
    at.button(key="lt_check_go").click().run()
    assert not at.exception, at.exception
    given = class_report.answers(info.teacher_token)[ann.workspace]
    assert [(a["question"], a["choice"]) for a in given] == [("lt_check", "14")]
    assert given[0]["correct"] == (bool(at.success) and not at.error)  # the page's verdict is what was kept


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_recommend_step_on_a_text_only_workspace_says_it_uses_the_sample_log(trained: dict[str, Path],
                                                                             lang: str) -> None:
    ready_app(trained)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.run()
    ws = at.session_state["ws"]
    shutil.copytree(trained["job"], workspaces.run_path(ws, workspaces.new_run_id()))  # a words run, no log
    at.session_state["lang"] = lang
    at.switch_page("pages/lesson_recommend.py").run()
    assert not at.exception, at.exception
    note = t("lesson_recommend.sample_only", lang)
    assert [i.value for i in at.info if i.value == note], [i.value for i in at.info]
    at.switch_page("pages/lesson_recommend.py").run()  # again: the sample log's run is now published, a choice too
    assert [i.value for i in at.info if i.value == note], [i.value for i in at.info]
    links = {p.proto.label for p in at.get("page_link")}  # what to do: upload a log, train on it
    assert {t("common.nav_data", lang), t("common.nav_train", lang)} <= links, links
    # a fresh workspace (no models of its own) opens on the sample without the notice
    fresh = open_page("lesson_recommend", lang)
    assert not [i.value for i in fresh.info if i.value == note]


def test_a_collapsed_run_is_named_on_the_lesson_steps(trained: dict[str, Path]) -> None:
    """A novel trained for too few epochs: every word points one way; the steps say so and link to Train."""
    import numpy as np

    ready_app(trained)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.run()
    ws = at.session_state["ws"]
    out = workspaces.run_path(ws, workspaces.new_run_id())
    shutil.copytree(trained["job"], out)
    vectors = np.load(out / "vectors.npy")
    rng = np.random.default_rng(0)
    np.save(out / "vectors.npy", (1.0 + 0.01 * rng.normal(size=vectors.shape)).astype(np.float32))
    at.switch_page("pages/lesson_objective.py").run()
    assert not at.exception, at.exception
    picker = next(s for s in at.selectbox if s.label == "Model used in this step")
    picker.select_index(0).run()  # the workspace's own run is listed first
    assert not at.exception, at.exception
    assert next(s for s in at.selectbox if s.label == "Model used in this step").value.path == str(out)
    assert any("mean cosine" in w.value for w in at.warning), [w.value for w in at.warning]
    assert "Train again with more epochs" in {p.proto.label for p in at.get("page_link")}
    picker = next(s for s in at.selectbox if s.label == "Model used in this step")
    picker.select_index(1).run()  # the sample: a trained space, no warning
    assert next(s for s in at.selectbox if s.label == "Model used in this step").value.path != str(out)
    assert not any("mean cosine" in w.value for w in at.warning)


def _step_2_on_three_runs(trained: dict[str, Path], lang: str, *, labels: bool) -> AppTest:
    """Step 2 open in ``lang`` on a workspace with three copies of the trained run: "novel NS" and "novel softmax"
    (one text: the same sha256, the two objectives) and "other text" (another sha256); ``labels=False`` drops their
    categories (labels.tsv)."""
    import json

    ready_app(trained)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.run()
    at.session_state["lang"] = lang
    at.run()
    ws = at.session_state["ws"]
    for loss, name, sha in (("negative-sampling", "novel NS", "ab" * 32), ("softmax", "novel softmax", "ab" * 32),
                            ("negative-sampling", "other text", "cd" * 32)):
        out = workspaces.run_path(ws, workspaces.new_run_id())
        shutil.copytree(trained["job"], out)
        if not labels:
            (out / "labels.tsv").unlink()
        config = json.loads((out / "config.json").read_text())
        config["config"]["loss"], config["name"], config["data"]["sha256"] = loss, name, sha
        (out / "config.json").write_text(json.dumps(config))
    at.switch_page("pages/lesson_objective.py").run()
    return at


def _pick_run(at: AppTest, lang: str, name: str) -> None:
    """Choose the run whose label starts with ``name`` in the lesson's model picker."""
    picker = next(s for s in at.selectbox if s.label == t("lesson.model", lang))
    picker.select_index(next(i for i, o in enumerate(picker.options) if o.startswith(name))).run()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_step_2_compares_the_objectives_on_the_class_text_when_it_was_trained_both_ways(
        trained: dict[str, Path], lang: str) -> None:
    """Two runs of the workspace on one text (same sha256), negative sampling and full softmax: step 2 compares those
    two, names them and says how far their neighbours agree; a run of another text gets the sample's comparison
    and says how to compare on its own text."""
    from explorer.i18n import value_text

    at = _step_2_on_three_runs(trained, lang, labels=True)
    assert not at.exception, at.exception
    _pick_run(at, lang, "novel NS")
    assert not at.exception, at.exception
    shown = texts(at)
    assert "novel NS" in shown and "novel softmax" in shown, shown
    intro = t("lesson_objective.compare_own", lang, ns="X", sm="Y").split("X")[0]
    assert intro in shown
    overlap = [m.value for m in at.markdown if t("lesson_objective.compare_overlap", lang, share=0.5)[:12] in m.value]
    assert overlap and "100%" in overlap[0], overlap  # the two are copies of one run: the same neighbours
    table = at.dataframe[-1].value
    assert len(table) == 2 and set(table.iloc[:, 0]) == {value_text("loss", "negative-sampling", lang),
                                                         value_text("loss", "softmax", lang)}, table
    # a run of another text: the sample's comparison, and how to get one on its own text
    _pick_run(at, lang, "other text")
    assert not at.exception, at.exception
    shown = texts(at)
    assert intro not in shown
    hint = t("lesson_objective.compare_own_hint", lang, words=803).split("803")[0]
    assert hint in shown, shown


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_step_2_on_a_text_without_categories_has_no_column_of_none(trained: dict[str, Path], lang: str) -> None:
    """A class's text has no planted categories: the comparison of its two runs leaves out the category column (a
    browser showed 'None' in both rows, in English in the 中文 UI); a run of another text gets the hint on how to
    compare on its own text below the sample's numbers (not above them, where they read as that text's)."""
    at = _step_2_on_three_runs(trained, lang, labels=False)
    _pick_run(at, lang, "novel NS")
    assert not at.exception, at.exception
    table = at.dataframe[-1].value
    assert len(table) == 2 and t("lesson_objective.agreement", lang) not in table.columns, table
    assert not table.isna().any().any(), table
    _pick_run(at, lang, "other text")
    finish_samples(trained, tuple(sample_job.SAMPLE_KEYS[2:]))  # the sample's two comparison runs
    at.run()
    assert not at.exception, at.exception
    hint = t("lesson_objective.compare_own_hint", lang, words=803).split("803")[0]
    order = [v for v in map(_value, at.main) if isinstance(v, (str, pd.DataFrame))]  # in the page's order
    table_at = next(i for i, v in enumerate(order) if isinstance(v, pd.DataFrame) and len(v) == 2
                    and v.columns[0] == t("lesson_objective.objective", lang))
    hint_at = next(i for i, v in enumerate(order) if isinstance(v, str) and hint in v)
    assert hint_at > table_at, (hint_at, table_at)


def _value(node: object) -> object:
    try:
        return getattr(node, "value", None)
    except Exception:  # an element AppTest cannot read back
        return None


def test_the_lesson_picker_speaks_the_new_language_after_a_switch(trained: dict[str, Path]) -> None:
    """Streamlit keeps a select box's shown label: after switching to 中文 the lesson's picker still read 'bundled
    sample · … (gallery)' (seen in a browser). The choice is kept, its label is the new language's."""
    ready_app(trained)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.run()
    at.switch_page("pages/lesson_objective.py").run()
    picker = next(s for s in at.selectbox if s.label == t("lesson.model", "en"))
    assert picker.value.label.startswith(t("common.sample_run", "en")), picker.value
    chosen = picker.value.run_id
    at.session_state["lang"] = "zh"
    at.run()
    assert not at.exception, at.exception
    picker = next(s for s in at.selectbox if s.label == t("lesson.model", "zh"))
    assert picker.value.run_id == chosen
    assert picker.value.label.startswith(t("common.sample_run", "zh")), picker.value
