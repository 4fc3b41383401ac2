"""Import and export of embedding vectors.

Formats (``fmt`` names as on the command line):

- ``word2vec``: text, first line ``<count> <dim>``, then ``token v1 v2 ...`` per line.
- ``word2vec-binary``: the same header, then per token ``token<space>`` + ``dim`` little-endian
  float32 values (what gensim's ``KeyedVectors.load_word2vec_format(binary=True)`` reads).
- ``glove``: text, ``token v1 v2 ...`` per line, no header.
- ``projector``: TensorFlow Embedding Projector TSV: one row of tab-separated values per vector,
  labels in a separate metadata TSV (one column without header, or a header row + columns).
- ``npy``: a NumPy ``.npy`` float array (n, d) (never unpickled), labels from a CSV/TSV.

Metadata files (``metadata=``) hold the row labels and extra columns. For ``npy`` and
``projector`` they are aligned by row: one column and n rows (labels only), or a header row
then n rows whose first column is the label. For ``word2vec``/``glove`` (which carry their own
tokens) they are keyed by token: first column token, further columns extras (a header row is
recognised when its first cell is not a token). A column named ``label`` (or ``category``)
becomes the run's ground-truth labels; ``count`` becomes the token counts.

Every problem in a user's file raises :class:`ExplorerError` naming the file, the line where
there is one, and the problem: ragged rows, header counts that disagree, NaN/inf, non-numbers,
duplicate labels, a file over ``EXPLORER_MAX_IMPORT_MB`` (default 500) megabytes, an unknown
format.
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Optional, Union

import numpy as np

from explorer import settings
from explorer.atomic import open_atomic
from explorer.documents.runfiles import write_doc_vectors, write_docs_tsv
from explorer.errors import ExplorerError
from explorer.kinds import IMPORTED
from explorer.kinds.files import DOCS_HEADER
from explorer.kinds.imported_documents import KIND as IMPORTED_DOCUMENTS
from explorer.runs import Run, atomic_run_dir, check_out_dir, save_labels, save_vectors, write_config, write_json
from explorer.runs.arrays import open_npy
from explorer.text.limits import bounded_byte_lines, check_row
from explorer.text.limits import limits as _limits
from explorer.text.readers import file_sha256

FORMATS = ("word2vec", "word2vec-binary", "glove", "projector", "npy")
#: the text formats of one token and its numbers per line -> whether the file starts with a "count dim" header
_TOKEN_TEXT_HEADER = {"word2vec": True, "glove": False}
_HEADER_RE = re.compile(rb"^ *(\d+) +(\d+) *\r?$")  # spaces only: "1<TAB>0" is a Projector row
_LABEL_COLUMNS = ("label", "category")
_FIELD_SEP = re.compile(r"[ \t]+")  # not str.split(): tokens may hold other Unicode spaces

PathLike = Union[str, os.PathLike]


# ====================================================================== export


@contextmanager
def export_file(path: Path, mode: str = "wb") -> Iterator[Any]:
    """An output file written atomically (:func:`explorer.atomic.open_atomic`), after checking its folder."""
    path = Path(path)
    if not path.parent.is_dir():
        raise ExplorerError(f"{path.parent}: output directory does not exist", code="export_no_folder",
                            path=str(path.parent))
    if path.is_dir():
        raise ExplorerError(f"{path}: is a directory, expected a file name", code="export_is_folder", path=str(path))
    with open_atomic(path, mode) as fh:
        yield fh


def _safe_token(token: str) -> str:
    """A token without whitespace (word2vec files separate fields by spaces); never empty."""
    token = re.sub(r"\s+", "_", token)
    return token or "_"


def _cell(value: Any) -> str:
    return re.sub(r"[\t\r\n]+", " ", str(value))


def _fmt_row(row: np.ndarray, sep: str) -> str:
    return sep.join(f"{v:.9g}" for v in row.tolist())  # .9g: float32 round-trips exactly


def run_metadata(run: Run) -> tuple[list[str], list[list[str]]]:
    """(header, rows) of per-row metadata: token, count, label; item metadata for user-item runs; for runs of
    documents ``docs.tsv`` itself (id, title, label, text: what :func:`import_run` reads back as documents)."""
    if run.capabilities.documents:
        docs = run.documents
        return list(DOCS_HEADER), [list(r) for r in zip(docs.ids, docs.titles, docs.labels, docs.texts, strict=True)]
    labels = run.labels
    counts = np.asarray(run.counts)
    header = ["token", "count", "label"]
    rows = [[t, str(int(c)), labels.get(t, "")] for t, c in zip(run.tokens, counts, strict=True)]
    if run.capabilities.users:
        item_header, item_rows = run.item_table
        header += [h for h in item_header[1:]]
        for row, item in zip(rows, item_rows, strict=True):
            row += list(item[1:]) + [""] * (len(item_header) - len(item))
    return header, rows


def projector_metadata_path(out_path: PathLike) -> Path:
    """Where :func:`export_projector` puts the metadata TSV: ``<stem>_metadata.tsv`` beside it."""
    out_path = Path(out_path)
    return out_path.with_name(f"{out_path.stem}_metadata.tsv")


def export_projector(run: Run, out_path: PathLike) -> tuple[Path, Path]:
    """TensorFlow Embedding Projector files: vectors TSV at ``out_path`` and metadata TSV beside it.

    The metadata (``<stem>_metadata.tsv``) has a header row ``token<TAB>count<TAB>label`` (item
    metadata columns follow for user-item runs); tabs and newlines inside values become spaces.
    Returns ``(vectors_path, metadata_path)``.
    """
    out_path = Path(out_path)
    meta_path = projector_metadata_path(out_path)
    vectors = np.asarray(run.vectors, dtype=np.float32)
    header, rows = run_metadata(run)
    with export_file(out_path, "w") as fh:
        for row in vectors:
            fh.write(_fmt_row(row, "\t") + "\n")
    with export_file(meta_path, "w") as fh:
        fh.write("\t".join(_cell(h) for h in header) + "\n")
        for r in rows:
            fh.write("\t".join(_cell(v) for v in r) + "\n")
    return out_path, meta_path


def export_word2vec(run: Run, out_path: PathLike, binary: bool = False) -> Path:
    """word2vec text or binary file that gensim's ``KeyedVectors.load_word2vec_format`` reads.

    Whitespace inside a token becomes ``_`` (the format separates fields by spaces).
    """
    out_path = Path(out_path)
    vectors = np.asarray(run.vectors, dtype=np.float32)
    n, d = vectors.shape
    tokens = [_safe_token(t) for t in run.tokens]
    if binary:
        with export_file(out_path, "wb") as fh:
            fh.write(f"{n} {d}\n".encode())
            little = vectors.astype("<f4", copy=False)
            for token, row in zip(tokens, little, strict=True):
                fh.write(token.encode("utf-8") + b" " + row.tobytes())
    else:
        with export_file(out_path, "w") as fh:
            fh.write(f"{n} {d}\n")
            for token, row in zip(tokens, vectors, strict=True):
                fh.write(token + " " + _fmt_row(row, " ") + "\n")
    return out_path


def coordinates_csv(
    coords: np.ndarray,
    labels: Sequence[str],
    extra: Optional[dict[str, Sequence[Any]]] = None,
    rows: Optional[Sequence[int]] = None,
) -> str:
    """CSV text of projected coordinates: header ``label,x,y[,z]`` then the ``extra`` columns.

    One row per point in the given order (``rows`` selects a subset); csv-module quoting, so
    labels with commas, quotes or newlines survive.
    """
    coords = np.asarray(coords)
    if coords.ndim != 2 or coords.shape[1] not in (1, 2, 3) or coords.shape[0] != len(labels):
        raise ExplorerError(f"coords: expected ({len(labels)}, 2 or 3), got shape {coords.shape}", code="coords_shape",
                            n=len(labels), shape=str(coords.shape))
    extra = extra or {}
    for name, values in extra.items():
        if len(values) != len(labels):
            raise ExplorerError(f"extra column {name!r}: {len(values)} values for {len(labels)} points",
                                code="coords_extra_length", column=name, values=len(values), n=len(labels))
    axes = ["x", "y", "z"][: coords.shape[1]]
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["label", *axes, *extra.keys()])
    columns = list(extra.values())
    for i in range(len(labels)) if rows is None else rows:
        writer.writerow([labels[i], *(f"{v:.7g}" for v in coords[i].tolist()), *(c[i] for c in columns)])
    return buf.getvalue()


def export_coordinates_csv(
    tokens: Sequence[str],
    coords: np.ndarray,
    extra: Optional[dict[str, Sequence[Any]]] = None,
    out: Optional[PathLike] = None,
) -> Union[bytes, Path]:
    """:func:`coordinates_csv` as UTF-8: the bytes when ``out`` is None, else written to ``out``."""
    text = coordinates_csv(coords, tokens, extra)
    if out is None:
        return text.encode("utf-8")
    with export_file(Path(out), "wb") as fh:
        fh.write(text.encode("utf-8"))
    return Path(out)


# ====================================================================== import


def max_import_bytes() -> int:
    """The import size limit from ``EXPLORER_MAX_IMPORT_MB`` (default 500 MB)."""
    return int(settings.max_import_mb() * 1024 * 1024)


def _check_file(path: Path, what: str = "vectors") -> None:
    if not path.exists():
        raise ExplorerError(f"{path}: {what} file not found", code="import_not_found", path=str(path), file_kind=what)
    if not path.is_file():
        raise ExplorerError(f"{path}: {what} path is not a file", code="import_not_a_file", path=str(path),
                            file_kind=what)
    size = path.stat().st_size
    limit = max_import_bytes()
    if size > limit:
        raise ExplorerError(
            f"{path}: file is {size / 2**20:.1f} MB, over the import limit of {limit / 2**20:.0f} MB "
            "(EXPLORER_MAX_IMPORT_MB)",
            code="import_too_big", path=str(path), size=f"{size / 2**20:.1f}", limit=f"{limit / 2**20:.0f}",
        )
    if size == 0:
        raise ExplorerError(f"{path}: empty file", code="file_empty", file=str(path))


def detect_format(path: PathLike) -> str:
    """Guess the format of a vectors file from its first bytes (and extension for .npy)."""
    path = Path(path)
    with open(path, "rb") as fh:
        head = fh.read(65536)
    if head.startswith(b"\x93NUMPY"):
        return "npy"
    first, _, rest = head.partition(b"\n")
    if _HEADER_RE.match(first):
        return "word2vec" if _looks_like_text(rest) else "word2vec-binary"
    if not _looks_like_text(head):
        raise ExplorerError(f"{path}: unknown format (binary data without a word2vec header); "
                            "choose one of: " + ", ".join(FORMATS), code="import_unknown_format", path=str(path),
                            formats=", ".join(FORMATS))
    fields = first.decode("utf-8", errors="replace").strip().split("\t")
    if all(_is_float(f) for f in fields) and len(fields) >= 1:
        return "projector"
    return "glove"


def _looks_like_text(data: bytes) -> bool:
    if b"\x00" in data:
        return False
    try:
        data.decode("utf-8")
        return True
    except UnicodeDecodeError as exc:  # a multi-byte character cut at the end of the sample is fine
        return exc.start >= len(data) - 4


def _is_float(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


_F32_MAX = float(np.finfo(np.float32).max)


def _parse_values(path: Path, lineno: int, values: Sequence[str]) -> np.ndarray:
    if len(values) > _limits().fields:
        check_row(list(values), str(path), lineno)
    try:
        row = np.array(values, dtype=np.float64)
    except ValueError:
        bad = next((v for v in values if not _is_float(v)), "?")
        raise ExplorerError(f"{path}: line {lineno}: not a number: {bad[:40]!r}", code="import_not_a_number",
                            file=str(path), line=lineno, value=bad[:40]) from None
    if not np.isfinite(row).all():
        raise ExplorerError(f"{path}: line {lineno}: NaN or infinite value", code="import_not_finite", file=str(path),
                            line=lineno)
    if np.abs(row).max(initial=0.0) > _F32_MAX:
        big = values[int(np.argmax(np.abs(row)))]
        raise ExplorerError(f"{path}: line {lineno}: {big[:40]} is too large for a float32 vector (max {_F32_MAX:.4g})",
                            code="import_too_large", file=str(path), line=lineno, value=big[:40], max=f"{_F32_MAX:.4g}")
    return row.astype(np.float32)


def _check_duplicates(path: Path, labels: Sequence[str], first_line: int = 1) -> None:
    seen: dict[str, int] = {}
    for i, label in enumerate(labels):
        if label in seen:
            raise ExplorerError(
                f"{path}: duplicate label {label[:60]!r} (lines {seen[label] + first_line} and {i + first_line})",
                code="import_duplicate_label", file=str(path), label=label[:60], first=seen[label] + first_line,
                second=i + first_line,
            )
        seen[label] = i


def _text_lines(path: Path) -> Iterator[tuple[int, str]]:
    """(line number, line) of a UTF-8 text file, BOM and line ends stripped, blank lines skipped."""
    with open(path, "rb") as fh:
        for lineno, raw in enumerate(bounded_byte_lines(fh, str(path)), start=1):
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError:
                raise ExplorerError(f"{path}: line {lineno}: not valid UTF-8 text", code="import_not_utf8", file=str(path),
                                    line=lineno) from None
            if lineno == 1:
                line = line.lstrip("\ufeff")
            line = line.rstrip("\r\n")
            if line.strip():
                yield lineno, line


def _read_token_text(path: Path, with_header: bool) -> tuple[np.ndarray, list[str]]:
    """word2vec text (``with_header``) or GloVe: ``token v1 ... vd`` per line."""
    lines = _text_lines(path)
    expected_n = expected_d = None
    if with_header:
        try:
            lineno, first = next(lines)
        except StopIteration:
            raise ExplorerError(f"{path}: empty file", code="file_empty", file=str(path)) from None
        m = _HEADER_RE.match(first.encode())
        if not m:
            raise ExplorerError(f"{path}: line {lineno}: expected a header '<count> <dimension>'", code="import_bad_header",
                                file=str(path), line=lineno)
        expected_n, expected_d = int(m.group(1)), int(m.group(2))
        if expected_d < 1:
            raise ExplorerError(f"{path}: line {lineno}: header dimension must be >= 1", code="import_header_dim",
                                file=str(path), line=lineno)
    tokens: list[str] = []
    rows: list[np.ndarray] = []
    line_of: list[int] = []
    d = expected_d
    for lineno, line in lines:
        parts = _FIELD_SEP.split(line.strip(" \t"))
        token, values = parts[0], parts[1:]
        if d is None:
            d = len(values)
            if d == 0:
                raise ExplorerError(f"{path}: line {lineno}: no numbers after the label (not a word2vec/GloVe text file)",
                                    code="import_no_numbers", file=str(path), line=lineno)
        if len(values) != d:
            if expected_d is not None:
                raise ExplorerError(f"{path}: line {lineno}: {len(values)} values but the header says {d} (ragged rows)",
                                    code="import_ragged_header", file=str(path), line=lineno, n=len(values), d=d)
            raise ExplorerError(f"{path}: line {lineno}: {len(values)} values but the first vector has {d} (ragged rows)",
                                code="import_ragged", file=str(path), line=lineno, n=len(values), d=d)
        if expected_n is not None and len(tokens) >= expected_n:
            raise ExplorerError(f"{path}: line {lineno}: more vectors than the header's count of {expected_n}",
                                code="import_too_many_vectors", file=str(path), line=lineno, n=expected_n)
        rows.append(_parse_values(path, lineno, values))
        tokens.append(token)
        line_of.append(lineno)
    if not rows:
        raise ExplorerError(f"{path}: no vectors found", code="import_no_vectors", file=str(path))
    if expected_n is not None and len(rows) != expected_n:
        raise ExplorerError(f"{path}: the header says {expected_n} vectors but the file has {len(rows)}",
                            code="import_count_mismatch", file=str(path), n=expected_n, found=len(rows))
    _check_duplicates_lines(path, tokens, line_of)
    return np.vstack(rows).astype(np.float32), tokens


def _check_duplicates_lines(path: Path, labels: Sequence[str], line_of: Sequence[int]) -> None:
    seen: dict[str, int] = {}
    for label, lineno in zip(labels, line_of, strict=True):
        if label in seen:
            raise ExplorerError(f"{path}: duplicate label {label[:60]!r} (lines {seen[label]} and {lineno})",
                                code="import_duplicate_label", file=str(path), label=label[:60], first=seen[label],
                                second=lineno)
        seen[label] = lineno


def _read_word2vec_binary(path: Path) -> tuple[np.ndarray, list[str]]:
    data = path.read_bytes()
    first, sep, _ = data.partition(b"\n")
    m = _HEADER_RE.match(first)
    if not sep or not m:
        raise ExplorerError(f"{path}: line 1: expected a header '<count> <dimension>'", code="import_bad_header",
                            file=str(path), line=1)
    n, d = int(m.group(1)), int(m.group(2))
    if n < 1 or d < 1:
        raise ExplorerError(f"{path}: line 1: header counts must be >= 1, got {n} {d}", code="import_header_counts",
                            file=str(path), n=n, d=d)
    _check_claimed_size(path, n, d, 2 + 4 * d, len(data) - len(first) - 1)
    pos = len(first) + 1
    width = 4 * d
    tokens: list[str] = []
    vectors = np.empty((n, d), np.float32)
    for i in range(n):
        while pos < len(data) and data[pos:pos + 1] in (b"\n", b"\r"):
            pos += 1  # the original word2vec writes a newline after each vector
        end = data.find(b" ", pos)
        if end < 0 or end + 1 + width > len(data):
            raise ExplorerError(f"{path}: the header says {n} vectors but the file ends after {i} (truncated)",
                                code="import_truncated", file=str(path), n=n, found=i)
        raw = data[pos:end]
        try:
            token = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise ExplorerError(f"{path}: vector {i + 1}: label is not valid UTF-8", code="import_label_not_utf8",
                                file=str(path), vector=i + 1) from None
        if not token or "\x00" in token or len(raw) > 1000:
            raise ExplorerError(f"{path}: vector {i + 1}: unreadable label (the header's dimension {d} may be wrong)",
                                code="import_label_unreadable", file=str(path), vector=i + 1, d=d)
        tokens.append(token)
        vectors[i] = np.frombuffer(data, dtype="<f4", count=d, offset=end + 1)
        pos = end + 1 + width
    if data[pos:].strip():
        raise ExplorerError(f"{path}: the header says {n} vectors of dimension {d} but the file has more data",
                            code="import_extra_data", file=str(path), n=n, d=d)
    bad = ~np.isfinite(vectors).all(axis=1)
    if bad.any():
        row = int(np.argmax(bad))
        raise ExplorerError(f"{path}: vector {row + 1} ({tokens[row][:60]!r}): "
                            "NaN or infinite value", code="import_vector_not_finite", file=str(path), vector=row + 1,
                            label=tokens[row][:60])
    _check_duplicates(path, tokens)
    return vectors, tokens


def _read_projector(path: Path) -> np.ndarray:
    rows: list[np.ndarray] = []
    d = None
    for lineno, line in _text_lines(path):
        values = line.split("\t")
        if d is None:
            d = len(values)
        if len(values) != d:
            raise ExplorerError(f"{path}: line {lineno}: {len(values)} values but the first row has {d} (ragged rows)",
                                code="import_ragged", file=str(path), line=lineno, n=len(values), d=d)
        rows.append(_parse_values(path, lineno, values))
    if not rows:
        raise ExplorerError(f"{path}: no vectors found", code="import_no_vectors", file=str(path))
    return np.vstack(rows).astype(np.float32)


def _check_claimed_size(path: Path, n: int, d: int, row_bytes: int, available: int) -> None:
    """Refuse a header claiming more rows or dimensions than the file can hold (before allocating)."""
    if d > _limits().fields:
        raise ExplorerError(f"{path}: the header claims {d:,} dimensions, more than {_limits().fields:,} "
                            "(limit EXPLORER_MAX_FIELDS)", code="limit_header_dims", source=str(path), dims=d,
                            limit=_limits().fields)
    if n * row_bytes > available:
        raise ExplorerError(
            f"{path}: the header claims {n:,} vectors of dimension {d:,} (at least {n * row_bytes:,} bytes) but "
            f"the file has only {available:,} bytes after it (truncated or wrong header)",
            code="header_size", source=str(path), n=n, d=d, need=n * row_bytes, size=available)


def _npy_header(path: Path) -> None:
    """Check an .npy header against the file's real size before NumPy allocates what it claims."""
    from numpy.lib import format as npy_format

    with open(path, "rb") as fh:
        try:
            version = npy_format.read_magic(fh)
            read = npy_format.read_array_header_1_0 if version == (1, 0) else npy_format.read_array_header_2_0
            shape, _, dtype = read(fh, max_header_size=10_000)
        except (ValueError, OSError, SyntaxError, TypeError) as exc:
            detail = " ".join(str(exc).split())[:200]
            raise ExplorerError(f"{path}: not a plain .npy array ({detail})", code="import_npy_invalid", file=str(path),
                                detail=detail) from None
        offset = fh.tell()
    if dtype.hasobject:
        raise ExplorerError(f"{path}: not a plain .npy array (object arrays are never loaded)", code="import_npy_object",
                            file=str(path))
    if len(shape) != 2:
        raise ExplorerError(f"{path}: expected a 2-D array (vectors x dimensions), got shape {shape}",
                            code="import_npy_shape", file=str(path), shape=str(shape))
    if dtype.kind not in "fiu":
        raise ExplorerError(f"{path}: expected numbers, got dtype {dtype}", code="import_npy_dtype", file=str(path),
                            dtype=str(dtype))
    _check_claimed_size(path, int(shape[0]), int(shape[1]), int(shape[1]) * dtype.itemsize,
                        path.stat().st_size - offset)


def _read_npy(path: Path) -> np.ndarray:
    _npy_header(path)
    try:
        arr = open_npy(path)  # header and size checked before anything is mapped; never unpickled
    except ExplorerError as exc:
        if exc.code == "run_missing_file":
            raise
        detail = str(exc).removeprefix(f"{path}: ")
        raise ExplorerError(f"{path}: not a plain .npy array ({detail})", code=exc.code, **exc.params) from None
    if not isinstance(arr, np.ndarray) or arr.ndim != 2:
        shape = getattr(arr, "shape", "?")
        raise ExplorerError(f"{path}: expected a 2-D array (vectors x dimensions), got shape {shape}",
                            code="import_npy_shape", file=str(path), shape=str(shape))
    if arr.dtype.kind not in "fiu":
        raise ExplorerError(f"{path}: expected numbers, got dtype {arr.dtype}", code="import_npy_dtype", file=str(path),
                            dtype=str(arr.dtype))
    if arr.shape[0] < 1 or arr.shape[1] < 1:
        raise ExplorerError(f"{path}: empty array of shape {arr.shape}", code="import_npy_empty", file=str(path),
                            shape=str(arr.shape))
    bad = ~np.isfinite(arr).all(axis=1)
    if bad.any():
        raise ExplorerError(f"{path}: row {int(np.argmax(bad)) + 1}: NaN or infinite value", code="import_row_not_finite",
                            file=str(path), row=int(np.argmax(bad)) + 1)
    if arr.dtype.kind == "f" and arr.dtype.itemsize > 4 or arr.dtype.itemsize >= 4 and arr.dtype.kind in "iu":
        big = np.abs(arr).max(axis=1) > _F32_MAX
        if big.any():
            raise ExplorerError(f"{path}: row {int(np.argmax(big)) + 1}: a value too large for float32 "
                                f"(max {_F32_MAX:.4g})", code="import_row_too_large", file=str(path),
                                row=int(np.argmax(big)) + 1, max=f"{_F32_MAX:.4g}")
    return arr.astype(np.float32)


# ---------------------------------------------------------------------- metadata


def _read_table(path: Path) -> list[list[str]]:
    """Rows of a CSV/TSV file (delimiter: tab if the first line has one, else comma)."""
    _check_file(path, "metadata")
    text_lines = [line for _, line in _text_lines(path)]
    delimiter = "\t" if "\t" in text_lines[0] else ","
    if delimiter == "\t":  # Projector metadata is plain TSV: no quoting
        return [line.split("\t") for line in text_lines]
    return [row for row in csv.reader(io.StringIO("\n".join(text_lines)))]


def _aligned_metadata(path: Path, n: int) -> tuple[list[str], dict[str, list[str]]]:
    """Row-aligned metadata (npy/projector): labels plus named extra columns."""
    rows = _read_table(path)
    width = max(len(r) for r in rows)
    if width == 1 and len(rows) in (n, n + 1):
        body = rows[len(rows) - n:]
        labels = [r[0] if r else "" for r in body]
        _check_duplicates(path, labels, first_line=len(rows) - n + 1)
        return labels, {}
    if width == 1:
        raise ExplorerError(f"{path}: metadata has {len(rows)} rows but the vectors have {n}: expected {n} rows "
                            f"(one label each) or a header row plus {n} rows", code="import_meta_rows_labels",
                            file=str(path), rows=len(rows), n=n)
    if len(rows) != n + 1:
        raise ExplorerError(f"{path}: metadata has {len(rows)} rows but the vectors have {n}: expected a header row "
                            f"plus {n} rows", code="import_meta_rows", file=str(path), rows=len(rows), n=n)
    header, body = rows[0], rows[1:]
    for i, r in enumerate(body, start=2):
        if len(r) != len(header):
            raise ExplorerError(f"{path}: line {i}: {len(r)} columns but the header has {len(header)}",
                                code="import_meta_columns", file=str(path), line=i, n=len(r), header=len(header))
    labels = [r[0] for r in body]
    _check_duplicates(path, labels, first_line=2)
    extra = {header[j].strip() or f"column{j + 1}": [r[j] for r in body] for j in range(1, len(header))}
    return labels, extra


def _keyed_metadata(path: Path, tokens: Sequence[str]) -> dict[str, list[str]]:
    """Token-keyed metadata (word2vec/glove): extra columns aligned to ``tokens`` ("" when missing)."""
    rows = _read_table(path)
    known = set(tokens)
    header_row = rows[0][0] not in known
    width = max(len(r) for r in rows)
    if width < 2:
        raise ExplorerError(f"{path}: metadata needs a token column and at least one more column",
                            code="import_meta_one_column", file=str(path))
    if header_row:
        names = [(h.strip() or f"column{j + 1}") for j, h in enumerate(rows[0])][1:]
        names += [f"column{j + 1}" for j in range(len(names) + 1, width)]
        body = rows[1:]
    else:
        names = ["label"] + [f"column{j + 1}" for j in range(2, width)]
        body = rows
    mapping: dict[str, list[str]] = {}
    for r in body:
        if r and r[0] in known:
            mapping[r[0]] = list(r[1:]) + [""] * (width - len(r))
    return {name: [mapping.get(t, [""] * (width - 1))[j] for t in tokens] for j, name in enumerate(names)}


# ---------------------------------------------------------------------- public import


def import_vectors(
    path: PathLike, fmt: str = "auto", metadata: Optional[PathLike] = None
) -> tuple[np.ndarray, list[str], dict[str, list[str]]]:
    """Read a vectors file: ``(vectors float32 (n, d), labels (n,), extra columns {name: (n,)})``.

    ``fmt`` is one of :data:`FORMATS` or ``"auto"`` (see :func:`detect_format`). Rows without
    labels (npy/projector without metadata) are labelled ``"0"``, ``"1"``, ...
    """
    path = Path(path)
    if fmt != "auto" and fmt not in FORMATS:
        raise ExplorerError(f"format: unknown format {fmt!r} (expected auto, {', '.join(FORMATS)})",
                            code="import_bad_format", value=fmt, formats=", ".join(FORMATS))
    _check_file(path)
    if fmt == "auto":
        fmt = detect_format(path)
    labels: Optional[list[str]] = None
    if fmt in _TOKEN_TEXT_HEADER:  # word2vec text (a header line) or GloVe text (none)
        vectors, labels = _read_token_text(path, with_header=_TOKEN_TEXT_HEADER[fmt])
    elif fmt == "word2vec-binary":
        vectors, labels = _read_word2vec_binary(path)
    elif fmt == "projector":
        vectors = _read_projector(path)
    else:
        vectors = _read_npy(path)
    extra: dict[str, list[str]] = {}
    if metadata is not None:
        meta = Path(metadata)
        if labels is None:
            labels, extra = _aligned_metadata(meta, vectors.shape[0])
        else:
            extra = _keyed_metadata(meta, labels)
    if labels is None:
        labels = [str(i) for i in range(vectors.shape[0])]
    return vectors, labels, extra


def _counts(extra: dict[str, list[str]]) -> Optional[list[int]]:
    values = extra.get("count")
    if values is None:
        return None
    try:
        return [int(float(v)) if v.strip() else 0 for v in values]
    except ValueError:
        return None


def import_run(path: PathLike, out_dir: PathLike, fmt: str = "auto", metadata: Optional[PathLike] = None) -> Path:
    """Import a vectors file as a run directory of kind ``imported`` (written atomically); with metadata whose
    columns are ``id, title, label, text`` (``docs.tsv``'s header, what a run of documents exports) a run of
    documents of kind ``imported_documents`` (``doc_vectors.npy`` + ``docs.tsv``) instead.

    The run gets ``vectors.npy``, ``vocab.tsv`` (counts from a ``count`` metadata column, else 0),
    ``labels.tsv`` from a ``label``/``category`` column when there is one, ``config.json`` (format,
    dimension, source file name and sha256) and ``metrics.json``; then the usual caches
    (:func:`explorer.analysis.projection.precompute`). Returns ``out_dir``.
    """
    path = Path(path)
    check_out_dir(Path(out_dir))  # before reading a possibly large file
    detected = detect_format(path) if fmt == "auto" and path.is_file() and path.stat().st_size else fmt
    vectors, labels, extra = import_vectors(path, detected, metadata)
    out_dir = Path(out_dir)
    label_col = next((c for c in extra if c.strip().lower() in _LABEL_COLUMNS), None)
    documents = tuple(extra) == DOCS_HEADER[1:]  # metadata id, title, label, text: the rows are documents
    with atomic_run_dir(out_dir) as tmp:
        if documents:
            write_doc_vectors(tmp, vectors)
            write_docs_tsv(tmp, labels, extra["title"], extra["label"], extra["text"])
        else:
            save_vectors(tmp, vectors, labels, _counts(extra))
        if label_col is not None and not documents:
            save_labels(tmp, {t: v for t, v in zip(labels, extra[label_col], strict=True) if v.strip()})
        write_config(
            tmp,
            IMPORTED_DOCUMENTS.name if documents else IMPORTED.name,
            {"format": detected, "dim": int(vectors.shape[1]), "n_vectors": int(vectors.shape[0]),
             "metadata_columns": list(extra)},
            {"source": path.name, "sha256": file_sha256(path),
             "metadata": Path(metadata).name if metadata is not None else None},
            name=path.name,
        )
        write_json(tmp / "metrics.json", {})
    try:
        from explorer.analysis.projection import precompute

        precompute(out_dir)
    except ExplorerError:
        pass
    return out_dir

