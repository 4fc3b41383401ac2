"""A damaged SQLite file of the program is moved aside (kept for inspection) and a fresh one started.

The job table (``jobs.sqlite``) only holds job states and the class database (``classes.sqlite``)
classes, members and gallery entries: the runs themselves live on disk (:mod:`explorer.runs`) and
stay reachable without them. So when SQLite says a file is not a database or is malformed, the file
(with its ``-wal``/``-shm`` companions) is renamed to ``<name>.damaged-<UTC time>`` and a fresh,
empty one is created: one warning, on stderr and in :data:`NOTICES` (the app shows it translated),
instead of every page and command failing.

:func:`ensure_usable` runs once per process per file, from :func:`explorer.jobs.store.connection`
(the one way every such file is opened).
"""

from __future__ import annotations

import logging
import os
import sqlite3
import sys
import time
from pathlib import Path
from typing import Optional
from urllib.parse import quote

from explorer.errors import ExplorerError

log = logging.getLogger("explorer.jobs")

#: Warnings of this process about files moved aside (:class:`ExplorerError` with a code: the app
#: shows each translated, the command line printed its English line on stderr).
NOTICES: list[ExplorerError] = []

#: What is lost with each store when it is moved aside (the runs on disk are always kept).
LOST = {"job table": "job history is lost", "class database": "classes, members and gallery entries are lost",
        "job queue": "queued jobs are queued again from the job table"}


def is_damaged(path: Path) -> bool:
    """True when SQLite says ``path`` is not a sound database (missing, empty or unopenable files are not damaged:
    a read-only home or a locked file is no damage)."""
    try:
        if not path.exists() or path.stat().st_size == 0:
            return False
    except OSError:
        return False
    try:
        conn = sqlite3.connect(f"file:{quote(str(path))}?mode=ro", uri=True, timeout=30)
    except sqlite3.Error:
        return False
    try:
        row = conn.execute("PRAGMA quick_check").fetchone()
        return row is None or row[0] != "ok"
    except sqlite3.OperationalError:  # locked, busy, cannot open its -shm on a read-only home: not damage
        return False
    except sqlite3.DatabaseError:  # not a database, malformed
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


def ensure_usable(path: Path, what: str = "job table") -> Optional[Path]:
    """Move a damaged file aside (one warning); return where it went, or None when it was sound.

    ``what`` names the store ("job table", "class database"). Raises :class:`OSError` when the file is
    damaged but cannot be renamed (a read-only home)."""
    path = Path(path)
    if not is_damaged(path):
        return None
    target = move_aside(path)
    lost = LOST.get(what, "its contents are lost")
    notice = ExplorerError(f"warning: the {what} {path} was damaged; it was moved to {target.name} and a fresh one "
                           f"started ({lost}, runs on disk are kept)", code="store_moved_aside", what=what,
                           path=str(path), target=target.name, lost=lost)
    NOTICES.append(notice)
    log.debug("%s", notice)
    print(notice, file=sys.stderr)
    return target


def take_notices(seen: int = 0) -> list[ExplorerError]:
    """The notices after the first ``seen`` (a page session remembers how many it showed)."""
    return list(NOTICES[seen:])
