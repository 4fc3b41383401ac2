"""Lesson: a random walk on the karate club (or on a graph run of the class) is a sentence; its nearby nodes are
Skip-gram pairs; one message-passing step of a GCN and a GAT layer on the karate club (computing:
explorer.graph.lesson, explorer.lesson.message_passing)."""

from pathlib import Path
from typing import Optional

import numpy as np
import pandas as pd
import streamlit as st

from explorer.errors import ExplorerError
from explorer.figures.network import graph_drawing, message_drawing
from explorer.graph.io import Graph, read_graph
from explorer.graph.lesson import graph_walk, karate, walk_view
from explorer.graph.summary import MAX_DRAWN_NODES, layout
from explorer.i18n import value_text
from explorer.lesson import message_passing as mp
from pages._lesson_ui import check_ui, header_ui, on_shared_data, run_labels, run_text_source
from pages._safe_ui import md
from pages._widgets import choice_ui, error_message, lang, run_at, run_choices, tr

KARATE = "karate"
#: start nodes offered for a class's graph: the best connected ones (a graph's nodes are numbered by degree)
MAX_STARTS = 200


@st.cache_data(show_spinner=False)
def karate_layout() -> list[list[float]]:
    return layout(karate()[0], seed=3).tolist()


@st.cache_resource(show_spinner=False)
def karate_messages() -> mp.KarateMessages:
    return mp.karate_messages()


@st.cache_resource(show_spinner=False, max_entries=8)
def run_graph(path: str, name: str, directed: bool, stamp: object) -> Graph:
    return read_graph(Path(path), directed=directed, name=name)


@st.cache_data(show_spinner=False, max_entries=32)
def drawn(path: str, name: str, directed: bool, stamp: object,
          rows: tuple[int, ...]) -> tuple[list[int], list[list[float]], list[list[int]]]:
    """Rows drawn (all of a small graph; the walk's neighbourhood of a large one), their positions and edges."""
    graph = run_graph(path, name, directed, stamp)
    if graph.n_nodes <= MAX_DRAWN_NODES:
        return list(range(graph.n_nodes)), layout(graph, seed=3).tolist(), graph.edges.tolist()
    keep, edges = walk_view(graph, rows, MAX_DRAWN_NODES)
    sub = Graph([graph.nodes[r] for r in keep], edges, None, False, graph.source)
    return keep, layout(sub, seed=3).tolist(), edges.tolist()


def graph_choice_ui() -> tuple[Graph, dict[str, str], Optional[tuple]]:
    """The graph the walk runs on: the karate club, or a graph run of this workspace or the class (its own graph
    file, found again by its content hash, and its labels). Returns (graph, node -> group, None for the karate
    club else the arguments of :func:`run_graph`)."""
    graph, factions = karate()
    karate_groups = {n: value_text("faction", f, lang()) for n, f in factions.items()}  # names in the UI's language
    choices = [c for c in run_choices() if c.capabilities.nodes]
    if not choices:
        return graph, karate_groups, None
    labels = {KARATE: tr("lesson_graph.builtin"), **run_labels(choices)}
    options = [KARATE] + [c.run_id for c in choices]
    shared = on_shared_data(choices)
    first = shared[0].run_id if shared else KARATE
    picked = choice_ui(st.selectbox, tr("lesson.model"), options, "lg_run", labels.__getitem__,
                       index=options.index(first), help=tr("lesson_graph.model_help"))
    if picked == KARATE:
        return graph, karate_groups, None
    choice = next(c for c in choices if c.run_id == picked)
    try:
        run = run_at(Path(choice.path))
        source = run_text_source(run)
        if source is None:
            st.info(tr("lesson_graph.graph_missing", name=md(labels[picked])), icon=":material/info:")
            return graph, karate_groups, None
        data = run.config.get("data") or {}
        key = (source["path"], source["name"], bool(data.get("directed")), run.stamp)
        own = run_graph(*key)
        own_groups = run.labels
    except ExplorerError as exc:  # the reason in the UI's language, and where the walk goes instead
        st.warning(tr("lesson_graph.graph_unreadable", name=md(labels[picked]), error=error_message(exc).rstrip(".。")),
                   icon=":material/warning:")
        return graph, karate_groups, None
    return own, own_groups, key

header_ui(6, "lesson_graph")
graph, groups, own = graph_choice_ui()
if own is None:
    st.caption(tr("lesson_graph.karate"))
    starts = sorted(graph.nodes, key=int)
else:
    starts = graph.nodes[:MAX_STARTS]
    st.caption(tr("lesson_graph.own_graph", nodes=graph.n_nodes, edges=graph.n_edges, shown=len(starts)))
c1, c2, c3 = st.columns(3)
start = c1.selectbox(tr("lesson_graph.start"), starts, key=f"lg_start_{own[0] if own else KARATE}")
length = c2.slider(tr("lesson_graph.length"), 3, 20, 10, key="lg_length")
window = c3.slider(tr("lesson_graph.window"), 1, 5, 2, key="lg_window")
c4, c5, c6 = st.columns(3)
modes = {m: tr(f"lesson_graph.walk_{m}") for m in ("deepwalk", "node2vec")}
walk = c4.radio(tr("lesson_graph.walk"), list(modes), format_func=modes.__getitem__, key="lg_walk")
p = c5.select_slider(tr("lesson_graph.p"), [0.25, 0.5, 1.0, 2.0, 4.0], 1.0, key="lg_p",
                     help=tr("lesson_graph.p_help"), disabled=walk == "deepwalk")
q = c6.select_slider(tr("lesson_graph.q"), [0.25, 0.5, 1.0, 2.0, 4.0], 1.0, key="lg_q",
                     help=tr("lesson_graph.q_help"), disabled=walk == "deepwalk")
if st.button(tr("lesson_graph.seed"), icon=":material/casino:"):
    st.session_state["lg_seed"] = st.session_state.get("lg_seed", 0) + 1
lesson = graph_walk(graph, groups, start, length, window, walk, p, q, seed=st.session_state.get("lg_seed", 0))

if own is None:
    rows, xy, edges = list(range(graph.n_nodes)), karate_layout(), graph.edges
else:
    rows, xy, edges = drawn(*own, tuple(lesson.rows))
    if len(rows) < graph.n_nodes:
        st.caption(tr("lesson_graph.part_drawn", shown=len(rows), nodes=graph.n_nodes))
position = {r: i for i, r in enumerate(rows)}
st.plotly_chart(graph_drawing(np.asarray(xy), np.asarray(edges).reshape(-1, 2), [graph.nodes[r] for r in rows],
                              groups=[groups.get(graph.nodes[r], "") for r in rows] if groups else None,
                              highlight=[position[r] for r in lesson.rows if r in position], height=440,
                              zoom=own is not None),  # a class's graph: start on the walk (its names spread out)
                key="lg_graph")
st.markdown(f"**{tr('lesson_graph.sentence')}**")
st.code(" → ".join(lesson.walk), language=None, wrap_lines=True)
st.markdown(f"**{tr('lesson_graph.pairs', n=len(lesson.pairs), window=window)}**")
st.dataframe(pd.DataFrame(lesson.pairs, columns=[tr("lesson_graph.centre"), tr("lesson_graph.context")]),
             hide_index=True, height=220)
if lesson.same_faction is not None:
    st.info(tr("lesson_graph.same" if own is None else "lesson_graph.same_label", share=lesson.same_faction),
            icon=":material/groups:")
st.caption(tr("lesson_graph.next"))

factions = {n: value_text("faction", f, lang()) for n, f in karate()[1].items()}  # the message-passing part: karate
T = "lesson_graph."
st.subheader(tr(T + "mp_title"), anchor=False)
st.markdown(tr(T + "mp_intro"))
k = karate_messages()
node = st.selectbox(tr(T + "mp_node"), sorted(k.nodes, key=int), index=sorted(k.nodes, key=int).index("0"),
                    key="lg_mp_node")
row = k.nodes.index(node)
groups = [factions[n] for n in k.nodes]
gcn = mp.gcn_step(k.edges, k.features, k.gcn_weights, row)
gat = mp.gat_step(k.gat, k.features, row)
names = [tr(T + "self", node=k.nodes[r]) if r == row else k.nodes[r] for r in gcn.rows]

st.markdown(f"**{tr(T + 'gcn_title')}**")
st.markdown(tr(T + "gcn_explain", node=node, k=len(gcn.rows) - 1))
left, right = st.columns([1, 1])
left.plotly_chart(message_drawing(karate_layout(), k.edges, k.nodes, row, gcn.rows, gcn.coefficients, groups=groups,
                                  title=tr(T + "gcn_fig", node=node), height=420), key="lg_gcn")
right.dataframe(pd.DataFrame({
    tr(T + "col_member"): names, tr(T + "col_degree"): gcn.degrees.astype(int),
    tr(T + "col_coef"): gcn.coefficients.round(3),
    tr(T + "col_message"): [f"({a:+.2f}, {b:+.2f})" for a, b in gcn.messages],
    tr(T + "col_contribution"): [f"({a:+.3f}, {b:+.3f})" for a, b in gcn.contributions]}), hide_index=True, height=380)
st.markdown(tr(T + "gcn_new", node=node, a=gcn.new[0], b=gcn.new[1]))

st.markdown(f"**{tr(T + 'gat_title')}**")
st.markdown(tr(T + "gat_explain", node=node, total=float(gat.weights.sum()), steps=k.gat.steps, acc=k.gat.accuracy))
left, right = st.columns([1, 1])
left.plotly_chart(message_drawing(karate_layout(), k.edges, k.nodes, row, gat.rows, gat.weights, groups=groups,
                                  title=tr(T + "gat_fig", node=node), height=420), key="lg_gat")
right.dataframe(pd.DataFrame({
    tr(T + "col_member"): [tr(T + "self", node=k.nodes[r]) if r == row else k.nodes[r] for r in gat.rows],
    tr(T + "col_faction"): [factions[k.nodes[r]] for r in gat.rows],
    tr(T + "col_score"): gat.scores.round(3), tr(T + "col_attention"): gat.weights.round(3)}),
    hide_index=True, height=380)
st.caption(tr(T + "gat_check", diff=max(1e-9, float(np.abs(gat.weights - gat.layer_weights).max()))))

friends = [r for r in gat.rows if r != row]
if len(friends) < 2:
    st.caption(tr(T + "mp_check_alone", node=node))
else:
    best = mp.strongest(gat.weights, gat.rows, skip=row)
    options = [k.nodes[r] for r in friends][:8]
    if k.nodes[best] not in options:
        options[-1] = k.nodes[best]
    check_ui(f"lg_check_{node}", tr(T + "mp_check_q", node=node), options, options.index(k.nodes[best]),
             tr(T + "mp_check_why", best=k.nodes[best], alpha=float(gat.weights[gat.rows.index(best)]),
                coef=float(gcn.coefficients[gcn.rows.index(best)])))
st.page_link("pages/data.py", label=tr("lesson_graph.go_data"), icon=":material/description:")
