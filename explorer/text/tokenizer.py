"""Tokenizers: English (Unicode word regex), Chinese (jieba, precise mode), pre-tokenized text.

Lines reaching a tokenizer are already cleaned (:func:`explorer.text.clean.clean_line`: NFKC, no HTML,
no URLs, single spaces). Every tokenizer maps one line to a list of tokens.

English (``en``)
    Lowercase, then the words matched by ``[^\\W_]+(?:'[^\\W_]+)*``: runs of Unicode letters and
    digits, with inner apostrophes kept (``don't``, ``o'clock``; the typographic ``’`` counts as
    ``'``). Hyphens, underscores and all other punctuation split words and are dropped, so
    ``well-known`` gives ``well``, ``known`` and ``3.5`` gives ``3``, ``5``.

Chinese (``zh``)
    jieba in precise mode (with its HMM for unknown words) on a private ``jieba.Tokenizer``; the
    global ``jieba.dt`` is never touched. User words are added to that private dictionary, so
    jieba keeps them whole. Mixed text works: jieba's pieces without Chinese characters are glued
    back together and tokenized exactly like English (so ``I don't`` inside a Chinese line gives
    ``i``, ``don't``), whitespace and punctuation are dropped, and lines without any Chinese
    character skip jieba entirely. The zh tokenizer is therefore a superset of the en one.

    With ``segmenter="thulac"`` the Chinese pieces come from THULAC (Tsinghua's segmenter,
    segmentation-only model shipped in the ``thulac`` package; nothing is downloaded) instead of
    jieba; everything else is the same. User words are honoured by THULAC's own user dictionary,
    which merges adjacent pieces that spell a user word.

Pre-tokenized (``pretokenized``)
    Split on whitespace, nothing else (case is kept: the user already tokenized the text).

Long lines (en and zh, every segmenter; not pretokenized)
    A line longer than :data:`SEGMENT_CHARS` (2,000) characters is cut into pieces of at most that
    many characters before it reaches the tokenizer or segmenter: after the last sentence end,
    punctuation or space in the second half of each window, else at the bound itself
    (:func:`bounded_pieces`). Time per line is then linear in its length: THULAC's own sentence
    split (a regular expression that is quadratic on a line without sentence ends, > 300 s on one
    333,000-character line) never runs, because no piece reaches its 50,000-character threshold.
    Tokens are unchanged except where a piece had to be cut inside a run of more than 1,000
    characters without any boundary. The first such line logs one warning naming the bound; a
    tokenizer counts them in its ``long_lines`` attribute (a one-element list). A ``pretokenized``
    line is split on whitespace whole (linear in its length already; a cut would split a token such as
    ``a!b`` that its author wrote as one), and its ``long_lines`` stays 0.

``auto`` (:func:`detect_lang`)
    ``zh`` when Chinese characters make up at least :data:`ZH_SHARE` (5 %) of the letters in the
    first :data:`DETECT_CHARS` characters, else ``en``. The threshold is low on purpose: because
    the zh tokenizer handles English exactly like the en one, choosing zh for a mostly-English text
    with some Chinese costs only speed, while choosing en for it would turn every run of Chinese
    characters into one long junk "word".
"""

from __future__ import annotations

import logging
import marshal
import re
import threading
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache

from explorer.errors import ExplorerError
from explorer.text.stopwords import STOPWORDS

LANGS = ("en", "zh", "pretokenized")
SEGMENTERS = ("jieba", "thulac")
ZH_SHARE = 0.05  # share of Chinese characters among letters from which auto picks zh
DETECT_CHARS = 200_000  # characters of the corpus that detect_lang looks at

_HAN_RANGES = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ebef\U00030000-\U0003134f"
HAN = re.compile(f"[{_HAN_RANGES}]")
_HAN_RUN = re.compile(f"[{_HAN_RANGES}]+")
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
SEGMENT_CHARS = 2_000  # the most characters a tokenizer or segmenter is given at once (see "Long lines")
_BREAKS = frozenset("，、,.:：…)）」』》】 \t\u3000")
_LAST_BREAK = re.compile("(?s).*[" + re.escape("".join(sorted(_BREAKS))) + r"\s]")  # match() ends after the last break

log = logging.getLogger("explorer.text")

Tokenizer = Callable[[str], list[str]]


def detect_lang(lines: Iterable[str]) -> str:
    """``"zh"`` when Chinese (Han) characters are at least :data:`ZH_SHARE` of the letters, else ``"en"``.

    Looks at the first :data:`DETECT_CHARS` characters of ``lines`` only (fast on any corpus).
    Text without any letter gives ``"en"``.
    """
    letters = han = seen = 0
    for line in lines:
        letters += sum(1 for ch in line if ch.isalpha())
        han += sum(len(m) for m in _HAN_RUN.findall(line))
        seen += len(line)
        if seen >= DETECT_CHARS:
            break
    return "zh" if letters and han / letters >= ZH_SHARE else "en"


def english_tokens(line: str) -> list[str]:
    """Lowercased Unicode words of ``line`` (see the module docstring for the rules)."""
    return _WORD.findall(line.lower().replace("\u2019", "'"))


def pretokenized_tokens(line: str) -> list[str]:
    """``line`` split on whitespace."""
    return line.split()


def _normalise_user_words(user_words: Iterable[str]) -> tuple[str, ...]:
    words = {unicodedata.normalize("NFKC", str(w)).strip() for w in user_words}
    return tuple(sorted(w for w in words if w and not any(ch.isspace() for ch in w)))


class _WholeFileMarshal:
    """``marshal`` as jieba uses it, but ``load`` reads the file whole first: ``marshal.load`` on a file reads it a
    few bytes at a time, 0.49 s for jieba's 9 MB dictionary cache against 0.12 s from one read (the same objects)."""

    dump = staticmethod(marshal.dump)

    @staticmethod
    def load(fh):  # type: ignore[no-untyped-def]
        return marshal.loads(fh.read())


@lru_cache(maxsize=1)
def _jieba_base():  # -> jieba.Tokenizer
    """A private jieba tokenizer with the default dictionary loaded (once per process, ~0.3 s from jieba's cache)."""
    import jieba

    logging.getLogger("jieba").setLevel(logging.WARNING)  # no "Building prefix dict" chatter on stderr
    tok = jieba.Tokenizer()
    if getattr(jieba, "marshal", None) is marshal:
        jieba.marshal = _WholeFileMarshal
        try:
            tok.initialize()
        finally:
            jieba.marshal = marshal
    else:
        tok.initialize()
    return tok


@lru_cache(maxsize=4)
def _jieba_tokenizer(user_words: tuple[str, ...]):  # -> jieba.Tokenizer
    """A private, initialised jieba tokenizer with ``user_words`` added (cached per word set).

    With user words, the base dictionary is copied (a dict copy: ~0.1 s and ~20 MB, instead of
    reloading it) and the words are added with jieba's suggested frequency, which makes jieba
    cut each of them whole. Instances are never changed after they are built, so sharing them
    is safe; the global ``jieba.dt`` is never touched.
    """
    import jieba

    base = _jieba_base()
    if not user_words:
        return base
    tok = jieba.Tokenizer()
    tok.FREQ, tok.total, tok.initialized = dict(base.FREQ), base.total, True
    for word in user_words:
        tok.add_word(word)
    return tok


class _Thulac:
    """A THULAC segmenter (segmentation only, tables compacted) with a lock: its decoder keeps state between calls,
    so one instance must not cut two lines at once (Streamlit sessions are threads)."""

    def __init__(self, user_words: tuple[str, ...]) -> None:
        import contextlib
        import io
        import os
        import tempfile

        dict_path = None
        if user_words:  # THULAC reads user words from a file: one word per line
            fd, dict_path = tempfile.mkstemp(suffix=".txt", prefix="thulac-words-")
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write("\n".join(user_words) + "\n")
        try:
            with contextlib.redirect_stdout(io.StringIO()):  # it prints "Model loaded succeed"
                import thulac

                self._thulac = thulac.thulac(user_dict=dict_path, seg_only=True)
        finally:
            if dict_path:
                os.unlink(dict_path)
        _compact_thulac(self._thulac)
        self._lock = threading.Lock()

    def cut(self, line: str) -> list[str]:
        with self._lock:
            return list(self._thulac.cutline(line))


def _compact_thulac(model: object) -> None:
    """Store THULAC's two big tables (its double-array trie, 15M ints, and its feature weights, 10M
    ints) as ``array('i')`` instead of tuples of Python ints: the same values, indexed the same way,
    ~240 MB resident instead of ~750 MB (measured; segmentation unchanged, not slower). THULAC 0.2.2
    is pinned and unmaintained, so these internals do not move; if they ever do, nothing is changed."""
    import array

    decoder = getattr(model, "_thulac__cws_tagging_decoder", None)
    dat = getattr(getattr(decoder, "dat", None), "dat", None)
    weights = getattr(getattr(decoder, "model", None), "fl_weights", None)
    feature = getattr(decoder, "nGramFeature", None)
    if not isinstance(dat, tuple) or not isinstance(weights, tuple) or getattr(feature, "dat", None) is not dat:
        return
    compact = array.array("i", dat)
    decoder.dat.dat = compact
    feature.dat = compact
    decoder.model.fl_weights = array.array("i", weights)


_THULAC_KEEP = 2  # THULAC instances kept per process (one per user-word set; ~800 MB each)
_thulac_lock = threading.Lock()
_thulac_cache: dict[tuple[str, ...], _Thulac] = {}
_thulac_key_locks: dict[tuple[str, ...], threading.Lock] = {}
_thulac_started: set[tuple[str, ...]] = set()
_thulac_failed: set[tuple[str, ...]] = set()


def _thulac_segmenter(user_words: tuple[str, ...]) -> _Thulac:
    """The THULAC segmenter for ``user_words``, loaded once per process (~1.5 s; ~240 MB resident
    after :func:`_compact_thulac`, ~800 MB at the peak of loading); concurrent callers wait for the one load."""
    with _thulac_lock:
        key_lock = _thulac_key_locks.setdefault(user_words, threading.Lock())
    with key_lock:
        with _thulac_lock:
            seg = _thulac_cache.get(user_words)
        if seg is None:
            seg = _Thulac(user_words)
            with _thulac_lock:
                _thulac_cache[user_words] = seg
                while len(_thulac_cache) > _THULAC_KEEP:
                    _thulac_cache.pop(next(iter(_thulac_cache)))
    return seg


def _load_quietly(user_words: tuple[str, ...]) -> None:
    try:
        _thulac_segmenter(user_words)
    except Exception:  # "ready": the next synchronous use raises the error where it can be shown
        with _thulac_lock:
            _thulac_failed.add(user_words)


def segmenter_ready(segmenter: str, user_words: Sequence[str] = ()) -> bool:
    """Whether ``segmenter`` can cut at once; THULAC, when not loaded yet, starts loading in a
    background thread and this returns False (pages poll, so THULAC's longer load never blocks a
    page longer than jieba's). jieba is always "ready": it is the baseline a page waits for."""
    if segmenter != "thulac":
        return True
    words = _normalise_user_words(user_words)
    with _thulac_lock:
        if words in _thulac_cache or words in _thulac_failed:
            return True
        if words in _thulac_started:
            return False
        _thulac_started.add(words)
    threading.Thread(target=_load_quietly, args=(words,), name="thulac-load", daemon=True).start()
    return False


def _bounded_cut(cut: Callable[[str], Iterable[str]]) -> Callable[[str], Iterable[str]]:
    """``cut`` given at most :data:`SEGMENT_CHARS` characters at once (see "Long lines")."""
    def bounded(line: str) -> Iterable[str]:
        if len(line) <= SEGMENT_CHARS:
            return cut(line)
        return [piece for part in bounded_pieces(line) for piece in cut(part)]
    return bounded


def segmenter_cut(segmenter: str, user_words: Sequence[str] = ()) -> Callable[[str], Iterable[str]]:
    """The raw cut (pieces, spaces and punctuation included) of ``segmenter`` (jieba | thulac)."""
    words = _normalise_user_words(user_words)
    if segmenter == "jieba":
        tok = _jieba_tokenizer(words)
        return _bounded_cut(lambda line: tok.cut(line, cut_all=False, HMM=True))
    if segmenter == "thulac":
        return _bounded_cut(_thulac_segmenter(words).cut)
    raise ExplorerError(f"segmenter: expected one of {', '.join(SEGMENTERS)}, got {segmenter!r}",
                        code="param_choice", name="segmenter", value=segmenter, choices=", ".join(SEGMENTERS))


def chinese_tokenizer(user_words: Sequence[str] = (), segmenter: str = "jieba") -> Tokenizer:
    """A zh tokenizer (jieba precise mode, or THULAC, + English rules for Latin pieces), see the module docstring."""
    cut = segmenter_cut(segmenter, user_words)
    han = HAN.search

    def tokens(line: str) -> list[str]:
        if not han(line):
            return english_tokens(line)
        out: list[str] = []
        latin: list[str] = []
        for piece in cut(line):
            if han(piece):
                if latin:
                    out.extend(english_tokens("".join(latin)))
                    latin.clear()
                out.append(piece.lower())
            else:
                latin.append(piece)
        if latin:
            out.extend(english_tokens("".join(latin)))
        return out

    return tokens


def _cut_at(line: str, start: int, end: int) -> int:
    """Where to cut ``line[start:end]`` (a full window): after the last sentence end (。！？；!?; or a newline) in
    its second half, else after the last other break there, else at ``end``. (C-level searches: ``rfind`` per
    sentence end, one greedy match for the breaks; the same result as scanning the half backwards character by
    character, tests/test_fastencode.py.)"""
    half = start + (end - start) // 2
    rfind = line.rfind
    last_end = max(rfind("。", half, end), rfind("！", half, end), rfind("？", half, end), rfind("；", half, end),
                   rfind("!", half, end), rfind("?", half, end), rfind(";", half, end), rfind("\n", half, end))
    if last_end >= 0:
        return last_end + 1
    m = _LAST_BREAK.match(line, half, end)
    return m.end() if m else end


def bounded_pieces(line: str, size: int = SEGMENT_CHARS) -> list[str]:
    """``line`` cut into pieces of at most ``size`` characters at safe places (see "Long lines" above).

    >>> [len(p) for p in bounded_pieces("ab。" * 1000, 2000)]
    [1998, 1002]
    >>> [len(p) for p in bounded_pieces("x" * 4500, 2000)]
    [2000, 2000, 500]
    """
    if len(line) <= size:
        return [line]
    pieces, start, n = [], 0, len(line)
    while n - start > size:
        cut = _cut_at(line, start, start + size)
        pieces.append(line[start:cut])
        start = cut
    pieces.append(line[start:])
    return pieces


def count_long_line(long_lines: list[int], n_chars: int, size: int = SEGMENT_CHARS) -> None:
    """Count a line cut into bounded pieces in a tokenizer's ``long_lines``; the first one logs a warning."""
    long_lines[0] += 1
    if long_lines[0] == 1:
        log.warning("warning: a line of %s characters was tokenized in pieces of at most %s characters (the bound on "
                    "one tokenizer call, SEGMENT_CHARS)", f"{n_chars:,}", f"{size:,}")


def _bounded(base: Tokenizer, size: int = SEGMENT_CHARS) -> Tokenizer:
    """``base`` applied to :func:`bounded_pieces` of each line longer than ``size``; counts such lines."""
    long_lines = [0]

    def tokens(line: str) -> list[str]:
        if len(line) <= size:
            return base(line)
        count_long_line(long_lines, len(line), size)
        out: list[str] = []
        for piece in bounded_pieces(line, size):
            out.extend(base(piece))
        return out

    tokens.long_lines = long_lines  # type: ignore[attr-defined]
    return tokens


def _unbounded(base: Tokenizer) -> Tokenizer:
    """``base`` on whole lines, with the ``long_lines`` counter every tokenizer has (never counted here)."""
    def tokens(line: str) -> list[str]:
        return base(line)

    tokens.long_lines = [0]  # type: ignore[attr-defined]
    return tokens


def make_tokenizer(lang: str, user_words: Sequence[str] = (), remove_stopwords: bool = False,
                   segmenter: str = "jieba") -> Tokenizer:
    """A function ``line -> tokens`` for ``lang`` (en, zh or pretokenized; resolve ``auto`` first).

    ``user_words`` and ``segmenter`` (jieba | thulac) matter for zh only (both segmenters keep user
    words whole). ``remove_stopwords`` drops the built-in English and Chinese stopwords
    (:mod:`explorer.text.stopwords`) in every language.
    """
    if lang == "en":
        base: Tokenizer = english_tokens
    elif lang == "zh":
        base = chinese_tokenizer(user_words, segmenter)
    elif lang == "pretokenized":
        base = pretokenized_tokens
    else:
        raise ExplorerError(f"lang: expected one of en, zh, pretokenized (auto must be resolved first), got {lang!r}",
                            code="param_choice", name="lang", value=lang, choices="en, zh, pretokenized")
    bounded = _unbounded(base) if lang == "pretokenized" else _bounded(base)
    if not remove_stopwords:
        return bounded

    def without_stopwords(line: str) -> list[str]:
        return [t for t in bounded(line) if t not in STOPWORDS]

    without_stopwords.long_lines = bounded.long_lines  # type: ignore[attr-defined]
    return without_stopwords


def resolve_lang(lang: str, lines: Iterable[str]) -> str:
    """``lang`` itself, or for ``"auto"`` the language :func:`detect_lang` finds in ``lines``."""
    if lang == "auto":
        return detect_lang(lines)
    if lang not in LANGS:
        raise ExplorerError(f"lang: expected auto, en, zh or pretokenized, got {lang!r}", code="param_choice", name="lang",
                            value=lang, choices="auto, en, zh, pretokenized")
    return lang


def tokenize_lines(
    lines: Sequence[str], lang: str = "auto", user_words: Sequence[str] = (), remove_stopwords: bool = False,
    segmenter: str = "jieba",
) -> list[list[str]]:
    """Tokens of each line (for previews and tests; corpora go through :func:`explorer.text.corpus.load_corpus`)."""
    tokenizer = make_tokenizer(resolve_lang(lang, lines), user_words, remove_stopwords, segmenter)
    return [tokenizer(line) for line in lines]
