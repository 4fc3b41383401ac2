"""Helpers for the browser tests (tests/e2e/): Playwright actions on the Streamlit app.

No fixed sleeps: a test waits for what it expects to see, and for the app's own run state, which
Streamlit writes on its root element (``data-test-script-state``: ``running``, ``rerunRequested``, …,
``notRunning``).
"""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from tests.support import ARTIFACTS


def nav(page, label: str) -> None:
    """Click a page in the sidebar navigation (same browser session, so session state is kept)."""
    page.locator('[data-testid="stSidebarNavLink"]').filter(has_text=re.compile(rf"{label}$")).click()


def open_page(page, label: str, tries: int = 3) -> None:
    """Click ``label`` in the sidebar until that page's own title is shown. The Data page left behind polls every
    0.5 s while THULAC loads (a fragment that reruns the app once it has), so a wait for the page to be idle is no
    proof that the click took effect; and text such as "Data: sample_corpus.txt" also matches Data's own "Current
    data: sample_corpus.txt", so only the page's title says which page is shown."""
    title = page.get_by_role("heading", name=label, exact=True)
    for attempt in range(tries):
        nav(page, label)
        try:
            title.wait_for(timeout=30_000)
            return
        except PlaywrightTimeoutError:
            assert attempt < tries - 1, f"{label} never opened: still on {page.url}"
            idle(page)


def button(page, label: str):
    return page.get_by_role("button").filter(has_text=label).first


APP = '[data-testid="stApp"]'
NOT_RUNNING = "notRunning"


def idle(page, timeout_s: float = 30) -> None:
    """Wait until the app runs no script. Call it once the page shows what the run you caused writes (a
    text, a chart): waiting for that first is what makes this a wait for *that* run to end."""
    page.locator(f'{APP}[data-test-script-state="{NOT_RUNNING}"]').wait_for(state="attached",
                                                                            timeout=timeout_s * 1000)


def calm(page) -> None:
    """The app has finished its run and every element of the previous run is gone (Streamlit keeps them,
    marked stale, while it reruns)."""
    idle(page)
    page.wait_for_function("() => !document.querySelector('[data-stale=\"true\"]')")


def click_until(page, button, shown, tries: int = 3) -> None:
    """Click ``button`` until ``shown`` (a locator) appears: a click that lands while the page reruns is lost, so
    the button is clicked again while it is still there and enabled (a click that took effect, slowly, may have
    disabled it: then it is waited for, not clicked twice)."""
    for attempt in range(tries):
        calm(page)
        if button.count() and button.first.is_enabled():
            button.first.click()
        try:
            shown.first.wait_for(timeout=20_000)
            return
        except PlaywrightTimeoutError:
            assert attempt < tries - 1, "the click never took effect"


def timed(page, action, condition_js: str) -> float:
    """Seconds from ``action`` until ``condition_js`` holds in the page (checked every frame)."""
    start = page.evaluate("performance.now()")
    action()
    page.wait_for_function(f"() => {condition_js}", polling="raf", timeout=30_000)
    return round((page.evaluate("performance.now()") - start) / 1000, 2)


def shot(page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def no_exceptions(page) -> None:
    assert page.locator('[data-testid="stException"]').count() == 0, page.locator(
        '[data-testid="stException"]').first.inner_text()
