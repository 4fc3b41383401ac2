"""Checks against the machine: memory for a model's tables, disk space for what is written.

The parameter bounds in :mod:`explorer.configs` cannot know the data: ``dim=1000`` is fine for a
5,000-word corpus and impossible for 20 million words. The trainers call :func:`check_model_memory`
right after the vocabulary (or the interaction log) is known, before allocating anything, with the
size their kind computes (``model_bytes`` in :mod:`explorer.kinds.skipgram`, :mod:`explorer.kinds.useritem`),
so a model that would not fit is refused with the size it would need::

    >>> format_bytes(3 * 2**30)
    '3.0 GB'

A full disk (``ENOSPC``) while writing becomes one :class:`ExplorerError` naming the folder and the
space needed (:func:`disk_full_error`, :func:`disk_space`).

Environment: ``EXPLORER_MAX_MODEL_MB`` caps the memory a model may take (default: 80 % of the
memory available when the check runs).
"""

from __future__ import annotations

import errno
import os
import resource
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Optional, Union

from explorer import settings
from explorer.errors import ExplorerError

MEMORY_SHARE = 0.8  # of the available memory a model may use by default
_DISK_FULL = (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC))


def format_bytes(n: float) -> str:
    """``n`` bytes as ``"12.3 MB"`` / ``"4.0 GB"`` (binary units, one decimal)."""
    for unit, shift in (("TB", 40), ("GB", 30), ("MB", 20), ("KB", 10)):
        if n >= 1 << shift:
            return f"{n / (1 << shift):.1f} {unit}"
    return f"{int(n)} bytes"


def available_memory() -> int:
    """Bytes this process may still allocate: MemAvailable, capped by ``RLIMIT_AS`` when one is set."""
    avail: Optional[int] = None
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    avail = int(line.split()[1]) * 1024
                    break
    except (OSError, ValueError, IndexError):
        pass
    if avail is None:
        try:
            avail = os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
        except (ValueError, OSError):
            avail = 1 << 34
    soft, _ = resource.getrlimit(resource.RLIMIT_AS)
    if soft != resource.RLIM_INFINITY:
        avail = min(avail, max(soft - _address_space_used(), 0))
    return int(avail)


def _address_space_used() -> int:
    try:
        with open("/proc/self/statm", encoding="ascii") as fh:
            return int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def memory_budget() -> int:
    """Bytes a model may take: ``EXPLORER_MAX_MODEL_MB`` when set, else 80 % of :func:`available_memory`."""
    mb = settings.max_model_mb()
    if mb is not None:
        return int(mb * 2**20)
    return int(available_memory() * MEMORY_SHARE)


def check_model_memory(need: int, what: str, advice: str) -> None:
    """Refuse a model needing more than :func:`memory_budget` bytes.

    ``what`` says what needs it (``"vocabulary 5,000,000 words x dim 1000"``), ``advice`` which
    parameters to lower. Raises :class:`ExplorerError` (code ``model_memory``).
    """
    budget = memory_budget()
    if need > budget:
        raise ExplorerError(
            f"{what}: the model would need about {format_bytes(need)} of memory, but only "
            f"{format_bytes(budget)} is available (EXPLORER_MAX_MODEL_MB); {advice}",
            code="model_memory", what=what, need=format_bytes(need), available=format_bytes(budget), advice=advice,
        )


# --------------------------------------------------------------------------- disk


def is_disk_full(exc: BaseException) -> bool:
    """True for the OSError of a full disk (ENOSPC) or an exceeded quota (EDQUOT)."""
    return isinstance(exc, OSError) and exc.errno in _DISK_FULL


def _existing_dir(folder: Path) -> Path:
    folder = Path(folder)
    while not folder.is_dir() and folder != folder.parent:
        folder = folder.parent
    return folder


def disk_full_error(folder: Union[str, os.PathLike], needed: Optional[int] = None) -> ExplorerError:
    """The one-line error for a full disk under ``folder``: free space and (when known) space needed."""
    folder = Path(folder)
    try:
        free = shutil.disk_usage(_existing_dir(folder)).free
    except OSError:
        free = 0
    need = f"about {format_bytes(needed)} needed" if needed else "more space needed"
    return ExplorerError(
        f"{folder}: no space left on device ({format_bytes(free)} free, {need}); free some space or choose "
        "another folder", code="disk_full", folder=str(folder), free=format_bytes(free),
        needed=format_bytes(needed) if needed else "?",
    )


@contextmanager
def disk_space(folder: Union[str, os.PathLike], needed: Optional[int] = None) -> Iterator[None]:
    """Turn a full disk while writing under ``folder`` into :func:`disk_full_error`."""
    try:
        yield
    except OSError as exc:
        if is_disk_full(exc):
            raise disk_full_error(folder, needed) from None
        raise
