"""Evaluate page, runs of documents: label prediction beside the TF-IDF baseline, clusters against labels, rated
document pairs (computing: explorer.documents.evaluation)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Optional

import numpy as np
import streamlit as st

from explorer.documents import evaluation
from explorer.errors import ExplorerError
from explorer.figures import charts
from explorer.runs import Run
from pages._evaluate_words_ui import file_error, html_download, upload_ui
from pages._widgets import run_at, tr

PAIR_TYPES = ["csv", "tsv", "txt"]


@st.cache_data(max_entries=16, show_spinner=False)
def delta_args(diff: float) -> dict:
    """``st.metric``'s delta for "vectors minus baseline": a difference that rounds to 0 is shown as ±0.000 without
    the green "up" arrow Streamlit gives the text "+0.000" (a tie read as a win).

    >>> delta_args(0.00004)["delta_arrow"], delta_args(0.02)["delta"]
    ('off', '+0.020')
    """
    shown = f"{diff:+.3f}"
    if float(shown) == 0:
        return {"delta": "±0.000", "delta_color": "off", "delta_arrow": "off"}
    return {"delta": shown, "delta_color": "normal", "delta_arrow": "auto"}


def labels_result(run_path: str, stamp_: str, folds: int, seed: int) -> Optional[dict[str, Any]]:
    run = run_at(Path(run_path))
    docs = run.documents
    return evaluation.label_prediction(np.asarray(run.vectors), docs.labels, docs.texts, folds=folds, seed=seed)


@st.cache_data(max_entries=16, show_spinner=False)
def clusters_result(run_path: str, stamp_: str, seed: int) -> Optional[dict[str, Any]]:
    run = run_at(Path(run_path))
    return evaluation.cluster_agreement(np.asarray(run.vectors), run.documents.labels, seed=seed)


@st.cache_data(max_entries=16, show_spinner=False)
def pairs_result(run_path: str, stamp_: str, upload: str, name: str) -> dict[str, Any]:
    run = run_at(Path(run_path))
    pairs = evaluation.read_doc_pairs(Path(upload), name)
    return evaluation.pair_correlation(np.asarray(run.vectors), run.documents.ids, pairs, name)


def fmt(value: Optional[float]) -> str:
    return "–" if value is None else f"{value:.3f}"


def label_prediction_ui(run: Run, labelled: int) -> None:
    st.subheader(tr("evaluate_documents.labels_title"), anchor=False)
    st.markdown(tr("evaluate_documents.labels_explain"))
    c1, c2 = st.columns(2)
    folds = int(c1.number_input(tr("evaluate_documents.folds"), 2, 10, evaluation.DEFAULT_FOLDS, key="doc_eval_folds"))
    seed = int(c2.number_input(tr("evaluate_documents.seed"), 0, 10_000, 0, key="doc_eval_seed"))
    with st.spinner(tr("evaluate_documents.computing")):
        result = labels_result(str(run.path), run.stamp, folds, seed)
    if result is None:
        counts: dict[str, int] = {}
        for lab in run.documents.labels:
            if lab.strip():
                counts[lab.strip()] = counts.get(lab.strip(), 0) + 1
        st.info(tr("evaluate_documents.one_label", n=labelled, k=sum(c >= 2 for c in counts.values())),
                icon=":material/info:")
        return
    emb, base = result["embedding"], result["tfidf"]
    cols = st.columns(3)
    for col, key in zip(cols[:2], ("accuracy", "macro_f1"), strict=True):
        col.metric(f"{tr('evaluate_documents.' + key)} · {tr('evaluate_documents.vectors')}",
                   f"{emb[key]:.3f} ± {emb[key + '_std']:.3f}", **delta_args(emb[key] - base[key]))
        col.caption(tr("evaluate_documents.vs_baseline", v=f"{base[key]:.3f} ± {base[key + '_std']:.3f}"))
    cols[2].metric(f"{tr('evaluate_documents.accuracy')} · {tr('evaluate_documents.majority')}",
                   f"{result['majority']:.3f}")
    diff = emb["accuracy"] - base["accuracy"]
    if diff > 0:
        st.success(tr("evaluate_documents.ahead", d=diff), icon=":material/check_circle:")
    else:
        st.warning(tr("evaluate_documents.behind", d=diff), icon=":material/info:")
    names = [tr("evaluate_documents.accuracy"), tr("evaluate_documents.macro_f1")]
    fig = charts.grouped_bars(names, {tr("evaluate_documents.vectors"): [emb["accuracy"], emb["macro_f1"]],
                                      tr("evaluate_documents.baseline"): [base["accuracy"], base["macro_f1"]]},
                              y_title=tr("evaluate_documents.bars_y"))
    st.plotly_chart(fig, key="doc_eval_bars")
    html_download(fig, "label-prediction", "doc_eval_bars_html")
    st.caption(tr("evaluate_documents.labels_caption", n=result["n"], k=result["n_classes"], folds=result["folds"],
                  seed=result["seed"], lang=tr(f"evaluate_documents.lang={result['lang']}")))
    if result["dropped"]:
        st.caption(tr("evaluate_documents.dropped", n=result["dropped"]))


def clusters_ui(run: Run) -> None:
    found = clusters_result(str(run.path), run.stamp, int(st.session_state.get("doc_eval_seed", 0)))
    if found is None:
        return
    st.subheader(tr("evaluate_documents.clusters_title"), anchor=False)
    c = st.columns(2)
    c[0].metric(tr("evaluate_documents.nmi"), f"{found['nmi']:.3f}")
    c[1].metric(tr("evaluate_documents.ari"), f"{found['ari']:.3f}")
    st.caption(tr("evaluate_documents.clusters_caption", k=found["k"], n=found["n"]))


def pairs_ui(run: Run) -> None:
    st.subheader(tr("evaluate_documents.pairs_title"), anchor=False)
    st.markdown(tr("evaluate_documents.pairs_explain"))
    saved = upload_ui(tr("evaluate_documents.pairs_upload"), PAIR_TYPES, "doc_eval_pairs")
    if not saved:
        return
    try:
        res = pairs_result(str(run.path), run.stamp, saved[0], saved[1])
    except ExplorerError as exc:
        file_error(exc, saved)
        return
    if res["pearson"] is None:
        st.info(tr("evaluate_documents.constant_cosine"), icon=":material/info:")
    c = st.columns(2)
    c[0].metric(tr("evaluate_documents.pearson"), fmt(res["pearson"]))
    c[1].metric(tr("evaluate_documents.spearman"), fmt(res["spearman"]))
    st.caption(tr("evaluate_documents.pairs_found", found=res["n_found"], total=res["n_total"]))
    st.dataframe(res["pairs"].head(500).rename(columns={
        "id_a": tr("evaluate_documents.col_id_a"), "id_b": tr("evaluate_documents.col_id_b"),
        "score": tr("evaluate_documents.col_score"), "cosine": tr("evaluate_documents.col_cosine")}).round(3),
        hide_index=True, height=260)


def documents_eval_ui(run: Run) -> None:
    st.subheader(tr("evaluate_documents.title"), anchor=False)
    st.caption(tr("evaluate_documents.intro"))
    labelled = len(evaluation.labelled_rows(run.documents.labels))
    if not labelled:
        st.info(tr("evaluate_documents.no_labels"), icon=":material/info:")
    else:
        label_prediction_ui(run, labelled)
        clusters_ui(run)
    pairs_ui(run)
