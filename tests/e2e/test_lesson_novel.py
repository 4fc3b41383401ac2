"""The lesson on the class's own data, in a real headless Chromium: a teacher creates a class and shares a
public-domain novel (tests/e2e/data/alice_in_wonderland.txt, not the bundled sample); a student joins, trains a
Skip-gram run on it from the Train page and walks every lesson step in English and in 中文.

Every step that can use a text run shows the novel's run (its picker names it, its examples are the novel's
words); step 5 (user–item) and step 6 (graphs) still show their own example. Step 4's maps must be drawn within
90 s of first opening, and three visits queue at most one projection job per map (read from the job table).
Screenshots: tests/artifacts/novel_<step>_<lang>.png (look at them). Timings: tests/artifacts/novel_timings.json.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import time
from collections import Counter
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from tests.support import ARTIFACTS
from tests.support.browser import button, calm, click_until, idle, nav, no_exceptions, open_page, shot

CHART = '[data-testid="stPlotlyChart"]'

NOVEL = Path(__file__).resolve().parent / "data" / "alice_in_wonderland.txt"
LABEL = "Alice in Wonderland"  # the name the teacher shares it under
RUN_NAME = "alice-sg"
MAPS_TARGET_S = 90
pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.timeout(420)]
expect.set_options(timeout=30_000)  # a loaded machine reruns slowly

STEPS = {  # page nav label, per language; a text that says the step is drawn
    "en": ["1 · From text to training data", "2 · The objective", "3 · Watch it learn", "4 · Is the space any good?",
           "5 · Recommending with embeddings", "6 · Graphs: walks become sentences"],
    "zh": ["1 · 从文本到训练数据", "2 · 目标函数", "3 · 看模型学习", "4 · 这个空间好不好？", "5 · 用嵌入向量做推荐",
           "6 · 图：随机游走变成句子"],
}
PICKER = {"en": "Model used in this step", "zh": "本步使用的模型"}


URLS = ["lesson-text", "lesson-objective", "lesson-watch", "lesson-quality", "lesson-recommend", "lesson-graph"]
OPENED = {"en": ["Lesson step {n} of 7"] * 5 + ["From a graph to vectors"],
          "zh": ["课程第 {n} 步，共 7 步"] * 5 + ["从图到向量"]}


def go(page, step: int, lang: str) -> None:
    """Open lesson step ``step`` from the sidebar and wait until it is drawn (a click made while the page is
    still running can be lost: then click again)."""
    for attempt in range(3):
        nav(page, re.escape(STEPS[lang][step - 1]))
        try:
            page.wait_for_url(re.compile(rf"/{URLS[step - 1]}\b"), timeout=15_000)
            break
        except PlaywrightTimeoutError:
            assert attempt < 2, f"step {step} did not open"
    page.get_by_text(OPENED[lang][step - 1].format(n=step)).first.wait_for()
    idle(page, 60)


def novel_words() -> set[str]:
    return {w.casefold() for w in re.findall(r"[A-Za-z]+", NOVEL.read_text(encoding="utf-8"))}


def widget_text(locator) -> str:
    """What a select box or multiselect shows (its label, chosen values and input value)."""
    return locator.evaluate("e => e.textContent + ' ' + [...e.querySelectorAll('input')].map(i => i.value).join(' ')")


def picker(page, lang: str):
    return page.locator('[data-testid="stSelectbox"]').filter(has_text=PICKER[lang]).first


def chosen(page, label: str) -> list[str]:
    """The values chosen in the multiselect labelled ``label`` (its tags)."""
    box = page.locator('[data-testid="stMultiSelect"]').filter(has_text=label).first
    tags = box.locator('[data-testid="stMultiSelectTagsContainer"]').first.inner_text()
    return [t.strip() for t in tags.splitlines() if t.strip() and t.strip() not in ("×", "✕")]


def selected(page, label: str) -> str:
    box = page.locator('[data-testid="stSelectbox"]').filter(has_text=label).first
    value = box.evaluate("e => [...e.querySelectorAll('input')].map(i => i.value).join(' ')").strip()
    return value or box.inner_text().replace(label, "").strip()


def job_seconds(home: Path, run_dir: str) -> dict[str, list[float]]:
    """Per projection job of ``run_dir``: seconds queued and seconds running (from the job table)."""
    with sqlite3.connect(home / "jobs.sqlite", timeout=10) as conn:
        rows = conn.execute("SELECT name, created, started, finished FROM jobs WHERE kind = 'projection' AND spec LIKE ?",
                            (f'%{run_dir}%',)).fetchall()
    return {f"{name} #{i}": [round((started or created) - created, 1), round((finished or 0) - (started or 0), 1)]
            for i, (name, created, started, finished) in enumerate(rows) if finished}


def projection_jobs(home: Path, run_dir: str) -> Counter:
    """Projection jobs of ``run_dir`` in the job table, counted per (method, parameters)."""
    with sqlite3.connect(home / "jobs.sqlite", timeout=10) as conn:
        rows = conn.execute("SELECT spec FROM jobs WHERE kind = 'projection'").fetchall()
    out: Counter = Counter()
    for (spec,) in rows:
        spec = json.loads(spec)
        if spec.get("run_dir") == run_dir:
            out[(spec.get("method"), json.dumps(spec.get("params") or {}, sort_keys=True))] += 1
    return out


MAPS_JS = ("n => [...document.querySelectorAll('.gtitle')].filter(t => "
           "/(mean recall|平均保留率) [0-9.]+/.test(t.textContent)).length >= n")


def test_lesson_on_the_class_novel(server, browser) -> None:
    timings: dict[str, float] = {}
    words = novel_words()
    contexts = [browser.new_context(viewport={"width": 1400, "height": h}, locale="en-US") for h in (1200, 2400)]
    teacher, student = (c.new_page() for c in contexts)
    for p in (teacher, student):
        p.set_default_timeout(60_000)
    try:

        # the teacher creates a class and shares the novel
        teacher.goto(f"{server.url}/teacher")
        teacher.get_by_label("Class name").fill("Year 9 reading")
        button(teacher, "Create class").click()
        button(teacher, "Open the teacher dashboard").click()
        teacher.get_by_role("heading", name=re.compile("Year 9 reading")).wait_for()
        # the join link: only the dashboard draws it (the page before shows the teacher's own link in the same kind
        # of box, and may still be on screen while the dashboard's rerun begins)
        join = teacher.locator('[data-testid="stCode"]', has_text="join=").first.inner_text().strip()
        assert "join=" in join, join
        teacher.get_by_text("Share a dataset with the class").click()
        share = teacher.get_by_role("button", name="Share", exact=True)
        for attempt in range(3):
            # a file set on an uploader that the dashboard's run is about to redraw is dropped with it: it counts once
            # the Share button is enabled (the app's run has received it), else it is set again on the page at rest
            calm(teacher)
            teacher.locator('[data-testid="stFileUploader"] input[type=file]').first.set_input_files(str(NOVEL))
            try:
                expect(share).to_be_enabled(timeout=30_000)
                break
            except AssertionError:
                assert attempt < 2, "the novel was not taken by the uploader"
        teacher.get_by_label("Name shown to students").fill(LABEL)
        teacher.get_by_label("Name shown to students").press("Tab")
        idle(teacher)
        click_until(teacher, share, teacher.get_by_text("Shared: students see it on the Data page."))
        no_exceptions(teacher)

        # a student joins, takes the shared novel and trains a Skip-gram run with frames
        page = student
        page.goto(join)
        page.get_by_label("Your display name").fill("Ana")
        button(page, "Join").click()
        page.get_by_text("Class: Year 9 reading · Ana").wait_for()
        nav(page, "Data")
        button(page, f"Use “{LABEL}”").click()
        page.get_by_text(f"Current data: {LABEL}").wait_for()
        idle(page, 60)
        open_page(page, "Train")
        page.get_by_text(f"Data: {LABEL}").wait_for()
        # a 26,000-word novel: the form starts with enough epochs for it (5 left every word pointing one way)
        expect(page.get_by_label("Epochs", exact=True)).to_have_value("31")
        for label, value in (("Vector size (dim)", "32"), ("Minimum count", "5")):
            box = page.get_by_label(label, exact=True)
            box.fill(value)
            box.press("Tab")
        page.get_by_label("Name of the model").fill(RUN_NAME)
        page.get_by_label("Name of the model").press("Tab")
        pressed = time.monotonic()
        page.locator('[data-testid="stFormSubmitButton"] button').click()
        page.get_by_text(re.compile(r"Finished in [0-9.]+ s")).wait_for(timeout=150_000)
        timings["train_novel_s"] = round(time.monotonic() - pressed, 1)
        idle(page)
        no_exceptions(page)
        shot(page, "novel_train")
        run_dirs = [p for p in (server.home / "workspaces").glob("*/runs/*") if (p / "config.json").is_file()
                    and json.loads((p / "config.json").read_text()).get("name") == RUN_NAME]
        assert len(run_dirs) == 1, run_dirs
        run_dir = str(run_dirs[0].resolve())

        for visit, lang in enumerate(("en", "zh")):
            if lang == "zh":
                page.get_by_role("radio", name="中文").click()
                page.get_by_text("语言").first.wait_for()
                idle(page)
            for step in range(1, len(STEPS[lang]) + 1):
                go(page, step, lang)
                if step <= 4:  # a text step: on the novel's run
                    box = picker(page, lang)
                    box.wait_for()
                    assert RUN_NAME in widget_text(box), (step, lang, widget_text(box))
                check = getattr(_Steps, f"step{step}")
                check(page, lang, words, server, run_dir, visit, timings)
                no_exceptions(page)
                shot(page, f"novel_{step}_{lang}")

        # a third visit to step 4: the maps are read back, nothing is queued again
        go(page, 4, "zh")
        page.wait_for_function(MAPS_JS, arg=5, timeout=30_000)
        idle(page)
        counts = projection_jobs(server.home, run_dir)
        assert len(counts) == 4 and max(counts.values()) == 1, counts  # t-SNE and UMAP, twice each (PCA: in the page)
        timings["projection_jobs_after_3_visits"] = sum(counts.values())
    except Exception:
        for name, p in zip(("teacher", "student"), (teacher, student), strict=True):
            shot(p, f"novel_failed_{name}")
        raise
    finally:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        (ARTIFACTS / "novel_timings.json").write_text(json.dumps(timings, indent=2), encoding="utf-8")
        for c in contexts:
            c.close()


class _Steps:
    """What each step must show on the novel (step 5 and 6: their own examples)."""

    @staticmethod
    def step1(page, lang, words, server, run_dir, visit, timings) -> None:
        lines = page.locator('[data-testid="stTextArea"] textarea').first
        expect(lines).to_have_value(re.compile(r"^ALICE'S ADVENTURES IN WONDERLAND\n.*Alice was beginning", re.S))
        caption = {"en": f"The first lines of {LABEL}", "zh": f"{LABEL} 的前几行"}[lang]
        page.get_by_text(caption).wait_for()

    @staticmethod
    def step2(page, lang, words, server, run_dir, visit, timings) -> None:
        centre = selected(page, {"en": "Centre word", "zh": "中心词"}[lang])
        assert centre.casefold() in words and len(centre) > 1, centre
        page.locator(CHART).nth(1).wait_for()

    @staticmethod
    def step3(page, lang, words, server, run_dir, visit, timings) -> None:
        probes = chosen(page, {"en": "Words to follow", "zh": "要跟踪的词"}[lang])
        assert probes and all(p.casefold() in words and len(p) > 1 for p in probes), probes
        player = page.locator(CHART).filter(has=page.locator(".slider-container")).first
        player.wait_for()
        labels = player.evaluate("e => [...e.querySelectorAll('.scatterlayer text')].map(t => t.textContent)")
        assert any(p in labels for p in probes), labels[:20]

    @staticmethod
    def step4(page, lang, words, server, run_dir, visit, timings) -> None:
        shown = chosen(page, {"en": "Three words", "zh": "三个词"}[lang])
        assert len(shown) >= 2 and all(w.casefold() in words for w in shown), shown
        start = time.monotonic()
        page.wait_for_function(MAPS_JS, arg=5, timeout=(MAPS_TARGET_S + 30) * 1000)
        waited = round(time.monotonic() - start, 1)
        timings[f"step4_maps_visit{visit + 1}_s"] = waited
        if visit == 0:
            load = os.getloadavg()[0] / (os.cpu_count() or 1)
            timings["load_per_core_at_step4"] = round(load, 2)
            timings["vocabulary"] = len((Path(run_dir) / "vocab.tsv").read_text(encoding="utf-8").splitlines()) - 1
            timings["projection_job_s"] = job_seconds(server.home, run_dir)
            # the target holds on a machine that is not overloaded (CI); on a shared one it scales with the load
            assert waited <= MAPS_TARGET_S * max(1.0, load / 2), (waited, load)
        idle(page)

    @staticmethod
    def step5(page, lang, words, server, run_dir, visit, timings) -> None:
        box = picker(page, lang)
        box.wait_for()
        assert RUN_NAME not in widget_text(box)  # a text run cannot recommend: the log's run is used, and said so
        page.get_by_text({"en": "Your models are all of other kinds", "zh": "你的模型都是其他类型"}[lang]).first.wait_for()
        page.get_by_text({"en": "User", "zh": "用户"}[lang], exact=True).first.wait_for()
        assert page.locator('[data-testid="stDataFrame"]').count() >= 3

    @staticmethod
    def step6(page, lang, words, server, run_dir, visit, timings) -> None:
        page.locator(CHART).first.wait_for()
        assert page.locator('[data-testid="stCode"]').first.inner_text().count("→") >= 2
