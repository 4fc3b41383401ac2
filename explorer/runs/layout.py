"""Names inside a run directory: its files, the kinds it may hold, its change stamp.

The names of run files come from :mod:`explorer.kinds.files` and each kind declares which it writes
(:attr:`explorer.kinds.RunKind.run_files`); the cache's names live in :mod:`explorer.runs.cache`.

    >>> required_files("imported")
    ('config.json', 'vectors.npy', 'vocab.tsv')
    >>> capabilities("imported").words, capabilities("useritem").users
    (True, True)
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from explorer.kinds import Capabilities, RunKind, run_kind
from explorer.kinds import run_kinds as _registered
from explorer.kinds.files import (
    CONFIG,
    CONTEXT_VECTORS,
    FRAMES,
    FRAMES_META,
    INTERACTIONS,
    ITEM_BIAS,
    ITEM_COUNTS,
    ITEMS,
    ITEMS_TSV,
    LABELS,
    METRICS,
    SNAPSHOTS,
    USERS,
    USERS_TSV,
    VECTORS,
    VOCAB,
)

__all__ = ["CACHE", "CONFIG", "CONTEXT_VECTORS", "FRAMES", "FRAMES_META", "INTERACTIONS", "ITEM_BIAS", "ITEM_COUNTS",
           "ITEMS", "ITEMS_TSV", "LABELS", "METRICS", "SNAPSHOTS", "USERS", "USERS_TSV", "VECTORS", "VOCAB",
           "run_files", "run_kinds", "required_files", "capabilities", "kind_of", "run_stamp"]

CACHE = "cache"


def run_files() -> frozenset[str]:
    """Every file a run directory may hold at its top level (``cache/`` aside): what the registered kinds declare."""
    return frozenset(f.name for kind in _registered().values() for f in kind.run_files)


def run_kinds() -> tuple[str, ...]:
    """Kinds a run's ``config.json`` may name: every registered training kind, and ``imported``."""
    return tuple(_registered())


def kind_of(name: str) -> RunKind:
    """The registered run kind ``name`` (:class:`ExplorerError` when unknown)."""
    return run_kind(name)


def required_files(kind: str) -> tuple[str, ...]:
    """The files every run of ``kind`` holds."""
    return run_kind(kind).required_files


def capabilities(kind: str) -> Capabilities:
    """What runs of ``kind`` offer (imported runs: words)."""
    return run_kind(kind).capabilities


# --------------------------------------------------------------------------- change stamp


def run_stamp(run_dir: Path) -> str:
    """Changes whenever a run file (not the cache) is replaced, rewritten or removed.

    Built from each top-level file's name, size and modification time; part of every cache key
    that depends on a run's contents.
    """
    parts = []
    names = run_files()
    try:
        with os.scandir(run_dir) as entries:
            for entry in entries:
                if entry.name in names and entry.is_file():
                    st = entry.stat()
                    parts.append(f"{entry.name}:{st.st_size}:{st.st_mtime_ns}")
    except OSError:
        return ""
    return hashlib.sha1("|".join(sorted(parts)).encode()).hexdigest()[:16]
