"""Names for clusters of documents: each cluster's most distinctive terms, by class-based TF-IDF.

The documents of one cluster are treated as one class (Grootendorst 2022, BERTopic's c-TF-IDF): a
term's weight in cluster ``c`` is ``tf(t, c) · log(1 + A / f(t))``, where ``tf(t, c)`` is the share of the
cluster's documents that contain ``t``, ``f(t)`` the number of documents of all clusters that contain it,
and ``A`` the average number of documents per cluster. Counting documents rather than occurrences keeps a
term repeated many times in one document from naming the whole cluster. Texts are cut into words by the
corpus tokenizer (:mod:`explorer.text.tokenizer`: jieba for Chinese, the Unicode word regex for English,
the language detected from the texts), stopwords removed; numbers and single Latin letters are skipped.
Noise points (cluster id < 0) take part in ``f(t)`` but get no name.

    >>> texts = ["goal match team", "team goal win", "bake bread oven", "oven bread flour"]
    >>> names = cluster_terms(texts, [0, 0, 1, 1], top=2)
    >>> names[0], names[1]
    (['goal', 'team'], ['bread', 'oven'])
    >>> cluster_name(["goal", "team"])
    'goal · team'
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence

import numpy as np

TOP_TERMS = 3  # terms that name a cluster on a map (few words: labels must not pile up)
_SKIP = re.compile(r"^(?:\d+|[a-z])$")  # numbers and single Latin letters name nothing
_HAN_CHAR = re.compile(r"^[\u3400-\u9fff]$")


def tokenize_documents(texts: Sequence[str], lang: str = "auto") -> list[list[str]]:
    """The words of each text (stopwords removed), cut by the corpus tokenizer for ``lang`` (auto: detected)."""
    from explorer.text.clean import clean_line
    from explorer.text.tokenizer import make_tokenizer, resolve_lang

    cleaned = [clean_line(t) if t else "" for t in texts]
    lang = resolve_lang(lang, [t for t in cleaned[:2000] if t])
    tokenizer = make_tokenizer(lang, remove_stopwords=True)
    return [[w for w in tokenizer(t) if not _SKIP.match(w)] if t else [] for t in cleaned]


def class_tfidf(token_lists: Sequence[Sequence[str]], labels: Sequence[int] | np.ndarray,
                top: int = TOP_TERMS) -> dict[int, list[tuple[str, float]]]:
    """Each cluster's ``top`` terms with their c-TF-IDF weight, best first (ties: alphabetical).

    ``labels[i]`` is the cluster of ``token_lists[i]`` (negative: noise, no name). A term must occur in at
    least two of a cluster's documents when the cluster has three or more, so that one document's odd word
    does not name it -- unless no term does (short documents on one theme that share no word): then its best
    terms of one document name it rather than nothing.
    """
    labels = np.asarray(labels, dtype=np.int64)
    if len(labels) != len(token_lists):
        raise ValueError(f"{len(labels)} labels for {len(token_lists)} texts")
    per_cluster: dict[int, Counter] = {}
    sizes: Counter = Counter()
    doc_freq: Counter = Counter()
    for tokens, c in zip(token_lists, labels.tolist(), strict=True):
        words = set(tokens)
        doc_freq.update(words)
        if c < 0:
            continue
        sizes[c] += 1
        per_cluster.setdefault(c, Counter()).update(words)
    if not sizes:
        return {}
    average = len(labels) / len(sizes)
    out: dict[int, list[tuple[str, float]]] = {}
    for c in sorted(sizes):
        size, counts = sizes[c], per_cluster.get(c, Counter())
        least = 2 if size >= 3 else 1
        least = least if any(n >= least for n in counts.values()) else 1
        scored = [(w, (n / size) * math.log(1.0 + average / doc_freq[w])) for w, n in counts.items() if n >= least]
        scored.sort(key=lambda x: (-x[1], x[0]))
        # a single Chinese character (好, 烤) names less than a word: used only when words run out
        scored = [x for x in scored if not _HAN_CHAR.match(x[0])] + [x for x in scored if _HAN_CHAR.match(x[0])]
        out[c] = [(w, round(s, 6)) for w, s in scored[:top]]
    return out


def cluster_terms(texts: Sequence[str], labels: Sequence[int] | np.ndarray, top: int = TOP_TERMS,
                  lang: str = "auto") -> dict[int, list[str]]:
    """Each cluster's ``top`` most distinctive terms (see the module), best first."""
    weighted = class_tfidf(tokenize_documents(texts, lang), labels, top)
    return {c: [w for w, _ in terms] for c, terms in weighted.items()}


def cluster_name(terms: Sequence[str]) -> str:
    """A cluster's terms as one short label."""
    return " · ".join(terms)


def label_points(coords: np.ndarray, labels: Sequence[int] | np.ndarray) -> dict[int, np.ndarray]:
    """Where each cluster's name goes on a 2-D map: the median of its points (inside the cluster even when
    it is not round), per cluster id (noise left out)."""
    coords = np.asarray(coords, dtype=np.float64)
    labels = np.asarray(labels, dtype=np.int64)
    return {int(c): np.median(coords[labels == c, :2], axis=0) for c in np.unique(labels) if c >= 0}
