"""Reading, decoding and cleaning text files, and loading them as integer-encoded corpora.

Pipeline::

    file (.txt | .csv/.tsv | .zip of .txt)
      -> detect_encoding  (BOM, then strict UTF-8, then charset-normalizer)
      -> raw lines        (streamed; never the whole decoded file in memory)
      -> clean_line       (HTML tags and entities, URLs, control characters, NFKC, whitespace)
      -> drop empty and duplicate lines
      -> tokenizer        (explorer.text.tokenizer: en / zh (jieba) / pretokenized; auto-detected)
      -> EncodedCorpus    (int32 token ids + sentence offsets; cached by content hash)
      -> normalize        (optional stems / lemmas, on the vocabulary: explorer.text.normalize)
      -> phrases          (optional word2phrase joining: explorer.text.phrases)

Decoding uses ``errors="replace"`` after detection (detection looks at the first MiB), so one
stray byte deep in a large file costs one character, not the upload; replacement characters are
removed by :func:`clean_line`. Files that look binary (NUL bytes, or many control or undecodable
characters in the first MiB) are refused.

Every problem with the user's file raises :class:`explorer.errors.ExplorerError` naming the file.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import html
import io
import json
import re
import unicodedata
import zipfile
import zlib
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import ExitStack
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO, Optional

import numpy as np

from explorer.atomic import open_atomic
from explorer.configs import CorpusConfig
from explorer.errors import ExplorerError, TrainingStopped
from explorer.progress import Progress, ProgressCallback, Throttle
from explorer.text.limits import CappedReader, Limits, bounded_lines, limits, line_too_long
from explorer.text.tokenizer import DETECT_CHARS, detect_lang, make_tokenizer, resolve_lang

SAMPLE_BYTES = 1 << 20  # bytes looked at for encoding detection and the binary check
BINARY_SHARE = 0.02  # more control / undecodable characters than this share -> binary
MAX_ZIP_TEXT_BYTES = 4 << 30  # refuse zips whose .txt members declare more than this (zip bombs)
CSV_GUESS_ROWS = 1000  # rows used to guess the text column
CACHE_VERSION = 1  # bump when tokenizing or the cache format changes
#: CorpusConfig fields applied to the cached tokenized corpus (vectorised, fast): not in the cache key
AFTER_TOKENIZING = ("normalize", "phrases", "phrase_min_count", "phrase_threshold")

# --------------------------------------------------------------------------- encodings

_BOMS = (  # longest first: the UTF-32 LE BOM starts with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# charset-normalizer's answer -> the codec we decode with (supersets for Chinese)
_ALIASES = {"ascii": "utf-8", "gb2312": "gb18030", "gbk": "gb18030", "hz": "gb18030"}
_WESTERN = {"cp1252", "iso8859-1", "iso8859-15"}  # Latin-1 files (MovieLens u.item, movies.dat) read as windows-1252


def detect_encoding(data: bytes) -> str:
    """The codec name for ``data`` (a whole file or its first MiB).

    Order: a byte-order mark (``utf-8-sig``, ``utf-16``, ``utf-32``); then strict UTF-8 (a
    truncated character at the end of a sample is allowed); then charset-normalizer's best
    guess, with GBK/GB2312 widened to ``gb18030`` and ties between single-byte codecs that include
    windows-1252 resolved to ``cp1252`` (Latin-1 files are far more common than cp1250 ones). Returns ``"utf-8"`` when nothing fits: the
    binary check in :func:`decode_bytes` then rejects the data.
    """
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name
    utf16 = _utf16_without_bom(data)
    if utf16:
        return utf16
    try:
        codecs.getincrementaldecoder("utf-8")().decode(data, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    mixed = _mixed_encoding(data)
    return mixed or _guess_encoding(data)


def _guess_encoding(data: bytes) -> str:
    from charset_normalizer import from_bytes

    results = from_bytes(data)
    best = results.best()
    if best is None:
        return "utf-8"
    tied = {codecs.lookup(m.encoding).name for m in results if (m.chaos, m.coherence) == (best.chaos, best.coherence)}
    if tied & _WESTERN:  # a tie among single-byte codecs (cp1250 vs cp1252 ...): the Web's Latin-1 default wins
        return "cp1252"
    name = codecs.lookup(best.encoding).name
    return _ALIASES.get(name, name)


def _utf16_without_bom(data: bytes) -> Optional[str]:
    """``"utf-16-le"``/``"utf-16-be"`` for UTF-16 text without a byte-order mark: NUL bytes on one
    parity only (the high bytes of ASCII characters) and a clean strict decode."""
    sample = data[:65536]
    if b"\x00" not in sample or len(sample) < 4:
        return None
    sample = sample[: len(sample) // 2 * 2]
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    for name, zeros, other in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        if zeros and not other:
            try:
                text = codecs.getincrementaldecoder(name)().decode(sample, final=False)
            except UnicodeDecodeError:
                continue
            # real text has line breaks or spaces (U+000A / U+0020: a NUL byte beside them) and many
            # ASCII characters; "hello\0world\0" has NULs on one parity but is neither
            if "\x00" not in text and ("\n" in text or " " in text) and zeros * 20 >= len(sample) // 2:
                return name
    return None


MIXED_PREFIX = "mixed_"  # codec "mixed_gb18030": each line UTF-8 if it can be, else GB18030


def _mixed_encoding(data: bytes) -> Optional[str]:
    """``"mixed_<codec>"`` for a file whose lines are partly UTF-8 (with non-ASCII characters) and
    partly another encoding (e.g. GBK lines appended to a UTF-8 file); else None."""
    lines = data.split(b"\n")
    if len(lines) > 1:
        lines = lines[:-1]  # the last piece may be cut in the middle of a character
    utf8_text, bad = 0, []
    for line in lines:
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            bad.append(line)
        else:
            utf8_text += not line.isascii()
    if not utf8_text or not bad:
        return None
    bad = bad[:2000]

    def decodes(name: str) -> int:
        n = 0
        for line in bad:
            try:
                line.decode(name)
            except UnicodeDecodeError:
                continue
            n += 1
        return n

    best = max(_MIXED_FALLBACKS, key=decodes)  # ties: the first (GB18030)
    if decodes("cp1252") > 2 * decodes(best):  # Western-European lines (cp1252 reads almost any byte)
        best = "cp1252"
    return MIXED_PREFIX + best


_MIXED_FALLBACKS = ("gb18030", "big5", "shift_jis", "euc_kr")


UNDECODABLE = "\ufffd"  # what a line of a mixed file that no codec reads becomes (then dropped as empty)


class _MixedDecoder(codecs.IncrementalDecoder):
    """Decodes line by line: strict UTF-8, else strict ``fallback``, else the line becomes
    :data:`UNDECODABLE` (counted by the reader, dropped by cleaning)."""

    fallback = "gb18030"

    def __init__(self, errors: str = "strict") -> None:
        super().__init__(errors)
        self.pending = b""

    def decode(self, input: bytes, final: bool = False) -> str:  # noqa: A002 (codec API name)
        data = self.pending + bytes(input)
        cut = data.rfind(b"\n") + 1
        if final:
            cut = len(data)
        self.pending = data[cut:]
        return "".join(self._line(line) for line in data[:cut].splitlines(keepends=True))

    def _line(self, line: bytes) -> str:
        for name in ("utf-8", self.fallback):
            try:
                return line.decode(name)
            except UnicodeDecodeError:
                continue
        return UNDECODABLE + ("\n" if line.endswith(b"\n") else "")

    def reset(self) -> None:
        self.pending = b""

    def getstate(self) -> tuple[bytes, int]:
        return self.pending, 0

    def setstate(self, state: tuple[bytes, int]) -> None:
        self.pending = state[0]


def _mixed_codec(name: str) -> Optional[codecs.CodecInfo]:
    if not name.startswith(MIXED_PREFIX):
        return None
    fallback = name[len(MIXED_PREFIX):]
    try:
        codecs.lookup(fallback)
    except LookupError:
        return None
    decoder = type("MixedDecoder", (_MixedDecoder,), {"fallback": fallback})

    def decode(data: bytes, errors: str = "strict") -> tuple[str, int]:
        return decoder(errors).decode(data, final=True), len(data)

    def encode(text: str, errors: str = "strict") -> tuple[bytes, int]:
        return text.encode("utf-8", errors), len(text)

    return codecs.CodecInfo(encode, decode, incrementaldecoder=decoder, name=name)


codecs.register(_mixed_codec)


_BAD_CHARS = re.compile("[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f\ufffd]")


def _looks_binary(head: bytes, text: str, encoding: str) -> bool:
    """True for data that is not text: NUL bytes (outside UTF-16/32) or many control characters."""
    if b"\x00" in head and not encoding.startswith(("utf-16", "utf-32")):
        return True
    if encoding.startswith(MIXED_PREFIX):  # lines no codec reads are counted, not held against the file...
        lines = text.splitlines()
        unread = sum(line == UNDECODABLE for line in lines)
        if unread * 2 > len(lines):  # ... unless they are most of it
            return True
        text = text.replace(UNDECODABLE, "")
    return len(_BAD_CHARS.findall(text)) > BINARY_SHARE * max(len(text), 1)


def _check_text(head: bytes, source: str, final: bool) -> str:
    """Detect the encoding of ``head`` (the start of a file, or all of it when ``final``) and
    refuse binary data; return the encoding."""
    if not final:  # do not cut a multi-byte character in two: end the sample at a line break
        cut = head.rfind(b"\n")
        head = head[: cut + 1] if cut > 0 else head
    encoding = detect_encoding(head)
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    if _looks_binary(head, decoder.decode(head, final=final), encoding):
        raise ExplorerError(f"{source}: looks like a binary file, not text", code="file_binary", file=source)
    return encoding


def decode_bytes(data: bytes, source: str) -> tuple[str, str]:
    """``(text, encoding)`` of a whole file's bytes.

    Raises ExplorerError ``"<source>: is empty"`` and ``"<source>: looks like a binary file, not text"``.
    """
    if not data:
        raise ExplorerError(f"{source}: is empty", code="file_empty", file=source)
    encoding = _check_text(data[:SAMPLE_BYTES], source, final=len(data) <= SAMPLE_BYTES)
    return data.decode(encoding, errors="replace"), encoding


# --------------------------------------------------------------------------- cleaning

_TAG = re.compile(
    r"<!--.*?-->|<(script|style)\b[^>]*>.*?</\1\s*>|</?[A-Za-z][A-Za-z0-9:-]*(?:\s[^<>]*)?/?>",
    re.S | re.I,
)
_URL = re.compile(  # URLs end at the first character that is not an ASCII URL character
    r"(?:(?<![A-Za-z])(?:https?|ftp)://|(?<![A-Za-z0-9.])www\.)[A-Za-z0-9._~:/?#\[\]@!$&'()*+,;=%-]+", re.I
)
_DROP = re.compile("[\xad\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff\ufffd]")  # invisible format chars
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")  # C0/C1 controls and line separators
_ASCII_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f]")  # not \t \n \r \v \f: split() handles those


def clean_line(line: str) -> str:
    """One line as users expect it: no HTML tags (entities decoded first), no URLs, no control or
    invisible format characters, NFKC-normalised (full-width letters and digits become ASCII,
    full-width punctuation becomes ASCII punctuation), whitespace collapsed to single spaces and
    stripped. May return ``""``.

    Tags become spaces (``a<br>b`` -> ``a b``); ``<script>``/``<style>`` elements go with their
    content when both tags are on the line; text such as ``1 < 2`` is kept.
    """
    if (  # fast path for plain ASCII text (substring tests are much faster than one regex)
        line.isascii() and "<" not in line and "&" not in line and "://" not in line
        and "www." not in line.lower() and not _ASCII_CONTROL.search(line)
    ):
        return " ".join(line.split())
    if "&" in line:  # before the tags: "&lt;img ...&gt;" is a tag once decoded
        line = html.unescape(line)
    if "<" in line or "\uff1c" in line:
        line = _TAG.sub(" ", line)
    if not line.isascii():
        line = unicodedata.normalize("NFKC", line)
        line = _DROP.sub("", line)
        if "<" in line:  # full-width brackets became ASCII: tags written with them
            line = _TAG.sub(" ", line)
    line = _URL.sub(" ", line)
    line = _CONTROL.sub(" ", line)
    return " ".join(line.split())


def clean_lines(lines: Iterable[str], dedupe: bool = True) -> tuple[list[str], int]:
    """``(cleaned non-empty lines, n_dropped)``; with ``dedupe`` only the first of equal lines stays.

    ``n_dropped`` counts the lines that were empty after cleaning plus the duplicates.
    """
    out: list[str] = []
    seen: set[str] = set()
    dropped = 0
    for raw in lines:
        line = clean_line(raw)
        if not line or (dedupe and line in seen):
            dropped += 1
            continue
        if dedupe:
            seen.add(line)
        out.append(line)
    return out, dropped


class _LineFilter:
    """Streaming :func:`clean_lines`: remembers 64-bit hashes of lines, not the lines."""

    def __init__(self, dedupe: bool) -> None:
        self.dedupe = dedupe
        self.seen: set[int] = set()
        self.n_raw = 0
        self.n_dropped = 0

    def __call__(self, raw_lines: Iterable[str]) -> Iterator[str]:
        seen = self.seen
        for raw in raw_lines:
            self.n_raw += 1
            line = clean_line(raw)
            if not line:
                self.n_dropped += 1
                continue
            if self.dedupe:
                key = hash(line)
                if key in seen:
                    self.n_dropped += 1
                    continue
                seen.add(key)
            yield line


# --------------------------------------------------------------------------- reading files


@dataclass
class RawText:
    """A text file read and cleaned (see :func:`read_text`)."""

    lines: list[str]  # cleaned, non-empty lines (deduplicated when asked)
    encoding: str  # detected: "utf-8", "utf-8-sig", "utf-16", "gb18030", "big5", ... ("a+b" for mixed zips)
    source: str  # file name (for messages)
    n_raw_lines: int  # lines before cleaning
    n_dropped: int  # empty + duplicate lines dropped
    text_column: Optional[str] = None  # .csv/.tsv: the column the text was read from (given or guessed)
    n_undecodable: int = 0  # lines of a mixed-encoding file that no encoding could read (dropped)


@dataclass
class _Stream:
    """Raw (uncleaned) lines of a file, streamed; ``position()`` is the fraction of bytes read."""

    lines: Iterator[str]
    encodings: list[str]
    position: Callable[[], float]
    column: list[str] = field(default_factory=list)  # .csv/.tsv: the text column, once the header is read
    undecodable: list[int] = field(default_factory=lambda: [0])  # lines no encoding could read (mixed files)


def _file_format(path: Path, head: bytes) -> str:
    suffix = path.suffix.lower()
    if suffix == ".zip" or head.startswith(b"PK\x03\x04"):
        return "zip"
    if suffix in (".csv", ".tsv"):
        return suffix[1:]
    return "txt"


def _check_file(path: Path, source: str) -> int:
    if not path.exists():
        raise ExplorerError(f"{path}: file not found", code="file_not_found", path=str(path))
    if not path.is_file():
        raise ExplorerError(f"{path}: not a file", code="file_not_file", file=str(path))
    size = path.stat().st_size
    if size == 0:
        raise ExplorerError(f"{source}: is empty", code="file_empty", file=source)
    return size


def _text_stream(raw: IO[bytes], source: str, newline: Optional[str]) -> tuple[io.TextIOWrapper, str]:
    """Detect the encoding from the first MiB of ``raw`` (seekable), rewind, and wrap it as text."""
    head = raw.read(SAMPLE_BYTES)
    if not head:
        raise ExplorerError(f"{source}: is empty", code="file_empty", file=source)
    encoding = _check_text(head, source, final=len(head) < SAMPLE_BYTES)
    raw.seek(0)
    return io.TextIOWrapper(raw, encoding=encoding, errors="replace", newline=newline), encoding


def _open_stream(path: Path, source: str, text_column: Optional[str], stack: ExitStack) -> _Stream:
    size = _check_file(path, source)
    fh = stack.enter_context(open(path, "rb"))
    fmt = _file_format(path, fh.read(4))
    fh.seek(0)
    if text_column and fmt not in ("csv", "tsv"):
        raise ExplorerError(f"{source}: --text-column applies only to .csv/.tsv files", code="text_column_not_table",
                            file=source)
    lim = limits()
    if fmt == "zip":
        return _zip_stream(fh, source, stack, lim)
    text, encoding = _text_stream(fh, source, newline="" if fmt in ("csv", "tsv") else None)
    stack.enter_context(text)

    def position() -> float:
        return min(fh.tell() / size, 1.0)

    undecodable = [0]
    if fmt == "txt":
        return _Stream(_counted(bounded_lines(text, source, lim), encoding, undecodable), [encoding], position,
                       undecodable=undecodable)
    column: list[str] = []
    lines = _csv_lines(text, source, fmt, text_column, column, lim)
    return _Stream(_counted(lines, encoding, undecodable), [encoding], position, column, undecodable)


def _counted(lines: Iterator[str], encoding: str, undecodable: list[int]) -> Iterator[str]:
    """``lines``, counting in ``undecodable[0]`` those of a mixed-encoding file that no codec read."""
    if not encoding.startswith(MIXED_PREFIX):
        return lines

    def gen() -> Iterator[str]:
        for line in lines:
            if line.rstrip("\r\n") == UNDECODABLE:
                undecodable[0] += 1
            yield line

    return gen()


def _csv_lines(
    text: io.TextIOWrapper, source: str, fmt: str, text_column: Optional[str], chosen: list[str], lim: Limits
) -> Iterator[str]:
    """The lines of the text column of a CSV/TSV file (first row: header); the column's name is
    appended to ``chosen`` once known."""
    if fmt == "tsv":
        delimiter = "\t"
    else:
        head = text.read(64 * 1024)
        text.seek(0)
        try:
            delimiter = csv.Sniffer().sniff(head, delimiters=",;\t|").delimiter
        except csv.Error:
            delimiter = ","
    csv.field_size_limit(lim.line_chars)  # a text cell may be as long as a line, no longer
    reader = csv.reader(bounded_lines(text, source, lim), delimiter=delimiter)
    try:
        header = next(reader, None)
        if header is None:
            raise ExplorerError(f"{source}: is empty", code="file_empty", file=source)
        names = [name.strip() or f"column {i + 1}" for i, name in enumerate(header)]
        first: list[list[str]] = []
        if text_column:
            column = _find_column(names, text_column, source)
        else:
            for row in reader:
                first.append(row)
                if len(first) >= CSV_GUESS_ROWS:
                    break
            column = _longest_column(names, first, source)
        chosen.append(names[column])
        for row in first:
            if column < len(row):
                yield from row[column].splitlines()
        for row in reader:
            if column < len(row):
                yield from row[column].splitlines()
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise line_too_long(source, reader.line_num, lim) from None
        raise ExplorerError(f"{source}: not a valid {fmt.upper()} file ({exc})", code="file_bad_table", file=source,
                            format=fmt.upper(), detail=str(exc)) from None


def _find_column(names: list[str], wanted: str, source: str) -> int:
    if wanted in names:
        return names.index(wanted)
    folded = [n.casefold() for n in names]
    if folded.count(wanted.casefold()) == 1:
        return folded.index(wanted.casefold())
    raise ExplorerError(f"{source}: no column {wanted!r}; available columns: {', '.join(names)}",
                        code="text_no_column", file=source, column=wanted, columns=", ".join(names))


def _is_number(cell: str) -> bool:
    try:
        float(cell.replace(",", ""))
    except ValueError:
        return False
    return True


def _longest_column(names: list[str], rows: list[list[str]], source: str = "") -> int:
    """Of the columns holding text (most non-empty cells are not numbers), the one whose cells are
    longest on average (the text, not ids, scores or dates).

    Raises ExplorerError when the rows have cells but no column holds text. With no non-empty
    cell at all it returns 0 (reading then finds no text and says so).
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
        return 0
    text = [i for i in range(len(names)) if filled[i] and words[i] * 2 > filled[i]]
    if not text:
        raise ExplorerError(
            f"{source}: no text column found (columns: {', '.join(names)}); choose one with --text-column",
            code="text_no_text_column", file=source, columns=", ".join(names),
        )
    return max(text, key=lambda i: (totals[i], -i))


def _zip_members(zf: zipfile.ZipFile, source: str, max_bytes: int = MAX_ZIP_TEXT_BYTES) -> list[zipfile.ZipInfo]:
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


def _zip_stream(fh: IO[bytes], source: str, stack: ExitStack, lim: Limits) -> _Stream:
    """Lines of every .txt member, read from the archive (never extracted to disk); the bytes that
    come out are counted against ``lim.unzipped_bytes`` whatever the archive declares."""
    try:
        zf = stack.enter_context(zipfile.ZipFile(fh))
    except (zipfile.BadZipFile, OSError, ValueError):
        raise ExplorerError(f"{source}: not a valid zip file", code="zip_invalid", file=source) from None
    members = _zip_members(zf, source, min(MAX_ZIP_TEXT_BYTES, lim.unzipped_bytes))
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
            name = f"{source}:{info.filename}"
            try:
                with zf.open(info) as member:
                    capped = io.BufferedReader(CappedReader(member, source, budget, lim))  # ZipExtFile can seek
                    text, encoding = _text_stream(capped, name, newline=None)
                    if encoding not in encodings:
                        encodings.append(encoding)
                    state["member"] = text.buffer
                    yield from _counted(bounded_lines(text, name, lim), encoding, undecodable)
            except (zipfile.BadZipFile, RuntimeError, NotImplementedError, EOFError, zlib.error, OSError) as exc:
                raise ExplorerError(f"{name}: cannot read this zip member ({exc})", code="zip_member_unreadable",
                                    file=name, detail=str(exc)) from None
            state["done"] += info.file_size
            state["member"] = None

    return _Stream(lines(), encodings, position, undecodable=undecodable)


def read_text(
    path: Path, text_column: Optional[str] = None, dedupe: bool = True, name: Optional[str] = None
) -> RawText:
    """Read, decode and clean a .txt, .csv/.tsv (one text column) or .zip (of .txt files) file.

    ``text_column``: for CSV/TSV, the column holding the text (exact or case-insensitive name);
    None or ``""`` guesses it: the column with the longest cells among those that hold text rather
    than numbers (ExplorerError when none does). The column used is ``RawText.text_column``.
    Giving ``text_column`` for any other file type is an ExplorerError. ``name``: how messages name the file
    (default: the file name). The whole cleaned text is returned, so this is for previews and
    small files; corpora for training go through :func:`load_corpus`, which streams.
    """
    path = Path(path)
    source = name or path.name
    with ExitStack() as stack:
        stream = _open_stream(path, source, text_column, stack)
        lines, dropped = clean_lines(_count(stream.lines, counter := [0]), dedupe=dedupe)
    if not lines:
        raise ExplorerError(f"{source}: no text left after cleaning", code="text_empty_after_cleaning", file=source)
    return RawText(
        lines=lines, encoding="+".join(stream.encodings), source=source, n_raw_lines=counter[0], n_dropped=dropped,
        text_column=stream.column[0] if stream.column else None, n_undecodable=stream.undecodable[0],
    )


def text_lines(path: Path, name: Optional[str] = None, undecodable: Optional[list[int]] = None) -> Iterator[str]:
    """The decoded lines of a plain text file (line ends kept), streamed under the limits of
    :mod:`explorer.text.limits` (a line longer than ``EXPLORER_MAX_LINE_CHARS`` is refused while
    reading); the encoding is detected as for corpora. Lines of a mixed-encoding file that no
    encoding reads are counted in ``undecodable[0]`` (and come out as :data:`UNDECODABLE`).

    The one reader for logs, metadata and other small text files (never a whole file's bytes at once).
    """
    path = Path(path)
    source = name or str(path)
    _check_file(path, source)
    with open(path, "rb") as raw:
        text, encoding = _text_stream(raw, source, newline=None)
        with text:
            yield from _counted(bounded_lines(text, source), encoding, undecodable if undecodable is not None else [0])


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
    read as :func:`read_text` reads it but stopping there: memory is bounded whatever the file's
    size (a server process previews uploads with this, never with :func:`read_text`). The total
    line count is extrapolated from the share of the file read when the file is not read to its end.
    """
    path = Path(path)
    source = name or path.name
    lines: list[str] = []
    chars = 0
    complete = True
    with ExitStack() as stack:
        stream = _open_stream(path, source, text_column, stack)
        line_filter = _LineFilter(dedupe=True)
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


def _count(items: Iterable[str], counter: list[int]) -> Iterator[str]:
    for item in items:
        counter[0] += 1
        yield item


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
    _check_file(path, source)
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
    _check_file(path, source)
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


# --------------------------------------------------------------------------- encoded corpora


@dataclass
class EncodedCorpus:
    """A tokenized corpus as integer ids; memory-light (about 4 bytes per token).

    tokens:  V distinct tokens; token id = position (first-seen order).
    counts:  int64 (V,) occurrences of each token.
    ids:     int32 (N,) every token of every sentence, concatenated.
    offsets: int64 (S+1,) sentence i is ``ids[offsets[i]:offsets[i+1]]``; no sentence is empty.
    lang:    "en" | "zh" | "pretokenized" (resolved, never "auto").
    encoding, sha256 (of the file bytes), source (file name), n_lines (cleaned lines read,
    including lines that gave no tokens).
    """

    tokens: list[str]
    counts: np.ndarray
    ids: np.ndarray
    offsets: np.ndarray
    lang: str
    encoding: str
    sha256: str
    source: str
    n_lines: int
    n_undecodable: int = 0  # lines of a mixed-encoding file that no encoding could read (dropped)

    @property
    def n_tokens(self) -> int:
        """N, the number of tokens."""
        return int(len(self.ids))

    @property
    def n_sentences(self) -> int:
        """S, the number of (non-empty) sentences."""
        return int(len(self.offsets) - 1)

    def sentence(self, i: int) -> list[str]:
        """The tokens of sentence ``i`` (for previews)."""
        return [self.tokens[j] for j in self.ids[self.offsets[i] : self.offsets[i + 1]]]


def _user_word_list(cfg: CorpusConfig, user_words: Sequence[str]) -> list[str]:
    words = {unicodedata.normalize("NFKC", str(w)).strip() for w in [*cfg.user_words, *user_words]}
    return sorted(w for w in words if w)


def _cache_key(sha256: str, cfg: CorpusConfig, words: list[str], fmt: str) -> str:
    from importlib import metadata

    try:
        jieba_version = metadata.version("jieba")
    except metadata.PackageNotFoundError:
        jieba_version = ""
    config = {k: v for k, v in asdict(cfg).items() if k not in AFTER_TOKENIZING} | {"user_words": words}
    material = {"v": CACHE_VERSION, "sha256": sha256, "format": fmt, "config": config, "jieba": jieba_version}
    if cfg.segmenter != "jieba":  # (keys of jieba corpora stay as they were)
        try:
            material["thulac"] = metadata.version("thulac")
        except metadata.PackageNotFoundError:
            material["thulac"] = ""
    return hashlib.sha256(json.dumps(material, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


_ARRAYS = ("ids", "offsets", "counts")


def _cache_paths(key: str) -> dict[str, Path]:
    from explorer.paths import cache_dir

    root = cache_dir()
    paths = {a: root / f"corpus-{key}.{a}.npy" for a in _ARRAYS}
    paths["json"] = root / f"corpus-{key}.json"
    return paths


def _atomic_write(path: Path, write: Callable[[IO[bytes]], None]) -> None:
    with open_atomic(path, "wb") as fh:
        write(fh)


def _save_cache(key: str, corpus: EncodedCorpus) -> None:
    paths = _cache_paths(key)
    for a in _ARRAYS:
        _atomic_write(paths[a], lambda fh, a=a: np.save(fh, getattr(corpus, a), allow_pickle=False))
    meta = {
        "key": key, "tokens": corpus.tokens, "lang": corpus.lang, "encoding": corpus.encoding,
        "sha256": corpus.sha256, "n_lines": corpus.n_lines, "n_undecodable": corpus.n_undecodable,
    }
    _atomic_write(paths["json"], lambda fh: fh.write(json.dumps(meta, ensure_ascii=False).encode("utf-8")))


def _load_cache(key: str, source: str) -> Optional[EncodedCorpus]:
    """The cached corpus for ``key``, or None (missing, half-written or corrupt entries are misses)."""
    paths = _cache_paths(key)
    if not paths["json"].is_file():
        return None
    try:
        meta = json.loads(paths["json"].read_text(encoding="utf-8"))
        arrays = {a: np.load(paths[a], allow_pickle=False) for a in _ARRAYS}
    except (OSError, ValueError):
        return None
    ids, offsets, counts = arrays["ids"], arrays["offsets"], arrays["counts"]
    if (
        meta.get("key") != key or ids.dtype != np.int32 or offsets.dtype != np.int64 or counts.dtype != np.int64
        or len(counts) != len(meta["tokens"]) or len(offsets) < 1 or offsets[-1] != len(ids)
    ):
        return None
    return EncodedCorpus(
        tokens=meta["tokens"], counts=counts, ids=ids, offsets=offsets, lang=meta["lang"],
        encoding=meta["encoding"], sha256=meta["sha256"], source=source, n_lines=int(meta["n_lines"]),
        n_undecodable=int(meta.get("n_undecodable", 0)),
    )


class _Reporter:
    """Calls ``callback`` at most every ``interval`` seconds; raises TrainingStopped when it returns True."""

    def __init__(self, callback: Optional[ProgressCallback], interval: float = 0.1) -> None:
        self.callback = callback
        self.throttle = Throttle(interval)
        self.throttle.due()  # the first report comes after one interval

    def __call__(self, position: Callable[[], float], n_lines: int, n_tokens: int, force: bool = False) -> None:
        if self.callback is None or not self.throttle.due(force):
            return
        fraction = position()
        elapsed = max(self.throttle.elapsed, 1e-9)
        eta = elapsed * (1 - fraction) / fraction if fraction > 0 else None
        report = Progress(
            stage="tokenize", progress=float(min(max(fraction, 0.0), 1.0)), rate=n_lines / elapsed, eta_s=eta,
            message=f"{n_lines:,} lines, {n_tokens:,} tokens",
        )
        if self.callback(report) is True:
            raise TrainingStopped()


def load_corpus(
    path: Path,
    cfg: CorpusConfig,
    user_words: Sequence[str] = (),
    callback: Optional[ProgressCallback] = None,
    use_cache: bool = True,
    name: Optional[str] = None,
) -> EncodedCorpus:
    """Read, clean and tokenize a corpus file into an :class:`EncodedCorpus` (cached).

    Streams one line at a time: token ids go straight into a growing int32 buffer, so memory is
    about 4 bytes per token plus the vocabulary (no per-token Python objects are kept). The
    result is cached under ``explorer.paths.cache_dir()``, keyed by the SHA-256 of the file's
    bytes, ``cfg``, the user words (``cfg.user_words`` + ``user_words``) and jieba's version
    (THULAC's too when it segments). The steps after tokenizing (word normalisation, phrases:
    :data:`AFTER_TOKENIZING`) are not cached: they run on the cached corpus in vectorised numpy
    (:func:`after_tokenizing`), so changing them never re-tokenizes the file.

    Progress: ``Progress(stage="tokenize", progress=fraction of the file's bytes read,
    rate=lines/s, eta_s, message)`` through ``callback``, at most ten times a second and once
    at the end; a callback returning True stops with :class:`explorer.errors.TrainingStopped`.
    ``name``: how messages name the file (default: the file name).
    """
    path = Path(path)
    source = name or path.name
    _check_file(path, source)
    resolve_lang(cfg.lang, [])  # validates cfg.lang early
    words = _user_word_list(cfg, user_words)
    sha256 = file_sha256(path)
    with open(path, "rb") as fh:  # the same bytes read as .txt and as .csv are different corpora
        fmt = _file_format(path, fh.read(4))
    key = _cache_key(sha256, cfg, words, fmt)
    corpus = _load_cache(key, source) if use_cache else None
    if corpus is not None:
        if callback is not None and callback(Progress(stage="tokenize", progress=1.0, message="cached")) is True:
            raise TrainingStopped()
    else:
        corpus = _encode_file(path, source, cfg, words, sha256, _Reporter(callback))
        if use_cache:
            try:
                _save_cache(key, corpus)
            except OSError:  # a full or read-only cache directory costs speed next time, nothing else
                pass
    return after_tokenizing(corpus, cfg)


def after_tokenizing(corpus: EncodedCorpus, cfg: CorpusConfig) -> EncodedCorpus:
    """The steps of ``cfg`` applied to a tokenized corpus: word normalisation
    (:mod:`explorer.text.normalize`), then phrase joining (:mod:`explorer.text.phrases`)."""
    from explorer.text.normalize import normalize_corpus
    from explorer.text.phrases import detect_phrases

    corpus = normalize_corpus(corpus, cfg.normalize)
    if cfg.phrases > 0:
        corpus, _ = detect_phrases(corpus, cfg.phrases, cfg.phrase_min_count, cfg.phrase_threshold, listed=False)
    return corpus


def _encode_file(
    path: Path, source: str, cfg: CorpusConfig, words: list[str], sha256: str, report: _Reporter
) -> EncodedCorpus:
    index = _Index()
    ids = _IdBuffer()
    offsets = array("q", [0])
    line_filter = _LineFilter(cfg.dedupe_lines)
    n_lines = 0
    with ExitStack() as stack:
        stream = _open_stream(path, source, cfg.text_column, stack)
        lines = line_filter(stream.lines)
        head: list[str] = []
        lang = cfg.lang
        if lang == "auto":  # look at the first lines, then tokenize them and the rest
            chars = 0
            for line in lines:
                head.append(line)
                chars += len(line)
                if chars >= DETECT_CHARS:
                    break
            lang = detect_lang(head)
        tokenize = make_tokenizer(lang, words, cfg.remove_stopwords, segmenter=cfg.segmenter)
        token_id = index.__getitem__  # C-level lookups; _Index.__missing__ numbers new tokens
        for line in _chain(head, lines):
            n_lines += 1
            tokens = tokenize(line)
            if tokens:
                ids.extend(map(token_id, tokens))
                offsets.append(len(ids))
            if not n_lines & 31:
                report(stream.position, n_lines, len(ids))
        report(lambda: 1.0, n_lines, len(ids), force=True)
        encoding = "+".join(stream.encodings)
        undecodable = stream.undecodable[0]
    if n_lines == 0:
        raise ExplorerError(f"{source}: no text left after cleaning", code="text_empty_after_cleaning", file=source)
    if not ids:
        raise ExplorerError(f"{source}: no tokens left after cleaning and tokenizing", code="text_no_tokens",
                            file=source)
    ids_np = ids.to_numpy()
    return EncodedCorpus(
        tokens=list(index), counts=_count_ids(ids_np, len(index)),
        ids=ids_np, offsets=np.frombuffer(offsets, dtype=np.int64), lang=lang, encoding=encoding,
        sha256=sha256, source=source, n_lines=n_lines, n_undecodable=undecodable,
    )


def _count_ids(ids: np.ndarray, n: int) -> np.ndarray:
    """int64 (n,) occurrences of each id; in blocks, since np.bincount copies its input as int64."""
    counts = np.zeros(n, dtype=np.int64)
    for start in range(0, len(ids), 1 << 22):
        counts += np.bincount(ids[start : start + (1 << 22)], minlength=n)
    return counts


class _IdBuffer:
    """A growing int32 buffer kept in 16 MiB chunks: no reallocation copies of the whole buffer,
    and :meth:`to_numpy` frees each chunk as soon as it is copied (peak ~ 4 bytes per token)."""

    CHUNK = 1 << 22  # tokens per chunk

    def __init__(self) -> None:
        self.chunks: list[array] = []
        self.current = array("i")
        self.n_full = 0
        assert self.current.itemsize == 4

    def extend(self, values: Iterable[int]) -> None:
        self.current.extend(values)
        if len(self.current) >= self.CHUNK:
            self.chunks.append(self.current)
            self.n_full += len(self.current)
            self.current = array("i")

    def __len__(self) -> int:
        return self.n_full + len(self.current)

    def to_numpy(self) -> np.ndarray:
        """int32 (N,) of everything added; empties the buffer."""
        chunks, self.chunks = [*self.chunks, self.current], []
        self.current, self.n_full = array("i"), 0
        out = np.empty(sum(len(c) for c in chunks), dtype=np.int32)  # pages are touched as they are filled
        start = 0
        chunks.reverse()
        while chunks:
            chunk = chunks.pop()
            out[start : start + len(chunk)] = np.frombuffer(chunk, dtype=np.int32)
            start += len(chunk)
            del chunk
        return out


class _Index(dict):
    """token -> id; a missing token gets the next id (first-seen order)."""

    def __missing__(self, token: str) -> int:
        self[token] = token_id = len(self)
        return token_id


def _chain(head: list[str], rest: Iterator[str]) -> Iterator[str]:
    yield from head
    head.clear()
    yield from rest
