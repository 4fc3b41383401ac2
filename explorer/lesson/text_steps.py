"""Lesson step 1, from text to training data: every step of the pipeline, shown on a few lines.

The steps are the ones the trainer runs (:mod:`explorer.text.readers`, :mod:`explorer.text.clean`, :mod:`explorer.text.vocab`,
:mod:`explorer.text.pairs`), split apart so that each one's effect is visible.

    >>> steps = cleaning_steps(["<b>Cats</b> chase mice http://x.org", "<b>Cats</b> chase mice"])
    >>> [s.name for s in steps]
    ['raw', 'html', 'urls', 'normalise', 'dedupe']
    >>> steps[-1].lines
    ['Cats chase mice']
    >>> [(p.centre, p.context) for p in sentence_pairs(["a", "b", "c"], window=1)]
    [('a', 'b'), ('b', 'a'), ('b', 'c'), ('c', 'b')]
"""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import numpy as np

from explorer.text.clean import TAG_PATTERN, URL_PATTERN, clean_line
from explorer.text.stopwords import STOPWORDS


@dataclass
class Step:
    """One cleaning step: its name, the lines after it and what it removed (one string per change)."""

    name: str
    lines: list[str]
    removed: list[str]


def cleaning_steps(lines: Sequence[str]) -> list[Step]:
    """The cleaning of ``lines`` step by step: raw, HTML tags, URLs, normalisation, duplicates.

    The last step's lines equal what the corpus reader keeps (:func:`explorer.text.clean.clean_line`
    then duplicates dropped).
    """
    raw = [str(x) for x in lines]
    steps = [Step("raw", raw, [])]
    tags, no_html = [], []
    for line in raw:
        tags += [m.group(0) for m in TAG_PATTERN.finditer(line)]
        no_html.append(html.unescape(TAG_PATTERN.sub(" ", line)))
    steps.append(Step("html", no_html, tags))
    urls, no_urls = [], []
    for line in no_html:
        urls += [m.group(0) for m in URL_PATTERN.finditer(line)]
        no_urls.append(URL_PATTERN.sub(" ", line))
    steps.append(Step("urls", no_urls, urls))
    normal = [clean_line(line) for line in raw]  # the reader's own cleaning, all rules at once
    changed = [f"{a!r} → {b!r}" for a, b in zip(no_urls, normal, strict=True) if " ".join(a.split()) != b]
    steps.append(Step("normalise", normal, changed))
    kept, dropped, seen = [], [], set()
    for line in normal:
        if not line:
            dropped.append("(empty line)")
        elif line in seen:
            dropped.append(line)
        else:
            seen.add(line)
            kept.append(line)
    steps.append(Step("dedupe", kept, dropped))
    return steps


def tokenize(lines: Sequence[str], lang: str = "auto") -> tuple[str, list[list[str]]]:
    """(resolved language, tokens of each line) with the trainer's tokenizer (jieba for Chinese)."""
    from explorer.text.tokenizer import make_tokenizer, resolve_lang

    resolved = resolve_lang(lang, lines)
    tok = make_tokenizer(resolved)
    return resolved, [tok(line) for line in lines]


def without_stopwords(tokens: Sequence[Sequence[str]]) -> tuple[list[list[str]], list[str]]:
    """(tokens without the built-in stopwords, the stopwords removed in order)."""
    kept, removed = [], []
    for line in tokens:
        kept.append([t for t in line if t not in STOPWORDS])
        removed += [t for t in line if t in STOPWORDS]
    return kept, removed


def vocabulary(tokens: Sequence[Sequence[str]], min_count: int) -> list[tuple[str, int, bool]]:
    """(token, count, kept) for every distinct token, most frequent first; kept = count >= min_count."""
    counts = Counter(t for line in tokens for t in line)
    return [(t, c, c >= min_count) for t, c in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


@dataclass(frozen=True)
class Pair:
    """One (centre, context) training pair of a sentence: positions, words, distance, the centre's window."""

    i: int
    j: int
    centre: str
    context: str
    distance: int
    window: int


def reduced_windows(n: int, window: int, seed: int) -> np.ndarray:
    """word2vec's random window shrink: each centre's window drawn uniformly from 1..window (int (n,))."""
    return np.random.default_rng(seed).integers(1, window + 1, size=n)


def sentence_pairs(words: Sequence[str], window: int, windows: Optional[Sequence[int]] = None) -> list[Pair]:
    """All Skip-gram pairs of one sentence, centre by centre (as :func:`explorer.text.pairs.skipgram_pairs`).

    ``windows``: each position's reduced window (default: the full ``window`` everywhere).
    """
    n = len(words)
    if window < 1:
        raise ValueError(f"window must be >= 1, got {window}")
    b = [window] * n if windows is None else [int(w) for w in windows]
    out = []
    for i in range(n):
        for j in range(max(0, i - b[i]), min(n, i + b[i] + 1)):
            if j != i:
                out.append(Pair(i, j, words[i], words[j], abs(i - j), b[i]))
    return out


def keep_probabilities(words: Sequence[str], vocab_counts: dict[str, int], sample: float) -> list[float]:
    """word2vec's subsampling keep-probability of each word (1.0 for words the vocabulary lacks)."""
    from explorer.text.vocab import keep_probabilities as keep

    tokens = list(vocab_counts)
    probs = keep(np.array([vocab_counts[t] for t in tokens], dtype=np.int64), sample)
    index = {t: i for i, t in enumerate(tokens)}
    return [float(probs[index[w]]) if w in index else 1.0 for w in words]


def negative_table(tokens: Sequence[str], counts: np.ndarray, power: float = 0.75,
                   top: int = 20) -> list[tuple[str, float, float]]:
    """(token, unigram share, unigram^power share) of the ``top`` most frequent words."""
    from explorer.text.vocab import negative_distribution

    counts = np.asarray(counts, dtype=np.int64)
    uni = counts / counts.sum()
    neg = negative_distribution(counts, power)
    order = np.argsort(-counts, kind="stable")[:top]
    return [(tokens[i], float(uni[i]), float(neg[i])) for i in order]


def draw_negatives(counts: np.ndarray, k: int, seed: int, power: float = 0.75) -> np.ndarray:
    """``k`` negative rows drawn from unigram^power (int64 (k,)), seeded."""
    from explorer.text.vocab import negative_distribution

    probs = negative_distribution(np.asarray(counts, dtype=np.int64), power)
    return np.random.default_rng(seed).choice(len(probs), size=k, p=probs)


#: lines added to the student's own when they lack the things cleaning removes, so that every step shows
DEMO_LINES = (
    "<p>The <b>cat</b> chased the dog &amp; the dog ran. See https://example.com/cats</p>",
    "The cat chased the dog & the dog ran. See",
    "<div>小猫在花园里追小狗。</div> www.example.cn",
)


def raw_head(path: Path, n: int = 6, name: Optional[str] = None) -> list[str]:
    """The first ``n`` raw (uncleaned) non-blank lines of a text file, decoded as the corpus reader decodes it."""
    from contextlib import ExitStack

    from explorer.text.readers import open_stream

    out: list[str] = []
    with ExitStack() as stack:
        stream = open_stream(Path(path), name or Path(path).name, None, stack)
        for line in stream.lines:
            if line.strip():
                out.append(line.rstrip("\r\n"))
            if len(out) >= n:
                break
    return out
