"""Explore's "embed a new node" box for runs whose kind is inductive (graph neural networks): pick the nodes a new
node would be linked to, and see where the trained encoder puts it (its nearest nodes)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from explorer.analysis.neighbors import index_for
from explorer.errors import ExplorerError
from explorer.kinds import run_kind
from explorer.runs import Run
from pages._safe_ui import safe_table
from pages._widgets import show_error, tr


def new_node_ui(run: Run, k: int = 10) -> None:
    st.subheader(tr("explore.new_node_title"), anchor=False)
    st.caption(tr("explore.new_node_help"))
    picked = st.multiselect(tr("explore.new_node_edges"), run.tokens, key="ex_new_node_edges", max_selections=50, placeholder=tr("common.choose_options"))
    if not picked:
        return
    try:
        vector = run_kind(run.kind).node_vector(run.path, list(picked))
        rows, scores = index_for(run.path).query(vector, k=k)
    except ExplorerError as exc:
        show_error(exc)
        return
    st.markdown(tr("explore.new_node_result", n=len(picked), k=len(rows)))
    safe_table(pd.DataFrame({tr("explore.new_node_col_node"): [run.tokens[int(r)] for r in rows],
                             tr("explore.new_node_col_cosine"): [round(float(s), 3) for s in scores]}),
               hide_index=True, border="horizontal")
