"""Train: choose a model and its hyperparameters, submit a background job, follow it live."""

import datetime as dt
from pathlib import Path

import pandas as pd
import streamlit as st

from explorer import jobs, train_form
from explorer.errors import ExplorerError
from explorer.i18n import t
from explorer.kinds import job_kinds, training_kinds
from pages._data_ui import chosen_data, problem_text, show_problem, url_kind
from pages._safe_ui import md
from pages._widgets import choice_ui, follow_job_ui, job_error_text, kind_label, lang, state_label, tr, workspace


def config_form_ui(kind: str, preset: dict) -> dict:
    """One widget per ``ui`` field of the kind's config (bounds, choices, default as declared); returns the values."""
    values = {}
    cols = st.columns(3)
    for i, spec in enumerate(train_form.form_fields(kind)):
        value = train_form.widget_value(spec, preset.get(spec.name, spec.default))
        label, help_ = tr(f"train.f_{spec.name}"), tr(f"train.help_{spec.name}", default=spec.default)
        col, key = cols[i % 3], train_form.widget_key(kind, spec)
        if spec.type is bool:
            value = col.checkbox(label, value=bool(value), help=help_, key=key)
        elif spec.choices:
            value = col.selectbox(label, spec.choices, index=spec.choices.index(value), help=help_, key=key)
        else:
            value = col.number_input(label, value=spec.type(value), help=help_, key=key,
                                     **train_form.number_options(spec))
        values[spec.name] = train_form.config_value(spec, value)
    return values


def submit_ui(kind: str, data: dict) -> None:
    with st.form(f"train_{kind}", border=True):
        config = config_form_ui(kind, train_form.form_preset(kind, data))
        name = st.text_input(tr("train.run_name"), value=Path(data["name"]).stem)
        pressed = st.form_submit_button(tr("train.train"), type="primary", icon=":material/model_training:")
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
    job_id = st.query_params.get("job") or st.session_state.get("job")
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
        tr("train.col_name"): j.name, tr("train.col_kind"): kind_label(j.kind),
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
