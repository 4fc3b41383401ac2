"""Widget helpers shared by the pages: language, workspace, run picker, job progress. Thin UI only.

Session state holds plain values only (language, workspace token, followed job id, chosen run
id, the chosen dataset's file paths); arrays stay in the run directories and in caches keyed
by run id and parameters.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

import streamlit as st

from explorer import figures, jobs
from explorer.errors import ExplorerError
from explorer.i18n import error_text, normalize_lang, t, value_text
from explorer.jobs import sample_job, visibility, workspaces
from explorer.kinds import Capabilities, job_kinds, run_kind, spec_from_dict, training_kinds
from explorer.markup import md
from explorer.progress import STAGES
from explorer.runs import Run, load_run
from explorer.runs.layout import run_stamp

POLL_SECONDS = 1.0


def _through_app() -> None:
    """Make sure app.py ran first (workspace, language, navigation).

    When the first request a server gets is a page address (``/explore?ws=...``, e.g. a reload
    after a server restart) and no session has run ``st.navigation`` yet, Streamlit still runs
    the file ``pages/explore.py`` on its own, in its old "pages directory" mode. Switch that mode
    off, as ``st.navigation`` would, and rerun: app.py then runs and shows the same page.
    """
    if "ws" in st.session_state:
        return
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


def lang() -> str:
    """The UI language chosen in the sidebar ("en" or "zh")."""
    _through_app()
    return normalize_lang(st.session_state.get("lang"))


def tr(key: str, **values: object) -> str:
    """The UI string ``key`` in the current language (see :mod:`explorer.i18n`)."""
    return t(key, lang(), **values)


def active_training_job() -> Optional[jobs.JobInfo]:
    """The workspace's newest queued or running training job, read from the job table: a second tab or a reload on
    the same workspace finds it though this browser session did not start it."""
    return next((j for j in jobs.list_jobs(workspace(), limit=50) if j.active and j.kind not in job_kinds()), None)


def running_job_note() -> None:
    """A line naming the workspace's training job while one is queued or running, with a link to follow it."""
    info = active_training_job()
    if info is not None:
        st.info(tr("common.job_running", name=md(info.name),
                   state=state_label(info.state)), icon=":material/model_training:")
        st.page_link("pages/train.py", label=tr("common.follow_job"), icon=":material/model_training:",
                     query_params={"ws": workspace(), "job": info.id})


MAX_QUERY = 100  # characters of a search box: a word, a title or a short phrase


def cut_query(text: str, limit: int = MAX_QUERY) -> str:
    """A search box's text, at most :data:`MAX_QUERY` characters, with a notice when it reaches the limit.

    The box has ``max_chars=MAX_QUERY``: the browser stops typing and cuts a paste there, and Streamlit's server cuts
    a longer value too; a full box therefore says that longer text is cut (a pasted 5,000-character query is never
    echoed), and this cut stands for a box without ``max_chars``."""
    if len(text) < limit:
        return text
    st.caption(tr("common.query_cut", n=limit))
    return text[:limit]


def uploader_note() -> None:
    """Below a file uploader (or a group of them): Streamlit's own English words of the control, said once in the
    UI's language (no option translates "Upload", "200MB per file", "Drag and drop a file here")."""
    shown = int(st.get_option("server.maxUploadSize"))  # the number in the control's own "…MB per file"
    st.caption(tr("common.uploader_note", shown=shown, mb=min(shown, workspaces.max_upload_bytes() // 2**20)))


def kind_label(kind: str) -> str:
    """A run kind's display name in the UI language (the kind's own key); an unknown kind's name as it is."""
    try:
        return tr(run_kind(kind).label_key)
    except ExplorerError:
        return kind


def workspace() -> str:
    """This browser's workspace token (kept in the URL by app.py)."""
    _through_app()
    token = st.session_state.get("ws")
    if not token:  # a page run on its own (tests): make one as app.py would
        token = st.session_state["ws"] = workspaces.new_token()
    return token


@st.cache_resource(max_entries=16, show_spinner=False)
def open_run(path: str, stamp: str) -> Run:
    """A run opened (and validated) once per server (arrays are memory-mapped and shared read-only).

    ``stamp`` (:func:`explorer.runs.layout.run_stamp`) keeps a changed run from being served stale.
    """
    return load_run(Path(path))


def run_at(path: Path) -> Run:
    """The run at ``path``, opened once per server, when this browser's workspace may see it
    (:func:`explorer.jobs.visibility.check_visible`: one rule for every page), else the refusal."""
    visibility.check_visible(workspace(), path)
    return open_run(str(path), run_stamp(Path(path)))


@dataclass(frozen=True)
class RunChoice:
    """One run offered by the run picker."""

    run_id: str
    path: str
    label: str
    kind: str
    owned: bool
    capabilities: Capabilities


def run_choices() -> list[RunChoice]:
    """Runs this browser may open (:func:`explorer.jobs.visibility.visible_runs`): its workspace's (newest
    first), the bundled samples, its class's gallery (or the open one outside a class) and, for a teacher,
    the students' runs."""
    sample = sample_job.sample_run_dir()  # publishes the finished sample run on first use
    found: dict[str, list[tuple[visibility.VisibleRun, Run]]] = {"own": [], "sample": [], "gallery": [], "student": []}
    for where in visibility.visible_runs(workspace()):
        try:
            run = open_run(str(where.path), run_stamp(where.path))
        except (ExplorerError, OSError):
            run = None
        if run is not None:  # a damaged run is left out (the Runs page lists the workspace's damaged runs)
            found[where.place].append((where, run))
    found["own"].sort(key=lambda pair: pair[1].created, reverse=True)
    found["sample"].sort(key=lambda pair: sample is None or pair[0].path != sample.resolve())  # the text sample first
    parts: list[tuple[str, str, str, str, Run, bool]] = []  # (name, model, time, suffix, run, owned)
    for place in ("own", "sample", "gallery", "student"):
        for where, run in found[place]:
            name, suffix = value_text("run_name", run.name, lang()), ""  # the samples' names translated
            if place == "sample":
                suffix = tr("common.gallery")
                if sample is not None and where.path == sample.resolve():
                    name = tr("common.sample_run")
            elif place == "gallery":
                suffix = f"{tr('common.gallery')} · {where.author}" if where.author else tr("common.gallery")
            elif place == "student":
                suffix = where.author
            parts.append((name, model_text(run), run.created[:16].replace("T", " ") or run.run_id, suffix, run,
                          place == "own"))
    labels = distinct_labels([(name, model, when, suffix, run.run_id) for name, model, when, suffix, run, _ in parts])
    return [RunChoice(run.run_id, str(run.path), label, run.kind, owned, run.capabilities)
            for label, (*_, run, owned) in zip(labels, parts, strict=True)]


def model_text(run: Run) -> str:
    """The model a run trained, as the teacher's dashboard names it ("CBOW · negative sampling", "GloVe (words)"):
    a CBOW run is not called "Skip-gram". A kind this version does not know: its name."""
    try:
        return _model_words(run.kind, run.settings)
    except ExplorerError:
        return run.kind


def job_model_text(kind: str, spec: dict) -> str:
    """:func:`model_text` of a training job, from its spec (the Train page's list of jobs); the kind's name when
    the spec cannot be read."""
    try:
        return _model_words(kind, spec_from_dict(spec).config)
    except (ExplorerError, TypeError, ValueError, KeyError):
        return kind_label(kind)


def _model_words(kind: str, settings: Any) -> str:
    return " · ".join(tr(key) for key in run_kind(kind).family_label_keys(settings))


def distinct_labels(parts: list[tuple[str, str, str, str, str]]) -> list[str]:
    """Picker labels "name · time (suffix)" from ``(name, model, time, suffix, run id)``; where two runs share a
    name, the model is named too ("reviews · Doc2Vec · 02:53" beside "reviews · Sentence encoder (E5) · 02:54"),
    and where labels still collide, the end of the run id.

    >>> distinct_labels([("a", "CBOW", "t1", "", "r-000001"), ("a", "GloVe", "t1", "", "r-000002"),
    ...                  ("b", "CBOW", "t1", "x", "r-000003")])
    ['a · CBOW · t1', 'a · GloVe · t1', 'b · t1 (x)']
    """
    names = Counter(name for name, *_ in parts)
    labels = [" · ".join([name] + ([model] if names[name] > 1 else []) + [when]) + (f" ({suffix})" if suffix else "")
              for name, model, when, suffix, _ in parts]
    seen = Counter(labels)
    return [label + (f" · {run_id[-6:]}" if seen[label] > 1 else "") for label, (*_, run_id) in zip(labels, parts,
                                                                                                   strict=True)]


def lang_key(key: str) -> str:
    """The key of a select box whose option labels are translated, one per language: Streamlit's box keeps the label
    it shows, so after a language switch one box showed the other language's label (the 中文 lesson picker read
    'bundled sample · … (gallery)'). The page passes the remembered choice as the new box's index."""
    return f"{key}_{lang()}"


def run_picker_ui(key: str = "run") -> Optional[Run]:
    """Select box of runs; the choice is remembered in the URL (``?run=<id>``). None when there is none."""
    choices = run_choices()
    ids = [c.run_id for c in choices]
    linked = st.query_params.get("run")
    if linked and linked not in ids:  # a link to someone else's run
        st.warning(t("classroom.run_refused", lang()), icon=":material/lock:")
    if not choices:
        return None
    wanted = linked or st.session_state.get("run_id")
    index = ids.index(wanted) if wanted in ids else 0
    choice = st.selectbox(tr("common.run"), choices, index=index, format_func=lambda c: c.label,
                          help=tr("common.run_help"), key=lang_key(key))
    st.session_state["run_id"] = choice.run_id
    if st.query_params.get("run") != choice.run_id:
        st.query_params["run"] = choice.run_id
    return run_at(Path(choice.path))


def require_run_ui() -> Run:
    """:func:`run_picker_ui`, or, when there is no run yet, say so with a link to Train and stop the page."""
    run = run_picker_ui()
    if run is None:
        st.info(tr("common.no_run"), icon=":material/info:")
        st.page_link("pages/train.py", label=tr("common.go_train"), icon=":material/model_training:")
        st.stop()
    return run


def choice_ui(widget: Callable, label: str, options: list, key: str, format_func: Callable, **kwargs: object) -> object:
    """A select box, segmented control or multi-select whose option labels are translated.

    The browser keeps the option labels of a keyed widget, so the widget is keyed per language
    (:func:`lang_key`); the choice itself is remembered under ``key`` and survives a language
    switch and page changes. ``widget`` is e.g. ``st.selectbox``, ``col.segmented_control`` or ``st.multiselect``
    (its remembered choices that are still options).
    """
    remembered = st.session_state.get(key)
    labels = {option: format_func(option) for option in options}  # translated now, not when Streamlit asks later
    fallback_index, fallback = int(kwargs.pop("index", 0)), kwargs.pop("default", None)
    if widget.__name__ == "selectbox":
        start = {"index": options.index(remembered) if remembered in options else fallback_index}
    elif widget.__name__ == "multiselect":
        start = {"default": [o for o in remembered if o in options] if isinstance(remembered, list) else fallback}
    else:
        start = {"default": remembered if remembered in options else fallback}
    value = widget(label, options, **start, key=lang_key(key), format_func=labels.__getitem__, **kwargs)
    st.session_state[key] = value
    return value


def state_label(state: str) -> str:
    return tr(f"common.state_{state}") if state in ("queued", "running", "done", "failed", "cancelled") else state


def stage_label(stage: Optional[str]) -> str:
    """A job stage in the UI language (an unknown stage name is shown as it is)."""
    stage = stage or "train"
    return tr(f"train.stage_{stage}") if stage in STAGES else stage


def progress_text(stage: Optional[str], epoch: int, epochs: int, progress: Optional[float]) -> str:
    """"Training: epoch 3/5 · 60%", without the epochs for stages that have none."""
    pct = 100 * (progress or 0)
    if not epochs:
        return tr("train.progress_no_epoch", stage=stage_label(stage), pct=pct)
    return tr("train.progress", stage=stage_label(stage), epoch=epoch, epochs=epochs, pct=pct)


def follow_job_ui(job_id: str, *, owner: Optional[str] = None, compact: bool = False,
                  shown_state: Optional[str] = None) -> None:
    """Live progress of a queued/running job, polled every second by a fragment.

    When the job ends, the whole app reruns, so this fragment is gone and polling stops. With an
    ``owner`` workspace, a cancel button is shown.
    """

    if shown_state is None:  # the state the page shows outside the fragment (e.g. in a heading)
        first = jobs.get(job_id)
        shown_state = first.state if first is not None else None

    @st.fragment(run_every=POLL_SECONDS)
    def _poll() -> None:
        info = jobs.get(job_id)
        if info is None or not info.active or info.state != shown_state:
            # ended, or went from queued to running: rerun the page so that headings and tables
            # drawn outside this fragment show the new state
            st.rerun(scope="app")
        if info.state == "queued":
            text = tr("train.queued", position=info.queue_position or 1)
            if info.expected_wait_s is not None:
                text += " · " + t("classroom.expected_wait", lang(), s=info.expected_wait_s)
            st.progress(0.0, text=text)
        else:
            text = progress_text(info.stage, info.epoch, info.epochs, info.progress)
            st.progress(min(max(float(info.progress or 0.0), 0.0), 1.0), text=text)
        if not compact:
            cols = st.columns(3)
            kind = training_kinds().get(info.kind)
            unit = tr(f"train.{kind.rate_unit if kind else 'words'}_per_s")
            cols[0].metric(unit, f"{info.rate:,.0f}" if info.rate else "–")
            cols[1].metric(tr("train.eta"), tr("common.seconds", s=info.eta_s) if info.eta_s is not None else "–")
            cols[2].metric(tr("train.loss"), f"{info.loss_history[-1]:.4f}" if info.loss_history else "–")
            if len(info.loss_history) > 1:
                st.plotly_chart(figures.loss_curve(info.loss_history, x_title=tr("train.report"),
                                                   y_title=tr("train.loss")), key=f"loss-{job_id}")
        if owner is not None and st.button(tr("train.cancel"), key=f"cancel-{job_id}", icon=":material/stop_circle:"):
            jobs.cancel(job_id, owner)
            st.rerun(scope="app")

    _poll()


def error_message(exc: BaseException, files: Optional[dict[str, str]] = None) -> str:
    """``exc`` in the UI's language (:func:`explorer.i18n.error_text`: never a command-line flag), the
    stored copies' paths in ``files`` (path -> the user's file name) replaced by the user's names (the
    first name put in front when the message names none), and Markdown-escaped (file names and cell values in messages are data, not markup)."""
    from explorer.markup import md

    text = error_text(exc, lang())
    names = [name for path, name in (files or {}).items() if path and name]
    for path, name in (files or {}).items():
        if path:
            text = text.replace(str(path), name)
    if names and not any(text.startswith(name) for name in names):  # every message names the file it is about
        text = f"{names[0]}: {text}"
    return md(text)


def job_error_text(info: Optional[jobs.JobInfo]) -> str:
    """Why a job failed, in the UI's language and Markdown-escaped (:func:`explorer.jobs.failure`); "–" when
    it says nothing."""
    exc = jobs.failure(info.id) if info is not None else None
    return error_message(exc) if exc is not None else "–"


def show_error(exc: BaseException, where: Optional[st.delta_generator.DeltaGenerator] = None,
               files: Optional[dict[str, str]] = None) -> None:
    """An input problem as one translated message, shown where it is called: beside its control.
    Every page shows an :class:`ExplorerError` through this helper (never ``str(exc)``, never a traceback)."""
    (where or st).error(error_message(exc, files), icon=":material/warning:")
