"""Lesson step 3: watch it learn (the frames player, and the latest frame of a job that is training)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import streamlit as st

from explorer.figures.lesson import frames_player, live_map
from explorer.i18n import value_text
from explorer.lesson.watch import default_probes, live_jobs, player_data
from explorer.runs.frames import has_frames
from pages._lesson_ui import check_ui, header_ui, lesson_run_ui, try_it_ui
from pages._widgets import lang, tr, workspace

header_ui(3, "lesson_watch")


@st.fragment(run_every=1.0)
def live_ui() -> None:
    """The latest frame of each job of this workspace (and the sample) that is training with frames."""
    for name, live in live_jobs(workspace()):
        st.plotly_chart(live_map(live["xy"], tr("lesson_watch.live_frame", name=name, epoch=live["epoch"],
                                                pct=100 * live["progress"], m=len(live["xy"]))),
                        key=f"live-{name}")


live_ui()
run = lesson_run_ui(usable=lambda c: c.capabilities.frames and has_frames(Path(c.path)),
                    sample_only="lesson_watch.sample_only")  # own models, none with frames: say so
frame_tokens = run.tokens[:5000]  # the most frequent (Skip-gram rows are sorted by frequency)
defaults = default_probes(frame_tokens, run.labels, lang())
left, right = st.columns([4, 1])
shown = dict(zip(frame_tokens, run.display_labels[: len(frame_tokens)], strict=True))  # an item's title, if any
probes = left.multiselect(tr("lesson_watch.probes"), frame_tokens, default=defaults, format_func=shown.get,
                          help=tr("lesson_watch.probes_help"), key=f"watch_probes_{run.run_id}_{lang()}",
                          max_selections=8, placeholder=tr("common.choose_options"))
k = right.slider(tr("lesson_watch.k"), 3, 10, 5, key="watch_k")


@st.cache_resource(max_entries=16, show_spinner=False)
def player(path: str, stamp: float, probes: tuple[str, ...], k: int, lang_: str) -> tuple[object, object]:
    """The player figure and its data (cached per run, probes and language; never changed after)."""
    data = player_data(Path(path), list(probes), k)
    text = {key: tr(f"lesson_watch.{key}") for key in ("play", "pause", "frame", "epoch", "loss", "progress",
                                                        "neighbours")}
    categories = [value_text("category", c, lang_) for c in data.categories]  # the sample's, in the UI's language
    fig = frames_player(data.coords, data.labels, categories, data.probes, data.neighbours, data.meta,
                        data.loss_curve, text)
    return fig, data


fig, data = player(str(run.path), (run.path / "config.json").stat().st_mtime, tuple(probes), k, lang())
st.markdown(tr("lesson_watch.how"))
st.plotly_chart(fig, key="player")
st.caption(tr("lesson_watch.points_shown", m=data.coords.shape[1], n=len(run.tokens)))
if data.limited_by:
    why = ", ".join(tr(f"lesson_watch.why_{w}") for w in data.limited_by.split("+"))
    st.caption(tr("lesson_watch.rows_limited", n=data.n_rows, why=why))

if data.probes:
    p = data.probes[0]
    d0 = float(np.linalg.norm(data.coords[0, p] - data.coords[-1, p]))
    span = float(np.ptp(data.coords[-1], axis=0).max())
    far = d0 > 0.2 * span
    check_ui("watch_check", tr("lesson_watch.check_q", w=data.labels[p]),
             [tr("lesson_watch.check_near"), tr("lesson_watch.check_far")], 1 if far else 0,
             tr("lesson_watch.check_why", d0=d0, span=span))
try_it_ui("pages/train.py", ":material/model_training:", step=3)
