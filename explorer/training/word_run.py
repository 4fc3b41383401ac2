"""What every run of word vectors trained on a corpus writes (Skip-gram/CBOW and GloVe): vectors and vocabulary,
the labels of the words it kept, and ``config.json`` with the corpus it read."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, Optional

import numpy as np

from explorer.configs import CorpusConfig, to_dict


def save_word_run(tmp: Path, spec: Any, config: Any, corpus_config: CorpusConfig, corpus: Any, vocab: Any,
                  vectors: np.ndarray, labels: Optional[Mapping[str, str]]) -> None:
    """Write ``vectors`` (float32 (V, d)) with ``vocab``'s tokens and counts, ``labels`` of the kept words (normalised
    like the corpus: "cats" labels the stem "cat") and ``config.json`` into the run being written ``tmp``."""
    from explorer.runs import save_labels, save_vectors, write_config
    from explorer.text.normalize import normalize_labels

    save_vectors(tmp, vectors, vocab.tokens, vocab.counts)
    if labels is not None:
        in_vocab = set(vocab.tokens)
        labels = normalize_labels(labels, corpus_config.normalize)
        save_labels(tmp, {t: lab for t, lab in labels.items() if t in in_vocab})
    write_config(
        tmp, spec.kind,
        config={**to_dict(config), "corpus_config": to_dict(corpus_config)},
        data={
            "source": corpus.source,
            "sha256": corpus.sha256,
            "encoding": corpus.encoding,
            "lang": corpus.lang,
            "n_lines": int(corpus.n_lines),
            "n_tokens": int(corpus.n_tokens),
            "vocab_size": len(vocab.tokens),
            "n_undecodable_lines": int(corpus.n_undecodable),
        },
        name=spec.name,
    )
