"""Documents in a real browser: upload a CSV of documents on Data, encode them with the bundled E5 (Train),
search them on Explore (results listed and marked on the map, "more like this"), then see the clusters named
by their terms on Clusters; the same pages in 中文.

Screenshots: tests/artifacts/docsearch-*.png (look at them: names on the maps must not pile up, the 中文 UI
has no English of its own, Chinese text is drawn, not boxes).
"""

from __future__ import annotations

import csv
import re
import secrets
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from tests.support.browser import button, idle, nav, no_exceptions, open_page, shot

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.timeout(600)]
UPLOAD = '[data-testid="stFileUploaderDropzoneInput"]'
CHART = '[data-testid="stPlotlyChart"]'

TOPICS = {
    "food": (["Fresh bread comes out of the oven every morning.", "She kneads the dough and bakes a loaf of bread.",
              "The bakery sells warm bread and butter croissants.", "Add flour and yeast, then let the dough rise.",
              "Our oven bakes sourdough bread and rye bread."],
             ["早上烤箱里刚烤好的面包很香。", "她把面团揉好，烤了一个面包。", "面包店卖热面包和黄油牛角包。",
              "加入面粉和酵母，让面团发酵。", "我们的烤箱能烤酸面包和黑麦面包。"]),
    "sport": (["The striker scored a late goal in the football match.", "The referee gave a penalty and the team scored.",
               "Our football team won the league after a tense final.", "The goalkeeper saved the penalty in the match.",
               "Fans cheered when the team scored the winning goal."],
              ["前锋在足球比赛最后时刻进球了。", "裁判判了点球，球队进球。", "我们的足球队赢得了联赛冠军。",
               "守门员在比赛中扑出了点球。", "球队打进制胜球时球迷欢呼。"]),
    "weather": (["Heavy rain and strong wind are expected tomorrow.", "The storm brought rain, thunder and cold wind.",
                 "Tomorrow will be sunny and warm with a light wind.", "Snow and freezing rain closed the mountain roads.",
                 "The weather forecast says rain all weekend."],
                ["明天会有大雨和大风。", "暴风雨带来了雷声和冷风。", "明天天气晴朗温暖，有微风。",
                 "大雪和冻雨封闭了山路。", "天气预报说整个周末都会下雨。"]),
}


def documents_csv(path: Path) -> Path:
    """30 documents in three topics, half English, half Chinese; one document holds markup (shown as text)."""
    rows = []
    for topic, (english, chinese) in TOPICS.items():
        for text in english + chinese:
            rows.append({"id": f"d{len(rows) + 1}", "title": "", "text": text, "label": topic})
    rows[0]["text"] = "<b>Bold</b> claims: " + rows[0]["text"]
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=["id", "title", "text", "label"])
        writer.writeheader()
        writer.writerows(rows)
    return path


def table_rows(page, nth: int, n: int) -> list[str]:
    """The rows of the page's ``nth`` table once it has ``n`` (the map's redraw may rerun the page once more)."""
    rows = page.locator('[data-testid="stTable"]').nth(nth).locator("tbody tr")
    page.wait_for_function(f"() => document.querySelectorAll('[data-testid=\"stTable\"]')[{nth}]"
                           f"?.querySelectorAll('tbody tr').length === {n}", timeout=30_000)
    idle(page)
    return rows.all_inner_texts()


def piled(page) -> list:
    """Pairs of names on the first map whose boxes overlap."""
    boxes = [b for b in (e.bounding_box() for e in page.locator(f"{CHART} .annotation").all()) if b]
    return [(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1:]
            if a["x"] < b["x"] + b["width"] and b["x"] < a["x"] + a["width"]
            and a["y"] < b["y"] + b["height"] and b["y"] < a["y"] + a["height"]]


def pick_first_result(page, label: str) -> None:
    """Open the select box ``label`` and choose its second option (the first result); a box redrawn by a rerun
    while it opens closes again: open it again."""
    for attempt in range(4):
        idle(page)
        page.wait_for_function("() => !document.querySelector('[data-stale=\"true\"]')")
        page.locator('[data-testid="stSelectbox"]').filter(has_text=label).first.locator("input").first.click()
        try:
            page.get_by_role("option").nth(1).click(timeout=5_000)
            return
        except PlaywrightTimeoutError:
            if attempt == 3:
                raise
            page.keyboard.press("Escape")


def test_upload_encode_search_and_name_the_clusters(server, page, tmp_path: Path) -> None:
    token = secrets.token_urlsafe(16)
    page.set_viewport_size({"width": 1400, "height": 1400})
    page.goto(f"{server.url}/data?ws={token}")
    page.get_by_text("What kind of data?").wait_for(timeout=60_000)
    page.get_by_role("radio", name="Documents (document vectors)").click()
    page.get_by_text(re.compile(r"^Upload documents \(")).wait_for()  # the click's rerun drew the documents' uploader ...
    idle(page)  # ... and has ended: the file goes to that uploader, not to the text one the rerun replaces
    for attempt in range(3):  # a file set while Streamlit replaces the uploader in a rerun can be dropped: set it again
        page.locator(UPLOAD).first.set_input_files(str(documents_csv(tmp_path / "feedback.csv")))
        try:
            page.get_by_text("Current data: feedback.csv").wait_for(timeout=30_000)
            break
        except PlaywrightTimeoutError:
            if attempt == 2:
                raise
            idle(page)
    idle(page)
    no_exceptions(page)
    shot(page, "docsearch-data")

    # Train: the sentence encoder (bundled E5) encodes the documents in the background
    open_page(page, "Train")
    page.get_by_text("Sentence encoder (E5, documents)", exact=True).click()
    page.get_by_text("Data: feedback.csv").wait_for()
    idle(page)
    for attempt in range(3):  # a click that lands while the form is redrawn is lost: click again
        page.locator('[data-testid="stFormSubmitButton"] button').click()
        try:
            page.get_by_text(re.compile("Job “feedback”")).first.wait_for(timeout=30_000)
            break
        except PlaywrightTimeoutError:
            if attempt == 2:
                raise
            idle(page)
    page.get_by_text(re.compile(r"Finished in [0-9.]+ s")).wait_for(timeout=300_000)
    idle(page)
    no_exceptions(page)
    shot(page, "docsearch-train")
    button(page, "Open in Explore").click()
    page.locator(f"{CHART} .main-svg").first.wait_for(timeout=60_000)
    idle(page)

    # Explore: a query in English finds the documents about bread in both languages, marked on the map
    search = page.get_by_label("Search the documents (a question, a sentence or a few words)", exact=True)
    search.fill("warm bread from the bakery")
    search.press("Enter")
    page.get_by_text(re.compile("documents nearest to “warm bread from the bakery”")).first.wait_for(timeout=60_000)
    idle(page)
    results = table_rows(page, 0, 10)
    assert sum(("bread" in r or "面包" in r or "dough" in r or "面团" in r) for r in results[:5]) >= 4, results
    assert any("面包" in r for r in results), results  # the Chinese documents are found too
    assert page.locator(f"{CHART} .annotation-text").count() >= 10  # the results named on the map
    no_exceptions(page)
    shot(page, "docsearch-explore")

    # more like this: pick the first result
    pick_first_result(page, "More like this document")
    page.get_by_text(re.compile("documents most like")).first.wait_for()
    idle(page)
    assert len(table_rows(page, 1, 10)) == 10
    no_exceptions(page)
    shot(page, "docsearch-like")

    # Clusters: three clusters, each named by its terms, in the list and on the map
    nav(page, "Clusters")
    page.get_by_text("Map of the clusters").wait_for(timeout=60_000)
    idle(page)
    page.locator(f"{CHART} .annotation-text").first.wait_for()
    idle(page)
    names = page.locator(f"{CHART} .annotation-text").all_text_contents()
    assert len(names) >= 3, names  # k-means with 8 clusters: most named on the map, none on top of another
    assert any(w in " ".join(names) for w in ("bread", "面包", "oven", "烤箱", "dough", "面团")), names
    assert not piled(page), names
    no_exceptions(page)
    page.locator(CHART).first.scroll_into_view_if_needed()
    shot(page, "docsearch-clusters")

    # 中文: the same pages
    page.get_by_role("radio", name="中文").click()
    page.get_by_text("聚类地图").first.wait_for()
    idle(page)
    page.locator(f"{CHART} .annotation-text").first.wait_for()
    assert not piled(page)
    no_exceptions(page)
    page.locator(CHART).first.scroll_into_view_if_needed()
    shot(page, "docsearch-clusters-zh")
    nav(page, "探索")
    search = page.get_by_label("搜索文档（一个问题、一句话或几个词）", exact=True)
    search.wait_for(timeout=60_000)
    search.fill("明天会下雨吗")
    search.press("Enter")
    page.get_by_text(re.compile("与“明天会下雨吗”最近的")).first.wait_for(timeout=60_000)
    idle(page)
    results = table_rows(page, 0, 10)
    assert sum(any(w in r for w in ("rain", "雨", "wind", "风", "weather", "天气", "snow", "雪")) for r in results[:5]) >= 4, \
        results
    no_exceptions(page)
    shot(page, "docsearch-explore-zh")
