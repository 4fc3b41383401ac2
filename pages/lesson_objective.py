"""Lesson step 2: the objective on one real pair, one gradient step, NS vs softmax, contrastive and triplet."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import streamlit as st

from explorer import jobs
from explorer.figures.lesson import bars, step_arrows
from explorer.i18n import value_text
from explorer.jobs import sample_job
from explorer.lesson import objective as obj
from explorer.lesson.watch import default_probes
from explorer.runs.frames import has_context_vectors, read_context_vectors
from pages._lesson_glove_ui import glove_beside_ui, glove_cell_ui
from pages._lesson_ui import check_ui, header_ui, lesson_run_ui, run_labels, try_it_ui
from pages._widgets import follow_job_ui, lang, run_at, run_choices, tr

header_ui(2, "lesson_objective")
run = lesson_run_ui(usable=lambda c: c.capabilities.words and has_context_vectors(Path(c.path)),
                    sample_only="lesson_objective.sample_only")  # own models, none with context vectors: say so
parts = obj.glove_parts(run)
if parts is not None:  # a GloVe run: its objective is one cell of the count table, Skip-gram's pair beside it
    st.subheader(tr("lesson_objective.glove_title"), anchor=False)
    glove_cell_ui(run, parts, "lo_g")
    try_it_ui("pages/train.py", ":material/model_training:", step=2)
    st.stop()
context = read_context_vectors(run.path)
if context is None:
    st.warning(tr("lesson_objective.no_context"))
    st.stop()
vectors = np.asarray(run.vectors)
tokens = run.tokens
c1, c2, c3 = st.columns([2, 2, 1])
first = default_probes(tokens, run.labels, lang(), 1)[0]
centre = c1.selectbox(tr("lesson_objective.centre"), tokens, index=tokens.index(first),
                      key=f"lo_c_{run.run_id}_{lang()}")
row = run.index[centre]
likely = [tokens[i] for i in obj.likely_contexts(vectors, context, row)]
other = c2.selectbox(tr("lesson_objective.context"), likely + [t for t in tokens if t not in likely and t != centre],
                     key=f"lo_o_{run.run_id}_{centre}")
k = c3.slider(tr("lesson_objective.k"), 1, 10, 5, key="lo_k")
negs, b = obj.real_pair(tokens, vectors, context, run.counts, centre, other, k)

check = obj.trainer_loss(vectors, context, row, run.index[other], [run.index[w] for w in negs])

T = "lesson_objective."
table = pd.DataFrame(
    [(tr(T + "positive"), other, b.pos_dot, b.pos_sigma, b.pos_term)]
    + [(tr(T + "negative", i=i + 1), w, d, s, t) for i, (w, d, s, t)
       in enumerate(zip(negs, b.neg_dots, b.neg_sigmas, b.neg_terms, strict=True))],
    columns=[tr(T + "term"), tr(T + "word"), tr(T + "dot"), tr(T + "prob"), tr(T + "loss_term")])
left, right = st.columns([3, 2])
left.dataframe(table.round(4), hide_index=True)
left.markdown(tr(T + "total", loss=b.loss, check=check))
right.plotly_chart(bars(table[tr(T + "word")].tolist(), table[tr(T + "loss_term")].tolist(),
                        title=tr(T + "terms_title"), height=300), key="lo_terms")
glove_beside_ui(run, centre, other, b.loss)

st.subheader(tr(T + "step_title"), anchor=False)
lr = st.select_slider(tr(T + "lr"), [0.025, 0.1, 0.25, 0.5, 1.0], value=0.25, key="lo_lr")
b = obj.pair_breakdown(b.u, b.v, b.n, lr)
st.markdown(tr(T + "step_explain", p0=b.pos_sigma, p1=float(obj.sigmoid(b.u_after @ b.v_after)), l0=b.loss,
               l1=b.loss_after))
names = [f"u: {centre}", f"v: {other}"] + [f"n: {w}" for w in negs]
st.plotly_chart(step_arrows(obj.step_picture(b), names, title=tr(T + "step_fig")), key="lo_step")

st.subheader(tr(T + "compare_title"), anchor=False)


def compare_table(rows: list[dict]) -> None:
    rows = [r | {"loss": value_text("loss", r["loss"], lang())} for r in rows]  # "负采样", not negative-sampling
    if all(r["agreement"] is None for r in rows):  # a text without categories: no column of "None"
        rows = [{k: v for k, v in r.items() if k != "agreement"} for r in rows]
    st.dataframe(pd.DataFrame(rows).rename(columns={"loss": tr(T + "objective"), "seconds": tr(T + "seconds"),
                                                    "final_loss": tr(T + "final_loss"),
                                                    "agreement": tr(T + "agreement")}).round(3), hide_index=True)
    st.caption(tr(T + "loss_note"))


@st.cache_resource(show_spinner=False)
def compare_jobs() -> list[str]:
    return sample_job.ensure_compare_jobs()


is_sample = str(run.path) == str(sample_job.sample_run_dir())
choices = [c for c in run_choices() if c.kind == run.kind and c.capabilities.words]
own = None if is_sample else obj.same_text_pair(run, [run_at(Path(c.path)) for c in choices])
if own is not None:  # the class's own text, trained both ways: compare those two
    names = run_labels(choices)
    st.markdown(tr(T + "compare_own", ns=names.get(own[0].run_id, own[0].name), sm=names.get(own[1].run_id, own[1].name)))
    compare_table([obj.objective_summary(r) for r in own])
    overlap = obj.neighbour_overlap(*own)
    if overlap is not None:
        st.markdown(tr(T + "compare_overlap", share=overlap))
else:
    st.markdown(tr(T + "compare_explain", dim=sample_job.COMPARE_CONFIG.dim, epochs=sample_job.COMPARE_CONFIG.epochs))
    rows = []
    for key, job_id in zip(sample_job.SAMPLE_KEYS[2:], compare_jobs(), strict=True):
        path = sample_job.sample_run_dir(key)
        if path is None:
            info = jobs.get(job_id)
            st.info(tr(T + "compare_wait"), icon=":material/hourglass_top:")
            if info is not None and info.active:
                follow_job_ui(job_id, compact=True)
            break
        rows.append(obj.objective_summary(run_at(path)))
    if len(rows) == 2:
        compare_table(rows)
    if not is_sample:  # under the sample's numbers, so that they are not read as this text's
        st.info(tr(T + "compare_own_hint", words=len(run.tokens)), icon=":material/lightbulb:")

st.subheader(tr(T + "family_title"), anchor=False)
fam = obj.contrastive_losses(b.u, b.v, b.n)
st.markdown(tr(T + "family_explain", nce=fam["info_nce"], tri=fam["triplet"], dp=fam["d_pos"], dn=fam["d_neg_mean"]))
p1 = float(obj.sigmoid(b.u_after @ b.v_after))
check_ui("lo_check", tr(T + "check_q"), [tr(T + "up"), tr(T + "down")], 0 if p1 > b.pos_sigma else 1,
         tr(T + "check_why", p0=b.pos_sigma, p1=p1))
try_it_ui("pages/train.py", ":material/model_training:", step=2)
