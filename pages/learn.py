"""Learn (home): what an embedding is, on real vectors from the bundled sample."""

import pandas as pd
import streamlit as st

from explorer import figures, jobs
from explorer.analysis.similarity import pair_measures, plane_coords
from explorer.errors import ExplorerError
from explorer.jobs import sample_job
from pages._safe_ui import md
from pages._widgets import MAX_QUERY, cut_query, follow_job_ui, job_error_text, lang, run_at, show_error, tr

st.title(tr("learn.title"), anchor=False)
st.markdown(tr("learn.intro"))

run_dir = sample_job.sample_run_dir()
if run_dir is None:
    job_id = sample_job.sample_job_id()
    info = jobs.get(job_id) if job_id else None
    if info is not None and info.active:
        st.info(tr("learn.sample_training"), icon=":material/hourglass_top:")
        follow_job_ui(job_id, compact=True)
    else:
        st.warning(tr("learn.sample_missing", error=job_error_text(info)))
        if st.button(tr("learn.sample_retry")):
            sample_job.ensure_sample_job()
            st.rerun()
    st.stop()

run = run_at(run_dir)
defaults = ("猫", "狗", "香蕉") if lang() == "zh" else ("cat", "dog", "banana")
st.subheader(tr("learn.words_title"), anchor=False)
cols = st.columns(3)
words = [cut_query(c.text_input(tr("learn.word_n", n=i + 1), value=w, key=f"learn_w{i}_{lang()}", max_chars=MAX_QUERY))
         for i, (c, w) in enumerate(zip(cols, defaults, strict=True))]
missing = [w for w in words if w.strip() not in run.index]
if missing:
    st.error(tr("learn.unknown_words", words=md(", ".join(missing)), n=len(run.tokens)))
    st.stop()
rows = [run.index[w.strip()] for w in words]
vecs = [run.vectors[r] for r in rows]

st.markdown(tr("learn.numbers", dim=run.vectors.shape[1]))
shown = min(8, run.vectors.shape[1])
st.dataframe(pd.DataFrame([v[:shown] for v in vecs], index=words, columns=[f"#{i + 1}" for i in range(shown)]).round(3))

st.subheader(tr("learn.compare_title"), anchor=False)
pairs = [(0, 1), (0, 2), (1, 2)]
table = pd.DataFrame(
    [{tr("learn.pair"): f"{words[a]} ↔ {words[b]}", **pair_measures(vecs[a], vecs[b])} for a, b in pairs]
).rename(columns={"cosine": tr("learn.cosine"), "euclidean": tr("learn.euclidean"), "dot": tr("learn.dot")})
left, right = st.columns([3, 2])
with left:
    st.dataframe(table.round(3), hide_index=True)
    st.markdown(tr("learn.explain"))
try:
    coords = plane_coords(vecs)
    right.plotly_chart(figures.word_arrows(coords, words, height=380), key="arrows")
    right.caption(tr("learn.arrows_caption"))
except ExplorerError as exc:
    show_error(exc, right)

st.divider()
st.page_link("pages/lesson_text.py", label=f"{tr('lesson.start')} {tr('lesson.nav_text')}", icon=":material/school:")
st.markdown(tr("learn.next"))
if st.button(tr("learn.go"), type="primary", icon=":material/rocket_launch:"):
    st.session_state["run_id"] = run.run_id
    st.switch_page("pages/explore.py", query_params={"ws": st.session_state.get("ws", ""), "run": run.run_id})
