"""Explore on a run of documents: semantic search, "more like this", hover text and cluster names.

Thin: the search is :mod:`explorer.documents.search` (the run kept open between searches), cluster names
are :mod:`explorer.analysis.cluster_terms`, hover text :mod:`explorer.documents.display`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path
from typing import Optional

import numpy as np
import pandas as pd
import streamlit as st

from explorer import figures
from explorer.analysis import cluster_terms
from explorer.documents import display
from explorer.documents.search import QUERY_CHARS, DocIndex, Hit, open_index
from explorer.errors import ExplorerError
from explorer.figures import Colouring, Highlight
from explorer.i18n import value_text
from explorer.jobs import workspaces
from explorer.runs import Run
from pages._explore_ui import View, colour_title, colour_values, shown_categories
from pages._safe_ui import md, safe_table
from pages._widgets import cut_query, lang, run_at, show_error, tr, workspace

CLUSTER_COLOURS = ("cluster", "saved:")  # colourings whose groups are clusters: named by their terms


def t(key: str, **values: object) -> str:
    return tr(f"documents_ui.{key}", **values)


def index_of(run: Run) -> DocIndex:
    """The run opened for searching (kept open between searches by :func:`open_index`); visibility checked."""
    return open_index(run_at(run.path).path)


@st.cache_data(max_entries=16, show_spinner=False)
def doc_labels(path: str, stamp_: str) -> tuple[list[str], list[str]]:
    """(hover text, short name) of every document."""
    docs = open_index(run_at(Path(path)).path).docs
    hover = [display.hover_text(ti, tx) for ti, tx in zip(docs.titles, docs.texts, strict=True)]
    names = [display.short_name(ti, tx) for ti, tx in zip(docs.titles, docs.texts, strict=True)]
    return hover, names


@st.cache_data(max_entries=64, show_spinner=False)
def query_vector(path: str, stamp_: str, text: str) -> np.ndarray:
    """The query's vector by the run's kind (E5: ``query: `` prefix; Doc2Vec: inferred), kept per query."""
    return open_index(run_at(Path(path)).path).query_vector(text)


@st.cache_data(max_entries=32, show_spinner=False)
def cluster_names(path: str, stamp_: str, colour: str, n_clusters: int, store: str = "") -> dict[str, str]:
    """Category value (a cluster id) -> the cluster's most distinctive terms, for a clustering colouring."""
    found = colour_values(path, stamp_, colour, n_clusters, False, store)
    if not found or not colour.startswith(CLUSTER_COLOURS):
        return {}
    values = [str(v) for v in found[1]]
    ids = np.array([int(v) if v.lstrip("-").isdigit() else -1 for v in values], dtype=np.int64)
    docs = open_index(run_at(Path(path)).path).docs
    texts = [f"{ti} {tx}".strip() for ti, tx in zip(docs.titles, docs.texts, strict=True)]
    terms = cluster_terms.cluster_terms(texts, ids)
    return {str(c): cluster_terms.cluster_name(ws) for c, ws in terms.items() if ws}


def hits_frame(hits: list[Hit], labels: Sequence[str] = ()) -> pd.DataFrame:
    """Rank (the number beside the document on the map), score, title (when the documents have titles), label (when
    they have labels: ``labels``, one per row of the run), text."""
    frame = {t("col_rank"): [h.rank for h in hits], t("col_score"): [round(h.score, 3) for h in hits]}
    if any(h.title for h in hits):
        frame[t("col_title")] = [h.title for h in hits]
    if any(labels):
        frame[t("col_label")] = [value_text("category", labels[h.row], lang()) for h in hits]
    frame[t("col_text")] = [h.text for h in hits]
    return pd.DataFrame(frame)


def ranked_marks(names: list[str], query: Optional[int], rows: list[int]) -> list[str]:
    """What is written on the map: the picked document's short name and each result's rank (the tables'
    first column); nothing for the other documents (their hover box names them)."""
    return display.rank_marks(len(names), rows, names[query] if query is not None else "", query)


def search_ui(run: Run, names: list[str], results: object) -> tuple[Highlight, int]:
    """The query box and k; in the container ``results`` the results and "more like this" for one of them.
    Returns the chart's highlight."""
    c1, c2 = st.columns([4, 1], vertical_alignment="bottom")
    text = c1.text_input(t("search"), key="ex_query", max_chars=QUERY_CHARS, bind="query-params",  # kept on reload
                         placeholder=t("search_placeholder"), help=t("search_help"))
    with c1:
        text = cut_query(text, QUERY_CHARS).strip()
    k = c2.slider(t("k"), 1, 50, 10, key="ex_k", bind="query-params")
    if not text:
        return Highlight(), k
    try:
        index = index_of(run)
        with st.spinner(t("searching")):
            vector = query_vector(str(run.path), run.stamp, text)
        hits = index.hits(*index.nearest(vector, k))
    except ExplorerError as exc:
        show_error(exc)
        return Highlight(), k
    with results:
        st.markdown(t("results", k=len(hits), query=md(text)))
        safe_table(hits_frame(hits, index.docs.labels), hide_index=True, border="horizontal")
        rows = [h.row for h in hits]
        picked = like_picker_ui(rows, names, text)
        if picked is None:
            return Highlight(neighbors=rows, lines=False, fan=False), k
        like_rows, like_scores = index.like([picked], k)
        st.markdown(t("like_results", k=len(like_rows), doc=md(names[picked])))
        safe_table(hits_frame(index.hits(like_rows, like_scores), index.docs.labels), hide_index=True,
                   border="horizontal")
    return Highlight(queries=[picked], neighbors=[int(r) for r in like_rows], fan=False), k


def like_picker_ui(rows: list[int], names: list[str], query: str) -> Optional[int]:
    """A select box of the results: the picked document, or None."""
    options = [-1, *rows]
    labels = {-1: t("like_none"), **{r: f"{i}. {names[r]}" for i, r in enumerate(rows, 1)}}
    digest = hashlib.sha1(f"{query}|{rows}".encode()).hexdigest()[:10]  # new results: a new box
    picked = st.selectbox(t("like"), options, format_func=labels.__getitem__, key=f"ex_like_{digest}",
                          help=t("like_help"))
    return None if picked is None or picked < 0 else int(picked)


def selection_ui(run: Run, names: list[str], rows: list[int], k: int) -> None:
    """More like the documents selected on the map (or in the table of points)."""
    index = index_of(run)
    like_rows, like_scores = index.like(rows, k)
    if not len(like_rows):
        return
    if len(rows) == 1:
        st.markdown(t("like_results", k=len(like_rows), doc=md(names[rows[0]])))
    else:
        st.markdown(t("like_selection", k=len(like_rows), n=len(rows)))
    safe_table(hits_frame(index.hits(like_rows, like_scores), index.docs.labels), hide_index=True, border="horizontal")


def scatter(run: Run, coords: np.ndarray, hover: list[str], names: list[str], view: View,
            highlight: Highlight) -> tuple[object, int]:
    """The map of the documents: hover shows the title and text, marked points their short name, and when the
    colour is a clustering each cluster is named by its terms (legend and, in 2-D, on the map)."""
    store = str(workspaces.derived_dir(workspace(), run.path))
    colour = colour_values(str(run.path), run.stamp, view.colour, view.n_clusters, False, store)
    colouring = None
    terms: dict[str, str] = {}
    if colour:
        values = shown_categories(colour)
        terms = cluster_names(str(run.path), run.stamp, view.colour, view.n_clusters, store) if colour[0] == "category" else {}
        if terms:
            values = [f"{v}: {terms[v]}" if v in terms else v for v in values]
        colouring = Colouring(colour[0], values, colour_title(view.colour))
    rows = figures.sample_rows(len(coords), figures.MAX_POINTS, seed=0, keep=[*highlight.queries, *highlight.neighbors])
    query = highlight.queries[0] if highlight.queries else None
    marks = ranked_marks(names, query, [r for r in highlight.neighbors if r != query])
    fig = figures.embedding_scatter(coords, hover, colouring=colouring, highlight=highlight, rows=rows, marks=marks,
                                    uirevision=f"{run.run_id}-{view.method}-{view.dims}")
    if terms and view.dims == 2 and colouring is not None:
        shown = np.asarray(colouring.values, dtype=object)[rows]
        figures.cluster_labels(fig, np.asarray(coords)[rows], list(shown), {f"{c}: {n}": n for c, n in terms.items()})
    return fig, len(rows)
