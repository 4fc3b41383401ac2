"""Train: choose a model and its hyperparameters, submit a background job, follow it live."""

import datetime as dt
from dataclasses import fields
from pathlib import Path

import pandas as pd
import streamlit as st

from explorer import jobs, ui_state
from explorer.configs import CorpusConfig, SkipGramConfig, UserItemConfig
from explorer.errors import ExplorerError
from explorer.training.frames import DEFAULT_FRAMES
from pages._widgets import choice_ui, follow_job_ui, state_label, tr, workspace

# field -> widget options; every field gets a one-line help (explorer/i18n/train.py) and its default
SKIPGRAM_FIELDS = {
    "dim": dict(min_value=2, max_value=1000, step=10), "window": dict(min_value=1, max_value=20),
    "negatives": dict(min_value=1, max_value=50), "epochs": dict(min_value=1, max_value=200),
    "min_count": dict(min_value=1, max_value=10_000), "max_vocab": dict(min_value=0, max_value=10_000_000, step=1000),
    "sample": dict(min_value=0.0, max_value=0.1, step=1e-4, format="%.5f"),
    "lr": dict(min_value=1e-4, max_value=1.0, step=0.005, format="%.4f"), "seed": dict(min_value=0),
    "loss": ["negative-sampling", "softmax"], "workers": dict(min_value=0, max_value=256),
    "device": ["auto", "cpu", "cuda"], "snapshots": bool, "frames": dict(min_value=0, max_value=200),
}
USERITEM_FIELDS = {
    "dim": dict(min_value=2, max_value=1000, step=8), "epochs": dict(min_value=1, max_value=500),
    "loss": ["bce", "bpr"], "negatives": dict(min_value=1, max_value=100),
    "neg_sampling": ["uniform", "popularity"], "neg_alpha": dict(min_value=0.0, max_value=2.0, step=0.05),
    "lr": dict(min_value=1e-5, max_value=1.0, step=0.001, format="%.4f"),
    "weight_decay": dict(min_value=0.0, max_value=1.0, step=1e-5, format="%.5f"),
    "batch_size": dict(min_value=16, max_value=1 << 16, step=256), "seed": dict(min_value=0),
    "device": ["auto", "cpu", "cuda"], "workers": dict(min_value=0, max_value=256),
    "frames": dict(min_value=0, max_value=200),
}


def config_form_ui(cls: type, widgets: dict, preset: dict) -> object:
    """One widget per config field, default from the dataclass (or ``preset``); returns the config."""
    default = cls()
    values = {}
    cols = st.columns(3)
    for i, f in enumerate(fields(cls)):
        if f.name not in widgets:
            continue
        spec, value = widgets[f.name], preset.get(f.name, getattr(default, f.name))
        shown_default = getattr(default, f.name)
        label, help_ = tr(f"train.f_{f.name}"), tr(f"train.help_{f.name}", default=shown_default)
        col, key = cols[i % 3], f"{cls.__name__}_{f.name}"
        if spec is bool:
            values[f.name] = col.checkbox(label, value=bool(value), help=help_, key=key)
        elif isinstance(spec, list):
            values[f.name] = col.selectbox(label, spec, index=spec.index(value), help=help_, key=key)
        else:
            value = 0 if value is None else value
            cast = float if isinstance(spec.get("min_value"), float) else int
            values[f.name] = col.number_input(label, value=cast(value), help=help_, key=key, **spec)
    if "max_vocab" in values:
        values["max_vocab"] = values["max_vocab"] or None
    return cls(**(preset | values))


def too_few_words(data: dict, min_count: int | None) -> bool:
    """Whether the Data page counted fewer than 2 words at this (or a lower) min_count."""
    kept, counted_at = data.get("vocab_kept"), data.get("vocab_min_count")
    return kept is not None and kept < 2 and min_count is not None and min_count >= counted_at


def submit_ui(kind: str, data: dict) -> None:
    with st.form(f"train_{kind}", border=True):
        if kind == "skipgram":
            cfg = config_form_ui(SkipGramConfig, SKIPGRAM_FIELDS, {"min_count": data.get("min_count", 5),
                                                                   "frames": DEFAULT_FRAMES})
        else:
            cfg = config_form_ui(UserItemConfig, USERITEM_FIELDS, {"min_rating": data.get("min_rating"),
                                                                   "frames": DEFAULT_FRAMES})
        name = st.text_input(tr("train.run_name"), value=Path(data["name"]).stem)
        pressed = st.form_submit_button(tr("train.train"), type="primary", icon=":material/model_training:")
    if not pressed:
        return
    if too_few_words(data, getattr(cfg, "min_count", None)):
        st.error(tr("train.too_few_words", name=data["name"], min_count=cfg.min_count), icon=":material/warning:")
        return
    try:
        if kind == "skipgram":
            corpus_cfg = CorpusConfig(lang=data.get("lang", "auto"), text_column=data.get("text_column"),
                                      remove_stopwords=bool(data.get("stopwords")))
            spec = ui_state.skipgram_spec(Path(data["path"]), cfg, corpus_cfg, data.get("labels"), name,
                                         file_name=data.get("name"))
        else:
            spec = ui_state.useritem_spec(Path(data["path"]), cfg, data.get("columns"), data.get("items"), name,
                                         file_name=data.get("name"), items_name=data.get("items_name"))
        job_id = jobs.submit(spec, workspace())
    except ExplorerError as exc:
        st.error(str(exc), icon=":material/warning:")
        return
    st.session_state["job"] = job_id
    st.query_params["job"] = job_id
    st.rerun()


def followed_job_ui() -> None:
    """The job this browser follows (``?job=`` in the URL): live while it runs, then its outcome."""
    job_id = st.query_params.get("job") or st.session_state.get("job")
    info = jobs.get(job_id, workspace()) if job_id else None
    if info is None or info.kind == "projection":
        return
    st.subheader(tr("train.job_title", name=info.name, state=state_label(info.state)), anchor=False)
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
        st.error(tr("train.failed", error=info.error or "?"), icon=":material/error:")
        if st.button(tr("train.retry"), icon=":material/replay:"):
            st.session_state["job"] = jobs.retry(info.id, workspace())
            st.rerun()
    else:
        st.warning(tr("train.cancelled"), icon=":material/stop_circle:")


def jobs_table_ui() -> None:
    listed = [j for j in jobs.list_jobs(workspace()) if j.kind != "projection"]
    st.subheader(tr("train.jobs_title"), anchor=False)
    if not listed:
        st.caption(tr("train.no_jobs"))
        return
    rows = [{
        tr("train.col_name"): j.name, tr("train.col_kind"): tr(f"common.kind_{j.kind}"),
        tr("train.col_state"): state_label(j.state),
        tr("train.col_created"): dt.datetime.fromtimestamp(j.created).strftime("%Y-%m-%d %H:%M:%S"),
        tr("train.col_seconds"): f"{j.finished - (j.started or j.created):.1f}" if j.finished else "–",
        tr("train.col_outcome"): j.error or (Path(j.run_dir).name if j.run_dir else ""),
    } for j in listed]
    st.dataframe(pd.DataFrame(rows), hide_index=True)


st.title(tr("train.title"), anchor=False)
kind = choice_ui(st.segmented_control, tr("train.model"), ["skipgram", "useritem"], "train_kind",
                lambda k: tr(f"common.kind_{k}"), default="skipgram", required=True)
slot = "data_text" if kind == "skipgram" else "data_log"
data = st.session_state.get(slot)
if data and kind == "skipgram" and too_few_words(data, data.get("min_count")):
    st.warning(tr("train.too_few_words", name=data["name"], min_count=data.get("min_count")), icon=":material/warning:")
if not data:
    files = ui_state.sample_files()
    data = ({"path": str(files.corpus), "name": "sample_corpus.txt", "labels": str(files.labels), "sample": True}
            if kind == "skipgram" else
            {"path": str(files.interactions), "name": "sample_interactions.csv", "items": str(files.items),
             "sample": True})
    st.info(tr("train.using_sample"), icon=":material/inventory_2:")
st.caption(tr("train.data", name=data["name"]))
st.page_link("pages/data.py", label=tr("common.go_data"), icon=":material/description:")
submit_ui(kind, data)
followed_job_ui()
jobs_table_ui()
