"""Normalising English word forms: Snowball stemming or lemmatisation, on the vocabulary.

Modes (``CorpusConfig.normalize``):

- ``none``: words stay as the tokenizer gives them.
- ``stem``: the Snowball English stemmer (PyStemmer, the Snowball project's C implementation):
  ``running -> run``, ``studies -> studi``, ``cats -> cat``. Stems need not be words.
- ``lemma``: simplemma's English lemmatiser (its dictionaries ship with the package, nothing is
  downloaded): ``mice -> mouse``, ``was -> be``, ``better -> good``, ``running -> run``.

Only tokens with a Latin letter and no Chinese character are changed, so a Chinese corpus keeps
its words and only the English inside it is normalised. Tokens that were lowercase stay lowercase
(simplemma capitalises some proper nouns).

Because a token's normal form does not depend on its context, the corpus is normalised on its
*vocabulary*: each distinct token is mapped once and the int32 token stream is re-indexed with one
numpy gather (:func:`normalize_corpus`), so the cost is O(V) Python calls plus O(N) numpy, not a
Python call per token. Queries go through the same function (:func:`query_token`), so searching
"running" in a stemmed run finds the vector of ``run``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import replace
from functools import lru_cache
from typing import Any

import numpy as np

from explorer.errors import ExplorerError
from explorer.text.encoded import EncodedCorpus
from explorer.text.tokenizer import HAN, english_tokens

MODES = ("none", "stem", "lemma")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")


def _check_mode(mode: str) -> None:
    if mode not in MODES:
        raise ExplorerError(f"normalize: expected one of {', '.join(MODES)}, got {mode!r}", code="param_choice",
                            name="normalize", value=mode, choices=", ".join(MODES))


@lru_cache(maxsize=1)
def _stemmer() -> Any:
    import Stemmer

    return Stemmer.Stemmer("english")


def _normalizable(token: str) -> bool:
    return bool(_LATIN.search(token)) and not HAN.search(token)


def normalize_words(words: Iterable[str], mode: str) -> list[str]:
    """The normal form of each word (``mode``: none, stem or lemma); non-Latin words unchanged.

    >>> normalize_words(["running", "mice", "猫"], "lemma")
    ['run', 'mouse', '猫']
    >>> normalize_words(["running", "studies", "猫"], "stem")
    ['run', 'studi', '猫']
    """
    _check_mode(mode)
    words = list(words)
    if mode == "none":
        return words
    which = [i for i, w in enumerate(words) if _normalizable(w)]
    out = list(words)
    if mode == "stem":
        stems = _stemmer().stemWords([words[i] for i in which])
        for i, s in zip(which, stems, strict=True):
            out[i] = s
    else:
        import simplemma

        for i in which:
            w = words[i]
            lemma = simplemma.lemmatize(w, lang="en")
            out[i] = lemma.lower() if w.islower() else lemma
    return [o if o else w for o, w in zip(out, words, strict=True)]


def normalize_pairs(tokens: Iterable[str], mode: str) -> list[tuple[str, str]]:
    """``(before, after)`` for each token, in order (the Data preview's and the lesson's word-by-word view)."""
    tokens = list(tokens)
    return list(zip(tokens, normalize_words(tokens, mode), strict=True))


def normalize_corpus(corpus: EncodedCorpus, mode: str) -> EncodedCorpus:
    """``corpus`` with every token replaced by its normal form (tokens that meet are merged).

    The new vocabulary keeps first-seen order; ids int32 (N,) are re-indexed in one gather and
    counts int64 (V',) recomputed; offsets are unchanged (normalising never removes a token).
    """
    _check_mode(mode)
    if mode == "none":
        return corpus
    forms = normalize_words(corpus.tokens, mode)
    index: dict[str, int] = {}
    remap = np.empty(len(forms), dtype=np.int32)
    for i, form in enumerate(forms):
        remap[i] = index.setdefault(form, len(index))
    counts = np.zeros(len(index), dtype=np.int64)
    np.add.at(counts, remap, np.asarray(corpus.counts, dtype=np.int64))
    ids = remap[corpus.ids]  # (N,) int32
    return replace(corpus, tokens=list(index), counts=counts, ids=ids)


def normalize_labels(labels: Mapping[str, str], mode: str) -> dict[str, str]:
    """A ``word -> label`` mapping with each word in its normal form (the first label wins when
    two words meet, e.g. ``cat`` and ``cats``)."""
    words = list(labels)
    out: dict[str, str] = {}
    for word, form in zip(words, normalize_words(words, mode), strict=True):
        out.setdefault(form, labels[word])
    return out


def query_token(text: str, corpus_config: Mapping[str, Any] | None) -> str:
    """The token a run trained with ``corpus_config`` (``config.json``'s ``corpus_config``) would
    have made of the query ``text``: the tokenizer's case rule, the run's normalisation, and the
    run's phrase joining (several words -> ``new_york``).

    >>> query_token("Running", {"lang": "en", "normalize": "stem"})
    'run'
    >>> query_token("New York", {"lang": "en", "phrases": 1})
    'new_york'
    """
    cfg = dict(corpus_config or {})
    text = text.strip()
    if cfg.get("lang") == "pretokenized":
        words = text.split()
    else:
        words = english_tokens(text) if not HAN.search(text) else [w.lower() for w in text.split()]
    if not words:
        return text
    mode = cfg.get("normalize") or "none"
    if mode in MODES:
        words = normalize_words(words, mode)
    return "_".join(words) if len(words) > 1 and cfg.get("phrases") else (words[0] if len(words) == 1 else text)
