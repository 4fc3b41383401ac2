"""The SIF kind: document vectors from an existing word run (Skip-gram, CBOW, GloVe or imported vectors),
the classic baseline of Arora, Liang & Ma (2017), in a few seconds and with no training
(runner :func:`explorer.training.sif.sif_run`).

Its rows are documents (``doc_vectors.npy`` + ``docs.tsv``, as Doc2Vec's); the run keeps the word vectors,
weights and principal component it used (``sif_*`` files) so that search encodes a query the same way.
The word run is a path on the command line (``--word-run``) and a picker of the visible word runs on the
Train page (:attr:`TrainingKind.form_page`), never typed text.

    >>> KIND.capabilities.documents, KIND.required_files[:3]
    (True, ('config.json', 'doc_vectors.npy', 'docs.tsv'))
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import explorer.kinds.files as F
from explorer.configs import check, param
from explorer.kinds.base import JOB_OVERHEAD_S, Capabilities, DataInput, TrainingSpec, load_runner
from explorer.kinds.doc2vec import DOC_VECTORS_FILE, DOCS_FILE, Doc2VecData
from explorer.kinds.encoder import EncoderKind
from explorer.kinds.files import SIF_COMPONENT, SIF_VECTORS, SIF_WORDS

DOCUMENTS_PER_S = 5_000.0  # documents averaged per second on one busy core (tokenizing most of it)
BYTES_PER_DOCUMENT = 150.0
DEFAULT_A = 1e-3  # Arora et al.'s choice

SifData = Doc2VecData  # the same documents file and columns as Doc2Vec


@dataclass
class SifConfig:
    """The word run whose vectors are averaged, and SIF's smoothing."""

    word_run: str = param("", "the run of word vectors (Skip-gram, CBOW, GloVe or imported) whose vectors are "
                          "averaged: its folder", ui=False)
    a: float = param(DEFAULT_A, "smoothing a of the weights a / (a + p(w)): smaller gives frequent words less weight",
                     min=0.0, max=1.0, min_exclusive=True)
    remove_component: bool = param(True, "remove the documents' first principal component (what all share)")
    lang: str = param("auto", "tokenizer language: auto, en, zh or pretokenized (split on spaces)",
                      choices=("auto", "en", "zh", "pretokenized"))

    def validate(self) -> SifConfig:
        check(self)
        if self.word_run:
            self.word_run = os.path.abspath(self.word_run)  # the worker may run elsewhere than the command
        return self


SifSpec = TrainingSpec[SifData, SifConfig]


class SifKind(EncoderKind):
    """As the encoder kind (key numbers, the bundled sentences), with its own estimate, query and word run."""

    def estimate_seconds(self, spec: TrainingSpec, data_stats: Mapping[str, int]) -> float:
        return JOB_OVERHEAD_S + data_stats.get("documents", 0) / BYTES_PER_DOCUMENT / DOCUMENTS_PER_S

    def query_vector(self, run_dir: Path, text: str) -> Any:
        """``text`` averaged like the documents, with their component removed."""
        import json

        cfg = json.loads((Path(run_dir) / "config.json").read_text(encoding="utf-8"))
        lang = str((cfg.get("config") or {}).get("lang", "auto"))
        return load_runner("explorer.documents.sif:query_vector")(run_dir, text, lang)

    def sample_data(self) -> dict[str, Any]:
        """The bundled sentences, and a small Skip-gram run of the bundled corpus as their word run (trained
        once, in about a second, under ``EXPLORER_HOME/samples``)."""
        return super().sample_data() | {"word_run": str(load_runner("explorer.training.sif:sample_word_run")())}


KIND = SifKind(
    name="sif", help="SIF document vectors: a word run's vectors averaged with frequency weights (no training)",
    data_cls=SifData, config_cls=SifConfig, runner="explorer.training.sif:sif_run",
    run_files=(F.CONFIG_FILE, DOC_VECTORS_FILE, DOCS_FILE, F.METRICS_FILE,
               F.RunFile(SIF_WORDS, "tsv", ("w",), header=("token", "weight"), columns=2, quoted=False,
                         about="the word run's words and their SIF weights a / (a + p(w))"),
               F.RunFile(SIF_VECTORS, "npy", ("w", "d"), "float32", finite=True,
                         about="the word run's vectors (search averages a query's words with them)"),
               F.RunFile(SIF_COMPONENT, "npy", ("d",), "float32", finite=True,
                         about="the documents' first principal component, removed from every vector")),
    capabilities=Capabilities(documents=True, labels=True), rate_unit="documents",
    example="--documents sample/sample_sentences.csv --word-run runs/skipgram",
    form_page="pages._sif_ui:word_run_ui",
    data_input=DataInput("documents", ("txt", "csv", "tsv", "jsonl", "zip")))
