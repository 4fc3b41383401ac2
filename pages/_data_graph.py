"""Data page, graph part: upload an edge list or graph file (or pick a bundled graph) and preview it."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import streamlit as st

from explorer.errors import ExplorerError
from explorer.figures.network import degree_distribution, graph_drawing
from explorer.graph.io import read_graph, read_node_labels
from explorer.graph.samples import SAMPLES, sample_graph_files
from explorer.graph.summary import MAX_DRAWN_NODES, layout, summarize
from explorer.jobs import workspaces
from explorer.kinds import data_inputs
from explorer.train_form import kind_of_slot
from pages._class_ui import shared_datasets_ui
from pages._data_ui import chosen_data, remember
from pages._safe_ui import md
from pages._widgets import choice_ui, error_message, tr, uploader_note, workspace

GRAPH_TYPES = list(data_inputs()["graph"].upload_types)  # declared by the graph kind (explorer/kinds/graph.py)
LABEL_TYPES = ["csv", "tsv", "txt"]


@st.cache_data(max_entries=8, show_spinner=False)
def graph_preview(path: str, name: str, directed: bool) -> dict:
    """Sizes, degree distribution, components and (small graphs) a layout; plain values only."""
    graph = read_graph(Path(path), directed=directed, name=name)
    s = summarize(graph)
    xy = layout(graph)
    small = xy is not None
    return {"summary": s, "xy": xy, "edges": graph.edges if small else None, "nodes": graph.nodes if small else None,
            "degrees": graph.degrees if small else None, "component": _components(graph) if small else None,
            "index_nodes": graph.nodes}


def _components(graph) -> list[int]:
    from explorer.graph.summary import component_labels

    labels = component_labels(graph)
    order = {c: i for i, c in enumerate(np.argsort(-np.bincount(labels), kind="stable"))}
    return [order[c] + 1 for c in labels]


def graph_source_ui() -> None:
    """Upload control and bundled-graph picker; problems right below the control."""
    gen = st.session_state.get("upload_gen_graph", 0)
    upload = st.file_uploader(tr("data_graph.upload"), type=GRAPH_TYPES, key=f"upload_graph_{gen}",
                              help=tr("data_graph.upload_help", mb=workspaces.max_upload_bytes() // 2**20))
    uploader_note()
    if st.session_state.get("data_graph_error"):
        st.error(st.session_state["data_graph_error"], icon=":material/warning:")  # escaped by error_message
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    labels = {s: tr(f"data_graph.sample_{s}") for s in SAMPLES}  # formatted now, in this run's language
    name = choice_ui(left.selectbox, tr("data_graph.sample"), list(SAMPLES), "data_graph_sample", labels.__getitem__)
    if right.button(tr("data_graph.use_sample"), key="sample_graph", icon=":material/inventory_2:"):
        edges, labels = sample_graph_files()[name]
        st.session_state["data_graph"] = {"path": str(edges), "name": edges.name, "labels": str(labels),
                                          "labels_name": labels.name, "sample": True}
        st.session_state["data_graph_error"] = ""
        st.rerun()
    if upload is not None:
        try:
            path = workspaces.save_upload(upload.getvalue(), Path(upload.name).suffix)
            graph_preview(str(path), upload.name, False)
            st.session_state["data_graph"] = {"path": str(path), "name": upload.name, "sample": False}
            st.session_state["data_graph_error"] = ""
        except ExplorerError as exc:
            st.session_state["data_graph_error"] = error_message(exc)
        st.session_state["upload_gen_graph"] = gen + 1
        st.rerun()


def keep_upload(upload: object, data: dict, role: str) -> None:
    """Keep a side file beside the graph: saved under the uploads, ``data[role]`` its path and ``data[role_name]``
    the user's file name; a refused upload is one line beside the uploader."""
    if upload is None:
        return
    try:
        data[role] = str(workspaces.save_upload(upload.getvalue(), Path(upload.name).suffix))
        data[f"{role}_name"] = upload.name
    except ExplorerError as exc:
        st.error(error_message(exc), icon=":material/warning:")


def graph_labels_ui(data: dict, nodes: list[str]) -> dict[str, str]:
    """Optional node,label file; returns the labels (empty when none)."""
    upload = st.file_uploader(tr("data_graph.labels"), type=LABEL_TYPES, key="upload_graph_labels")
    uploader_note()
    keep_upload(upload, data, "labels")
    if not data.get("labels"):
        return {}
    try:
        labels = read_node_labels(Path(data["labels"]), nodes, name=data.get("labels_name"))
    except ExplorerError as exc:
        st.error(error_message(exc), icon=":material/warning:")
        data["labels"] = None
        return {}
    st.caption(tr("data_graph.labels_found", n=len(labels), k=len(set(labels.values()))))
    return labels


def graph_features_ui(data: dict, nodes: list[str]) -> None:
    """Optional CSV of numeric node features (what a GCN/GAT reads besides the edges), checked against the graph's
    nodes; a problem is one line beside the uploader and the file is not used."""
    from explorer.training.gnn.features import read_features_file

    upload = st.file_uploader(tr("data_graph.features"), type=LABEL_TYPES, key="upload_graph_features",
                              help=tr("data_graph.features_help"))
    keep_upload(upload, data, "features")
    if not data.get("features"):
        return
    try:
        table = read_features_file(Path(data["features"]), {n: i for i, n in enumerate(nodes)},
                                   name=data.get("features_name"))
    except ExplorerError as exc:
        st.error(error_message(exc), icon=":material/warning:")
        data["features"] = None
        return
    st.caption(tr("data_graph.features_found", k=len(table.columns), n=len(nodes) - table.missing_rows))
    if table.missing_rows:  # accepted, but say what those nodes start from
        without = [nodes[i] for i in np.flatnonzero(np.isnan(table.values).all(axis=1))[:5]]
        st.warning(tr("data_graph.features_missing", m=table.missing_rows, n=len(nodes),
                      examples=md(", ".join(without))), icon=":material/info:")


def graph_preview_ui(data: dict) -> None:
    data["directed"] = st.toggle(tr("data_graph.directed"), value=bool(data.get("directed")),
                                 help=tr("data_graph.directed_help"))
    try:
        prev = graph_preview(data["path"], data["name"], data["directed"])
    except ExplorerError as exc:
        st.error(error_message(exc), icon=":material/warning:")
        return
    s = prev["summary"]
    m = st.columns(4)
    m[0].metric(tr("data_graph.nodes"), f"{s.n_nodes:,}")
    m[1].metric(tr("data_graph.edges"), f"{s.n_edges:,}",
                help=tr("data_graph.weighted") if s.weighted else tr("data_graph.unweighted"))
    m[2].metric(tr("data_graph.mean_degree"), f"{s.mean_degree:.2f}")
    m[3].metric(tr("data_graph.components"), f"{len(s.component_sizes):,}")
    st.caption(tr("data_graph.largest", n=int(s.component_sizes[0]), share=s.component_sizes[0] / s.n_nodes) + " · "
               + tr("data_graph.cleaning", loops=s.n_self_loops, merged=s.n_merged))
    labels = graph_labels_ui(data, prev["index_nodes"])
    graph_features_ui(data, prev["index_nodes"])
    st.markdown(f"**{tr('data_graph.degree_title')}**")
    st.plotly_chart(degree_distribution(s.degree_values, s.degree_counts, x_title=tr("data_graph.degree"),
                                        y_title=tr("data_graph.count")), key="graph_degrees")
    if prev["xy"] is None:
        st.info(tr("data_graph.too_big_to_draw", n=MAX_DRAWN_NODES), icon=":material/info:")
        return
    st.markdown(f"**{tr('data_graph.drawing')}**")
    nodes = prev["nodes"]
    groups = ([labels.get(n, "–") for n in nodes] if labels else
              [tr("data_graph.component", i=c) for c in prev["component"]])
    sizes = 6 + 14 * np.sqrt(prev["degrees"] / max(1, prev["degrees"].max()))
    st.plotly_chart(graph_drawing(prev["xy"], prev["edges"], nodes, groups=groups, sizes=sizes), key="graph_drawing")


def graph_data_ui() -> None:
    """The whole graph section of the Data page."""
    graph_source_ui()
    if (shared := shared_datasets_ui("graph", workspace())) is not None:  # a graph the class's teacher shared
        st.session_state["data_graph"] = shared
    data = chosen_data("graph")  # this session's choice, or the URL's after a reload
    if not data:
        st.info(tr("data_graph.none"))
        return
    st.subheader(tr("data.current", name=md(data["name"])) + (f" · {tr('data.sample')}" if data.get("sample") else ""),
                 anchor=False)
    graph_preview_ui(data)
    remember("graph", data)  # kept in the URL, like the other kinds of data
    st.session_state["train_kind"] = kind_of_slot(data_inputs()["graph"].slot)  # Train opens on this data
    st.page_link("pages/train.py", label=tr("data.next"), icon=":material/model_training:")
