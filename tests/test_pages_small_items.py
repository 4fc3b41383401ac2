"""Smaller page behaviours of issue 24 (AppTest): a second tab on the workspace shows the running job; a long query is
cut with a notice."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from explorer import jobs
from explorer.jobs import workspaces
from pages._widgets import MAX_QUERY
from tests.support.page_runs import planted_words_run

pytestmark = pytest.mark.slow  # AppTest pages: seconds each

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _no_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EXPLORER_START_WORKER", "0")
    st.cache_data.clear()
    st.cache_resource.clear()


def open_tab(ws: str, page: str, lang: str = "en") -> AppTest:
    """A new browser tab on workspace ``ws`` (its own session: nothing in session state)."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["ws"] = ws
    at.session_state["lang"] = lang
    at.run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def shown(at: AppTest) -> str:
    parts = [str(e.value) for kind in ("subheader", "markdown", "caption", "info", "warning") for e in getattr(at, kind)]
    return "\n".join(parts)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_second_tab_shows_the_workspaces_running_job(lang: str) -> None:
    ws = workspaces.new_token()
    planted_words_run(workspaces.run_path(ws, workspaces.new_run_id()), name="earlier")
    job_id = jobs.submit({"kind": "skipgram", "name": "novel-run", "data": {"corpus": str(ROOT / "README.md")}}, ws)
    assert jobs.claim(job_id, "test-worker", os.getpid()) is not None  # running, started by "another tab"
    train = open_tab(ws, "pages/train.py", lang)
    assert any("novel-run" in s.value for s in train.subheader)  # followed as if this tab had started it
    explore = open_tab(ws, "pages/explore.py", lang)
    assert any("novel-run" in i.value for i in explore.info)
    assert jobs.finish(job_id, "cancelled")
    assert not any("novel-run" in i.value for i in open_tab(ws, "pages/explore.py", lang).info)  # gone when it ends


def test_a_long_query_is_cut_with_a_notice() -> None:
    ws = workspaces.new_token()
    planted_words_run(workspaces.run_path(ws, workspaces.new_run_id()))
    at = open_tab(ws, "pages/explore.py")
    box = next(t for t in at.text_input if t.key == "ex_search_en")
    assert box.max_chars == MAX_QUERY
    box.input("q" * 5000).run()  # the box refuses it, as the browser's does ...
    assert box.value != "q" * 5000
    at.session_state["ex_search_en"] = "q" * 5000  # ... and a client that ignores max_chars meets the server's cut
    at.run()
    assert not at.exception
    text = shown(at)
    assert f"A search box takes at most {MAX_QUERY} characters" in text
    assert "q" * (MAX_QUERY + 1) not in text  # the query is never echoed in full


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_train_form_says_why_a_small_corpus_starts_with_more_epochs(lang: str) -> None:
    from explorer.samples.files import sample_files
    from explorer.train_form import data_slot

    ws = workspaces.new_token()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["ws"] = ws
    at.session_state["lang"] = lang
    at.session_state[data_slot("skipgram")] = {"path": str(sample_files().corpus), "name": "novel.txt",
                                                "sample": False, "vocab_kept": 692, "vocab_min_count": 5,
                                                "vocab_tokens": 26_449}
    at.run()
    at.switch_page("pages/train.py").run()
    assert not at.exception, at.exception
    note = [c.value for c in at.caption if "26,449" in c.value]
    assert len(note) == 1, [c.value for c in at.caption]
    assert ("Epochs 31 (usually 5)" if lang == "en" else "训练轮数 31（通常为 5）") in note[0]
    assert [n.value for n in at.number_input if n.value == 31]  # and the form starts there


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_explore_opens_on_a_word_the_run_knows(lang: str) -> None:
    """On the class's own novel (no 猫, no cat) the search box starts on one of its frequent content words, and on a
    run with "cat" but not "猫" the 中文 UI starts on "cat": never on "not in the vocabulary"."""
    import numpy as np

    from tests.support.runs import new_run_path, words_run

    for tokens, expected in ((["the", "of", "alice", "queen", "rabbit"], "alice"),
                             (["the", "cat", "dog", "alice"], "cat")):
        ws = workspaces.new_token()
        words_run(new_run_path(ws), tokens, np.random.default_rng(1).normal(size=(len(tokens), 4)),
                  counts=list(range(len(tokens) * 10, 0, -10)), name="novel")
        at = open_tab(ws, "pages/explore.py", lang)
        assert at.text_input(key=f"ex_search_{lang}").value == expected
        assert not at.warning, [w.value for w in at.warning]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_step_4_numbers_its_sections_as_shown(lang: str) -> None:
    """A run without labels has no clusters section: the sections read 1, 2, 3 (they read 1, 3, 4)."""
    import numpy as np

    from tests.support.runs import new_run_path, words_run

    ws = workspaces.new_token()
    tokens = [f"word{i}" for i in range(40)]
    words_run(new_run_path(ws), tokens, np.random.default_rng(2).normal(size=(40, 8)),
              counts=list(range(400, 0, -10)), name="novel")
    at = open_tab(ws, "pages/lesson_quality.py", lang)
    numbers = [h.value.split(" · ")[0] for h in at.subheader if h.value[:1].isdigit()]
    assert numbers == ["1", "2", "3"], [h.value for h in at.subheader]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_word_steps_say_why_they_use_the_sample_to_a_student_with_only_other_models(lang: str) -> None:
    """A student whose only model is a recommender is told, on the word steps, why the sample is used and what to do
    (step 5 said so already for the opposite case)."""
    import numpy as np

    from explorer.i18n import t
    from tests.support.runs import new_run_path, useritem_run

    ws = workspaces.new_token()
    useritem_run(new_run_path(ws), np.eye(3, 4), np.eye(3, 4), name="recs")
    for page in ("pages/lesson_text.py", "pages/lesson_quality.py", "pages/lesson_sentences.py"):
        at = open_tab(ws, page, lang)
        assert t("lesson.sample_only_words", lang) in [i.value for i in at.info], page


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_steps_2_and_3_say_why_they_use_the_sample_for_models_trained_without_frames(lang: str) -> None:
    """A student whose word model was trained without frames (the command line's default) has no context vectors and
    no frames: steps 2 and 3 said nothing and showed the sample; they now say why and what to change on Train."""
    import numpy as np

    from explorer.i18n import t
    from explorer.runs.frames import has_context_vectors
    from tests.support.runs import new_run_path, words_run

    ws = workspaces.new_token()
    path = new_run_path(ws)
    words_run(path, [f"word{i}" for i in range(20)], np.random.default_rng(1).normal(size=(20, 8)), name="novel")
    assert not has_context_vectors(path)
    for page, key in (("pages/lesson_objective.py", "lesson_objective.sample_only"),
                      ("pages/lesson_watch.py", "lesson_watch.sample_only")):
        at = open_tab(ws, page, lang)
        assert not at.exception, (page, at.exception)
        assert t(key, lang) in [i.value for i in at.info], (page, [i.value for i in at.info])
