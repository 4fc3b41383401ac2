"""Lesson step 1: from text to training data (cleaning, segmentation, vocabulary, pairs, subsampling, negatives)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from explorer.errors import ExplorerError
from explorer.figures.lesson import distribution_bars
from explorer.i18n import value_text
from explorer.lesson import text_steps as ts
from explorer.samples.files import sample_files
from pages._lesson_ui import check_ui, header_ui, lesson_run_ui, run_text_source, try_it_ui
from pages._widgets import MAX_QUERY, cut_query, lang, tr

header_ui(1, "lesson_text")
run = lesson_run_ui(sample_only="lesson.sample_only_words")  # own models, none of words: say so


@st.cache_data(max_entries=8, show_spinner=False)
def head_lines(path: str, name: str) -> list[str]:
    try:
        return ts.raw_head(Path(path), 6, name)
    except (ExplorerError, OSError):
        return []


# the chosen run's own text when it is an upload (or the sample), else the Data page's choice, else the sample
data = (run_text_source(run) or st.session_state.get("data_text")
        or {"path": str(sample_files().corpus), "name": "sample_corpus.txt"})
st.caption(tr("lesson_text.lines_from", name=data["name"]))
start = "\n".join(head_lines(data["path"], data["name"]) + list(ts.DEMO_LINES))
lines = st.text_area(tr("lesson_text.lines"), start, height=200, key=f"lt_lines_{data['name']}").splitlines()

st.subheader(tr("lesson_text.clean_title"), anchor=False)
steps = ts.cleaning_steps(lines)
for step in steps:
    with st.expander(tr(f"lesson_text.step_{step.name}"), expanded=step.name in ("html", "urls", "dedupe")):
        st.dataframe(pd.DataFrame({tr("lesson_text.line"): step.lines}), hide_index=False)
        if step.name != "raw":
            st.text(tr("lesson_text.removed", items=" · ".join(step.removed)) if step.removed
                    else tr("lesson_text.removed_none"))
clean = steps[-1].lines

st.subheader(tr("lesson_text.tokens_title"), anchor=False)
resolved, tokens = ts.tokenize(clean) if clean else ("en", [])
st.caption(tr("lesson_text.tokens_lang", lang=value_text("language", resolved, lang())))
if st.toggle(tr("lesson_text.stopwords"), value=False, key="lt_stop"):
    tokens, removed = ts.without_stopwords(tokens)
    st.text(tr("lesson_text.stop_removed", items=" ".join(removed) or "–"))
st.dataframe(pd.DataFrame({tr("lesson_text.line"): clean, tr("lesson_text.tokens"): [" | ".join(t) for t in tokens]}))

st.subheader(tr("lesson_text.vocab_title"), anchor=False)
min_count = st.slider(tr("lesson_text.min_count"), 1, 5, 2, key="lt_mc")
vocab = ts.vocabulary(tokens, min_count)
st.markdown(tr("lesson_text.vocab_explain", kept=sum(k for *_, k in vocab), total=len(vocab),
               mc=run.settings.min_count, v=len(run.tokens), name=value_text("run_name", run.name, lang())))
st.dataframe(pd.DataFrame(vocab, columns=[tr("lesson_text.word"), tr("lesson_text.count"), tr("lesson_text.kept")]),
             height=220)

st.subheader(tr("lesson_text.pairs_title"), anchor=False)
sentence = cut_query(st.text_input(tr("lesson_text.sentence"), tr("lesson_text.sentence_default"), key=f"lt_sentence_{lang()}",
                                   max_chars=MAX_QUERY))
words = ts.tokenize([sentence])[1][0] if sentence.strip() else []
if len(words) < 2:
    st.info(tr("lesson_text.empty_sentence"))
    st.stop()
c1, c2, c3 = st.columns([2, 2, 1], vertical_alignment="bottom")
window = c1.slider(tr("lesson_text.window"), 1, 5, 2, key="lt_window")
shrink = c2.toggle(tr("lesson_text.shrink"), value=False, help=tr("lesson_text.shrink_help"), key="lt_shrink")
if c3.button(tr("lesson_text.draw_again"), key="lt_redraw"):
    st.session_state["lt_seed"] = st.session_state.get("lt_seed", 0) + 1
seed = st.session_state.get("lt_seed", 0)
wins = ts.reduced_windows(len(words), window, seed) if shrink else None
pairs = ts.sentence_pairs(words, window, wins)
st.caption(tr("lesson_text.pairs_explain", n=len(pairs)))
st.dataframe(pd.DataFrame([(p.centre, p.context, p.distance, p.window) for p in pairs], columns=[
    tr("lesson_text.centre"), tr("lesson_text.context"), tr("lesson_text.distance"), tr("lesson_text.its_window")]),
    height=240)

st.subheader(tr("lesson_text.sub_title"), anchor=False)
sample = float(run.settings.sample)
st.markdown(tr("lesson_text.sub_explain", s=sample))
counts = dict(zip(run.tokens, run.counts.tolist(), strict=True))
keep = ts.keep_probabilities(words, counts, sample)
st.dataframe(pd.DataFrame({tr("lesson_text.word"): words, tr("lesson_text.in_vocab"): [counts.get(w, 0) for w in words],
                           tr("lesson_text.keep_prob"): [round(p, 3) for p in keep]}))

st.subheader(tr("lesson_text.neg_title"), anchor=False)
st.markdown(tr("lesson_text.neg_explain"))
k = st.slider(tr("lesson_text.k"), 1, 15, 5, key="lt_k")
negs = ts.draw_negatives(run.counts, k, seed)
st.text(tr("lesson_text.drawn", c=pairs[0].centre, o=pairs[0].context, words=", ".join(run.tokens[i] for i in negs)))
table = ts.negative_table(run.tokens, run.counts)
st.plotly_chart(distribution_bars([t for t, *_ in table], {tr("lesson_text.unigram"): [u for _, u, _ in table],
                                                            tr("lesson_text.unigram75"): [n for *_, n in table]},
                                  title=tr("lesson_text.dist_title")), key="lt_dist")

n5 = len(ts.sentence_pairs(list("abcde"), 2))
check_ui("lt_check", tr("lesson_text.check_q"), ["8", "14", "20"], ["8", "14", "20"].index(str(n5)),
         tr("lesson_text.check_why", n=n5))
try_it_ui("pages/data.py", ":material/description:", step=1)
