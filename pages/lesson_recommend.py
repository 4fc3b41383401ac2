"""Lesson step 5: recommending with embeddings (a user and items as numbers, BCE, the model's top items)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from explorer.lesson.objective import sigmoid
from explorer.lesson.recommend_steps import user_example
from explorer.recsys.recommend import recommend
from pages._lesson_ui import check_ui, header_ui, lesson_run_ui, try_it_ui
from pages._widgets import tr

T = "lesson_recommend."
header_ui(5, "lesson_recommend")
run = lesson_run_ui("useritem_job", usable=lambda c: c.capabilities.users, sample_only=T + "sample_only")
user = st.selectbox(tr(T + "user"), run.user_ids, index=0, key=f"lr_user_{run.run_id}")
ex = user_example(run, user)
titles = run.display_labels  # the item's title when the metadata has one, else its id
name = {role: titles[ex[role]] for role in ("clicked", "unseen")}
st.caption(tr(T + "history", user=user, n=ex["n_history"]))

st.subheader(tr(T + "vectors_title"), anchor=False)
users, items = np.asarray(run.users), np.asarray(run.items)
m = min(8, users.shape[1])
st.caption(tr(T + "vectors_explain", m=m, d=users.shape[1]))
st.dataframe(pd.DataFrame([users[ex["user"], :m], items[ex["clicked"], :m], items[ex["unseen"], :m]],
                          index=[tr(T + "row_user", name=user), tr(T + "row_clicked", name=name["clicked"]),
                                 tr(T + "row_unseen", name=name["unseen"])],
                          columns=[f"#{i + 1}" for i in range(m)]).round(3))
cols = ("dot", "bias", "score", "p_click", "bce_click", "bce_skip")
st.dataframe(pd.DataFrame([[name[r], *[ex[f"{r}_numbers"][c] for c in cols]] for r in ("clicked", "unseen")],
                          columns=[tr(T + "item"), *[tr(T + c) for c in cols]]).round(4), hide_index=True)
st.markdown(tr(T + "bce_explain"))

st.subheader(tr(T + "top_title"), anchor=False)
st.markdown(tr(T + "top_explain"))
recs = recommend(run, user, 10)
st.dataframe(pd.DataFrame([{
    tr(T + "item"): r["item"], tr(T + "title_col"): r.get("title", ""), tr(T + "score"): round(r["score"], 3),
    tr(T + "dot"): round(r["dot"], 3), tr(T + "bias"): round(r["bias"], 3),
    tr(T + "because"): ", ".join(f"{titles[run.item_ids.index(i)]} ({s:.2f})" for i, s in r["because"]),
} for r in recs]), hide_index=True)

top, low = recs[0], ex["unseen_numbers"]
pa = float(sigmoid(top["score"]))
check_ui("lr_check", tr(T + "check_q", a=top.get("title", top["item"]), b=name["unseen"]),
         [top.get("title", top["item"]), name["unseen"]], 0 if pa >= low["p_click"] else 1,
         tr(T + "check_why", pa=pa, pb=low["p_click"]))
try_it_ui("pages/evaluate.py", ":material/straighten:", step=5)
