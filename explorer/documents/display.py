"""How a document is shown on a map: a hover box (title, then the text in lines) and a short name written
beside a marked point. Plain text: the figure builders escape it (markup in a document shows as text).

    >>> hover_text("Title", "one two three four five six", width=10)
    'Title\\none two\\nthree four\\nfive six'
    >>> short_name("", "一二三四五六七八九十", chars=4), short_name("T", "text")
    ('一二三四…', 'T')
    >>> rank_marks(5, [3, 1], "picked", 0)
    ['picked', '2', '', '1', '']
"""

from __future__ import annotations

import numpy as np

HOVER_WIDTH = 64  # columns of a hover line (a Chinese character counts two)
NAME_CHARS = 36  # characters of a document's text that name it when it has no title


def _columns(ch: str) -> int:
    return 2 if ord(ch) >= 0x2E80 else 1


def wrap(text: str, width: int = HOVER_WIDTH) -> list[str]:
    """``text`` in lines of at most ``width`` columns, broken after a space when there is one in the line.

        >>> wrap("aaa bbb ccc", 7), wrap("一二三四五", 4)
        (['aaa bbb', 'ccc'], ['一二', '三四', '五'])
    """
    lines: list[str] = []
    if text.isascii():
        ends = None
    else:  # columns: a Chinese character counts two (cumulative columns after each character)
        ends = np.cumsum(1 + (np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32) >= 0x2E80))
    start = 0
    while start < len(text):
        if ends is None:
            cut = min(len(text), start + width)
        else:
            before = int(ends[start - 1]) if start else 0
            cut = int(np.searchsorted(ends, before + width, side="right"))
        if cut < len(text):
            space = text.rfind(" ", start, cut + 1)
            cut = space if space > start else max(cut, start + 1)
        line = text[start:cut].strip()
        if line:
            lines.append(line)
        start = cut
        while start < len(text) and text[start] == " ":
            start += 1
    return lines


def hover_text(title: str, text: str, width: int = HOVER_WIDTH) -> str:
    """The title on the first line (when there is one), then the text (docs.tsv: its first 200 characters)."""
    return "\n".join(([title] if title else []) + wrap(text, width))


def short_name(title: str, text: str, chars: int = NAME_CHARS) -> str:
    """The title, or the text's first ``chars`` characters (with … when cut)."""
    if title:
        return title
    text = text.strip()
    return text if len(text) <= chars else text[:chars].rstrip() + "…"


def rank_marks(n: int, rows: list[int], name: str = "", query: int | None = None) -> list[str]:
    """Per document, what a map writes beside it: ``name`` for the ``query`` row, the rank (1, 2, …) of each
    of ``rows`` (results, best first), "" for the rest. Ranks are short, so the names of ten results in a
    clump never pile up; the results table says which document each rank is."""
    marks = [""] * n
    for rank, row in enumerate(rows, 1):
        marks[row] = str(rank)
    if query is not None:
        marks[query] = name
    return marks


def document_lengths(texts: list[str], lang: str) -> np.ndarray:
    """int64 (n,): each text's length: words for English, characters (spaces left out) for Chinese, which has no
    spaces between its words (a whitespace split counted every Chinese document as one word).

        >>> document_lengths(["a cat sat", ""], "en").tolist(), document_lengths(["今天 天气很好。"], "zh").tolist()
        ([3, 0], [7])
    """
    if lang == "zh":
        return np.array([sum(1 for ch in t if not ch.isspace()) for t in texts], dtype=np.int64)
    return np.array([len(t.split()) for t in texts], dtype=np.int64)


def length_bins(lengths: np.ndarray, max_bins: int = 30) -> tuple[list[str], list[int]]:
    """A histogram of integer lengths in at most ``max_bins`` bins of whole numbers: (each bin's label, "7" or
    "8–11", its count). Bins are never narrower than 1, so no two bins share a label.

        >>> length_bins(np.array([0, 1, 1, 3]))
        (['0', '1', '2', '3'], [1, 2, 0, 1])
        >>> length_bins(np.array([0, 100]), max_bins=2)
        (['0–50', '51–101'], [1, 1])
    """
    lengths = np.asarray(lengths, dtype=np.int64)
    if lengths.size == 0:
        return [], []
    low, high = int(lengths.min()), int(lengths.max())
    width = max(1, -(-(high - low + 1) // max_bins))
    n = (high - low) // width + 1
    counts = np.bincount((lengths - low) // width, minlength=n)
    labels = [str(low + i * width) if width == 1 else f"{low + i * width}–{low + (i + 1) * width - 1}"
              for i in range(n)]
    return labels, [int(c) for c in counts]
