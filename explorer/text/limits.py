"""Limits checked WHILE reading user files, so that memory stays bounded whatever a file claims.

Every reader of user text (corpora: :mod:`explorer.text.readers`; interaction logs and item
metadata: :mod:`explorer.recsys.interactions`; vector imports: :mod:`explorer.runs.formats`)
reads through these helpers. A file over a limit is refused with one line naming the file, the
line, the limit and the environment variable that sets it::

    >>> import io
    >>> lim = Limits(line_chars=10, fields=3, field_chars=5, unzipped_bytes=100)
    >>> list(bounded_lines(io.StringIO("ab\\ncd\\n"), "f.txt", lim))
    ['ab\\n', 'cd\\n']
    >>> list(bounded_lines(io.StringIO("x" * 11), "f.txt", lim))
    Traceback (most recent call last):
    ...
    explorer.errors.ExplorerError: f.txt: line 1 is longer than 10 characters (limit EXPLORER_MAX_LINE_CHARS)

Environment variables (read by :mod:`explorer.settings` on every call, so tests and servers can change them):

- ``EXPLORER_MAX_LINE_CHARS`` (default 1,000,000): characters in one line.
- ``EXPLORER_MAX_FIELDS`` (default 10,000): columns in one row of a CSV/TSV file or values in one
  row of a vector file.
- ``EXPLORER_MAX_FIELD_CHARS`` (default 100,000): characters in one cell of a log, metadata or
  vector file (a corpus's text cells are bounded by the line limit instead).
- ``EXPLORER_MAX_UNZIPPED_MB`` (default 4096): bytes decompressed from one zip, counted as they
  come out (the sizes a zip declares are checked too, but may lie).
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Optional

from explorer import settings
from explorer.errors import ExplorerError


@dataclass(frozen=True)
class Limits:
    """The streaming limits in force (see the module docstring)."""

    line_chars: int
    fields: int
    field_chars: int
    unzipped_bytes: int


def limits() -> Limits:
    """The limits from the environment (defaults: :mod:`explorer.settings`)."""
    return Limits(
        line_chars=settings.max_line_chars(),
        fields=settings.max_fields(),
        field_chars=settings.max_field_chars(),
        unzipped_bytes=settings.max_unzipped_bytes(),
    )


def line_too_long(source: str, lineno: int, lim: Limits) -> ExplorerError:
    return ExplorerError(
        f"{source}: line {lineno:,} is longer than {lim.line_chars:,} characters (limit EXPLORER_MAX_LINE_CHARS)",
        code="limit_line", source=source, line=lineno, limit=lim.line_chars,
    )


def bounded_lines(text: IO[str], source: str, lim: Optional[Limits] = None, first_line: int = 1) -> Iterator[str]:
    """The lines of ``text`` (line ends kept), refusing one longer than ``lim.line_chars``.

    Never holds more than ``line_chars + 1`` characters of a line, however long the line is.
    """
    lim = lim or limits()
    cap = lim.line_chars
    lineno = first_line - 1
    readline = text.readline
    while True:
        line = readline(cap + 1)
        if not line:
            return
        lineno += 1
        if len(line) > cap and not (len(line) == cap + 1 and line.endswith("\n")):
            raise line_too_long(source, lineno, lim)
        yield line


def bounded_byte_lines(raw: IO[bytes], source: str, lim: Optional[Limits] = None) -> Iterator[bytes]:
    """The lines of a binary stream (``b"\\n"`` kept), refusing one longer than ``4 * line_chars`` bytes
    (a character takes at most 4 bytes)."""
    lim = lim or limits()
    cap = 4 * lim.line_chars
    lineno = 0
    while True:
        line = raw.readline(cap + 1)
        if not line:
            return
        lineno += 1
        if len(line) > cap and not line.endswith(b"\n"):
            raise line_too_long(source, lineno, lim)
        yield line


def check_row(row: list[str], source: str, lineno: int, lim: Optional[Limits] = None) -> list[str]:
    """``row`` (cells of one CSV/TSV line), refused when it has too many cells or too long a cell."""
    lim = lim or limits()
    if len(row) > lim.fields:
        raise ExplorerError(
            f"{source}: line {lineno:,} has {len(row):,} fields, more than {lim.fields:,} (limit EXPLORER_MAX_FIELDS)",
            code="limit_fields", source=source, line=lineno, n=len(row), limit=lim.fields,
        )
    for cell in row:
        if len(cell) > lim.field_chars:
            raise field_too_long(source, lineno, lim)
    return row


def field_too_long(source: str, lineno: int, lim: Limits) -> ExplorerError:
    return ExplorerError(
        f"{source}: line {lineno:,} has a field longer than {lim.field_chars:,} characters "
        "(limit EXPLORER_MAX_FIELD_CHARS)", code="limit_field", source=source, line=lineno, limit=lim.field_chars,
    )


class CappedReader(io.RawIOBase):
    """A read-only byte stream that refuses to give more than ``budget[0]`` bytes in all.

    ``budget`` is a one-item list shared by every member of one zip, so the cap holds for the
    archive as a whole. Seeking back to the start (encoding detection does it once) gives the
    bytes read so far back to the budget.
    """

    def __init__(self, raw: IO[bytes], source: str, budget: list[int], lim: Limits) -> None:
        super().__init__()
        self.raw = raw
        self.source = source
        self.budget = budget
        self.lim = lim
        self.pos = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def]
        data = self.raw.read(len(buffer))
        n = len(data)
        self.budget[0] -= n
        self.pos += n
        if self.budget[0] < 0:
            raise ExplorerError(
                f"{self.source}: expands to more than {self.lim.unzipped_bytes / 2**20:,.0f} MB "
                "(limit EXPLORER_MAX_UNZIPPED_MB)", code="limit_unzipped", source=self.source,
                limit=self.lim.unzipped_bytes >> 20,
            )
        buffer[:n] = data
        return n

    def seek(self, offset: int, whence: int = 0) -> int:
        if offset != 0 or whence != 0:
            raise io.UnsupportedOperation("only rewinding is supported")
        self.raw.seek(0)
        self.budget[0] += self.pos
        self.pos = 0
        return 0

    def tell(self) -> int:
        return self.pos
