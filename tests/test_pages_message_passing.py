"""Lesson step 6's message-passing step under AppTest, in English and Chinese: tables, pictures, the computed
check question."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from explorer.lesson import message_passing as mp

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow  # AppTest, and the page imports torch


@pytest.mark.parametrize("lang,words", [("en", ("normalised sum", "attention", "Lesson step 6 of 7")),
                                        ("zh", ("归一化求和", "注意力", "课程第 6 步"))])
def test_lesson_graph_page_draws_one_message_passing_step(lang: str, words: tuple[str, ...],
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(st, "page_link", lambda page, **kw: None)  # the page runs without the navigation
    at = AppTest.from_file(str(ROOT / "pages" / "lesson_graph.py"), default_timeout=90)
    at.session_state["lang"] = lang
    at.session_state["ws"] = "lesson-test"
    at.run()
    assert not at.exception, at.exception
    shown = "\n".join(str(e.value) for kind in ("markdown", "caption", "subheader") for e in getattr(at, kind))
    assert all(w in shown for w in words), words
    assert len(at.get("plotly_chart")) == 3
    member = at.selectbox(key="lg_mp_node")
    assert member.value == "0"
    gcn_table, gat_table = at.dataframe[1].value, at.dataframe[2].value
    assert len(gcn_table) == len(gat_table) == 17  # member 0: 16 friends and itself
    assert abs(gat_table.iloc[:, -1].sum() - 1.0) < 0.01
    member.set_value("33").run()
    assert not at.exception
    assert len(at.dataframe[1].value) == 18
    quiz = next(r for r in at.radio if r.key == "lg_check_33")
    k = mp.karate_messages()
    step = mp.gat_step(k.gat, k.features, k.nodes.index("33"))
    best = k.nodes[mp.strongest(step.weights, step.rows, skip=k.nodes.index("33"))]
    quiz.set_value(best).run()
    next(b for b in at.button if b.key == "lg_check_33_go").click().run()
    assert at.success and best in at.success[0].value
