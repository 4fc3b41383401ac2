"""Token ids for big English and pre-tokenized corpora without a Python object per token.

:func:`explorer.text.corpus.load_corpus` tokenizes line by line: one regex ``findall`` (or ``split``)
and one dictionary lookup per token, about 300 ns a token. For files from
:data:`explorer.text.corpus.FASTENCODE_MIN_BYTES` the
``en`` and ``pretokenized`` paths instead join about a megabyte of cleaned lines into one block and
hand its UTF-8 bytes to a compiled routine (:func:`_encode_block`) that finds the tokens, looks them
up in an open-addressing hash table over their bytes and writes int32 ids and per-line token counts
(about 35 ns a token). The result is identical to the line-by-line path (tested on mixed text):

- ``en``: each line is cut into the tokenizer's bounded pieces (:func:`explorer.text.tokenizer.bounded_pieces`)
  joined with a space (a space separates tokens, so this equals tokenizing the pieces one by one) and
  lowercased piece by piece, in Python; a ``pretokenized`` line is taken whole, as its tokenizer takes it.
- While the Python side cleans the next block, the block before is encoded in a thread of its own (the
  compiled routine releases the interpreter lock); blocks are encoded in order, each continuing the
  vocabulary of the one before.
- The compiled rule: ``en``: runs of ``[A-Za-z0-9]`` and bytes >= 0x80 with inner apostrophes (the
  ASCII reading of the tokenizer's ``[^\\W_]+(?:'[^\\W_]+)*``); ``pretokenized``: split on ASCII
  whitespace (``str.split``).
- Lines arrive cleaned (:func:`explorer.text.clean.clean_line`): a single space is their only
  whitespace, which is also all that ``pretokenized`` splits on. In a line that is not ASCII, ``en``
  replaces each space-separated chunk holding a non-ASCII character by its regex words joined by
  spaces (the compiled rule gives them back unchanged: their non-ASCII characters are word
  characters, their apostrophes inner ones).
- Ids are given in first-seen order, as :class:`explorer.text.encoded.TokenIndex` does.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from typing import Optional

import numpy as np
from numba import njit

from explorer.jit import quick_start
from explorer.text.clean import single_spaced
from explorer.text.tokenizer import _WORD, SEGMENT_CHARS, bounded_pieces, count_long_line

quick_start()  # before the first compile or cache load

BLOCK_CHARS = 1 << 20  # characters of cleaned lines per block

_EN, _SPLIT = 0, 1
_ASCII_RUN = re.compile(r"[\x00-\x7f]+")


def _regex_words_where_not_ascii(text: str) -> str:
    """``text`` (cleaned: single spaces are its only whitespace; lowercased) with each space-separated chunk that
    holds a non-ASCII character replaced by the tokenizer's regex words of it, joined by spaces."""
    out, pos, gap = [], 0, 0  # gap: where the next non-ASCII run may start (the end of an ASCII run)
    for m in _ASCII_RUN.finditer(text):  # the runs between ASCII runs are the non-ASCII ones (fewer, longer matches)
        if m.start() > gap:
            pos = _replace_chunk(text, gap, m.start(), pos, out)
        gap = m.end()
    if gap < len(text):
        pos = _replace_chunk(text, gap, len(text), pos, out)
    out.append(text[pos:])
    return "".join(out)


def _replace_chunk(text: str, first: int, last: int, pos: int, out: list[str]) -> int:
    """Append text[pos:chunk start] and the regex words of the chunk around text[first:last]; the chunk's end."""
    if first < pos:  # inside the chunk just replaced
        return pos
    start = text.rfind(" ", pos, first) + 1
    end = text.find(" ", last)
    if end < 0:
        end = len(text)
    out.append(text[pos:start])
    out.append(" ".join(_WORD.findall(text[start:end])))
    return end


_FNV_OFFSET = np.uint64(14695981039346656037)
_FNV_PRIME = np.uint64(1099511628211)


# The per-token routines take no reference counts (``_nrt=False``: they allocate nothing): with them, every call
# of _lookup counted references to its five arrays, and the encoder took 70 ns a token instead of 32.
@njit(cache=True, nogil=True, _nrt=False)
def _is_space(b: int) -> bool:
    return b == 32 or 9 <= b <= 13 or 28 <= b <= 31


@njit(cache=True, nogil=True, _nrt=False)
def _is_word(b: int) -> bool:
    return (97 <= b <= 122) or (48 <= b <= 57) or (65 <= b <= 90) or b >= 128


@njit(cache=True, nogil=True, _nrt=False)
def _lookup(buf, start, end, h, table, hashes, store, starts, n_vocab, store_used):  # type: ignore[no-untyped-def]
    """The id of ``buf[start:end]`` (inserted with the next id when new); returns (id, n_vocab, store_used)."""
    mask = len(table) - 1
    slot = np.int64(h & np.uint64(mask))
    length = end - start
    while True:
        tid = table[slot]
        if tid < 0:
            break
        if hashes[tid] == h and starts[tid + 1] - starts[tid] - 1 == length:
            s = starts[tid]
            same = True
            for k in range(length):
                if store[s + k] != buf[start + k]:
                    same = False
                    break
            if same:
                return tid, n_vocab, store_used
        slot = (slot + 1) & mask
    tid = n_vocab
    table[slot] = tid
    hashes[tid] = h
    for k in range(length):
        store[store_used + k] = buf[start + k]
    store[store_used + length] = 10  # "\n" after each token: the store decodes to the vocabulary in one split
    store_used += length + 1
    starts[tid + 1] = store_used
    return tid, n_vocab + 1, store_used


@njit(cache=True, nogil=True, _nrt=False)
def _encode_run(buf, i, mode, table, hashes, store, starts, state, ids, line_counts):  # type: ignore[no-untyped-def]
    """Encode ``buf`` from ``i`` until its end or until a vocabulary array is full; returns where it stopped.

    ``state``: int64 [n_ids, n_lines, line_start_ids, n_vocab, store_used], updated. (The arrays are never
    reassigned in this loop: growing them here made every token three times slower.)
    """
    n = len(buf)
    n_ids, n_lines, line_start_ids, n_vocab, store_used = state[0], state[1], state[2], state[3], state[4]
    half = len(table) // 2
    while i <= n:
        if i == n or buf[i] == 10:  # end of a line (the block ends with the last line, without "\n")
            line_counts[n_lines] = n_ids - line_start_ids
            n_lines += 1
            line_start_ids = n_ids
            i += 1
            continue
        b = buf[i]
        if mode == _SPLIT:
            if _is_space(b):
                i += 1
                continue
            start = i
            h = _FNV_OFFSET
            while i < n and not _is_space(buf[i]):
                h = (h ^ np.uint64(buf[i])) * _FNV_PRIME
                i += 1
        else:
            if not _is_word(b):
                i += 1
                continue
            start = i
            h = _FNV_OFFSET
            while i < n:
                c = buf[i]
                if _is_word(c):
                    h = (h ^ np.uint64(c)) * _FNV_PRIME
                    i += 1
                elif c == 39 and i + 1 < n and _is_word(buf[i + 1]):  # an inner apostrophe
                    h = (h ^ np.uint64(c)) * _FNV_PRIME
                    i += 1
                else:
                    break
        if n_vocab + 1 > half or n_vocab + 2 > len(hashes) or store_used + (i - start) + 1 > len(store):
            i = start  # full: the caller grows the arrays and calls again from this token
            break
        tid, n_vocab, store_used = _lookup(buf, start, i, h, table, hashes, store, starts, n_vocab, store_used)
        ids[n_ids] = tid
        n_ids += 1
    state[0], state[1], state[2], state[3], state[4] = n_ids, n_lines, line_start_ids, n_vocab, store_used
    return i


@njit(cache=True, nogil=True)
def _encode_block(buf, mode, table, hashes, store, starts, n_vocab, store_used, ids, line_counts):  # type: ignore[no-untyped-def]
    """Tokens of the ``\n``-separated lines in ``buf`` (uint8) -> ids and tokens per line.

    Returns (n_ids, n_lines, n_vocab, store_used) and the vocabulary arrays (grown when full; ``table`` is kept
    at most half full, so probes are short and it stays small). ``ids`` holds len(buf) // 2 + 1 entries (the
    most tokens a block can have), ``line_counts`` one entry per line.
    """
    state = np.zeros(5, dtype=np.int64)
    state[3], state[4] = n_vocab, store_used
    i = 0
    while True:
        i = _encode_run(buf, i, mode, table, hashes, store, starts, state, ids, line_counts)
        if i > len(buf):
            break
        if 2 * (state[3] + 1) > len(table):
            table = _rehash(2 * len(table), hashes, state[3])
        if state[3] + 2 > len(hashes):
            hashes = _grow_u64(hashes, 2 * len(hashes))
            starts = _grow_i64(starts, 2 * len(starts))
        if state[4] + (len(buf) - i) + 1 > len(store):
            store = _grow_u8(store, 2 * len(store) + (len(buf) - i) + 1)
    return state[0], state[1], state[3], state[4], table, hashes, starts, store


@njit(cache=True, nogil=True)
def _grow_u64(a, size):  # type: ignore[no-untyped-def]
    out = np.zeros(size, dtype=np.uint64)
    out[: len(a)] = a
    return out


@njit(cache=True, nogil=True)
def _grow_i64(a, size):  # type: ignore[no-untyped-def]
    out = np.zeros(size, dtype=np.int64)
    out[: len(a)] = a
    return out


@njit(cache=True, nogil=True)
def _grow_u8(a, size):  # type: ignore[no-untyped-def]
    out = np.zeros(size, dtype=np.uint8)
    out[: len(a)] = a
    return out


@njit(cache=True, nogil=True)
def _rehash(size, hashes, n_vocab):  # type: ignore[no-untyped-def]
    table = np.full(size, -1, dtype=np.int32)
    mask = size - 1
    for tid in range(n_vocab):
        slot = np.int64(hashes[tid] & np.uint64(mask))
        while table[slot] >= 0:
            slot = (slot + 1) & mask
        table[slot] = tid
    return table


class BlockEncoder:
    """Token ids of cleaned lines, a block at a time (see the module docstring).

    ``add(line)`` takes one cleaned line; ``ids_chunks`` (int32 arrays) and ``line_counts`` (tokens per line,
    lines without tokens included) grow as blocks are encoded; :meth:`finish` encodes the last block and returns
    the vocabulary in id order.
    """

    def __init__(self, lang: str, tokenizer: Callable[[str], list[str]]) -> None:
        if lang not in ("en", "pretokenized"):
            raise ValueError(lang)
        self.mode = _EN if lang == "en" else _SPLIT
        self.lower = lang == "en"
        self.tokenizer = tokenizer  # make_tokenizer(lang) without stopwords: its long_lines counter is shared
        self.lines: list[str] = []
        self.chars = 0
        self.table = np.full(1 << 12, -1, dtype=np.int32)
        self.hashes = np.zeros(1 << 11, dtype=np.uint64)
        self.starts = np.zeros(1 << 11, dtype=np.int64)
        self.store = np.zeros(1 << 14, dtype=np.uint8)
        self.n_vocab = 0
        self.store_used = 0
        self.ids_chunks: list[np.ndarray] = []
        self.line_counts: list[np.ndarray] = []
        self.n_ids = 0
        self._running: Optional[_Block] = None  # the block being encoded while the next one is cleaned

    def add(self, line: str) -> None:
        """One cleaned line; its spaces may come in runs (``clean_line(collapse=False)``)."""
        if self.lower and len(line) > SEGMENT_CHARS:  # en: the tokenizer's bounded pieces (pretokenized: whole)
            line = single_spaced(line)  # cut where the line-by-line path cuts (it reads single-spaced lines)
        if self.lower and len(line) > SEGMENT_CHARS:
            count_long_line(self.tokenizer.long_lines, len(line))  # type: ignore[attr-defined]
            pieces = bounded_pieces(line)
        else:
            pieces = [line]
        if self.lower:
            pieces = [p.lower() for p in pieces]
        text = pieces[0] if len(pieces) == 1 else " ".join(pieces)
        if self.lower and not text.isascii():
            text = _regex_words_where_not_ascii(text.replace("\u2019", "'"))
        self.lines.append(text)
        self.chars += len(text) + 1
        if self.chars >= BLOCK_CHARS:
            self.flush()

    def flush(self) -> None:
        """Start encoding the lines added so far in a thread of its own (the compiled routine releases the
        interpreter lock, so the next block's lines are cleaned meanwhile); first take the result of the block
        before, whose vocabulary the new block continues."""
        if not self.lines:
            return
        buf = np.frombuffer("\n".join(self.lines).encode("utf-8"), dtype=np.uint8)
        n_lines = len(self.lines)
        self.lines, self.chars = [], 0
        self._collect()
        self._running = _Block(buf, n_lines, self.mode, self.table, self.hashes, self.store, self.starts,
                               self.n_vocab, self.store_used)

    def _collect(self) -> None:
        """Wait for the block being encoded and add its ids, line counts and vocabulary."""
        block, self._running = self._running, None
        if block is None:
            return
        (n_ids, self.n_vocab, self.store_used, self.table, self.hashes, self.starts, self.store, ids,
         counts) = block.result()
        self.ids_chunks.append(ids[:n_ids].copy())
        self.line_counts.append(counts)
        self.n_ids += n_ids

    def finish(self) -> list[str]:
        """Encode what is left; the vocabulary (id order)."""
        self.flush()
        self._collect()
        text = self.store[: self.store_used].tobytes().decode("utf-8")
        return text.split("\n")[:-1]


class _Block:
    """One block's :func:`_encode_block` call, run in a thread; :meth:`result` waits for it (and raises what it
    raised)."""

    def __init__(self, buf: np.ndarray, n_lines: int, mode: int, table: np.ndarray, hashes: np.ndarray,
                 store: np.ndarray, starts: np.ndarray, n_vocab: int, store_used: int) -> None:
        self.n_lines = n_lines
        self._args = (buf, mode, table, hashes, store, starts, n_vocab, store_used,
                      np.empty(len(buf) // 2 + 1, dtype=np.int32),  # the most tokens a block can hold
                      np.empty(n_lines, dtype=np.int64))
        self._out: Optional[tuple] = None
        self._error: Optional[BaseException] = None
        self._thread = threading.Thread(target=self._run, name="fastencode", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            self._out = _encode_block(*self._args)
        except BaseException as exc:  # handed to the thread that waits
            self._error = exc

    def result(self) -> tuple:
        """(n_ids, n_vocab, store_used, table, hashes, starts, store, ids, line_counts)."""
        self._thread.join()
        if self._error is not None:
            raise self._error
        assert self._out is not None
        n_ids, got_lines, n_vocab, store_used, table, hashes, starts, store = self._out
        assert got_lines == self.n_lines
        ids, counts = self._args[8], self._args[9]
        return n_ids, n_vocab, store_used, table, hashes, starts, store, ids, counts
