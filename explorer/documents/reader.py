"""Documents as data: a file of documents read into aligned rows (id, title, label, text).

Formats (chosen from the name and the first bytes):

- ``.txt``: one document per line, or documents separated by blank lines — detected
  (:data:`LAYOUT_BLOCKS` when there are two or more blocks between blank lines and most have two or more lines, else
  :data:`LAYOUT_LINES`; ``layout=`` forces one). In the line layout blank lines separate nothing and are
  counted in ``n_blank``; the id of a document is its line (or block) number.
- ``.csv``/``.tsv``/``.jsonl``: a text column and optional id, title and label columns, guessed from
  the header names (the text column: a name such as ``text``/``content``, else the column of the
  longest cells) and changeable by name (``""`` for the id, title or label column: none).
- ``.zip`` of ``.txt`` files: one document per file, the file name as id and title.

Decoding, the streaming limits and the one-line errors are those of corpora
(:mod:`explorer.text.decode`, :mod:`explorer.text.limits`); each text is cleaned like a corpus line
(:func:`explorer.text.clean.clean_line`, a multi-line text joined with spaces). Rows stay aligned with
the input: an empty document keeps its row (text ``""``) and is listed in ``empty``; a duplicate
keeps its row and is listed in ``duplicates`` with the row it repeats.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "d.txt"
    >>> _ = p.write_text("a cat\\nthe dog\\na cat\\n\\n")
    >>> docs = read_documents(p)
    >>> docs.layout, docs.texts, docs.ids, docs.duplicates, docs.n_blank
    ('lines', ['a cat', 'the dog', 'a cat'], ['1', '2', '3'], [(2, 0)], 1)
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

from explorer.errors import ExplorerError
from explorer.text.clean import clean_line
from explorer.text.decode import text_stream
from explorer.text.limits import bounded_lines, limits
from explorer.text.readers import (
    check_file,
    longest_text_column,
    match_column,
    open_table,
    open_zip,
    table_errors,
    zip_member_text,
)

LAYOUT_LINES = "lines"
LAYOUT_BLOCKS = "blocks"
LAYOUTS = ("auto", LAYOUT_LINES, LAYOUT_BLOCKS)
FORMATS = ("txt", "csv", "tsv", "jsonl", "zip")
ROLES = ("text", "id", "title", "label")
GUESS_ROWS = 1000  # rows used to guess the columns

#: header names that say what a column holds (case-folded), best first
ROLE_NAMES: dict[str, tuple[str, ...]] = {
    "text": ("text", "content", "body", "document", "doc", "review", "sentence", "abstract", "message", "comment",
             "文本", "内容", "正文"),
    "id": ("id", "doc_id", "docid", "document_id", "key", "uid", "编号"),
    "title": ("title", "name", "headline", "subject", "标题", "名称"),
    "label": ("label", "labels", "category", "class", "sentiment", "topic", "tag", "target", "y", "标签", "类别"),
}


@dataclass
class Documents:
    """Documents read from one file: parallel lists, one entry per input document, in input order."""

    texts: list[str]
    ids: list[str]
    titles: list[str]
    labels: list[str]  # "" where a document has none
    source: str
    format: str  # one of FORMATS
    encoding: str
    layout: str = ""  # .txt: LAYOUT_LINES or LAYOUT_BLOCKS
    columns: dict[str, Optional[str]] = field(default_factory=dict)  # role -> column name (tables and jsonl)
    available: list[str] = field(default_factory=list)  # the columns (keys) of a table or jsonl file
    empty: list[int] = field(default_factory=list)  # rows whose text is empty after cleaning
    duplicates: list[tuple[int, int]] = field(default_factory=list)  # (row, the earlier row it repeats)
    n_blank: int = 0  # .txt by line, .csv/.tsv: blank lines or rows (not documents; ids keep their line/row numbers)
    shown: list[str] = field(default_factory=list)  # each text as written, for showing (docs.tsv); [] = texts

    @property
    def display_texts(self) -> list[str]:
        """The texts to show: as written (cleaned, full-width punctuation kept) when read so, else :attr:`texts`."""
        return self.shown if len(self.shown) == len(self.texts) else self.texts

    def __len__(self) -> int:
        return len(self.texts)

    @property
    def has_labels(self) -> bool:
        return any(self.labels)

    def summary(self) -> str:
        """One line: count, format (and the detected layout or columns), empties and duplicates."""
        how = self.format + (f", one document per {'line' if self.layout == LAYOUT_LINES else 'blank-line block'}"
                             if self.layout else "")
        if self.columns:
            how += ", " + ", ".join(f"{role}: {name}" for role, name in self.columns.items() if name)
        return (f"{self.source}: {len(self)} documents ({how}); {len(self.empty)} empty, "
                f"{len(self.duplicates)} duplicates")


def _file_format(path: Path, head: bytes) -> str:
    suffix = path.suffix.lower()
    if suffix == ".zip" or head.startswith(b"PK\x03\x04"):
        return "zip"
    if suffix in (".csv", ".tsv", ".jsonl"):
        return suffix[1:]
    if suffix == ".ndjson":
        return "jsonl"
    return "txt"


def _clean(text: str, nfkc: bool = True) -> str:
    return " ".join(part for part in (clean_line(line, nfkc=nfkc) for line in text.splitlines()) if part)


def _as_written(texts: list[str]) -> list[str]:
    """Each raw text cleaned for showing (:func:`_clean` without NFKC: full-width punctuation kept)."""
    return [_clean(t, nfkc=False) for t in texts]


def read_documents(
    path: Path, name: Optional[str] = None, *, text_column: Optional[str] = None, id_column: Optional[str] = None,
    title_column: Optional[str] = None, label_column: Optional[str] = None, layout: str = "auto",
) -> Documents:
    """The documents of ``path`` (see the module docstring). ``name``: the user's name for the file
    (errors and the summary use it). Raises ExplorerError with one line for a missing, empty, binary or
    malformed file, a column that does not exist, a column option given for a format without columns, or
    a file without a single non-empty document."""
    path = Path(path)
    source = name or path.name
    check_file(path, source)
    if layout not in LAYOUTS:
        raise ExplorerError(f"layout must be one of {', '.join(LAYOUTS)}, got {layout}", code="param_choice",
                            name="layout", choices=", ".join(LAYOUTS), value=layout)
    wanted = {"text": text_column, "id": id_column, "title": title_column, "label": label_column}
    with ExitStack() as stack:
        fh = stack.enter_context(open(path, "rb"))
        fmt = _file_format(path, fh.read(4))
        fh.seek(0)
        given = [role for role, col in wanted.items() if col]
        if given and fmt not in ("csv", "tsv", "jsonl"):
            raise ExplorerError(f"{source}: --{given[0]}-column applies only to .csv/.tsv/.jsonl files",
                                code="documents_column_not_table", file=source, role=given[0])
        if fmt == "zip":
            docs = _read_zip(fh, source, stack)
        else:
            text, encoding = text_stream(fh, source, newline="" if fmt in ("csv", "tsv") else None)
            stack.enter_context(text)
            if fmt == "txt":
                docs = _read_txt(text, source, encoding, layout)
            elif fmt == "jsonl":
                docs = _read_jsonl(text, source, encoding, wanted)
            else:
                docs = _read_table(text, source, encoding, fmt, wanted)
    _report(docs)
    if len(docs.empty) == len(docs):
        raise ExplorerError(f"{source}: no documents with text found", code="documents_none", file=source)
    return docs


def _report(docs: Documents) -> None:
    first: dict[str, int] = {}
    for row, text in enumerate(docs.texts):
        if not text:
            docs.empty.append(row)
        elif text in first:
            docs.duplicates.append((row, first[text]))
        else:
            first[text] = row


def _read_txt(text: io.TextIOWrapper, source: str, encoding: str, layout: str) -> Documents:
    lim = limits()
    lines = [line.rstrip("\r\n") for line in bounded_lines(text, source, lim)]
    blocks: list[tuple[int, list[str]]] = []  # (number of the first line, its lines)
    current: list[str] = []
    for i, line in enumerate(lines, 1):
        if line.strip():
            if not current:
                blocks.append((i, current))
            current.append(line)
        else:
            current = []
    if layout == "auto":
        multi = sum(len(b) > 1 for _, b in blocks)
        layout = LAYOUT_BLOCKS if len(blocks) > 1 and multi * 2 > len(blocks) else LAYOUT_LINES
    if layout == LAYOUT_BLOCKS:
        raw = ["\n".join(b) for _, b in blocks]
        texts = [_clean(t) for t in raw]
        ids = [str(k) for k in range(1, len(blocks) + 1)]
        n_blank = 0
    else:
        numbered = [(i, line) for i, line in enumerate(lines, 1) if line.strip()]
        raw = [line for _, line in numbered]
        texts = [_clean(t) for t in raw]
        ids = [str(i) for i, _ in numbered]
        n_blank = len(lines) - len(numbered)
    return Documents(texts, ids, [""] * len(texts), [""] * len(texts), source, "txt", encoding, layout=layout,
                     n_blank=n_blank, shown=_as_written(raw))


def _find(names: list[str], wanted: str, role: str, source: str) -> int:
    found = match_column(names, wanted)
    if found is None:
        raise ExplorerError(f"{source}: no {role} column {wanted!r}; available columns: {', '.join(names)}",
                            code="documents_no_column", file=source, role=role, column=wanted,
                            columns=", ".join(names))
    return found


def guess_columns(names: list[str], rows: list[list[str]], wanted: dict[str, Optional[str]],
                  source: str) -> dict[str, Optional[int]]:
    """Role -> column index (None: no such column): the columns asked for by name, else a column whose
    header names the role; the text column falls back to the column of the longest, mostly non-numeric cells."""
    folded = [n.casefold().strip() for n in names]
    chosen: dict[str, Optional[int]] = {}
    for role in ("text", "id", "title", "label"):
        if wanted.get(role) == "" and role != "text":  # "" says: no such column (None: guess it)
            chosen[role] = None
            continue
        if wanted.get(role):
            chosen[role] = _find(names, str(wanted[role]), role, source)
            continue
        taken = {i for i in chosen.values() if i is not None}
        chosen[role] = next((folded.index(n) for n in ROLE_NAMES[role] if n in folded
                             and folded.index(n) not in taken), None)
    if chosen["text"] is None:
        taken = frozenset(i for i in chosen.values() if i is not None)
        chosen["text"] = longest_text_column(names, rows, source, taken)
        if chosen["text"] is None:  # no cell filled at all
            raise ExplorerError(f"{source}: no text column found (columns: {', '.join(names)}); "
                                "choose one with --text-column", code="text_no_text_column", file=source,
                                columns=", ".join(names))
    return chosen


def _rows_to_documents(names: list[str], rows: list[list[str]], chosen: dict[str, Optional[int]], source: str,
                       fmt: str, encoding: str, numbers: list[int]) -> Documents:
    def cells(role: str) -> list[str]:
        i = chosen[role]
        if i is None:
            return [""] * len(rows)
        return [row[i] if i < len(row) else "" for row in rows]

    raw = cells("text")
    texts = [_clean(c) for c in raw]
    ids = [" ".join(c.split()) for c in cells("id")] if chosen["id"] is not None else [str(n) for n in numbers]
    titles = _as_written(cells("title"))  # shown only
    labels = [" ".join(c.split()) for c in cells("label")]
    columns = {role: (names[i] if i is not None else None) for role, i in chosen.items()}
    return Documents(texts, ids, titles, labels, source, fmt, encoding, columns=columns, available=list(names),
                     shown=_as_written(raw))


def _read_table(text: io.TextIOWrapper, source: str, encoding: str, fmt: str,
                wanted: dict[str, Optional[str]]) -> Documents:
    lim = limits()
    reader, names = open_table(text, source, fmt, lim)
    rows: list[list[str]] = []
    numbers: list[int] = []  # each document's row in the file (1 = the first row under the header)
    with table_errors(reader, source, fmt, lim):
        for number, row in enumerate(reader, 1):
            if any(c.strip() for c in row):
                rows.append(row)
                numbers.append(number)
    if len(names) > lim.fields:
        raise ExplorerError(f"{source}: line 1 has {len(names)} fields, more than {lim.fields} "
                            "(limit EXPLORER_MAX_FIELDS)", code="limit_fields", source=source, line=1,
                            n=len(names), limit=lim.fields)
    chosen = guess_columns(names, rows[:GUESS_ROWS], wanted, source)
    docs = _rows_to_documents(names, rows, chosen, source, fmt, encoding, numbers)
    docs.n_blank = numbers[-1] - len(numbers) if numbers else 0  # rows with no cell filled: not documents, counted
    return docs


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _read_jsonl(text: io.TextIOWrapper, source: str, encoding: str, wanted: dict[str, Optional[str]]) -> Documents:
    lim = limits()
    objects: list[dict[str, Any]] = []
    numbers: list[int] = []
    names: list[str] = []
    for lineno, line in enumerate(bounded_lines(text, source, lim), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except ValueError as exc:
            raise ExplorerError(f"{source}: line {lineno} is not valid JSON ({exc.args[0] if exc.args else exc})",
                                code="documents_bad_json", file=source, line=lineno) from None
        if not isinstance(obj, dict):
            raise ExplorerError(f"{source}: line {lineno} is not a JSON object", code="documents_json_not_object",
                                file=source, line=lineno)
        for key in obj:
            if key not in names:
                if len(names) >= lim.fields:
                    raise ExplorerError(f"{source}: line {lineno} has more than {lim.fields} fields "
                                        "(limit EXPLORER_MAX_FIELDS)", code="limit_fields", source=source,
                                        line=lineno, n=len(names) + 1, limit=lim.fields)
                names.append(str(key))
        objects.append(obj)
        numbers.append(lineno)
    if not objects:
        raise ExplorerError(f"{source}: is empty", code="file_empty", file=source)
    rows = [[_cell(obj.get(n)) for n in names] for obj in objects]
    chosen = guess_columns(names, rows[:GUESS_ROWS], wanted, source)
    return _rows_to_documents(names, rows, chosen, source, "jsonl", encoding, numbers)


def _read_zip(fh: Any, source: str, stack: ExitStack) -> Documents:
    lim = limits()
    zf, members = open_zip(fh, source, stack, lim)
    budget = [lim.unzipped_bytes]
    texts, shown, ids, titles, encodings = [], [], [], [], []
    for info in members:
        stem = info.filename.replace("\\", "/").rsplit("/", 1)[-1]
        ids.append(info.filename)
        titles.append(stem[:-4] if stem.lower().endswith(".txt") else stem)
        if info.file_size == 0:
            texts.append("")
            shown.append("")
            continue
        with zip_member_text(zf, info, source, budget, lim) as (wrapper, encoding, member_name):
            raw = "".join(bounded_lines(wrapper, member_name, lim))
            texts.append(_clean(raw))
            shown.append(_clean(raw, nfkc=False))
        if encoding not in encodings:
            encodings.append(encoding)
    return Documents(texts, ids, titles, [""] * len(texts), source, "zip", "+".join(encodings) or "utf-8",
                     shown=shown)


def iter_rows(docs: Documents) -> Iterator[tuple[str, str, str, str]]:
    """``(id, title, label, text)`` per document, in input order."""
    return zip(docs.ids, docs.titles, docs.labels, docs.texts, strict=True)


def read_data_documents(data: Any) -> tuple[Path, Documents]:
    """The documents a kind's data (``documents``, ``documents_name`` and the ``*_column`` fields, as
    :class:`explorer.kinds.doc2vec.Doc2VecData`) names: the file's path and what was read."""
    if not data.documents:
        raise ExplorerError("documents: no documents file given", code="documents_missing")
    path = Path(data.documents)
    return path, read_documents(path, data.documents_name or None, text_column=data.text_column,
                                id_column=data.id_column, title_column=data.title_column,
                                label_column=data.label_column)


def documents_record(path: Path, docs: Documents) -> dict[str, Any]:
    """What a run's ``config.json`` records of its documents file (source, checksum, format, counts)."""
    from explorer.text.readers import file_sha256

    return {"source": docs.source, "sha256": file_sha256(path), "encoding": docs.encoding, "format": docs.format,
            "layout": docs.layout, "columns": docs.columns, "n_documents": len(docs), "n_empty": len(docs.empty),
            "n_duplicates": len(docs.duplicates)}


def documents_metrics(docs: Documents) -> dict[str, Any]:
    """What a run's ``metrics.json`` records of its documents (the first 1,000 empty and duplicate rows)."""
    return {"n_documents": len(docs), "empty_documents": docs.empty[:1000],
            "duplicate_documents": [list(p) for p in docs.duplicates[:1000]]}
