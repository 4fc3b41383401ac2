"""Runs that share a name are told apart by their model, and a CBOW run is called CBOW: the run pickers, the Runs
page's table and the Train page's list of jobs (a practitioner's E5 and Doc2Vec runs of one file were both
"reviews_gbk · <time>"; a student's CBOW run was listed as "Skip-gram (words)"); the gallery's sample is named in
the UI's language."""

from __future__ import annotations

import numpy as np
import pytest

from explorer.i18n import t, value_text
from explorer.jobs import workspaces
from tests.support.pages import app, no_worker  # noqa: F401
from tests.support.runs import encoder_run, glove_run, new_run_path, words_run

pytestmark = pytest.mark.slow
WORDS = ["猫", "狗", "香蕉", "苹果", "汽车", "火车"]


def _two_runs_named_novel() -> str:
    ws = workspaces.new_token()
    vectors = np.random.default_rng(0).normal(size=(len(WORDS), 4))
    words_run(new_run_path(ws), WORDS, vectors, config={"dim": 4, "arch": "cbow"}, name="novel")
    glove_run(new_run_path(ws), WORDS, vectors, config={"dim": 4}, name="novel")
    return ws


def test_the_run_picker_names_the_model_where_two_runs_share_a_name() -> None:
    at = app("pages/explore.py", ws=_two_runs_named_novel(), lang="zh")
    labels = at.selectbox(key="run_zh").options  # as shown
    novel = [label for label in labels if label.startswith("novel")]
    assert len(novel) == 2 and len(set(novel)) == 2, labels
    assert any(t("common.arch_cbow", "zh") in label for label in novel), novel
    assert any(t("common.kind_glove", "zh") in label for label in novel), novel


def test_the_runs_table_calls_a_cbow_run_cbow() -> None:
    at = app("pages/runs.py", ws=_two_runs_named_novel(), lang="zh")
    table = at.dataframe[0].value
    models = table[t("runs.col_kind", "zh")].tolist()
    assert any(t("common.arch_cbow", "zh") in m for m in models), models
    assert t("common.kind_skipgram", "zh") not in models, models


def test_the_gallery_table_names_the_sample_in_chinese() -> None:
    ws = workspaces.new_token()
    run = encoder_run(new_run_path(ws), ["a", "b", "c"], np.eye(3), name="bundled sample")
    workspaces.publish(ws, run.name)
    at = app("pages/runs.py", ws=workspaces.new_token(), lang="zh")
    names = [n for frame in at.dataframe for n in frame.value.get(t("runs.col_name", "zh"), [])]
    assert value_text("run_name", "bundled sample", "zh") in names, names
    assert "bundled sample" not in names, names


def test_the_train_pages_jobs_list_calls_a_cbow_job_cbow() -> None:
    from explorer import jobs
    from tests.support import ROOT

    ws = workspaces.new_token()
    jobs.submit({"kind": "skipgram", "name": "mine", "data": {"corpus": str(ROOT / "README.md")},
                 "config": {"arch": "cbow"}}, ws)
    at = app("pages/train.py", ws=ws, lang="zh")
    models = [m for frame in at.dataframe for m in frame.value.get(t("train.col_kind", "zh"), [])]
    assert models and all(t("common.arch_cbow", "zh") in m for m in models), models


def test_the_neighbours_table_shows_categories_in_chinese_and_no_empty_category_column() -> None:
    ws = workspaces.new_token()
    vectors = np.random.default_rng(1).normal(size=(len(WORDS), 4))
    words_run(new_run_path(ws), WORDS, vectors, labels={"猫": "animals", "狗": "animals", "香蕉": "fruit",
                                                        "苹果": "fruit", "汽车": "vehicles", "火车": "vehicles"},
              name="labelled")
    at = app("pages/explore.py", ws=ws, lang="zh")
    table = at.table[0].value  # the neighbours of the search word (猫)
    assert set(table[t("explore.col_label", "zh")]) <= {"动物", "水果", "交通工具"}, table
    ws = _two_runs_named_novel()  # runs without categories
    at = app("pages/explore.py", ws=ws, lang="zh")
    assert t("explore.col_label", "zh") not in at.table[0].value.columns, at.table[0].value
