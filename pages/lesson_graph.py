"""Lesson: a random walk on the karate club is a sentence; its nearby members are Skip-gram pairs."""

import pandas as pd
import streamlit as st

from explorer.figures.network import graph_drawing
from explorer.graph.lesson import karate, karate_walk
from explorer.graph.summary import layout
from pages._widgets import tr


@st.cache_data(show_spinner=False)
def karate_layout() -> list[list[float]]:
    return layout(karate()[0], seed=3).tolist()


st.title(tr("lesson_graph.title"), anchor=False)
st.caption(tr("lesson_graph.intro"))
graph, factions = karate()
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
st.page_link("pages/data.py", label=tr("lesson_graph.go_data"), icon=":material/description:")
