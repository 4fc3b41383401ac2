"""Where the explorer keeps its data.

``EXPLORER_HOME`` (environment variable) is the data home; by default ``~/.embedding-explorer``.
Inside it: ``uploads/<sha256>`` (uploaded bytes), ``cache/`` (tokenized corpora by content hash),
``runs/`` (run directories, per workspace), ``jobs.sqlite`` (job table) and the queue storage.
Paths are never built from user text: only from hashes, generated ids and fixed names.
"""

from __future__ import annotations

from pathlib import Path

from explorer import settings


def explorer_home() -> Path:
    """The data home directory (created on first use)."""
    home = settings.home()
    home.mkdir(parents=True, exist_ok=True)
    return home


def cache_dir() -> Path:
    """Directory for content-hash caches (tokenized corpora and the like)."""
    path = explorer_home() / "cache"
    path.mkdir(parents=True, exist_ok=True)
    return path
