"""Typed configurations, one dataclass per model, saved in each run's ``config.json``.

A run can always be rebuilt from its config. The command line, the job queue and the pages all
build these objects; the defaults here are the defaults everywhere (CLI flags included).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any, Literal, Optional

from explorer.errors import ExplorerError

Lang = Literal["auto", "en", "zh", "pretokenized"]


@dataclass
class CorpusConfig:
    """How a text corpus is read, cleaned and tokenized."""

    lang: str = "auto"  # auto | en | zh | pretokenized; auto picks by the share of CJK characters
    text_column: Optional[str] = None  # for .csv/.tsv: the column holding the text (None: guess)
    remove_stopwords: bool = False  # drop built-in English / Chinese stopwords
    user_words: list[str] = field(default_factory=list)  # extra words for jieba's dictionary
    dedupe_lines: bool = True  # drop duplicate lines after cleaning


@dataclass
class SkipGramConfig:
    """Skip-gram hyperparameters (word2vec names and defaults)."""

    dim: int = 100  # vector size
    window: int = 5  # max distance between centre and context word (sampled 1..window per word)
    negatives: int = 5  # negative samples per positive pair
    epochs: int = 5  # passes over the corpus
    min_count: int = 5  # drop words seen fewer times
    max_vocab: Optional[int] = None  # keep only the most frequent words (None: no cap)
    sample: float = 1e-3  # frequent-word subsampling threshold (0 disables)
    lr: float = 0.025  # starting learning rate, decays linearly to lr * 1e-4
    workers: int = 0  # CPU threads (0: all cores torch sees)
    seed: int = 0  # seeds every random choice
    loss: str = "negative-sampling"  # negative-sampling | softmax (full softmax, vocab <= 5000)
    snapshots: bool = False  # keep a copy of the vectors after each epoch ("watch it learn")
    device: str = "auto"  # auto | cpu | cuda

    def validate(self) -> SkipGramConfig:
        _positive(self, "dim", "window", "epochs", "min_count")
        if self.negatives < 0:
            raise ExplorerError(f"negatives must be >= 0, got {self.negatives}")
        if self.loss == "negative-sampling" and self.negatives < 1:
            raise ExplorerError("negatives must be >= 1 for the negative-sampling loss")
        if not 0 <= self.sample < 1:
            raise ExplorerError(f"sample must be in [0, 1), got {self.sample}")
        if not self.lr > 0:
            raise ExplorerError(f"lr must be > 0, got {self.lr}")
        if self.workers < 0:
            raise ExplorerError(f"workers must be >= 0, got {self.workers}")
        if self.max_vocab is not None and self.max_vocab < 2:
            raise ExplorerError(f"max_vocab must be >= 2, got {self.max_vocab}")
        if self.loss not in ("negative-sampling", "softmax"):
            raise ExplorerError(f"loss must be negative-sampling or softmax, got {self.loss!r}")
        if self.device not in ("auto", "cpu", "cuda"):
            raise ExplorerError(f"device must be auto, cpu or cuda, got {self.device!r}")
        return self


@dataclass
class UserItemConfig:
    """User-item dot-product recommender hyperparameters."""

    dim: int = 32  # vector size for users and items
    epochs: int = 20  # passes over the training interactions
    loss: str = "bce"  # bce (k sampled negatives per positive) | bpr
    negatives: int = 4  # sampled negatives per positive
    neg_sampling: str = "uniform"  # uniform | popularity (popularity ** neg_alpha)
    neg_alpha: float = 0.75  # exponent for popularity sampling
    lr: float = 0.01  # Adam-style learning rate (the trainer documents its optimiser)
    weight_decay: float = 0.001  # L2 penalty on the vectors used in each step
    batch_size: int = 1024  # positives per step
    min_rating: Optional[float] = None  # keep only rows rated >= this
    seed: int = 0  # seeds every random choice
    device: str = "auto"  # auto | cpu | cuda
    workers: int = 1  # CPU threads for torch (0: all cores); the small steps run fastest on one

    def validate(self) -> UserItemConfig:
        _positive(self, "dim", "epochs", "batch_size")
        if self.negatives < 1:
            raise ExplorerError(f"negatives must be >= 1, got {self.negatives}")
        if self.loss not in ("bce", "bpr"):
            raise ExplorerError(f"loss must be bce or bpr, got {self.loss!r}")
        if self.neg_sampling not in ("uniform", "popularity"):
            raise ExplorerError(f"neg_sampling must be uniform or popularity, got {self.neg_sampling!r}")
        if not self.lr > 0:
            raise ExplorerError(f"lr must be > 0, got {self.lr}")
        if self.weight_decay < 0:
            raise ExplorerError(f"weight_decay must be >= 0, got {self.weight_decay}")
        if self.device not in ("auto", "cpu", "cuda"):
            raise ExplorerError(f"device must be auto, cpu or cuda, got {self.device!r}")
        if self.workers < 0:
            raise ExplorerError(f"workers must be >= 0, got {self.workers}")
        return self


def _positive(cfg: Any, *names: str) -> None:
    for name in names:
        value = getattr(cfg, name)
        if not isinstance(value, int) or value < 1:
            raise ExplorerError(f"{name} must be a positive integer, got {value!r}")


def to_dict(cfg: Any) -> dict[str, Any]:
    """A JSON-ready dict of a config dataclass."""
    return asdict(cfg)


def from_dict(cls: type, data: dict[str, Any]) -> Any:
    """Build ``cls`` from a dict, ignoring unknown keys (older/newer run directories)."""
    names = {f.name for f in fields(cls)}
    return cls(**{k: v for k, v in data.items() if k in names})
