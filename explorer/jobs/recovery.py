"""A damaged job table is moved aside (kept for inspection) and a fresh one started.

The job table (``EXPLORER_HOME/jobs.sqlite``) only holds job states: the runs themselves live on
disk (:mod:`explorer.runs`) and stay reachable without it. So when SQLite says the file is not a
database or is malformed, the file (with its ``-wal``/``-shm`` companions) is renamed to
``jobs.sqlite.damaged-<UTC time>`` and a fresh, empty table is created: one warning, on stderr and
in :data:`NOTICES` (the app shows it), instead of every page and command failing.

:func:`ensure_usable` runs once per process per table, from :func:`explorer.jobs.table.connect`.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import sys
import time
from pathlib import Path
from typing import Optional

log = logging.getLogger("explorer.jobs")

#: Warnings of this process about tables moved aside (the app shows them once).
NOTICES: list[str] = []


def is_damaged(path: Path) -> bool:
    """True when SQLite cannot read ``path`` as a sound database (missing files are not damaged)."""
    if not path.exists() or path.stat().st_size == 0:
        return False
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
    except sqlite3.Error:
        return True
    try:
        row = conn.execute("PRAGMA quick_check").fetchone()
        return row is None or row[0] != "ok"
    except sqlite3.OperationalError as exc:  # locked / busy is not damage
        return "locked" not in str(exc) and "busy" not in str(exc)
    except sqlite3.DatabaseError:
        return True
    finally:
        conn.close()


def move_aside(path: Path) -> Path:
    """Rename ``path`` (and its ``-wal``/``-shm`` files) to ``<name>.damaged-<UTC time>``; return the new name."""
    stamp = time.strftime("%Y%m%d-%H%M%S", time.gmtime())
    target = path.with_name(f"{path.name}.damaged-{stamp}")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.name}.damaged-{stamp}-{n}")
    os.replace(path, target)
    for suffix in ("-wal", "-shm"):
        side = path.with_name(path.name + suffix)
        if side.exists():
            os.replace(side, target.with_name(target.name + suffix))
    return target


def ensure_usable(path: Path) -> Optional[Path]:
    """Move a damaged job table aside (one warning); return where it went, or None when it was sound."""
    path = Path(path)
    if not is_damaged(path):
        return None
    target = move_aside(path)
    message = (f"warning: the job table {path} was damaged; it was moved to {target.name} and a fresh one "
               "started (job history is lost, runs on disk are kept)")
    NOTICES.append(message)
    log.warning(message)
    print(message, file=sys.stderr)
    return target
