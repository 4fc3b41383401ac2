"""The GloVe kind: word vectors from the global co-occurrence counts of a text corpus.

It reads the same files as Skip-gram (:class:`~explorer.kinds.skipgram.SkipGramData`: a corpus, optional
labels and user words) through the same cleaned, tokenized, cached corpus; its runner is
:func:`explorer.training.glove.run.train_glove_run`; its runs hold ``vectors.npy`` + ``vocab.tsv`` like
Skip-gram's, so every word tool works on them.

    >>> KIND.required_files
    ('config.json', 'vectors.npy', 'vocab.tsv')
    >>> GloveConfig().validate().x_max, GloveConfig().vectors
    (10.0, 'sum')
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Optional

import explorer.kinds.files as F
from explorer.configs import SEED_MAX, check, param
from explorer.kinds.base import JOB_OVERHEAD_S, Capabilities, DataInput, TrainingKind, TrainingSpec
from explorer.kinds.skipgram import BYTES_PER_WORD, SkipGramData

#: measured on the 2-core machine (bench/results_glove.md): counting records per second, and AdaGrad cells per
#: CPU-second at dim 100 (1.5 M on an idle core; a busy one gets less)
COUNT_RECORDS_PER_S = 20_000_000.0
CELLS_PER_S = 1_000_000.0
#: non-zero cells per corpus word at window 10: 5.9 on gensim's Wikipedia extract (2.4 M cells from 413,000
#: words), 0.4 on the bundled sample (a small vocabulary); cells grow slower than the corpus, so a middle value
CELLS_PER_WORD_W10 = 3.0

#: the biases b and b~ (float32 (n, 2)) and the co-occurrences among the most frequent words (float32 (k, k)):
#: with context_vectors.npy, what the lesson needs to recompute one cell's prediction and error
BIASES = "glove_biases.npy"
TOP_COOCCURRENCES = "cooccurrences_top.npy"

GloveData = SkipGramData  # the same files: a corpus, optional labels and user words


@dataclass
class GloveConfig:
    """GloVe hyperparameters (the reference implementation's names where it has them)."""

    dim: int = param(100, "vector size", min=1, max=1000)
    window: int = param(10, "words on each side counted as context, each pair weighted 1/distance", min=1, max=100)
    epochs: int = param(25, "passes over the non-zero co-occurrence cells", min=1, max=1000)
    x_max: float = param(10.0, "weighting cut-off: cells counted at least x_max times get full weight",
                         min=0.0, max=1e9, min_exclusive=True)
    alpha: float = param(0.75, "weighting exponent: f(x) = min(1, (x / x_max) ** alpha)", min=0.0, max=10.0)
    min_count: int = param(5, "drop words seen fewer times", min=1, max=1_000_000_000)
    max_vocab: Optional[int] = param(None, "keep only the most frequent words (default: no cap)",
                                     min=2, max=10_000_000)
    lr: float = param(0.05, "AdaGrad's starting learning rate", min=0.0, max=10.0, min_exclusive=True)
    vectors: str = param("sum", "sum: the word plus the context vectors (W + W~, as the paper); word: W only",
                         choices=("sum", "word"))
    workers: int = param(0, "CPU threads (0: all cores)", min=0, max=256)
    seed: int = param(0, "seeds every random choice", min=0, max=SEED_MAX)
    frames: int = param(0, "frames kept to watch the model learn (0: none; 30 shows motion; big models keep fewer)",
                        min=0, max=200)

    def validate(self) -> GloveConfig:
        return check(self)


GloveSpec = TrainingSpec[GloveData, GloveConfig]


class GloveKind(TrainingKind):
    def estimate_seconds(self, spec: TrainingSpec, data_stats: Mapping[str, int]) -> float:
        """Counting (2 x window records per word) plus epochs over the cells (about 3 per word at window 10),
        each cell's step costing in proportion to dim."""
        c = spec.config
        words = data_stats.get("corpus", 0) / BYTES_PER_WORD
        cells = words * CELLS_PER_WORD_W10 * max(0.2, c.window / 10)
        steps = cells * c.epochs * max(0.1, c.dim / 100) / CELLS_PER_S
        return JOB_OVERHEAD_S + 2 * words * c.window / COUNT_RECORDS_PER_S + steps

    def key_numbers(self, metrics: Mapping[str, Any]) -> dict[str, float]:
        out = super().key_numbers(metrics)
        if isinstance(metrics.get("cells_per_s"), (int, float)):
            out["cells/s"] = float(metrics["cells_per_s"])
        return out

    def sample_data(self) -> dict[str, Any]:
        from explorer.samples.files import sample_files

        files = sample_files()
        return {"path": str(files.corpus), "name": "sample_corpus.txt", "labels": str(files.labels), "sample": True}


KIND = GloveKind(
    name="glove", help="GloVe word vectors from the corpus's co-occurrence counts", data_cls=GloveData,
    config_cls=GloveConfig, runner="explorer.training.glove.run:train_glove_run",
    run_files=(F.CONFIG_FILE, F.METRICS_FILE, F.VECTORS_FILE, F.VOCAB_FILE, F.LABELS_FILE,
               *F.frames_files("n"),
               F.RunFile(F.CONTEXT_VECTORS, "npy", ("n", "d"), "float32", finite=True, required=False,
                         about="the context vectors W~"),
               F.RunFile(BIASES, "npy", ("n", ""), "float32", finite=True, required=False,
                         about="the biases: column 0 b (word), column 1 b~ (context)"),
               F.RunFile(TOP_COOCCURRENCES, "npy", ("top", "top"), "float32", finite=True, required=False,
                         about="X among the most frequent words (vocabulary rows 0..top-1), 1/distance weighted")),
    capabilities=Capabilities(words=True, frames=True, labels=True, corpus=True), rate_unit="cells",
    example="--corpus sample/sample_corpus.txt --labels sample/sample_labels.tsv",
    data_input=DataInput("text", ("txt", "csv", "tsv", "zip"), shared="corpus", shared_extra=("labels",)))
