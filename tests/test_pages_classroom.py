"""AppTests of the class pages (join, teacher dashboard, gallery) and the refusals, in English and Chinese."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from explorer import jobs
from explorer.i18n import t
from explorer.jobs import classes, visibility
from tests.support.runs import new_run_path, words_run

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT = 60
pytestmark = pytest.mark.slow  # AppTests of whole app runs: ~6 s each


@pytest.fixture(autouse=True)
def _no_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EXPLORER_START_WORKER", "0")
    st.cache_data.clear()
    st.cache_resource.clear()


TINY = {"tokens": [f"w{i}" for i in range(8)], "vectors": np.random.default_rng(1).normal(size=(8, 4)),
        "data": {"corpus": "tiny.txt"}, "metrics": {"loss_per_epoch": [2.0, 0.75], "words_per_s": 5000.0}}


def app(page: str | None = None, lang: str = "en", **params: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    for key, value in params.items():
        at.query_params[key] = value
    at.session_state["lang"] = lang  # as the sidebar switch does (see tests/test_pages.py set_lang)
    at.run()
    if page:
        at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def texts(at: AppTest) -> str:
    parts = []
    for kind in ("title", "subheader", "markdown", "caption", "info", "warning", "error", "success", "text"):
        parts += [str(e.value) for e in getattr(at, kind)]
    return "\n".join(parts)


def tc(key: str, lang: str, **values: object) -> str:
    return t(f"classroom.{key}", lang, **values)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_join_link_asks_a_display_name_and_makes_a_student_workspace(lang: str) -> None:
    info = classes.create_class("Maths")
    at = app(lang=lang, join=info.code)
    assert tc("join_title", lang, name="Maths") in texts(at)
    at.text_input(key="join_name").input("Ann")
    at.button[0].click().run()  # the form's submit button
    assert not at.exception, at.exception
    ws = at.query_params["ws"]
    ws = ws if isinstance(ws, str) else ws[0]
    assert classes.member(ws).display_name == "Ann" and "join" not in at.query_params
    bad = app(lang=lang, join="ZZZZZZZZ")
    assert tc("join_bad_code", lang) in texts(bad)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_students_are_refused_the_dashboard_and_others_runs_and_jobs(lang: str) -> None:
    info = classes.create_class("Maths")
    ann, bob = classes.join(info.code, "Ann"), classes.join(info.code, "Bob")
    bobs_run = words_run(new_run_path(bob.workspace), **TINY, name="tiny")
    at = app("pages/teacher.py", lang=lang, ws=ann.workspace)
    shown = texts(at)
    assert tc("teacher_refused", lang) in shown and tc("create_title", lang) not in shown
    at = app("pages/teacher.py", lang=lang, ws=ann.workspace, teacher=ann.workspace + "x" * 10)
    assert tc("teacher_refused", lang) in texts(at)
    at = app("pages/explore.py", lang=lang, ws=ann.workspace, run=bobs_run.name)
    assert tc("run_refused", lang) in texts(at)
    job = jobs.submit({"kind": "skipgram", "name": "bob's", "data": {"corpus": str(ROOT / "README.md")}},
                      bob.workspace)
    at = app("pages/train.py", lang=lang, ws=ann.workspace, job=job)
    assert tc("job_refused", lang) in texts(at)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_teacher_dashboard_roster_runs_publish_and_limits(lang: str) -> None:
    info = classes.create_class("Maths")
    ann = classes.join(info.code, "Ann")
    run = words_run(new_run_path(ann.workspace), **TINY, name="ann-run")
    at = app("pages/teacher.py", lang=lang, teacher=info.teacher_token)
    shown = texts(at)
    assert tc("teacher_title", lang, name="Maths") in shown and tc("roster_title", lang) in shown
    roster = at.dataframe[0].value
    assert list(roster[tc("col_name", lang)]) == ["Ann"] and list(roster[tc("col_runs", lang)]) == [1]
    runs = at.dataframe[1].value
    loss, rate = t("train.loss", lang), t("train.words_per_s", lang)  # column titles in the UI's language
    assert list(runs[loss]) == ["0.7500"] and list(runs[rate]) == ["5,000"]
    assert "HR@10" not in runs.columns  # no run has it: no column of "–"
    at.text_input(key="t_description").input("nice clusters")
    at.button(key="t_publish").click().run()
    assert not at.exception, at.exception
    entries = visibility.gallery_entries(ann.workspace)
    assert [(e.run_id, e.author, e.description) for e in entries] == [(run.name, "Ann", "nice clusters")]
    gallery = app("pages/gallery.py", lang=lang, ws=ann.workspace)
    shown = texts(gallery)
    assert "ann-run" in shown and "nice clusters" in shown and "Ann" in shown
    gallery.button(key="gal_open_0").click().run()
    assert not gallery.exception, gallery.exception


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_anyone_not_a_student_can_create_a_class_in_the_app(lang: str) -> None:
    at = app("pages/teacher.py", lang=lang)
    assert tc("create_title", lang) in texts(at)
    at.text_input(key="new_class_name").input("History")
    at.button[0].click().run()
    assert not at.exception, at.exception
    assert tc("created", lang) in texts(at)
    # both links in code boxes, which have a copy button (they were disabled text boxes without one)
    link = next(c.value for c in at.code if "teacher=" in c.value)
    assert any("/?join=" in c.value for c in at.code)
    assert "teacher=" in link
    token = link.split("teacher=")[1]
    assert classes.teacher_class(token).name == "History"
    assert os.environ.get("EXPLORER_HOME")
    # the button shown under the new class opens its dashboard (it used to live inside the form's branch,
    # so that pressing it ran the page without the button and nothing happened)
    next(b for b in at.button if b.label == tc("open_dashboard", lang)).click().run()
    assert not at.exception, at.exception
    assert at.session_state["teacher"] == token
    assert tc("teacher_title", lang, name="History") in texts(at)
