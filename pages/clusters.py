"""Clusters: K-Means / DBSCAN / HDBSCAN on a run's vectors (or a projection), quality, k-sweep, members."""

import streamlit as st

from explorer.analysis import spaces
from explorer.errors import ExplorerError
from pages._clusters_ui import clustering, members_ui, metrics_ui, save_ui, settings_ui, space_label, sweep_ui
from pages._safe_ui import md
from pages._widgets import require_run_ui, tr

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
        result = clustering(str(run.path), run.stamp, space, spaces.space_stamp(run, space), method,
                            tuple(sorted(params.items())))
except ExplorerError as exc:
    st.error(md(str(exc)), icon=":material/warning:")
    st.stop()
st.info(tr("clusters.space_used", space=space_label(space, int(run.vectors.shape[1]))), icon=":material/straighten:")
if method == "dbscan":
    st.caption(tr("clusters.eps_used", eps=result["params"]["eps"]))
metrics_ui(run, result)
save_ui(run, method, space, result)
members_ui(run, result)
sweep_ui(run, space, n, params.get("k") if method == "kmeans" else None)
