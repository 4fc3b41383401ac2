"""Classes: roles (teacher token, students' workspaces), limits at submit, the class gallery, read-only viewing."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import pytest

from explorer import jobs
from explorer.cli import main
from explorer.errors import ExplorerError
from explorer.jobs import classes, visibility, workspaces
from explorer.runs import cache, saved_clusterings
from tests.support.runs import new_run_path, words_run

ROOT = Path(__file__).resolve().parents[1]


TINY = {"tokens": [f"w{i}" for i in range(12)], "vectors": np.random.default_rng(0).normal(size=(12, 4)), "name": "tiny",
        "metrics": {"loss_per_epoch": [2.0, 1.5], "words_per_s": 1234.0}}


def tree_digest(path: Path) -> dict[str, str]:
    """Every file under ``path`` with the sha256 of its bytes."""
    return {str(p.relative_to(path)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(path.rglob("*")) if p.is_file()}


def spec(epochs: int = 1, dim: int = 8) -> dict:
    corpus = ROOT / "README.md"
    return {"kind": "skipgram", "name": "s", "data": {"corpus": str(corpus)}, "config": {"epochs": epochs, "dim": dim}}


def test_create_join_and_roles(explorer_home: Path) -> None:
    info = classes.create_class("Physics 1")
    links = info.links("http://host:8605")
    assert links["join_link"] == f"http://host:8605/?join={info.code}" and info.teacher_token in links["teacher_link"]
    assert classes.teacher_class(info.teacher_token).id == info.id
    ann = classes.join(info.code, "Ann")
    bob = classes.join(info.code.lower(), "  Bob  ")
    assert bob.display_name == "Bob" and workspaces.is_valid_token(ann.workspace) and ann.workspace != bob.workspace
    with pytest.raises(ExplorerError, match="already taken") as taken:
        classes.join(info.code, "Ann")
    assert taken.value.code == "class_name_taken"
    with pytest.raises(ExplorerError, match="only the class's teacher link"):
        classes.teacher_class(ann.workspace)  # a student's token is no teacher token
    with pytest.raises(ExplorerError, match="no class has this code"):
        classes.join("NOPE1234", "Cy")
    other = classes.create_class("Chemistry")
    with pytest.raises(ExplorerError, match="another class") as refused:
        classes.join(other.code, "Ann again", workspace=ann.workspace)
    assert refused.value.code == "class_other_class"
    classes.check_student_access(info.teacher_ws, ann.workspace)  # the teacher reads the class's students
    with pytest.raises(ExplorerError, match="another workspace"):
        classes.check_student_access(bob.workspace, ann.workspace)
    with pytest.raises(ExplorerError, match="another workspace"):
        classes.check_student_access(other.teacher_ws, ann.workspace)  # another class's teacher
    assert classes.class_of(workspaces.new_token()) is None  # no class: works as before


def test_roster_and_key_numbers(explorer_home: Path) -> None:
    info = classes.create_class("C")
    ann = classes.join(info.code, "Ann")
    words_run(new_run_path(ann.workspace), **TINY)
    jobs.submit(spec(), ann.workspace)
    rows = classes.roster(info.teacher_token)
    assert [(r.display_name, r.queued, r.runs) for r in rows] == [("Ann", 1, 1)]
    # the maps a lesson page queues for a student's run are not the student's jobs: the roster does not count them
    run = words_run(new_run_path(ann.workspace), **TINY)
    jobs.submit_projection(str(run), "tsne", 2, {"perplexity": 5}, ann.workspace)
    assert [(r.queued, r.runs) for r in classes.roster(info.teacher_token)] == [(1, 2)]
    runs = classes.student_runs(info.teacher_token)
    assert runs[0].numbers["loss"] == 1.5 and runs[0].numbers["words/s"] == 1234.0
    numbers = classes.key_numbers({"test": {"full": {"model": {"HR@10": 0.5, "NDCG@10": 0.25}}}}, "useritem")
    assert numbers == {"HR@10": 0.5, "NDCG@10": 0.25}
    with pytest.raises(ExplorerError):
        classes.roster(ann.workspace)


def test_limits_are_refused_at_submit_with_one_line(explorer_home: Path) -> None:
    info = classes.create_class("C", classes.Limits(max_epochs=3, max_dim=50, max_corpus_mb=0.001, max_jobs=1))
    ann = classes.join(info.code, "Ann")
    for bad, code in ((spec(epochs=5), "class_limit_epochs"), (spec(dim=100), "class_limit_dim"),
                      (spec(), "class_limit_corpus")):
        with pytest.raises(ExplorerError) as exc:
            jobs.submit(bad, ann.workspace)
        assert exc.value.code == code and "\n" not in str(exc.value)
    classes.set_limits(info.teacher_token, classes.Limits(max_jobs=1))
    jobs.submit(spec(), ann.workspace)
    with pytest.raises(ExplorerError, match="1 job\\(s\\) at once") as exc:
        jobs.submit(spec(), ann.workspace)
    assert exc.value.code == "class_limit_jobs"
    jobs.submit(spec(epochs=50), workspaces.new_token())  # outside a class: no limits


def test_cli_class_commands_and_student_refusals(explorer_home: Path, monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture) -> None:
    assert main(["class", "create", "Bio", "--max-epochs", "2", "--base-url", "http://h"]) == 0
    made = json.loads(capsys.readouterr().out)
    assert made["join_link"] == f"http://h/?join={made['code']}" and made["limits"]["max_epochs"] == 2
    assert main(["class", "join", made["code"], "--name", "Ann"]) == 0
    ann = json.loads(capsys.readouterr().out)["workspace"]
    bob = classes.join(made["code"], "Bob").workspace
    bobs_job = jobs.submit(spec(), bob)
    monkeypatch.setenv("EXPLORER_WORKSPACE", ann)
    assert main(["status", bobs_job]) == 2  # a student's CLI: another workspace's job is refused
    assert "another workspace" in capsys.readouterr().err
    assert main(["cancel", bobs_job]) == 2
    assert jobs.get(bobs_job).state == "queued"
    capsys.readouterr()
    assert main(["submit", "skipgram", "--corpus", str(ROOT / "README.md"), "--out", str(explorer_home / "o"),
                 "--epochs", "5"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: epochs: the class allows at most 2") and "\n" not in err
    assert main(["class", "roster", "--teacher", ann]) == 2  # a student's token opens no dashboard
    assert "teacher" in capsys.readouterr().err
    monkeypatch.setenv("EXPLORER_WORKSPACE", classes.teacher_class(made["teacher_token"]).teacher_ws)
    assert main(["status", bobs_job]) == 0  # the teacher reads the class's jobs
    capsys.readouterr()
    assert main(["class", "roster", "--teacher", made["teacher_token"]]) == 0
    assert {r["display_name"] for r in json.loads(capsys.readouterr().out)} == {"Ann", "Bob"}


@pytest.mark.slow  # a real t-SNE and PCA in process (~7 s with imports)
def test_gallery_is_per_class_and_a_viewer_leaves_it_byte_identical(explorer_home: Path) -> None:
    projection = pytest.importorskip("explorer.analysis.projection")
    from explorer.jobs import execute as worker

    a, b = classes.create_class("A"), classes.create_class("B")
    ann = classes.join(a.code, "Ann")
    cy = classes.join(a.code, "Cy")
    dan = classes.join(b.code, "Dan")
    run = words_run(new_run_path(ann.workspace), **TINY)
    projection.precompute(run)
    classes.publish(a.teacher_token, ann.workspace, run.name, "first try")
    entries = visibility.gallery_entries(cy.workspace)
    assert [(e.author, e.description, e.kind) for e in entries] == [("Ann", "first try", "skipgram")]
    assert visibility.gallery_entries(dan.workspace) == [] and visibility.gallery_entries(workspaces.new_token()) == []
    gallery_run = Path(entries[0].path)
    before = tree_digest(gallery_run)
    own_before = tree_digest(run)
    # a classmate saves a clustering and asks for a t-SNE of the published run
    store = workspaces.derived_dir(cy.workspace, gallery_run)
    saved_clusterings.save_clustering(store, np.zeros(12, dtype=np.int32), "kmeans", {"k": 2, "seed": 0}, "vectors", {})
    job = jobs.submit_projection(str(gallery_run), "tsne", 2, {"perplexity": 3}, cy.workspace)
    worker.execute_job(job)
    assert jobs.get(job).state == "done", jobs.get(job).error
    # the teacher opens the student's own run and asks for a UMAP-free PCA with a new seed
    job = jobs.submit_projection(str(run), "pca", 2, {"seed": 5}, a.teacher_ws)
    worker.execute_job(job)
    assert jobs.get(job).state == "done", jobs.get(job).error
    assert tree_digest(gallery_run) == before and tree_digest(run) == own_before
    assert [c.name for c in saved_clusterings.load_clusterings(store)] == ["kmeans-k2-seed0-vectors"]
    assert saved_clusterings.load_clusterings(workspaces.derived_dir(dan.workspace, gallery_run)) == []
    shared = workspaces.shared_projection_store(gallery_run)
    assert len(cache.projection_files(shared, "tsne", 2)) == 1  # cached by run and parameters for every viewer
    with pytest.raises(ExplorerError, match="not a run of this workspace"):
        jobs.submit_projection(str(run), "pca", 2, {}, cy.workspace)  # a classmate's own run: refused
    classes.withdraw(a.teacher_token, run.name)
    assert visibility.gallery_entries(cy.workspace) == []


def test_shared_datasets(explorer_home: Path) -> None:
    info = classes.create_class("C")
    ann = classes.join(info.code, "Ann")
    path = workspaces.save_upload(b"a b c\nb c d\n", ".txt")
    classes.share_dataset(info.teacher_token, path, "Week 1 text", "corpus")
    assert [d["label"] for d in classes.shared_datasets(ann.workspace)] == ["Week 1 text"]
    assert classes.shared_datasets(workspaces.new_token()) == []
    with pytest.raises(ExplorerError, match="only uploaded files"):
        classes.share_dataset(info.teacher_token, ROOT / "README.md", "x", "corpus")


# --------------------------------------------------------------------------- faults and numbers (issue 23)


@pytest.mark.parametrize("name", ["\u3164", "\u115f\u1160", "\u200b\u200d", "\ufeff", "\u2800", " \u3164 "])
def test_visually_blank_names_are_refused_like_empty_ones(name: str) -> None:
    with pytest.raises(ExplorerError) as caught:
        classes.clean_name(name, "display name")
    assert caught.value.code == "class_name_empty"
    assert classes.clean_name("Ann\u3164", "display name") == "Ann\u3164"


@pytest.mark.parametrize("value", [float("nan"), float("inf"), -1, 10**12])
def test_a_class_limit_is_finite_and_in_range(value: float) -> None:
    with pytest.raises(ExplorerError) as caught:
        classes.Limits.from_dict({"max_corpus_mb": value})
    assert caught.value.code in ("class_bad_limit", "class_limit_range") and "max_corpus_mb" in str(caught.value)


def test_a_damaged_class_database_is_moved_aside(explorer_home: Path, capsys: pytest.CaptureFixture) -> None:
    from explorer.jobs import recovery, store

    store.forget()
    (explorer_home / "classes.sqlite").write_bytes(b"not a database" * 100)
    info = classes.create_class("Room")
    assert classes.class_by_code(info.code).id == info.id
    assert len(list(explorer_home.glob("classes.sqlite.damaged-*"))) == 1
    assert recovery.NOTICES[-1].code == "store_moved_aside" and "class database" in capsys.readouterr().err
    store.forget()


def test_a_ready_class_database_is_read_without_a_journal_switch(explorer_home: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from explorer.jobs import store

    info = classes.create_class("Room")
    store.forget()  # as a new process
    seen: list[str] = []
    real = store.StoreConnection.execute
    monkeypatch.setattr(store.StoreConnection, "execute",
                        lambda self, sql, parameters=(), /: seen.append(sql) or real(self, sql, parameters))
    assert classes.get_class(info.id).name == "Room"
    assert not [s for s in seen if "journal_mode =" in s or "CREATE" in s or "user_version =" in s], seen
    store.forget()
