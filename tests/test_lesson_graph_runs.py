"""Lesson step 6 on a class's own graph (AppTest, both languages): the walk runs on the graph a node-embedding run
was trained on (found again by its content hash), drawn whole when small and around the walk when large; a run whose
file is not kept falls back to the karate club with one line."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from explorer.jobs import workspaces
from explorer.text.readers import file_sha256
from tests.support.runs import graph_run

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow  # AppTest, and the page imports torch


def _graph_run(ws: str, n: int, *, kept: bool = True, name: str = "friends") -> tuple[list[str], str]:
    """Two rings of n/2 nodes joined by one edge; labels by ring. Returns the node ids and the run's id."""
    half = n // 2
    nodes = [f"n{i}" for i in range(n)]
    edges = [(i, (i + 1) % half) for i in range(half)] + [(half + i, half + (i + 1) % half) for i in range(half)]
    text = "".join(f"{nodes[a]} {nodes[b]}\n" for a, b in edges + [(0, half)])
    upload = workspaces.save_upload(text.encode(), ".txt")
    sha = file_sha256(upload)
    if not kept:
        upload.unlink()
    labels = {v: ("left" if i < half else "right") for i, v in enumerate(nodes)}
    run_id = workspaces.new_run_id()
    graph_run(workspaces.run_path(ws, run_id), nodes, np.eye(n, 4, dtype=np.float32),
              labels=labels, name=name, data={"source": f"{name}.txt", "sha256": sha, "directed": False})
    return nodes, run_id


def _page(ws: str, lang: str, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.setattr(st, "page_link", lambda page, **kw: None)  # the page runs without the navigation
    at = AppTest.from_file(str(ROOT / "pages" / "lesson_graph.py"), default_timeout=90)
    at.session_state["lang"] = lang
    at.session_state["ws"] = ws
    at.run()
    assert not at.exception, at.exception
    return at


def _shown(at: AppTest) -> str:
    return "\n".join(str(e.value) for kind in ("markdown", "caption", "info") for e in getattr(at, kind))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_walk_runs_on_a_graph_run_of_the_workspace(lang: str, monkeypatch: pytest.MonkeyPatch) -> None:
    ws = workspaces.new_token()
    nodes, run_id = _graph_run(ws, 12)
    at = _page(ws, lang, monkeypatch)
    picker = at.selectbox(key=f"lg_run_{lang}")
    assert picker.value == "karate" and len(picker.options) == 2  # the built-in club (the default), then the run
    assert at.code[0].value.split(" → ")[0] == "0"
    club = "Zachary's karate club" if lang == "en" else "扎卡里空手道俱乐部"
    assert any(club in c.value for c in at.caption)  # the club, described where it is the graph walked on
    picker.set_value(run_id).run()
    assert not at.exception, at.exception
    # the step's introduction and captions tell no karate story over the class's own graph
    assert "34" not in at.markdown[0].value and not any(club in c.value for c in at.caption)
    walk = at.code[0].value.split(" → ")
    assert len(walk) == 10 and set(walk) <= set(nodes)  # a walk on the run's own graph
    shown = _shown(at)
    assert ("12 nodes, 13 edges" if lang == "en" else "12 个节点，13 条边") in shown
    assert ("join nodes of the same label" if lang == "en" else "属于同一标签") in shown
    assert len(at.get("plotly_chart")) == 3  # the walk's graph, then the karate club's message-passing step
    start = next(s for s in at.selectbox if s.key.startswith("lg_start_"))
    start.set_value(nodes[7]).run()
    assert at.code[0].value.split(" → ")[0] == nodes[7]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_large_graph_is_drawn_around_the_walk_and_a_missing_file_falls_back(lang: str,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    ws = workspaces.new_token()
    _, big = _graph_run(ws, 1200, name="big")
    _, gone = _graph_run(ws, 12, kept=False, name="gone")
    at = _page(ws, lang, monkeypatch)
    picker = at.selectbox(key=f"lg_run_{lang}")
    assert len(picker.options) == 3  # the karate club and the two runs
    for run_id, large in ((big, True), (gone, False)):
        at.selectbox(key=f"lg_run_{lang}").set_value(run_id).run()
        assert not at.exception, at.exception
        shown = _shown(at)
        walk = at.code[0].value.split(" → ")
        if large:
            assert walk[0].startswith("n")
            assert ("of 1,200 nodes" if lang == "en" else "1,200 个节点中的") in shown
            start = next(s for s in at.selectbox if s.key.startswith("lg_start_"))
            assert len(start.options) == 200  # the best-connected nodes only
        else:  # the run whose file is not kept: the karate club, said in one line
            assert walk[0] == "0"
            assert ("is not kept on this server" if lang == "en" else "不在此服务器上") in shown


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("content", [b"a a\nb b\n", b"\x00\x01\x02\x03" * 64], ids=["self-loops", "binary"])
def test_a_run_whose_kept_graph_cannot_be_read_falls_back_with_the_reason(lang: str, content: bytes,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """The upload a run names (by its hash) is kept but is no graph to walk on: the reason in one line (in the UI's
    language), and the walk on the karate club; the page goes on."""
    ws = workspaces.new_token()
    upload = workspaces.save_upload(content, ".txt")
    run_id = workspaces.new_run_id()
    graph_run(workspaces.run_path(ws, run_id), ["a", "b"], np.eye(2, 4, dtype=np.float32), name="broken",
              data={"source": "broken.txt", "sha256": file_sha256(upload), "directed": False})
    at = _page(ws, lang, monkeypatch)
    at.selectbox(key=f"lg_run_{lang}").set_value(run_id).run()
    assert not at.exception, at.exception
    assert len(at.warning) == 1 and "Traceback" not in at.warning[0].value
    assert "broken.txt" in at.warning[0].value
    # and where the walk goes instead (the karate club's drawing under the class's run's name puzzled a reader)
    assert ("runs on the karate club" if lang == "en" else "在空手道俱乐部上游走") in at.warning[0].value
    if lang == "zh":
        assert any("\u4e00" <= ch <= "\u9fff" for ch in at.warning[0].value), at.warning[0].value
    assert at.code[0].value.split(" → ")[0] == "0"  # the karate club's walk
    assert len(at.get("plotly_chart")) == 3
