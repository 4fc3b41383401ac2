"""Evaluate page, graph runs: link prediction, node classification and clusters against labels."""

from __future__ import annotations

import streamlit as st

from explorer.runs import Run
from pages._widgets import tr


def graph_eval_ui(run: Run) -> None:
    m = run.metrics or {}
    st.subheader(tr("evaluate_graph.title"), anchor=False)
    st.caption(tr("evaluate_graph.intro"))
    link = m.get("link_prediction") or {}
    st.markdown(f"**{tr('evaluate_graph.link_title')}**")
    if link.get("auc") is None:
        st.info(tr("evaluate_graph.no_link"), icon=":material/info:")
    else:
        st.metric(tr("evaluate_graph.auc"), f"{link['auc']:.3f}")
        st.caption(tr("evaluate_graph.link_caption", n_edges=link.get("n_edges", 0),
                      share=link.get("holdout", 0.0), n_non_edges=link.get("n_non_edges", 0)))
    clf, found = m.get("node_classification"), m.get("clusters")
    if not clf and not found:
        st.info(tr("evaluate_graph.no_labels"), icon=":material/info:")
    if clf:
        st.markdown(f"**{tr('evaluate_graph.class_title')}**")
        c = st.columns(2)
        c[0].metric(tr("evaluate_graph.macro_f1"), f"{clf['macro_f1']:.3f}")
        c[1].metric(tr("evaluate_graph.accuracy"), f"{clf['accuracy']:.3f}")
        st.caption(tr("evaluate_graph.class_caption", n_train=clf["n_train"], n_test=clf["n_test"],
                      n_classes=clf["n_classes"], split=clf["split"]))
    if found:
        st.markdown(f"**{tr('evaluate_graph.clusters_title')}**")
        c = st.columns(2)
        c[0].metric(tr("evaluate_graph.nmi"), f"{found['nmi']:.3f}")
        c[1].metric(tr("evaluate_graph.ari"), f"{found['ari']:.3f}")
        st.caption(tr("evaluate_graph.clusters_caption", k=found["k"], n=found["n"]))
    if m.get("n_steps"):
        st.caption(tr("evaluate_graph.training", steps=m["n_steps"], walks=m.get("n_walks", 0),
                      rate=m.get("steps_per_s", 0.0), workers=m.get("workers", 1)))
