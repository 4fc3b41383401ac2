"""Widgets shared by the lesson pages: the step header, the bundled sample's runs, "try it" links, quizzes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Optional

import streamlit as st

from explorer import jobs
from explorer.errors import ExplorerError
from explorer.jobs import class_report, classes, sample_job
from explorer.lesson import quality
from explorer.runs import Run
from pages._widgets import (
    RunChoice,
    follow_job_ui,
    job_error_text,
    lang_key,
    run_at,
    run_choices,
    tr,
    workspace,
)

PAGES = Path(__file__).resolve().parent
#: the lesson in teaching order (app.py's navigation lists the same pages)
ORDER = [name for name in ("learn", "lesson_text", "lesson_objective", "lesson_watch", "lesson_quality",
                           "lesson_recommend", "lesson_graph", "lesson_sentences") if (PAGES / f"{name}.py").is_file()]
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


def _on_shared_data(choice: RunChoice, shared: set[str]) -> bool:
    """Whether the run was trained on one of the class's shared datasets (same upload, by path or content hash)."""
    data = run_at(Path(choice.path)).config.get("data") or {}
    used = {str(v) for v in data.values() if isinstance(v, str)}
    return bool(used & shared)


def on_shared_data(choices: list[RunChoice]) -> list[RunChoice]:
    """Those of ``choices`` trained on one of the class's shared datasets (newest first, as given)."""
    shared = set()
    for d in classes.shared_datasets(workspace()):
        shared |= {str(Path(d["path"])), Path(d["path"]).name.split(".")[0]}
    return [c for c in choices if shared and _on_shared_data(c, shared)]


def run_labels(choices: list[RunChoice]) -> dict[str, str]:
    """run id -> its picker label (:func:`pages._widgets.run_choices` makes them distinct: the model, then the end
    of the id, where two runs share a name)."""
    return {c.run_id: c.label for c in choices}


def lesson_run_ui(key: str = "job", usable: Callable[[RunChoice], bool] = lambda c: c.capabilities.words,
                  sample_only: str = "") -> Run:
    """The run a lesson step works on, with a picker over every run of the workspace or the class it can use.

    Default: the newest run on the class's shared dataset, else the bundled sample (``key`` as in
    :func:`sample_run_ui`), else the newest usable run. The choice is kept for the whole lesson. While the
    sample trains and no other run is usable, the sample's progress is shown and the page stops.
    ``sample_only``: a string key said (with links to Data and Train) when the workspace has models of its own
    but none this step can use, so that the step runs on the bundled sample.
    """
    every = run_choices()
    choices = [c for c in every if usable(c)]
    # own models, none of this step's kind (the samples, once published, are choices too): say so
    if sample_only and any(c.owned for c in every) and not any(c.owned for c in choices):
        st.info(tr(sample_only), icon=":material/info:")
        left, right = st.columns(2)
        left.page_link("pages/data.py", label=tr("common.nav_data"), icon=":material/description:")
        right.page_link("pages/train.py", label=tr("common.nav_train"), icon=":material/model_training:")
    sample_dir = sample_job.sample_run_dir(key)
    if sample_dir is not None and str(sample_dir) not in {c.path for c in choices}:
        try:  # the log's sample is not among the tool pages' runs
            run = run_at(sample_dir)
            extra = RunChoice(run.run_id, str(run.path), f"{tr('common.sample_run')} ({tr('common.gallery')})",
                              run.kind, False, run.capabilities)
            choices += [extra] if usable(extra) else []
        except ExplorerError:
            pass
    if not choices:
        return sample_run_ui(key)
    on_shared = on_shared_data(choices)
    sample = [c for c in choices if sample_dir is not None and c.path == str(sample_dir)]
    ids = [c.run_id for c in choices]
    remembered = st.session_state.get("lesson_run")
    default = remembered if remembered in ids else (on_shared or sample or choices)[0].run_id
    label = run_labels(choices)
    choice = st.selectbox(tr("lesson.model"), choices, index=ids.index(default), format_func=lambda c: label[c.run_id],
                          help=tr("lesson.model_help"), key=lang_key(f"lesson_run_{key}"))
    st.session_state["lesson_run"] = choice.run_id
    run = run_at(Path(choice.path))
    if choice.capabilities.words:
        collapse_ui(run)
    return run


@st.cache_data(show_spinner=False, max_entries=64)
def _mean_cosine(path: str, stamp: object) -> float:
    return quality.mean_cosine(run_at(Path(path)).vectors)


def collapse_ui(run: Run) -> None:
    """Say so when the run's space has collapsed (every word points the same way: too few epochs for its
    corpus), since then every neighbour list and map of the lesson is noise."""
    cos = _mean_cosine(str(run.path), run.stamp)
    if cos > quality.COLLAPSED_COSINE:
        st.warning(tr("lesson.collapsed", cos=cos), icon=":material/warning:")
        st.page_link("pages/train.py", label=tr("lesson.collapsed_train"), icon=":material/model_training:")


def run_text_source(run: Run) -> Optional[dict]:
    """The text a run was trained on, as a Data-page slot (``path``, ``name``), when it is an upload kept by this
    server or the bundled sample; None otherwise (an imported run's config may name any path: never read it).

    A trained run records its corpus's sha256 and file name (``data.sha256``, ``data.source``): the upload is found
    by that hash. A config that names the file itself (``data.corpus``) is read only inside the uploads or samples."""
    from explorer.jobs import workspaces
    from explorer.samples.files import samples_dir

    data = run.config.get("data") or {}
    path = data.get("corpus")
    name = data.get("corpus_name") or data.get("source")
    found = workspaces.upload_by_sha256(data.get("sha256"))
    if found is None and isinstance(path, str):
        found = Path(path).resolve()
        kept = (workspaces.uploads_dir().resolve(), samples_dir().resolve())
        if not found.is_file() or not any(found.is_relative_to(folder) for folder in kept):
            return None
    if found is None:
        return None
    return {"path": str(found), "name": name if isinstance(name, str) and name else found.name}


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
            class_report.record_answer(workspace(), key, choice, options.index(choice) == answer)  # in a class only
            if options.index(choice) == answer:
                st.success(tr("lesson.check_right", why=why))
            else:
                st.error(tr("lesson.check_wrong", why=why))
