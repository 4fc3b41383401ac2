"""Runs: the workspace's runs; compare two; rename, delete, download, upload, publish; import and export."""

import streamlit as st

from pages._runs_compare_ui import compare_section
from pages._runs_import_ui import import_section
from pages._runs_list_ui import list_section
from pages._widgets import tr

st.title(tr("runs.title"), anchor=False)
st.caption(tr("runs.intro"))
if message := st.session_state.pop("runs_flash", None):
    st.success(message, icon=":material/check_circle:")
section = st.segmented_control(tr("runs.section"), ["list", "compare", "import"], default="list", required=True,
                               format_func=lambda s: tr(f"runs.sec_{s}"), key="runs_section")
{"list": list_section, "compare": compare_section, "import": import_section}[section or "list"]()
