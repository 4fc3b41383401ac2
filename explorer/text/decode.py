r"""Decoding: the one decoder of user text files (corpora, labels, logs, metadata, edge lists).

Order: a byte-order mark; UTF-16 without one; strict UTF-8; a file whose lines are partly UTF-8 and
partly another encoding (the ``mixed_<codec>`` codec registered here decodes it line by line); else
charset-normalizer's guess (GBK widened to GB18030, Latin-1 ties read as windows-1252). Detection looks
at the first MiB; decoding then uses ``errors="replace"``, so one stray byte deep in a large file costs
one character, not the upload (:mod:`explorer.text.clean` removes replacement characters). Data that
looks binary (NUL bytes, or many control or undecodable characters) is refused with an ExplorerError
naming the file.

    >>> decode_bytes("naïve café\n".encode("utf-16"), "menu.txt")
    ('naïve café\n', 'utf-16')
"""

from __future__ import annotations

import codecs
import io
import re
from collections.abc import Iterator
from typing import IO, Optional

from explorer.errors import ExplorerError

SAMPLE_BYTES = 1 << 20  # bytes looked at for encoding detection and the binary check
BINARY_SHARE = 0.02  # more control / undecodable characters than this share -> binary


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
    if _latin1_near_tie(data, name, best, results):
        return "cp1252"
    return _ALIASES.get(name, name)


#: legacy code pages charset-normalizer may prefer for a short Latin-1 file (German in "hp-roman8"): never a
#: classroom's data, so a file that reads as windows-1252 is read so
_EXOTIC = {"hp-roman8", "mac-roman", "mac-latin2", "mac-iceland", "mac-turkish", "cp437", "cp775", "cp850", "cp858"}
_NEAR = 0.03  # chaos within this of the best, with as much coherence: a near-tie (a short French file: cp1257 0.0,
#               cp1252 0.025 and more coherent)


def _latin1_near_tie(data: bytes, name: str, best: object, results: object) -> bool:
    """Whether to read a single-byte file as windows-1252 rather than charset-normalizer's best guess ``name``: the
    guess is an exotic code page and the bytes read as windows-1252, or windows-1252 is a near-tie at least as
    coherent (Latin-1 files, such as MovieLens or RecBole item titles, are far more common than Baltic ones)."""
    try:
        data.decode("cp1252")
    except UnicodeDecodeError:
        return False
    if name in _EXOTIC:
        return True
    return any(codecs.lookup(m.encoding).name in _WESTERN and m.chaos <= best.chaos + _NEAR
               and m.coherence >= best.coherence for m in results)


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


def check_text(head: bytes, source: str, final: bool) -> str:
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


#: suffixes of formats that are never text, whatever their first bytes look like (never sniffed)
BINARY_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".webp", ".bmp", ".ico", ".pdf", ".doc", ".docx", ".xls",
                             ".xlsx", ".ppt", ".pptx", ".odt", ".pkl", ".pickle", ".pt", ".pth", ".ckpt", ".npz", ".h5",
                             ".parquet", ".exe", ".dll", ".so", ".gz", ".bz2", ".xz", ".7z", ".rar", ".tar", ".mp3",
                             ".mp4", ".wav", ".avi", ".mov"})


def reads_as_text(data: bytes, suffix: str) -> bool:
    """True when a file with an unlisted ``suffix`` is to be read as text: not a known binary format's suffix, and
    its content is text (:func:`is_text`).

        >>> reads_as_text(b"a corpus\\n", ".cor"), reads_as_text(b"a corpus\\n", ".PNG")
        (True, False)
    """
    return str(suffix).lower() not in BINARY_SUFFIXES and is_text(data)


def is_text(data: bytes) -> bool:
    """True when ``data`` reads as text by the readers' own test (encoding found, not binary, not a zip): a corpus is
    judged by its content, whatever its suffix (``.cor``, ``.text``, none).

        >>> is_text("孔明曰\\n".encode("gb18030")), is_text(b"\\x00\\x01\\x02binary"), is_text(b"")
        (True, False, False)
    """
    if not data or data.startswith(b"PK\x03\x04"):
        return False
    try:
        check_text(data[:SAMPLE_BYTES], "upload", final=len(data) <= SAMPLE_BYTES)
    except ExplorerError:
        return False
    return True


def decode_bytes(data: bytes, source: str) -> tuple[str, str]:
    """``(text, encoding)`` of a whole file's bytes.

    Raises ExplorerError ``"<source>: is empty"`` and ``"<source>: looks like a binary file, not text"``.
    """
    if not data:
        raise ExplorerError(f"{source}: is empty", code="file_empty", file=source)
    encoding = check_text(data[:SAMPLE_BYTES], source, final=len(data) <= SAMPLE_BYTES)
    return data.decode(encoding, errors="replace"), encoding


def text_stream(raw: IO[bytes], source: str, newline: Optional[str]) -> tuple[io.TextIOWrapper, str]:
    """Detect the encoding from the first MiB of ``raw`` (seekable), rewind, and wrap it as text."""
    head = raw.read(SAMPLE_BYTES)
    if not head:
        raise ExplorerError(f"{source}: is empty", code="file_empty", file=source)
    encoding = check_text(head, source, final=len(head) < SAMPLE_BYTES)
    raw.seek(0)
    return io.TextIOWrapper(raw, encoding=encoding, errors="replace", newline=newline), encoding


def count_undecodable(lines: Iterator[str], encoding: str, undecodable: list[int]) -> Iterator[str]:
    """``lines``, counting in ``undecodable[0]`` those of a mixed-encoding file that no codec read."""
    if not encoding.startswith(MIXED_PREFIX):
        return lines

    def gen() -> Iterator[str]:
        for line in lines:
            if line.rstrip("\r\n") == UNDECODABLE:
                undecodable[0] += 1
            yield line

    return gen()
