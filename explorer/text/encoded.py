"""The encoded corpus: a tokenized corpus as int32 token ids and sentence offsets, and the buffers
that build it one line at a time (about 4 bytes per token, no per-token Python objects).

    >>> index, buffer = TokenIndex(), IdBuffer()
    >>> buffer.extend(map(index.__getitem__, ["a", "b", "a"]))
    >>> list(index), buffer.to_numpy().tolist()
    (['a', 'b'], [0, 1, 0])
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np


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


def count_ids(ids: np.ndarray, n: int) -> np.ndarray:
    """int64 (n,) occurrences of each id; in blocks, since np.bincount copies its input as int64."""
    counts = np.zeros(n, dtype=np.int64)
    for start in range(0, len(ids), 1 << 22):
        counts += np.bincount(ids[start : start + (1 << 22)], minlength=n)
    return counts


class IdBuffer:
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


class TokenIndex(dict):
    """token -> id; a missing token gets the next id (first-seen order)."""

    def __missing__(self, token: str) -> int:
        self[token] = token_id = len(self)
        return token_id
