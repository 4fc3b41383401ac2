"""The lesson pages under AppTest, in English and Chinese, on real (small) models of the bundled samples.

The sample runs are trained once per session with the real trainers (tiny settings, with frames) and
copied in as the finished sample jobs; no worker runs (``EXPLORER_START_WORKER=0``).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from explorer import jobs
from explorer.configs import to_dict
from explorer.jobs import sample_job, workspaces
from explorer.kinds import SkipGramConfig, UserItemConfig, spec_from_dict

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT = 60
PAGES = ["lesson_text", "lesson_objective", "lesson_watch", "lesson_quality", "lesson_recommend"]
pytestmark = pytest.mark.slow  # trains two small models once per session, then seconds per page


def train_small_samples(base: Path) -> dict[str, Path]:
    """Small real runs of the bundled text and log, with frames, under ``base`` (also used by bench/)."""
    from explorer.samples.corpus import write_sample_corpus
    from explorer.samples.interactions import write_sample_interactions
    from explorer.training.skipgram import train_skipgram_run
    from explorer.training.useritem import train_useritem_run

    corpus, labels = write_sample_corpus(base)
    log, items = write_sample_interactions(base)
    text = train_skipgram_run(spec_from_dict({"kind": "skipgram", "name": "bundled sample", "corpus_config": {},
                               "data": {"corpus": str(corpus), "labels": str(labels)},
                               "config": to_dict(SkipGramConfig(dim=24, epochs=2, frames=6, workers=1))}),
                              base / "text", lambda p: None)
    recs = train_useritem_run(spec_from_dict({"kind": "useritem", "name": "bundled sample log",
                               "data": {"interactions": str(log), "items": str(items)},
                               "config": to_dict(UserItemConfig(dim=8, epochs=3, frames=6))}), base / "log",
                              lambda p: None)
    return {"job": text, "useritem_job": recs}


@pytest.fixture(scope="session")
def trained(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The small sample runs, trained once per session."""
    return train_small_samples(tmp_path_factory.mktemp("lesson-runs"))


@pytest.fixture(autouse=True)
def _no_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EXPLORER_START_WORKER", "0")
    st.cache_data.clear()
    st.cache_resource.clear()


def finish_samples(trained: dict[str, Path], keys: tuple[str, ...] = ("job", "useritem_job")) -> None:
    """Claim the queued sample jobs and finish them with copies of the trained runs, as a worker would."""
    for key in keys:
        job_id = sample_job.sample_job_id(key)
        claim = jobs.claim(job_id, "test-worker", os.getpid())
        assert claim is not None, key
        out = workspaces.run_path(claim.workspace, claim.run_id)
        shutil.copytree(trained["job" if key.startswith("compare_") else key], out)
        assert jobs.finish(job_id, "done", run_dir=str(out))


def texts(at: AppTest) -> str:
    parts = []
    for kind in ("title", "subheader", "markdown", "caption", "info", "warning", "error", "success", "text"):
        parts += [str(e.value) for e in getattr(at, kind)]
    parts += [f"{m.label} {m.value}" for m in at.metric]
    return "\n".join(parts)


def open_page(page: str, lang: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.run()
    at.session_state["lang"] = lang
    at.run()
    at.switch_page(f"pages/{page}.py").run()
    assert not at.exception, at.exception
    return at


def ready_app(trained: dict[str, Path]) -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.run()  # queues the samples
    finish_samples(trained)


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("page", PAGES)
def test_lesson_page_renders_in_both_languages(trained: dict[str, Path], page: str, lang: str) -> None:
    ready_app(trained)
    at = open_page(page, lang)
    shown = texts(at)
    assert at.title, page
    if lang == "zh":
        assert any("\u4e00" <= ch <= "\u9fff" for ch in at.title[0].value), at.title[0].value
    assert "Traceback" not in shown
    assert at.get("page_link"), "each lesson page links to the tool where students try it"


def test_lesson_pages_wait_for_the_sample(trained: dict[str, Path]) -> None:
    at = open_page("lesson_watch", "en")
    assert "training in the background" in texts(at)


def test_objective_shows_the_trainers_own_loss_and_compares_objectives(trained: dict[str, Path]) -> None:
    ready_app(trained)
    at = open_page("lesson_objective", "en")
    shown = texts(at)
    assert "Loss of this pair" in shown and "trainer's own loss function" in shown
    assert "comparison models are training" in shown
    finish_samples(trained, sample_job.SAMPLE_KEYS[2:])
    at.run()
    assert not at.exception
    frames = [d.value for d in at.dataframe]
    assert any("neighbours with the same category" in f.columns for f in frames)


def test_watch_page_draws_the_player_with_frames(trained: dict[str, Path]) -> None:
    ready_app(trained)
    at = open_page("lesson_watch", "en")
    import json

    charts = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    player = next(c for c in charts if c.get("frames"))
    assert len(player["frames"]) == 7  # the start + 6 frames
    assert player["layout"]["updatemenus"][0]["buttons"][0]["label"].endswith("Play")


def test_text_page_turns_a_typed_sentence_into_pairs(trained: dict[str, Path]) -> None:
    ready_app(trained)
    at = open_page("lesson_text", "en")
    at.text_input(key="lt_sentence_en").input("a b c").run()
    pairs = next(d.value for d in at.dataframe if "centre" in d.value.columns)
    assert list(zip(pairs["centre"], pairs["context"], strict=True)) == [
        ("a", "b"), ("a", "c"), ("b", "a"), ("b", "c"), ("c", "a"), ("c", "b")]
