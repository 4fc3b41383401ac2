"""Stopping the worker processes a test left running (used by tests/conftest.py).

The app and ``submit`` start a detached worker (its own session, idle exit after an hour) when none is alive.
A test that lets one start and does not stop it leaves it running for the rest of the suite and after it,
preloading torch and compiling numba's code on a 2-core CI machine. So, after each test, the workers recorded
in that test's job table are stopped, and at the end of the session every worker whose data home lies under
pytest's temporary folder. A process counts only when its own environment says it serves that data home
(a recorded pid may have been reused), and the pytest process itself is never signalled.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import time
from pathlib import Path
from typing import Optional

from explorer.jobs.table import pid_alive

PROC = Path("/proc")


def _home_of(pid: int) -> Optional[str]:
    """EXPLORER_HOME in the environment of process ``pid`` (None when it has none or cannot be read)."""
    try:
        environ = (PROC / str(pid) / "environ").read_bytes()
    except OSError:
        return None
    for entry in environ.split(b"\0"):
        if entry.startswith(b"EXPLORER_HOME="):
            return entry[len(b"EXPLORER_HOME="):].decode(errors="replace")
    return None


def _is_worker(pid: int) -> bool:
    """The process runs ``explorer worker`` (``python -m explorer worker`` or the test helper's ``-c`` form)."""
    try:
        args = (PROC / str(pid) / "cmdline").read_bytes().split(b"\0")
    except OSError:
        return False
    return any(a == b"worker" or b"'worker'" in a for a in args)


def stop(pids: list[int], grace_s: float = 5.0) -> None:
    """SIGTERM each worker's process group (a detached worker leads its own; a worker in pytest's own group
    alone), then SIGKILL what is left after ``grace_s``."""
    own_group = os.getpgid(0)
    targets: set[tuple[bool, int]] = set()  # (a whole group?, id)
    for pid in pids:
        try:
            pgid = os.getpgid(pid)
        except ProcessLookupError:
            continue
        if pid != os.getpid():
            targets.add((True, pgid) if pgid != own_group else (False, pid))
    for sig, wait_s in ((signal.SIGTERM, grace_s), (signal.SIGKILL, 2.0)):
        for target in list(targets):
            group, ident = target
            try:
                os.killpg(ident, sig) if group else os.kill(ident, sig)
            except ProcessLookupError:
                targets.discard(target)
        deadline = time.monotonic() + wait_s
        while targets and time.monotonic() < deadline:
            targets = {t for t in targets if pid_alive(t[1])}
            if targets:
                time.sleep(0.05)
        if not targets:
            return


def left_in(home: Path) -> list[int]:
    """Live worker processes recorded in ``home``'s job table whose environment names ``home``."""
    db = Path(home) / "jobs.sqlite"
    if not db.exists() or not PROC.is_dir():
        return []
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=2) as conn:
            pids = [int(r[0]) for r in conn.execute("SELECT pid FROM workers WHERE stopped IS NULL") if r[0]]
    except sqlite3.Error:
        return []
    return [p for p in pids if p != os.getpid() and pid_alive(p) and _home_of(p) == str(home)]


def left_under(root: Path) -> list[int]:
    """Live worker processes (any process of a worker) whose data home lies under ``root``."""
    if not PROC.is_dir():
        return []
    prefix = str(root).rstrip("/") + "/"
    found = []
    for entry in PROC.iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        pid = int(entry.name)
        home = _home_of(pid)
        if home and (home + "/").startswith(prefix) and _is_worker(pid) and pid_alive(pid):
            found.append(pid)
    return found
