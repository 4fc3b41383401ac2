"""Teacher dashboard: the join link (copy button and QR code), managing students and the class, cancelling jobs.
Widgets only; the powers live in explorer.jobs.class_admin."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from explorer import train_form
from explorer.configs import CorpusConfig
from explorer.errors import ExplorerError
from explorer.i18n import t, value_text
from explorer.jobs import assignments, class_admin, class_report, classes
from explorer.kinds import training_kind, training_kinds
from pages._class_ui import error_text
from pages._form_ui import counted_note_ui, field_widget
from pages._teacher_ui import app_base_url, when
from pages._widgets import choice_ui, kind_label, lang, tr

T = "teacher_admin."


def qr_png(text: str) -> bytes:
    """A QR code of ``text`` as PNG bytes (segno: pure Python, nothing fetched)."""
    import segno

    out = io.BytesIO()
    segno.make(text, error="m").save(out, kind="png", scale=6, border=2)
    return out.getvalue()


def join_link_ui(info: classes.ClassInfo) -> None:
    """The join link in a code box (Streamlit's copy button) and as a QR code to scan."""
    link = info.links(app_base_url())["join_link"]
    st.subheader(tr(T + "join_title"), anchor=False)
    left, right = st.columns([3, 1])
    left.code(link, language=None)
    left.caption(tr(T + "join_copy"))
    right.image(qr_png(link), caption=tr(T + "qr_caption", name=info.name), width=160)
    if classes.is_closed(info.id):
        st.warning(tr(T + "closed_note"), icon=":material/lock:")


def _done(message: str, where: str = "teacher_admin_note") -> None:
    st.session_state[where] = message  # shown beside the control that did it, after the rerun
    st.rerun()


def manage_ui(token: str, info: classes.ClassInfo) -> None:
    """Rename, remove, reset a student (with a new link) or recover their link; rotate the code; close/reopen."""
    with st.expander(tr(T + "manage_title"), icon=":material/manage_accounts:"):
        note = st.session_state.pop("teacher_admin_note", None)
        if note:
            st.success(note, icon=":material/check_circle:")
        people = {m.workspace: m for m in classes.members(info.id)}  # chosen by workspace: read afresh every run
        follow = st.session_state.pop("ta_follow", None)  # a reset student keeps the choice under their new workspace
        if follow in people:
            st.session_state["ta_student"] = follow
        elif st.session_state.get("ta_student") not in people:
            st.session_state.pop("ta_student", None)
        try:
            if people:
                chosen = st.selectbox(tr(T + "student"), list(people), format_func=lambda w: people[w].display_name,
                                      key="ta_student")
                student_ui(token, people[chosen])
                st.divider()
            class_ui(token, info)
        except ExplorerError as exc:
            st.error(error_text(exc), icon=":material/warning:")


def student_ui(token: str, student: classes.Member) -> None:
    """One set of controls for the chosen student. Their keys stay the same from student to student (a key per
    student left the previous student's name box behind, hidden, in the browser's page); choosing another
    student refills the name and clears "yes, I am sure"."""
    if st.session_state.get("ta_for") != student.workspace:
        st.session_state["ta_for"] = student.workspace
        st.session_state["ta_name"] = student.display_name
        st.session_state["ta_sure"] = False
    c1, c2 = st.columns([3, 1])
    name = c1.text_input(tr(T + "new_name"), max_chars=classes.MAX_NAME, key="ta_name")
    c2.write("")
    if c2.button(tr(T + "rename"), key="ta_rename") and name.strip() != student.display_name:
        renamed = class_admin.rename_student(token, student.workspace, name)
        _done(tr(T + "renamed", name=renamed.display_name))
    st.text(tr(T + "link"))
    st.code(class_admin.student_link(student.workspace, app_base_url()), language=None)
    st.caption(tr(T + "link_help"))
    sure = st.checkbox(tr(T + "confirm"), key="ta_sure")
    b1, b2 = st.columns(2)
    if b1.button(tr(T + "remove"), key="ta_remove", disabled=not sure, icon=":material/person_remove:"):
        class_admin.remove_student(token, student.workspace)
        _done(tr(T + "removed", name=student.display_name))
    if b2.button(tr(T + "reset"), key="ta_reset", disabled=not sure, icon=":material/restart_alt:"):
        fresh = class_admin.reset_student(token, student.workspace)
        st.session_state["ta_follow"] = fresh.workspace
        _done(tr(T + "reset_done", name=fresh.display_name) + " "
              + class_admin.student_link(fresh.workspace, app_base_url()))


def class_ui(token: str, info: classes.ClassInfo) -> None:
    c1, c2 = st.columns(2)
    if c1.button(tr(T + "rotate"), help=tr(T + "rotate_help"), key="ta_rotate", icon=":material/key:"):
        _done(tr(T + "rotated", code=class_admin.rotate_code(token).code))
    closed = classes.is_closed(info.id)
    label, icon = (T + "reopen", ":material/lock_open:") if closed else (T + "close", ":material/lock:")
    if c2.button(tr(label), help=tr(T + "close_help"), key="ta_close", icon=icon):
        class_admin.set_closed(token, not closed)
        _done(tr(T + "closed_note") if not closed else tr(label))


def jobs_ui(token: str) -> None:
    """Every queued or running job of the class's students, with a cancel button."""
    st.subheader(tr(T + "jobs_title"), anchor=False)
    note = st.session_state.pop("teacher_jobs_note", None)  # here, not in the folded "Manage the class"
    if note:
        st.success(note, icon=":material/check_circle:")
    active = class_admin.student_jobs(token)
    if not active:
        st.caption(tr(T + "no_jobs"))
        return
    st.dataframe(pd.DataFrame([{tr("classroom.col_name"): m.display_name, tr(T + "col_job"): j.name,
                                tr(T + "col_state"): tr(T + f"state_{j.state}"), tr("classroom.col_created"):
                                when(j.created)} for m, j in active]), hide_index=True)
    member, job = st.selectbox(tr(T + "pick_job"), active, key="ta_job",
                               format_func=lambda pair: f"{pair[0].display_name} · {pair[1].name}")
    if st.button(tr(T + "cancel", name=member.display_name), key="ta_cancel", icon=":material/cancel:"):
        try:
            class_admin.cancel_student_job(token, job.id)
        except ExplorerError as exc:
            st.error(error_text(exc), icon=":material/warning:")
            return
        _done(tr(T + "cancelled"), "teacher_jobs_note")


def report_ui(token: str, info: classes.ClassInfo) -> None:
    """The class report: CSV for marking, a printable page with the gallery's maps."""
    st.subheader(tr("class_report.title"), anchor=False)
    st.caption(tr("class_report.intro"))
    left, right = st.columns(2)
    stem = "".join(c if c.isalnum() else "-" for c in info.name).strip("-") or "class"
    left.download_button(tr("class_report.download_csv"), lambda: class_report.to_csv(token), f"{stem}-report.csv",
                         "text/csv", key="report_csv", icon=":material/table:")
    # the language is read now: Streamlit builds the file later, outside this page's run (it came out in English)
    language = lang()
    right.download_button(tr("class_report.download_html"),
                          lambda: class_report.to_html(token, lambda k: t(f"class_report.{k}", language),
                                                       label=lambda k: t(k, language),
                                                       number=lambda k: value_text("key_number", k, language)
                                                       ).encode("utf-8"),
                          f"{stem}-report.html", "text/html", key="report_html", icon=":material/print:")


def assignment_ui(token: str, info: classes.ClassInfo) -> None:
    """Give the class an assignment (kind, shared dataset, fixed settings, bounds, due time) and see who handed in."""
    st.subheader(tr(T + "assign_title"), anchor=False)
    current = assignments.assignment_of(info.teacher_ws)
    if current is not None:
        due = dt.datetime.fromtimestamp(current.due).strftime("%Y-%m-%d %H:%M") if current.due else tr("train.no_due")
        st.info(tr("train.assignment", title=current.title, kind=kind_label(current.kind), due=due),
                icon=":material/assignment:")
        status = assignments.statuses(token)
        if status:
            st.dataframe(pd.DataFrame([{tr("classroom.col_name"): s.display_name,
                                        tr(T + "col_status"): tr(T + f"status_{s.status}"),
                                        tr("classroom.col_run"): s.run_name or "–", tr(T + "col_when"): s.when or "–"}
                                       for s in status]), hide_index=True)
        if st.button(tr(T + "assign_clear"), key="ta_assign_clear", icon=":material/delete:"):
            assignments.clear_assignment(token)
            _done(tr(T + "assign_cleared"))
    with st.expander(tr(T + "assign_new") if current is None else tr(T + "assign_replace"), icon=":material/edit:"):
        assignment_form_ui(token, info)


@st.cache_data(max_entries=16, show_spinner=False)
def _corpus_tokens(path: str, name: str) -> int:
    from explorer.text.corpus import load_corpus

    return int(load_corpus(Path(path), CorpusConfig(), name=name).n_tokens)  # cached for training too


def shared_counted(kind: str, path: str, name: str) -> dict[str, Any]:
    """What the Data page would count of a shared dataset (``vocab_tokens`` for a corpus), for the kind's
    starting values; {} for other data or a file that cannot be read (the students' Data page says why)."""
    data_input = training_kind(kind).data_input
    if data_input is None or data_input.shared != "corpus":
        return {}
    try:
        with st.spinner(tr("data.tokenizing")):
            return {"vocab_tokens": _corpus_tokens(path, name)}
    except ExplorerError:
        return {}


def _suffix(suggested: dict[str, Any], name: str) -> str:
    """A box's key ends with the value suggested for the dataset: another dataset's suggestion starts a new box."""
    return f"_{suggested[name]}" if name in suggested else ""


def assignment_form_ui(token: str, info: classes.ClassInfo) -> None:
    kinds = list(training_kinds())
    title = st.text_input(tr(T + "assign_name"), max_chars=classes.MAX_NAME, key="ta_a_title")
    kind_names = {k: kind_label(k) for k in kinds}  # translated now, not when Streamlit asks later
    # the boxes whose labels are translated are one per language (Streamlit keeps the label shown: after a switch
    # the 中文 form showed 'Skip-gram (words)' and an 'Epochs' tag); their choices are kept across (choice_ui)
    kind = choice_ui(st.selectbox, tr(T + "assign_kind"), kinds, "ta_a_kind", kind_names.__getitem__)
    shared = [d for d in classes.shared_datasets(info.teacher_ws)
              if d["kind"] == (training_kind(kind).data_input.shared if training_kind(kind).data_input else None)]
    labels = {"": tr(T + "assign_any_data"), **{d["path"]: d["label"] for d in shared}}
    dataset = choice_ui(st.selectbox, tr(T + "assign_data"), list(labels), f"ta_a_data_{kind}", labels.__getitem__)
    suggested = (counted_note_ui(kind, shared_counted(kind, dataset, labels[dataset]), T + "assign_counted")
                 if dataset else {})
    specs = {s.name: s for s in train_form.form_fields(kind)}
    names = {n: tr(f"train.f_{n}") for n in specs}
    chosen = choice_ui(st.multiselect, tr(T + "assign_fixed"), list(specs), f"ta_a_fixed_{kind}", names.__getitem__,
                       placeholder=tr("common.choose_options"))
    fixed, bounds = {}, {}
    cols = st.columns(3)
    for i, name in enumerate(chosen):
        # a value suited to the dataset starts there (a new box when the suggestion changes with the dataset)
        start = suggested.get(name, specs[name].default)
        fixed[name] = field_widget(cols[i % 3], specs[name], start, f"ta_a_fix_{kind}_{name}{_suffix(suggested, name)}")
    numeric = [n for n, s in specs.items() if s.type in (int, float) and not s.choices and n not in fixed]
    ranged = choice_ui(st.multiselect, tr(T + "assign_bounds"), numeric, f"ta_a_b_{kind}", names.__getitem__,
                       placeholder=tr("common.choose_options"))
    for name in ranged:
        low_col, high_col = st.columns(2)
        spec = specs[name]
        low = low_col.number_input(tr(T + "low", name=names[name]), value=spec.type(spec.min or 0),
                                   key=f"ta_a_lo_{kind}_{name}")
        top = max(spec.type(spec.default or 1), suggested.get(name, spec.min or 0))  # not below what suits the data
        high = high_col.number_input(tr(T + "high", name=names[name]), value=spec.type(top),
                                     key=f"ta_a_hi_{kind}_{name}{_suffix(suggested, name)}")
        bounds[name] = [low, high]
    for name, value in suggested.items():  # a fixed value or an upper bound below what suits the data
        given = fixed[name] if name in fixed else bounds[name][1] if name in bounds else None
        if isinstance(given, (int, float)) and not isinstance(given, bool) and given < value:
            st.warning(tr(T + "assign_below", field=names.get(name, name), given=given, suggested=value),
                       icon=":material/warning:")
    has_due = st.checkbox(tr(T + "assign_has_due"), key="ta_a_has_due")
    due = 0.0
    if has_due:
        d_col, t_col = st.columns(2)
        day = d_col.date_input(tr(T + "assign_due_day"), key="ta_a_day")
        at = t_col.time_input(tr(T + "assign_due_time"), value=dt.time(23, 59), key="ta_a_time")
        due = dt.datetime.combine(day, at).timestamp()
    if st.button(tr(T + "assign_set"), key="ta_assign_set", type="primary", icon=":material/assignment_add:"):
        try:
            assignments.set_assignment(token, assignments.Assignment(title, kind, dataset, fixed, bounds, due))
        except ExplorerError as exc:
            st.error(error_text(exc), icon=":material/warning:")
            return
        _done(tr(T + "assign_saved"))
