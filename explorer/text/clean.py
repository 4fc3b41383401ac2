"""Cleaning: one decoded line as users expect it (no HTML, URLs or control characters, NFKC,
collapsed whitespace), and dropping empty and duplicate lines (:class:`LineFilter`).

    >>> clean_line("<b>Ｈｅｌｌｏ</b> see https://example.com &amp; more")
    'Hello see & more'
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable, Iterator

TAG_PATTERN = re.compile(
    r"<!--.*?-->|<(script|style)\b[^>]*>.*?</\1\s*>|</?[A-Za-z][A-Za-z0-9:-]*(?:\s[^<>]*)?/?>",
    re.S | re.I,
)
URL_PATTERN = re.compile(  # URLs end at the first character that is not an ASCII URL character
    r"(?:(?<![A-Za-z])(?:https?|ftp)://|(?<![A-Za-z0-9.])www\.)[A-Za-z0-9._~:/?#\[\]@!$&'()*+,;=%-]+", re.I
)
_DROP = re.compile("[\xad\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff\ufffd]")  # invisible format chars
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")  # C0/C1 controls and line separators
_ASCII_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f]")  # not \t \n \r \v \f: split() handles those


def clean_line(line: str, *, nfkc: bool = True, collapse: bool = True) -> str:
    """One line as users expect it: no HTML tags (entities decoded first), no URLs, no control or
    invisible format characters, NFKC-normalised (full-width letters and digits become ASCII,
    full-width punctuation becomes ASCII punctuation), whitespace collapsed to single spaces and
    stripped. May return ``""``. ``nfkc=False``: the same without the normalisation, for showing a
    text as its author wrote it (Chinese punctuation kept: ``不敢用！``, not ``不敢用!``).

    Tags become spaces (``a<br>b`` -> ``a b``); ``<script>``/``<style>`` elements go with their
    content when both tags are on the line; text such as ``1 < 2`` is kept.

    ``collapse=False``: runs of spaces inside the line are kept (the line is only stripped), for a reader that
    splits on any run of spaces anyway (the compiled block encoder); every other whitespace is still a single
    space. Saves a scan of each printable line.
    """
    line = line.rstrip("\r\n")  # (lines come with their ends; without them most lines are printable)
    if line.isascii() and "<" not in line and "&" not in line and not _has_url(line):
        if line.isprintable():  # fast path for plain ASCII text: no control character, no whitespace but " "
            return single_spaced(line) if collapse else line.strip(" ")
        if not _ASCII_CONTROL.search(line):  # tabs, newlines: split() handles those
            return " ".join(line.split())
    if "&" in line:  # before the tags: "&lt;img ...&gt;" is a tag once decoded
        line = html.unescape(line)
    if "<" in line or "\uff1c" in line:
        line = TAG_PATTERN.sub(" ", line)
    printable = None  # known once looked at (a long line is scanned once, not twice)
    if not line.isascii():
        if nfkc:
            line = unicodedata.normalize("NFKC", line)
        printable = line.isprintable()
        if not printable or "\ufffd" in line:  # (every _DROP character but U+FFFD is unprintable)
            line = _DROP.sub("", line)
            printable = None
        if "<" in line:  # full-width brackets became ASCII: tags written with them (replaced by printable " ")
            line = TAG_PATTERN.sub(" ", line)
    if _has_url(line):  # the pattern's lookbehinds are slow on long lines
        line = URL_PATTERN.sub(" ", line)
    if printable is None:
        printable = line.isprintable()
    if not printable:  # (every _CONTROL character is unprintable)
        line = _CONTROL.sub(" ", line)
        return " ".join(line.split())
    return single_spaced(line) if collapse else line.strip(" ")


def _has_url(line: str) -> bool:
    """Whether ``line`` may hold a URL: ``://`` or ``www.`` in any case. A single character is looked for first
    (``:``, ``.``: a fast scan), the longer strings only in lines that have it: text without periods or colons
    (pre-tokenized corpora, Chinese) is scanned twice, not four times (0.2 s less at 20M tokens)."""
    if ":" in line and "://" in line:
        return True
    return "." in line and _has_www(line)


def _has_www(line: str) -> bool:
    """Whether ``www.`` is in ``line`` in any case (lowercases the line only when a ``w.`` or ``W.`` is there)."""
    return ("w." in line or "W." in line) and "www." in line.lower()


def single_spaced(line: str) -> str:
    """``" ".join(line.split())`` for a printable line (its only whitespace is " "), without splitting when the
    spaces are single already."""
    if "  " in line or line.startswith(" ") or line.endswith(" "):
        return " ".join(line.split())
    return line


class LineFilter:
    """Cleans a stream of lines (:func:`clean_line`) and drops the empty ones and, with ``dedupe``, all but
    the first of equal lines; remembers 64-bit hashes of lines, not the lines. ``n_raw`` counts the lines
    read, ``n_dropped`` the empty and duplicate ones.

        >>> keep = LineFilter(dedupe=True)
        >>> list(keep(["b", " ", "a", "b", "<i>a</i>"])), keep.n_raw, keep.n_dropped
        (['b', 'a'], 5, 3)
    """

    def __init__(self, dedupe: bool, collapse: bool = True) -> None:
        self.dedupe = dedupe
        #: clean_line's ``collapse`` (read for each line: a reader may turn it off once it knows its tokenizer)
        self.collapse = collapse
        self.seen: set[int] = set()
        self.n_raw = 0
        self.n_dropped = 0

    def __call__(self, raw_lines: Iterable[str]) -> Iterator[str]:
        seen = self.seen
        for raw in raw_lines:
            self.n_raw += 1
            line = clean_line(raw, collapse=self.collapse)
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
