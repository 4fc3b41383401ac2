"""The Doc2Vec kind: document vectors trained on the user's documents (PV-DBOW, optionally with word
training, or PV-DM), on the shared word2vec engine (runner :func:`explorer.training.doc2vec.train_doc2vec_run`).

Its rows are documents (``doc_vectors.npy`` + ``docs.tsv``, :mod:`explorer.documents.runfiles`); it keeps
the vocabulary and the output table so that a vector can be inferred for new text (``infer``, ``search``).

    >>> KIND.capabilities.documents, KIND.required_files[:3]
    (True, ('config.json', 'doc_vectors.npy', 'docs.tsv'))
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

import explorer.kinds.files as F
from explorer.configs import SEED_MAX, check, param
from explorer.kinds.base import (
    JOB_OVERHEAD_S,
    Capabilities,
    DataInput,
    TrainingKind,
    TrainingSpec,
    data_field,
    load_runner,
)
from explorer.kinds.files import DOC_VECTORS, DOCS_HEADER, DOCS_TSV

WORDS_PER_S = 300_000.0  # PV-DBOW (document, word) pairs per second on one busy core, 5 negatives
BYTES_PER_WORD = 6.0


@dataclass
class Doc2VecData:
    """The documents file (absolute path), its columns and the user's name for it."""

    documents: str = data_field(help="documents: .txt (one per line or blank-line separated), .csv/.tsv/.jsonl "
                                     "(see --text-column) or .zip of .txt files (one document per file)", file=True)
    text_column: Optional[str] = data_field(None, "the column holding the text (.csv/.tsv/.jsonl) (default: "
                                            "guessed from the header, else the longest cells)")
    id_column: Optional[str] = data_field(None, "the column of document ids (default: a column named id, else "
                                          "the row number; \"\" for none)")
    title_column: Optional[str] = data_field(None, "the column of titles (default: a column named title, else none)")
    label_column: Optional[str] = data_field(None, "the column of labels (default: a column named label/category/"
                                             "class, else none)")
    documents_name: Optional[str] = None  # the user's file name of an upload stored under its hash


@dataclass
class Doc2VecConfig:
    """Doc2Vec hyperparameters (gensim's names and defaults where they exist)."""

    dim: int = param(100, "vector size", min=1, max=1000)
    arch: str = param("dbow", "dbow: each document's vector predicts its words (PV-DBOW); dm: the mean of the "
                      "document's vector and the context words' vectors predicts each word (PV-DM)",
                      choices=("dbow", "dm"))
    dbow_words: bool = param(False, "dbow: also train word vectors (Skip-gram) in every epoch, sharing the output "
                             "layer (slower; word vectors come out too)")
    window: int = param(5, "dm and dbow_words: max distance of a context word (sampled 1..window)", min=1, max=100)
    negatives: int = param(5, "negative samples per predicted word", min=1, max=100)
    epochs: int = param(40, "passes over the documents (gensim's tutorial uses 40: fewer leave inferred vectors far from the trained ones)", min=1, max=1000)
    min_count: int = param(2, "drop words seen fewer times", min=1, max=1_000_000_000)
    max_vocab: Optional[int] = param(None, "keep only the most frequent words (default: no cap)", min=2,
                                     max=10_000_000)
    sample: float = param(1e-3, "frequent-word subsampling threshold (0 disables)", min=0.0, max=0.1)
    lr: float = param(0.025, "starting learning rate, decays linearly to lr * 1e-4", min=0.0, max=10.0,
                      min_exclusive=True)
    lang: str = param("auto", "tokenizer language: auto, en, zh or pretokenized (split on spaces)",
                      choices=("auto", "en", "zh", "pretokenized"))
    workers: int = param(0, "CPU threads (0: all cores)", min=0, max=256)
    seed: int = param(0, "seeds every random choice", min=0, max=SEED_MAX)
    frames: int = param(0, "frames kept to watch the documents move (0: none)", min=0, max=200)

    def validate(self) -> Doc2VecConfig:
        check(self)
        return self


Doc2VecSpec = TrainingSpec[Doc2VecData, Doc2VecConfig]


#: word updates each document's vector should get in training (epochs x its words): the bundled sample's documents
#: (~80 words) get ~3,200 at the usual 40 epochs; short reviews of ~8 words got 320, and every document vector pointed
#: the same way (mean cosine 0.997: search found everything equally near); at 250 epochs 0.39
DOCUMENT_WORD_UPDATES = 2_000
MAX_SUGGESTED_EPOCHS = 300


def suggested_epochs(words_per_document: float) -> int:
    """Epochs for documents of ``words_per_document`` words on average: the usual 40, more for short documents.

    >>> suggested_epochs(80), suggested_epochs(8), suggested_epochs(1)
    (40, 250, 300)
    """
    default = Doc2VecConfig().epochs
    if words_per_document <= 0:
        return default
    return int(min(MAX_SUGGESTED_EPOCHS, max(default, math.ceil(DOCUMENT_WORD_UPDATES / words_per_document))))


class Doc2VecKind(TrainingKind):
    def counted_preset(self, counted: Mapping[str, Any]) -> dict[str, Any]:
        """More epochs for short documents (:func:`suggested_epochs`), from the words the Data page counted
        (``vocab_tokens``) over its documents (``documents_n``)."""
        tokens, n = counted.get("vocab_tokens"), counted.get("documents_n")
        if not all(isinstance(v, int) and not isinstance(v, bool) and v > 0 for v in (tokens, n)):
            return {}
        epochs = suggested_epochs(tokens / n)
        return {"epochs": epochs} if epochs != Doc2VecConfig().epochs else {}

    def estimate_seconds(self, spec: TrainingSpec, data_stats: Mapping[str, int]) -> float:
        words = data_stats.get("documents", 0) / BYTES_PER_WORD
        passes = 2 if spec.config.dbow_words else 1
        factor = spec.config.window if spec.config.arch == "dm" or spec.config.dbow_words else 1
        return JOB_OVERHEAD_S + words * spec.config.epochs * passes * factor / WORDS_PER_S

    def family(self, settings: Any) -> tuple[str, ...]:
        """PV-DBOW and PV-DM train different objectives (their losses differ in scale)."""
        if settings is None:
            return (self.name,)
        return (self.name, settings.arch)

    def family_label_keys(self, settings: Any) -> tuple[str, ...]:
        if settings is None:
            return (self.label_key,)
        return (self.label_key, f"common.arch_{settings.arch}")

    def key_numbers(self, metrics: Mapping[str, Any]) -> dict[str, float]:
        out = super().key_numbers(metrics)
        if isinstance(metrics.get("words_per_s"), (int, float)):
            out["words/s"] = float(metrics["words_per_s"])
        return out

    def run_note(self, run_dir: Path) -> str:
        """What was read: documents, layout or columns, empty and duplicate rows."""
        from explorer.documents.runfiles import documents_note

        return documents_note(run_dir)

    def query_vector(self, run_dir: Path, text: str) -> Any:
        """The inferred vector of ``text`` (frozen output layer, seeded)."""
        return load_runner("explorer.training.doc2vec:infer")(run_dir, text)

    def sample_data(self) -> dict[str, Any]:
        from explorer.samples.documents import sample_documents_file

        path = sample_documents_file()
        return {"path": str(path), "name": path.name, "sample": True}


DOC_VECTORS_FILE = F.RunFile(DOC_VECTORS, "npy", ("docs", "d"), "float32", finite=True,
                             about="row i is document i of the input")
DOCS_FILE = F.RunFile(DOCS_TSV, "tsv", ("docs",), header=DOCS_HEADER, columns=4, quoted=False,
                      about="id, title, label, first 200 characters of each document, same order")

KIND = Doc2VecKind(
    name="doc2vec", help="Doc2Vec (PV-DBOW / PV-DM) document vectors trained on your documents",
    data_cls=Doc2VecData, config_cls=Doc2VecConfig, runner="explorer.training.doc2vec:train_doc2vec_run",
    run_files=(F.CONFIG_FILE, DOC_VECTORS_FILE, DOCS_FILE,
               F.RunFile(F.VOCAB, "tsv", ("w",), header=("token", "count"), columns=2, whole_column=1,
                         about="the words the model knows (inference reads them)"),
               F.RunFile(F.CONTEXT_VECTORS, "npy", ("w", "d"), "float32", finite=True,
                         about="the output layer (inference keeps it frozen)"),
               F.METRICS_FILE,
               F.RunFile(F.VECTORS, "npy", ("w", "d"), "float32", finite=True, required=False,
                         about="word vectors, when trained (dbow_words or dm)"),
               *F.frames_files("docs")),
    capabilities=Capabilities(documents=True, frames=True, labels=True), rate_unit="words",
    example="--documents sample/sample_documents.csv",
    data_input=DataInput("documents", ("txt", "csv", "tsv", "jsonl", "zip"),
                         page="pages._data_documents:documents_data_ui", shared="documents"))
