"""Opening the SQLite files the program owns (``jobs.sqlite``, ``classes.sqlite``, any new one): one way for all.

:func:`connection` gives this thread's connection to one such file. Per process and file, the first
call prepares it, once:

1. a damaged file is moved aside with a timestamp (:func:`explorer.jobs.recovery.ensure_usable`: one
   warning on stderr and in :data:`explorer.jobs.recovery.NOTICES`, which the app shows translated);
2. the file is opened read-write; ``PRAGMA user_version`` and ``PRAGMA journal_mode`` are *read*, and
   only when they differ from what the caller wants is the journal switched and ``setup`` run (the
   schema, created or upgraded) -- a write, done once per file, never on a read of a ready file;
3. when that fails because the data home is read-only or full, the process keeps reading: the file
   is opened read-only (``mode=ro``; ``immutable`` when no ``-wal`` file is beside it, since nobody can
   be writing), or, when there is no usable file yet, an empty in-memory copy of the schema. Writes
   on such a connection are refused with one line naming the folder and the problem
   (:class:`StoreError`); the read-write attempt is repeated after :data:`RETRY_S` seconds, so a server
   picks up a home that became writable again.

On a read-write connection, SQLite's own "attempt to write a readonly database" / "database or disk is
full" / "unable to open database file" are turned into the same one-line :class:`StoreError`, which
is both an :class:`ExplorerError` (the CLI prints ``error: …``, pages translate it) and a
``sqlite3.OperationalError`` (code that retries on SQLite errors keeps doing so).
"""

from __future__ import annotations

import logging
import os
import shutil
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Optional
from urllib.parse import quote

from explorer.errors import ExplorerError

log = logging.getLogger("explorer.jobs")

RETRY_S = 30.0  # a store opened read-only is tried read-write again after this many seconds
_STATEMENT_READS = ("SELECT", "WITH", "EXPLAIN")


class StoreError(ExplorerError, sqlite3.OperationalError):
    """A write the data home cannot take (read-only, full) or a store that cannot be used: one line."""


def _free_text(folder: Path) -> str:
    try:
        free = shutil.disk_usage(folder).free
    except OSError:
        return "unknown"
    for unit in ("bytes", "KB", "MB", "GB", "TB"):
        if free < 1024 or unit == "TB":
            return f"{free:,.0f} {unit}" if unit == "bytes" else f"{free:,.1f} {unit}"
        free /= 1024
    return "unknown"  # pragma: no cover


def read_only_error(path: Path) -> StoreError:
    folder = Path(path).parent
    return StoreError(f"{folder}: the data home is read-only, so {Path(path).name} cannot be written "
                      "(reading commands still work)", code="store_read_only", folder=str(folder),
                      file=Path(path).name)


def full_error(path: Path) -> StoreError:
    folder = Path(path).parent
    free = _free_text(folder)
    return StoreError(f"{folder}: no space left on device (the disk is full, {free} free), so {Path(path).name} "
                      "cannot be written", code="store_full", folder=str(folder), file=Path(path).name, free=free)


def storage_error(exc: BaseException, path: Path) -> Optional[StoreError]:
    """The one-line :class:`StoreError` for SQLite's ``exc`` on ``path`` when it is about the home's
    state (read-only, full, cannot open); None for anything else (locked, a constraint, a bug)."""
    if isinstance(exc, StoreError):
        return exc
    text = str(exc).lower()
    if "disk is full" in text or "no space" in text:
        return full_error(path)
    if "readonly" in text or "read-only" in text or "unable to open" in text or "disk i/o error" in text:
        return read_only_error(path)
    if type(exc) is sqlite3.DatabaseError and ("not a database" in text or "malformed" in text):
        return StoreError(f"{path}: damaged ({text}); the next command that opens it moves it aside",
                          code="store_damaged", file=str(path), detail=text[:80])
    return None


def _is_read(sql: str) -> bool:
    head = sql.lstrip().split(None, 1)
    if not head:
        return True
    word = head[0].upper()
    if word == "PRAGMA":
        return "=" not in sql  # PRAGMA x reads; PRAGMA x = y writes
    return word in _STATEMENT_READS


class StoreConnection(sqlite3.Connection):
    """A connection whose write failures caused by the home (read-only, full) read as one line.

    ``refuse_writes``: set on read-only fallback connections; every statement that is not a read is
    refused with ``refusal`` (the reason the store could not be opened read-write) before SQLite sees it.
    """

    store_path: Path = Path()
    refusal: Optional[StoreError] = None

    def _check(self, sql: str) -> None:
        if self.refusal is not None and not _is_read(sql):
            raise self.refusal

    def _map(self, exc: sqlite3.Error) -> BaseException:
        mapped = storage_error(exc, self.store_path)
        return mapped if mapped is not None else exc

    def _guarded(self, call: Any, text: str, *args: Any) -> sqlite3.Cursor:
        """``call(*args)`` after checking ``text``; a storage fault becomes its one-line error (integrity errors and
        unmapped faults pass through)."""
        self._check(text)
        try:
            return call(*args)
        except sqlite3.IntegrityError:
            raise
        except sqlite3.DatabaseError as exc:
            mapped = self._map(exc)
            if mapped is exc:
                raise
            raise mapped from None

    def execute(self, sql: str, parameters: Any = (), /) -> sqlite3.Cursor:  # type: ignore[override]
        return self._guarded(super().execute, sql, sql, parameters)

    def executemany(self, sql: str, parameters: Any, /) -> sqlite3.Cursor:  # type: ignore[override]
        return self._guarded(super().executemany, sql, sql, parameters)

    def executescript(self, script: str, /) -> sqlite3.Cursor:  # type: ignore[override]
        return self._guarded(super().executescript, script, script)


# --------------------------------------------------------------------------- per-process state

class _State:
    """How this process opens one store: read-write, or read-only since ``since`` because of ``refusal``."""

    def __init__(self, refusal: Optional[StoreError] = None) -> None:
        self.refusal = refusal
        self.since = time.monotonic()


_states: dict[str, _State] = {}
_states_lock = threading.Lock()
_local = threading.local()


def _open(path: Path, *, uri: str = "", timeout: float = 30.0) -> StoreConnection:
    conn = sqlite3.connect(uri or str(path), timeout=timeout, isolation_level=None, uri=bool(uri),
                           factory=StoreConnection, check_same_thread=True)
    conn.store_path = Path(path)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA busy_timeout = 30000")  # a connection setting: no write
    return conn


def _prepare(path: Path, what: str, version: int, setup: Callable[[sqlite3.Connection], None],
             journal: str) -> _State:
    """Move a damaged file aside, create or upgrade the schema when needed (under a write); the mode."""
    from explorer.jobs.recovery import ensure_usable

    try:
        ensure_usable(path, what)
    except OSError as exc:  # damaged, and the folder cannot take the renamed file
        raise StoreError(f"{path}: the {what} is damaged and cannot be moved aside ({exc.strerror}); move it away "
                         "by hand", code="store_damaged_stuck", file=str(path), what=what) from None
    try:
        conn = _open(path)
    except sqlite3.OperationalError as exc:
        mapped = storage_error(exc, path)
        if mapped is None:
            raise
        return _State(mapped)
    try:
        ready = (conn.execute("PRAGMA user_version").fetchone()[0] == version
                 and conn.execute("PRAGMA journal_mode").fetchone()[0].lower() == journal)
        if not ready:
            conn.execute(f"PRAGMA journal_mode = {journal}")
            setup(conn)
            conn.execute(f"PRAGMA user_version = {int(version)}")
    except StoreError as exc:
        if exc.code == "store_damaged":
            raise
        return _State(exc)
    finally:
        conn.close()
    return _State()


def _read_only(path: Path, refusal: StoreError, setup: Callable[[sqlite3.Connection], None]) -> StoreConnection:
    """A connection that reads ``path`` without writing anything (an empty schema when there is no file yet)."""
    conn: Optional[StoreConnection] = None
    if path.is_file() and path.stat().st_size > 0:
        wal = path.with_name(path.name + "-wal").exists()
        try:
            conn = _open(path, uri=f"file:{quote(str(path))}?mode=ro" + ("" if wal else "&immutable=1"))
            if not conn.execute("PRAGMA user_version").fetchone()[0]:  # never set up (a full disk stopped it)
                raise sqlite3.DatabaseError("no schema")
        except sqlite3.DatabaseError:
            if conn is not None:
                conn.close()
            conn = None
    if conn is None:  # nothing readable: the empty schema, in memory
        conn = _open(path, uri="file::memory:")
        setup(conn)
    conn.refusal = refusal
    return conn


@contextmanager
def reading() -> Iterator[None]:
    """Inside this block, this thread reads every store through its own read-only connection and writes
    nothing at all -- no schema, no repair, not even SQLite's ``-wal``/``-shm`` files when no writer is
    about (``immutable``); writes are refused with one line. For commands documented as reads (``status``)."""
    previous = getattr(_local, "reading", None)
    _local.reading = {}
    try:
        yield
    finally:
        for conn in (getattr(_local, "reading", None) or {}).values():
            conn.close()
        _local.reading = previous


def connection(path: Path, *, what: str, version: int, setup: Callable[[sqlite3.Connection], None],
               journal: str = "wal") -> StoreConnection:
    """This thread's connection to the store at ``path`` (autocommit, rows as :class:`sqlite3.Row`).

    ``what`` names the store in messages ("job table"); ``setup(conn)`` creates or upgrades its schema
    (idempotent) and runs only when ``PRAGMA user_version`` differs from ``version``.
    """
    key = str(path)
    if getattr(_local, "pid", None) != os.getpid():  # never use a connection across fork()
        _local.pid, _local.conns = os.getpid(), {}
    reads = getattr(_local, "reading", None)
    if reads is not None:  # inside reading(): read-only, nothing prepared, nothing written
        conn = reads.get(key)
        if conn is None:
            conn = reads[key] = _read_only(Path(path), read_only_error(Path(path)), setup)
        return conn
    with _states_lock:
        state = _states.get(key)
        if state is not None and state.refusal is not None and time.monotonic() - state.since > RETRY_S:
            state = None  # read-only for a while: try read-write again
        if state is None:
            state = _prepare(Path(path), what, version, setup, journal)
            _states[key] = state
    conn = _local.conns.get(key)
    if conn is not None and conn.refusal is not state.refusal:  # the mode changed: reopen
        conn.close()
        conn = None
    if conn is None:
        if state.refusal is None:
            conn = _open(Path(path))
            conn.execute("PRAGMA synchronous = NORMAL")
        else:
            conn = _read_only(Path(path), state.refusal, setup)
        _local.conns[key] = conn
    return conn


def close_connections(path: Optional[Path] = None) -> None:
    """Close this thread's connections (to ``path`` only, when given)."""
    conns = getattr(_local, "conns", {})
    for key in [k for k in conns if path is None or k == str(path)]:
        conns.pop(key).close()


def forget(path: Optional[Path] = None) -> None:
    """Forget how this process opened ``path`` (every store when None), as a new process would (tests)."""
    close_connections(path)
    with _states_lock:
        if path is None:
            _states.clear()
        else:
            _states.pop(str(path), None)
