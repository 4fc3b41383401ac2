"""Evaluate: word similarity, analogies and odd-one-out for word models; HR/NDCG/MRR for recommenders."""

import streamlit as st

from pages._evaluate_ranking_ui import ranking_ui
from pages._evaluate_words_ui import word_tests_ui
from pages._widgets import require_run_ui, tr

st.title(tr("evaluate.title"), anchor=False)
st.caption(tr("evaluate.intro"))
run = require_run_ui()
if run.capabilities.users:
    ranking_ui(run)
else:
    word_tests_ui(run)
