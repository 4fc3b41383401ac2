"""Nothing leaves the server: every page, in English and in Chinese, is opened in a real headless Chromium
and every request the browser makes is recorded; a request to any host other than the app's own fails the
test (a school's network sees no outside traffic; an offline classroom loses nothing)."""

from __future__ import annotations

import re
import secrets
from urllib.parse import quote, urlparse

import pytest

from explorer.i18n import LANGUAGES

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.timeout(600)]

#: every page's URL path (app.py's navigation): the lesson, then the tools
PAGES = ["", "lesson-text", "lesson-objective", "lesson-watch", "lesson-quality", "lesson-recommend", "lesson-graph",
         "data", "train", "explore", "clusters", "evaluate", "runs", "gallery", "teacher"]
LOCAL = {"127.0.0.1", "localhost", "::1", ""}


def outside(urls: list[str]) -> list[str]:
    """The requested URLs whose host is not this machine's (data:, blob: and about: have no host)."""
    return [u for u in urls if urlparse(u).scheme in ("http", "https", "ws", "wss")
            and (urlparse(u).hostname or "") not in LOCAL]


def test_outside_filter() -> None:
    assert outside(["http://127.0.0.1:8501/x", "data:image/png;base64,AA", "https://fonts.gstatic.com/s/i.svg",
                    "ws://localhost:1/_stcore/stream"]) == ["https://fonts.gstatic.com/s/i.svg"]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_page_requests_only_this_server(server, page, lang: str) -> None:
    token = secrets.token_urlsafe(16)
    requests: list[str] = []
    page.on("request", lambda req: requests.append(req.url))
    for path in PAGES:
        page.goto(f"{server.url}/{path}?ws={token}&lang={quote(LANGUAGES[lang])}")
        page.locator('[data-testid="stSidebarNav"]').first.wait_for(timeout=120_000)
        page.locator('[data-testid="stMain"]').first.wait_for()
        page.wait_for_load_state("networkidle")
        leaked = outside(requests)
        assert leaked == [], (path, leaked)
    assert any(re.search(r"127\.0\.0\.1", u) for u in requests)  # the recorder did record this server's requests


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_sidebar_lists_every_page_without_view_more(server, page, lang: str) -> None:
    """The navigation keeps every lesson and tool page visible: no folded "View N more" (untranslated) entry."""
    page.goto(f"{server.url}/?ws={secrets.token_urlsafe(16)}&lang={quote(LANGUAGES[lang])}")
    nav = page.locator('[data-testid="stSidebarNav"]').first
    tools = {"en": "Tools", "zh": "工具"}[lang]  # the section header of app.py's navigation (not a page-folder list)
    nav.get_by_text(tools, exact=True).wait_for(timeout=120_000)
    page.wait_for_load_state("networkidle")
    text = nav.inner_text()
    assert "View" not in text and "more" not in text, text
    links = page.locator('[data-testid="stSidebarNavLink"]').count()
    assert links >= len(PAGES) - 1, (links, text)  # the teacher page is listed too outside a class
