"""Widgets shared by the lesson pages: the step header, the bundled sample's runs, "try it" links, quizzes."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import streamlit as st

from explorer import jobs
from explorer.jobs import sample_job
from explorer.runs import Run
from pages._widgets import follow_job_ui, job_error_text, run_at, tr

PAGES = Path(__file__).resolve().parent
#: the lesson in teaching order (app.py's navigation lists the same pages)
ORDER = [name for name in ("learn", "lesson_text", "lesson_objective", "lesson_watch", "lesson_quality",
                           "lesson_recommend", "lesson_graph") if (PAGES / f"{name}.py").is_file()]
STEPS = len(ORDER) - 1


def header_ui(n: int, page: str) -> None:
    """Title and intro of lesson step ``n`` (strings ``<page>.title`` / ``<page>.intro``)."""
    st.caption(tr("lesson.step", n=n, total=STEPS))
    st.title(tr(f"{page}.title"), anchor=False)
    st.markdown(tr(f"{page}.intro"))


def sample_run_ui(key: str = "job") -> Run:
    """The bundled sample's run (``key`` "useritem_job": the log's); while it trains, its progress, then stop."""
    run_dir = sample_job.sample_run_dir(key)
    if run_dir is not None:
        return run_at(run_dir)
    job_id = sample_job.sample_job_id(key)
    info = jobs.get(job_id) if job_id else None
    if info is not None and info.active:
        st.info(tr("lesson.sample_training"), icon=":material/hourglass_top:")
        follow_job_ui(job_id, compact=True)
    else:
        st.warning(tr("lesson.sample_missing", error=job_error_text(info)))
        if st.button(tr("lesson.sample_retry"), key=f"retry_{key}"):
            sample_job.ensure_sample_useritem_job() if key == "useritem_job" else sample_job.ensure_sample_job()
            st.rerun()
    st.stop()


def try_it_ui(page: str, icon: str = ":material/arrow_forward:", step: Optional[int] = None) -> None:
    """A link to the tool page where students try this step on their own data, and to the next step."""
    st.divider()
    left, right = st.columns(2)
    left.page_link(page, label=tr("lesson.try_it") + " → " + tr(f"common.nav_{Path(page).stem}"), icon=icon)
    if step is not None and step + 1 < len(ORDER) and (PAGES / f"{ORDER[step + 1]}.py").is_file():
        nxt = ORDER[step + 1]
        right.page_link(f"pages/{nxt}.py", label=tr("lesson.next") + " " + tr(f"lesson.nav_{nxt[len('lesson_'):]}"),
                        icon=":material/arrow_forward:")


def check_ui(key: str, question: str, options: list[str], answer: int, why: str) -> None:
    """A "check yourself" question whose answer was computed from the model."""
    with st.expander(tr("lesson.check_title"), icon=":material/quiz:"):
        choice: Optional[str] = st.radio(question, options, index=None, key=key)
        if st.button(tr("lesson.check_answer"), key=f"{key}_go") and choice is not None:
            if options.index(choice) == answer:
                st.success(tr("lesson.check_right", why=why))
            else:
                st.error(tr("lesson.check_wrong", why=why))
