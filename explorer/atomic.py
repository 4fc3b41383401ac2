"""Atomic writes: a file appears complete under its name, or not at all.

Everything (a file, or a whole directory with :func:`replacing_dir`) is written to a hidden temporary sibling (``.<name>.tmp-<random>``) and renamed onto the
final name with :func:`os.replace` (atomic on POSIX within one directory). On any exception,
cancellation included, the temporary file is removed and the old file (if any) stays untouched.

    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> write_text(d / "a.txt", "hello")
    >>> (d / "a.txt").read_text(), sorted(p.name for p in d.iterdir())
    ('hello', ['a.txt'])
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np


def temporary_sibling(path: Path, suffix: str = "") -> Path:
    """A hidden, unique name next to ``path`` (same directory, so a rename is atomic)."""
    path = Path(path)
    return path.with_name(f".{path.name}.tmp-{uuid.uuid4().hex[:8]}{suffix}")


@contextmanager
def replacing(path: Path, suffix: str = "") -> Iterator[Path]:
    """Yield a temporary path to write; it replaces ``path`` when the block succeeds."""
    path = Path(path)
    tmp = temporary_sibling(path, suffix)
    try:
        yield tmp
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


@contextmanager
def open_atomic(path: Path, mode: str = "wb") -> Iterator[IO[Any]]:
    """Open a temporary sibling of ``path`` for writing (text: UTF-8, no newline translation)."""
    kwargs: dict[str, Any] = {} if "b" in mode else {"encoding": "utf-8", "newline": ""}
    with replacing(path) as tmp, open(tmp, mode, **kwargs) as fh:
        yield fh


def write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically."""
    with open_atomic(path, "wb") as fh:
        fh.write(data)


def write_text(path: Path, text: str) -> None:
    """Write UTF-8 ``text`` to ``path`` atomically."""
    write_bytes(path, text.encode("utf-8"))


def save_npy(path: Path, array: np.ndarray) -> None:
    """:func:`numpy.save` to ``path`` atomically (``path`` should end in ``.npy``)."""
    import numpy as np  # here: the job commands import this module and never write arrays

    with open_atomic(path, "wb") as fh:
        np.save(fh, array, allow_pickle=False)


@contextmanager
def replacing_dir(path: Path) -> Iterator[Path]:
    """Yield a new, empty temporary directory beside ``path``; it becomes ``path`` when the block succeeds.

    ``path`` must not exist, or be an empty directory (made by the caller). On failure the
    temporary directory and everything in it is removed.
    """
    path = Path(path)
    tmp = temporary_sibling(path)
    tmp.mkdir()
    try:
        yield tmp
        if path.exists():
            path.rmdir()
        os.replace(tmp, path)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
