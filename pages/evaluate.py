"""Evaluate: word similarity, analogies and odd-one-out for word models; HR/NDCG/MRR for recommenders;
link prediction, node classification and clusters against labels for graphs; label prediction beside a TF-IDF
baseline, clusters against labels and rated pairs for documents."""

import streamlit as st

from pages._evaluate_documents_ui import documents_eval_ui
from pages._evaluate_ranking_ui import ranking_ui
from pages._evaluate_words_ui import word_tests_ui
from pages._graph_eval_ui import graph_eval_ui
from pages._widgets import require_run_ui, tr

st.title(tr("evaluate.title"), anchor=False)
st.caption(tr("evaluate.intro"))
run = require_run_ui()
if run.capabilities.graph:  # link prediction, node classification, clusters against labels
    graph_eval_ui(run)
elif run.capabilities.documents:  # label prediction beside the TF-IDF baseline, clusters, rated pairs
    documents_eval_ui(run)
elif run.capabilities.users:
    ranking_ui(run)
else:
    word_tests_ui(run)
