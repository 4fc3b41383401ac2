"""A generated sample of documents with planted topics (no download): a CSV with id, title, label and text.

Each document draws most of its words from its topic's own words and some from words shared by every
topic, plus a few words of its own (so that each document is recognisable, as real ones are): the
topics are what a document model should separate, and the labels say which is which.

    >>> texts, labels = planted_documents(n_topics=3, docs_per_topic=2, seed=1)
    >>> len(texts), sorted(set(labels))
    (6, ['topic0', 'topic1', 'topic2'])
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from explorer.samples.files import bundled_file, write_document_rows

SYLLABLES = ("ka", "lo", "mi", "ne", "pu", "ra", "si", "to", "vu", "ze", "bo", "da", "fe", "gi", "ho", "ju")


def _word(rng: np.random.Generator, used: set[str]) -> str:
    while True:
        w = "".join(rng.choice(SYLLABLES, size=int(rng.integers(2, 4))))
        if w not in used:
            used.add(w)
            return w


def planted_documents(n_topics: int = 4, docs_per_topic: int = 50, words_per_topic: int = 40, shared_words: int = 60,
                      doc_len: int = 80, own_words: int = 3, topic_share: float = 0.6,
                      seed: int = 0) -> tuple[list[str], list[str]]:
    """(texts, labels) of ``n_topics * docs_per_topic`` documents, topics interleaved in order."""
    rng = np.random.default_rng(seed)
    used: set[str] = set()
    topics = [[_word(rng, used) for _ in range(words_per_topic)] for _ in range(n_topics)]
    shared = [_word(rng, used) for _ in range(shared_words)]
    texts, labels = [], []
    for _ in range(docs_per_topic):
        for k in range(n_topics):
            own = [_word(rng, used) for _ in range(own_words)]
            words = []
            for _ in range(doc_len):
                r = rng.random()
                if r < topic_share:
                    words.append(topics[k][int(rng.integers(words_per_topic))])
                elif r < topic_share + 0.1:
                    words.append(own[int(rng.integers(own_words))])
                else:
                    words.append(shared[int(rng.integers(shared_words))])
            texts.append(" ".join(words))
            labels.append(f"topic{k}")
    return texts, labels


def write_sample_documents(directory: Path, seed: int = 0) -> Path:
    """Write ``sample_documents.csv`` (id, title, label, text) into ``directory``; returns its path."""
    texts, labels = planted_documents(seed=seed)
    rows = ((f"d{i}", " ".join(text.split()[:3]), label, text)
            for i, (text, label) in enumerate(zip(texts, labels, strict=True), 1))
    return write_document_rows(directory, "sample_documents.csv", rows)


def sample_documents_file() -> Path:
    """The bundled documents sample under ``EXPLORER_HOME/samples/data`` (written once)."""
    return bundled_file("sample_documents.csv", write_sample_documents)
