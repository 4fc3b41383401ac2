"""Assignments (explorer.jobs.assignments): validation, the form's bounds, submissions checked, students' status."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from explorer import jobs
from explorer.errors import ExplorerError
from explorer.jobs import assignments, classes, workspaces
from explorer.jobs.assignments import Assignment
from explorer.samples.corpus import write_sample_corpus


@pytest.fixture
def klass() -> classes.ClassInfo:
    return classes.create_class("Period 3", classes.Limits(max_epochs=20, max_dim=64))


@pytest.fixture
def novel(klass: classes.ClassInfo, tmp_path: Path) -> Path:
    corpus, _ = write_sample_corpus(tmp_path)
    path = workspaces.save_upload(corpus.read_bytes(), ".txt")
    classes.share_dataset(klass.teacher_token, path, "Novel", "corpus")
    return path


def test_validation_refuses_unknown_fields_bad_values_and_bounds(klass: classes.ClassInfo, novel: Path) -> None:
    bad = [Assignment("A", "nope"), Assignment("A", "skipgram", fixed={"dimm": 5}),
           Assignment("A", "skipgram", fixed={"dim": -3}), Assignment("A", "skipgram", bounds={"arch": [0, 1]}),
           Assignment("A", "skipgram", bounds={"epochs": [9, 2]}),
           Assignment("A", "skipgram", bounds={"epochs": [1, float("nan")]}),
           Assignment("A", "skipgram", due=float("inf")), Assignment("", "skipgram"),
           Assignment("A", "skipgram", dataset="/not/shared.txt")]
    for a in bad:
        with pytest.raises(ExplorerError):
            assignments.set_assignment(klass.teacher_token, a)
    assert assignments.assignment_of(klass.teacher_ws) is None
    with pytest.raises(ExplorerError):
        assignments.set_assignment("x" * 32, Assignment("A", "skipgram"))


def test_form_bounds_combine_class_limits_and_the_assignment(klass: classes.ClassInfo, novel: Path) -> None:
    ann = classes.join(klass.code, "Ann")
    assert assignments.form_bounds(ann.workspace, "skipgram") == {"epochs": (None, 20.0), "dim": (None, 64.0)}
    assignments.set_assignment(klass.teacher_token, Assignment("Week 3", "skipgram", str(novel), {"arch": "cbow"},
                                                               {"epochs": [2, 30], "window": [2, 8]}))
    bounds = assignments.form_bounds(ann.workspace, "skipgram")
    assert bounds["epochs"] == (2, 20.0) and bounds["window"] == (2, 8) and bounds["dim"] == (None, 64.0)
    assert assignments.form_bounds(workspaces.new_token(), "skipgram") == {}  # no class: the declared bounds only


def _spec(corpus: Path, **config: object) -> dict:
    return {"kind": "skipgram", "data": {"corpus": str(corpus)}, "config": {"epochs": 3, "dim": 32, **config}}


def test_submissions_for_the_assignment_keep_its_rules(klass: classes.ClassInfo, novel: Path, tmp_path: Path) -> None:
    ann = classes.join(klass.code, "Ann")
    assignments.set_assignment(klass.teacher_token, Assignment("Week 3", "skipgram", str(novel), {"arch": "cbow"},
                                                               {"window": [2, 8]}))
    with pytest.raises(ExplorerError) as err:
        jobs.submit(_spec(novel, arch="skipgram"), ann.workspace)
    assert err.value.code == "assignment_broken" and err.value.params["field"] == "arch"
    with pytest.raises(ExplorerError) as err:
        jobs.submit(_spec(novel, arch="cbow", window=10), ann.workspace)
    assert err.value.params["field"] == "window"
    assert jobs.submit(_spec(novel, arch="cbow", window=4), ann.workspace)
    (tmp_path / "other").mkdir()
    other, _ = write_sample_corpus(tmp_path / "other")
    assert jobs.submit(_spec(other, arch="skipgram"), ann.workspace)  # other data: free practice


def _run(token: str, source: Path, arch: str) -> None:
    from tests.support.runs import new_run_path, words_run

    words_run(new_run_path(token), ["a", "b", "c", "d"], np.ones((4, 2), np.float32),
              config={"arch": arch, "window": 4}, data={"source": str(source)}, name=f"{arch} run")


def test_each_students_status(klass: classes.ClassInfo, novel: Path) -> None:
    ann, bob, cy = (classes.join(klass.code, n) for n in ("Ann", "Bob", "Cy"))
    assignments.set_assignment(klass.teacher_token, Assignment("Week 3", "skipgram", str(novel), {"arch": "cbow"},
                                                               due=4102444800.0))  # 2100-01-01
    _run(ann.workspace, novel, "cbow")
    _run(bob.workspace, novel, "skipgram")  # breaks the fixed arch: does not hand it in
    got = {s.display_name: s.status for s in assignments.statuses(klass.teacher_token)}
    assert got == {"Ann": "handed_in", "Bob": "not_started", "Cy": "not_started"}
    assignments.set_assignment(klass.teacher_token, Assignment("Week 3", "skipgram", str(novel), {"arch": "cbow"},
                                                               due=946684800.0))  # 2000-01-01: everything is late
    assert {s.display_name: s.status for s in assignments.statuses(klass.teacher_token)}["Ann"] == "late"
    assignments.clear_assignment(klass.teacher_token)
    assert assignments.statuses(klass.teacher_token) == [] and assignments.assignment_of(ann.workspace) is None
