"""Explore: a run's vectors projected in 2D/3D, neighbours, selections, analogies, export."""

import streamlit as st

from pages import _explore_docs_ui as docs
from pages._explore_ui import (
    analogy_ui,
    chart_ui,
    coords_ui,
    export_ui,
    point_labels,
    recommend_ui,
    scatter,
    search_ui,
    selection_ui,
    stamp,
    table_pick_ui,
    view_ui,
)
from pages._node_embed_ui import new_node_ui
from pages._widgets import require_run_ui, running_job_note, tr

st.title(tr("explore.title"), anchor=False)
running_job_note()  # a job started in another tab of this workspace is shown here too
run = require_run_ui()

view = view_ui(run)
if run.capabilities.documents:  # points are documents: semantic search and "more like this"
    hover, names = docs.doc_labels(str(run.path), stamp(run))
    query_col, chart_col, results_col = st.container(), st.container(), st.container()
    with query_col:
        highlight, k = docs.search_ui(run, names, results_col)  # the results are written below the map
    with chart_col:
        coords = coords_ui(run, view)
        if coords is None:
            st.stop()
        fig, shown = docs.scatter(run, coords, hover, names, view, highlight)
        if shown < len(coords):
            st.warning(tr("explore.sampled", shown=shown, n=len(coords)), icon=":material/content_cut:")
        selected = chart_ui(fig, view.dims)
        st.caption(docs.t("chart_help", n=len(coords)))
    if st.toggle(tr("explore.points_table"), value=view.dims == 3, key=f"ex_show_table_{view.dims}"):
        selected = sorted(set(selected) | set(table_pick_ui(names, key="ex_table_docs")))  # a picker of documents
    if selected:
        docs.selection_ui(run, names, selected, k)
    export_ui(run, coords, names, view, selected)
    st.stop()
labels = point_labels(str(run.path), stamp(run), view.users)
chart_col = st.container()  # the chart takes the page's width; the tools sit below it
side_col, analogy_col = st.columns(2, gap="medium")
with side_col:
    highlight, k, metric = search_ui(run, labels)
with chart_col:
    coords = coords_ui(run, view)
if coords is None:  # a projection is being computed: keep the analogy box (and what was typed in it)
    with analogy_col:
        analogy_ui(run)
    st.stop()
with chart_col:
    fig, shown = scatter(run, coords, labels, view, highlight)
    if shown < len(coords):
        st.warning(tr("explore.sampled", shown=shown, n=len(coords)), icon=":material/content_cut:")
    selected = chart_ui(fig, view.dims)
    st.caption(tr("explore.chart_help_2d" if view.dims == 2 else "explore.chart_help_3d", n=len(coords)))
if st.toggle(tr("explore.points_table"), value=view.dims == 3, key=f"ex_show_table_{view.dims}"):
    selected = sorted(set(selected) | set(table_pick_ui(labels, key=f"ex_table_{view.users}")))
with side_col:
    if selected:
        selection_ui(run, labels, selected, k, metric)
with analogy_col:
    analogy_ui(run)
export_ui(run, coords, labels, view, selected)
if run.capabilities.users:
    recommend_ui(run, labels, selected)
if run.capabilities.inductive:
    new_node_ui(run)
