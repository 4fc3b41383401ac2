"""Lesson step 4: is the space any good? (measures, clusters vs planted labels, misleading maps, a semantic axis)."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from explorer import jobs
from explorer.analysis.similarity import pair_measures
from explorer.errors import ExplorerError
from explorer.figures.lesson import axis_strip, recall_map
from explorer.i18n import value_text
from explorer.jobs import sample_job, workspaces
from explorer.lesson import quality as q
from explorer.lesson.watch import content_words
from pages._lesson_ui import check_ui, header_ui, lesson_run_ui, try_it_ui
from pages._widgets import job_error_text, lang, model_text, run_at, run_choices, show_error, tr, workspace

T = "lesson_quality."
header_ui(4, "lesson_quality")
shown_sections: list[str] = []


def section(key: str) -> None:
    """A numbered section title, numbered as shown: a run without labels has no clusters section, and the next
    one is 2, not 3 (the strings carry the teaching order's number)."""
    shown_sections.append(key)
    title = re.sub(r"^\d+ · ", "", tr(T + key))
    st.subheader(f"{len(shown_sections)} · {title}", anchor=False)


run = lesson_run_ui(sample_only="lesson.sample_only_words")  # own models, none of words: say so
vectors, tokens = np.asarray(run.vectors), run.tokens

section("measures_title")
defaults = [w for w in (("猫", "狗", "香蕉") if lang() == "zh" else ("cat", "dog", "banana")) if w in run.index]
defaults = defaults if len(defaults) >= 2 else content_words(tokens, 3)  # one word makes no pair
words = st.multiselect(tr(T + "words"), tokens, default=defaults, max_selections=3, key=f"lq_w_{run.run_id}_{lang()}", placeholder=tr("common.choose_options"))
if len(words) >= 2:
    pairs = [(a, b) for i, a in enumerate(words) for b in words[i + 1:]]
    table = pd.DataFrame([{tr(T + "pair"): f"{a} ↔ {b}", **pair_measures(vectors[run.index[a]],
                                                                                  vectors[run.index[b]])}
                          for a, b in pairs]).rename(columns={m: tr(T + m) for m in ("cosine", "euclidean", "dot")})
    st.dataframe(table.round(3), hide_index=True)
st.caption(tr(T + "measures_explain"))


@st.cache_data(max_entries=8, show_spinner=False)
def clusters(path: str) -> q.ClusterReport:
    return q.cluster_report(vectors, tokens, run.labels)


if run.labels:
    section("clusters_title")
    rep = clusters(str(run.path))
    st.markdown(tr(T + "clusters_explain", k=rep.k, n=sum(size for _, _, size, _ in rep.table)))
    for col, (name, value) in zip(st.columns(4), rep.metrics.items(), strict=True):
        col.metric(tr(T + name), "–" if value is None else f"{value:.3f}")
    st.dataframe(pd.DataFrame(rep.table, columns=[tr(T + c) for c in ("cluster", "majority", "size", "purity")])
                 .round(2), hide_index=True, height=200)

section("maps_title")
st.markdown(tr(T + "maps_explain"))


def view_name(method: str, params: tuple) -> str:
    return tr(T + f"view_{method}", v=params[0][1] if params else "")


def view_job_ui(method: str, params: dict, name: str, where: DeltaGenerator, i: int) -> None:
    """The state of the map's projection job: queued once per (run, method, parameters), never again by itself."""
    last = jobs.latest_projection(workspace(), str(run.path), method, 2, params)
    again = last is not None and not last.active and where.button(tr("explore.projection_again"), key=f"lq_again_{i}",
                                                                   icon=":material/replay:")
    if last is None or again:
        try:  # an identical queued or running projection is not queued twice
            last = jobs.get(jobs.submit_projection(str(run.path), method, 2, params, workspace()))
        except ExplorerError as exc:
            show_error(exc, where)
            return
    if last is None or last.active:
        where.info(tr(T + "view_pending", name=name))
    elif last.state == "failed":
        where.warning(tr(T + "view_failed", name=name, error=job_error_text(last)))
    else:  # done or cancelled, and its file is gone: the button above queues it again
        where.info(tr(T + "view_missing", name=name))


@st.fragment(run_every=2.0)
def maps_ui() -> None:
    ready: dict[str, float] = {}
    store = workspaces.projection_store(workspace(), run.path)  # where the worker writes a run this workspace does not own
    cols = st.columns(3)
    shown = q.views(len(tokens))  # neighbourhoods cut to what a small run allows
    for i, (method, params) in enumerate(shown):
        name, where = view_name(method, params), cols[i % 3]
        coords = q.cached_view(run.path, method, dict(params), len(tokens), store)
        if coords is None:
            view_job_ui(method, dict(params), name, where, i)
            continue
        recall = q.neighbour_recall(vectors, coords, 10)
        ready[name] = float(recall.mean())
        where.plotly_chart(recall_map(coords, recall, tokens, tr(T + "mean_recall", name=name, r=ready[name]),
                                      tr(T + "recall"), show_scale=i == 0), key=f"lq_map_{i}")
    if len(ready) >= 2:  # a question with one possible answer is no question
        best = max(ready, key=ready.get)
        names = list(ready)
        check_ui("lq_check", tr(T + "check_q"), names, names.index(best), tr(T + "check_why", r=ready[best]))
    elif len(ready) < len(shown):
        st.caption(tr(T + "check_wait"))


maps_ui()

section("axis_title")
pair = [w for w in (("爸爸", "妈妈") if lang() == "zh" else ("father", "mother")) if w in run.index]
pair = pair if len(pair) == 2 else content_words(tokens, 2)
c1, c2, c3 = st.columns([1, 1, 2])
a = c1.selectbox(tr(T + "axis_a"), tokens, index=tokens.index(pair[0]), key=f"lq_a_{run.run_id}_{lang()}")
b = c2.selectbox(tr(T + "axis_b"), tokens, index=tokens.index(pair[1]), key=f"lq_b_{run.run_id}_{lang()}")
labels = sorted(set(run.labels.values()))
groups = c3.multiselect(tr(T + "axis_groups"), labels, default=[g for g in ("jobs", "family") if g in labels],
                        format_func=lambda g: value_text("category", g, lang()),
                        key=f"lq_groups_{run.run_id}", placeholder=tr("common.choose_options")) if labels else []  # an unlabelled run: no empty picker
if a == b:
    st.info(tr(T + "axis_same"))
else:
    rows = q.group_rows(tokens, run.labels, groups, lang()) if groups else [run.index[w] for w in content_words(tokens, 16)]
    scores = q.axis_scores(vectors, rows, run.index[a], run.index[b])
    st.markdown(tr(T + "axis_explain", a=a, b=b))
    st.plotly_chart(axis_strip(scores, [tokens[i] for i in rows], [value_text("category", run.labels.get(tokens[i], ""), lang()) for i in rows], a, b),
                    key="lq_axis")


@st.cache_data(max_entries=4, show_spinner=False)
def side_by_side(path_a: str, stamp_a: str, path_b: str, stamp_b: str) -> dict:
    return q.side_by_side(run_at(Path(path_a)), run_at(Path(path_b)))


def methods_ui() -> None:
    """GloVe against Skip-gram (any two kinds) on the same corpus, when both runs exist."""
    choices = [c for c in run_choices() if c.capabilities.words and c.path != str(run.path)]
    paths = [Path(c.path) for c in choices]
    sample = sample_job.sample_run_dir("job")
    paths += [sample] if sample is not None and sample != run.path and sample not in paths else []
    others = []
    for path in paths:
        try:
            others.append(run_at(path))
        except ExplorerError:
            continue
    partner = q.corpus_partner(run, others)
    if partner is None:
        st.subheader(tr(T + "vs_title_none"), anchor=False)  # no "Skip-gram against …": nothing to set against
        st.caption(tr(T + "vs_none"))
        return
    names = {"a": model_text(run), "b": model_text(partner)}  # a CBOW run is not called "Skip-gram"
    st.subheader(tr(T + "vs_title", **names), anchor=False)
    try:
        with st.spinner(tr("runs.comparing")):
            result = side_by_side(str(run.path), run.stamp, str(partner.path), partner.stamp)
    except ExplorerError as exc:
        show_error(exc)
        return
    st.markdown(tr(T + "vs_explain", n=result["n_shared"], k=result["k"], j=result["jaccard"]))
    st.dataframe(pd.DataFrame([{tr(T + "vs_model"): f"{names[key]}: {value_text('run_name', r.name, lang())}",
                                **{tr(T + "vs_" + m): result[key][m] for m in ("agreement", "nmi", "seconds")}}
                               for key, r in (("a", run), ("b", partner))]).round(3), hide_index=True)
    if str(partner.path) in {c.path for c in choices} and st.button(tr(T + "vs_open"), icon=":material/compare:",
                                                                       key="lq_vs_open"):
        st.session_state["runs_section"] = "compare"
        st.session_state["cmp_want"] = (str(run.path), str(partner.path))  # the Runs page opens on these two
        st.switch_page("pages/runs.py", query_params={"ws": workspace()})
    scores = {key: result[key]["agreement"] for key in ("a", "b")}
    if all(v is not None for v in scores.values()) and scores["a"] != scores["b"]:
        best = max(scores, key=scores.get)
        other = "b" if best == "a" else "a"
        options = [names["a"], names["b"]]
        check_ui("lq_vs_check", tr(T + "vs_check_q"), options, options.index(names[best]),
                 tr(T + "vs_check_why", best=names[best], r=scores[best], other=scores[other]))


methods_ui()
try_it_ui("pages/clusters.py", ":material/bubble_chart:", step=4)
