"""Reading a whole (small) text file the way the corpus reader does: decoded, cleaned, empty and duplicate
lines dropped. For tests of the reading and cleaning stages; the program itself streams
(explorer.text.corpus.load_corpus, explorer.text.readers.preview_text)."""

from __future__ import annotations

from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from explorer.errors import ExplorerError
from explorer.text.clean import LineFilter
from explorer.text.readers import open_stream


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


def read_text(path: Path, text_column: Optional[str] = None, dedupe: bool = True,
              name: Optional[str] = None) -> RawText:
    """Read, decode and clean a .txt, .csv/.tsv (one text column) or .zip (of .txt files) file, as
    :func:`explorer.text.readers.open_stream` and :class:`explorer.text.clean.LineFilter` do for corpora."""
    path = Path(path)
    source = name or path.name
    with ExitStack() as stack:
        stream = open_stream(path, source, text_column, stack)
        keep = LineFilter(dedupe)
        lines = list(keep(stream.lines))
    if not lines:
        raise ExplorerError(f"{source}: no text left after cleaning", code="text_empty_after_cleaning", file=source)
    return RawText(lines=lines, encoding="+".join(stream.encodings), source=source, n_raw_lines=keep.n_raw,
                   n_dropped=keep.n_dropped, text_column=stream.column[0] if stream.column else None,
                   n_undecodable=stream.undecodable[0])
