"""Security: markup in data stays text. A run whose tokens and name are Markdown images / HTML
pointing at 127.0.0.1:9 is opened in a real headless Chromium (Explore: search, neighbour table,
"nearest neighbours of" line, hover labels; Runs: the list); no request may leave for that address,
and the markup must be visible as characters. Screenshots: tests/artifacts/hostile_*.png."""

from __future__ import annotations

import json
import re
import secrets
import shutil
from pathlib import Path

import pytest

from tests.support import ARTIFACTS, ROOT
from tests.support.browser import idle

RUN = ROOT / "tests" / "hostile" / "data" / "runs" / "sg"
TRAP = "127.0.0.1:9"
TOKENS = ["![x](//127.0.0.1:9/md-image.png)", '<img src="//127.0.0.1:9/html-image.png">',
          "[link](//127.0.0.1:9/md-link)", ":red[red]"]

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.timeout(300)]


def _plant_run(home: Path, token: str) -> Path:
    run = home / "workspaces" / token / "runs" / "20260101-000000-0badf00d"
    run.parent.mkdir(parents=True)
    shutil.copytree(RUN, run)
    lines = (run / "vocab.tsv").read_text(encoding="utf-8").splitlines()
    for i, tok in enumerate(TOKENS, start=1):
        lines[i] = f"{tok}\t{lines[i].split(chr(9))[1]}"
    (run / "vocab.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    config = json.loads((run / "config.json").read_text(encoding="utf-8"))
    config["name"] = "![run](//127.0.0.1:9/run-name.png)"
    (run / "config.json").write_text(json.dumps(config), encoding="utf-8")
    return run


def test_markup_in_tokens_and_names_fetches_nothing(server, page) -> None:
    token = secrets.token_urlsafe(16)
    _plant_run(server.home, token)
    requests: list[str] = []
    page.on("request", lambda req: requests.append(req.url))
    page.set_viewport_size({"width": 1400, "height": 1600})

    page.goto(f"{server.url}/explore?ws={token}")
    search = page.get_by_label(re.compile("Search")).first
    search.wait_for(timeout=120_000)
    for tok in TOKENS:
        search.fill(tok)
        search.press("Enter")
        # the line names the token as its characters (it was Markdown before)
        page.get_by_text(f"nearest neighbours of {tok}", exact=False).first.wait_for(timeout=60_000)
        idle(page)
    page.locator('[data-testid="stTable"]').first.wait_for()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "hostile_explore.png"), full_page=True)
    tables = "\n".join(page.locator('[data-testid="stTable"]').all_inner_texts())
    assert TOKENS[1] in tables  # a neighbour of the last query, shown as its characters in the table

    page.goto(f"{server.url}/runs?ws={token}")
    page.locator('[data-testid="stDataFrame"] canvas').first.wait_for(timeout=60_000)  # the run list (a canvas grid)
    idle(page)
    page.screenshot(path=str(ARTIFACTS / "hostile_runs.png"), full_page=True)

    assert page.locator("img[src*='127.0.0.1']").count() == 0
    leaked = [u for u in requests if TRAP in u]
    assert leaked == [], leaked


def test_a_display_name_with_an_address_is_no_link(server, page, monkeypatch: pytest.MonkeyPatch) -> None:
    """A student named ``www.evil.example https://127.0.0.1:9/x`` publishes a run: the gallery's author line
    (seen by a classmate) and the sidebar's class line (seen by the student) show the characters, and the
    page holds no link to either address (GitHub-flavoured Markdown would autolink both)."""
    from explorer.jobs import classes, workspaces

    monkeypatch.setenv("EXPLORER_HOME", str(server.home))
    name = "www.evil.example https://127.0.0.1:9/x"
    info = classes.create_class("www.class.example")
    evil, mate = classes.join(info.code, name), classes.join(info.code, "Mate")
    run = _plant_run(server.home, evil.workspace)
    workspaces.publish(evil.workspace, run.name)
    page.set_viewport_size({"width": 1400, "height": 1200})
    for who, where in ((mate.workspace, "gallery"), (evil.workspace, "runs")):
        page.goto(f"{server.url}/{where}?ws={who}")
        page.get_by_text(name, exact=False).first.wait_for(timeout=120_000)
        idle(page)  # the page's run has ended: every line that could hold a link is drawn
        page.screenshot(path=str(ARTIFACTS / f"hostile_name_{where}.png"), full_page=True)
        links = page.locator("a[href*='evil.example'], a[href*='127.0.0.1:9/'], a[href*='class.example']")
        assert links.count() == 0, [links.nth(i).get_attribute("href") for i in range(links.count())]
