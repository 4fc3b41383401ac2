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

HOVER_WIDTH = 64  # columns of a hover line (a Chinese character counts two)
NAME_CHARS = 36  # characters of a document's text that name it when it has no title


def _columns(ch: str) -> int:
    return 2 if ord(ch) >= 0x2E80 else 1


def wrap(text: str, width: int = HOVER_WIDTH) -> list[str]:
    """``text`` in lines of at most ``width`` columns, broken after a space when there is one in the line."""
    lines: list[str] = []
    line, cols, last_space = "", 0, -1
    for ch in text:
        line += ch
        cols += _columns(ch)
        if ch == " ":
            last_space = len(line)
        if cols > width:
            cut = last_space if last_space > 0 else len(line) - 1
            lines.append(line[:cut].rstrip())
            line = line[cut:].lstrip()
            cols, last_space = sum(_columns(c) for c in line), -1
    if line.strip():
        lines.append(line.strip())
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
