"""The run directory: the stable, documented on-disk format of a trained (or imported) model.

Every run::

    config.json    {"kind": ..., "config": {hyperparameters}, "data": {source, sha256, ...},
                    "versions": {package: version}, "created": ISO time, "name": display name}
    metrics.json   {"loss_per_epoch": [...], "seconds": s, ...}

Skip-gram (``kind == "skipgram"``) and imported vectors (``kind == "imported"``)::

    vectors.npy    float32 (n_tokens, dim), row i is token i
    vocab.tsv      header ``token<TAB>count``, then one row per vector row, same order
    labels.tsv     optional, header ``token<TAB>label``: ground-truth category per token

User-item (``kind == "useritem"``)::

    users.npy + users.tsv (header ``user``), items.npy + items.tsv (header ``item`` then metadata),
    item_bias.npy (float32; zeros when unused). Ranking score = users[u] @ items[i] + item_bias[i].

A run is written into a hidden temporary sibling directory and renamed into place only when
complete (:func:`atomic_run_dir`), so a crashed or cancelled job never looks finished.
"""

from __future__ import annotations

import csv
import datetime as _dt
import io
import json
import os
import shutil
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from importlib import metadata
from pathlib import Path
from typing import Any, Optional

import numpy as np

from explorer.errors import ExplorerError

KINDS = ("skipgram", "useritem", "imported")
_VERSIONED = ("explorer", "numpy", "torch", "scikit-learn", "umap-learn", "jieba", "pandas")


# --------------------------------------------------------------------------- writing


def package_versions() -> dict[str, str]:
    """Versions of the packages that shape a run's numbers (recorded in config.json)."""
    import platform

    out = {"python": platform.python_version()}
    for name in _VERSIONED:
        if name == "explorer":
            from explorer import __version__

            out[name] = __version__
            continue
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            pass
    return out


def check_out_dir(out: Path) -> Path:
    """Refuse an output path that would overwrite existing data; create missing parent folders; return it.

    A parent path that exists but is not a folder is refused (one line naming it).
    """
    out = Path(out)
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise ExplorerError(f"{out}: output directory already exists and is not empty", code="out_not_empty",
                            path=str(out))
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        raise ExplorerError(f"{out.parent}: the output's parent is not a folder", code="out_parent_not_dir",
                            path=str(out.parent)) from None
    except OSError as exc:
        raise ExplorerError(f"{out.parent}: cannot create the output's parent folder ({exc.strerror})",
                            code="out_parent_create", path=str(out.parent), reason=str(exc.strerror)) from None
    return out


@contextmanager
def atomic_run_dir(out: Path) -> Iterator[Path]:
    """Yield a temporary directory next to ``out``; rename it to ``out`` when the block succeeds.

    On any exception (including cancellation) the temporary directory is removed and ``out`` is
    untouched.
    """
    out = check_out_dir(Path(out))
    tmp = out.parent / f".{out.name}.tmp-{uuid.uuid4().hex[:8]}"
    tmp.mkdir()
    try:
        yield tmp
        if out.exists():  # an empty directory made by the caller
            out.rmdir()
        os.replace(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def write_json(path: Path, data: Any) -> None:
    """Write JSON atomically (temp file + rename), UTF-8, readable indentation."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.tmp-{uuid.uuid4().hex[:8]}")
    tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False, default=_json_default), encoding="utf-8")
    os.replace(tmp, path)


def _json_default(obj: Any) -> Any:
    if isinstance(obj, np.generic):
        return obj.item()
    if isinstance(obj, np.ndarray):
        return obj.tolist()
    if isinstance(obj, Path):
        return str(obj)
    raise TypeError(f"not JSON serialisable: {type(obj).__name__}")


def write_config(run_dir: Path, kind: str, config: dict, data: dict, name: str = "") -> None:
    """Write ``config.json`` with hyperparameters, data provenance and package versions."""
    assert kind in KINDS, kind
    write_json(
        Path(run_dir) / "config.json",
        {
            "kind": kind,
            "name": name,
            "config": config,
            "data": data,
            "versions": package_versions(),
            "created": _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
        },
    )


def write_tsv(path: Path, header: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Write a UTF-8 TSV with a header; tabs/newlines inside values are replaced by spaces."""
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
        writer.writerow(header)
        for row in rows:
            writer.writerow([_clean_cell(v) for v in row])


def _clean_cell(value: Any) -> Any:
    if isinstance(value, str):
        return value.replace("\t", " ").replace("\n", " ").replace("\r", " ")
    return value


def read_tsv(path: Path) -> tuple[list[str], list[list[str]]]:
    """Read a TSV written by :func:`write_tsv`: (header, rows)."""
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh, delimiter="\t")
        header = next(reader)
        rows = [row for row in reader]
    return header, rows


def save_vectors(
    run_dir: Path,
    vectors: np.ndarray,
    tokens: Sequence[str],
    counts: Optional[Sequence[int]] = None,
) -> None:
    """Write ``vectors.npy`` (float32, (n, d)) and ``vocab.tsv`` (token, count) aligned by row."""
    vectors = np.ascontiguousarray(vectors, dtype=np.float32)
    if vectors.ndim != 2 or vectors.shape[0] != len(tokens):
        raise ValueError(f"vectors {vectors.shape} do not match {len(tokens)} tokens")
    if counts is None:
        counts = [0] * len(tokens)
    np.save(Path(run_dir) / "vectors.npy", vectors)
    write_tsv(Path(run_dir) / "vocab.tsv", ["token", "count"], zip(tokens, (int(c) for c in counts), strict=True))


def save_labels(run_dir: Path, labels: dict[str, str]) -> None:
    """Write ``labels.tsv`` (token, label) for the tokens that have a ground-truth category."""
    write_tsv(Path(run_dir) / "labels.tsv", ["token", "label"], sorted(labels.items()))


# --------------------------------------------------------------------------- reading


@dataclass
class Run:
    """A run directory opened for reading. Arrays load lazily and are memory-mapped."""

    path: Path
    kind: str
    config: dict
    metrics: dict = field(default_factory=dict)

    @property
    def run_id(self) -> str:
        return self.path.name

    @property
    def name(self) -> str:
        return self.config.get("name") or self.path.name

    @property
    def hyper(self) -> dict:
        """The model hyperparameters (``config.json["config"]``)."""
        return self.config.get("config", {})

    # -- Skip-gram / imported -------------------------------------------------
    @cached_property
    def vectors(self) -> np.ndarray:
        """float32 (n, d): token vectors, or for user-item runs the item vectors."""
        if self.kind == "useritem":
            return self.items
        return np.load(self.path / "vectors.npy", mmap_mode="r")

    @cached_property
    def tokens(self) -> list[str]:
        """Row labels of :attr:`vectors` (tokens, or item ids for user-item runs)."""
        if self.kind == "useritem":
            return self.item_ids
        _, rows = read_tsv(self.path / "vocab.tsv")
        return [r[0] if r else "" for r in rows]

    @cached_property
    def counts(self) -> np.ndarray:
        """int64 (n,): token frequencies (zeros when unknown)."""
        if self.kind == "useritem":
            path = self.path / "item_counts.npy"
            return np.load(path) if path.exists() else np.zeros(len(self.item_ids), np.int64)
        _, rows = read_tsv(self.path / "vocab.tsv")
        return np.array([int(r[1]) if len(r) > 1 and r[1] else 0 for r in rows], dtype=np.int64)

    @cached_property
    def labels(self) -> dict[str, str]:
        """Ground-truth category per token (empty when the run has none)."""
        path = self.path / "labels.tsv"
        if not path.exists():
            return {}
        _, rows = read_tsv(path)
        return {r[0]: r[1] for r in rows if len(r) >= 2}

    @cached_property
    def index(self) -> dict[str, int]:
        """token -> row."""
        return {t: i for i, t in enumerate(self.tokens)}

    # -- user-item ------------------------------------------------------------
    @cached_property
    def users(self) -> np.ndarray:
        return np.load(self.path / "users.npy", mmap_mode="r")

    @cached_property
    def items(self) -> np.ndarray:
        return np.load(self.path / "items.npy", mmap_mode="r")

    @cached_property
    def item_bias(self) -> np.ndarray:
        return np.load(self.path / "item_bias.npy", mmap_mode="r")

    @cached_property
    def user_ids(self) -> list[str]:
        _, rows = read_tsv(self.path / "users.tsv")
        return [r[0] for r in rows]

    @cached_property
    def item_table(self) -> tuple[list[str], list[list[str]]]:
        """(header, rows) of items.tsv: ``item`` then metadata columns."""
        return read_tsv(self.path / "items.tsv")

    @cached_property
    def item_ids(self) -> list[str]:
        return [r[0] for r in self.item_table[1]]


def is_run_dir(path: Path) -> bool:
    """True for a finished run directory (temporary ``.name.tmp-*`` directories are not)."""
    path = Path(path)
    return path.is_dir() and not path.name.startswith(".") and (path / "config.json").is_file()


def load_run(path: Path) -> Run:
    """Open a run directory; a clear :class:`ExplorerError` when it is not one."""
    path = Path(path)
    if not path.exists():
        raise ExplorerError(f"{path}: run directory not found")
    if not is_run_dir(path):
        raise ExplorerError(f"{path}: not a run directory (no config.json)")
    try:
        config = json.loads((path / "config.json").read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ExplorerError(f"{path / 'config.json'}: unreadable ({exc})") from None
    kind = config.get("kind")
    if kind not in KINDS:
        raise ExplorerError(f"{path / 'config.json'}: unknown run kind {kind!r}")
    metrics_path = path / "metrics.json"
    metrics = json.loads(metrics_path.read_text(encoding="utf-8")) if metrics_path.exists() else {}
    return Run(path=path, kind=kind, config=config, metrics=metrics)


def list_runs(root: Path) -> list[Run]:
    """All finished runs directly under ``root``, newest first."""
    root = Path(root)
    if not root.is_dir():
        return []
    runs = []
    for child in root.iterdir():
        if is_run_dir(child):
            try:
                runs.append(load_run(child))
            except ExplorerError:
                continue
    runs.sort(key=lambda r: r.config.get("created", ""), reverse=True)
    return runs


def delete_run(path: Path) -> None:
    """Delete a run directory (the caller checks ownership)."""
    path = Path(path)
    if not is_run_dir(path):
        raise ExplorerError(f"{path}: not a run directory")
    shutil.rmtree(path)


def zip_run(path: Path) -> bytes:
    """The run directory as zip bytes (for download)."""
    import zipfile

    path = Path(path)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for file in sorted(path.rglob("*")):
            if file.is_file():
                zf.write(file, file.relative_to(path).as_posix())
    return buf.getvalue()
