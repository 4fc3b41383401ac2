"""Checking a run directory against the documented format before anything uses it.

:func:`check_run_dir` reads every file of the run (README "The run directory") and raises one
:class:`ExplorerError` naming the first problem and the file, e.g.
``run/vocab.tsv: 8,050 rows but vectors.npy has 8,051``. Array headers are read first and their
claimed size compared with the real file size before anything is mapped; values are checked in
chunks, so memory stays bounded. What is checked:

* ``config.json``: a JSON object; ``kind`` a known run kind; ``name`` text; ``created`` an ISO date
  (text); ``config``, ``data``, ``versions`` objects. ``metrics.json``: a JSON object.
* The files the kind requires are present.
* Word runs: ``vectors.npy`` float32 (n, d), finite; ``vocab.tsv`` header ``token<TAB>count``, n rows,
  counts whole numbers ≥ 0; ``labels.tsv`` header ``token<TAB>label``; ``snapshots.npy``
  float (epochs, n, d).
* User-item runs: ``users.npy`` / ``items.npy`` float32 2-D, finite, same dimension; ``users.tsv``
  (header ``user``) and ``items.tsv`` (header ``item`` ...) with as many rows; ``item_bias.npy``
  float32 (n_items,), finite; ``item_counts.npy`` whole numbers (n_items,);
  ``interactions.npz`` (no pickles) with its documented arrays, lengths, dtypes and index ranges.
* Frames (any kind that keeps them): ``frames.npy`` float (n_frames >= 1, n_rows, d) with the run's
  width d and finite values, ``frames.json`` a JSON object whose ``frames`` list has one entry per frame
  (epoch a whole number >= 0, progress in 0..1, loss null or finite), ``n_rows`` as stored and ``rows``
  null or n_rows row numbers of the run's vectors; the two come together. ``context_vectors.npy``
  float32 with the shape of the run's vectors, finite.

Each file's check is a function of its own (:func:`check_frames_file`, :func:`check_frames_meta`,
:func:`check_context_vectors_file`, ...) taking the file, the label messages use and what it must agree
with, so that a kind's declared run files can name them.

Results are remembered per run path and change stamp (:func:`explorer.runs.layout.run_stamp`), so
opening an unchanged run again costs a few ``stat`` calls.
"""

from __future__ import annotations

import copy
import csv
import datetime as _dt
import json
import threading
from collections import OrderedDict
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Optional

import numpy as np

import explorer.runs.layout as L
from explorer.errors import ExplorerError
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


def _tsv_rows(d: _Dir, name: str, header: tuple[str, ...], exact_header: bool = True) -> Iterator[list[str]]:
    """Rows after the header of ``name`` (a TSV written by :func:`explorer.runs.write_tsv`)."""
    label = d.label(name)
    try:
        with open(d.file(name), encoding="utf-8", newline="") as fh:
            reader = csv.reader(fh, delimiter="\t")
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


def _count_rows(d: _Dir, name: str, header: tuple[str, ...], exact_header: bool = True) -> int:
    return sum(1 for _ in _tsv_rows(d, name, header, exact_header))


def _check_vocab(d: _Dir, n_vectors: int) -> None:
    label = d.label(L.VOCAB)
    n = 0
    for n, row in enumerate(_tsv_rows(d, L.VOCAB, ("token", "count")), start=1):
        if len(row) != 2:
            raise _err(f"{label}: line {n + 1} has {len(row)} fields, expected 2 (token, count)", "run_bad_cell",
                       file=label, line=n + 1, detail=f"{len(row)} fields")
        count = row[1]
        if count and not (count.isascii() and count.isdigit()):
            raise _err(f"{label}: line {n + 1}: count {count[:20]!r} is not a whole number", "run_bad_cell",
                       file=label, line=n + 1, detail=f"count {count[:20]!r}")
    _rows_agree(d, L.VOCAB, n, L.VECTORS, n_vectors)


# --------------------------------------------------------------------------- arrays


def _matrix(d: _Dir, name: str) -> np.ndarray:
    """A float32 (n, d) array with finite values, memory-mapped."""
    label = d.label(name)
    header = npy_header(d.file(name), label)
    _expect(label, header, ndim=2, dtype=np.float32)
    arr = open_npy(d.file(name), label)
    if not all_finite(arr):
        raise _err(f"{label}: contains NaN or infinite values", "run_not_finite", file=label)
    return arr


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


def _check_words(d: _Dir) -> None:
    vectors = _matrix(d, L.VECTORS)
    n, dim = vectors.shape
    _check_vocab(d, n)
    if d.exists(L.LABELS):
        label = d.label(L.LABELS)
        for line, row in enumerate(_tsv_rows(d, L.LABELS, ("token", "label")), start=2):
            if len(row) != 2:
                raise _err(f"{label}: line {line} has {len(row)} fields, expected 2 (token, label)", "run_bad_cell",
                           file=label, line=line, detail=f"{len(row)} fields")
    if d.exists(L.SNAPSHOTS):
        label = d.label(L.SNAPSHOTS)
        header = npy_header(d.file(L.SNAPSHOTS), label)
        _expect(label, header, ndim=3, kind="f")
        if header.shape[1:] != (n, dim):
            raise _err(f"{label}: frames of shape {header.shape[1:]} but vectors.npy is {(n, dim)}", "run_shape",
                       file=label, shape=str(header.shape), expected=f"(epochs, {n}, {dim})")
        if not finite_by_rows(open_npy(d.file(L.SNAPSHOTS), label)):
            raise _err(f"{label}: contains NaN or infinite values", "run_not_finite", file=label)
    _check_frames(d, n, dim)
    if d.exists(L.CONTEXT_VECTORS):
        check_context_vectors_file(d.file(L.CONTEXT_VECTORS), d.label(L.CONTEXT_VECTORS), n, dim)


def finite_by_rows(array: np.ndarray) -> bool:
    """:func:`all_finite` one leading slice at a time (a 3-D frames stack: one frame in memory at a time)."""
    if array.ndim < 3:
        return all_finite(array)
    return all(all_finite(array[i]) for i in range(array.shape[0]))


def check_frames_file(path: Path, label: str, n_vectors: Optional[int], dim: int) -> NpyHeader:
    """``frames.npy``: floating-point (n_frames >= 1, n_rows, ``dim``), finite, at most ``n_vectors`` rows."""
    header = npy_header(path, label)
    _expect(label, header, ndim=3, kind="f")
    n_frames, n_rows, width = header.shape
    if n_frames < 1 or width != dim or (n_vectors is not None and n_rows > n_vectors):
        rows = "n_rows" if n_vectors is None else f"n_rows <= {n_vectors}"
        raise _err(f"{label}: frames of shape {header.shape} do not fit the run's vectors (expected "
                   f"(n_frames >= 1, {rows}, {dim}))", "run_shape", file=label, shape=str(header.shape),
                   expected=f"(n_frames, {rows}, {dim})")
    if not finite_by_rows(open_npy(path, label)):
        raise _err(f"{label}: contains NaN or infinite values", "run_not_finite", file=label)
    return header


def check_frames_meta(path: Path, label: str, n_frames: int, n_rows: int, n_vectors: Optional[int]) -> dict:
    """``frames.json``: one entry per frame of ``frames.npy`` and row numbers of the run's vectors; returns it."""
    meta = read_json_object(path, label)

    def bad(what: str) -> ExplorerError:
        return _err(f"{label}: {what}", "run_bad_frames", file=label, detail=what)

    frames = meta.get("frames")
    if not isinstance(frames, list) or len(frames) != n_frames:
        got = f"{len(frames)} entries" if isinstance(frames, list) else f"a {_json_type(frames)}"
        raise bad(f"frames must list the {n_frames} frame(s) of frames.npy, got {got}")
    for i, entry in enumerate(frames):
        if not isinstance(entry, dict):
            raise bad(f"frame {i} must be a JSON object")
        epoch, progress, loss = entry.get("epoch", 0), entry.get("progress", 0), entry.get("loss")
        if isinstance(epoch, bool) or not isinstance(epoch, int) or epoch < 0:
            raise bad(f"frame {i}: epoch must be a whole number >= 0")
        if isinstance(progress, bool) or not isinstance(progress, (int, float)) or not 0 <= progress <= 1:
            raise bad(f"frame {i}: progress must be a number in 0..1")
        if loss is not None and (isinstance(loss, bool) or not isinstance(loss, (int, float))
                                 or not np.isfinite(loss)):
            raise bad(f"frame {i}: loss must be a finite number or null")
    if meta.get("n_rows", n_rows) != n_rows:
        raise bad(f"n_rows must be {n_rows} (the rows of frames.npy)")
    rows = meta.get("rows")
    if rows is not None:
        if not isinstance(rows, list) or len(rows) != n_rows:
            raise bad(f"rows must be null or a list of {n_rows} row numbers")
        if any(isinstance(r, bool) or not isinstance(r, int) or r < 0 or (n_vectors is not None and r >= n_vectors)
               for r in rows):
            top = "" if n_vectors is None else f" in 0..{n_vectors - 1}"
            raise bad(f"rows must be row numbers of the run's vectors{top}")
    elif n_vectors is not None and n_rows > n_vectors:
        raise bad(f"frames.npy has {n_rows} rows, more than the run's {n_vectors} vectors")
    return meta


def check_context_vectors_file(path: Path, label: str, n: int, dim: int) -> None:
    """``context_vectors.npy``: float32 (n, dim) like the run's vectors, finite."""
    header = npy_header(path, label)
    _expect(label, header, ndim=2, dtype=np.float32)
    if header.shape != (n, dim):
        raise _err(f"{label}: shape {header.shape} but vectors.npy is {(n, dim)}", "run_shape", file=label,
                   shape=str(header.shape), expected=f"({n}, {dim})")
    if not all_finite(open_npy(path, label)):
        raise _err(f"{label}: contains NaN or infinite values", "run_not_finite", file=label)


def _check_frames(d: _Dir, n_vectors: int, dim: int) -> None:
    """The frame files of a run whose frames follow its (n_vectors, dim) vectors; none is fine, one alone is not."""
    have_npy, have_meta = d.exists(L.FRAMES), d.exists(L.FRAMES_META)
    if have_npy != have_meta:
        d.require(L.FRAMES_META if have_npy else L.FRAMES)
    if have_npy:
        header = check_frames_file(d.file(L.FRAMES), d.label(L.FRAMES), n_vectors, dim)
        check_frames_meta(d.file(L.FRAMES_META), d.label(L.FRAMES_META), header.shape[0], header.shape[1], n_vectors)


def _check_useritem(d: _Dir) -> None:
    users, items = _matrix(d, L.USERS), _matrix(d, L.ITEMS)
    if users.shape[1] != items.shape[1]:
        raise _err(f"{d.label(L.USERS)}: dimension {users.shape[1]} but items.npy has {items.shape[1]}", "run_shape",
                   file=d.label(L.USERS), shape=str(users.shape), expected=f"(n_users, {items.shape[1]})")
    n_users, n_items = users.shape[0], items.shape[0]
    _rows_agree(d, L.USERS_TSV, _count_rows(d, L.USERS_TSV, ("user",)), L.USERS, n_users)
    _rows_agree(d, L.ITEMS_TSV, _count_rows(d, L.ITEMS_TSV, ("item",), exact_header=False), L.ITEMS, n_items)
    label = d.label(L.ITEM_BIAS)
    header = npy_header(d.file(L.ITEM_BIAS), label)
    _expect(label, header, ndim=1, dtype=np.float32)
    _rows_agree(d, L.ITEM_BIAS, header.shape[0], L.ITEMS, n_items)
    if not all_finite(open_npy(d.file(L.ITEM_BIAS), label)):
        raise _err(f"{label}: contains NaN or infinite values", "run_not_finite", file=label)
    if d.exists(L.ITEM_COUNTS):
        label = d.label(L.ITEM_COUNTS)
        header = npy_header(d.file(L.ITEM_COUNTS), label)
        _expect(label, header, ndim=1, kind="iu")
        _rows_agree(d, L.ITEM_COUNTS, header.shape[0], L.ITEMS, n_items)
    if d.exists(L.INTERACTIONS):
        check_logged(load_npz(d.file(L.INTERACTIONS), d.label(L.INTERACTIONS)), d.label(L.INTERACTIONS),
                     n_users, n_items)
    _check_frames(d, n_items, items.shape[1])  # a user-item run's frames are its item vectors
    if d.exists(L.CONTEXT_VECTORS):
        check_context_vectors_file(d.file(L.CONTEXT_VECTORS), d.label(L.CONTEXT_VECTORS), n_items, items.shape[1])


def check_logged(arrays: dict[str, np.ndarray], label: str, n_users: int, n_items: int,
                 required: tuple[str, ...] = LOGGED_REQUIRED) -> None:
    """Check the arrays of an ``interactions.npz`` (documented in README "The run directory").

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
    for name in L.required_files(kind):
        d.require(name)
    if L.capabilities(kind).users:
        _check_useritem(d)
    else:
        _check_words(d)
    with _checked_lock:
        _checked[key] = copy.deepcopy((config, metrics))
        while len(_checked) > _CACHE_SIZE:
            _checked.popitem(last=False)
    return kind, config, metrics


def forget_checks() -> None:
    """Forget remembered results (tests)."""
    with _checked_lock:
        _checked.clear()
