"""The bundled samples as files under ``EXPLORER_HOME/samples/data`` (written once, generated, no download)."""

from __future__ import annotations

import csv
import fcntl
import io
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from explorer.paths import explorer_home


@dataclass(frozen=True)
class SampleFiles:
    """Paths of the bundled samples, written once under ``EXPLORER_HOME/samples/data``."""

    corpus: Path
    labels: Path
    interactions: Path
    items: Path


def samples_dir() -> Path:
    path = explorer_home() / "samples"
    path.mkdir(parents=True, exist_ok=True)
    return path


@contextmanager
def locked(path: Path) -> Iterator[None]:
    """An exclusive lock between processes and threads (several servers may share a home)."""
    with open(path, "a+") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def write_document_rows(folder: Path, name: str, rows: Iterable[Sequence[str]]) -> Path:
    """Write ``name`` (a CSV with the header id, title, label, text) into ``folder``; returns its path."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(("id", "title", "label", "text"))
    writer.writerows(rows)
    path = Path(folder) / name
    path.write_text(buf.getvalue(), encoding="utf-8")
    return path


def bundled_file(name: str, write: Callable[[Path], Path]) -> Path:
    """The bundled sample ``name`` under ``EXPLORER_HOME/samples/data``, written once by ``write(folder)``
    (under a lock: several servers may share a home)."""
    base = samples_dir()
    data = base / "data"
    path = data / name
    with locked(base / f".{name}.lock"):
        if not path.is_file():
            data.mkdir(parents=True, exist_ok=True)
            write(data)
    return path


def sample_files() -> SampleFiles:
    """Write the bundled text and interaction samples once (generated, no download)."""
    from explorer.samples.corpus import write_sample_corpus
    from explorer.samples.interactions import write_sample_interactions

    base = samples_dir()
    data = base / "data"
    names = {"corpus": "corpus", "labels": "labels", "interactions": "interactions", "items": "items"}
    index = data / "files.json"
    with locked(base / ".files.lock"):
        if index.is_file():
            paths = {k: Path(v) for k, v in json.loads(index.read_text(encoding="utf-8")).items()}
            if set(paths) == set(names) and all(p.is_file() for p in paths.values()):
                return SampleFiles(**paths)
        data.mkdir(parents=True, exist_ok=True)
        corpus, labels = write_sample_corpus(data)
        log, items = write_sample_interactions(data)
        paths = {"corpus": Path(corpus), "labels": Path(labels), "interactions": Path(log), "items": Path(items)}
        index.write_text(json.dumps({k: str(v) for k, v in paths.items()}), encoding="utf-8")
        return SampleFiles(**paths)
