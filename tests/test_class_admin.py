"""The teacher's powers over the class (explorer.jobs.class_admin): known answers on a tiny class."""

from __future__ import annotations

from pathlib import Path

import pytest

from explorer import jobs
from explorer.errors import ExplorerError
from explorer.jobs import class_admin, classes, workspaces
from explorer.kinds import spec_from_dict


@pytest.fixture
def klass() -> classes.ClassInfo:
    return classes.create_class("Period 3")


def test_rename_keeps_names_unique(klass: classes.ClassInfo) -> None:
    ann = classes.join(klass.code, "Ann")
    classes.join(klass.code, "Bob")
    assert class_admin.rename_student(klass.teacher_token, ann.workspace, "Anna").display_name == "Anna"
    assert classes.member(ann.workspace).display_name == "Anna"
    with pytest.raises(ExplorerError) as err:
        class_admin.rename_student(klass.teacher_token, ann.workspace, "Bob")
    assert err.value.code == "class_name_taken"


def test_remove_frees_the_name_for_a_rejoin_and_keeps_runs(klass: classes.ClassInfo) -> None:
    ghost = classes.join(klass.code, "Ann")  # a crashed tab: the name is taken
    with pytest.raises(ExplorerError):
        classes.join(klass.code, "Ann")
    run = workspaces.runs_dir(ghost.workspace) / "kept"
    run.mkdir(parents=True)
    class_admin.remove_student(klass.teacher_token, ghost.workspace)
    assert classes.member(ghost.workspace) is None and run.is_dir()
    again = classes.join(klass.code, "Ann")
    assert again.workspace != ghost.workspace


def test_reset_gives_a_new_link_with_the_same_name(klass: classes.ClassInfo) -> None:
    ann = classes.join(klass.code, "Ann")
    fresh = class_admin.reset_student(klass.teacher_token, ann.workspace)
    assert fresh.display_name == "Ann" and fresh.workspace != ann.workspace
    assert classes.member(ann.workspace) is None and classes.member(fresh.workspace).class_id == klass.id
    assert class_admin.student_link(fresh.workspace, "http://10.0.0.5:8501/") == f"http://10.0.0.5:8501/?ws={fresh.workspace}"


def test_another_class_is_out_of_reach(klass: classes.ClassInfo) -> None:
    other = classes.create_class("Period 4")
    bob = classes.join(other.code, "Bob")
    for call in (lambda: class_admin.rename_student(klass.teacher_token, bob.workspace, "X"),
                 lambda: class_admin.remove_student(klass.teacher_token, bob.workspace),
                 lambda: class_admin.reset_student(klass.teacher_token, bob.workspace)):
        with pytest.raises(ExplorerError) as err:
            call()
        assert err.value.code == "class_not_student"
    assert classes.member(bob.workspace).display_name == "Bob"
    with pytest.raises(ExplorerError) as err:
        class_admin.rotate_code("x" * 32)  # a forged teacher token
    assert err.value.code == "class_not_teacher"


def test_rotate_code_retires_the_old_join_link(klass: classes.ClassInfo) -> None:
    ann = classes.join(klass.code, "Ann")
    new = class_admin.rotate_code(klass.teacher_token)
    assert new.code != klass.code and len(new.code) == classes.CODE_LENGTH
    with pytest.raises(ExplorerError) as err:
        classes.join(klass.code, "Bob")
    assert err.value.code == "class_unknown_code"
    assert classes.join(new.code, "Bob").class_id == klass.id
    assert classes.member(ann.workspace).class_id == klass.id  # students already in stay


def test_closed_class_refuses_joins_and_training_then_reopens(klass: classes.ClassInfo) -> None:
    ann = classes.join(klass.code, "Ann")
    one_epoch = spec_from_dict({"kind": "skipgram", "data": {"corpus": "corpus.txt"}, "config": {"epochs": 1}})
    class_admin.set_closed(klass.teacher_token, True)
    assert classes.is_closed(klass.id)
    with pytest.raises(ExplorerError) as err:
        classes.join(klass.code, "Bob")
    assert err.value.code == "class_closed"
    with pytest.raises(ExplorerError) as err:
        classes.check_submit(ann.workspace, one_epoch)
    assert err.value.code == "class_closed_submit"
    class_admin.set_closed(klass.teacher_token, False)
    classes.check_submit(ann.workspace, one_epoch)
    assert classes.join(klass.code, "Bob").display_name == "Bob"


def test_teacher_cancels_only_their_students_jobs(klass: classes.ClassInfo, tmp_path) -> None:
    from explorer.samples.corpus import write_sample_corpus

    corpus, _ = write_sample_corpus(tmp_path)
    ann = classes.join(klass.code, "Ann")
    job = jobs.submit({"kind": "skipgram", "data": {"corpus": str(corpus)}, "config": {"epochs": 1}}, ann.workspace)
    run = _words_run(ann.workspace, "novel", epochs=1)
    jobs.submit_projection(str(run), "tsne", 2, {"perplexity": 5}, ann.workspace)  # a map step 4 queued: not listed
    assert [j.id for _, j in class_admin.student_jobs(klass.teacher_token)] == [job]
    other = classes.create_class("Period 4")
    with pytest.raises(ExplorerError) as err:
        class_admin.cancel_student_job(other.teacher_token, job)
    assert err.value.code == "class_not_student_job"
    assert jobs.get(job).state == "queued"
    assert class_admin.cancel_student_job(klass.teacher_token, job) is True
    assert jobs.get(job).state == "cancelled"
    assert class_admin.student_jobs(klass.teacher_token) == []


def test_share_every_kind_with_companions_list_and_unshare(klass: classes.ClassInfo) -> None:
    log = workspaces.save_upload(b"user_id:token\titem_id:token\n1\t2\n", ".inter")  # a RecBole atomic file
    items = workspaces.save_upload(b"item_id:token\ttitle:token_seq\n2\tToy Story\n", ".item")
    graph = workspaces.save_upload(b"a b\nb c\n", ".edgelist")
    labels = workspaces.save_upload(b"a,x\nb,y\n", ".csv")
    classes.share_dataset(klass.teacher_token, log, "Movies", "interactions", {"items": items})
    classes.share_dataset(klass.teacher_token, graph, "Friends", "graph", {"labels": labels})
    ann = classes.join(klass.code, "Ann")
    shared = {d["label"]: d for d in classes.shared_datasets(ann.workspace)}
    assert shared["Movies"]["kind"] == "interactions" and shared["Movies"]["extra"] == {"items": str(items)}
    assert shared["Friends"]["extra"] == {"labels": str(labels)}
    with pytest.raises(ExplorerError) as err:  # a log has item metadata, not labels
        classes.share_dataset(klass.teacher_token, log, "Movies", "interactions", {"labels": labels})
    assert err.value.code == "class_share_role"
    with pytest.raises(ExplorerError) as err:
        classes.share_dataset(klass.teacher_token, log, "Movies", "music")
    assert err.value.code == "class_share_kind"
    other = classes.create_class("Period 4")
    with pytest.raises(ExplorerError):  # another teacher cannot un-share this class's data
        classes.unshare_dataset(other.teacher_token, str(graph))
    classes.unshare_dataset(klass.teacher_token, str(graph))
    assert [d["label"] for d in classes.shared_datasets(ann.workspace)] == ["Movies"]
    assert graph.is_file()  # the upload itself stays
    with pytest.raises(ExplorerError) as err:
        classes.unshare_dataset(klass.teacher_token, str(graph))
    assert err.value.code == "class_not_shared"


def test_one_file_shared_under_two_kinds_lists_and_unshares_each(klass: classes.ClassInfo) -> None:
    text = workspaces.save_upload("第一章 天下大势\n第二章 桃园结义\n".encode(), ".txt")
    labels = workspaces.save_upload(b"a,x\n", ".csv")
    classes.share_dataset(klass.teacher_token, text, "Novel", "corpus", {"labels": labels})
    classes.share_dataset(klass.teacher_token, text, "Novel chapters", "documents")
    ann = classes.join(klass.code, "Ann")
    shared = {d["kind"]: d for d in classes.shared_datasets(ann.workspace)}
    assert set(shared) == {"corpus", "documents"}  # the second share did not replace the first
    assert shared["corpus"]["extra"] == {"labels": str(labels)} and shared["documents"]["extra"] == {}
    classes.share_dataset(klass.teacher_token, text, "Novel, again", "corpus")  # re-sharing one kind replaces it
    shared = {d["kind"]: d for d in classes.shared_datasets(ann.workspace)}
    assert shared["corpus"]["label"] == "Novel, again" and shared["corpus"]["extra"] == {}
    classes.unshare_dataset(klass.teacher_token, str(text), "corpus")
    assert [(d["kind"], d["label"]) for d in classes.shared_datasets(ann.workspace)] == [("documents", "Novel chapters")]
    with pytest.raises(ExplorerError) as err:
        classes.unshare_dataset(klass.teacher_token, str(text), "corpus")
    assert err.value.code == "class_not_shared"


def test_a_class_database_from_before_kinds_keeps_its_shares(klass: classes.ClassInfo) -> None:
    import sqlite3

    from explorer.jobs import store

    text = workspaces.save_upload(b"a b c\n", ".txt")
    labels = workspaces.save_upload(b"a,x\n", ".csv")
    ann = classes.join(klass.code, "Ann")
    store.forget()
    with sqlite3.connect(classes.db_path()) as conn:  # the tables as the first release made them
        conn.executescript("""
            DROP TABLE shared; DROP TABLE shared_files;
            CREATE TABLE shared (class_id TEXT NOT NULL, path TEXT NOT NULL, label TEXT NOT NULL, kind TEXT NOT NULL,
                                 shared REAL NOT NULL, PRIMARY KEY (class_id, path));
            CREATE TABLE shared_files (class_id TEXT NOT NULL, path TEXT NOT NULL, role TEXT NOT NULL,
                                       file TEXT NOT NULL, PRIMARY KEY (class_id, path, role));
            PRAGMA user_version = 7;""")
        conn.execute("INSERT INTO shared VALUES (?, ?, 'Week 1', 'corpus', 1.0)", (klass.id, str(text)))
        conn.execute("INSERT INTO shared_files VALUES (?, ?, 'labels', ?)", (klass.id, str(text), str(labels)))
    store.forget()
    old = classes.shared_datasets(ann.workspace)
    assert [(d["label"], d["kind"], d["extra"]) for d in old] == [("Week 1", "corpus", {"labels": str(labels)})]
    classes.share_dataset(klass.teacher_token, text, "Week 1 chapters", "documents")
    assert sorted(d["kind"] for d in classes.shared_datasets(ann.workspace)) == ["corpus", "documents"]
    store.forget()  # upgraded once: opening it again changes nothing
    assert len(classes.shared_datasets(ann.workspace)) == 2


def test_teacher_tokens_never_start_with_a_dash(monkeypatch: pytest.MonkeyPatch) -> None:
    """``--teacher TOKEN`` on the command line: a token starting with '-' would be read as a flag (1 in 64 before)."""
    real = classes.secrets.token_urlsafe
    dashed: list[int] = []

    def draw(n: int) -> str:  # every first draw of a teacher token (24 bytes) starts with a dash
        if n == 24 and not dashed:
            dashed.append(n)
            return "-" + real(n)[1:]
        return real(n)

    monkeypatch.setattr(classes.secrets, "token_urlsafe", draw)
    token = classes.create_class("Period 5").teacher_token
    assert dashed and not token.startswith("-") and len(token) == 32


def _words_run(token: str, name: str, epochs: int) -> Path:
    import numpy as np

    from tests.support.runs import new_run_path, words_run

    words = [f"w{i}" for i in range(12)]
    return words_run(new_run_path(token), words, np.random.default_rng(epochs).normal(size=(12, 4)),
                     labels={w: ("a" if i % 2 else "b") for i, w in enumerate(words)},
                     config={"dim": 4, "epochs": epochs, "arch": "cbow"}, data={"source": "/srv/x.txt"}, name=name,
                     metrics={"loss_per_epoch": [2.0, 0.5], "words_per_s": 100.0})


def test_class_report_rows_csv_and_printable_page(klass: classes.ClassInfo) -> None:
    from explorer.jobs import class_report

    ann = classes.join(klass.code, "安娜")  # Chinese names survive the CSV (UTF-8 with BOM)
    bob = classes.join(klass.code, "Bob")
    _words_run(ann.workspace, "novel <b>run</b>", epochs=3)
    assert class_report.record_answer(ann.workspace, "lq_check", "t-SNE", True)
    assert class_report.record_answer(ann.workspace, "lo_check", "0.1", False)
    assert class_report.record_answer(ann.workspace, "lq_check", "PCA", False)  # the latest answer counts
    assert not class_report.record_answer(workspaces.new_token(), "lq_check", "PCA", True)  # no class: not kept
    rows = {r["student"]: r for r in class_report.rows(klass.teacher_token)}
    assert rows["安娜"]["setting.epochs"] == 3 and rows["安娜"]["setting.arch"] == "cbow"
    assert rows["安娜"]["number.loss"] == 0.5 and rows["安娜"]["answered"] == 2 and rows["安娜"]["correct"] == 0
    assert rows["Bob"]["run"] == "" and rows["Bob"]["answered"] == 0  # a student without runs still has a row
    assert rows["安娜"]["data"] == ""  # the run records a server path: never shown
    # a run on the class's shared dataset names it by the teacher's label (found by the upload's sha256)
    import numpy as np

    from tests.support.runs import new_run_path, useritem_run

    log = workspaces.save_upload(b"user,item\nu1,i1\nu2,i2\n", ".csv")
    classes.share_dataset(klass.teacher_token, log, "Week 3 clicks", "interactions")
    useritem_run(new_run_path(bob.workspace), np.eye(2, 4), np.eye(2, 4), user_ids=["u1", "u2"], item_ids=["i1", "i2"],
                 data={"interactions": str(log), "sha256": log.stem}, name="bob-recs")
    rows = {r["run"]: r for r in class_report.rows(klass.teacher_token)}
    assert rows["bob-recs"]["data"] == "Week 3 clicks", rows["bob-recs"]
    assert "<td>Week 3 clicks</td>" in class_report.to_html(klass.teacher_token, str.upper)  # printed too
    csv_bytes = class_report.to_csv(klass.teacher_token)
    assert csv_bytes.startswith("\ufeff".encode()) and "安娜".encode() in csv_bytes and b"/srv/" not in csv_bytes
    classes.publish(klass.teacher_token, ann.workspace, workspaces.list_runs(ann.workspace)[0].run_id)
    page = class_report.to_html(klass.teacher_token, str.upper)
    assert "<svg" in page and page.count("<circle") == 12  # the gallery run's map, one dot per word
    assert "novel &lt;b&gt;run&lt;/b&gt;" in page and "<b>run</b>" not in page  # user text escaped
    assert "STUDENT" in page and "安娜" in page and str(bob.display_name) in page
    # printed for people: the model as the dashboard names it (a CBOW run is not "skipgram"), numbers rounded
    from explorer.i18n import t

    page = class_report.to_html(klass.teacher_token, str.upper, label=lambda key: t(key, "zh"))
    assert f"<td>{t('common.arch_cbow', 'zh')}" in page and "<td>skipgram</td>" not in page
    assert "<td>0.5000</td>" in page and "<td>100</td>" in page, page  # loss 0.5, words/s 100.0
    with pytest.raises(ExplorerError):
        class_report.rows("x" * 32)  # only the teacher token opens it
