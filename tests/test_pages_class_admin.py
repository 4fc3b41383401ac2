"""The teacher runs the class from the dashboard (AppTest, both languages): join link with copy box and QR code,
rename / remove / reset a student, rotate the code, close the class, cancel a student's job."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from explorer import jobs
from explorer.i18n import t
from explorer.jobs import classes

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow  # seconds per AppTest page


@pytest.fixture(autouse=True)
def _no_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EXPLORER_START_WORKER", "0")
    st.cache_data.clear()
    st.cache_resource.clear()


def dashboard(info: classes.ClassInfo, lang: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["teacher"] = info.teacher_token
    at.session_state["lang"] = lang
    at.run()
    at.switch_page("pages/teacher.py").run()
    assert not at.exception, at.exception
    return at


def ta(key: str, lang: str, **values: object) -> str:
    return t(f"teacher_admin.{key}", lang, **values)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_join_link_is_copyable_and_scannable(lang: str) -> None:
    info = classes.create_class("Maths")
    at = dashboard(info, lang)
    assert any(f"/?join={info.code}" in c.value for c in at.code)  # st.code has the copy button
    images = at.get("image")
    assert images, "the QR code is drawn"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_teacher_renames_removes_and_resets_students(lang: str) -> None:
    info = classes.create_class("Maths")
    ann = classes.join(info.code, "Ann")
    bob = classes.join(info.code, "Bob")
    at = dashboard(info, lang)
    assert any(f"/?ws={ann.workspace}" in c.value for c in at.code)  # "recover this student's link"
    at.text_input(key="ta_name").input("Anna")
    at.button(key="ta_rename").click().run()
    assert not at.exception, at.exception
    assert classes.member(ann.workspace).display_name == "Anna"
    assert ta("renamed", lang, name="Anna") in [s.value for s in at.success]

    assert at.button(key="ta_remove").disabled  # only after "yes, I am sure"
    at.checkbox(key="ta_sure").check().run()  # ticked for Anna, then Bob is chosen: Bob's box, unticked
    at.selectbox(key="ta_student").select(bob.workspace).run()
    assert at.text_input(key="ta_name").value == "Bob" and not at.checkbox(key="ta_sure").value
    assert len([w for w in at.text_input if w.key and w.key.startswith("ta_name")]) == 1  # one name box
    at.checkbox(key="ta_sure").check().run()
    at.button(key="ta_remove").click().run()
    assert not at.exception, at.exception
    assert classes.member(bob.workspace) is None
    assert classes.join(info.code, "Bob").workspace != bob.workspace  # the ghost's name is free again

    at.selectbox(key="ta_student").select(ann.workspace).run()
    assert at.text_input(key="ta_name").value == "Anna"
    at.checkbox(key="ta_sure").check().run()
    at.button(key="ta_reset").click().run()
    assert not at.exception, at.exception
    fresh = [m for m in classes.members(info.id) if m.display_name == "Anna"]
    assert len(fresh) == 1 and fresh[0].workspace != ann.workspace
    assert any(fresh[0].workspace in s.value for s in at.success)  # the new link to hand out
    # the dashboard stays on the reset student, under the new workspace: the link to recover is the new one, and
    # the old, now empty workspace is neither shown nor acted on (the choice used to keep the old member)
    assert at.selectbox(key="ta_student").value == fresh[0].workspace
    recover = [c.value for c in at.code if "?ws=" in c.value]
    assert recover and all(ann.workspace not in v for v in recover) and any(fresh[0].workspace in v for v in recover)
    assert not at.checkbox(key="ta_sure").value  # "yes, I am sure" is asked again


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_saved_limits_show_at_once_in_the_class_line(lang: str) -> None:
    info = classes.create_class("Maths")
    at = dashboard(info, lang)
    line = next(c.value for c in at.caption if t("classroom.class_code", lang) in c.value)
    assert t("classroom.no_limits", lang) in line
    at.number_input(key="lim_epochs").set_value(20)
    at.number_input(key="lim_dim").set_value(64)
    next(b for b in at.button if b.label == t("classroom.save_limits", lang)).click().run()
    assert not at.exception, at.exception
    assert classes.teacher_class(info.teacher_token).limits.max_epochs == 20
    line = next(c.value for c in at.caption if t("classroom.class_code", lang) in c.value)
    # the line above the form says the new limits without a reload (it said "no limits" until one)
    assert t("classroom.no_limits", lang) not in line and f'{t("classroom.max_epochs", lang)} 20' in line, line
    assert t("classroom.limits_saved", lang) in [s.value for s in at.success]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_teacher_rotates_the_code_closes_the_class_and_cancels_a_job(lang: str, tmp_path: Path) -> None:
    from explorer.samples.corpus import write_sample_corpus

    info = classes.create_class("Maths")
    ann = classes.join(info.code, "Ann")
    corpus, _ = write_sample_corpus(tmp_path)
    job = jobs.submit({"kind": "skipgram", "data": {"corpus": str(corpus)}, "config": {"epochs": 1}}, ann.workspace)
    at = dashboard(info, lang)
    at.button(key="ta_rotate").click().run()
    assert not at.exception, at.exception
    code = classes.get_class(info.id).code
    assert code != info.code and any(f"/?join={code}" in c.value for c in at.code)

    at.button(key="ta_close").click().run()
    assert classes.is_closed(info.id)
    assert ta("closed_note", lang) in [w.value for w in at.warning]

    assert ta("jobs_title", lang) in [s.value for s in at.subheader]
    at.button(key="ta_cancel").click().run()
    assert not at.exception, at.exception
    assert jobs.get(job).state == "cancelled"
    assert ta("no_jobs", lang) in [c.value for c in at.caption]
    # the confirmation is shown under the jobs, not inside the folded "Manage the class" expander
    assert ta("cancelled", lang) in [s.value for s in at.success]
    assert all(s.value != ta("cancelled", lang) for e in at.expander for s in e.success)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_teacher_shares_a_graph_with_labels_and_a_student_uses_it(lang: str) -> None:
    from explorer.jobs import workspaces

    info = classes.create_class("Maths")
    ann = classes.join(info.code, "Ann")
    graph = workspaces.save_upload(b"a b\nb c\nc a\nc d\n", ".edgelist")
    labels = workspaces.save_upload(b"a,x\nb,x\nc,y\nd,y\n", ".csv")
    classes.share_dataset(info.teacher_token, graph, "Friends", "graph", {"labels": labels})
    at = dashboard(info, lang)
    assert any("Friends" in x.value for x in at.text)  # listed, with an un-share button
    student = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    student.query_params["ws"] = ann.workspace
    student.session_state["lang"] = lang
    student.run()
    student.switch_page("pages/data.py").run()
    student.segmented_control(key="data_kind_" + lang).set_value("graph").run()  # choice_ui keys per language
    student.button(key="shared_graph_0").click().run()
    assert not student.exception, student.exception
    chosen = student.session_state["data_graph"]
    assert chosen["path"] == str(graph) and chosen["labels"] == str(labels)
    at.button(key="unshare_0").click().run()
    assert not at.exception, at.exception
    assert classes.shared_datasets(ann.workspace) == []


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_report_downloads_on_the_dashboard(lang: str) -> None:
    info = classes.create_class("Maths")
    classes.join(info.code, "Ann")
    at = dashboard(info, lang)
    buttons = at.get("download_button")
    labels = [b.proto.label for b in buttons]
    assert t("class_report.download_csv", lang) in labels and t("class_report.download_html", lang) in labels


def _student_run(token: str, name: str) -> str:
    """A run named ``name`` in the workspace ``token``; its id."""
    import numpy as np

    from tests.support.runs import new_run_path, words_run

    return words_run(new_run_path(token), [f"w{i}" for i in range(10)], np.random.default_rng(len(name)).normal(size=(10, 4)),
                     data={"source": "x.txt"}, name=name, metrics={"loss_per_epoch": [1.0]}).name


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_publish_and_withdraw_update_at_once_and_compare_opens_on_the_chosen_runs(lang: str) -> None:
    info = classes.create_class("Maths")
    ann, bob = classes.join(info.code, "Ann"), classes.join(info.code, "Bob")
    a, b = _student_run(ann.workspace, "ann-run"), _student_run(bob.workspace, "bob-run")
    at = dashboard(info, lang)
    at.selectbox(key="teacher_run_id").select(a).run()
    assert not at.button(key="t_publish").disabled and at.button(key="t_withdraw").disabled
    at.button(key="t_publish").click().run()
    assert at.button(key="t_publish").disabled and not at.button(key="t_withdraw").disabled  # no reload needed
    at.button(key="t_withdraw").click().run()
    assert not at.button(key="t_publish").disabled and at.button(key="t_withdraw").disabled
    at.selectbox(key="teacher_run_b").select(b).run()
    at.button(key="t_compare").click().run()
    assert not at.exception, at.exception
    chosen = (at.selectbox(key="cmp_a").value, at.selectbox(key="cmp_b").value)
    assert [p.split("/")[-1] for p in chosen] == [a, b]  # not the teacher's own sample


def _settings_run(token: str, name: str, arch: str) -> str:
    """A run named ``name`` trained with ``arch`` in the workspace ``token``; its id."""
    import numpy as np

    from tests.support.runs import new_run_path, words_run

    return words_run(new_run_path(token), [f"w{i}" for i in range(10)], np.random.default_rng(3).normal(size=(10, 4)),
                     config={"dim": 4, "epochs": 7, "arch": arch}, data={"source": "x.txt"}, name=name,
                     metrics={"loss_per_epoch": [1.0]}).name


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_runs_table_shows_settings_and_the_model_and_refuses_incomparable_compares(lang: str) -> None:
    info = classes.create_class("Maths")
    ann, bob = classes.join(info.code, "Ann"), classes.join(info.code, "Bob")
    a = _settings_run(ann.workspace, "sg", "skipgram")
    b = _settings_run(bob.workspace, "cb", "cbow")
    at = dashboard(info, lang)
    runs = next(d.value for d in at.dataframe if t("train.f_epochs", lang) in d.value.columns)
    kinds = dict(zip(runs[t("classroom.col_run", lang)], runs[t("classroom.col_kind", lang)], strict=True))
    assert kinds["cb"].startswith("CBOW") and kinds["sg"].startswith("Skip-gram")  # not "skipgram" for a CBOW run
    assert list(runs[t("train.f_epochs", lang)]) == ["7", "7"] and t("train.f_arch", lang) in runs.columns
    # a key number no run has gets no column of "–" (seven such columns hid the settings off to the right)
    assert t("train.loss", lang) in runs.columns and t("train.words_per_s", lang) not in runs.columns
    assert t("train.interactions_per_s", lang) not in runs.columns
    columns = list(runs.columns)  # what the students chose comes before the numbers, in sight without scrolling
    assert columns.index(t("train.f_epochs", lang)) < columns.index(t("train.loss", lang))
    at.selectbox(key="teacher_run_id").select(a).run()
    at.selectbox(key="teacher_run_b").select(b).run()
    assert at.button(key="t_compare").disabled
    assert any(t("common.arch_cbow", lang) in c.value for c in at.caption)  # says why
    import numpy as np

    from tests.support.runs import graph_run, new_run_path

    g = graph_run(new_run_path(bob.workspace), [str(i) for i in range(6)], np.eye(6, 4), name="walks").name
    at = dashboard(info, lang)
    at.selectbox(key="teacher_run_id").select(b).run()
    at.selectbox(key="teacher_run_b").select(g).run()
    why = next(c.value for c in at.caption if t("common.not_comparable_kind", lang, a="", b="")[:4] in c.value)
    assert t("common.arch_cbow", lang) in why and t("common.kind_skipgram", lang) not in why, why  # CBOW, as in Kind


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_teacher_gives_an_assignment_and_the_students_form_is_locked_and_bounded(lang: str, tmp_path: Path) -> None:
    from explorer.jobs import assignments, workspaces
    from explorer.samples.corpus import write_sample_corpus

    info = classes.create_class("Maths", classes.Limits(max_epochs=30))
    corpus, _ = write_sample_corpus(tmp_path)
    novel = workspaces.save_upload(corpus.read_bytes(), ".txt")
    classes.share_dataset(info.teacher_token, novel, "Novel", "corpus")
    ann = classes.join(info.code, "Ann")
    at = dashboard(info, lang)
    at.text_input(key="ta_a_title").input("Week 3").run()
    at.selectbox(key=f"ta_a_kind_{lang}").select("skipgram").run()
    at.selectbox(key=f"ta_a_data_skipgram_{lang}").select(str(novel)).run()
    at.multiselect(key=f"ta_a_fixed_skipgram_{lang}").select("arch").run()
    at.selectbox(key="ta_a_fix_skipgram_arch").select("cbow").run()
    at.multiselect(key=f"ta_a_b_skipgram_{lang}").select("epochs").run()
    at.number_input(key="ta_a_lo_skipgram_epochs").set_value(2).run()
    at.number_input(key="ta_a_hi_skipgram_epochs").set_value(10).run()
    at.button(key="ta_assign_set").click().run()
    assert not at.exception, at.exception
    task = assignments.assignment_of(ann.workspace)
    assert task is not None and task.fixed == {"arch": "cbow"} and task.bounds == {"epochs": [2, 10]}
    assert task.dataset == str(novel)
    assert any(t("teacher_admin.status_not_started", lang) in str(d.value) for d in at.dataframe)

    student = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    student.query_params["ws"] = ann.workspace
    student.session_state["lang"] = lang
    student.run()
    student.switch_page("pages/train.py").run()
    assert not student.exception, student.exception
    assert any("Week 3" in i.value for i in student.info)
    arch = student.selectbox(key="SkipGramConfig_arch_fixed")
    assert arch.value == "cbow" and arch.disabled
    epochs = student.number_input(key="SkipGramConfig_epochs")
    assert (epochs.min, epochs.max) == (2, 10)  # the assignment's range inside the class's limit of 30
    student.button(key="use_assignment_data").click().run()
    assert student.session_state["data_text"]["path"] == str(novel)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_closed_class_is_said_on_train_at_once_and_the_run_name_survives_a_language_switch(lang: str) -> None:
    from explorer.jobs import class_admin

    info = classes.create_class("Maths")
    ann = classes.join(info.code, "Ann")
    class_admin.set_closed(info.teacher_token, True)
    student = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    student.query_params["ws"] = ann.workspace
    student.session_state["lang"] = lang
    student.run()
    student.switch_page("pages/train.py").run()
    assert t("train.class_closed", lang) in [w.value for w in student.warning]
    assert student.get("form_submit_button")[0].proto.disabled  # no Train to press while the class is closed
    before = next(x for x in student.text_input if x.key.startswith("train_run_name_")).id
    student.session_state["lang"] = "zh" if lang == "en" else "en"
    student.run()
    assert not student.exception, student.exception
    # the same widget (same id) under the other language's label: the browser keeps what was typed in it
    assert next(x for x in student.text_input if x.key.startswith("train_run_name_")).id == before


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_assignment_form_says_when_its_epochs_are_too_few_for_the_shared_corpus(lang: str, tmp_path: Path) -> None:
    """A short shared text (about 5,000 tokens): the form says which starting values suit it (the students' Train
    form starts there, and so do the boxes of the form), and warns when the teacher fixes, or caps, the epochs below
    that."""
    import random

    from explorer.jobs import workspaces
    from explorer.kinds.skipgram import suggested_epochs

    rng = random.Random(0)
    words = [f"w{i}" for i in range(300)]
    text = "\n".join(" ".join(rng.choice(words) for _ in range(10)) for _ in range(500)) + "\n"
    story = workspaces.save_upload(text.encode(), ".txt")
    info = classes.create_class("Maths")
    classes.share_dataset(info.teacher_token, story, "Short story", "corpus")
    at = dashboard(info, lang)
    at.selectbox(key=f"ta_a_kind_{lang}").select("skipgram").run()
    at.selectbox(key=f"ta_a_data_skipgram_{lang}").select(str(story)).run()
    assert not at.exception, at.exception
    want = suggested_epochs(5000)
    assert want > 10
    note = ta("assign_counted", lang, tokens="5,000", changes="").split("5,000")[0]
    assert any(note in c.value and str(want) in c.value for c in at.caption), [c.value for c in at.caption]
    assert not [w for w in at.warning if t("train.f_epochs", lang) in w.value]  # nothing fixed yet: no warning
    at.multiselect(key=f"ta_a_fixed_skipgram_{lang}").select("epochs").run()
    # fixed: the box starts at the suggested value (it started at the usual 5, with the warning at once)
    assert at.number_input(key=f"ta_a_fix_skipgram_epochs_{want}").value == want
    assert not [w for w in at.warning if t("train.f_epochs", lang) in w.value]
    at.number_input(key=f"ta_a_fix_skipgram_epochs_{want}").set_value(3).run()
    assert not at.exception, at.exception
    warned = [w.value for w in at.warning if t("train.f_epochs", lang) in w.value and str(want) in w.value]
    assert warned == [ta("assign_below", lang, field=t("train.f_epochs", lang), given=3, suggested=want)], warned
    # a range whose top is enough: no warning; a range capped below: the warning again
    at.multiselect(key=f"ta_a_fixed_skipgram_{lang}").unselect("epochs").run()
    at.multiselect(key=f"ta_a_b_skipgram_{lang}").select("epochs").run()
    assert at.number_input(key=f"ta_a_hi_skipgram_epochs_{want}").value == want  # the range's top starts there too
    assert not [w for w in at.warning if t("train.f_epochs", lang) in w.value and str(want) in w.value]
    at.number_input(key=f"ta_a_hi_skipgram_epochs_{want}").set_value(8).run()
    assert [w for w in at.warning if t("train.f_epochs", lang) in w.value and str(want) in w.value]


def test_the_assignment_form_keeps_its_choices_under_the_new_language_after_a_switch() -> None:
    """Streamlit keeps the label a box shows: after switching to 中文 the form showed 'Skip-gram (words)' and an
    'Epochs' tag (seen in a browser). The choices stay, under the 中文 labels."""
    from explorer.jobs import workspaces

    story = workspaces.save_upload(("one two three four five\n" * 50).encode(), ".txt")
    info = classes.create_class("Maths")
    classes.share_dataset(info.teacher_token, story, "Short story", "corpus")
    at = dashboard(info, "en")
    at.selectbox(key="ta_a_kind_en").select("skipgram").run()
    at.selectbox(key="ta_a_data_skipgram_en").select(str(story)).run()
    at.multiselect(key="ta_a_fixed_skipgram_en").select("epochs").run()
    at.multiselect(key="ta_a_b_skipgram_en").select("dim").run()
    at.session_state["lang"] = "zh"
    at.run()
    assert not at.exception, at.exception
    kind = at.selectbox(key="ta_a_kind_zh")
    assert kind.value == "skipgram" and kind.options[kind.index] == kind_name("skipgram", "zh"), kind.options
    assert at.selectbox(key="ta_a_data_skipgram_zh").value == str(story)
    fixed = at.multiselect(key="ta_a_fixed_skipgram_zh")
    assert fixed.value == ["epochs"] and t("train.f_epochs", "zh") in fixed.options, fixed.options[:3]
    assert at.multiselect(key="ta_a_b_skipgram_zh").value == ["dim"]


def kind_name(kind: str, lang: str) -> str:
    from explorer.kinds import run_kind

    return t(run_kind(kind).label_key, lang)
