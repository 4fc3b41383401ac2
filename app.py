"""Embedding Explorer: ``streamlit run app.py``.

The entry point only sets the page up, keeps the workspace token and language in the URL, starts
the background worker once per server, and hands over to the page chosen in the navigation.
Pages live in ``pages/`` (widgets only); all computing happens in ``explorer/``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import streamlit as st

from explorer.threads import share_cores

share_cores()  # before torch and scikit-learn load: the server shares the cores with the workers

from explorer import jobs  # noqa: E402
from explorer.errors import ExplorerError  # noqa: E402
from explorer.i18n import LANGUAGES  # noqa: E402
from explorer.jobs import classes, recovery, sample_job, worker, workspaces  # noqa: E402
from pages._class_ui import class_entry_ui, class_sidebar_ui  # noqa: E402
from pages._widgets import error_message, tr  # noqa: E402

PAGES_DIR = Path(__file__).resolve().parent / "pages"

# a local image: a ``:material/…:`` page icon makes every browser fetch the favicon from an outside font host
st.set_page_config(page_title="Embedding Explorer", page_icon=str(Path(__file__).resolve().parent / "assets" / "icon.png"),
                   layout="wide")


@st.cache_resource(show_spinner=False)
def _queue_sample() -> str:
    """Once per server process: queue the bundled samples' training (reused when already trained)."""
    job = sample_job.ensure_sample_job()
    sample_job.ensure_sample_useritem_job()  # the recommender lesson's model, trained after the text sample
    return job


def _start_worker() -> Optional[ExplorerError]:
    """A worker process trains in the background; started when none is alive (cheap when one is)."""
    try:
        worker.ensure_worker()
    except ExplorerError as exc:
        return exc
    return None


def _keep_workspace() -> None:
    """The workspace token lives in the URL (``?ws=``): a reload or a shared link finds it again."""
    token = st.query_params.get("ws")
    if not workspaces.is_valid_token(token):
        token = st.session_state.get("ws") or workspaces.new_token()
    st.session_state["ws"] = token
    if st.query_params.get("ws") != token:
        st.query_params["ws"] = token


with st.sidebar:  # the language first: the join form below is translated too
    st.segmented_control(
        "Language · 语言", list(LANGUAGES), format_func=LANGUAGES.get, default="en",
        key="lang", bind="query-params", required=True,
    )
class_entry_ui()  # ?teacher= opens the teacher's workspace; ?join= asks a student's display name
worker_problem = _start_worker()
try:
    _queue_sample()
except ExplorerError as exc:  # e.g. the queue storage is unreachable: say so, keep the app usable
    worker_problem = worker_problem or exc
_keep_workspace()
if st.session_state.get("data_key") and not st.query_params.get("data"):  # the Data page's choice stays in the URL
    st.query_params["data"] = st.session_state["data_key"]

# The lesson comes first, in teaching order; each step links to the tool page where students try it.
LESSON = [  # (file, url path, icon), in teaching order
    ("lesson_text", "lesson-text", ":material/text_snippet:"),
    ("lesson_objective", "lesson-objective", ":material/functions:"),
    ("lesson_watch", "lesson-watch", ":material/play_circle:"),
    ("lesson_quality", "lesson-quality", ":material/fact_check:"),
    ("lesson_recommend", "lesson-recommend", ":material/recommend:"),
    ("lesson_graph", "lesson-graph", ":material/hub:"),
    ("lesson_sentences", "lesson-sentences", ":material/notes:"),
]
lesson = [st.Page("pages/learn.py", title=tr("common.nav_learn"), icon=":material/school:", default=True)]  # "/"
lesson += [st.Page(f"pages/{name}.py", title=tr(f"lesson.nav_{name.removeprefix('lesson_')}"), icon=icon,
                   url_path=url) for name, url, icon in LESSON if (PAGES_DIR / f"{name}.py").is_file()]
tools = [
    st.Page("pages/data.py", title=tr("common.nav_data"), icon=":material/description:", url_path="data"),
    st.Page("pages/train.py", title=tr("common.nav_train"), icon=":material/model_training:", url_path="train"),
    st.Page("pages/explore.py", title=tr("common.nav_explore"), icon=":material/explore:", url_path="explore"),
    st.Page("pages/clusters.py", title=tr("common.nav_clusters"), icon=":material/bubble_chart:", url_path="clusters"),
    st.Page("pages/evaluate.py", title=tr("common.nav_evaluate"), icon=":material/straighten:", url_path="evaluate"),
    st.Page("pages/runs.py", title=tr("common.nav_runs"), icon=":material/folder_open:", url_path="runs"),
]
tools.append(st.Page("pages/gallery.py", title=tr("classroom.nav_gallery"), icon=":material/photo_library:",
                     url_path="gallery"))
# a class's students do not see the teacher's page in the menu (opened by its address, it refuses them)
tools.append(st.Page("pages/teacher.py", title=tr("classroom.nav_teacher"), icon=":material/co_present:",
                     url_path="teacher",
                     visibility="hidden" if classes.member(st.session_state["ws"]) is not None else "visible"))
# expanded: every page stays listed (folded, the sidebar would hide the tools behind an untranslated "View N more")
page = st.navigation({tr("lesson.section_lesson"): lesson, tr("lesson.section_tools"): tools}, expanded=True)

with st.sidebar:
    st.caption(f"{tr('common.workspace')}: `{st.session_state['ws'][:8]}…`", help=tr("common.workspace_help"))
    class_sidebar_ui(st.session_state["ws"])
    for notice in recovery.take_notices(st.session_state.get("store_notices_seen", 0)):  # a damaged store moved aside
        st.warning(error_message(notice), icon=":material/build:")
    st.session_state["store_notices_seen"] = len(recovery.NOTICES)
    if worker_problem is not None:  # in the UI's language (the error's code), its paths as data
        st.error(error_message(worker_problem))
    elif not (worker.worker_alive() or jobs.live_workers()):
        st.warning(tr("common.worker_down"))
page.run()
