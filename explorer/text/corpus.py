"""Loading a corpus file as an integer-encoded corpus, stage by stage::

    file (.txt | .csv/.tsv | .zip of .txt)        explorer.text.readers  (streamed, under explorer.text.limits)
      -> detect the encoding, decode              explorer.text.decode
      -> clean_line, drop empty/duplicate lines   explorer.text.clean
      -> tokenizer (en / zh / pretokenized)       explorer.text.tokenizer (auto-detected)
      -> EncodedCorpus (int32 ids + offsets)      explorer.text.encoded, cached by content hash: explorer.text.cache
         (en / pretokenized files from FASTENCODE_MIN_BYTES: tokenized and encoded a block at a time by the
         compiled explorer.text.fastencode, with the same result)
      -> normalize (optional stems / lemmas)      explorer.text.normalize
      -> phrases (optional word2phrase joining)   explorer.text.phrases

Every problem with the user's file raises :class:`explorer.errors.ExplorerError` naming the file.
"""

from __future__ import annotations

import re
import unicodedata
from array import array
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack
from pathlib import Path
from typing import Optional

import numpy as np

from explorer.configs import CorpusConfig
from explorer.errors import ExplorerError, TrainingStopped
from explorer.progress import Progress, ProgressCallback, Throttle
from explorer.text import cache
from explorer.text.clean import LineFilter
from explorer.text.encoded import EncodedCorpus, IdBuffer, TokenIndex, count_ids
from explorer.text.normalize import normalize_corpus
from explorer.text.phrases import detect_phrases
from explorer.text.readers import check_file, file_format, file_sha256, open_stream
from explorer.text.tokenizer import DETECT_CHARS, detect_lang, make_tokenizer, resolve_lang


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
    write_behind: bool = False,
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
    ``name``: how messages name the file (default: the file name). ``write_behind``: a new cache entry is written
    in the background (:func:`explorer.text.cache.save_cache_behind`) while the caller goes on; it calls
    :func:`explorer.text.cache.wait_for_writes` before it needs both cores again.
    """
    return after_tokenizing(_tokenized(Path(path), cfg, user_words, callback, use_cache, name, write_behind), cfg)


def cache_corpus(path: Path, cfg: CorpusConfig, user_words: Sequence[str] = (), name: Optional[str] = None) -> None:
    """Tokenize ``path`` into the corpus cache (nothing when it is there already), silently and without the steps
    after tokenizing: what :func:`load_corpus` then finds (:mod:`explorer.training.overlap` runs it in a child
    process). Raises as :func:`load_corpus` does."""
    _tokenized(Path(path), cfg, user_words, None, True, name, False)


def _tokenized(path: Path, cfg: CorpusConfig, user_words: Sequence[str], callback: Optional[ProgressCallback],
               use_cache: bool, name: Optional[str], write_behind: bool) -> EncodedCorpus:
    """The tokenized corpus, from the cache or tokenized now (and cached); see :func:`load_corpus`."""
    source = name or path.name
    check_file(path, source)
    resolve_lang(cfg.lang, [])  # validates cfg.lang early
    words = _user_word_list(cfg, user_words)
    sha256 = file_sha256(path)
    with open(path, "rb") as fh:  # the same bytes read as .txt and as .csv are different corpora
        fmt = file_format(path, fh.read(4))
    key = cache.cache_key(sha256, cfg, words, fmt)
    corpus = cache.load_cache(key, source) if use_cache else None
    if corpus is not None:
        if callback is not None and callback(Progress(stage="tokenize", progress=1.0, message="cached")) is True:
            raise TrainingStopped()
    else:
        corpus = _encode_file(path, source, cfg, words, sha256, _Reporter(callback))
        if use_cache:
            (cache.save_cache_behind if write_behind else cache.save_cache_quietly)(key, corpus)
    return corpus


def after_tokenizing(corpus: EncodedCorpus, cfg: CorpusConfig) -> EncodedCorpus:
    """The steps of ``cfg`` applied to a tokenized corpus: word normalisation
    (:mod:`explorer.text.normalize`), then phrase joining (:mod:`explorer.text.phrases`)."""
    corpus = normalize_corpus(corpus, cfg.normalize)
    if cfg.phrases > 0:
        corpus, _ = detect_phrases(corpus, cfg.phrases, cfg.phrase_min_count, cfg.phrase_threshold, listed=False)
    return corpus


SYMBOL_LINES = 2000  # lines looked at for emoji and symbols (enough to tell, cheap on any corpus)
SYMBOL_CHARS = 1 << 20  # and at most about this many characters (a corpus of long lines is not scanned whole)
SYMBOL_SHARE = 0.5  # above this share of emoji/symbol characters, a corpus with few words is refused with the reason
#: files from this size are encoded a block at a time by :mod:`explorer.text.fastencode` (en, pretokenized): below
#: it, loading its compiled routine costs more than it saves
FASTENCODE_MIN_BYTES = 4 << 20
FEW_WORDS = 20  # distinct words below which such a corpus is refused (it would train "in 0.0 s" on nothing)


_ASCII_RUN = re.compile("[\x00-\x7f]+")


def symbol_chars(line: str) -> int:
    """How many characters of ``line`` are emoji or other symbols (Unicode So/Sk, the emoji modifiers and joiners):
    the tokenizer drops them, since they are not words.

    >>> symbol_chars("I love 🍕🍕!"), symbol_chars("👍🏽")
    (2, 2)
    """
    if line.isascii():  # the only ASCII symbols (So/Sk) are ^ and `
        return line.count("^") + line.count("`")
    category = unicodedata.category  # once per distinct non-ASCII character (Counter counts in C)
    others = Counter(_ASCII_RUN.sub("", line))  # (deleting the long ASCII runs is faster than finding the rest)
    return line.count("^") + line.count("`") + sum(
        n for ch, n in others.items() if ch in "\u200d\ufe0f" or category(ch) in ("So", "Sk"))


def _check_symbols(source: str, symbols: int, chars: int, n_words: int) -> None:
    """Refuse, naming the reason, a corpus that is mostly emoji or symbols and leaves (almost) no words."""
    if chars and symbols / chars > SYMBOL_SHARE and n_words < FEW_WORDS:
        share = f"{symbols / chars:.0%}"
        raise ExplorerError(f"{source}: {share} of the characters are emoji or symbols, which are not words; "
                            f"{n_words} distinct words are left", code="text_mostly_symbols", file=source,
                            share=share, n=n_words)


def _encode_file(
    path: Path, source: str, cfg: CorpusConfig, words: list[str], sha256: str, report: _Reporter
) -> EncodedCorpus:
    index = TokenIndex()
    ids = IdBuffer()
    offsets = array("q", [0])
    line_filter = LineFilter(cfg.dedupe_lines)
    n_lines = 0
    with ExitStack() as stack:
        stream = open_stream(path, source, cfg.text_column, stack)
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
        blocks = None
        if lang in ("en", "pretokenized") and not cfg.remove_stopwords and path.stat().st_size >= FASTENCODE_MIN_BYTES:
            from explorer.text.fastencode import BlockEncoder  # numba: loaded for big files only

            blocks = BlockEncoder(lang, tokenize)
            # the encoder splits on any run of spaces: the lines need not be single-spaced (a scan of each line
            # saved), unless equal lines are compared (dedupe) or a long en line is cut into bounded pieces
            line_filter.collapse = cfg.dedupe_lines
        token_id = index.__getitem__  # C-level lookups; TokenIndex.__missing__ numbers new tokens
        symbols = chars = 0
        for line in _chain(head, lines):
            n_lines += 1
            if n_lines <= SYMBOL_LINES and chars < SYMBOL_CHARS:
                symbols += symbol_chars(line)
                chars += len(line) - line.count(" ")
            if blocks is not None:
                blocks.add(line)
                if not n_lines & 1023:
                    report(stream.position, n_lines, blocks.n_ids)
                continue
            tokens = tokenize(line)
            if tokens:
                ids.extend(map(token_id, tokens))
                offsets.append(len(ids))
            if not n_lines & 31:
                report(stream.position, n_lines, len(ids))
        if blocks is not None:
            vocabulary = blocks.finish()
            report(lambda: 1.0, n_lines, blocks.n_ids, force=True)
        else:
            vocabulary = list(index)
            report(lambda: 1.0, n_lines, len(ids), force=True)
        encoding = "+".join(stream.encodings)
        undecodable = stream.undecodable[0]
    if n_lines == 0:
        raise ExplorerError(f"{source}: no text left after cleaning", code="text_empty_after_cleaning", file=source)
    _check_symbols(source, symbols, chars, len(vocabulary))
    if blocks is not None:
        ids_np = np.concatenate(blocks.ids_chunks) if blocks.ids_chunks else np.empty(0, dtype=np.int32)
        blocks.ids_chunks.clear()
        per_line = np.concatenate(blocks.line_counts) if blocks.line_counts else np.empty(0, dtype=np.int64)
        offsets_np = np.concatenate(([0], np.cumsum(per_line[per_line > 0]))).astype(np.int64)
    else:
        ids_np = ids.to_numpy()
        offsets_np = np.frombuffer(offsets, dtype=np.int64)
    if not len(ids_np):
        raise ExplorerError(f"{source}: no tokens left after cleaning and tokenizing", code="text_no_tokens",
                            file=source)
    return EncodedCorpus(
        tokens=vocabulary, counts=count_ids(ids_np, len(vocabulary)),
        ids=ids_np, offsets=offsets_np, lang=lang, encoding=encoding,
        sha256=sha256, source=source, n_lines=n_lines, n_undecodable=undecodable,
    )



def _user_word_list(cfg: CorpusConfig, user_words: Sequence[str]) -> list[str]:
    words = {unicodedata.normalize("NFKC", str(w)).strip() for w in [*cfg.user_words, *user_words]}
    return sorted(w for w in words if w)



def _chain(head: list[str], rest: Iterator[str]) -> Iterator[str]:
    yield from head
    head.clear()
    yield from rest
