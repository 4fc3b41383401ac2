"""The teacher runs the class: rename, remove or reset a student (and recover or renew their link), close or
reopen the class, rotate its join code, cancel a student's job.

Every call takes the teacher token and checks it (:func:`explorer.jobs.classes.teacher_class`); a student is
addressed by their workspace token and must belong to the teacher's class. Nothing here deletes a run: a removed
or reset student's runs stay in their old workspace folder (the teacher keeps reading them until removal).
"""

from __future__ import annotations

import secrets
import sqlite3

from explorer.errors import ExplorerError
from explorer.jobs import classes
from explorer.jobs.classes import ClassInfo, Member


def _student(teacher_token: str, workspace: str) -> tuple[ClassInfo, Member]:
    info = classes.teacher_class(teacher_token)
    found = classes.member(workspace)
    if found is None or found.class_id != info.id:
        raise ExplorerError("student: not a student of this class", code="class_not_student")
    return info, found


def student_link(workspace: str, base_url: str = "") -> str:
    """The link that opens this student's own workspace (what a student who lost their tab needs back)."""
    base = (base_url or "http://localhost:8501").rstrip("/")
    return f"{base}/?ws={workspace}"


def rename_student(teacher_token: str, workspace: str, new_name: str) -> Member:
    """Give a student another display name (unique in the class, same rules as joining)."""
    info, found = _student(teacher_token, workspace)
    name = classes.clean_name(new_name, "display name")
    conn = classes.connect()
    taken = conn.execute("SELECT 1 FROM members WHERE class_id = ? AND display_name = ? AND workspace != ?",
                         (info.id, name, workspace)).fetchone()
    if taken is not None:
        raise ExplorerError(f"display name {name!r}: already taken in this class", code="class_name_taken", name=name)
    conn.execute("UPDATE members SET display_name = ? WHERE workspace = ?", (name, workspace))
    found.display_name = name
    return found


def remove_student(teacher_token: str, workspace: str) -> None:
    """Take a student (or a ghost row left by a crashed tab) off the roster; their runs leave the class gallery.

    The name is free again, so the student can rejoin with it. Their runs are not deleted.
    """
    info, _ = _student(teacher_token, workspace)
    conn = classes.connect()
    for row in conn.execute("SELECT run_id FROM gallery WHERE class_id = ? AND workspace = ?",
                            (info.id, workspace)).fetchall():
        classes.withdraw(teacher_token, row["run_id"])
    for run_id in classes.published_ids(info.id):  # what the student published from the Runs page: out of
        if classes.gallery_author(run_id) == workspace:  # the class, it would fall into the open gallery
            classes.withdraw(teacher_token, run_id)
    conn.execute("DELETE FROM members WHERE workspace = ?", (workspace,))


def reset_student(teacher_token: str, workspace: str) -> Member:
    """A fresh, empty workspace for the same student (same display name): a new link to hand out.

    The old link stops opening a class workspace (it keeps its runs as a private workspace outside the class).
    """
    from explorer.jobs.workspaces import new_token

    info, found = _student(teacher_token, workspace)
    remove_student(teacher_token, workspace)
    return classes.join(info.code, found.display_name, new_token())


def rotate_code(teacher_token: str) -> ClassInfo:
    """A new join code: the old join link stops working; students already in the class are not affected."""
    info = classes.teacher_class(teacher_token)
    conn = classes.connect()
    for _ in range(20):
        code = "".join(secrets.choice(classes.CODE_ALPHABET) for _ in range(classes.CODE_LENGTH))
        try:
            conn.execute("UPDATE classes SET code = ? WHERE id = ?", (code, info.id))
        except sqlite3.IntegrityError:  # another class has it: draw again
            continue
        info.code = code
        return info
    raise ExplorerError("class: could not draw a free class code", code="class_code_exhausted")


def set_closed(teacher_token: str, closed: bool) -> ClassInfo:
    """Close (archive) or reopen the class. Closed: joining and new training are refused; runs, gallery and
    dashboard stay readable."""
    import time

    info = classes.teacher_class(teacher_token)
    conn = classes.connect()
    if closed:
        conn.execute("INSERT OR IGNORE INTO closed (class_id, closed) VALUES (?, ?)", (info.id, time.time()))
    else:
        conn.execute("DELETE FROM closed WHERE class_id = ?", (info.id,))
    return info


def cancel_student_job(teacher_token: str, job_id: str) -> bool:
    """Cancel a student's queued or running job; False when it already finished."""
    from explorer import jobs

    info = classes.teacher_class(teacher_token)
    job = jobs.get(job_id) if jobs.is_valid_job_id(job_id) else None
    found = classes.member(job.workspace) if job is not None else None
    if job is None or found is None or found.class_id != info.id:
        raise ExplorerError("job: not a job of a student of this class", code="class_not_student_job")
    return jobs.cancel(job_id, job.workspace)


def student_jobs(teacher_token: str, limit: int = 200) -> list[tuple[Member, object]]:
    """(student, job) for every queued or running training job of the class's students, oldest first (the maps a
    lesson page queues for a student's run are not listed: they are not the student's work, and end in seconds)."""
    from explorer import jobs
    from explorer.kinds import training_kinds

    info = classes.teacher_class(teacher_token)
    trained = set(training_kinds())
    out = []
    for m in classes.members(info.id):
        out += [(m, j) for j in jobs.list_jobs(m.workspace, limit) if j.active and j.kind in trained]
    return sorted(out, key=lambda pair: pair[1].created)
