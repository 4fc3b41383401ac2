"""The run directory: write a run, open it, list runs.

Each kind declares the files its runs hold, with their dtypes and shapes (``run_files`` in its module
under :mod:`explorer.kinds`); :mod:`explorer.runs.validation` checks a run against them. The format is
described for people once, in ``docs/run-directory.md`` (tests/test_docs.py checks that it names every
declared file).

A run is written into a hidden temporary sibling directory and renamed into place only when
complete (:func:`atomic_run_dir`), so a crashed or cancelled job never looks finished. A run is
opened only through :func:`load_run`, which checks every file first (:mod:`explorer.runs.validation`);
:func:`scan_runs` lists a folder of runs, the damaged ones apart.
"""

from __future__ import annotations

import csv
import datetime as _dt
import io
import json
import shutil
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional

import numpy as np

import explorer.runs.layout as L
from explorer.atomic import open_atomic, replacing_dir
from explorer.errors import ExplorerError
from explorer.kinds import Capabilities
from explorer.runs.arrays import open_npy
from explorer.runs.validation import check_run_dir

if TYPE_CHECKING:  # (the documents' modules load with the first document run: a training command needs none)
    from explorer.documents.runfiles import DocTable

_VERSIONED = ("explorer", "numpy", "torch", "scikit-learn", "umap-learn", "jieba", "pandas")


# --------------------------------------------------------------------------- writing


def package_versions() -> dict[str, str]:
    """Versions of the packages that shape a run's numbers (recorded in config.json)."""
    import platform
    from importlib import metadata

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
    with replacing_dir(check_out_dir(Path(out))) as tmp:
        yield tmp


def write_json(path: Path, data: Any) -> None:
    """Write JSON atomically (temp file + rename), UTF-8, readable indentation."""
    with open_atomic(Path(path), "w") as fh:
        fh.write(json.dumps(data, indent=2, ensure_ascii=False, default=_json_default))


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
    assert kind in L.run_kinds(), kind
    write_json(
        Path(run_dir) / L.CONFIG,
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
    np.save(Path(run_dir) / L.VECTORS, vectors)
    write_tsv(Path(run_dir) / L.VOCAB, ["token", "count"], zip(tokens, (int(c) for c in counts), strict=True))


def save_labels(run_dir: Path, labels: dict[str, str]) -> None:
    """Write ``labels.tsv`` (token, label) for the tokens that have a ground-truth category."""
    write_tsv(Path(run_dir) / L.LABELS, ["token", "label"], sorted(labels.items()))


# --------------------------------------------------------------------------- reading


@dataclass
class Run:
    """A run directory opened for reading (through :func:`load_run`, which validated every file).

    Arrays load lazily and are memory-mapped.
    """

    path: Path
    kind: str
    config: dict
    metrics: dict = field(default_factory=dict)

    @property
    def run_id(self) -> str:
        return self.path.name

    @property
    def name(self) -> str:
        name = self.config.get("name")
        return name if isinstance(name, str) and name else self.path.name

    @property
    def created(self) -> str:
        """``config.json["created"]`` (ISO text), or "" when not recorded."""
        created = self.config.get("created")
        return created if isinstance(created, str) else ""

    @property
    def hyper(self) -> dict:
        """The model hyperparameters (``config.json["config"]``)."""
        return self.config.get("config") or {}

    @cached_property
    def settings(self) -> Any:
        """The hyperparameters as the kind's config dataclass (:meth:`explorer.kinds.RunKind.recorded_config`;
        None for imported vectors): read ``run.settings.min_count``, never ``run.hyper["min_count"]``."""
        return L.kind_of(self.kind).recorded_config(self.hyper)

    @property
    def capabilities(self) -> Capabilities:
        """What this run offers (its kind's :class:`~explorer.kinds.Capabilities`); pages branch on these."""
        return L.capabilities(self.kind)

    @property
    def stamp(self) -> str:
        """Changes whenever a run file is replaced (:func:`explorer.runs.layout.run_stamp`)."""
        return L.run_stamp(self.path)

    def file(self, name: str) -> Path:
        """The path of the run file ``name`` (one of :func:`explorer.runs.layout.run_files`)."""
        assert name in L.run_files(), name
        return self.path / name

    def _npy(self, name: str) -> np.ndarray:
        return open_npy(self.path / name, str(self.path / name))

    # -- Skip-gram / imported -------------------------------------------------
    @cached_property
    def vectors(self) -> np.ndarray:
        """float32 (n, d): token vectors, or for user-item runs the item vectors."""
        if self.capabilities.users:
            return self.items
        if self.capabilities.documents:
            from explorer.documents.runfiles import DOC_VECTORS

            return self._npy(DOC_VECTORS)
        return self._npy(L.VECTORS)

    @cached_property
    def _vocab(self) -> list[list[str]]:
        return read_tsv(self.path / L.VOCAB)[1]

    @cached_property
    def tokens(self) -> list[str]:
        """Row labels of :attr:`vectors` (tokens, or item ids for user-item runs)."""
        if self.capabilities.users:
            return self.item_ids
        if self.capabilities.documents:
            return list(self.documents.ids)
        return [r[0] if r else "" for r in self._vocab]

    @cached_property
    def counts(self) -> np.ndarray:
        """int64 (n,): token frequencies (zeros when unknown; zeros for documents)."""
        if self.capabilities.documents:
            return np.zeros(len(self.documents), np.int64)
        if self.capabilities.users:
            path = self.path / L.ITEM_COUNTS
            if path.exists():
                return np.asarray(self._npy(L.ITEM_COUNTS), dtype=np.int64)
            return np.zeros(len(self.item_ids), np.int64)
        return np.array([int(r[1]) if len(r) > 1 and r[1] else 0 for r in self._vocab], dtype=np.int64)

    @cached_property
    def labels(self) -> dict[str, str]:
        """Ground-truth category per token (empty when the run has none)."""
        if self.capabilities.documents:
            docs = self.documents
            return {i: lab for i, lab in zip(docs.ids, docs.labels, strict=True) if lab}
        path = self.path / L.LABELS
        if not path.exists():
            return {}
        _, rows = read_tsv(path)
        return {r[0]: r[1] for r in rows if len(r) >= 2}

    @cached_property
    def index(self) -> dict[str, int]:
        """token -> row."""
        return {t: i for i, t in enumerate(self.tokens)}

    # -- documents ------------------------------------------------------------
    @cached_property
    def documents(self) -> DocTable:
        """The rows of ``docs.tsv`` (document runs): id, title, label and the first 200 characters."""
        from explorer.documents.runfiles import read_docs_tsv

        return read_docs_tsv(self.path)

    # -- user-item ------------------------------------------------------------
    @cached_property
    def users(self) -> np.ndarray:
        """float32 (n_users, d)."""
        return self._npy(L.USERS)

    @cached_property
    def items(self) -> np.ndarray:
        """float32 (n_items, d)."""
        return self._npy(L.ITEMS)

    @cached_property
    def item_bias(self) -> np.ndarray:
        """float32 (n_items,)."""
        return self._npy(L.ITEM_BIAS)

    @cached_property
    def user_ids(self) -> list[str]:
        _, rows = read_tsv(self.path / L.USERS_TSV)
        return [r[0] for r in rows]

    @cached_property
    def item_table(self) -> tuple[list[str], list[list[str]]]:
        """(header, rows) of items.tsv: ``item`` then metadata columns."""
        return read_tsv(self.path / L.ITEMS_TSV)

    @cached_property
    def item_ids(self) -> list[str]:
        return [r[0] for r in self.item_table[1]]

    @cached_property
    def item_titles(self) -> Optional[list[str]]:
        """Item titles (the metadata's ``title`` or ``name`` column, aligned with the item rows), or None."""
        if not self.capabilities.users:
            return None
        header, rows = self.item_table
        lower = [h.lower() for h in header]
        for name in ("title", "name"):
            if name in lower:
                col = lower.index(name)
                return [r[col] if col < len(r) else "" for r in rows]
        return None

    @cached_property
    def display_labels(self) -> list[str]:
        """What to show for each vector row: the item's title when there is one, else the token or id."""
        if self.capabilities.documents:
            docs = self.documents
            return [docs.hover(i) for i in range(len(docs))]
        titles = self.item_titles
        if titles is None:
            return list(self.tokens)
        return [t or i for t, i in zip(titles, self.item_ids, strict=True)]


def is_run_dir(path: Path) -> bool:
    """True for a finished run directory (temporary ``.name.tmp-*`` directories are not).

    Only looks for ``config.json``; :func:`load_run` checks the contents.
    """
    path = Path(path)
    return path.is_dir() and not path.name.startswith(".") and (path / L.CONFIG).is_file()


def load_run(path: Path) -> Run:
    """Open a run directory after checking every file against the run-directory format.

    The one way to open a run: an :class:`ExplorerError` names the first problem
    (``run/vocab.tsv: 8,050 rows but vectors.npy has 8,051``); see :mod:`explorer.runs.validation`.
    """
    path = Path(path)
    kind, config, metrics = check_run_dir(path)
    return Run(path=path, kind=kind, config=config, metrics=metrics)


@dataclass(frozen=True)
class DamagedRun:
    """A run directory that did not pass :func:`load_run`: where it is and the first problem."""

    path: Path
    problem: str

    @property
    def run_id(self) -> str:
        return self.path.name


def scan_runs(root: Path) -> tuple[list[Run], list[DamagedRun]]:
    """Runs directly under ``root`` (newest first), and the damaged ones (by name), never raising for one run."""
    root = Path(root)
    if not root.is_dir():
        return [], []
    runs, damaged = [], []
    for child in sorted(root.iterdir()):
        if is_run_dir(child):
            try:
                runs.append(load_run(child))
            except ExplorerError as exc:
                damaged.append(DamagedRun(child, str(exc)))
            except OSError as exc:  # vanished or unreadable meanwhile
                damaged.append(DamagedRun(child, f"{child}: unreadable ({exc.strerror})"))
    runs.sort(key=lambda r: r.created, reverse=True)
    return runs, damaged


def list_runs(root: Path) -> list[Run]:
    """All finished, valid runs directly under ``root``, newest first (damaged ones: :func:`scan_runs`)."""
    return scan_runs(root)[0]


def delete_run(path: Path) -> None:
    """Delete a run directory (the caller checks ownership)."""
    path = Path(path)
    if not is_run_dir(path):
        raise ExplorerError(f"{path}: not a run directory", code="run_not_a_run", path=str(path))
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
