"""Checking a run directory against the documented format before anything uses it.

:func:`check_run_dir` reads every file of the run (``docs/run-directory.md``) and raises one
:class:`ExplorerError` naming the first problem and the file, e.g.
``run/vocab.tsv: 8,050 rows but vectors.npy has 8,051``. Array headers are read first and their
claimed size compared with the real file size before anything is mapped; values are checked in
chunks, so memory stays bounded. What is checked:

* ``config.json``: a JSON object; ``kind`` a known run kind; ``name`` text; ``created`` an ISO date
  (text); ``config``, ``data``, ``versions`` objects. ``metrics.json``: a JSON object.
* Every file the run's kind declares (:attr:`explorer.kinds.RunKind.run_files`, in
  :mod:`explorer.kinds`): required ones present; each present one by its format -- ``.npy`` arrays
  by dtype and shape (finite where declared), TSVs by header, fields and rows, ``interactions.npz``
  (no pickles) by its documented arrays, lengths, dtypes and index ranges, ``frames.json`` by its
  frames and rows -- and the declared shape rules across files (as many ``vocab.tsv`` rows as
  ``vectors.npy`` rows, users and items of one dimension, frames of the vectors' dimension, ...).

Results are remembered per run path and change stamp (:func:`explorer.runs.layout.run_stamp`), so
opening an unchanged run again costs a few ``stat`` calls.
"""

from __future__ import annotations

import copy
import csv
import datetime as _dt
import json
import math
import threading
from collections import OrderedDict
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Optional

import numpy as np

import explorer.runs.layout as L
from explorer.errors import ExplorerError
from explorer.kinds import RunFile, RunKind
from explorer.runs.arrays import NpyHeader, all_finite, load_npz, npy_header, open_npy

MAX_JSON_BYTES = 8 * 2**20  # config.json / metrics.json larger than this are refused
#: Arrays every ``interactions.npz`` holds (what ``recommend`` reads), and what ``evaluate`` needs besides.
LOGGED_REQUIRED = ("user", "item", "label")
LOGGED_FOR_EVALUATION = (*LOGGED_REQUIRED, "split", "timestamp", "validation_negatives", "test_negatives")


def _err(message: str, code: str, **params: Any) -> ExplorerError:
    return ExplorerError(message, code=code, **params)


class _Dir:
    """A run directory being checked: file paths and the labels messages use (``<shown>/<file>``)."""

    def __init__(self, path: Path, shown: Optional[str] = None) -> None:
        self.path = Path(path)
        self.shown = Path(shown) if shown else self.path

    def file(self, name: str) -> Path:
        return self.path / name

    def label(self, name: str) -> str:
        return str(self.shown / name)

    def exists(self, name: str) -> bool:
        return self.file(name).is_file()

    def require(self, name: str) -> None:
        if not self.exists(name):
            raise _err(f"{self.label(name)}: missing", "run_missing_file", file=self.label(name))


# --------------------------------------------------------------------------- JSON


def parse_json_object(data: bytes, label: str) -> dict:
    """The JSON object in ``data`` (UTF-8); anything else: an :class:`ExplorerError` naming ``label``."""
    try:
        value = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        detail = " ".join(str(exc).split())[:120]
        raise _err(f"{label}: not valid JSON ({detail})", "run_bad_json", file=label, detail=detail) from None
    if not isinstance(value, dict):
        raise _err(f"{label}: expected a JSON object, got a {_json_type(value)}", "run_bad_json", file=label,
                   detail=f"a {_json_type(value)}")
    return value


def read_json_object(path: Path, label: str = "") -> dict:
    """The JSON object in the file ``path`` (at most :data:`MAX_JSON_BYTES`)."""
    label = label or str(path)
    try:
        size = path.stat().st_size
        if size > MAX_JSON_BYTES:
            raise _err(f"{label}: {size:,} bytes, more than a run's JSON file may hold ({MAX_JSON_BYTES:,})",
                       "run_bad_json", file=label, detail="too large")
        data = path.read_bytes()
    except FileNotFoundError:
        raise _err(f"{label}: missing", "run_missing_file", file=label) from None
    except OSError as exc:
        raise _err(f"{label}: unreadable ({exc.strerror})", "run_unreadable", file=label) from None
    return parse_json_object(data, label)


def _json_type(value: Any) -> str:
    return {dict: "object", list: "list", str: "string", bool: "boolean", int: "number", float: "number",
            type(None): "null"}.get(type(value), type(value).__name__)


def check_config(config: dict, label: str) -> str:
    """Check ``config.json``'s documented fields; return the run kind."""
    kind = config.get("kind")
    kinds = L.run_kinds()
    if not isinstance(kind, str) or kind not in kinds:
        raise _err(f"{label}: unknown run kind {kind!r} (expected one of {', '.join(kinds)})", "run_unknown_kind",
                   file=label, kind=str(kind)[:40], known=", ".join(kinds))
    for key in ("name", "created"):
        value = config.get(key)
        if value is not None and not isinstance(value, str):
            what = "a date (ISO 8601 text)" if key == "created" else "text"
            raise _err(f"{label}: {key} must be {what}, got a {_json_type(value)}", "run_bad_field", file=label,
                       field=key, expected=what)
    created = config.get("created")
    if created:
        try:
            _dt.datetime.fromisoformat(created)
        except ValueError:
            raise _err(f"{label}: created must be a date (ISO 8601 text), got {created[:40]!r}", "run_bad_field",
                       file=label, field="created", expected="a date (ISO 8601 text)") from None
    for key in ("config", "data", "versions"):
        value = config.get(key)
        if value is not None and not isinstance(value, dict):
            raise _err(f"{label}: {key} must be a JSON object, got a {_json_type(value)}", "run_bad_field",
                       file=label, field=key, expected="a JSON object")
    return kind


# --------------------------------------------------------------------------- TSV


def _tsv_rows(d: _Dir, name: str, header: tuple[str, ...], exact_header: bool = True,
              quoted: bool = True) -> Iterator[list[str]]:
    """Rows after the header of ``name`` (a TSV written by :func:`explorer.runs.write_tsv`; ``quoted=False``: raw
    fields, where a quote is text, as in ``docs.tsv``)."""
    label = d.label(name)
    try:
        with open(d.file(name), encoding="utf-8", newline="") as fh:
            reader = csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_MINIMAL if quoted else csv.QUOTE_NONE)
            first = next(reader, None)
            got = tuple(first or ())
            ok = got == header if exact_header else got[: len(header)] == header
            if not ok:
                want = "<TAB>".join(header) + ("" if exact_header else " ...")
                raise _err(f"{label}: the header must be {want}, got {'<TAB>'.join(got)[:60]!r}", "run_bad_header",
                           file=label, expected=want)
            yield from reader
    except FileNotFoundError:
        raise _err(f"{label}: missing", "run_missing_file", file=label) from None
    except UnicodeDecodeError:
        raise _err(f"{label}: not UTF-8 text", "run_bad_cell", file=label, line=0, detail="not UTF-8") from None
    except csv.Error as exc:
        raise _err(f"{label}: unreadable TSV ({exc})", "run_bad_cell", file=label, line=0, detail=str(exc)) from None
    except OSError as exc:
        raise _err(f"{label}: unreadable ({exc.strerror})", "run_unreadable", file=label) from None


def _rows_agree(d: _Dir, name: str, rows: int, other: str, other_rows: int) -> None:
    if rows != other_rows:
        raise _err(f"{d.label(name)}: {rows:,} rows but {other} has {other_rows:,}", "run_rows",
                   file=d.label(name), rows=rows, other=other, other_rows=other_rows)


class _Axes:
    """The lengths of the named axes seen so far (a kind's shape rules): the first file binds a name,
    later files must agree."""

    def __init__(self, d: _Dir) -> None:
        self.d = d
        self.sizes: dict[str, tuple[int, str]] = {}

    def get(self, axis: str) -> Optional[int]:
        found = self.sizes.get(axis)
        return found[0] if found is not None else None

    def bind(self, name: str, axis: str, size: int, position: int) -> None:
        if not axis:
            return
        if axis not in self.sizes:
            self.sizes[axis] = (size, name)
            return
        want, other = self.sizes[axis]
        if size == want:
            return
        if position == 0:
            _rows_agree(self.d, name, size, other, want)
        label = self.d.label(name)
        raise _err(f"{label}: dimension {size} but {other} has {want}", "run_shape", file=label, shape=str(size),
                   expected=str(want))

    def within(self, name: str, f: RunFile, rows: int) -> None:
        """Frames hold at most as many rows as the axis they index."""
        bound = self.get(f.within)
        if bound is not None and rows > bound:
            label = self.d.label(name)
            raise _err(f"{label}: {rows:,} rows but {self.sizes[f.within][1]} has only {bound:,}", "run_shape",
                       file=label, shape=str(rows), expected=f"<= {bound}")


def _expect(label: str, header: NpyHeader, ndim: int, dtype: Optional[type] = None, kind: str = "") -> None:
    if len(header.shape) != ndim:
        raise _err(f"{label}: expected a {ndim}-D array, got shape {header.shape}", "run_shape", file=label,
                   shape=str(header.shape), expected=f"{ndim}-D")
    if dtype is not None and header.dtype != np.dtype(dtype):
        raise _err(f"{label}: expected {np.dtype(dtype)} values, got {header.dtype}", "run_bad_dtype", file=label,
                   dtype=str(header.dtype))
    if kind and header.dtype.kind not in kind:
        want = {"iu": "whole numbers", "f": "floating-point numbers"}.get(kind, kind)
        raise _err(f"{label}: expected {want}, got {header.dtype}", "run_bad_dtype", file=label,
                   dtype=str(header.dtype))


def _check_npy(d: _Dir, f: RunFile, axes: _Axes) -> None:
    label = d.label(f.name)
    header = npy_header(d.file(f.name), label)
    exact = np.float32 if f.dtype == "float32" else None
    _expect(label, header, ndim=len(f.shape), dtype=exact, kind={"float": "f", "int": "iu"}.get(f.dtype, ""))
    for position, (axis, size) in enumerate(zip(f.shape, header.shape, strict=True)):
        axes.bind(f.name, axis, int(size), position)
    if f.within:
        axes.within(f.name, f, int(header.shape[1]))
    if f.finite and not all_finite(open_npy(d.file(f.name), label)):
        raise _err(f"{label}: contains NaN or infinite values", "run_not_finite", file=label)


def _check_tsv(d: _Dir, f: RunFile, axes: _Axes) -> None:
    label = d.label(f.name)
    n = 0
    for n, row in enumerate(_tsv_rows(d, f.name, f.header, exact_header=not f.header_prefix, quoted=f.quoted), start=1):
        if f.columns and len(row) != f.columns:
            raise _err(f"{label}: line {n + 1} has {len(row)} fields, expected {f.columns} ({', '.join(f.header)})",
                       "run_bad_cell", file=label, line=n + 1, detail=f"{len(row)} fields")
        if f.whole_column >= 0:
            value = row[f.whole_column]
            if value and not (value.isascii() and value.isdigit()):
                what = f.header[f.whole_column]
                raise _err(f"{label}: line {n + 1}: {what} {value[:20]!r} is not a whole number", "run_bad_cell",
                           file=label, line=n + 1, detail=f"{what} {value[:20]!r}")
    if f.shape:
        axes.bind(f.name, f.shape[0], n, 0)


def _check_json(d: _Dir, f: RunFile, axes: _Axes) -> None:
    if f.name not in (L.CONFIG, L.METRICS):  # those two are read before the kind's files
        read_json_object(d.file(f.name), d.label(f.name))


def _check_logged_file(d: _Dir, f: RunFile, axes: _Axes) -> None:
    users, items = (axes.get(axis) for axis in f.shape)
    label = d.label(f.name)
    check_logged(load_npz(d.file(f.name), label), label, users or 0, items or 0)


def _check_frames_meta(d: _Dir, f: RunFile, axes: _Axes) -> None:
    """frames.json: ``frames`` one entry per frame, ``n_rows`` the frames' rows, ``rows`` null or their indices."""
    label = d.label(f.name)
    meta = read_json_object(d.file(f.name), label)

    def bad(what: str) -> ExplorerError:
        return _err(f"{label}: {what}", "run_bad_field", file=label, field=what.split()[0], expected=what)

    frames, n_rows, rows = meta.get("frames"), meta.get("n_rows"), meta.get("rows")
    if not isinstance(frames, list) or not all(isinstance(x, dict) for x in frames):
        raise bad("frames must be a list of objects")
    def bad_frame(what: str) -> ExplorerError:
        return _err(f"{label}: {what}", "run_bad_frames", file=label, detail=what)

    if not frames:
        raise bad_frame("frames must list at least one frame (frame 0: the random start)")
    for i, entry in enumerate(frames):  # what the player shows: epoch, progress and loss of each frame
        epoch, progress, loss = entry.get("epoch", 0), entry.get("progress", 0), entry.get("loss")
        if isinstance(epoch, bool) or not isinstance(epoch, int) or epoch < 0:
            raise bad_frame(f"frame {i}: epoch must be a whole number >= 0")
        if isinstance(progress, bool) or not isinstance(progress, (int, float)) or not 0 <= progress <= 1:
            raise bad_frame(f"frame {i}: progress must be a number in 0..1")
        if loss is not None and (isinstance(loss, bool) or not isinstance(loss, (int, float))
                                 or not math.isfinite(loss)):
            raise bad_frame(f"frame {i}: loss must be a finite number or null")
    if isinstance(n_rows, bool) or not isinstance(n_rows, int) or n_rows < 0:
        raise bad("n_rows must be a whole number")
    axes.bind(f.name, f.shape[0], len(frames), 0)
    axes.bind(f.name, f.shape[1], n_rows, 1)
    axes.within(f.name, f, n_rows)
    if rows is not None:
        bound = axes.get(f.within)
        if (not isinstance(rows, list) or len(rows) != n_rows
                or not all(isinstance(r, int) and not isinstance(r, bool) and 0 <= r < (bound or 2**62) for r in rows)):
            raise bad(f"rows must be null or {n_rows} row numbers of the run's vectors")


def _check_present(d: _Dir, f: RunFile, axes: _Axes) -> None:
    d.require(f.name)


#: Optional files that come together or not at all.
_TOGETHER = ((L.FRAMES, L.FRAMES_META),)

_CHECKS = {"npy": _check_npy, "tsv": _check_tsv, "json": _check_json, "logged": _check_logged_file,
           "frames_meta": _check_frames_meta, "file": _check_present}


def check_declared_files(d: _Dir, kind: RunKind) -> None:
    """Check every file ``kind`` declares (:attr:`explorer.kinds.RunKind.run_files`): required ones must be
    present, every present one must match its format, dtype and shape rule."""
    axes = _Axes(d)
    for f in kind.run_files:
        if not d.exists(f.name):
            if f.required:
                d.require(f.name)
            continue
        _CHECKS[f.format](d, f, axes)
    for pair in _TOGETHER:  # optional files that mean nothing alone (frames.npy without frames.json, ...)
        declared = {f.name for f in kind.run_files}
        present = [name for name in pair if name in declared and d.exists(name)]
        if present and len(present) < len([name for name in pair if name in declared]):
            d.require(next(name for name in pair if name in declared and name not in present))


def check_logged(arrays: dict[str, np.ndarray], label: str, n_users: int, n_items: int,
                 required: tuple[str, ...] = LOGGED_REQUIRED) -> None:
    """Check the arrays of an ``interactions.npz`` (documented in ``docs/run-directory.md``).

    ``required`` arrays must be present (``recommend`` needs the log; ``evaluate`` also the split
    and negatives: :data:`LOGGED_FOR_EVALUATION`); every array present is checked.
    """
    def bad(what: str) -> ExplorerError:
        return _err(f"{label}: {what}", "run_bad_logged", file=label, detail=what)

    missing = [k for k in required if k not in arrays]
    if missing:
        raise bad(f"no {missing[0]!r} array")
    n = arrays["user"].shape[0] if arrays["user"].ndim == 1 else -1
    for key in ("user", "item", "label", "split", "timestamp"):
        arr = arrays.get(key)
        if arr is not None and (arr.ndim != 1 or arr.shape[0] != n):
            raise bad(f"{key} has shape {arr.shape}, expected ({max(n, 0)},) like user")
    for key, bound, what in (("user", n_users, "users.tsv"), ("item", n_items, "items.tsv")):
        arr = arrays[key]
        if arr.dtype.kind not in "iu":
            raise bad(f"{key} holds {arr.dtype} values, expected whole numbers")
        if n and (int(arr.min()) < 0 or int(arr.max()) >= bound):
            raise bad(f"{key} indices must lie in 0..{bound - 1} (the rows of {what})")
    if arrays["label"].dtype.kind not in "biuf" or not all_finite(arrays["label"]):
        raise bad("label must hold finite numbers")
    split = arrays.get("split")
    if split is not None and (split.dtype.kind not in "iu" or (n and not np.isin(split, (0, 1, 2)).all())):
        raise bad("split must hold 0 (train), 1 (validation) or 2 (test)")
    if "timestamp" in arrays and arrays["timestamp"].dtype.kind not in "iuf":
        raise bad(f"timestamp holds {arrays['timestamp'].dtype} values, expected numbers")
    if "split_seed" in arrays and (arrays["split_seed"].ndim != 0 or arrays["split_seed"].dtype.kind not in "iu"):
        raise bad("split_seed must be one whole number")
    for role, key in ((1, "validation_negatives"), (2, "test_negatives")):
        arr = arrays.get(key)
        if arr is None:
            continue
        if split is None:
            raise bad(f"{key} without a split array")
        rows = int((split == role).sum())
        if arr.ndim != 2 or arr.shape[0] != rows or arr.dtype.kind not in "iu":
            raise bad(f"{key} must be whole numbers of shape ({rows}, negatives), got {arr.dtype} {arr.shape}")
        if arr.size and (int(arr.min()) < -1 or int(arr.max()) >= n_items):
            raise bad(f"{key} must hold item rows 0..{n_items - 1} or -1")


# --------------------------------------------------------------------------- the loader's check

_CACHE_SIZE = 64
_checked: OrderedDict[tuple[str, str], tuple[dict, dict]] = OrderedDict()
_checked_lock = threading.Lock()


def check_run_dir(path: Path, shown: Optional[str] = None) -> tuple[str, dict, dict]:
    """Check the run directory ``path`` completely; return ``(kind, config, metrics)``.

    Raises :class:`ExplorerError` naming the first problem (file and what is wrong); files are
    named ``<shown>/<file>`` (default: the path as given).
    """
    d = _Dir(path, shown)
    if not d.path.exists():
        raise _err(f"{d.path}: run directory not found", "run_not_found", path=str(d.path))
    if not d.path.is_dir() or not d.exists(L.CONFIG):
        raise _err(f"{d.path}: not a run directory (no config.json)", "run_not_a_run", path=str(d.path))
    stamp = L.run_stamp(d.path)
    key = (str(d.path.resolve()), stamp)
    with _checked_lock:
        if key in _checked:
            _checked.move_to_end(key)
            config, metrics = copy.deepcopy(_checked[key])
            return config["kind"], config, metrics
    config = read_json_object(d.file(L.CONFIG), d.label(L.CONFIG))
    kind = check_config(config, d.label(L.CONFIG))
    metrics = read_json_object(d.file(L.METRICS), d.label(L.METRICS)) if d.exists(L.METRICS) else {}
    check_declared_files(d, L.kind_of(kind))
    with _checked_lock:
        _checked[key] = copy.deepcopy((config, metrics))
        while len(_checked) > _CACHE_SIZE:
            _checked.popitem(last=False)
    return kind, config, metrics


def forget_checks() -> None:
    """Forget remembered results (tests)."""
    with _checked_lock:
        _checked.clear()
