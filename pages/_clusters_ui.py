"""Widgets and cached look-ups of the Clusters page (computing: explorer.analysis.clusters and .spaces)."""

from collections import Counter
from pathlib import Path

import pandas as pd
import streamlit as st

from explorer.analysis import cluster_terms, clusters, spaces
from explorer.analysis.metrics import SILHOUETTE_SAMPLE
from explorer.errors import ExplorerError
from explorer.figures import charts
from explorer.i18n import value_text
from explorer.jobs import workspaces
from explorer.runs import Run, saved_clusterings
from pages._safe_ui import md
from pages._widgets import choice_ui, lang, run_at, show_error, tr, workspace

MEMBERS = 40  # members computed per cluster; the page shows a chosen number of them



QUALITY = ("silhouette", "davies_bouldin", "calinski_harabasz")



def viewer_store(run: Run) -> str:
    """The viewers' projection cache of a run this workspace does not own ("" for its own runs)."""
    store = workspaces.projection_store(workspace(), run.path)
    return str(store) if store is not None else ""


@st.cache_data(max_entries=32, show_spinner=False)
def clustering(path: str, stamp_: str, space: str, space_stamp: float, method: str, params: tuple,
               store: str = "") -> dict:
    run = run_at(Path(path))
    x = spaces.space_points(run, space, Path(store) if store else None)
    truth = [run.labels.get(t) for t in run.tokens] if run.labels else None
    kwargs = dict(params)
    k, seed = kwargs.pop("k", 8), kwargs.pop("seed", 0)
    found = clusters.cluster(x, method, k=k, seed=seed, truth=truth,
                             space="vectors" if space == "vectors" else "projection", **kwargs)
    out = {"labels": found.labels, "params": found.params, "metrics": found.metrics, "sizes": found.sizes(),
           "members": clusters.cluster_members(x, found.labels, list(range(len(x))), top=MEMBERS)}
    if run.capabilities.documents:  # each cluster named by its most distinctive terms
        docs = run.documents
        texts = [f"{ti} {tx}".strip() for ti, tx in zip(docs.titles, docs.texts, strict=True)]
        out["terms"] = {int(c): cluster_terms.cluster_name(ws)
                        for c, ws in cluster_terms.cluster_terms(texts, found.labels).items() if ws}
    return out



@st.cache_data(max_entries=16, show_spinner=False)
def sweep(path: str, stamp_: str, space: str, space_stamp: float, lo: int, hi: int, seed: int,
          store: str = "") -> pd.DataFrame:
    x = spaces.space_points(run_at(Path(path)), space, Path(store) if store else None)
    return clusters.k_sweep(x, list(range(lo, hi + 1)), seed=seed)



def space_label(space: str, dim: int) -> str:
    if space == "vectors":
        return tr("clusters.space_vectors", dim=dim)
    if space == "pca2":
        return tr("clusters.space_projection")
    return tr("clusters.space_other", method=tr(f"explore.m_{space[:-1]}"), dims=space[-1])



def settings_ui(run: Run, n: int) -> tuple[str, str, dict]:
    """Method, space and parameters (plain values)."""
    c1, c2 = st.columns([2, 3])
    method = c1.segmented_control(tr("clusters.method"), tuple(clusters.CLUSTER_METHODS), format_func=lambda m: tr(f"clusters.m_{m}"),
                                  default="kmeans", required=True, key="cl_method", help=tr("clusters.method_help"))
    dim = int(run.vectors.shape[1])
    store = viewer_store(run)
    labels = {s: space_label(s, dim) for s in spaces.space_options(run, Path(store) if store else None)}  # fixed now (AppTest re-formats later)
    space = choice_ui(c2.selectbox, tr("clusters.space"), list(labels), f"cl_space_{run.run_id}",  # keyed per language
                      labels.__getitem__, help=tr("clusters.space_help"))
    p1, p2, p3 = st.columns(3)
    params: dict = {}
    if method == "kmeans":
        high = max(2, min(40, n - 1))
        params["k"] = p1.slider(tr("clusters.k"), 2, high, min(8, high), key="cl_k") if high > 2 else 2
        params["seed"] = int(p2.number_input(tr("clusters.seed"), 0, 10_000, 0, key="cl_seed"))
    else:
        metric = p1.selectbox(tr("clusters.metric"), ["cosine", "euclidean"], key="cl_metric",
                              index=0 if space == "vectors" else 1, help=tr("clusters.metric_help"))
        params["metric"] = metric
        if method == "dbscan":
            params["min_samples"] = p2.slider(tr("clusters.min_samples"), 2, 50, 5, key="cl_min_samples",
                                              help=tr("clusters.min_samples_help"))
            if not p3.toggle(tr("clusters.eps_auto"), value=True, key="cl_eps_auto", help=tr("clusters.eps_auto_help")):
                params["eps"] = p3.slider(tr("clusters.eps"), 0.01, 2.0 if metric == "cosine" else 20.0, 0.3, 0.01,
                                          key="cl_eps", help=tr("clusters.eps_help"))
        else:
            params["min_cluster_size"] = p2.slider(tr("clusters.min_cluster_size"), 2, max(3, min(200, n // 2)),
                                                   min(5, max(2, n // 2)), key="cl_mcs",
                                                   help=tr("clusters.min_cluster_size_help"))
    return method, space, params



def fmt(value: object, digits: int = 3) -> str:
    return "–" if value is None else f"{value:,.{digits}f}"



def metrics_ui(run: Run, result: dict) -> None:
    """The numbers, each with its one-line meaning underneath."""
    st.subheader(tr("clusters.metrics_title"), anchor=False)
    m = result["metrics"]
    cols = st.columns(5)
    cols[0].metric(tr("clusters.n_clusters"), f"{m['n_clusters']:,}")
    cols[1].metric(tr("clusters.noise"), f"{m['n_noise']:,}")
    cols[1].caption(tr("clusters.noise_help"))
    for col, name in zip(cols[2:], QUALITY, strict=True):
        col.metric(tr(f"clusters.{name}"), fmt(m.get(name), 1 if name == "calinski_harabasz" else 3))
        col.caption(tr(f"clusters.{name}_help") if m.get(name) is not None else tr("clusters.metric_na"))
    if "nmi" in m:
        cols = st.columns(5)
        for col, name in zip(cols, ("nmi", "ari"), strict=False):
            col.metric(tr(f"clusters.{name}"), fmt(m.get(name)))
            col.caption(tr(f"clusters.{name}_help"))
        cols[2].caption(tr("clusters.labels_note", n=m.get("n_labeled", 0)))
    else:
        st.caption(tr("clusters.no_labels"))
    if len(result["labels"]) - m["n_noise"] > SILHOUETTE_SAMPLE:
        st.caption(tr("clusters.sample_note", n=SILHOUETTE_SAMPLE))



def members_ui(run: Run, result: dict) -> None:
    st.subheader(tr("clusters.members_title"), anchor=False)
    shown = st.slider(tr("clusters.members_shown"), 3, MEMBERS, 12, key="cl_members")
    names, tokens = run.display_labels, run.tokens
    rows = []
    for cid, size in result["sizes"].items():
        if cid < 0:
            continue
        members = result["members"].get(cid, [])
        row = {tr("clusters.col_cluster"): cid, tr("clusters.col_size"): size}
        if "terms" in result:
            row[tr("documents_ui.col_terms")] = result["terms"].get(cid, "")
        if run.labels:
            labels = Counter(run.labels.get(tokens[i]) for i in members)
            labels.pop(None, None)
            row[tr("clusters.col_top_label")] = value_text("category", labels.most_common(1)[0][0], lang()) if labels else ""
        row[tr("clusters.col_members")] = " · ".join(names[i] for i in members[:shown])
        rows.append(row)
    if "terms" in result:
        st.caption(tr("documents_ui.terms_help"))
    st.dataframe(pd.DataFrame(rows), hide_index=True, column_config={
        tr("clusters.col_cluster"): st.column_config.NumberColumn(width="small"),
        tr("clusters.col_size"): st.column_config.NumberColumn(width="small"),
        tr("clusters.col_members"): st.column_config.TextColumn(width="large")})



def save_ui(run: Run, method: str, space: str, result: dict) -> None:
    if st.button(tr("clusters.save"), icon=":material/palette:", help=tr("clusters.save_help"), key="cl_save"):
        params = {k: v for k, v in result["params"].items() if k in ("k", "seed", "eps", "min_samples",
                                                                        "min_cluster_size", "metric") and v is not None}
        try:
            where = workspaces.derived_dir(workspace(), run.path)  # the viewer's own, never a gallery run
            name = saved_clusterings.save_clustering(where, result["labels"], method, params, space,
                                                 result["metrics"])
        except (ExplorerError, OSError) as exc:
            show_error(exc)
            return
        st.success(tr("clusters.saved", name=md(name)), icon=":material/check_circle:")
        st.page_link("pages/explore.py", label=tr("common.go_explore"), icon=":material/explore:")



def sweep_ui(run: Run, space: str, n: int, chosen: int | None) -> None:
    st.subheader(tr("clusters.sweep_title"), anchor=False)
    st.caption(tr("clusters.sweep_explain"))
    high = min(30, n - 1)
    if high < 3:
        return
    c1, c2 = st.columns([3, 1], vertical_alignment="bottom")
    lo, hi = c1.slider(tr("clusters.sweep_range"), 2, high, (2, min(12, high)), key="cl_sweep_range")
    wanted = (str(run.path), space, lo, hi)
    if c2.button(tr("clusters.sweep_run"), icon=":material/show_chart:", key="cl_sweep_run"):
        st.session_state["cl_sweep"] = wanted
    if st.session_state.get("cl_sweep") != wanted:
        return
    try:
        with st.spinner(tr("clusters.sweeping")):
            store = viewer_store(run)
            frame = sweep(str(run.path), run.stamp, space, spaces.space_stamp(run, space, Path(store) if store else None),
                          lo, hi, int(st.session_state.get("cl_seed", 0)), store)
    except ExplorerError as exc:
        show_error(exc)
        return
    fig = charts.k_sweep_chart(frame["k"], frame["silhouette"], frame["inertia"], chosen=chosen,
                                         silhouette_title=tr("clusters.silhouette"),
                                         inertia_title=tr("clusters.inertia"))
    st.plotly_chart(fig, key="cl_sweep_chart")
    best = frame.loc[frame["silhouette"].idxmax()] if frame["silhouette"].notna().any() else None
    if best is not None:
        st.caption(tr("clusters.best_k", k=int(best["k"]), s=float(best["silhouette"])))
    st.download_button(tr("clusters.html"), data=lambda: charts.figure_html(fig, "k-sweep"),
                       file_name="k-sweep.html", mime="text/html", on_click="ignore", icon=":material/html:",
                       key="cl_sweep_html")
    st.caption(tr("clusters.png_caption"))



def map_ui(run: Run, result: dict, space: str) -> None:
    """The documents on a 2-D map coloured by cluster, each cluster named by its terms at its centre (runs of
    documents: the clustering's own 2-D space, else the 2-D PCA of the vectors)."""
    from explorer import figures
    from pages._explore_docs_ui import doc_labels

    store = viewer_store(run)
    shown = space if space.endswith("2") else "pca2"
    try:
        coords = spaces.space_points(run, shown, Path(store) if store else None)
    except ExplorerError as exc:
        show_error(exc)
        return
    terms = result.get("terms", {})
    values = [f"{c}: {terms[c]}" if c in terms else (str(c) if c >= 0 else "") for c in map(int, result["labels"])]
    hover, names = doc_labels(str(run.path), run.stamp)
    st.subheader(tr("documents_ui.map_title", space=space_label(shown, int(run.vectors.shape[1]))), anchor=False)
    fig = figures.embedding_scatter(coords, hover, colouring=figures.Colouring("category", values,
                                                                               tr("clusters.col_cluster")),
                                    marks=names, uirevision=f"cl-{run.run_id}-{shown}", height=560)
    figures.cluster_labels(fig, coords, values, {f"{c}: {n}": n for c, n in terms.items()})
    st.plotly_chart(fig, key="cl_map")
    st.caption(tr("documents_ui.map_caption"))
