"""A data home shared by several machines (NFS): ``EXPLORER_JOBS_JOURNAL=delete`` holds for every SQLite file
that the jobs and the classes keep there (WAL's shared-memory index does not work across machines).

The queue's own SQLite file is not among them: several machines share a Redis queue instead
(docs/deployment-two-hosts.md)."""

from __future__ import annotations

from pathlib import Path

import pytest

from explorer import jobs
from explorer.jobs import classes, workspaces
from tests.support import jobs as S
from tests.support.jobs import fake_kinds  # noqa: F401  (registers the fake kinds for this module)


def _journal(path: Path) -> str:
    """``wal`` or ``rollback``, from the SQLite header (bytes 18-19: 2 for WAL, 1 for the rollback journal)."""
    header = path.read_bytes()[:20]
    assert header[:16] == b"SQLite format 3\x00", path
    return {b"\x02\x02": "wal", b"\x01\x01": "rollback"}[header[18:20]]


@pytest.mark.parametrize("mode, expected", [("delete", "rollback"), ("wal", "wal")])
def test_every_sqlite_file_follows_the_journal_setting(explorer_home: Path, monkeypatch: pytest.MonkeyPatch,
                                                       mode: str, expected: str) -> None:
    monkeypatch.setenv("EXPLORER_JOBS_JOURNAL", mode)
    monkeypatch.setenv("EXPLORER_START_WORKER", "0")
    teacher = classes.create_class("Class 7b")
    student = workspaces.new_token()
    classes.join(teacher.code, "Ana", student)
    job = jobs.submit(S.sleep_spec("shared"), student)  # the job table and the class's limits
    assert jobs.get(job, student).state == "queued"
    files = sorted(p.name for p in explorer_home.glob("*.sqlite") if p.name != "queue.sqlite")
    assert files == ["classes.sqlite", "jobs.sqlite"]
    assert {name: _journal(explorer_home / name) for name in files} == dict.fromkeys(files, expected)
    if mode == "delete":
        assert not [name for name in files if (explorer_home / f"{name}-wal").exists()]
