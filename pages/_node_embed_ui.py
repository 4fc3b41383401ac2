"""Explore's "embed a new node" box for runs whose kind is inductive (graph neural networks): pick the nodes a new
node would be linked to, and see where the trained encoder puts it (its nearest nodes)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from explorer.analysis.neighbors import index_for
from explorer.errors import ExplorerError
from explorer.kinds import run_kind
from explorer.runs import Run
from pages._safe_ui import md, safe_table
from pages._widgets import show_error, tr

MAX_FEATURE_BOXES = 8  # feature columns given one number box each; more are typed as one comma-separated line


def features_ui(columns: list[tuple[str, float]]) -> str:
    """The new node's feature values as the model takes them ("v1,v2,..."; "" = the training mean of each): a
    number box per column (an empty box: that column's mean), or one line of values for many columns."""
    if not columns:
        return ""
    if len(columns) > MAX_FEATURE_BOXES:
        shown = ", ".join(name for name, _ in columns[:10]) + (", …" if len(columns) > 10 else "")
        return st.text_input(tr("explore.new_node_features_line", n=len(columns)), key="ex_new_node_features",
                             placeholder=shown, help=tr("explore.new_node_features_help"))
    st.caption(tr("explore.new_node_features", n=len(columns)))
    boxes = st.columns(min(4, len(columns)))
    values = []
    for i, (name, mean) in enumerate(columns):
        value = boxes[i % len(boxes)].number_input(md(name), value=None, placeholder=f"{mean:.4g}", format="%g",
                                                   key=f"ex_new_node_feature_{i}", help=tr("explore.new_node_features_help"))
        values.append(mean if value is None else float(value))
    return "" if all(v == m for v, (_, m) in zip(values, columns, strict=True)) else ",".join(repr(v) for v in values)


def new_node_ui(run: Run, k: int = 10) -> None:
    st.subheader(tr("explore.new_node_title"), anchor=False)
    st.caption(tr("explore.new_node_help"))
    picked = st.multiselect(tr("explore.new_node_edges"), run.tokens, key="ex_new_node_edges", max_selections=50, placeholder=tr("common.choose_options"))
    if not picked:
        return
    try:
        kind = run_kind(run.kind)
        features = features_ui(kind.node_feature_columns(run.path))
        vector = kind.node_vector(run.path, list(picked), features)
        rows, scores = index_for(run.path).query(vector, k=k)
    except ExplorerError as exc:
        show_error(exc)
        return
    st.markdown(tr("explore.new_node_result", n=len(picked), k=len(rows)))
    safe_table(pd.DataFrame({tr("explore.new_node_col_node"): [run.tokens[int(r)] for r in rows],
                             tr("explore.new_node_col_cosine"): [round(float(s), 3) for s in scores]}),
               hide_index=True, border="horizontal")
