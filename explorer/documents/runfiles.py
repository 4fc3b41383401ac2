"""The document run files shared by every kind whose rows are documents (Doc2Vec, sentence encoders, SIF).

- ``doc_vectors.npy``: float32 ``(n_documents, d)``, row i is document i of the input, in input order;
- ``docs.tsv``: header ``id<TAB>title<TAB>label<TAB>text``, one row per vector row, the text cut to
  :data:`TEXT_CHARS` characters (tabs and line breaks in any field become spaces).

    >>> import tempfile, numpy as np
    >>> d = Path(tempfile.mkdtemp())
    >>> write_docs_tsv(d, ["a"], ["T"], [""], ["x\\ty" * 300])
    >>> t = read_docs_tsv(d); t.ids, t.titles, len(t.texts[0])
    (['a'], ['T'], 200)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from explorer import atomic
from explorer.errors import ExplorerError
from explorer.kinds.files import DOC_VECTORS, DOCS_HEADER, DOCS_TSV  # noqa: F401  (the names live with the kinds)

TEXT_CHARS = 200  # characters of each document's text kept in docs.tsv


def _field(value: str) -> str:
    return " ".join(str(value).replace("\t", " ").splitlines()).replace("\r", " ")


@dataclass
class DocTable:
    """The rows of a run's ``docs.tsv``."""

    ids: list[str]
    titles: list[str]
    labels: list[str]
    texts: list[str]

    def __len__(self) -> int:
        return len(self.ids)

    def hover(self, row: int) -> str:
        """Title and the text (first 200 characters): what a point of a document map shows."""
        title = self.titles[row]
        return f"{title} — {self.texts[row]}" if title else self.texts[row]


def write_docs_tsv(run_dir: Path, ids: Sequence[str], titles: Sequence[str], labels: Sequence[str],
                   texts: Sequence[str]) -> None:
    """Write ``docs.tsv`` atomically (all four sequences have one entry per document)."""
    n = len(ids)
    if not (len(titles) == len(labels) == len(texts) == n):
        raise ValueError("ids, titles, labels and texts must have the same length")
    lines = ["\t".join(DOCS_HEADER)]
    for row in zip(ids, titles, labels, texts, strict=True):
        i, t, lab, text = (_field(v) for v in row)
        lines.append("\t".join((i, t, lab, text[:TEXT_CHARS])))
    atomic.write_text(Path(run_dir) / DOCS_TSV, "\n".join(lines) + "\n")


def read_docs_tsv(run_dir: Path) -> DocTable:
    """The rows of ``run_dir/docs.tsv``; an ExplorerError naming the file when it is missing or malformed."""
    path = Path(run_dir) / DOCS_TSV
    try:
        lines = path.read_text(encoding="utf-8").split("\n")
    except FileNotFoundError:
        raise ExplorerError(f"{path}: file not found", code="file_not_found", path=str(path)) from None
    if lines and lines[-1] == "":
        lines.pop()
    if not lines or tuple(lines[0].split("\t")) != DOCS_HEADER:
        raise ExplorerError(f"{path}: the header must be {' '.join(DOCS_HEADER)}", code="docs_tsv_header",
                            file=str(path))
    table = DocTable([], [], [], [])
    for lineno, line in enumerate(lines[1:], 2):
        cells = line.split("\t")
        if len(cells) != 4:
            raise ExplorerError(f"{path}: line {lineno} has {len(cells)} fields, not 4", code="docs_tsv_row",
                                file=str(path), line=lineno, n=len(cells))
        table.ids.append(cells[0])
        table.titles.append(cells[1])
        table.labels.append(cells[2])
        table.texts.append(cells[3])
    return table


def write_doc_vectors(run_dir: Path, vectors: np.ndarray) -> None:
    """Write ``doc_vectors.npy`` (float32, 2-D) atomically."""
    vectors = np.ascontiguousarray(vectors, dtype=np.float32)
    if vectors.ndim != 2:
        raise ValueError("document vectors must be a 2-D array")
    atomic.save_npy(Path(run_dir) / DOC_VECTORS, vectors)


def read_doc_vectors(run_dir: Path, mmap: bool = False) -> np.ndarray:
    """``run_dir/doc_vectors.npy`` (never unpickled)."""
    path = Path(run_dir) / DOC_VECTORS
    if not path.exists():
        raise ExplorerError(f"{path}: file not found", code="file_not_found", path=str(path))
    return np.load(path, allow_pickle=False, mmap_mode="r" if mmap else None)


def write_documents(run_dir: Path, docs, vectors: np.ndarray) -> None:  # type: ignore[no-untyped-def]
    """Write both files for ``docs`` (a :class:`explorer.documents.reader.Documents`) and its vectors."""
    if len(vectors) != len(docs.texts):
        raise ValueError(f"{len(vectors)} vectors for {len(docs.texts)} documents")
    write_doc_vectors(run_dir, vectors)
    write_docs_tsv(run_dir, docs.ids, docs.titles, docs.labels, docs.display_texts)  # as written (shown, searched)


def documents_note(run_dir: Path) -> str:
    """One line on what a run of documents read (the command line prints it after training): how many documents,
    how the file was read (the layout of a .txt, the columns of a table), and the empty and duplicate documents,
    which kept their rows. "" when the run does not record it."""
    import json

    try:  # two small files the runner has just written
        record = json.loads((Path(run_dir) / "config.json").read_text(encoding="utf-8")).get("data") or {}
        metrics = json.loads((Path(run_dir) / "metrics.json").read_text(encoding="utf-8"))
    except (OSError, ValueError, AttributeError):
        return ""
    if not isinstance(metrics, dict) or "n_documents" not in metrics:
        return ""
    how = str(record.get("format", ""))
    if record.get("layout"):
        how += ", one document per " + ("line" if record["layout"] == "lines" else "blank-line block")
    columns = record.get("columns") or {}
    how += "".join(f", {role}: {name}" for role, name in columns.items() if name)
    empty = [int(r) + 1 for r in metrics.get("empty_documents", [])]
    dups = [(int(a) + 1, int(b) + 1) for a, b in metrics.get("duplicate_documents", [])]
    note = f"{metrics['n_documents']:,} documents ({how})"
    parts = []
    if empty:
        parts.append(f"{len(empty)} empty (row {', '.join(map(str, empty[:5]))}{', …' if len(empty) > 5 else ''})")
    if dups:
        parts.append(f"{len(dups)} duplicate{'s' if len(dups) > 1 else ''} (row "
                     f"{', '.join(f'{a}={b}' for a, b in dups[:5])}{', …' if len(dups) > 5 else ''})")
    if parts:
        note += "; " + ", ".join(parts) + ": kept, so that rows match the file"
    return note
