"""Train: choose a model and its hyperparameters, submit a background job, follow it live."""

import datetime as dt
from pathlib import Path

import pandas as pd
import streamlit as st

from explorer import jobs, train_form
from explorer.errors import ExplorerError
from explorer.i18n import t
from explorer.jobs import assignments, classes
from explorer.kinds import job_kinds, load_runner, training_kinds
from pages import _widgets
from pages._data_ui import chosen_data, problem_text, show_problem, url_kind
from pages._form_ui import bounds_text, counted_note_ui, field_widget
from pages._safe_ui import md
from pages._widgets import (
    choice_ui,
    follow_job_ui,
    job_error_text,
    job_model_text,
    kind_label,
    lang,
    state_label,
    tr,
    workspace,
)


def config_form_ui(kind: str, preset: dict) -> dict:
    """One widget per ``ui`` field of the kind's config (bounds, choices, default as declared); returns the values.

    In a class, the class's limits are the form's bounds; the class's assignment (for its kind) locks the
    fields it fixes and narrows the ones it bounds.
    """
    values = {}
    cols = st.columns(3)
    bounds = assignments.form_bounds(workspace(), kind)
    task = assignments.assignment_of(workspace()) if classes.member(workspace()) is not None else None
    fixed = task.fixed if task is not None and task.kind == kind else {}
    for i, spec in enumerate(train_form.form_fields(kind)):
        value = fixed.get(spec.name, preset.get(spec.name, spec.default))
        limit = bounds.get(spec.name)
        help_ = tr("train.fixed_by_assignment") if spec.name in fixed else (
            tr("train.bounded_by_class", range=bounds_text(limit)) if limit else None)
        values[spec.name] = field_widget(cols[i % 3], spec, value, train_form.widget_key(kind, spec) + (
            "_fixed" if spec.name in fixed else ""), disabled=spec.name in fixed, bounds=limit, help_=help_)
    if form_page := training_kinds()[kind].form_page:  # pickers of what cannot be typed (a run, never a path)
        values.update(load_runner(form_page)(st))
    return values


def class_closed() -> bool:
    """Whether this workspace's class is closed (the server refuses its training)."""
    info = classes.class_of(workspace()) if classes.member(workspace()) is not None else None
    return info is not None and classes.is_closed(info.id)


def closed_class_ui() -> None:
    """Say at once that the class is closed (the server refuses training), not only when Train is pressed."""
    if class_closed():
        st.warning(tr("train.class_closed"), icon=":material/lock:")


def assignment_ui(kind: str) -> None:
    """The class's assignment, when there is one: what to train, on what, by when."""
    task = assignments.assignment_of(workspace()) if classes.member(workspace()) is not None else None
    if task is None:
        return
    due = dt.datetime.fromtimestamp(task.due).strftime("%Y-%m-%d %H:%M") if task.due else tr("train.no_due")
    st.info(tr("train.assignment", title=task.title, kind=kind_label(task.kind), due=due), icon=":material/assignment:")
    if task.kind != kind:
        return
    shared = {d["path"]: d for d in classes.shared_datasets(workspace())}
    if task.dataset in shared and st.button(tr("train.use_assignment_data"), key="use_assignment_data",
                                            icon=":material/school:"):
        d = shared[task.dataset]
        st.session_state[train_form.data_slot(kind)] = {"path": d["path"], "name": d["label"], "sample": False,
                                                        **d["extra"]}
        st.rerun()


def submit_ui(kind: str, data: dict) -> None:
    counted_note_ui(kind, data)
    with st.form(f"train_{kind}", border=True):
        config = config_form_ui(kind, train_form.form_preset(kind, data))
        name = st.text_input(tr("train.run_name"), value=Path(data["name"]).stem,  # kept across a language switch
                             key=f"train_run_name_{kind}_{data['name']}")
        pressed = st.form_submit_button(tr("train.train"), type="primary", icon=":material/model_training:",
                                        disabled=class_closed())  # the warning above says why
    if not pressed:
        return
    try:
        spec = train_form.page_spec(kind, data, config, name)  # the typed spec, built once
        if (few := train_form.too_little_data(spec, data)) is not None:
            st.error(tr("train.too_few_words", name=md(data["name"]), **few), icon=":material/warning:")
            return
        job_id = jobs.submit(spec, workspace())
    except ExplorerError as exc:
        show_problem(exc)
        return
    st.session_state["job"] = job_id
    st.query_params["job"] = job_id
    st.rerun()


def followed_job_ui() -> None:
    """The job this browser follows (``?job=`` in the URL): live while it runs, then its outcome."""
    # a job started in another tab of this workspace (or before a reload) is found in the job table
    job_id = st.query_params.get("job") or st.session_state.get("job") or getattr(_widgets.active_training_job(), "id", None)
    info = jobs.get(job_id, workspace()) if job_id else None
    if info is None and job_id and jobs.get(job_id) is not None:  # a link to another workspace's job
        st.warning(t("classroom.job_refused", lang()), icon=":material/lock:")
    if info is None or info.kind in job_kinds():
        return
    st.subheader(tr("train.job_title", name=md(info.name), state=state_label(info.state)), anchor=False)
    if info.active:
        st.query_params["job"] = info.id
        follow_job_ui(info.id, owner=workspace(), shown_state=info.state)
        return
    st.query_params.pop("job", None)
    if info.state == "done":
        secs = (info.finished or 0) - (info.started or info.created)
        st.success(tr("train.done", s=secs), icon=":material/check_circle:")
        if st.button(tr("common.go_explore"), type="primary", icon=":material/explore:"):
            st.session_state["run_id"] = Path(info.run_dir).name
            st.switch_page("pages/explore.py", query_params={"ws": workspace(), "run": Path(info.run_dir).name})
    elif info.state == "failed":
        st.error(tr("train.failed", error=job_error_text(info)), icon=":material/error:")
        if st.button(tr("train.retry"), icon=":material/replay:"):
            st.session_state["job"] = jobs.retry(info.id, workspace())
            st.rerun()
    else:
        st.warning(tr("train.cancelled"), icon=":material/stop_circle:")


def jobs_table_ui() -> None:
    listed = [j for j in jobs.list_jobs(workspace()) if j.kind not in job_kinds()]
    st.subheader(tr("train.jobs_title"), anchor=False)
    if not listed:
        st.caption(tr("train.no_jobs"))
        return
    rows = [{
        tr("train.col_name"): j.name, tr("train.col_kind"): job_model_text(j.kind, j.spec),
        tr("train.col_state"): state_label(j.state),
        tr("train.col_created"): dt.datetime.fromtimestamp(j.created).strftime("%Y-%m-%d %H:%M:%S"),
        tr("train.col_seconds"): f"{j.finished - (j.started or j.created):.1f}" if j.finished else "–",
        tr("train.col_outcome"): j.error or (Path(j.run_dir).name if j.run_dir else ""),
    } for j in listed]
    st.dataframe(pd.DataFrame(rows), hide_index=True)


st.title(tr("train.title"), anchor=False)
if "train_kind" not in st.session_state and url_kind():  # a reload: open on the data the URL names
    st.session_state["train_kind"] = next((k for k in training_kinds() if train_form.data_slot(k) == f"data_{url_kind()}"),
                                          None)
kind = choice_ui(st.segmented_control, tr("train.model"), list(training_kinds()), "train_kind",
                 kind_label, default=next(iter(training_kinds())), required=True)
closed_class_ui()
assignment_ui(kind)
data = chosen_data(train_form.data_slot(kind).removeprefix("data_"))
if data and train_form.too_few_words(data, data.get("min_count")):
    st.warning(tr("train.too_few_words", name=md(data["name"]), min_count=data.get("min_count")), icon=":material/warning:")
if not data:
    data = train_form.sample_data(kind)
    st.info(tr("train.using_sample"), icon=":material/inventory_2:")
st.caption(tr("train.data", name=md(data["name"])))
st.page_link("pages/data.py", label=tr("common.go_data"), icon=":material/description:")
flagged = problem_text(data)
if flagged:  # the Data page found a problem: refuse, and say why
    st.error(tr("train.data_flagged", problem=flagged), icon=":material/block:")
else:
    submit_ui(kind, data)
followed_job_ui()
jobs_table_ui()
