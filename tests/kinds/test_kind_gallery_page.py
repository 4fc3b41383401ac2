"""The gallery shows a run's kind by its translated display name (the kind's own key), graph runs included."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from explorer import kinds
from explorer.i18n import t, value_text
from explorer.jobs import classes
from tests.support.runs import graph_run, new_run_path

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow  # an AppTest of the whole app: seconds


@pytest.fixture(autouse=True)
def _no_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EXPLORER_START_WORKER", "0")
    st.cache_data.clear()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_gallery_shows_the_kinds_translated_name(lang: str) -> None:
    info = classes.create_class("Maths")
    ann = classes.join(info.code, "Ann")
    run = graph_run(new_run_path(ann.workspace), ["a", "b", "c", "d"], np.eye(4, 3), degrees=[2, 1, 1, 2],
                    data={"source": "edges.tsv"}, name="karate nodes",
                    metrics={"loss_per_epoch": [1.5], "steps_per_s": 1000.0})
    classes.publish(info.teacher_token, ann.workspace, run.name)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["ws"] = ann.workspace
    at.session_state["lang"] = lang
    at.run()
    at.switch_page("pages/gallery.py").run()
    assert not at.exception, at.exception
    captions = "\n".join(str(c.value) for c in [*at.caption, *at.text])  # names and the author line are plain text
    name = t(kinds.run_kind("graph").label_key, lang)
    assert name in captions and name != "graph"
    assert f"{value_text('key_number', 'steps/s', lang)} 1,000" in captions  # the kind's key numbers
