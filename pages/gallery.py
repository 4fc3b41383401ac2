"""Class gallery: runs published for this class (or the open gallery outside a class), read-only."""

import datetime as dt

import streamlit as st

from explorer.i18n import value_text
from explorer.jobs import classes
from explorer.markup import md
from pages._class_ui import tc
from pages._teacher_ui import numbers_text
from pages._widgets import lang, tr, workspace

st.title(tc("gallery_title"), anchor=False)
st.caption(tc("gallery_intro"))
entries = classes.visible_gallery(workspace())
if not entries:
    st.info(tc("gallery_empty"), icon=":material/info:")
    st.stop()
for i, entry in enumerate(entries):
    with st.container(border=True):
        left, right = st.columns([5, 1], vertical_alignment="center")
        left.text(value_text('run_name', entry.name, lang()))  # data is shown as text, never as Markdown
        date = dt.datetime.fromtimestamp(entry.published).strftime("%Y-%m-%d %H:%M")
        left.caption(tc("by", author=md(entry.author) if entry.author else tc("unknown_author"), date=date, kind=tr(f"common.kind_{entry.kind}")
                        if entry.kind in ("skipgram", "useritem", "imported") else entry.kind))
        if entry.description:
            left.text(entry.description)
        if numbers := numbers_text(entry.numbers):
            left.caption(numbers)
        if right.button(tc("open"), key=f"gal_open_{i}", icon=":material/open_in_new:"):
            st.session_state["run_id"] = entry.run_id
            st.switch_page("pages/explore.py", query_params={"ws": workspace(), "run": entry.run_id})
