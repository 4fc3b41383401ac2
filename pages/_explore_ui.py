"""Widget helpers and cached look-ups of the Explore page (thin: all computing is in explorer/).

Cached functions take plain values (run path, a stamp, parameters) and return small arrays; the
vectors themselves stay memory-mapped in the run directory (see ``_widgets.open_run``).
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import numpy as np
import pandas as pd
import streamlit as st

from explorer import figures, jobs
from explorer.analysis import colouring, neighbors, projection
from explorer.analysis.neighbors import METRICS
from explorer.errors import ExplorerError
from explorer.figures import Colouring, Highlight
from explorer.i18n import value_text
from explorer.jobs import workspaces
from explorer.recsys import recommend
from explorer.runs import Run, manage
from pages._safe_ui import md, safe_table
from pages._widgets import MAX_QUERY, choice_ui, cut_query, follow_job_ui, lang, run_at, show_error, tr, workspace

METHODS = tuple(projection.PROJECTION_METHODS)


def stamp(run: Run) -> str:
    """Changes when a run file is replaced: part of every cache key."""
    return run.stamp


@dataclass(frozen=True)
class View:
    """What the chart shows (plain values, so they can key caches)."""

    method: str
    dims: int
    params: tuple  # sorted (name, value) pairs of the method's parameters
    colour: str
    n_clusters: int
    users: bool


# --------------------------------------------------------------------------- cached look-ups


class NotReady(Exception):
    """A projection that is not computed yet (raised, so that st.cache_data does not keep it)."""


IN_PAGE_TSNE_MAX = 5000  # users + items are projected in the page: t-SNE only up to this many points


@st.cache_data(max_entries=64, show_spinner=False)
def load_coords(path: str, stamp_: str, method: str, dims: int, params: tuple, users: bool,
                store: Optional[str] = None) -> np.ndarray:
    """Projected coordinates (n, dims) float32; items then users when ``users``.

    PCA is computed here when missing (a fraction of a second); t-SNE and UMAP of a run's vectors
    are only loaded from the run's projection cache (a projection job fills it): else NotReady.
    """
    run = run_at(Path(path))
    if users:  # users and items in one space, projected together (user-item runs only)
        if method == "umap" or (method == "tsne" and len(run.items) + len(run.users) > IN_PAGE_TSNE_MAX):
            raise NotReady()
        both = np.vstack([np.asarray(run.items), np.asarray(run.users)]).astype(np.float32)
        return projection.project(both, method, dims, **dict(params))
    extra = {"store": Path(store)} if store is not None else {}  # a run this viewer does not own: its viewers' cache
    if method != "pca" and projection.cached_projection_file(run, method, dims, **extra, **dict(params)) is None:
        raise NotReady()
    return np.asarray(projection.cached_projection(Path(path), method, dims, **extra, **dict(params)), dtype=np.float32)


@st.cache_data(max_entries=16, show_spinner=False)
def point_labels(path: str, stamp_: str, users: bool) -> list[str]:
    """Hover label per point: token, or item title (id when there is none), then "user <id>"."""
    run = run_at(Path(path))
    labels = list(run.display_labels)
    if users:
        labels += [f"user:{u}" for u in run.user_ids]
    return labels


def colour_options(run: Run, users: bool) -> list[str]:
    return colouring.colour_options(run, users, workspaces.derived_dir(workspace(), run.path))


@st.cache_data(max_entries=32, show_spinner=False)
def colour_values(path: str, stamp_: str, colour: str, n_clusters: int, users: bool, store: str = "") -> Optional[tuple]:
    """(kind, values) for :class:`Colouring`, or None for no colouring (:mod:`explorer.analysis.colouring`).

    ``store``: where this viewer keeps its clusterings of the run (:func:`explorer.jobs.workspaces.derived_dir`)."""
    return colouring.colour_values(run_at(Path(path)), colour, n_clusters, users, Path(store) if store else None)


def colour_title(colour: str) -> str:
    if colour == f"meta:{colouring.GENRE}":
        return tr("explore.colour_genre")
    if colour.startswith("meta:"):
        return colour[5:]
    if colour.startswith("saved:"):
        return tr("explore.colour_saved", name=colour[6:])
    return tr(f"explore.colour_{colour}")


def shown_categories(colour: tuple) -> object:
    """A colouring's values as the UI shows them: the sample's category names (and item/user) in the UI's
    language; numbers and user data unchanged."""
    kind, values = colour
    return [value_text("category", v, lang()) for v in values] if kind == "category" else values


# --------------------------------------------------------------------------- widgets


def view_ui(run: Run) -> View:
    """Projection method, dimensions, parameters and colouring."""
    c1, c2, c3, c4 = st.columns([3, 2, 3, 2], vertical_alignment="bottom")
    method = c1.segmented_control(tr("explore.method"), METHODS, format_func=lambda m: tr(f"explore.m_{m}"),
                                  default="pca", required=True, key="ex_method", bind="query-params")
    dims = c2.segmented_control(tr("explore.dims"), [2, 3], format_func=lambda d: f"{d}D", default=2,
                                required=True, key="ex_dims", bind="query-params")
    users = run.capabilities.users and c4.toggle(tr("explore.users"), key="ex_users", help=tr("explore.users_help"))
    options = colour_options(run, users)
    colour = choice_ui(c3.selectbox, tr("explore.colour"), options, f"ex_colour_{run.kind}_{users}", colour_title)
    params: dict = {}
    n_clusters = 8
    with st.expander(tr("explore.settings")):
        p1, p2, p3 = st.columns(3)
        if method == "tsne":
            params["perplexity"] = p1.slider(tr("explore.perplexity"), 2, 100, 30, help=tr("explore.perplexity_help"),
                                             key="ex_perplexity", bind="query-params")
        if method == "umap":
            params["n_neighbors"] = p1.slider(tr("explore.n_neighbors"), 2, 100, 15, help=tr("explore.n_neighbors_help"),
                                              key="ex_n_neighbors", bind="query-params")
            params["min_dist"] = p2.slider(tr("explore.min_dist"), 0.0, 0.99, 0.1, 0.01, help=tr("explore.min_dist_help"),
                                           key="ex_min_dist", bind="query-params")
        if colour == "cluster":
            n_clusters = p3.slider(tr("explore.n_clusters"), 2, 40, 8, key="ex_n_clusters", bind="query-params")
    return View(method, int(dims), tuple(sorted(params.items())), colour, n_clusters, bool(users))


def coords_ui(run: Run, view: View) -> Optional[np.ndarray]:
    """The coordinates, or None while a projection job computes them (its progress is shown)."""
    store = workspaces.projection_store(workspace(), run.path)  # None for the workspace's own runs
    args = (str(run.path), stamp(run), view.method, view.dims, view.params, view.users,
            str(store) if store is not None else None)
    try:
        with st.spinner(tr("explore.projecting")):
            return load_coords(*args)
    except NotReady:
        pass
    except ExplorerError as exc:
        show_error(exc)
        return None
    if view.users:
        st.info(tr("explore.users_pca_only"))
        return None
    last = last_projection_job(run, view)
    if last is None or last.active or st.button(tr("explore.projection_again"), icon=":material/replay:"):
        try:  # an identical queued or running projection is not queued twice
            job_id = jobs.submit_projection(str(run.path), view.method, view.dims, dict(view.params), workspace())
        except ExplorerError as exc:
            show_error(exc)
            return None
        st.info(tr("explore.projection_running", method=tr(f"explore.m_{view.method}")), icon=":material/hourglass_top:")
        follow_job_ui(job_id, compact=True)
        return None
    # the last identical projection ended without a usable result: say so, never resubmit in a loop
    if last.state == "failed":
        st.error(tr("explore.projection_failed", error=md(last.error or "?")), icon=":material/error:")
    elif last.state == "cancelled":
        st.warning(tr("explore.projection_cancelled"), icon=":material/stop_circle:")
    else:
        st.error(tr("explore.projection_missing"), icon=":material/error:")
    return None


def last_projection_job(run: Run, view: View) -> Optional[jobs.JobInfo]:
    """This workspace's latest projection job for exactly this run, method and parameters."""
    return jobs.latest_projection(workspace(), str(run.path), view.method, view.dims, dict(view.params))


def find_row(run: Run, labels: list[str], text: str) -> Optional[int]:
    """Row of a token (or, for user-item runs, an item id or title), or None."""
    text = text.strip()
    if text in run.index:
        return run.index[text]
    folded = text.casefold()
    if folded in run.index:
        return run.index[folded]
    if not run.capabilities.users and (row := neighbors.query_row(run, text)) is not None:  # stems, lemmas, phrases
        return row
    for i, label in enumerate(labels[: len(run.tokens)]):
        if label.casefold() == folded:
            return i
    return None


def neighbours_frame(run: Run, labels: list[str], query: np.ndarray | int, k: int, metric: str,
                     exclude: tuple[int, ...]) -> tuple[pd.DataFrame, list[int]]:
    """The k nearest rows of ``query`` (a row or a vector) as a table, and their rows."""
    idx, scores = neighbors.index_for(run.path).query(query, k=k, metric=metric, exclude=exclude)
    columns = {
        tr("explore.col_token"): [labels[i] for i in idx],
        tr(f"explore.score_{metric}"): np.round(scores, 4),
    }
    if run.labels:  # a run without categories: no empty column; the samples' categories in the UI's language
        columns[tr("explore.col_label")] = [value_text("category", run.labels.get(run.tokens[i], ""), lang())
                                            for i in idx]
    return pd.DataFrame(columns), [int(i) for i in idx]


def example_word(run: Run) -> str:
    """The search box's first word: the sample's "cat" (猫 in 中文) when the run knows it, else the run's most
    frequent content word (a class's novel has no 猫: the box used to open on "not in the vocabulary")."""
    from explorer.lesson.watch import content_words

    for word in ("猫", "cat") if lang() == "zh" else ("cat", "猫"):
        if word in run.index:
            return word
    found = content_words(list(run.tokens), 1)
    return found[0] if found else ""


def search_ui(run: Run, labels: list[str]) -> tuple[Highlight, int, str]:
    """Search box, k and metric; shows the neighbour table. Returns the highlight for the chart."""
    items = run.capabilities.users
    default = "" if items else example_word(run)
    what = "search_item" if items else "search_node" if run.capabilities.nodes else "search"  # not "a word"
    text = st.text_input(tr(f"explore.{what}"), value=default,
                         key=f"ex_search_{lang()}", max_chars=MAX_QUERY, bind="query-params",  # kept on reload
                         placeholder=tr(f"explore.{what}_placeholder"))
    text = cut_query(text)
    c1, c2 = st.columns(2)
    k = c1.slider(tr("explore.k"), 1, 50, 10, key="ex_k", bind="query-params")
    metric = choice_ui(c2.selectbox, tr("explore.metric"), list(METRICS), "ex_metric",
                       lambda m: tr(f"explore.metric_{m}"))
    highlight = Highlight()
    if not text.strip():
        return highlight, k, metric
    row = find_row(run, labels, text)
    genre = recommend.items_of_genre(run, text) if row is None and items else []
    if genre:  # a genre: its items, most interacted-with first, marked on the chart
        top = genre[:k]
        st.markdown(tr("explore.genre_items", genre=md(text.strip()), n=len(genre), k=len(top)))
        safe_table(pd.DataFrame({tr("explore.col_item"): [labels[i] for i in top],
                               tr("explore.col_interactions"): [int(run.counts[i]) for i in top]}),
                 hide_index=True, border="horizontal")
        return Highlight(neighbors=top, lines=False), k, metric
    if row is None:
        close = difflib.get_close_matches(text.strip(), run.tokens[:20000], n=5)
        if close:
            st.warning(tr("explore.not_found_close", word=md(text.strip()), close=md(", ".join(close))))
        else:
            st.warning(tr("explore.not_found", word=md(text.strip())))
        return highlight, k, metric
    frame, rows = neighbours_frame(run, labels, row, k, metric, (row,))
    st.markdown(tr("explore.neighbours_of", word=md(labels[row]), k=k))
    safe_table(frame, hide_index=True, border="horizontal")
    return Highlight(queries=[row], neighbors=rows), k, metric


def selection_ui(run: Run, labels: list[str], rows: list[int], k: int, metric: str) -> None:
    """The selected points and the nearest neighbours of their mean vector."""
    n_items = len(run.tokens)
    items = [r for r in rows if r < n_items]
    st.markdown(tr("explore.selected", n=len(rows)))
    st.dataframe(pd.DataFrame({tr("explore.col_token"): [labels[r] for r in rows]}), hide_index=True, height=200)
    if not items or len(items) >= len(run.tokens):
        return
    vectors = np.asarray(neighbors.index_for(run.path).vectors[items], dtype=np.float32)
    query = vectors[0] if len(items) == 1 else vectors.mean(axis=0)
    frame, _ = neighbours_frame(run, labels, query, k, metric, tuple(items))
    st.markdown(tr("explore.selection_neighbours", k=k))
    safe_table(frame, hide_index=True, border="horizontal")


ANALOGY_EXAMPLES = {
    "en": (("brother", "father", "mother"), ("dog", "cat", "banana"), ("king", "man", "woman")),
    "zh": (("哥哥", "爸爸", "妈妈"), ("狗", "猫", "香蕉"), ("国王", "男人", "女人")),
}


def analogy_example(run: Run, language: str) -> tuple[str, str, str]:
    """The first example analogy (a, b, c) whose words are all in the run; ("", "", "") if none."""
    for example in ANALOGY_EXAMPLES.get(language, ANALOGY_EXAMPLES["en"]):
        if all(w in run.index for w in example):
            return example
    return ("", "", "")


def analogy_ui(run: Run) -> None:
    st.markdown(f"**{tr('explore.analogy')}**")
    pre = analogy_example(run, lang())
    c1, c2, c3 = st.columns(3)
    # persisted per session, so the typed words survive a projection being computed (when the
    # box is not drawn) and a change of projection or dimensions
    a = cut_query(c1.text_input("a", value=pre[0], key=f"an_a_{run.run_id}_{lang()}",
                                          max_chars=MAX_QUERY, persist_state="session"))
    b = cut_query(c2.text_input("− b", value=pre[1], key=f"an_b_{run.run_id}_{lang()}",
                                          max_chars=MAX_QUERY, persist_state="session"))
    c = cut_query(c3.text_input("+ c", value=pre[2], key=f"an_c_{run.run_id}_{lang()}",
                                          max_chars=MAX_QUERY, persist_state="session"))
    st.caption(tr("explore.analogy_note"))
    if not (a.strip() and b.strip() and c.strip()):
        return
    try:
        answers = neighbors.analogy(run, a.strip(), b.strip(), c.strip(), k=5)
    except ExplorerError as exc:
        show_error(exc)
        return
    st.table(pd.DataFrame(answers, columns=[tr("explore.col_token"), tr("explore.score_cosine")]).round(4),
             hide_index=True, border="horizontal")


def recommend_ui(run: Run, labels: list[str], selected: list[int]) -> None:
    """A user's top items with the why: the score split into dot product and bias, and the
    user's past items most similar to each recommendation. A user picked on the chart is used."""
    st.subheader(tr("explore.recommend_title"), anchor=False)
    n_items = len(run.tokens)
    picked = [r - n_items for r in selected if r >= n_items]
    users = run.user_ids
    c1, c2 = st.columns([3, 1])
    index = picked[0] if picked and picked[0] < len(users) else 0
    user = c1.selectbox(tr("explore.user"), users, index=index, key=f"ex_user_{index}")
    k = c2.number_input("k", 1, 50, 10, key="ex_rec_k")
    try:
        recs = recommend.recommend(run, user, int(k))
    except ExplorerError as exc:
        show_error(exc)
        return
    title = {item: labels[i] for i, item in enumerate(run.tokens)}
    frame = pd.DataFrame({
        tr("explore.col_item"): [r.get("title") or r["item"] for r in recs],
        tr("explore.col_score"): [round(r["score"], 3) for r in recs],
        tr("explore.col_dot"): [round(r["dot"], 3) for r in recs],
        tr("explore.col_bias"): [round(r["bias"], 3) for r in recs],
        tr("explore.col_because"): [" · ".join(f"{title.get(i, i)} ({s:.2f})" for i, s in r["because"]) for r in recs],
    })
    safe_table(frame, hide_index=True, border="horizontal")
    st.caption(tr("explore.recommend_note"))


def chart_ui(fig: object, dims: int) -> list[int]:
    """Draw the chart; for 2D return the rows selected with click, box or lasso."""
    if dims == 3:
        st.plotly_chart(fig, key="ex_chart3d")
        return []
    event = st.plotly_chart(fig, key="ex_chart", on_select="rerun", selection_mode=("points", "box", "lasso"))
    rows: list[int] = []
    for point in (event.selection.points if event else []) or []:
        data = point.get("customdata")
        if isinstance(data, list):
            data = data[0] if data else None
        if data is not None:
            rows.append(int(data))
    return sorted(set(rows))


def table_pick_ui(labels: list[str], key: str) -> list[int]:
    """A searchable table of all points; selected rows work like a chart selection (3D charts)."""
    event = st.dataframe(pd.DataFrame({tr("explore.col_token"): labels}), key=key, on_select="rerun",
                         selection_mode="multi-row", height=240)
    return list(event.selection.rows) if event else []


def scatter(run: Run, coords: np.ndarray, labels: list[str], view: View, highlight: Highlight) -> tuple[object, int]:
    """The figure and the number of points drawn (a sample above figures.MAX_POINTS)."""
    colour = colour_values(str(run.path), stamp(run), view.colour, view.n_clusters, view.users,
                           str(workspaces.derived_dir(workspace(), run.path)))
    colouring = Colouring(colour[0], shown_categories(colour), colour_title(view.colour)) if colour else None
    rows = figures.sample_rows(len(coords), figures.MAX_POINTS, seed=0,
                               keep=[*highlight.queries, *highlight.neighbors])
    fig = figures.embedding_scatter(coords, labels, colouring=colouring, highlight=highlight, rows=rows,
                                    uirevision=f"{run.run_id}-{view.method}-{view.dims}-{view.users}")
    return fig, len(rows)


def export_ui(run: Run, coords: np.ndarray, labels: list[str], view: View, selected: list[int]) -> None:
    """Download the drawn coordinates, and the selection, as CSV (built only when clicked)."""
    from explorer.runs import formats

    colour = colour_values(str(run.path), stamp(run), view.colour, view.n_clusters, view.users,
                           str(workspaces.derived_dir(workspace(), run.path)))
    extra = {colour_title(view.colour): list(colour[1])} if colour else {}

    def csv_of(rows: Optional[list[int]]) -> Callable[[], bytes]:
        def build() -> bytes:
            return formats.coordinates_csv(coords, labels, extra, rows=rows).encode("utf-8")
        return build

    stem = f"{manage.download_stem(run)}-{view.method}-{view.dims}d"  # named after the run, made safe
    c1, c2 = st.columns(2)
    c1.download_button(tr("explore.export_coords"), csv_of(None), f"{stem}.csv", "text/csv",
                       icon=":material/download:", on_click="ignore", key="ex_dl_all")
    c2.download_button(tr("explore.export_selection"), csv_of(selected), f"{stem}-selection.csv", "text/csv",
                       icon=":material/download:", on_click="ignore", disabled=not selected, key="ex_dl_sel")
