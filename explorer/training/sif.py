"""The SIF kind's runner: document vectors from a word run (Arora, Liang & Ma 2017), no training.

Each document's vector is the average of its known words' vectors weighted by ``a / (a + p(w))``, less
its projection on the documents' first principal component (:class:`explorer.documents.sif.SifModel`).
The run keeps the word vectors, weights and component it used, so that a search query is encoded the same
way even after the word run is deleted. Progress comes every ``CHUNK`` documents; a cancel stops between
chunks and leaves nothing behind.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import numpy as np

from explorer.errors import ExplorerError, TrainingStopped
from explorer.progress import Progress, ProgressCallback

CHUNK = 2000  # documents averaged between two progress reports


def sif_run(spec: Any, out_dir: Path, callback: ProgressCallback) -> Path:
    """Read the documents, average the word run's vectors, remove the component, write ``out_dir``.

    Files: config.json, metrics.json, doc_vectors.npy, docs.tsv and the model's ``sif_*`` files.
    """
    from explorer.configs import to_dict
    from explorer.documents import documents_metrics, documents_record, read_data_documents, write_documents
    from explorer.documents.sif import SifModel
    from explorer.runs import atomic_run_dir, check_out_dir, write_config, write_json

    out_dir = check_out_dir(Path(out_dir))
    data, config = spec.data, spec.config
    if not config.word_run:
        raise ExplorerError("word run: none chosen", code="sif_no_word_run")
    begun = time.perf_counter()
    model = SifModel.from_word_run(Path(config.word_run), a=config.a, lang=config.lang)
    path, docs = read_data_documents(data)
    callback(Progress(stage="read", progress=0.0, message=docs.summary()))
    parts = []
    n = len(docs.texts)
    for start in range(0, n, CHUNK):
        parts.append(model.averages(docs.texts[start:start + CHUNK]))
        done = min(start + CHUNK, n)
        if callback(Progress(stage="train", progress=done / max(n, 1), epoch=1, epochs=1,
                             message=f"{done}/{n} documents")):
            raise TrainingStopped()
    averages = np.concatenate(parts) if parts else np.zeros((0, model.vectors.shape[1]), dtype=np.float32)
    if config.remove_component:
        model.fit_component(averages)
    vectors = model.remove_component(averages)
    known = int(np.count_nonzero(np.any(averages != 0, axis=1)))
    seconds = time.perf_counter() - begun
    with atomic_run_dir(out_dir) as tmp:
        write_documents(tmp, docs, vectors)
        model.save(tmp)
        write_config(tmp, spec.kind, config=to_dict(config), name=spec.name, data=documents_record(path, docs))
        write_json(tmp / "metrics.json", {
            "seconds": seconds, "documents_per_s": n / seconds if seconds > 0 else None, **documents_metrics(docs),
            "documents_without_known_words": n - known, "vocab_size": len(model.tokens), "dim": int(vectors.shape[1]),
            "device": "cpu", "backend": "numpy"})
    return out_dir


def sample_word_run() -> Path:
    """The SIF sample's word run: Skip-gram on the bundled corpus (dim 50, 5 epochs, seed 0), trained once
    under ``EXPLORER_HOME/samples/sif_words`` (under a lock: several servers may share a home)."""
    from explorer.samples.files import locked, sample_files, samples_dir
    from explorer.training import run_training

    base = samples_dir()
    out = base / "sif_words"
    with locked(base / ".sif_words.lock"):
        if not (out / "config.json").is_file():
            corpus = sample_files().corpus
            run_training({"kind": "skipgram", "name": "sample word vectors", "data": {"corpus": str(corpus)},
                          "config": {"dim": 50, "epochs": 5, "seed": 0, "workers": 1}}, out)
    return out
