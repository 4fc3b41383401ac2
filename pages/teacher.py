"""Teacher dashboard: only the class's teacher token (``?teacher=``) opens it; anyone may create a class."""

import streamlit as st

from explorer.errors import ExplorerError
from explorer.jobs import classes
from explorer.markup import md
from pages._class_ui import tc
from pages._teacher_admin_ui import assignment_ui, jobs_ui, join_link_ui, manage_ui, report_ui
from pages._teacher_ui import create_ui, limits_ui, links_ui, roster_ui, runs_ui, share_ui
from pages._widgets import workspace

token = st.query_params.get("teacher") or st.session_state.get("teacher")
try:
    info = classes.teacher_class(token) if token else None
except ExplorerError:
    info = None
if info is None:
    student = classes.member(workspace()) is not None
    if token or student:
        st.error(tc("teacher_refused"), icon=":material/lock:")
    if not student:
        create_ui()
    st.stop()

st.title(tc("teacher_title", name=md(info.name)), anchor=False)  # user text, shown as text
join_link_ui(info)
links_ui(info)
limits_ui(token, info)
roster_ui(token)
manage_ui(token, info)
assignment_ui(token, info)
jobs_ui(token)
runs_ui(token)
share_ui(token)
report_ui(token, info)
