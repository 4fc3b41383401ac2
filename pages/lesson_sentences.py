"""Lesson step 7: from words to sentences (average, SIF, Doc2Vec, a pretrained encoder; semantic search)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import streamlit as st

from explorer.errors import ExplorerError
from explorer.figures.sentences import cosine_heatmap, pair_name
from explorer.kinds import run_kind
from explorer.lesson import sentences as ls
from explorer.lesson.text_steps import raw_head
from explorer.lesson.watch import content_words
from explorer.samples.sentences import sample_sentences
from pages._lesson_ui import check_ui, header_ui, lesson_run_ui, run_text_source, try_it_ui
from pages._safe_ui import md
from pages._widgets import MAX_QUERY, choice_ui, cut_query, lang, run_at, run_choices, show_error, tr

T = "lesson_sentences."
header_ui(7, "lesson_sentences")
run = lesson_run_ui(sample_only="lesson.sample_only_words")  # own models, none of words: say so
words = ls.WordRun.of(run)

doc_choices = {c.path: c.label for c in run_choices() if c.capabilities.documents}
options = ["", *doc_choices]
labels = {"": tr(T + "documents_none"), **doc_choices}
left, right = st.columns([3, 2], vertical_alignment="bottom")
doc_path = choice_ui(left.selectbox, tr(T + "documents_run"), options, "ls_docs", labels.__getitem__,
                     help=tr(T + "documents_help"))  # one box per language (its labels are translated): kept across
use_e5 = right.toggle(tr(T + "use_e5"), value=True, key="ls_e5")
doc_run = run_at(Path(doc_path)) if doc_path else None


@st.cache_data(max_entries=16, show_spinner=False)
def sentence_lines(path: str, name: str) -> list[str]:
    try:
        return ls.class_sentences(raw_head(Path(path), 4 * ls.MAX_SENTENCES, name))
    except (ExplorerError, OSError):
        return []


@st.cache_data(max_entries=16, show_spinner=False)
def document_vectors(path: str, texts: tuple[str, ...]) -> np.ndarray:
    return ls.documents_run_vectors(Path(path), list(texts))


# the class's sentences: the word run's own text (an upload or the sample), else the bundled sentences
source = run_text_source(run)
corpus = sentence_lines(source["path"], source["name"]) if source else []
corpus_name = source["name"] if source and corpus else "sample_sentences.csv"
corpus = corpus or [row[3] for row in sample_sentences()]
reference = ls.tokens_of(corpus)

st.subheader(tr(T + "pairs_title"), anchor=False)
first_pairs = ls.starting_pairs(lang(), words.index, corpus, reference)
if first_pairs == list(ls.DEFAULT_PAIRS.get(lang(), ls.DEFAULT_PAIRS["en"])):
    st.caption(tr(T + "pairs_explain"))
else:  # the run knows too few words of the usual pairs: they come from its own text, and say so
    st.caption(tr(T + "pairs_explain_own", name=md(corpus_name)))
start = "\n".join(f"{a} | {b}" for a, b in first_pairs)
text = st.text_area(tr(T + "pairs"), start, height=120, key=f"ls_pairs_{lang()}_{run.run_id}")  # per run: its pairs
pairs = [tuple(cut_query(s).strip() for s in line.split("|", 1)) for line in text.splitlines() if "|" in line]
pairs = [p for p in pairs if p[0] and p[1]][:8]
if not pairs:
    st.info(tr(T + "no_pairs"))
    st.stop()
texts = [s for p in pairs for s in p]
tokens = ls.tokens_of(texts)


def vectors_of(method: str, these: list[str], these_tokens: list[list[str]]) -> np.ndarray:
    if method in ls.WORD_METHODS:
        return words.vectors_of(method, these_tokens, reference)
    if method == "documents":
        return document_vectors(doc_path, tuple(these))
    with st.spinner(tr(T + "method_e5")):
        return ls.e5_vectors(these)


method_names = {"average": tr(T + "method_average"), "sif": tr(T + "method_sif"), "e5": tr(T + "method_e5")}
if doc_run is not None:
    method_names["documents"] = tr(T + "method_documents", name=tr(run_kind(doc_run.kind).label_key))
methods = [m for m in ls.METHODS if m in method_names and (m != "e5" or use_e5)]
cosines: dict[str, list[float]] = {}
for m in methods:
    try:
        cosines[m] = ls.pair_cosines(vectors_of(m, texts, tokens))
    except ExplorerError as exc:
        show_error(exc)
shown = [m for m in methods if m in cosines]
st.plotly_chart(cosine_heatmap([method_names[m] for m in shown], [pair_name(i + 1, a, b) for i, (a, b) in enumerate(pairs)],
                               np.array([cosines[m] for m in shown]), title=tr(T + "heat_title"),
                               colour_title=tr(T + "cosine"),
                               hover=[f"{i + 1}. {a} / {b}" for i, (a, b) in enumerate(pairs)]), key="ls_heat")
unknown = sorted({t for toks in tokens for t in toks if t not in words.index})
if unknown:
    st.caption(tr(T + "unknown", words=md(", ".join(unknown[:30]))))
for i, same in enumerate(ls.same_words(tokens)):
    if same and "average" in cosines and np.isfinite(cosines["average"][i]):
        st.caption(tr(T + "same_words", n=i + 1, cos=cosines["average"][i]))
st.markdown(tr(T + "explain"))

check = ls.furthest_apart(cosines)
if check is not None:
    a, b = pairs[check.pair]
    values = ", ".join(f"{method_names[m]} {v:.3f}" for m, v in zip(check.options, check.values, strict=True))
    check_ui(f"ls_check_{lang()}", tr(T + "check_q", n=check.pair + 1, a=md(a), b=md(b)),
             [method_names[m] for m in check.options], check.answer, tr(T + "check_why", values=values))

st.subheader(tr(T + "search_title"), anchor=False)
st.caption(tr(T + "search_explain", n=len(corpus), name=md(corpus_name)))
c1, c2 = st.columns([3, 2])
default_query = tr(T + "query_default")
if source and corpus and not any(w in run.index for w in ls.tokens_of([default_query])[0]):
    default_query = next(iter(content_words(list(run.tokens), 1)), default_query)  # the class's novel has no 动物
query = cut_query(c1.text_input(tr(T + "query"), default_query,
                                key=f"ls_query_{lang()}_{run.run_id}",  # another run: its own starting query
                                max_chars=MAX_QUERY)).strip()
method = choice_ui(c2.selectbox, tr(T + "search_method"), shown, "ls_search_method", method_names.__getitem__,
                   index=len(shown) - 1)
if query and method:
    try:
        hits = ls.nearest(vectors_of(method, [query], ls.tokens_of([query]))[0], vectors_of(method, corpus, reference),
                          5)
        st.dataframe(pd.DataFrame([(r + 1, corpus[i], round(s, 3)) for r, (i, s) in enumerate(hits)],
                                  columns=[tr(T + "rank"), tr(T + "sentence"), tr(T + "score")]), hide_index=True)
    except ExplorerError as exc:
        show_error(exc)
try_it_ui("pages/explore.py", ":material/explore:", step=7)
