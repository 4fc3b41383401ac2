"""Class widgets: the join form, the teacher link, the class line in the sidebar, shared datasets. Thin UI only;
roles and storage live in explorer.jobs.classes."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import streamlit as st

from explorer import i18n
from explorer.errors import ExplorerError
from explorer.i18n import t
from explorer.jobs import classes, workspaces
from explorer.kinds import data_inputs
from explorer.markup import md


def _lang() -> str:
    from explorer.i18n import normalize_lang

    return normalize_lang(st.query_params.get("lang") or st.session_state.get("lang"))


def tc(key: str, **values: object) -> str:
    return t(f"classroom.{key}", _lang(), **values)


def error_text(exc: ExplorerError) -> str:
    """The error in the UI language (by its code), else its English line."""
    return i18n.error_text(exc, _lang())


def class_entry_ui() -> None:
    """Before the workspace is chosen: a teacher link (``?teacher=``) opens the teacher's workspace; a join
    link (``?join=``) asks for a display name and makes the student's workspace. Stops the page while the
    join form is shown."""
    token = st.query_params.get("teacher") or st.session_state.get("teacher")
    if token:
        try:
            info = classes.teacher_class(token)
        except ExplorerError:
            st.session_state.pop("teacher", None)  # the dashboard page says why
        else:
            st.session_state["teacher"] = token
            if st.query_params.get("teacher") != token:  # kept in the URL, like the workspace: a reload finds it
                st.query_params["teacher"] = token
            st.session_state["ws"] = info.teacher_ws
            if st.query_params.get("ws") != info.teacher_ws:
                st.query_params["ws"] = info.teacher_ws
    code = st.query_params.get("join")
    if not code:
        return
    current = st.query_params.get("ws") or st.session_state.get("ws")
    try:
        info = classes.class_by_code(code)
    except ExplorerError:
        st.error(tc("join_bad_code"), icon=":material/error:")
        st.stop()
    mine = classes.member(current) if workspaces.is_valid_token(current) else None
    if mine is not None and mine.class_id == info.id:  # already in: go on
        st.query_params.pop("join", None)
        return
    st.title(tc("join_title", name=md(info.name)), anchor=False)  # user text, shown as text
    if mine is not None or (workspaces.is_valid_token(current) and classes.is_teacher_workspace(current)):
        code_ = "class_teacher_join" if mine is None else "class_other_class"
        st.error(md(error_text(ExplorerError("", code=code_))), icon=":material/lock:")
        st.stop()
    st.caption(tc("join_intro"))
    with st.form("join_form"):
        name = st.text_input(tc("display_name"), max_chars=classes.MAX_NAME, key="join_name")
        go = st.form_submit_button(tc("join"), type="primary")
    if go:
        try:
            found = classes.join(code, name)
        except ExplorerError as exc:
            st.error(md(error_text(exc)), icon=":material/warning:")
            st.stop()
        st.session_state["ws"] = found.workspace
        st.query_params["ws"] = found.workspace
        st.query_params.pop("join", None)
        st.rerun()
    st.stop()


def class_sidebar_ui(workspace: str) -> Optional[classes.ClassInfo]:
    """One line in the sidebar: the class and who this is (student name or teacher)."""
    info = classes.class_of(workspace)
    if info is None:
        return None
    mine = classes.member(workspace)
    who = mine.display_name if mine is not None else tc("teacher_role")
    st.text(tc("in_class", name=info.name, who=who))  # names are text: no Markdown, no links
    if mine is not None:
        classes.touch(workspace)
    return info


def shared_datasets_ui(kind: str, workspace: str) -> Optional[dict]:
    """Datasets the teacher shared with the class for the Data-page input ``kind`` (what the input declares
    shareable: :attr:`explorer.kinds.DataInput.shared`); returns the chosen one as a Data-page slot (with its
    labels or item metadata when the teacher shared them)."""
    data_input = data_inputs().get(kind)
    wanted = data_input.shared if data_input is not None else ""
    found = [d for d in classes.shared_datasets(workspace) if wanted and d["kind"] == wanted]
    if not found:
        return None
    st.markdown(f"**{tc('shared_title')}**")
    for i, d in enumerate(found):
        if st.button(tc("use_shared", label=md(d["label"])), key=f"shared_{kind}_{i}", icon=":material/school:"):
            extra = {role: path for role, path in d["extra"].items()}
            names = {f"{role}_name": Path(path).name for role, path in extra.items()}
            return {"path": d["path"], "name": d["label"], "sample": False, **extra, **names}
    return None
