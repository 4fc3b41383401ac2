"""The Skip-gram kind (word2vec Skip-gram and CBOW, chosen by ``arch``): word vectors from a text corpus.

Everything the program asks about it lives here: the files it reads (:class:`SkipGramData`), its
hyperparameters (:class:`SkipGramConfig`), its runner (:func:`explorer.training.skipgram.train_skipgram_run`),
the files its runs hold, its duration estimate and its model size.

    >>> KIND.required_files
    ('config.json', 'vectors.npy', 'vocab.tsv')
    >>> model_bytes(n_vocab=1000, dim=100, epochs=5, snapshots=False) == 1000 * 100 * 4 * 2
    True
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Optional

import explorer.kinds.files as F
from explorer.configs import DEVICES, SEED_MAX, check, param
from explorer.errors import ExplorerError
from explorer.kinds.base import JOB_OVERHEAD_S, Capabilities, DataInput, TrainingKind, TrainingSpec, data_field

WORDS_PER_S = 250_000.0  # conservative Skip-gram throughput on one busy core (bench/results_sgns.md)
BYTES_PER_WORD = 6.0  # ~6 bytes per word of text, the space included


@dataclass
class SkipGramData:
    """The files a Skip-gram run reads (absolute paths) and the user's name for the corpus."""

    corpus: str = data_field(help="text file: .txt, .csv/.tsv (see --text-column) or .zip of .txt files", file=True)
    labels: Optional[str] = data_field(None, "TSV/CSV file of word,label rows: ground-truth categories "
                                       "(default: none)", file=True)
    user_words: Optional[str] = data_field(None, "file of extra words for the Chinese tokenizer, one per line "
                                           "(default: none)", file=True)
    corpus_name: Optional[str] = None  # the user's file name of an upload stored under its hash


@dataclass
class SkipGramConfig:
    """Skip-gram hyperparameters (word2vec names and defaults)."""

    dim: int = param(100, "vector size", min=1, max=1000)
    window: int = param(5, "max distance between centre and context word (sampled 1..window per word)",
                        min=1, max=100)
    negatives: int = param(5, "negative samples per positive pair", min=0, max=100)
    epochs: int = param(5, "passes over the corpus", min=1, max=1000)
    min_count: int = param(5, "drop words seen fewer times", min=1, max=1_000_000_000)
    max_vocab: Optional[int] = param(None, "keep only the most frequent words (default: no cap)",
                                     min=2, max=10_000_000)
    sample: float = param(1e-3, "frequent-word subsampling threshold (0 disables)", min=0.0, max=0.1)
    lr: float = param(0.025, "starting learning rate, decays linearly to lr * 1e-4", min=0.0, max=10.0,
                      min_exclusive=True)
    workers: int = param(0, "CPU threads (0: all cores)", min=0, max=256)
    seed: int = param(0, "seeds every random choice", min=0, max=SEED_MAX)
    loss: str = param("negative-sampling", "negative-sampling, or softmax (full softmax, vocabulary <= 5000)",
                      choices=("negative-sampling", "softmax"))
    snapshots: bool = param(False, "keep a copy of all the vectors after each epoch (snapshots.npy)")
    frames: int = param(0, "frames kept to watch the model learn (0: none; 30 shows motion; big models keep fewer)",
                        min=0, max=200)
    device: str = param("auto", "auto uses CUDA when torch sees a GPU", choices=DEVICES)
    arch: str = param("skipgram", "skipgram: predict each context word from the centre word; cbow: predict the "
                      "centre word from the mean of its context words (faster)", choices=("skipgram", "cbow"))

    def validate(self) -> SkipGramConfig:
        check(self)
        if self.loss == "negative-sampling" and self.negatives < 1:
            raise ExplorerError("negatives must be >= 1 for the negative-sampling loss", code="param_min",
                                name="negatives", min=1, value=self.negatives)
        if self.arch == "cbow" and self.loss != "negative-sampling":
            raise ExplorerError("arch cbow trains with the negative-sampling loss only", code="cbow_loss",
                                loss=self.loss)
        if self.arch == "cbow" and self.device == "cuda":
            raise ExplorerError("arch cbow trains on the CPU (the compiled trainer); use device cpu or auto",
                                code="cbow_device")
        return self


def model_bytes(n_vocab: int, dim: int, epochs: int, snapshots: bool) -> int:
    """Bytes of a Skip-gram model: two float32 (V, dim) tables, plus (epochs, V, dim) float32
    snapshots and their float16 copy when ``snapshots``."""
    table = int(n_vocab) * int(dim) * 4
    return 2 * table + (int(epochs) * table * 3 // 2 if snapshots else 0)


SkipGramSpec = TrainingSpec[SkipGramData, SkipGramConfig]

#: below this many tokens the default epochs are too few: every word still points the same way afterwards
SMALL_CORPUS_TOKENS = 50_000
#: word passes a small corpus gets (a 26,000-word novel: 31 epochs; measured: mean cosine of random word
#: pairs 0.997 after 5 epochs, 0.84 after 15, 0.45 after 30, 0.34 after 40, where the 78,000-token sample
#: reaches 0.39 after the default 5)
SMALL_CORPUS_PASSES = 800_000
MAX_SUGGESTED_EPOCHS = 50


def suggested_epochs(n_tokens: int) -> int:
    """Epochs for a corpus of ``n_tokens`` tokens: the default for a usual corpus, more for a small one.

    >>> suggested_epochs(1_000_000), suggested_epochs(26_000), suggested_epochs(500)
    (5, 31, 50)
    """
    default = SkipGramConfig().epochs
    if n_tokens >= SMALL_CORPUS_TOKENS:
        return default
    return int(min(MAX_SUGGESTED_EPOCHS, max(default, math.ceil(SMALL_CORPUS_PASSES / max(n_tokens, 1)))))


class SkipGramKind(TrainingKind):
    def estimate_seconds(self, spec: TrainingSpec, data_stats: Mapping[str, int]) -> float:
        words = data_stats.get("corpus", 0) / BYTES_PER_WORD
        return JOB_OVERHEAD_S + words * spec.config.epochs / WORDS_PER_S

    def family(self, settings: Any) -> tuple[str, ...]:
        """Skip-gram and CBOW, negative sampling and the full softmax: four objectives whose losses differ in scale."""
        if settings is None:
            return (self.name,)
        return (self.name, settings.arch, settings.loss)

    def family_label_keys(self, settings: Any) -> tuple[str, ...]:
        if settings is None:
            return (self.label_key,)
        return (f"common.arch_{settings.arch}", f"common.loss_{settings.loss.replace('-', '_')}")

    def key_numbers(self, metrics: Mapping[str, Any]) -> dict[str, float]:
        out = super().key_numbers(metrics)
        if isinstance(metrics.get("words_per_s"), (int, float)):
            out["words/s"] = float(metrics["words_per_s"])
        return out

    def too_little_data(self, spec: TrainingSpec, counted: Mapping[str, Any]) -> Optional[dict[str, Any]]:
        """Fewer than 2 words counted at this (or a lower) min_count on the Data page."""
        kept, counted_at = counted.get("vocab_kept"), counted.get("vocab_min_count")
        min_count = spec.config.min_count
        if kept is not None and kept < 2 and isinstance(counted_at, int) and min_count >= counted_at:
            return {"min_count": min_count}
        return None

    def counted_preset(self, counted: Mapping[str, Any]) -> dict[str, Any]:
        """More epochs for a small corpus (:func:`suggested_epochs`): with the usual 5, a novel's space collapses."""
        tokens = counted.get("vocab_tokens")
        if not isinstance(tokens, int) or isinstance(tokens, bool) or tokens <= 0:
            return {}
        epochs = suggested_epochs(tokens)
        return {"epochs": epochs} if epochs != SkipGramConfig().epochs else {}

    def sample_data(self) -> dict[str, Any]:
        from explorer.samples.files import sample_files

        files = sample_files()
        return {"path": str(files.corpus), "name": "sample_corpus.txt", "labels": str(files.labels), "sample": True}


KIND = SkipGramKind(
    name="skipgram", help="word2vec Skip-gram on a text corpus", data_cls=SkipGramData, config_cls=SkipGramConfig,
    runner="explorer.training.skipgram:train_skipgram_run",
    run_files=(F.CONFIG_FILE, F.METRICS_FILE, F.VECTORS_FILE, F.VOCAB_FILE, F.LABELS_FILE,
               F.RunFile(F.SNAPSHOTS, "npy", ("", "n", "d"), "float", required=False,
                         about="float16 (epochs, n, d): the vectors after each epoch"),
               *F.frames_files("n"),
               F.RunFile(F.CONTEXT_VECTORS, "npy", ("n", "d"), "float32", finite=True, required=False,
                         about="the output (context) vectors, kept with frames")),
    capabilities=Capabilities(words=True, frames=True, labels=True, corpus=True), rate_unit="words",
    example="--corpus sample/sample_corpus.txt --labels sample/sample_labels.tsv",
    data_input=DataInput("text", ("txt", "csv", "tsv", "zip"), shared="corpus", shared_extra=("labels",)))
