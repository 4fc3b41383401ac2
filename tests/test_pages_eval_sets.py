"""Evaluate offers the bundled Chinese sets on a run with Chinese words (AppTest, 中文 UI)."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from explorer.i18n import t
from explorer.jobs import workspaces
from tests.support.eval_runs import toy_run

pytestmark = pytest.mark.slow  # AppTest pages: seconds each

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _no_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EXPLORER_START_WORKER", "0")
    st.cache_data.clear()
    st.cache_resource.clear()


def test_evaluate_scores_a_chinese_run_on_cos960_and_ca8() -> None:
    ws = workspaces.new_token()
    run = toy_run(workspaces.run_path(ws, workspaces.new_run_id()))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["ws"] = ws
    at.query_params["run"] = run.name
    at.session_state["lang"] = "zh"
    at.run()
    at.switch_page("pages/evaluate.py").run()
    assert not at.exception, at.exception
    at.button(key="eval_pairs_bundled").click().run()
    assert not at.exception, at.exception
    spearman = next(m for m in at.metric if m.label == t("evaluate.spearman", "zh"))
    assert float(spearman.value) > 0.6
    assert any("COS960" in c.value for c in at.caption)

    at.button(key="eval_analogy_bundled").click().run()
    assert not at.exception, at.exception
    sections = next(d.value for d in at.dataframe if t("evaluate.col_accuracy", "zh") in d.value.columns)
    assert set(sections[t("evaluate.col_section", "zh")]) == {"地理", "自然", "历史", "人物"}  # CA8's, translated
