"""Runs page, "Your runs": the table, rename, delete, download, publish, export; damaged runs; the gallery."""

import datetime as dt

import pandas as pd
import streamlit as st

from explorer.errors import ExplorerError
from explorer.i18n import value_text
from explorer.jobs import classes, visibility, workspaces
from explorer.runs import Run, manage, zip_run
from pages._damaged_ui import damaged_runs, damaged_ui
from pages._safe_ui import md
from pages._widgets import kind_label, lang, model_text, show_error, tr, workspace

SUMMARY_KEYS = ("dim", "window", "epochs", "negatives", "min_count", "loss", "lr", "format")



def created(run: Run) -> str:
    try:
        return dt.datetime.fromisoformat(run.created).strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return "–"



def settings(run: Run) -> str:
    hyper = run.hyper
    return ", ".join(f"{k}={hyper[k]}" for k in SUMMARY_KEYS if isinstance(hyper.get(k), (int, float, str)))



def in_gallery(run_id: str) -> bool:
    return (workspaces.gallery_dir() / run_id).is_dir()



def flash(message: str) -> None:
    """A success message shown once after the rerun that follows an action."""
    st.session_state["runs_flash"] = message



def shown(value: object, spec: str) -> str:
    """A number for the table, "–" when the run does not record it (Streamlit would print "None")."""
    return "–" if value is None else format(value, spec)



def runs_table_ui(runs: list[Run]) -> None:
    rows = []
    for run in runs:
        m = manage.key_metrics(run)
        rows.append({
            tr("runs.col_name"): run.name, tr("runs.col_kind"): model_text(run),
            tr("runs.col_created"): created(run),
            tr("runs.col_size"): shown(manage.run_size(run.path) / 2**20, ".2f"),
            tr("runs.col_n"): shown(m["n"], ","), tr("runs.col_dim"): shown(m["dim"], "d"),
            tr("runs.col_loss"): shown(m["loss"], ".4f"), tr("runs.col_seconds"): shown(m["seconds"], ".1f"),
            tr("runs.col_hr"): shown(m["hr10"], ".3f"), tr("runs.col_hr_pop"): shown(m["pop_hr10"], ".3f"),
            tr("runs.col_config"): settings(run), tr("runs.col_gallery"): in_gallery(run.run_id),
            tr("runs.col_id"): run.run_id,
        })
    frame = pd.DataFrame(rows)
    if (frame[tr("runs.col_hr")] == "–").all():
        frame = frame.drop(columns=[tr("runs.col_hr"), tr("runs.col_hr_pop")])
    st.dataframe(frame, hide_index=True, column_config={
        tr("runs.col_hr"): st.column_config.TextColumn(help=tr("runs.table_help")),
        tr("runs.col_hr_pop"): st.column_config.TextColumn(help=tr("runs.table_help")),
    })



def export_ui(run: Run) -> None:
    st.subheader(tr("runs.export"), anchor=False)
    names = {f: tr(f"runs.fmt_{f}") for f in manage.EXPORTS}  # labels fixed now (AppTest re-formats later)
    fmt = st.selectbox(tr("runs.export_fmt"), list(names), format_func=names.__getitem__, key="runs_export_fmt")
    name, mime = manage.export_file_name(run, fmt)
    st.download_button(tr("runs.export_btn"), data=lambda: manage.export_bytes(run, fmt), file_name=name,
                       mime=mime, on_click="ignore", icon=":material/download:", help=tr("runs.export_help"),
                       key="runs_export")



def manage_ui(runs: list[Run]) -> None:
    st.subheader(tr("runs.manage"), anchor=False)
    by_id = {r.run_id: r for r in runs}
    run_id = st.selectbox(tr("runs.pick"), list(by_id), format_func=lambda i: f"{by_id[i].name} · {i}",
                          key="runs_manage")
    run = by_id[run_id]
    token = workspace()
    left, right = st.columns(2)
    with left.form("runs_rename", border=False):
        new_name = st.text_input(tr("runs.rename"), value=run.name, max_chars=manage.MAX_NAME_CHARS)
        if st.form_submit_button(tr("runs.rename_btn"), icon=":material/edit:"):
            try:
                flash(tr("runs.renamed", name=md(manage.rename_run(run.path, new_name))))
                st.rerun()
            except ExplorerError as exc:
                show_error(exc)
    with right:
        st.download_button(tr("runs.download_zip"), data=lambda: zip_run(run.path),
                           file_name=f"{manage.download_stem(run)}.zip", mime="application/zip", on_click="ignore",
                           icon=":material/folder_zip:", help=tr("runs.download_help"), key="runs_zip")
        if in_gallery(run_id):
            if st.button(tr("runs.unpublish"), icon=":material/public_off:", key="runs_unpublish"):
                try:
                    workspaces.unpublish(token, run_id)
                    flash(tr("runs.unpublished"))
                    st.rerun()
                except ExplorerError as exc:
                    show_error(exc)
        elif st.button(tr("runs.publish"), icon=":material/public:", help=tr("runs.publish_help"), key="runs_publish"):
            workspaces.publish(token, run_id)
            flash(tr("runs.published"))
            st.rerun()
        delete_ui(run)
    export_ui(run)



def delete_ui(run: Run) -> None:
    """Delete with a confirmation step (own workspace only: the path comes from the token)."""
    if st.session_state.get("runs_confirm_delete") != run.run_id:
        if st.button(tr("runs.delete"), icon=":material/delete:", key="runs_delete"):
            st.session_state["runs_confirm_delete"] = run.run_id
            st.rerun()
        return
    st.warning(tr("runs.delete_confirm", name=md(run.name)), icon=":material/warning:")
    yes, no = st.columns(2)
    if yes.button(tr("runs.delete_yes"), type="primary", key="runs_delete_yes"):
        st.session_state.pop("runs_confirm_delete", None)
        try:
            workspaces.delete_run(workspace(), run.run_id)
            flash(tr("runs.deleted", name=md(run.name)))
        except ExplorerError as exc:
            show_error(exc)
            return
        st.rerun()
    if no.button(tr("runs.delete_no"), key="runs_delete_no"):
        st.session_state.pop("runs_confirm_delete", None)
        st.rerun()



def gallery_ui() -> None:
    """The gallery this workspace sees (:func:`explorer.jobs.visibility.gallery_entries`: its class's, or the
    open one outside a class); the class's teacher may withdraw any of its runs here."""
    st.subheader(tr("runs.gallery_title"), anchor=False)
    entries = visibility.gallery_entries(workspace())
    if not entries:
        st.caption(tr("runs.gallery_none"))
        return
    st.dataframe(pd.DataFrame([{tr("runs.col_name"): value_text("run_name", e.name, lang()),  # the samples' names translated
                                tr("runs.col_kind"): kind_label(e.kind),
                                tr("runs.col_author"): e.author or "–",
                                tr("runs.col_created"): dt.datetime.fromtimestamp(e.published).strftime("%Y-%m-%d %H:%M"),
                                tr("runs.col_id"): e.run_id} for e in entries]), hide_index=True)
    teacher = st.session_state.get("teacher")
    mine = [e for e in entries if visibility.may_moderate(teacher, e.run_id)] if teacher else []
    if not mine:
        return
    by_id = {e.run_id: e for e in mine}
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    run_id = left.selectbox(tr("runs.moderate_pick"), list(by_id), format_func=lambda i: f"{by_id[i].name} · {i}",
                            help=tr("runs.moderate_help"), key="runs_moderate")
    if right.button(tr("runs.unpublish"), icon=":material/public_off:", key="runs_withdraw"):
        try:
            classes.withdraw(teacher, run_id)
        except ExplorerError as exc:
            show_error(exc)
            return
        flash(tr("runs.unpublished"))
        st.rerun()



def list_section() -> None:
    runs = workspaces.list_runs(workspace())
    if not runs:
        st.info(tr("runs.none"), icon=":material/folder_open:")
        st.page_link("pages/train.py", label=tr("common.go_train"), icon=":material/model_training:")
    else:
        runs_table_ui(runs)
        manage_ui(runs)
    damaged_ui(damaged_runs())
    gallery_ui()
