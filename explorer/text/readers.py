"""Readers: text files as streams of decoded, raw lines (.txt; one column of a .csv/.tsv; every .txt
of a .zip, read from the archive), and the small files beside a corpus (labels, user words).

Every reader streams under the limits of :mod:`explorer.text.limits`, decodes with
:mod:`explorer.text.decode` and cleans with :mod:`explorer.text.clean`; a problem with the user's file
raises an ExplorerError naming the file.
"""

from __future__ import annotations

import csv
import hashlib
import io
import unicodedata
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Optional

from explorer.errors import ExplorerError
from explorer.text.clean import LineFilter
from explorer.text.decode import count_undecodable, decode_bytes, text_stream
from explorer.text.limits import CappedReader, Limits, bounded_lines, limits, line_too_long

MAX_ZIP_TEXT_BYTES = 4 << 30  # refuse zips whose .txt members declare more than this (zip bombs)
CSV_GUESS_ROWS = 1000  # rows used to guess the text column


@dataclass
class Stream:
    """Raw (uncleaned) lines of a file, streamed; ``position()`` is the fraction of bytes read."""

    lines: Iterator[str]
    encodings: list[str]
    position: Callable[[], float]
    column: list[str] = field(default_factory=list)  # .csv/.tsv: the text column, once the header is read
    undecodable: list[int] = field(default_factory=lambda: [0])  # lines no encoding could read (mixed files)


def file_format(path: Path, head: bytes) -> str:
    """``"zip"``, ``"csv"``, ``"tsv"`` or ``"txt"``, from the name and the first bytes."""
    suffix = path.suffix.lower()
    if suffix == ".zip" or head.startswith(b"PK\x03\x04"):
        return "zip"
    if suffix in (".csv", ".tsv"):
        return suffix[1:]
    return "txt"


def check_file(path: Path, source: str) -> int:
    """The size of ``path``; an ExplorerError when it is missing, not a file or empty."""
    if not path.exists():
        raise ExplorerError(f"{path}: file not found", code="file_not_found", path=str(path))
    if not path.is_file():
        raise ExplorerError(f"{path}: not a file", code="file_not_file", file=str(path))
    size = path.stat().st_size
    if size == 0:
        raise ExplorerError(f"{source}: is empty", code="file_empty", file=source)
    return size


def open_stream(path: Path, source: str, text_column: Optional[str], stack: ExitStack) -> Stream:
    """The raw lines of a .txt, of the text column of a .csv/.tsv, or of every .txt in a .zip; the files
    stay open until ``stack`` closes."""
    size = check_file(path, source)
    fh = stack.enter_context(open(path, "rb"))
    fmt = file_format(path, fh.read(4))
    fh.seek(0)
    if text_column and fmt not in ("csv", "tsv"):
        raise ExplorerError(f"{source}: --text-column applies only to .csv/.tsv files", code="text_column_not_table",
                            file=source)
    lim = limits()
    if fmt == "zip":
        return _zip_stream(fh, source, stack, lim)
    text, encoding = text_stream(fh, source, newline="" if fmt in ("csv", "tsv") else None)
    stack.enter_context(text)

    def position() -> float:
        return min(fh.tell() / size, 1.0)

    undecodable = [0]
    if fmt == "txt":
        return Stream(count_undecodable(bounded_lines(text, source, lim), encoding, undecodable), [encoding], position,
                      undecodable=undecodable)
    column: list[str] = []
    lines = _csv_lines(text, source, fmt, text_column, column, lim)
    return Stream(count_undecodable(lines, encoding, undecodable), [encoding], position, column, undecodable)


def _csv_lines(
    text: io.TextIOWrapper, source: str, fmt: str, text_column: Optional[str], chosen: list[str], lim: Limits
) -> Iterator[str]:
    """The lines of the text column of a CSV/TSV file (first row: header); the column's name is
    appended to ``chosen`` once known."""
    reader, names = open_table(text, source, fmt, lim)  # a text cell may be as long as a line, no longer
    with table_errors(reader, source, fmt, lim):
        first: list[list[str]] = []
        if text_column:
            column = _find_column(names, text_column, source)
        else:
            for row in reader:
                first.append(row)
                if len(first) >= CSV_GUESS_ROWS:
                    break
            column = longest_text_column(names, first, source) or 0  # no cell: reading finds no text
        chosen.append(names[column])
        for row in first:
            if column < len(row):
                yield from row[column].splitlines()
        for row in reader:
            if column < len(row):
                yield from row[column].splitlines()


def open_table(text: io.TextIOWrapper, source: str, fmt: str, lim: Limits) -> tuple[Any, list[str]]:
    """A ``csv.reader`` over a CSV/TSV text (delimiter sniffed for CSV; lines and cells bounded by
    ``lim``) and its header's column names (blank names become ``column N``)."""
    if fmt == "tsv":
        delimiter = "\t"
    else:
        head = text.read(64 * 1024)
        text.seek(0)
        try:
            delimiter = csv.Sniffer().sniff(head, delimiters=",;\t|").delimiter
        except csv.Error:
            delimiter = ","
    csv.field_size_limit(lim.line_chars)
    reader = csv.reader(bounded_lines(text, source, lim), delimiter=delimiter)
    with table_errors(reader, source, fmt, lim):
        header = next(reader, None)
    if header is None:
        raise ExplorerError(f"{source}: is empty", code="file_empty", file=source)
    return reader, [name.strip() or f"column {i + 1}" for i, name in enumerate(header)]


@contextmanager
def table_errors(reader: Any, source: str, fmt: str, lim: Limits) -> Iterator[None]:
    """Turns the ``csv.Error`` of reading ``reader`` into one line naming the file (a cell longer than
    a line may be: the line-length limit)."""
    try:
        yield
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise line_too_long(source, reader.line_num, lim) from None
        raise ExplorerError(f"{source}: not a valid {fmt.upper()} file ({exc})", code="file_bad_table", file=source,
                            format=fmt.upper(), detail=str(exc)) from None


def match_column(names: list[str], wanted: str) -> Optional[int]:
    """The index of the column named ``wanted``: the exact name, else the one name equal to it ignoring case;
    None when there is no such column (or two differ only by case)."""
    if wanted in names:
        return names.index(wanted)
    folded = [n.casefold() for n in names]
    if folded.count(wanted.casefold()) == 1:
        return folded.index(wanted.casefold())
    return None


def _find_column(names: list[str], wanted: str, source: str) -> int:
    found = match_column(names, wanted)
    if found is None:
        raise ExplorerError(f"{source}: no column {wanted!r}; available columns: {', '.join(names)}",
                            code="text_no_column", file=source, column=wanted, columns=", ".join(names))
    return found


def _is_number(cell: str) -> bool:
    try:
        float(cell.replace(",", ""))
    except ValueError:
        return False
    return True


def longest_text_column(names: list[str], rows: list[list[str]], source: str = "",
                        taken: frozenset[int] = frozenset()) -> Optional[int]:
    """Of the columns holding text (most non-empty cells are not numbers) and not in ``taken``, the one whose
    cells are longest on average (the text, not ids, scores or dates); the first such column on a tie.

    Returns None when no cell of ``rows`` is filled. Raises ExplorerError when cells are filled but no
    column left holds text.
    """
    totals = [0] * len(names)
    filled = [0] * len(names)
    words = [0] * len(names)
    for row in rows:
        for i, cell in enumerate(row[: len(names)]):
            cell = cell.strip()
            if not cell:
                continue
            totals[i] += len(cell)
            filled[i] += 1
            words[i] += not _is_number(cell)
    if not any(filled):
        return None
    text = [i for i in range(len(names)) if filled[i] and words[i] * 2 > filled[i] and i not in taken]
    if not text:
        raise ExplorerError(
            f"{source}: no text column found (columns: {', '.join(names)}); choose one with --text-column",
            code="text_no_text_column", file=source, columns=", ".join(names),
        )
    return max(text, key=lambda i: (totals[i], -i))


def zip_members(zf: zipfile.ZipFile, source: str, max_bytes: int = MAX_ZIP_TEXT_BYTES) -> list[zipfile.ZipInfo]:
    members = []
    for info in zf.infolist():
        parts = info.filename.replace("\\", "/").split("/")
        if info.is_dir() or not parts[-1].lower().endswith(".txt"):
            continue
        if any(p.startswith(".") or p == "__MACOSX" for p in parts):
            continue
        members.append(info)
    if not members:
        raise ExplorerError(f"{source}: no .txt files inside the zip", code="zip_no_txt", file=source)
    if sum(m.file_size for m in members) > max_bytes:
        raise ExplorerError(f"{source}: the .txt files inside the zip expand to more than {max_bytes / 2**20:,.0f} MB "
                            "(limit EXPLORER_MAX_UNZIPPED_MB)", code="limit_unzipped", source=source,
                            limit=max_bytes >> 20)
    return sorted(members, key=lambda m: m.filename)


def open_zip(fh: IO[bytes], source: str, stack: ExitStack, lim: Limits) -> tuple[zipfile.ZipFile, list[zipfile.ZipInfo]]:
    """The archive (closed with ``stack``) and its ``.txt`` members, sorted by name (see :func:`zip_members`)."""
    try:
        zf = stack.enter_context(zipfile.ZipFile(fh))
    except (zipfile.BadZipFile, OSError, ValueError):
        raise ExplorerError(f"{source}: not a valid zip file", code="zip_invalid", file=source) from None
    return zf, zip_members(zf, source, min(MAX_ZIP_TEXT_BYTES, lim.unzipped_bytes))


@contextmanager
def zip_member_text(zf: zipfile.ZipFile, info: zipfile.ZipInfo, source: str, budget: list[int],
                    lim: Limits) -> Iterator[tuple[io.TextIOWrapper, str, str]]:
    """``(text, encoding, name)`` of one member, decoded as read (never extracted to disk); the bytes
    that come out are counted against ``budget`` whatever the archive declares. A damaged member
    is one line naming ``archive:member``."""
    name = f"{source}:{info.filename}"
    try:
        with zf.open(info) as member:
            capped = io.BufferedReader(CappedReader(member, source, budget, lim))  # ZipExtFile can seek
            text, encoding = text_stream(capped, name, newline=None)
            with text:
                yield text, encoding, name
    except (zipfile.BadZipFile, RuntimeError, NotImplementedError, EOFError, zlib.error, OSError) as exc:
        raise ExplorerError(f"{name}: cannot read this zip member ({exc})", code="zip_member_unreadable",
                            file=name, detail=str(exc)) from None


def _zip_stream(fh: IO[bytes], source: str, stack: ExitStack, lim: Limits) -> Stream:
    """Lines of every .txt member, read from the archive (never extracted to disk); the bytes that
    come out are counted against ``lim.unzipped_bytes`` whatever the archive declares."""
    zf, members = open_zip(fh, source, stack, lim)
    budget = [lim.unzipped_bytes]
    undecodable = [0]
    total = max(sum(m.file_size for m in members), 1)
    state = {"done": 0, "member": None}
    encodings: list[str] = []

    def position() -> float:
        member = state["member"]
        current = member.tell() if member is not None else 0
        return min((state["done"] + current) / total, 1.0)

    def lines() -> Iterator[str]:
        for info in members:
            if info.file_size == 0:
                continue
            with zip_member_text(zf, info, source, budget, lim) as (text, encoding, name):
                if encoding not in encodings:
                    encodings.append(encoding)
                state["member"] = text.buffer
                yield from count_undecodable(bounded_lines(text, name, lim), encoding, undecodable)
            state["done"] += info.file_size
            state["member"] = None

    return Stream(lines(), encodings, position, undecodable=undecodable)


def text_lines(path: Path, name: Optional[str] = None, undecodable: Optional[list[int]] = None) -> Iterator[str]:
    """The decoded lines of a plain text file (line ends kept), streamed under the limits of
    :mod:`explorer.text.limits` (a line longer than ``EXPLORER_MAX_LINE_CHARS`` is refused while
    reading); the encoding is detected as for corpora. Lines of a mixed-encoding file that no
    encoding reads are counted in ``undecodable[0]`` (and come out as :data:`explorer.text.decode.UNDECODABLE`).

    The one reader for logs, metadata and other small text files (never a whole file's bytes at once).
    """
    path = Path(path)
    source = name or str(path)
    check_file(path, source)
    with open(path, "rb") as raw:
        text, encoding = text_stream(raw, source, newline=None)
        with text:
            counter = undecodable if undecodable is not None else [0]
            yield from count_undecodable(bounded_lines(text, source), encoding, counter)


PREVIEW_LINES = 2000  # cleaned lines a preview keeps
PREVIEW_CHARS = 4 << 20  # characters of cleaned text a preview keeps


@dataclass
class TextPreview:
    """The start of a text file, read under the streaming limits (for the Data page)."""

    lines: list[str]  # the first cleaned, deduplicated non-empty lines (at most PREVIEW_LINES)
    encoding: str
    source: str
    n_lines: int  # cleaned lines in the whole file; an estimate when ``complete`` is False
    n_dropped: int  # empty and duplicate lines among those read
    complete: bool  # the whole file was read
    text_column: Optional[str] = None
    n_undecodable: int = 0


def preview_text(
    path: Path, text_column: Optional[str] = None, name: Optional[str] = None,
    max_lines: int = PREVIEW_LINES, max_chars: int = PREVIEW_CHARS,
) -> TextPreview:
    """The first ``max_lines`` cleaned lines (at most ``max_chars`` characters) of a corpus file,
    read as :func:`explorer.text.corpus.load_corpus` reads it but stopping there: memory is bounded
    whatever the file's size (a server process previews uploads with this). The total
    line count is extrapolated from the share of the file read when the file is not read to its end.
    """
    path = Path(path)
    source = name or path.name
    lines: list[str] = []
    chars = 0
    complete = True
    with ExitStack() as stack:
        stream = open_stream(path, source, text_column, stack)
        line_filter = LineFilter(dedupe=True)
        for line in line_filter(stream.lines):
            lines.append(line)
            chars += len(line)
            if len(lines) >= max_lines or chars >= max_chars:
                complete = False
                break
        fraction = stream.position()
        n_raw = line_filter.n_raw
        column = stream.column[0] if stream.column else None
        encoding = "+".join(stream.encodings)
        undecodable = stream.undecodable[0]
    if not lines:
        raise ExplorerError(f"{source}: no text left after cleaning", code="text_empty_after_cleaning", file=source)
    if not complete and fraction >= 0.999:
        complete = fraction >= 1.0
    n_lines = len(lines) if complete or fraction <= 0 else int(round(len(lines) / fraction))
    return TextPreview(lines=lines, encoding=encoding, source=source, n_lines=n_lines,
                       n_dropped=n_raw - len(lines), complete=complete, text_column=column,
                       n_undecodable=undecodable)


def file_sha256(path: Path) -> str:
    """Hex SHA-256 of the file's bytes (read in 1 MiB blocks)."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


_LABEL_HEADERS = {"token", "tokens", "word", "words", "item", "label", "labels", "category", "class", "group", "tag"}


def read_labels(path: Path, name: Optional[str] = None) -> dict[str, str]:
    """A ``word,label`` file (tab- or comma-separated, optional header) as ``{word: label}``.

    Words and labels are NFKC-normalised and stripped; rows without a label are skipped; a first
    row made of header words (token/word/label/category/...) is skipped. Later rows win.
    """
    path = Path(path)
    source = name or path.name
    check_file(path, source)
    text, _ = decode_bytes(path.read_bytes(), source)
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        raise ExplorerError(f"{source}: is empty", code="file_empty", file=source)
    delimiter = "\t" if "\t" in lines[0] else ","
    labels: dict[str, str] = {}
    for i, row in enumerate(csv.reader(lines, delimiter=delimiter)):
        cells = [unicodedata.normalize("NFKC", c).strip() for c in row]
        if i == 0 and len(cells) >= 2 and {c.casefold() for c in cells[:2]} <= _LABEL_HEADERS:
            continue
        if len(cells) >= 2 and cells[0] and cells[1]:
            labels[cells[0]] = cells[1]
    if not labels:
        raise ExplorerError(f"{source}: no word,label rows found (expected two columns: word and label)",
                            code="labels_no_rows", file=source)
    return labels


def read_user_words(path: Path, name: Optional[str] = None) -> list[str]:
    """A user dictionary file for the Chinese tokenizer: one word per line (any encoding).

    Only the first whitespace-separated field of a line counts, so jieba-style lines
    (``word freq tag``) work too; blank lines and lines starting with ``#`` are skipped.
    """
    path = Path(path)
    source = name or path.name
    check_file(path, source)
    text, _ = decode_bytes(path.read_bytes(), source)
    words = []
    for line in text.splitlines():
        fields = unicodedata.normalize("NFKC", line).split()
        if fields and not fields[0].startswith("#"):
            words.append(fields[0])
    if not words:
        raise ExplorerError(f"{source}: no words found (expected one word per line)", code="user_words_empty",
                            file=source)
    return words
