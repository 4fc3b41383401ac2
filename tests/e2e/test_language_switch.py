"""A run picker after a language switch, in a real headless Chromium: Streamlit's select box keeps the label it
shows, so a picker of the same key went on showing the English label of the chosen run in the 中文 UI ('bundled
sample · … (gallery)'), which AppTest does not see. Screenshot: tests/artifacts/language_switch_zh.png."""

from __future__ import annotations

import re

import pytest

from tests.support.browser import idle, nav, no_exceptions, shot

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.timeout(300)]

PICKER = '[data-testid="stSelectbox"]'


def shown(box) -> str:
    """What a select box shows: its label and the chosen option."""
    return box.evaluate("e => e.textContent + ' ' + [...e.querySelectorAll('input')].map(i => i.value).join(' ')")


def test_the_lesson_picker_is_relabelled_when_the_language_changes(server, page) -> None:
    page.goto(server.url)
    page.get_by_text("What is an embedding?").wait_for()
    nav(page, re.escape("2 · The objective"))
    box = page.locator(PICKER).filter(has_text="Model used in this step").first
    box.wait_for(timeout=240_000)  # the bundled sample trains first (numba compiles once)
    idle(page, 60)
    assert "bundled sample" in shown(box), shown(box)
    page.get_by_text("中文", exact=True).first.click()
    box = page.locator(PICKER).filter(has_text="本步使用的模型").first
    box.wait_for()
    idle(page, 60)
    text = shown(box)
    shot(page, "language_switch_zh")
    no_exceptions(page)
    assert "自带样例" in text and "bundled sample" not in text and "gallery" not in text, text
