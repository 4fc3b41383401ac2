"""Evaluate page, user-item runs: ranking metrics at any K against the popularity baseline, validation curves."""

from pathlib import Path

import streamlit as st

from explorer import figures
from explorer.errors import ExplorerError
from explorer.figures import charts
from explorer.recsys import evaluation
from explorer.runs import Run
from pages._evaluate_words_ui import html_download
from pages._widgets import show_error, tr

RANKING_METRICS = ("HR@{k}", "NDCG@{k}", "MRR")



@st.cache_data(max_entries=16, show_spinner=False)
def ranking_at_k(run_path: str, stamp_: str, k: int) -> dict:
    return evaluation.test_metrics_at_k(Path(run_path), k)



def fmt(value: object) -> str:
    return "–" if not isinstance(value, (int, float)) or value != value else f"{value:.3f}"



def protocol_label(protocol: str, negatives: int) -> str:
    return tr("evaluate.protocol_sampled", n=negatives) if protocol == "sampled" else tr("evaluate.protocol_full")



def ranking_ui(run: Run) -> None:
    st.subheader(tr("evaluate.ranking_title"), anchor=False)
    st.markdown(tr("evaluate.ranking_explain"))
    stored = (run.metrics or {}).get("test")
    if not stored:
        st.info(tr("evaluate.no_ranking"), icon=":material/info:")
        return
    negatives = (stored.get("sampled", {}).get("model") or {}).get("negatives", 99)
    left, right = st.columns([2, 1])
    protocol = left.segmented_control(
        tr("evaluate.protocol"), ["full", "sampled"], default="full", required=True, key="eval_protocol",
        format_func=lambda p: protocol_label(p, negatives))
    k = int(right.number_input(tr("evaluate.k"), min_value=1, max_value=100, value=10, key="eval_k"))
    st.caption(tr(f"evaluate.protocol_{protocol}_help", n=negatives) if protocol == "sampled"
               else tr("evaluate.protocol_full_help"))
    try:
        result = stored if k == 10 else ranking_at_k(str(run.path), run.stamp, k)
    except ExplorerError as exc:
        show_error(exc)
        result = stored
        k = 10
    model, pop = result[protocol]["model"], result[protocol]["popularity"]
    names = [m.format(k=k) for m in RANKING_METRICS]
    cols = st.columns(len(names))
    for col, name in zip(cols, names, strict=True):
        m, p = model.get(name), pop.get(name)
        delta = f"{m - p:+.3f}" if isinstance(m, float) and isinstance(p, float) else None
        col.metric(f"{name} · {tr('evaluate.model')}", fmt(m), delta=delta)
        col.caption(tr("evaluate.vs_pop", v=fmt(p)))
    fig = charts.grouped_bars(names, {tr("evaluate.model"): [model.get(n) for n in names],
                                               tr("evaluate.popularity"): [pop.get(n) for n in names]})
    st.plotly_chart(fig, key="eval_bars")
    split = (run.metrics or {}).get("split") or {}
    if split:
        key = {"latest-by-timestamp": "evaluate.split_latest", "random": "evaluate.split_random"}.get(
            split.get("method_key", ""))
        method = tr(key) if key else split.get("method", "?")
        st.caption(tr("evaluate.split", method=method, train=split.get("train", 0),
                      validation=split.get("validation", 0), test=split.get("test", 0), users=model.get("users", 0)))
    curves_ui(run)



def curves_ui(run: Run) -> None:
    st.subheader(tr("evaluate.curves_title"), anchor=False)
    per_epoch = (run.metrics or {}).get("validation_per_epoch") or []
    if not per_epoch:
        st.info(tr("evaluate.no_curves"), icon=":material/info:")
    else:
        epochs = [e.get("epoch", i + 1) for i, e in enumerate(per_epoch)]
        series, dashed = {}, []
        negatives = (per_epoch[0].get("sampled") or {}).get("negatives", 99)
        for protocol in ("sampled", "full"):
            label = protocol_label(protocol, negatives)
            for name in ("HR@10", "NDCG@10"):
                key = f"{name} · {label}"
                series[key] = [(e.get(protocol) or {}).get(name) for e in per_epoch]
                if protocol == "full":
                    dashed.append(key)
        fig = charts.curves(epochs, series, x_title=tr("evaluate.epoch"), y_title=tr("evaluate.value"),
                                      dashed=dashed)
        st.plotly_chart(fig, key="eval_curves")
        st.caption(tr("evaluate.curves_caption"))
        html_download(fig, "validation-per-epoch", "eval_curves_html")
    losses = (run.metrics or {}).get("loss_per_epoch") or []
    if losses:
        st.subheader(tr("evaluate.loss_title"), anchor=False)
        st.plotly_chart(figures.loss_curve(losses, x_title=tr("evaluate.epoch"), y_title=tr("evaluate.loss")),
                        key="eval_loss")
