"""Helpers for the page tests under Streamlit's AppTest (no worker process, caches cleared per test).

A page-test module uses the fixture by importing it: ``from tests.support.pages import no_worker  # noqa: F401``.
"""

from __future__ import annotations

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from tests.support import ROOT

TIMEOUT = 60  # the first run in a process imports jieba, torch, plotly, ...


@pytest.fixture(autouse=True)
def no_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    """No worker process is started; Streamlit's caches start empty (app.py queues the sample once per
    "server": once per test here)."""
    monkeypatch.setenv("EXPLORER_START_WORKER", "0")
    st.cache_data.clear()
    st.cache_resource.clear()


def app(page: str | None = None, ws: str | None = None, lang: str | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    if ws:
        at.query_params["ws"] = ws
    at.run()
    if lang:
        set_lang(at, lang)
    if page:
        at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def set_lang(at: AppTest, lang: str) -> None:
    """Choose the UI language as the sidebar switch does.

    (AppTest drops app.py's own elements, the sidebar included, from the element tree after the
    first run of a multipage app, so the switch is set through its session-state key; a real
    browser keeps the sidebar, see tests/e2e.)
    """
    at.session_state["lang"] = lang
    at.run()


def texts(at: AppTest) -> str:
    """Everything readable on the page, in one string."""
    parts = []
    for kind in ("title", "subheader", "markdown", "caption", "info", "warning", "error", "success"):
        parts += [str(e.value) for e in getattr(at, kind)]
    parts += [f"{m.label} {m.value}" for m in at.metric]
    return "\n".join(parts)
