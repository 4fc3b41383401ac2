"""Lesson: a random walk on the karate club is a sentence; its nearby members are Skip-gram pairs; one
message-passing step of a GCN and a GAT layer (computing: explorer.lesson.message_passing)."""

import numpy as np
import pandas as pd
import streamlit as st

from explorer.figures.network import graph_drawing, message_drawing
from explorer.graph.lesson import karate, karate_walk
from explorer.graph.summary import layout
from explorer.i18n import value_text
from explorer.lesson import message_passing as mp
from pages._lesson_ui import check_ui, header_ui
from pages._widgets import lang, tr


@st.cache_data(show_spinner=False)
def karate_layout() -> list[list[float]]:
    return layout(karate()[0], seed=3).tolist()




@st.cache_resource(show_spinner=False)
def karate_messages() -> mp.KarateMessages:
    return mp.karate_messages()


header_ui(6, "lesson_graph")
graph, factions = karate()
factions = {n: value_text("faction", f, lang()) for n, f in factions.items()}  # the factions' names in the UI's language
c1, c2, c3 = st.columns(3)
start = c1.selectbox(tr("lesson_graph.start"), sorted(graph.nodes, key=int), key="lg_start")
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
lesson = karate_walk(start, length, window, walk, p, q, seed=st.session_state.get("lg_seed", 0))

st.plotly_chart(graph_drawing(karate_layout(), graph.edges, graph.nodes,
                              groups=[factions[n] for n in graph.nodes], highlight=lesson.rows, height=440),
                key="lg_graph")
st.markdown(f"**{tr('lesson_graph.sentence')}**")
st.code(" → ".join(lesson.walk), language=None, wrap_lines=True)
st.markdown(f"**{tr('lesson_graph.pairs', n=len(lesson.pairs), window=window)}**")
st.dataframe(pd.DataFrame(lesson.pairs, columns=[tr("lesson_graph.centre"), tr("lesson_graph.context")]),
             hide_index=True, height=220)
st.info(tr("lesson_graph.same", share=lesson.same_faction), icon=":material/groups:")
st.caption(tr("lesson_graph.next"))

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
