"""What the Data page and the lesson show of the text pipeline: pure functions on a few lines.

Every function here looks at a bounded number of lines (:data:`PREVIEW_LINES`), so a preview costs
milliseconds whatever the corpus size; the segmenters are cached per process
(:func:`explorer.text.tokenizer.segmenter_cut`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from explorer.configs import CorpusConfig
from explorer.text.normalize import normalize_pairs
from explorer.text.phrases import Phrase, detect_phrases
from explorer.text.tokenizer import HAN, SEGMENTERS, make_tokenizer

PREVIEW_LINES = 5  # lines segmented by each segmenter in a preview
MAX_PHRASES = 100  # phrases listed


def chinese_lines(lines: Sequence[str], n: int = PREVIEW_LINES) -> list[str]:
    """The first ``n`` lines of ``lines`` holding a Chinese character."""
    out = []
    for line in lines:
        if HAN.search(line):
            out.append(line)
            if len(out) >= n:
                break
    return out


def segmentations(lines: Sequence[str], user_words: Sequence[str] = (), segmenters: Sequence[str] = SEGMENTERS,
                  n: int = PREVIEW_LINES) -> dict[str, list[list[str]]]:
    """``{segmenter: tokens of each line}`` for the first ``n`` Chinese lines, side by side.

    >>> segmentations(["我爱北京天安门"], segmenters=["jieba"])
    {'jieba': [['我', '爱', '北京', '天安门']]}
    """
    shown = chinese_lines(lines, n)
    return {seg: [make_tokenizer("zh", user_words, segmenter=seg)(line) for line in shown] for seg in segmenters}


def normalization_rows(token_lines: Sequence[Sequence[str]], mode: str, changed_only: bool = False
                       ) -> list[tuple[str, str]]:
    """``(before, after)`` for the tokens of the given lines, in order, each word once."""
    seen: set[str] = set()
    words = []
    for tokens in token_lines:
        for tok in tokens:
            if tok not in seen:
                seen.add(tok)
                words.append(tok)
    pairs = normalize_pairs(words, mode)
    return [p for p in pairs if p[0] != p[1]] if changed_only else pairs


def phrase_rows(phrases: Sequence[Phrase], n: int = MAX_PHRASES) -> list[dict]:
    """The best ``n`` phrases as table rows: phrase, score, count, pass."""
    return [{"phrase": p.token, "score": round(p.score, 1), "count": p.count, "pass": p.pass_} for p in phrases[:n]]


def corpus_phrases(path: Path, cfg: CorpusConfig, name: str | None = None, n: int = MAX_PHRASES
                   ) -> tuple[int, list[dict]]:
    """``(number of phrases, the best n as rows)`` that ``cfg``'s phrase settings find in the corpus
    at ``path`` (tokenized once and cached: :func:`explorer.text.corpus.load_corpus`)."""
    from explorer.text.corpus import load_corpus

    corpus = load_corpus(Path(path), replace(cfg, phrases=0), name=name)
    _, found = detect_phrases(corpus, cfg.phrases, cfg.phrase_min_count, cfg.phrase_threshold)
    return len(found), phrase_rows(found, n)
