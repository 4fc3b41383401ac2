"""Clusters: K-Means / DBSCAN / HDBSCAN on a run's vectors (or a projection), quality, k-sweep, members."""

from pathlib import Path

import streamlit as st

from explorer.analysis import spaces
from explorer.errors import ExplorerError
from pages._clusters_ui import (
    clustering,
    map_ui,
    members_ui,
    metrics_ui,
    save_ui,
    settings_ui,
    space_label,
    sweep_ui,
    viewer_store,
)
from pages._widgets import require_run_ui, show_error, tr

st.title(tr("clusters.title"), anchor=False)
st.caption(tr("clusters.intro"))
run = require_run_ui()
n = len(run.tokens)
if n < 3:
    st.warning(tr("clusters.too_few", n=n), icon=":material/warning:")
    st.stop()
if run.capabilities.users:
    st.caption(tr("clusters.useritem_note"))
method, space, params = settings_ui(run, n)
try:
    with st.spinner(tr("clusters.computing")):
        store = viewer_store(run)  # a run this workspace does not own: its viewers' cache, never the run
        result = clustering(str(run.path), run.stamp, space, spaces.space_stamp(run, space, Path(store) if store else None),
                            method, tuple(sorted(params.items())), store)
except ExplorerError as exc:
    show_error(exc)
    st.stop()
st.info(tr("clusters.space_used", space=space_label(space, int(run.vectors.shape[1]))), icon=":material/straighten:")
if method == "dbscan":
    st.caption(tr("clusters.eps_used", eps=result["params"]["eps"]))
metrics_ui(run, result)
save_ui(run, method, space, result)
if run.capabilities.documents:  # documents: the clusters on a map, named by their terms
    map_ui(run, result, space)
members_ui(run, result)
sweep_ui(run, space, n, params.get("k") if method == "kmeans" else None)
