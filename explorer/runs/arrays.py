"""Reading ``.npy`` and ``.npz`` files without trusting them.

A header is read and checked first: the dtype must be plain numbers (never Python objects, so
nothing is unpickled), and the size the shape claims must equal the bytes the file really holds;
only then is the array memory-mapped (``.npy``) or read (``.npz`` members). A file that claims
10¹² rows costs nothing but the header.

    >>> import io
    >>> buf = io.BytesIO(); np.save(buf, np.zeros((3, 2), np.float32))
    >>> h = read_header(io.BytesIO(buf.getvalue()), len(buf.getvalue()), "x.npy")
    >>> h.shape, h.dtype.name
    ((3, 2), 'float32')
    >>> read_header(io.BytesIO(buf.getvalue()[:-4]), len(buf.getvalue()) - 4, "x.npy")
    Traceback (most recent call last):
    ...
    explorer.errors.ExplorerError: x.npy: damaged array file (the header claims 24 bytes of data, the file holds 20)
"""

from __future__ import annotations

import math
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import numpy as np
from numpy.lib import format as npy_format

from explorer.errors import ExplorerError

_NUMERIC = "biuf"
FINITE_CHUNK_ROWS = 65536  # rows checked at a time for NaN/inf (bounded memory on large arrays)


@dataclass(frozen=True)
class NpyHeader:
    """What an ``.npy`` header claims."""

    shape: tuple[int, ...]
    dtype: np.dtype
    fortran_order: bool
    data_offset: int  # bytes before the data

    @property
    def nbytes(self) -> int:
        return math.prod(self.shape) * self.dtype.itemsize


def _damaged(label: str, detail: str) -> ExplorerError:
    return ExplorerError(f"{label}: damaged array file ({detail})", code="run_damaged_array", file=label, detail=detail)


def read_header(fh: IO[bytes], size: int, label: str) -> NpyHeader:
    """Read and check the header of the ``.npy`` stream ``fh`` holding ``size`` bytes in all."""
    try:
        major, minor = npy_format.read_magic(fh)
        if (major, minor) == (1, 0):
            shape, fortran, dtype = npy_format.read_array_header_1_0(fh)
        elif major in (2, 3):
            shape, fortran, dtype = npy_format.read_array_header_2_0(fh)
        else:
            raise ValueError(f"unknown format version {major}.{minor}")
    except (ValueError, OSError, EOFError, SyntaxError, TypeError) as exc:
        raise _damaged(label, f"not a NumPy array: {' '.join(str(exc).split())[:120]}") from None
    if dtype.hasobject or dtype.kind not in _NUMERIC or dtype.fields is not None:
        raise ExplorerError(f"{label}: holds {dtype} values, expected numbers", code="run_bad_dtype", file=label,
                            dtype=str(dtype))
    header = NpyHeader(tuple(int(n) for n in shape), dtype, bool(fortran), fh.tell())
    have = size - header.data_offset
    if header.nbytes != have:
        raise _damaged(label, f"the header claims {header.nbytes:,} bytes of data, the file holds {max(have, 0):,}")
    return header


def npy_header(path: Path, label: str = "") -> NpyHeader:
    """The checked header of the ``.npy`` file at ``path`` (``label`` names it in messages)."""
    label = label or str(path)
    try:
        with open(path, "rb") as fh:
            return read_header(fh, Path(path).stat().st_size, label)
    except FileNotFoundError:
        raise ExplorerError(f"{label}: missing", code="run_missing_file", file=label) from None
    except OSError as exc:
        raise ExplorerError(f"{label}: unreadable ({exc.strerror})", code="run_unreadable", file=label) from None


def open_npy(path: Path, label: str = "") -> np.ndarray:
    """The array in ``path``, memory-mapped read-only, after :func:`npy_header` passed."""
    header = npy_header(path, label)
    if header.nbytes == 0:  # numpy cannot memory-map an empty file region
        return np.zeros(header.shape, header.dtype)
    try:
        return np.load(path, mmap_mode="r", allow_pickle=False)
    except (ValueError, OSError) as exc:
        raise _damaged(label or str(path), str(exc)[:120]) from None


def npz_headers(path: Path, label: str = "") -> dict[str, NpyHeader]:
    """Checked headers of every member of the ``.npz`` at ``path``, by array name."""
    label = label or str(path)
    out: dict[str, NpyHeader] = {}
    try:
        with zipfile.ZipFile(path) as zf:
            for info in zf.infolist():
                if not info.filename.endswith(".npy") or "/" in info.filename:
                    raise _damaged(label, f"unexpected member {info.filename[:60]!r}")
                with zf.open(info) as fh:
                    out[info.filename[:-4]] = read_header(fh, info.file_size, f"{label}:{info.filename[:-4]}")
    except FileNotFoundError:
        raise ExplorerError(f"{label}: missing", code="run_missing_file", file=label) from None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, RuntimeError, EOFError, OSError) as exc:
        raise _damaged(label, f"not a readable .npz: {' '.join(str(exc).split())[:120]}") from None
    return out


def load_npz(path: Path, label: str = "") -> dict[str, np.ndarray]:
    """Every array of the ``.npz`` at ``path`` (headers checked first; never unpickled)."""
    label = label or str(path)
    npz_headers(path, label)
    try:
        with np.load(path, allow_pickle=False) as npz:
            return {name: npz[name] for name in npz.files}
    except (ValueError, OSError, EOFError, zipfile.BadZipFile) as exc:
        raise _damaged(label, " ".join(str(exc).split())[:120]) from None


def all_finite(array: np.ndarray, chunk_rows: int = FINITE_CHUNK_ROWS) -> bool:
    """True when no value is NaN or infinite (checked in row chunks: bounded memory, also for a 3-D stack of
    frames, whose "rows" are whole frames: a chunk holds at most ``chunk_rows`` × 256 values)."""
    if array.dtype.kind not in "fc":
        return True
    if array.ndim == 0:
        return bool(np.isfinite(array))
    per_row = max(1, math.prod(array.shape[1:]))
    chunk_rows = max(1, min(chunk_rows, (chunk_rows * 256) // per_row))
    for start in range(0, array.shape[0], chunk_rows):
        if not np.isfinite(array[start:start + chunk_rows]).all():
            return False
    return True
