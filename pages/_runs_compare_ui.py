"""Runs page, "Compare two": neighbourhood overlap and the aligned maps (computing: explorer.analysis.compare).
Runs of documents compare with runs of documents over the same documents (matched by id)."""

from pathlib import Path

import pandas as pd
import streamlit as st

from explorer import figures
from explorer.analysis import compare
from explorer.errors import ExplorerError
from explorer.figures import Colouring, Highlight, charts
from explorer.i18n import value_text
from explorer.runs import Run, manage
from pages._widgets import lang, run_at, run_choices, show_error, tr

HIGHLIGHTED = 8  # most changed words labelled on the aligned charts



@st.cache_data(max_entries=16, show_spinner=False)
def overlap(path_a: str, stamp_a: str, path_b: str, stamp_b: str, k: int, max_words: int) -> dict:
    return compare.overlap_summary(run_at(Path(path_a)), run_at(Path(path_b)), k, max_words)



@st.cache_data(max_entries=8, show_spinner=False)
def aligned(path_a: str, stamp_a: str, path_b: str, stamp_b: str, words: tuple[str, ...]) -> compare.AlignedPair:
    """B rotated onto A on all shared words, then one PCA of both (:func:`explorer.analysis.compare.aligned_pair`)."""
    return compare.aligned_pair(run_at(Path(path_a)), run_at(Path(path_b)), words)



def shared_count(path_a: str, path_b: str) -> int:
    return len(compare.shared_rows(run_at(Path(path_a)), run_at(Path(path_b)))[0])



def doc_tr(run: Run, key: str, **values: object) -> str:
    """The documents' wording of a Runs-page string for a run of documents, else the words' one."""
    return tr(f"runs_documents.{key}" if run.capabilities.documents else f"runs.{key}", **values)



def doc_names(run: Run, ids: list[str]) -> list[str]:
    """What a table or a point shows for each row: the document's id and its text for a run of documents."""
    if not run.capabilities.documents:
        return ids
    docs, index = run.documents, run.index
    return [f"{i} — {docs.hover(index[i])[:80]}" for i in ids]



def html_button(fig: object, name: str, which: str, key: str) -> None:
    st.download_button(tr("runs.html", which=which), data=lambda: charts.figure_html(fig, name),
                       file_name=f"{name}.html", mime="text/html", on_click="ignore", icon=":material/html:", key=key)



def aligned_ui(run_a: Run, run_b: Run, frame: pd.DataFrame) -> None:
    st.subheader(tr("runs.aligned_title"), anchor=False)
    dim_a, dim_b = int(run_a.vectors.shape[1]), int(run_b.vectors.shape[1])
    if dim_a != dim_b:
        st.info(tr("runs.dims_differ", a=dim_a, b=dim_b), icon=":material/info:")
        return
    words = tuple(sorted(frame["word"], key=lambda w: run_a.index[w]))  # the compared words, in A's order
    try:
        result = aligned(str(run_a.path), run_a.stamp, str(run_b.path), run_b.stamp, words)
    except ExplorerError as exc:
        show_error(exc)
        return
    st.caption(doc_tr(run_a, "aligned_caption", residual=result.residual))
    changed = set(frame["word"].head(HIGHLIGHTED))
    rows = [i for i, w in enumerate(words) if w in changed]
    colouring = Colouring("category", [value_text("category", run_a.labels.get(w, ""), lang()) for w in words], tr("runs.colour_label")) \
        if run_a.labels else None
    left, right = st.columns(2)
    for col, key, run, coords in ((left, "a", run_a, result.a), (right, "b", run_b, result.b)):
        fig = figures.embedding_scatter(coords, doc_names(run_a, list(words)), colouring=colouring,
                                        highlight=Highlight(queries=rows, lines=False, width_px=420.0),
                                        title=f"{tr(f'runs.run_{key}')}: {run.name}", height=480,
                                        uirevision=f"cmp-{key}")
        col.plotly_chart(fig, key=f"cmp_chart_{key}")
        with col:
            html_button(fig, f"aligned-{key}-{manage.download_stem(run)}", tr(f"runs.run_{key}"), f"cmp_html_{key}")
    st.caption(tr("runs.png_caption"))



def compare_section() -> None:
    choices = run_choices()
    if len(choices) < 2:
        st.info(tr("runs.compare_need"), icon=":material/info:")
        return
    labels = {c.path: c.label for c in choices}
    rows_of = {c.path: "documents" if c.capabilities.documents else "items" if c.capabilities.users
               else "nodes" if c.capabilities.nodes else "words"
               for c in choices}  # words with words, nodes with nodes, documents with documents
    c1, c2 = st.columns(2)
    # start on the newest run that has a partner of its rows (word runs first), not on a graph beside a corpus
    paired = [i for i, c in enumerate(choices) if sum(rows_of[o.path] == rows_of[c.path] for o in choices) >= 2]
    first = next((i for i in paired if rows_of[choices[i].path] == "words"), paired[0] if paired else 0)
    want = st.session_state.pop("cmp_want", None)  # two runs chosen elsewhere (the teacher's dashboard)
    if want and all(p in labels for p in want):
        st.session_state.pop("cmp_a", None)
        st.session_state.pop("cmp_b", None)
        first = list(labels).index(want[0])
    path_a = c1.selectbox(tr("runs.run_a"), list(labels), format_func=labels.__getitem__, index=first, key="cmp_a")
    partner = next((i for i, c in enumerate(choices) if c.path != path_a and rows_of[c.path] == rows_of[path_a]),
                   next(i for i, c in enumerate(choices) if c.path != path_a))
    if want and all(p in labels for p in want):
        partner = list(labels).index(want[1])
    path_b = c2.selectbox(tr("runs.run_b"), list(labels), format_func=labels.__getitem__, index=partner, key="cmp_b")
    if path_a == path_b:
        st.warning(tr("runs.same_run"), icon=":material/warning:")
        return
    if rows_of[path_a] != rows_of[path_b]:
        st.warning(tr("runs_documents.rows_differ", a=tr(f"runs_documents.rows={rows_of[path_a]}"),
                      b=tr(f"runs_documents.rows={rows_of[path_b]}")), icon=":material/warning:")
        return
    run_a, run_b = run_at(Path(path_a)), run_at(Path(path_b))
    if shared_count(path_a, path_b) < 3:
        st.warning(doc_tr(run_a, "no_shared_docs") if run_a.capabilities.documents else tr("runs.no_shared"),
                   icon=":material/warning:")
        return
    c3, c4 = st.columns(2)
    k = c3.slider(tr("runs.k"), 1, 50, 10, key="cmp_k", help=doc_tr(run_a, "k_help"))
    max_words = c4.select_slider(tr("runs_documents.max_docs") if run_a.capabilities.documents else tr("runs.max_words"),
                                 [100, 500, 1000, 2000, 5000], value=1000, key="cmp_words")
    try:
        with st.spinner(tr("runs.comparing")):
            result = overlap(path_a, run_a.stamp, path_b, run_b.stamp, k, max_words)
    except ExplorerError as exc:
        show_error(exc)
        return
    frame, k = result["frame"], result["k"]
    st.caption(tr("runs_documents.shared_docs" if run_a.capabilities.documents else "runs.shared",
                  n=result["n_shared"], a=result["n_a"], b=result["n_b"], m=len(frame)))
    m1, m2 = st.columns(2)
    m1.metric(tr("runs.mean_jaccard", k=k), f"{frame['jaccard'].mean():.3f}")
    m1.caption(doc_tr(run_a, "mean_jaccard_help"))
    m2.metric(doc_tr(run_a, "identical"), f"{(frame['jaccard'] == 1.0).mean():.0%}")
    left, right = st.columns([3, 2])
    with left:
        st.markdown(f"**{doc_tr(run_a, 'changed_title')}**")
        shown = frame.head(200)
        if run_a.capabilities.documents:  # ids with their text
            shown = shown.assign(word=doc_names(run_a, list(shown["word"])))
        st.dataframe(shown.rename(columns={
            "word": tr("runs_documents.col_doc") if run_a.capabilities.documents else tr("runs.col_word"),
            "jaccard": tr("runs.col_jaccard"), "neighbors_a": tr("runs.col_nn_a"),
            "neighbors_b": tr("runs.col_nn_b")}).round(3), hide_index=True, height=320)
    right.plotly_chart(charts.histogram(frame["jaccard"], x_title=doc_tr(run_a, "hist_x"),
                                        y_title=doc_tr(run_a, "hist_y")), key="cmp_hist")
    aligned_ui(run_a, run_b, frame)
