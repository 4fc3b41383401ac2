"""The GloVe kind in a real headless Chromium: train GloVe on the bundled sample from the Train page, open it in
Explore, then lesson step 2 shows one co-occurrence cell of the run beside Skip-gram's pair loss (English, then
中文), and lesson step 4 sets GloVe against the sample's Skip-gram run.

Screenshots: tests/artifacts/glove_<place>.png (look at them: labels readable, Chinese drawn, no English in 中文).
"""

from __future__ import annotations

import re
import secrets

import pytest
from playwright.sync_api import expect

from tests.support import ARTIFACTS
from tests.support.browser import button, idle, nav, no_exceptions, open_page, shot

CHART = '[data-testid="stPlotlyChart"]'
RUN_NAME = "glove-e2e"
pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.timeout(360)]
expect.set_options(timeout=30_000)


def pick_run(page, label: str, name: str) -> None:
    """Choose the run called ``name`` in the lesson's model picker (labelled ``label``)."""
    box = page.locator('[data-testid="stSelectbox"]').filter(has_text=label).first
    box.click()
    page.get_by_role("option").filter(has_text=name).first.click()


def view_shot(page, locator, name: str) -> None:
    """A screenshot of the window scrolled to ``locator`` (the app scrolls inside its own container, so a
    full-page screenshot shows only its top)."""
    locator.first.evaluate("e => e.scrollIntoView({block: 'start'})")
    idle(page)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def test_glove_journey(server, page) -> None:
    page.set_viewport_size({"width": 1400, "height": 1700})
    token = secrets.token_urlsafe(16)
    page.goto(f"{server.url}/?ws={token}")
    page.get_by_text("What is an embedding?").wait_for(timeout=120_000)
    page.get_by_text("Three ways to compare two vectors").wait_for(timeout=150_000)  # the sample has trained
    idle(page)

    # 1. Train: choose GloVe, the bundled sample, fewer epochs, a name; follow the job; open it in Explore
    open_page(page, "Train")
    page.get_by_role("radio", name="GloVe (words)").click()
    page.get_by_text("Data: sample_corpus.txt").wait_for()
    # GloVe's own form is drawn (the click's rerun happened; the data line was there before it): values filled
    # before that rerun went to the Skip-gram form it replaced
    page.get_by_text("Weighting cut-off (x_max)").wait_for(state="attached")
    idle(page)
    page.get_by_role("spinbutton", name="Epochs").fill("5")  # the sample's cells are few: five passes learn enough for the lesson
    page.get_by_label("Name of the model").fill(RUN_NAME)
    page.locator('[data-testid="stFormSubmitButton"] button').click()
    try:
        page.get_by_text(re.compile(r"Finished in [0-9.]+ s")).wait_for(timeout=200_000)
    except Exception:
        shot(page, "glove_train_failed")
        raise
    idle(page)
    no_exceptions(page)
    shot(page, "glove_train")
    button(page, "Open in Explore").click()
    page.locator(f"{CHART} .main-svg").first.wait_for(timeout=60_000)
    page.get_by_text("nearest neighbours of").first.wait_for()
    idle(page)
    no_exceptions(page)
    shot(page, "glove_explore")

    # 2. Lesson step 2 on the sample's Skip-gram run: the same pair as a cell of the GloVe run's table
    nav(page, re.escape("2 · The objective"))
    page.get_by_text("Lesson step 2 of 7").wait_for()
    page.get_by_text("GloVe: the same corpus as one table of counts").wait_for(timeout=60_000)
    idle(page, 60)
    no_exceptions(page)
    # 3. ... and on the GloVe run itself: X_ij, f(X), the prediction, log X, the error, Skip-gram's loss beside
    pick_run(page, "Model used in this step", RUN_NAME)
    # (.first: for a moment the rerun shows the Skip-gram run's paragraph beside the GloVe run's; idle() below ends it)
    page.get_by_text(re.compile(r"this cell adds")).first.wait_for(timeout=60_000)
    page.get_by_text(re.compile(r"Skip-gram \(.*\) on the same corpus scores the pair")).wait_for()
    idle(page, 60)
    no_exceptions(page)
    assert page.locator(f"{CHART} .main-svg").count() >= 1
    shot(page, "glove_objective_en")

    # 4. 中文: the same step
    page.get_by_role("radio", name="中文").click()
    page.get_by_text("这个格子给 GloVe 的损失贡献").wait_for(timeout=60_000)
    page.get_by_text("旁边是同一份语料上的 Skip-gram").wait_for()
    idle(page, 60)
    no_exceptions(page)
    shot(page, "glove_objective_zh")

    # 5. Lesson step 4 (中文): GloVe against Skip-gram on the same corpus
    nav(page, re.escape("4 · 这个空间好不好？"))
    page.get_by_text("课程第 4 步，共 7 步").wait_for()
    section = page.get_by_text(re.compile("同一份语料，两种方法"))
    section.wait_for(timeout=90_000)
    page.get_by_text(re.compile("两者的 10 个近邻平均重合")).wait_for(timeout=90_000)
    idle(page, 90)
    no_exceptions(page)
    view_shot(page, section, "glove_quality_zh")

    # 6. Lesson step 6 (中文): one message-passing step on the karate club, GCN coefficients and GAT attention
    nav(page, re.escape("6 · 图：随机游走变成句子"))
    page.get_by_text("课程第 6 步，共 7 步").wait_for()
    gcn = page.get_by_text("GCN：邻居的归一化求和")
    gcn.wait_for(timeout=90_000)
    page.get_by_text("GAT：注意力决定听谁的").wait_for(timeout=90_000)
    idle(page, 90)
    no_exceptions(page)
    assert page.locator(CHART).count() == 3
    view_shot(page, gcn, "glove_journey_graph_gcn_zh")
    view_shot(page, page.get_by_text("GAT：注意力决定听谁的"), "glove_journey_graph_gat_zh")
