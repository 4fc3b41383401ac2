"""Teacher dashboard widgets (pages/teacher.py): links, limits, roster, students' runs, gallery, sharing."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, replace
from pathlib import Path

import pandas as pd
import streamlit as st

from explorer.errors import ExplorerError
from explorer.i18n import t, value_text
from explorer.jobs import classes, workspaces
from explorer.kinds import KEY_NUMBER_FORMATS, run_kind
from explorer.markup import md
from pages._class_ui import error_text, tc
from pages._widgets import lang, tr, uploader_note


def app_base_url() -> str:
    """The address for the class's links: EXPLORER_BASE_URL, else the one this browser opened the app at."""
    return classes.base_url(getattr(st.context, "url", "") or "")


def when(ts: float) -> str:
    return dt.datetime.fromtimestamp(ts).strftime("%Y-%m-%d %H:%M") if ts else "–"


# a run's key numbers (its kind picks them) and how each is shown (the gallery's line and the teacher's runs table)
_FORMATS = KEY_NUMBER_FORMATS


def numbers_text(numbers: dict[str, float]) -> str:
    return " · ".join(f"{value_text('key_number', key, lang())} {fmt.format(numbers[key])}"
                      for key, fmt in _FORMATS.items() if key in numbers)


def create_ui() -> None:
    st.subheader(tc("create_title"), anchor=False)
    st.caption(tc("create_intro"))
    with st.form("create_class"):
        name = st.text_input(tc("class_name"), max_chars=classes.MAX_NAME, key="new_class_name")
        go = st.form_submit_button(tc("create"), type="primary")
    if go:
        try:
            made = classes.create_class(name)
        except ExplorerError as exc:
            st.error(md(error_text(exc)), icon=":material/warning:")
            return
        st.session_state["made_class"] = made.teacher_token  # kept: the button below works on the next run
    token = st.session_state.get("made_class")
    try:
        info = classes.teacher_class(token) if token else None
    except ExplorerError:
        info = None
    if info is None:
        return
    st.success(tc("created"), icon=":material/check_circle:")
    links = replace(info, teacher_token=token).links(app_base_url())  # the token is known to this session only
    for key in ("teacher_link", "join_link"):  # code boxes: Streamlit's copy button (disabled boxes had none)
        st.text(tc(key))
        st.code(links[key], language=None)
    if st.button(tc("open_dashboard"), icon=":material/dashboard:"):
        st.query_params["teacher"] = token
        st.session_state["teacher"] = token
        st.session_state.pop("made_class", None)
        st.rerun()


def limits_ui(token: str, info: classes.ClassInfo) -> None:
    saved = st.session_state.pop("limits_saved_note", None)  # said after the rerun that shows the new limits
    if saved:
        st.success(saved, icon=":material/check_circle:")
    with st.expander(tc("limits_title")), st.form("limits"):
        lim = info.limits
        c = st.columns(4)
        epochs = c[0].number_input(tc("max_epochs"), 0, 1000, int(lim.max_epochs), key="lim_epochs")
        dim = c[1].number_input(tc("max_dim"), 0, 4096, int(lim.max_dim), key="lim_dim")
        mb = c[2].number_input(tc("max_corpus_mb"), 0.0, 10_000.0, float(lim.max_corpus_mb), key="lim_mb")
        jobs_ = c[3].number_input(tc("max_jobs"), 0, 100, int(lim.max_jobs), key="lim_jobs")
        if st.form_submit_button(tc("save_limits")):
            try:
                classes.set_limits(token, classes.Limits(int(epochs), int(dim), float(mb), int(jobs_)))
            except ExplorerError as exc:  # e.g. a read-only or full data home
                st.error(md(error_text(exc)), icon=":material/warning:")
                return
            # rerun: the class line above was drawn with the old limits (it said "no limits" until a reload)
            st.session_state["limits_saved_note"] = tc("limits_saved")
            st.rerun()


def roster_ui(token: str) -> None:
    st.subheader(tc("roster_title"), anchor=False)
    rows = classes.roster(token)
    if not rows:
        st.info(tc("no_students"), icon=":material/group:")
        return
    st.dataframe(pd.DataFrame([{
        tc("col_name"): r.display_name, tc("col_queued"): r.queued, tc("col_running"): r.running,
        tc("col_done"): r.done, tc("col_failed"): r.failed, tc("col_runs"): r.runs,
        tc("col_last"): when(r.last_activity)} for r in rows]), hide_index=True)


def number_columns() -> list[tuple[str, str]]:
    """(key in a run's numbers, translated column title) of the runs table."""
    titles = {"loss": t("train.loss", lang()), "words/s": t("train.words_per_s", lang()),
              "interactions/s": t("train.interactions_per_s", lang()), "steps/s": t("train.steps_per_s", lang())}
    return [(key, titles.get(key) or value_text("key_number", key, lang())) for key in _FORMATS]


def number_cell(numbers: dict[str, float], key: str) -> str:
    """One key number formatted, or '–' when the run has none (imported runs, or not computed)."""
    value = numbers.get(key)
    return "–" if value is None else _FORMATS[key].format(value)


def form_fields_of(kind: str) -> list:
    """The Train form's fields of ``kind`` (none for a kind that is not trained here, e.g. imported vectors)."""
    from explorer import train_form
    from explorer.kinds import training_kinds

    return train_form.form_fields(kind) if kind in training_kinds() else []


def family_text(r: classes.StudentRun) -> str:
    """The run's model family in the UI's language: "CBOW · negative sampling", "Graph nodes (…)"."""
    return " · ".join(tr(key) for key in run_kind(r.kind).family_label_keys(r.settings))


def setting_cell(r: classes.StudentRun, name: str) -> str:
    """One setting of a student's run, as the form shows it ('–' where the run's kind has no such setting)."""
    value = getattr(r.settings, name, None) if r.settings is not None else None
    return "–" if value is None else str(value)


def not_comparable(a: classes.StudentRun, b: classes.StudentRun) -> str:
    """Why two runs should not be compared ('' when they may): different kinds, or different objectives."""
    if a.kind != b.kind:  # named as the Kind column names them: a CBOW run is not called "Skip-gram"
        return tr("common.not_comparable_kind", a=family_text(a), b=family_text(b))
    if a.family != b.family:
        return tr("common.not_comparable_family", a=family_text(a), b=family_text(b))
    return ""


def runs_ui(token: str) -> None:
    st.subheader(tc("runs_title"), anchor=False)
    runs = classes.student_runs(token)
    if not runs:
        st.info(tc("no_runs"), icon=":material/info:")
        return
    setting_names = list(dict.fromkeys(f.name for r in runs for f in form_fields_of(r.kind)))
    # only the key numbers some run has: seven columns of "–" pushed the settings out of sight
    numbers = [(key, label) for key, label in number_columns() if any(key in r.numbers for r in runs)]
    st.dataframe(pd.DataFrame([{
        tc("col_name"): r.display_name, tc("col_run"): r.name, tc("col_kind"): family_text(r),
        tc("col_created"): r.created, **{tr(f"train.f_{name}"): setting_cell(r, name) for name in setting_names},
        **{label: number_cell(r.numbers, key) for key, label in numbers},  # settings first: what students chose
        tc("col_published"): "✓" if r.published else ""} for r in runs]), hide_index=True)
    st.caption(tc("loss_within_family"))
    by_id = {r.run_id: r for r in runs}  # chosen by id: the run's state (published) is read afresh on every rerun
    label = {r.run_id: f"{r.display_name} · {r.name} · {r.created}" for r in runs}
    chosen = by_id[st.selectbox(tc("pick_run"), list(by_id), key="teacher_run_id", format_func=label.__getitem__)]
    others = [i for i in by_id if i != chosen.run_id]
    other = st.selectbox(tc("compare_with"), others, key="teacher_run_b", format_func=label.__getitem__) if others \
        else None
    c = st.columns(4)
    for col, (page, key) in zip(c[:3], (("explore", "open_explore"), ("clusters", "open_clusters"),
                                   ("evaluate", "open_evaluate")), strict=True):
        if col.button(tc(key), key=f"t_{page}"):
            st.session_state["run_id"] = chosen.run_id
            st.switch_page(f"pages/{page}.py", query_params={"ws": st.session_state["ws"], "run": chosen.run_id,
                                                             "teacher": token})
    why = not_comparable(chosen, by_id[other]) if other is not None else None
    if why:
        st.caption(why)
    if c[3].button(tc("compare"), key="t_compare", disabled=other is None or bool(why)):
        st.session_state["runs_section"] = "compare"
        st.session_state["cmp_want"] = (chosen.path, by_id[other].path)  # the Runs page opens on these two
        st.switch_page("pages/runs.py", query_params={"ws": st.session_state["ws"], "teacher": token})
    description = st.text_input(tc("description"), max_chars=200, key="t_description")
    p1, p2 = st.columns(2)
    try:
        if p1.button(tc("publish"), key="t_publish", disabled=chosen.published, icon=":material/publish:"):
            classes.publish(token, chosen.workspace, chosen.run_id, description)
            st.toast(tc("published"))
            st.rerun()
        if p2.button(tc("withdraw"), key="t_withdraw", disabled=not chosen.published, icon=":material/unpublished:"):
            classes.withdraw(token, chosen.run_id)
            st.toast(tc("withdrawn"))
            st.rerun()
    except ExplorerError as exc:
        st.error(md(error_text(exc)), icon=":material/warning:")


def _save(upload: object) -> Path:
    return workspaces.save_upload(upload.getvalue(), Path(upload.name).suffix)


def share_ui(token: str) -> None:
    """Share any kind's input with the class (with its labels or item metadata), see what is shared, un-share."""
    with st.expander(tc("share_title")):
        kinds = list(classes.SHARE_KINDS)
        kind = st.segmented_control(tc("share_kind"), kinds, default=kinds[0], required=True,
                                    format_func=lambda k: tc(f"kind_{k}"), key="share_kind") or kinds[0]
        # each kind has its own empty uploaders, emptied again once shared (a file never carries over to the next share)
        gen = st.session_state.setdefault("share_gen", 0)
        upload = st.file_uploader(tc("share_upload"), type=None, key=f"share_file_{kind}_{gen}")  # checked by our code
        extras = {role: st.file_uploader(tc(f"share_extra_{role}"), type=None, key=f"share_extra_{kind}_{role}_{gen}")
                  for role in classes.SHARE_KINDS[kind]}
        uploader_note()
        label = st.text_input(tc("share_label"), max_chars=classes.MAX_NAME, key=f"share_label_{gen}")
        if st.button(tc("share"), key="share_go", disabled=upload is None):
            try:
                files = {role: _save(up) for role, up in extras.items() if up is not None}
                classes.share_dataset(token, _save(upload), label or upload.name, kind, files)
            except ExplorerError as exc:
                st.error(md(error_text(exc)), icon=":material/warning:")
            else:
                st.session_state["share_gen"] = gen + 1  # empty uploaders on the next run
                st.session_state["share_done"] = True
                st.rerun()
        if st.session_state.pop("share_done", False):
            st.success(tc("shared_ok"), icon=":material/check_circle:")
        shared_list_ui(token)


def shared_list_ui(token: str) -> None:
    st.markdown(f"**{tc('shared_list')}**")
    found = classes.shared_datasets(classes.teacher_class(token).teacher_ws)
    if not found:
        st.caption(tc("no_shared"))
    for i, d in enumerate(found):
        left, right = st.columns([4, 1], vertical_alignment="center")
        extra = ", ".join(tc(f"share_extra_{role}").split(" (")[0] for role in d["extra"])
        left.text(f"{d['label']} · {tc('kind_' + d['kind'])} · {when(d['shared'])}" + (f" · {extra}" if extra else ""))
        if right.button(tc("unshare"), key=f"unshare_{i}", icon=":material/block:"):
            classes.unshare_dataset(token, d["path"], d["kind"])
            st.toast(tc("unshared"))
            st.rerun()


def links_ui(info: classes.ClassInfo) -> None:
    """The class line: name, join code and limits (the join link itself: pages/_teacher_admin_ui.join_link_ui)."""
    limits = " · ".join(f"{tc(name)} {value:g}" for name, value in asdict(info.limits).items() if value)
    st.caption(tc("class_line", name=md(info.name), code_label=tc("class_code"), code=info.code,
                  limits=limits or tc("no_limits")))
