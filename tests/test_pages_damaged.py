"""A damaged run never breaks a page: the Runs page lists it with its problem (both languages), and
the run pickers of the other pages leave it out."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from explorer.jobs import workspaces
from tests.support.runs import new_run_path, words_run

pytestmark = pytest.mark.slow  # AppTests of the whole app: seconds each

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT = 60


@pytest.fixture(autouse=True)
def _no_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EXPLORER_START_WORKER", "0")
    st.cache_data.clear()
    st.cache_resource.clear()


TOY = {"tokens": ["cat", "dog", "fish", "bird"], "vectors": np.eye(4, 3), "counts": [4, 3, 2, 1],
       "data": {"source": "toy.txt"}}


def workspace_with_damaged_run() -> tuple[str, Path]:
    token = workspaces.new_token()
    words_run(new_run_path(token), **TOY, name="good one")
    bad = words_run(new_run_path(token), **TOY, name="<b>bad</b> one")
    config = json.loads((bad / "config.json").read_text(encoding="utf-8"))
    (bad / "config.json").write_text(json.dumps({**config, "created": 20240101}), encoding="utf-8")
    return token, bad


def app(page: str, ws: str, lang: str | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.query_params["ws"] = ws
    at.run()
    if lang:
        at.button_group(key="lang").set_value(lang).run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


@pytest.mark.parametrize(("lang", "warning"), [(None, "1 run(s) of this workspace are damaged"),
                                               ("zh", "本工作区有 1 个模型已损坏")])
def test_runs_page_lists_a_damaged_run_and_deletes_it(lang: str | None, warning: str) -> None:
    token, bad = workspace_with_damaged_run()
    at = app("pages/runs.py", token, lang)
    assert any(warning in w.value for w in at.warning)
    frames = [d.value for d in at.dataframe]
    problems = [str(v) for f in frames for v in f.to_numpy().ravel()]
    assert any("created must be a date" in p and str(bad / "config.json") in p for p in problems)
    assert any("good one" in p for p in problems)  # the good run is still listed
    at.button(key="runs_damaged_delete").click().run()
    assert not at.exception and not bad.exists()
    assert not at.warning or not any(warning in w.value for w in at.warning)


def test_explore_picker_leaves_the_damaged_run_out() -> None:
    token, _ = workspace_with_damaged_run()
    at = app("pages/explore.py", token)
    assert [o for o in at.selectbox(key="run_en").options if "bad" in o] == []
