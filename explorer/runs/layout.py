"""Names inside a run directory: its files, the kinds it may hold, its change stamp.

Only this module names a run file (the cache's names: :mod:`explorer.runs.cache`); everyone else
asks it.

    >>> required_files("imported")
    ('config.json', 'vectors.npy', 'vocab.tsv')
    >>> capabilities("imported").words, capabilities("useritem").users
    (True, True)
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from explorer.kinds import Capabilities, training_kind, training_kinds

CONFIG = "config.json"
METRICS = "metrics.json"
VECTORS = "vectors.npy"
VOCAB = "vocab.tsv"
LABELS = "labels.tsv"
SNAPSHOTS = "snapshots.npy"
USERS = "users.npy"
USERS_TSV = "users.tsv"
ITEMS = "items.npy"
ITEMS_TSV = "items.tsv"
ITEM_BIAS = "item_bias.npy"
ITEM_COUNTS = "item_counts.npy"
INTERACTIONS = "interactions.npz"
FRAMES = "frames.npy"  # optional: the vectors during training (explorer/runs/frames.py)
FRAMES_META = "frames.json"
CONTEXT_VECTORS = "context_vectors.npy"  # optional (Skip-gram runs with frames): the output vectors
CACHE = "cache"

#: Every file a run directory may hold at its top level (``cache/`` aside).
RUN_FILES = frozenset({CONFIG, METRICS, VECTORS, VOCAB, LABELS, SNAPSHOTS, USERS, USERS_TSV, ITEMS, ITEMS_TSV,
                       ITEM_BIAS, ITEM_COUNTS, INTERACTIONS, FRAMES, FRAMES_META, CONTEXT_VECTORS})

IMPORTED = "imported"  # vectors imported from a file: not a training kind, but a run kind
_IMPORTED_FILES = (CONFIG, VECTORS, VOCAB)
_IMPORTED_CAPABILITIES = Capabilities(words=True)


def run_kinds() -> tuple[str, ...]:
    """Kinds a run's ``config.json`` may name: every registered training kind, and ``imported``."""
    return (*training_kinds(), IMPORTED)


def required_files(kind: str) -> tuple[str, ...]:
    """The files every run of ``kind`` holds."""
    return _IMPORTED_FILES if kind == IMPORTED else training_kind(kind).run_files


def capabilities(kind: str) -> Capabilities:
    """What runs of ``kind`` offer (imported runs: words)."""
    return _IMPORTED_CAPABILITIES if kind == IMPORTED else training_kind(kind).capabilities


# --------------------------------------------------------------------------- change stamp


def run_stamp(run_dir: Path) -> str:
    """Changes whenever a run file (not the cache) is replaced, rewritten or removed.

    Built from each top-level file's name, size and modification time; part of every cache key
    that depends on a run's contents.
    """
    parts = []
    try:
        with os.scandir(run_dir) as entries:
            for entry in entries:
                if entry.name in RUN_FILES and entry.is_file():
                    st = entry.stat()
                    parts.append(f"{entry.name}:{st.st_size}:{st.st_mtime_ns}")
    except OSError:
        return ""
    return hashlib.sha1("|".join(sorted(parts)).encode()).hexdigest()[:16]
