"""The GloVe kind's runner: corpus file -> run directory.

Files written (see :mod:`explorer.runs`): config.json, metrics.json, vectors.npy (``W + W̃`` or ``W``),
vocab.tsv, labels.tsv when ``spec.data.labels`` is given, context_vectors.npy (``W̃``), glove_biases.npy
(``b``, ``b̃``), cooccurrences_top.npy (``X`` among the most frequent words), and with ``config.frames``
frames.npy + frames.json. Nothing is written when training fails or is stopped.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from explorer.configs import CorpusConfig
from explorer.errors import ExplorerError
from explorer.kinds.glove import GloveSpec
from explorer.progress import ProgressCallback


def train_glove_run(spec: GloveSpec, out_dir: Path, callback: ProgressCallback) -> Path:
    """Read the corpus in ``spec``, count, train, write the run directory ``out_dir``."""
    from explorer.resources import check_model_memory, disk_space
    from explorer.runs import atomic_run_dir, check_out_dir, write_json
    from explorer.text.corpus import load_corpus
    from explorer.text.readers import read_labels, read_user_words
    from explorer.text.vocab import build_vocab, encode
    from explorer.training.glove.trainer import model_bytes, train_glove
    from explorer.training.word_run import save_word_run

    out_dir = check_out_dir(Path(out_dir))
    data, config = spec.data, spec.config
    corpus_config = spec.corpus_config or CorpusConfig()
    if not data.corpus:
        raise ExplorerError("corpus: no corpus file given", code="corpus_missing")
    user_words = read_user_words(Path(data.user_words)) if data.user_words else []
    labels = read_labels(Path(data.labels)) if data.labels else None
    corpus = load_corpus(Path(data.corpus), corpus_config, user_words=user_words, callback=callback,
                         name=data.corpus_name or None)
    vocab, remap = build_vocab(corpus, config.min_count, config.max_vocab)  # refuses < 2 words, naming the file
    ids, offsets = encode(corpus, remap)
    n_vocab = len(vocab.tokens)
    need = model_bytes(n_vocab, config.dim)
    check_model_memory(need, f"{corpus.source}: vocabulary {n_vocab:,} words x dim {config.dim}",
                       "lower --dim, raise --min-count or set --max-vocab")
    result = train_glove(ids, offsets, n_vocab, config, callback, source=corpus.source)

    with disk_space(out_dir.parent, need // 2 + 64 * n_vocab + (1 << 20)), atomic_run_dir(out_dir) as tmp:
        save_word_run(tmp, spec, config, corpus_config, corpus, vocab, result.vectors, labels)
        write_json(tmp / "metrics.json", {
            "loss_per_epoch": result.loss_per_epoch,
            "loss_history": [list(p) for p in result.loss_history],
            "cells_per_s": result.cells_per_s,
            "seconds": result.seconds,
            "count_seconds": result.count_seconds,
            "compile_seconds": result.compile_seconds,
            "n_tokens": int(ids.size),
            "vocab_size": n_vocab,
            "nnz": result.nnz,
            "records": result.records,
            "workers": result.workers,
            "epochs": config.epochs,
        })
        from explorer.kinds.glove import BIASES, TOP_COOCCURRENCES
        from explorer.runs.frames import CONTEXT_FILE

        np.save(tmp / CONTEXT_FILE, result.context_vectors)  # with the biases and the top cells: the lesson's cell
        np.save(tmp / BIASES, np.stack([result.biases, result.context_biases], axis=1).astype(np.float32))
        if result.top_cells is not None:
            np.save(tmp / TOP_COOCCURRENCES, result.top_cells)
        if result.frames is not None:
            from explorer.training.frames import save_frames

            save_frames(tmp, result.frames)
    return out_dir
