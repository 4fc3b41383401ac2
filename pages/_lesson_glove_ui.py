"""Lesson step 2, GloVe's side of the objective: one co-occurrence cell beside the Skip-gram pair's loss
(computing: explorer.lesson.objective)."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import numpy as np
import pandas as pd
import streamlit as st

from explorer.errors import ExplorerError
from explorer.figures.lesson import bars
from explorer.i18n import value_text
from explorer.jobs import sample_job
from explorer.lesson import objective as obj
from explorer.lesson.watch import default_probes
from explorer.runs import Run
from explorer.runs.frames import read_context_vectors
from pages._lesson_ui import check_ui
from pages._widgets import kind_label, lang, run_at, run_choices, tr

T = "lesson_objective."


def partner_runs(run: Run, glove: bool) -> list[Run]:
    """Word runs on the same corpus as ``run`` that keep GloVe's tables (``glove``) or Skip-gram's context
    vectors and no GloVe tables, newest first (the workspace's, the class's, the bundled sample)."""
    paths = [Path(c.path) for c in run_choices() if c.capabilities.words]
    sample = sample_job.sample_run_dir("job")
    paths += [sample] if sample is not None and sample not in paths else []
    found = []
    for path in paths:
        try:
            other = run_at(path)
        except ExplorerError:
            continue
        if not obj.same_corpus(run, other):
            continue
        has_glove = obj.glove_parts(other) is not None
        if has_glove == glove and (glove or read_context_vectors(other.path) is not None):
            found.append(other)
    return found


def run_name(run: Run) -> str:
    """A run's name as the pickers show it (the samples' names translated), else its kind's."""
    return value_text("run_name", run.name, lang()) if run.name else kind_label(run.kind)


def cell_table(cell: obj.GloveCell) -> pd.DataFrame:
    rows = [("x", cell.x), ("weight", cell.weight), ("dot", cell.dot), ("b", cell.b), ("bc", cell.bc),
            ("prediction", cell.prediction), ("log_x", cell.log_x), ("error", cell.error), ("cell_loss", cell.loss)]
    return pd.DataFrame({tr(T + "quantity"): [tr(T + "g_" + k) for k, _ in rows],
                         tr(T + "value"): [round(v, 4) for _, v in rows]})


def skipgram_loss(other: Run, centre: str, context: str) -> Optional[obj.PairBreakdown]:
    """The Skip-gram pair (centre, context) of run ``other`` with 5 seeded negatives; None when a word is missing."""
    vectors = read_context_vectors(other.path)
    if vectors is None or centre not in other.index or context not in other.index:
        return None
    return obj.real_pair(other.tokens, np.asarray(other.vectors), np.asarray(vectors), other.counts, centre, context,
                         5)[1]


def glove_cell_ui(run: Run, parts: obj.GloveParts, key: str, words: Optional[tuple[str, str]] = None) -> None:
    """Pick two words (or take ``words``), show their cell's numbers, and beside it Skip-gram's loss of the pair."""
    tokens = run.tokens[: parts.top.shape[0]]
    st.markdown(tr(T + "glove_explain", window=run.settings.window, x_max=parts.x_max, alpha=parts.alpha,
                   k=len(tokens)))
    if words is None:
        first = default_probes(tokens, {t: lab for t, lab in run.labels.items() if t in set(tokens)}, lang(), 1)[0]
        c1, c2 = st.columns(2)
        centre = c1.selectbox(tr(T + "g_word_i"), tokens, index=tokens.index(first),
                              key=f"{key}_i_{run.run_id}_{lang()}")
        i = tokens.index(centre)
        met = [tokens[j] for j in obj.cell_partners(parts, i, 20)]
        partners = [t for t in met if t in run.labels] + [t for t in met if t not in run.labels]  # content words first
        if not partners:
            st.info(tr(T + "g_alone", word=centre))
            return
        other = c2.selectbox(tr(T + "g_word_j"), partners, key=f"{key}_j_{run.run_id}_{centre}")
    else:
        centre, other = words
        i = tokens.index(centre)
    j = tokens.index(other)
    cell = obj.glove_cell(parts, i, j)
    left, right = st.columns([2, 3])
    left.dataframe(cell_table(cell), hide_index=True)
    right.plotly_chart(bars([tr(T + "g_" + k) for k in ("dot", "b", "bc", "prediction", "log_x")],
                            [cell.dot, cell.b, cell.bc, cell.prediction, cell.log_x],
                            title=tr(T + "g_fig", i=centre, j=other), height=300), key=f"{key}_bars")
    st.markdown(tr(T + "g_sentence", i=centre, j=other, x=cell.x, f=cell.weight, p=cell.prediction, l=cell.log_x,
                   loss=cell.loss))
    if words is None:
        beside = partner_runs(run, glove=False)
        pair = skipgram_loss(beside[0], centre, other) if beside else None
        if pair is None:
            st.caption(tr(T + "g_no_skipgram"))
        else:
            st.markdown(tr(T + "g_beside", run=run_name(beside[0]), i=centre, j=other,
                           s=pair.pos_sigma, loss=pair.loss, glove=cell.loss))
        check_ui(f"{key}_check", tr(T + "g_check_q", i=centre, j=other), [tr(T + "g_raise"), tr(T + "g_lower")],
                 1 if cell.error > 0 else 0, tr(T + "g_check_why", p=cell.prediction, l=cell.log_x))


def glove_beside_ui(run: Run, centre: str, other: str, skipgram_loss_value: float) -> None:
    """Under a Skip-gram run's pair: the same two words' cell in a GloVe run on the same corpus, when one exists."""
    st.subheader(tr(T + "glove_title"), anchor=False)
    partners = partner_runs(run, glove=True)
    parts = obj.glove_parts(partners[0]) if partners else None
    if parts is None:
        st.caption(tr(T + "g_no_glove"))
        return
    tokens = partners[0].tokens[: parts.top.shape[0]]
    if centre not in tokens or other not in tokens or not parts.top[tokens.index(centre), tokens.index(other)] > 0:
        st.caption(tr(T + "g_not_met", i=centre, j=other, run=run_name(partners[0])))
        return
    glove_cell_ui(partners[0], parts, "lo_gb", (centre, other))
    cell = obj.glove_cell(parts, tokens.index(centre), tokens.index(other))
    st.markdown(tr(T + "g_beside_sg", sg=skipgram_loss_value, glove=cell.loss))
