"""Classes: a teacher, the students' workspaces, the class gallery, shared datasets and limits.

A class lives in ``EXPLORER_HOME/classes.sqlite`` (SQLite, WAL unless ``EXPLORER_JOBS_JOURNAL=delete``, busy
timeout; opened as :mod:`explorer.jobs.store` describes)::

    classes   id, name, code (join code), teacher_hash (sha256 of the teacher token), teacher_ws, limits
    members   workspace -> class_id, display_name, joined, last_seen
    gallery   class_id, run_id, author workspace, description, published
    shared    class_id, dataset path (an upload, content-addressed), label, kind, shared: one row per (path, kind)
    shared_files  class_id, dataset path, kind, role (labels, items), file: a shared dataset's companion uploads
    answers   workspace, question (a lesson check's key), choice, correct, answered: a student's last answer
    assignments  class_id, assignment (JSON: explorer.jobs.assignments.Assignment), set_at
    closed    class_id, closed (a closed class takes no new students and no new training; see class_admin)

Roles come from secrets, never from what a page claims:

* the **teacher** holds the teacher token (``?teacher=`` in the teacher link, 192 random bits; only
  its hash is stored); :func:`teacher_class` checks it on every dashboard call;
* a **student** holds a workspace token that :func:`join` registered in the class; a workspace
  belongs to one class at most;
* a workspace that is in no class works exactly as before (no limits, the open gallery).

Limits (:class:`Limits`) are checked by :func:`check_submit`, which :func:`explorer.jobs.submit`
calls for every training job, from the app and the command line alike.
"""

from __future__ import annotations

import hashlib
import json
import math
import secrets
import sqlite3
import time
import unicodedata
import zlib
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Optional

from explorer import settings
from explorer.errors import ExplorerError
from explorer.kinds import TrainingSpec, data_inputs, run_kind
from explorer.paths import explorer_home

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud in a classroom
CODE_LENGTH = 8
MAX_NAME = 40

_SCHEMA = """
CREATE TABLE IF NOT EXISTS classes (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, code TEXT NOT NULL UNIQUE, teacher_hash TEXT NOT NULL UNIQUE,
    teacher_ws TEXT NOT NULL, created REAL NOT NULL, limits TEXT NOT NULL DEFAULT '{}'
);
CREATE TABLE IF NOT EXISTS members (
    workspace TEXT PRIMARY KEY, class_id TEXT NOT NULL, display_name TEXT NOT NULL,
    joined REAL NOT NULL, last_seen REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS members_class ON members (class_id);
CREATE TABLE IF NOT EXISTS gallery (
    class_id TEXT NOT NULL, run_id TEXT NOT NULL, workspace TEXT NOT NULL, description TEXT NOT NULL DEFAULT '',
    published REAL NOT NULL, PRIMARY KEY (class_id, run_id)
);
CREATE TABLE IF NOT EXISTS shared (
    class_id TEXT NOT NULL, path TEXT NOT NULL, label TEXT NOT NULL, kind TEXT NOT NULL, shared REAL NOT NULL,
    PRIMARY KEY (class_id, path, kind)
);
CREATE TABLE IF NOT EXISTS closed (class_id TEXT PRIMARY KEY, closed REAL NOT NULL);
CREATE TABLE IF NOT EXISTS assignments (class_id TEXT PRIMARY KEY, assignment TEXT NOT NULL, set_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS answers (
    workspace TEXT NOT NULL, question TEXT NOT NULL, choice TEXT NOT NULL, correct INTEGER NOT NULL,
    answered REAL NOT NULL, PRIMARY KEY (workspace, question)
);
CREATE TABLE IF NOT EXISTS shared_files (
    class_id TEXT NOT NULL, path TEXT NOT NULL, kind TEXT NOT NULL, role TEXT NOT NULL, file TEXT NOT NULL,
    PRIMARY KEY (class_id, path, kind, role)
);
"""


@dataclass
class Limits:
    """Class limits; 0 means no limit. Checked on the server at submit time (:func:`check_submit`)."""

    max_epochs: int = 0
    max_dim: int = 0
    max_corpus_mb: float = 0.0  # size of each input file a kind reads (corpus, log, item metadata, edge list, ...)
    max_jobs: int = 0  # jobs queued or running at once, per student

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Limits:
        out = cls()
        for name in ("max_epochs", "max_dim", "max_jobs"):
            if data.get(name) is not None:
                setattr(out, name, _non_negative(name, data[name], int))
        if data.get("max_corpus_mb") is not None:
            out.max_corpus_mb = _non_negative("max_corpus_mb", data["max_corpus_mb"], float)
        return out


MAX_LIMIT = 10**9  # any class limit above this is a typo, not a limit


def _non_negative(name: str, value: Any, cast: type) -> Any:
    """A finite limit in 0..MAX_LIMIT (NaN would compare false with everything and mean "no limit")."""
    try:
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError
        number = cast(value)
    except (TypeError, ValueError, OverflowError):
        raise ExplorerError(f"{name}: expected a finite number, got {str(value)[:20]!r}", code="class_bad_limit",
                            name=name) from None
    if isinstance(number, float) and not math.isfinite(number):
        raise ExplorerError(f"{name}: expected a finite number, got {str(value)[:20]!r}", code="class_bad_limit",
                            name=name)
    if number < 0:
        raise ExplorerError(f"{name}: must be >= 0, got {number}", code="class_bad_limit", name=name)
    if number > MAX_LIMIT:
        raise ExplorerError(f"{name}: must be at most {MAX_LIMIT:,}, got {number:g}", code="class_limit_range",
                            name=name, max=MAX_LIMIT, value=number)
    return number


@dataclass
class ClassInfo:
    """One class. ``teacher_token`` is only known right after :func:`create_class` (else empty)."""

    id: str
    name: str
    code: str
    teacher_ws: str
    created: float
    limits: Limits = field(default_factory=Limits)
    teacher_token: str = ""

    def links(self, base_url: str = "") -> dict[str, str]:
        """The teacher link (secret teacher token) and the student join link (class code)."""
        base = (base_url or settings.base_url() or "http://localhost:8501").rstrip("/")
        out = {"join_link": f"{base}/?join={self.code}"}
        if self.teacher_token:
            out["teacher_link"] = f"{base}/teacher?teacher={self.teacher_token}"
        return out


def base_url(page_url: str = "") -> str:
    """The app's address for links: ``EXPLORER_BASE_URL`` when set, else the address of ``page_url`` (the page
    a teacher's browser shows, e.g. ``http://10.0.0.5:8501/teacher`` -> ``http://10.0.0.5:8501``), else "".

    >>> base_url("https://school.example/explorer/teacher?teacher=x")
    'https://school.example/explorer'
    """
    configured = settings.base_url()
    if configured:
        return configured
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(str(page_url))
    except ValueError:
        return ""
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return ""
    return f"{parts.scheme}://{parts.netloc}{parts.path.rsplit('/', 1)[0]}"


@dataclass
class Member:
    workspace: str
    class_id: str
    display_name: str
    joined: float
    last_seen: float


# --------------------------------------------------------------------------- storage

# the schema's own checksum: any edit of _SCHEMA (tables are only ever added, IF NOT EXISTS) runs it once
# more on every data home, under a write; an unchanged schema is never run on a read
_SCHEMA_VERSION = zlib.crc32(_SCHEMA.encode("utf-8")) & 0x7FFFFFFF


def db_path() -> Path:
    return explorer_home() / "classes.sqlite"


def connect() -> sqlite3.Connection:
    """This thread's connection (autocommit). Opened through :mod:`explorer.jobs.store`: a damaged file
    is moved aside, the schema and journal are set up once under a write (never on a read of a ready
    file), and a read-only or full home still reads while writes are refused with one line."""
    from explorer.jobs.store import connection
    from explorer.jobs.table import journal_mode

    return connection(db_path(), what="class database", version=_SCHEMA_VERSION, setup=_setup,
                      journal=journal_mode())


def _setup(conn: sqlite3.Connection) -> None:
    """Create the tables; upgrade a data home made before one file could be shared under several kinds
    (``shared`` keyed by (class, path), ``shared_files`` without a kind): their rows are copied into the
    new tables in one transaction, so that a class keeps what it shared."""
    conn.executescript(_SCHEMA)
    if not any(row[1] == "kind" and row[5] for row in conn.execute("PRAGMA table_info(shared)")):
        conn.executescript("""
            BEGIN;
            ALTER TABLE shared RENAME TO shared_by_path;
            CREATE TABLE shared (
                class_id TEXT NOT NULL, path TEXT NOT NULL, label TEXT NOT NULL, kind TEXT NOT NULL,
                shared REAL NOT NULL, PRIMARY KEY (class_id, path, kind));
            INSERT INTO shared (class_id, path, label, kind, shared)
                SELECT class_id, path, label, kind, shared FROM shared_by_path;
            DROP TABLE shared_by_path;
            COMMIT;""")
    if not any(row[1] == "kind" for row in conn.execute("PRAGMA table_info(shared_files)")):
        conn.executescript("""
            BEGIN;
            ALTER TABLE shared_files RENAME TO shared_files_by_path;
            CREATE TABLE shared_files (
                class_id TEXT NOT NULL, path TEXT NOT NULL, kind TEXT NOT NULL, role TEXT NOT NULL,
                file TEXT NOT NULL, PRIMARY KEY (class_id, path, kind, role));
            INSERT OR IGNORE INTO shared_files (class_id, path, kind, role, file)
                SELECT f.class_id, f.path, s.kind, f.role, f.file FROM shared_files_by_path f
                JOIN shared s ON s.class_id = f.class_id AND s.path = f.path;
            DROP TABLE shared_files_by_path;
            COMMIT;""")


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _class(row: sqlite3.Row) -> ClassInfo:
    return ClassInfo(id=row["id"], name=row["name"], code=row["code"], teacher_ws=row["teacher_ws"],
                     created=row["created"], limits=Limits.from_dict(json.loads(row["limits"] or "{}")))


#: Characters that draw nothing although Unicode calls them letters or symbols (Hangul fillers, the blank
#: Braille pattern); with every format, space, separator and combining character they make a blank name.
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800\u17b4\u17b5")


def is_blank(text: str) -> bool:
    """True when ``text`` draws nothing visible: only spaces, format characters (zero-width, BOM, joiners),
    combining marks without a base, and filler letters such as U+3164 HANGUL FILLER.

    >>> is_blank("\u3164"), is_blank("\u200b \ufeff"), is_blank("a\u200b")
    (True, True, False)
    """
    return all(ch in _BLANK_LETTERS or unicodedata.category(ch)[0] in "ZCM" for ch in text)


def clean_name(text: object, what: str = "name") -> str:
    """A display or class name: trimmed, 1..40 printable characters, not visually blank (shown as text, never markup)."""
    name = " ".join(str(text or "").split())
    if not name or is_blank(name):
        raise ExplorerError(f"{what}: must not be empty or blank", code="class_name_empty", what=what)
    if len(name) > MAX_NAME:
        raise ExplorerError(f"{what}: at most {MAX_NAME} characters", code="class_name_long", what=what, max=MAX_NAME)
    if any(unicodedata.category(c)[0] == "C" for c in name):
        raise ExplorerError(f"{what}: control characters are not allowed", code="class_name_bad", what=what)
    return name


# --------------------------------------------------------------------------- classes and roles


def create_class(name: str, limits: Optional[Limits] = None) -> ClassInfo:
    """A new class with a fresh join code, teacher token and teacher workspace."""
    from explorer.jobs.workspaces import new_token

    name = clean_name(name, "class name")
    conn = connect()
    for _ in range(20):
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        info = ClassInfo(id=secrets.token_hex(6), name=name, code=code, teacher_ws=new_token(), created=time.time(),
                         limits=limits or Limits(), teacher_token=_teacher_token())
        try:
            conn.execute("INSERT INTO classes (id, name, code, teacher_hash, teacher_ws, created, limits) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?)",
                         (info.id, info.name, info.code, _hash(info.teacher_token), info.teacher_ws, info.created,
                          json.dumps(asdict(info.limits))))
            return info
        except sqlite3.IntegrityError:  # code collision: draw again
            continue
    raise ExplorerError("class: could not draw a free class code", code="class_code_exhausted")


def _teacher_token() -> str:
    """192 random bits, URL-safe; never starts with ``-`` (``--teacher TOKEN`` must not read as a flag)."""
    while True:
        token = secrets.token_urlsafe(24)
        if not token.startswith("-"):
            return token


def teacher_class(teacher_token: object) -> ClassInfo:
    """The class whose teacher token this is, else a refusal (:class:`ExplorerError`)."""
    row = None
    if isinstance(teacher_token, str) and 16 <= len(teacher_token) <= 64:
        row = connect().execute("SELECT * FROM classes WHERE teacher_hash = ?", (_hash(teacher_token),)).fetchone()
    if row is None:
        raise ExplorerError("teacher: only the class's teacher link opens the dashboard", code="class_not_teacher")
    return _class(row)


def class_by_code(code: object) -> ClassInfo:
    text = str(code or "").strip().upper()
    row = connect().execute("SELECT * FROM classes WHERE code = ?", (text,)).fetchone() if text else None
    if row is None:
        raise ExplorerError("join: no class has this code", code="class_unknown_code")
    return _class(row)


def get_class(class_id: str) -> Optional[ClassInfo]:
    row = connect().execute("SELECT * FROM classes WHERE id = ?", (class_id,)).fetchone()
    return _class(row) if row is not None else None


def member(workspace: object) -> Optional[Member]:
    """The workspace's class membership (None when it is in no class)."""
    if not isinstance(workspace, str):
        return None
    row = connect().execute("SELECT * FROM members WHERE workspace = ?", (workspace,)).fetchone()
    return Member(**dict(row)) if row is not None else None


def class_of(workspace: str) -> Optional[ClassInfo]:
    """The class a workspace belongs to, as student or as the teacher's own workspace."""
    found = member(workspace)
    if found is not None:
        return get_class(found.class_id)
    row = connect().execute("SELECT * FROM classes WHERE teacher_ws = ?", (workspace,)).fetchone()
    return _class(row) if row is not None else None


def is_closed(class_id: str) -> bool:
    """Whether the teacher closed (archived) the class: no new students, no new training; everything stays readable."""
    return connect().execute("SELECT 1 FROM closed WHERE class_id = ?", (class_id,)).fetchone() is not None


def is_teacher_workspace(workspace: str) -> bool:
    return connect().execute("SELECT 1 FROM classes WHERE teacher_ws = ?", (workspace,)).fetchone() is not None


def join(code: str, display_name: str, workspace: Optional[str] = None) -> Member:
    """Join the class with this code: a new workspace (or ``workspace``, when it is in no class yet)."""
    from explorer.jobs.workspaces import check_token, new_token

    info = class_by_code(code)
    if is_closed(info.id):
        raise ExplorerError("join: this class is closed", code="class_closed")
    name = clean_name(display_name, "display name")
    if workspace is not None:
        check_token(workspace)
        current = class_of(workspace)
        if current is not None and current.id != info.id:
            raise ExplorerError("join: this workspace belongs to another class; open the join link in a new browser",
                                code="class_other_class")
        if is_teacher_workspace(workspace):
            raise ExplorerError("join: the teacher's workspace cannot join as a student", code="class_teacher_join")
        found = member(workspace)
        if found is not None:
            return found
    token = workspace or new_token()
    now = time.time()
    conn = connect()
    taken = conn.execute("SELECT 1 FROM members WHERE class_id = ? AND display_name = ?", (info.id, name)).fetchone()
    if taken is not None:
        raise ExplorerError(f"display name {name!r}: already taken in this class", code="class_name_taken", name=name)
    conn.execute("INSERT INTO members (workspace, class_id, display_name, joined, last_seen) VALUES (?, ?, ?, ?, ?)",
                 (token, info.id, name, now, now))
    return Member(token, info.id, name, now, now)


def touch(workspace: str) -> None:
    """Record the student's last activity (pages call this at most every few seconds); skipped quietly when the
    data home cannot take the write (read-only, full): it is only a hint for the teacher's roster."""
    from explorer.jobs.store import StoreError

    try:
        connect().execute("UPDATE members SET last_seen = ? WHERE workspace = ?", (time.time(), workspace))
    except StoreError:
        pass


def members(class_id: str) -> list[Member]:
    rows = connect().execute("SELECT * FROM members WHERE class_id = ? ORDER BY display_name", (class_id,))
    return [Member(**dict(r)) for r in rows]


def set_limits(teacher_token: str, limits: Limits) -> ClassInfo:
    info = teacher_class(teacher_token)
    connect().execute("UPDATE classes SET limits = ? WHERE id = ?", (json.dumps(asdict(limits)), info.id))
    info.limits = limits
    return info


def check_student_access(workspace: str, target_workspace: str) -> None:
    """Refuse when ``workspace`` may not read ``target_workspace``'s runs and jobs (only its own, or the teacher's class)."""
    if workspace == target_workspace:
        return
    info = class_of(target_workspace)
    if info is not None and info.teacher_ws == workspace and member(target_workspace) is not None:
        return
    raise ExplorerError("workspace: this belongs to another workspace; students see only their own",
                        code="class_other_workspace")


# --------------------------------------------------------------------------- limits


def _file_mb(path: object) -> float:
    try:
        return Path(str(path)).stat().st_size / 2**20
    except OSError:
        return 0.0


def check_submit(workspace: str, spec: TrainingSpec) -> None:
    """Refuse a job that breaks the workspace's class limits (one line, with a code). No class: no limits.

    The kind says what the limits apply to (:meth:`explorer.kinds.TrainingKind.limited_fields`): its
    epochs, its vector size and every input file it declares (corpus, log, item metadata, edge list, labels).
    """
    found = member(workspace)
    if found is None:
        return
    info = get_class(found.class_id)
    if info is None:
        return
    if is_closed(info.id):
        raise ExplorerError("class: closed by the teacher; nothing new can be trained", code="class_closed_submit")
    lim = info.limits
    limited = spec.training_kind.limited_fields(spec)
    epochs, dim = limited.epochs, limited.dim
    if lim.max_epochs and epochs is not None and epochs > lim.max_epochs:
        raise ExplorerError(f"epochs: the class allows at most {lim.max_epochs}, got {epochs:g}",
                            code="class_limit_epochs", max=lim.max_epochs, value=epochs)
    if lim.max_dim and dim is not None and dim > lim.max_dim:
        raise ExplorerError(f"dim: the class allows at most {lim.max_dim}, got {dim:g}",
                            code="class_limit_dim", max=lim.max_dim, value=dim)
    if lim.max_corpus_mb:
        for field_name, path in limited.inputs.items():
            size = _file_mb(path)
            if size > lim.max_corpus_mb:
                raise ExplorerError(f"{field_name}: {size:.1f} MB, the class allows at most {lim.max_corpus_mb:g} MB",
                                    code="class_limit_corpus", field=field_name, max=lim.max_corpus_mb,
                                    value=round(size, 1))
    check_job_slots(workspace, lim)


def check_job_slots(workspace: str, lim: Optional[Limits] = None) -> None:
    """Refuse when the student already has ``max_jobs`` jobs queued or running."""
    if lim is None:
        info = class_of(workspace) if member(workspace) is not None else None
        if info is None:
            return
        lim = info.limits
    if not lim.max_jobs:
        return
    from explorer.jobs.table import connect as jobs_connect

    active = jobs_connect().execute(
        "SELECT COUNT(*) FROM jobs WHERE workspace = ? AND state IN ('queued', 'running')", (workspace,)).fetchone()[0]
    if active >= lim.max_jobs:
        raise ExplorerError(f"jobs: the class allows {lim.max_jobs} job(s) at once per student; wait for one to finish",
                            code="class_limit_jobs", max=lim.max_jobs)


# --------------------------------------------------------------------------- roster and runs


@dataclass
class RosterRow:
    display_name: str
    workspace: str
    queued: int
    running: int
    done: int
    failed: int
    runs: int
    last_activity: float


def roster(teacher_token: str) -> list[RosterRow]:
    """Every student of the teacher's class with job counts, run count and last activity."""
    from explorer.jobs.table import connect as jobs_connect
    from explorer.jobs.workspaces import list_runs

    info = teacher_class(teacher_token)
    people = members(info.id)
    counts: dict[str, dict[str, int]] = {m.workspace: {} for m in people}
    latest: dict[str, float] = {}
    if people:
        from explorer.kinds import training_kinds

        # training jobs only: the maps a lesson page or Explore queues (projections) are not the student's work
        marks, kinds = ",".join("?" * len(people)), list(training_kinds())
        rows = jobs_connect().execute(
            f"SELECT workspace, state, COUNT(*), MAX(COALESCE(finished, started, created)) FROM jobs "
            f"WHERE workspace IN ({marks}) AND kind IN ({','.join('?' * len(kinds))}) GROUP BY workspace, state",
            [m.workspace for m in people] + kinds)
        for ws, state, n, last in rows:
            counts[ws][state] = n
            latest[ws] = max(latest.get(ws, 0.0), last or 0.0)
    out = []
    for m in people:
        c = counts[m.workspace]
        out.append(RosterRow(m.display_name, m.workspace, c.get("queued", 0), c.get("running", 0), c.get("done", 0),
                             c.get("failed", 0) + c.get("cancelled", 0), len(list_runs(m.workspace)),
                             max(m.last_seen, latest.get(m.workspace, 0.0))))
    return out


def key_numbers(metrics: dict, kind: str) -> dict[str, float]:
    """A run's key numbers (loss, words/s or interactions/s, HR@10 / NDCG@10, link AUC...) from its
    metrics.json, as its kind picks them (:meth:`explorer.kinds.RunKind.key_numbers`)."""
    try:
        return run_kind(kind).key_numbers(metrics)
    except ExplorerError:  # a kind this version does not know
        return {}


@dataclass
class StudentRun:
    display_name: str
    workspace: str
    run_id: str
    path: str
    name: str
    kind: str
    created: str
    numbers: dict[str, float]
    published: bool
    settings: Any = None  # the run's recorded config (the kind's config dataclass), None when it has none
    family: tuple[str, ...] = ()  # runs of one family are comparable (explorer.kinds.RunKind.family)


def student_runs(teacher_token: str) -> list[StudentRun]:
    """Every run of every student of the teacher's class, with its key numbers, newest first."""
    from explorer.jobs.workspaces import list_runs

    info = teacher_class(teacher_token)
    published = published_ids(info.id)
    out = []
    for m in members(info.id):
        for run in list_runs(m.workspace):
            try:
                settings = run.settings
            except ExplorerError:  # a recorded config that no longer validates: shown without settings
                settings = None
            out.append(StudentRun(m.display_name, m.workspace, run.run_id, str(run.path), run.name, run.kind,
                                  str(run.config.get("created", ""))[:16].replace("T", " "),
                                  key_numbers(run.metrics or {}, run.kind), run.run_id in published, settings,
                                  run_kind(run.kind).family(settings)))
    out.sort(key=lambda r: r.run_id, reverse=True)
    return out


# --------------------------------------------------------------------------- gallery and shared datasets


def publish(teacher_token: str, workspace: str, run_id: str, description: str = "") -> None:
    """Publish a student's run in the class gallery (a read-only copy; see explorer.jobs.workspaces.publish)."""
    import explorer.jobs.workspaces as workspaces

    info = teacher_class(teacher_token)
    found = member(workspace)
    if found is None or found.class_id != info.id:
        raise ExplorerError("publish: not a student of this class", code="class_other_workspace")
    description = " ".join(str(description or "").split())[:200]
    workspaces.publish(workspace, run_id)
    connect().execute("INSERT OR REPLACE INTO gallery (class_id, run_id, workspace, description, published) "
                      "VALUES (?, ?, ?, ?, ?)", (info.id, run_id, workspace, description, time.time()))


def withdraw(teacher_token: str, run_id: str) -> None:
    """Remove a run from the class gallery: whoever published it (the teacher, or a student from the Runs
    page), the class's teacher moderates what is shown to the class."""
    import explorer.jobs.workspaces as workspaces

    info = teacher_class(teacher_token)
    if not workspaces.is_valid_run_id(run_id) or gallery_class(run_id) != info.id:
        raise ExplorerError(f"run {str(run_id)[:40]}: not in this class's gallery", code="class_not_published")
    workspaces.remove_from_gallery(run_id)
    connect().execute("DELETE FROM gallery WHERE class_id = ? AND run_id = ?", (info.id, run_id))


def _class_owner_hashes() -> dict[str, str]:
    """sha256(workspace) -> class id, for every student and teacher workspace."""
    conn = connect()
    out = {_hash(r[0]): r[1] for r in conn.execute("SELECT workspace, class_id FROM members")}
    out.update({_hash(r[0]): r[1] for r in conn.execute("SELECT teacher_ws, id FROM classes")})
    return out


def gallery_class(run_id: str, owner_hash: Optional[str] = None) -> Optional[str]:
    """The class whose gallery shows the gallery run ``run_id``: the class it was published in by the
    teacher, else the class of the workspace that published it (``gallery/.owners``); None when that
    workspace is in no class (the open gallery) or the run is unknown."""
    import explorer.jobs.workspaces as workspaces

    row = connect().execute("SELECT class_id FROM gallery WHERE run_id = ? ORDER BY published DESC LIMIT 1",
                            (run_id,)).fetchone()
    if row is not None:
        return row["class_id"]
    owner = workspaces.gallery_owner_hash(run_id) if owner_hash is None else owner_hash
    return _class_owner_hashes().get(owner) if owner else None


def gallery_author(run_id: str) -> str:
    """The workspace of the student whose run ``run_id`` is in the gallery ("" when not a class member's)."""
    import explorer.jobs.workspaces as workspaces

    row = connect().execute("SELECT workspace FROM gallery WHERE run_id = ? ORDER BY published DESC LIMIT 1",
                            (run_id,)).fetchone()
    if row is not None:
        return row["workspace"]
    owner = workspaces.gallery_owner_hash(run_id)
    return next((r[0] for r in connect().execute("SELECT workspace FROM members") if _hash(r[0]) == owner), "")


def gallery_description(run_id: str) -> tuple[str, Optional[float]]:
    """The teacher's line and the publication time of a gallery run ("", None when the teacher did not publish it)."""
    row = connect().execute("SELECT description, published FROM gallery WHERE run_id = ? "
                            "ORDER BY published DESC LIMIT 1", (run_id,)).fetchone()
    return (row["description"], row["published"]) if row is not None else ("", None)


def display_names() -> dict[str, str]:
    """Every class member's workspace -> display name."""
    return {r["workspace"]: r["display_name"] for r in connect().execute("SELECT workspace, display_name FROM members")}


def published_ids(class_id: str) -> set[str]:
    """Run ids in the class's gallery, whoever published them."""
    import explorer.jobs.workspaces as workspaces

    root = workspaces.gallery_dir()
    if not root.is_dir():  # a read-only home where no gallery was ever made
        return set()
    return {p.name for p in root.iterdir() if workspaces.is_valid_run_id(p.name) and p.is_dir()
            and gallery_class(p.name) == class_id}


#: what a teacher can share -> the companion files it may come with, as the kinds' Data-page inputs declare them
SHARE_KINDS: dict[str, tuple[str, ...]] = {i.shared: i.shared_extra for i in data_inputs().values() if i.shared}


def _upload(path: object) -> Path:
    from explorer.jobs.workspaces import uploads_dir

    found = Path(str(path)).resolve()
    if found.parent != uploads_dir().resolve() or not found.is_file():
        raise ExplorerError("share: only uploaded files can be shared", code="class_share_upload")
    return found


def share_dataset(teacher_token: str, path: Path, label: str, kind: str,
                  extra: Optional[dict[str, Path]] = None) -> None:
    """Share an uploaded file (``uploads/<sha256>...``) with the class; students see it on the Data page.

    ``kind``: one of :data:`SHARE_KINDS`; ``extra``: its companion uploads by role (a log's item metadata,
    a corpus's or a graph's labels).
    """
    info = teacher_class(teacher_token)
    path = _upload(path)
    if kind not in SHARE_KINDS:
        raise ExplorerError(f"share: kind must be one of {', '.join(SHARE_KINDS)}, got {kind!r}",
                            code="class_share_kind", kind=str(kind))
    files = {}
    for role, file in (extra or {}).items():
        if role not in SHARE_KINDS[kind]:
            raise ExplorerError(f"share: a {kind} has no {role!r} file", code="class_share_role", kind=kind,
                                role=str(role))
        files[role] = _upload(file)
    conn = connect()  # one file may be shared under several kinds (a text as a corpus and as documents)
    conn.execute("INSERT OR REPLACE INTO shared (class_id, path, label, kind, shared) VALUES (?, ?, ?, ?, ?)",
                 (info.id, str(path), clean_name(label, "label"), kind, time.time()))
    conn.execute("DELETE FROM shared_files WHERE class_id = ? AND path = ? AND kind = ?", (info.id, str(path), kind))
    conn.executemany("INSERT INTO shared_files (class_id, path, kind, role, file) VALUES (?, ?, ?, ?, ?)",
                     [(info.id, str(path), kind, role, str(file)) for role, file in files.items()])


def unshare_dataset(teacher_token: str, path: object, kind: Optional[str] = None) -> None:
    """Stop sharing a dataset under ``kind`` (every kind when None); the uploaded file and the runs trained
    on it stay."""
    info = teacher_class(teacher_token)
    conn = connect()
    where, args = ("", ()) if kind is None else (" AND kind = ?", (str(kind),))
    cur = conn.execute("DELETE FROM shared WHERE class_id = ? AND path = ?" + where, (info.id, str(path), *args))
    conn.execute("DELETE FROM shared_files WHERE class_id = ? AND path = ?" + where, (info.id, str(path), *args))
    if cur.rowcount == 0:
        raise ExplorerError("share: this dataset is not shared with the class", code="class_not_shared")


def shared_datasets(workspace: str) -> list[dict[str, Any]]:
    """Datasets the teacher shared with the workspace's class: path, label, kind, shared, extra (role -> path),
    newest first."""
    info = class_of(workspace)
    if info is None:
        return []
    conn = connect()
    rows = conn.execute("SELECT path, label, kind, shared FROM shared WHERE class_id = ? ORDER BY shared DESC",
                        (info.id,))
    out = [dict(r) for r in rows if Path(r["path"]).is_file()]
    for d in out:
        d["extra"] = {r["role"]: r["file"] for r in conn.execute(
            "SELECT role, file FROM shared_files WHERE class_id = ? AND path = ? AND kind = ?",
            (info.id, d["path"], d["kind"]))
            if Path(r["file"]).is_file()}
    return out
