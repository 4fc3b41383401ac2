"""Class gallery: runs published for this class (or the open gallery outside a class), read-only."""

import datetime as dt

import streamlit as st

from explorer.i18n import value_text
from explorer.jobs import visibility
from pages._class_ui import tc
from pages._teacher_ui import numbers_text
from pages._widgets import kind_label, lang, workspace

st.title(tc("gallery_title"), anchor=False)
st.caption(tc("gallery_intro"))
entries = visibility.gallery_entries(workspace())  # the one visibility rule
if not entries:
    st.info(tc("gallery_empty"), icon=":material/info:")
    st.stop()
for i, entry in enumerate(entries):
    with st.container(border=True):
        left, right = st.columns([5, 1], vertical_alignment="center")
        # names and descriptions are shown as text, never as Markdown (no links); the bundled samples' in the UI's language
        left.text(value_text("run_name", entry.name, lang()))
        date = dt.datetime.fromtimestamp(entry.published).strftime("%Y-%m-%d %H:%M")
        left.text(tc("by", author=entry.author if entry.author else tc("unknown_author"), date=date,
                     kind=kind_label(entry.kind)))
        if entry.description:
            left.text(entry.description)
        if numbers := numbers_text(entry.numbers):
            left.caption(numbers)
        if right.button(tc("open"), key=f"gal_open_{i}", icon=":material/open_in_new:"):
            st.session_state["run_id"] = entry.run_id
            st.switch_page("pages/explore.py", query_params={"ws": workspace(), "run": entry.run_id})
