"""Typed configurations, one dataclass per model, saved in each run's ``config.json``.

Every hyperparameter is declared once, here, with :func:`param`: its default, a one-line help, its
choices or bounds. The command line's flags (:mod:`explorer.cli`), the Train page's form and the
checks of the job API are all generated from these declarations, so a new hyperparameter is added
in one place (plus its translated label and help in ``explorer/i18n/train.py``).

    >>> SkipGramConfig(dim=64).validate().dim
    64
    >>> SkipGramConfig(dim=10_000_000).validate()
    Traceback (most recent call last):
    ...
    explorer.errors.ExplorerError: dim must be at most 1000, got 10000000
    >>> field_spec(SkipGramConfig, "window").max
    100
"""

from __future__ import annotations

import math
from dataclasses import MISSING, asdict, dataclass, field, fields
from typing import Any, Optional, get_type_hints

from explorer.errors import ExplorerError

SEED_MAX = 2**32 - 1  # numpy's and numba's seeds are 32-bit
DEVICES = ("auto", "cpu", "cuda")


@dataclass(frozen=True)
class FieldSpec:
    """What :func:`param` declares about one config field (read by the CLI, the Train form and :func:`check`)."""

    name: str
    type: type  # int, float, bool, str (Optional[...] unwrapped; see ``optional``)
    default: Any
    help: str  # one line, English (the UI shows the translated ``train.help_<name>``)
    choices: Optional[tuple] = None
    min: Optional[float] = None  # inclusive bounds
    max: Optional[float] = None
    min_exclusive: bool = False  # ``min`` itself is not allowed (e.g. a learning rate > 0)
    optional: bool = False  # None is allowed (and means "not set")
    ui: bool = True  # offered on the Train page
    flag: str = ""  # the CLI flag: "--" + name with dashes unless declared otherwise
    cli: bool = True  # offered on the command line (``train``/``submit``)


def param(default: Any, help: str, *, choices: Optional[tuple] = None, min: Optional[float] = None,
          max: Optional[float] = None, min_exclusive: bool = False, ui: bool = True, cli: bool = True,
          flag: str = "", default_factory: Any = MISSING) -> Any:
    """A dataclass field with its help, choices and bounds (see :class:`FieldSpec`)."""
    meta = {"help": help, "choices": choices, "min": min, "max": max, "min_exclusive": min_exclusive, "ui": ui,
            "cli": cli, "flag": flag}
    if default_factory is not MISSING:
        return field(default_factory=default_factory, metadata=meta)
    return field(default=default, metadata=meta)


def _unwrap(tp: Any) -> tuple[type, bool]:
    args = getattr(tp, "__args__", None)
    if args and type(None) in args:
        inner = [a for a in args if a is not type(None)]
        return inner[0], True
    return tp, False


def field_specs(cls: type) -> list[FieldSpec]:
    """The declared fields of config class ``cls``, in declaration order."""
    hints = get_type_hints(cls)
    specs = []
    for f in fields(cls):
        if "help" not in f.metadata:
            continue
        tp, optional = _unwrap(hints[f.name])
        default = f.default if f.default is not MISSING else f.default_factory()  # type: ignore[misc]
        m = f.metadata
        specs.append(FieldSpec(f.name, tp, default, m["help"], m.get("choices"), m.get("min"), m.get("max"),
                               m.get("min_exclusive", False), optional, m.get("ui", True),
                               m.get("flag") or "--" + f.name.replace("_", "-"), m.get("cli", True)))
    return specs


def field_spec(cls: type, name: str) -> FieldSpec:
    """The :class:`FieldSpec` of one field."""
    for spec in field_specs(cls):
        if spec.name == name:
            return spec
    raise KeyError(name)


def _fmt(x: float) -> str:
    return f"{x:g}" if isinstance(x, float) else f"{x}"


def check_value(spec: FieldSpec, value: Any) -> Any:
    """``value`` checked against ``spec`` (type, finiteness, choices, bounds); returns it (ints as int).

    Raises :class:`ExplorerError` naming the parameter, with a code for the translated UI message.
    """
    name = spec.name
    if value is None:
        if spec.optional:
            return None
        raise ExplorerError(f"{name} must be set", code="param_missing", name=name)
    if spec.type is bool:
        if not isinstance(value, bool):
            raise ExplorerError(f"{name} must be true or false, got {value!r}", code="param_type", name=name,
                                value=value, expected="bool")
        return value
    if spec.type is int:
        if isinstance(value, bool) or not isinstance(value, int):
            if isinstance(value, float) and value.is_integer():
                value = int(value)
            else:
                raise ExplorerError(f"{name} must be an integer, got {value!r}", code="param_type", name=name,
                                    value=value, expected="int")
    elif spec.type is float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ExplorerError(f"{name} must be a number, got {value!r}", code="param_type", name=name,
                                value=value, expected="float")
        if not math.isfinite(value):
            raise ExplorerError(f"{name} must be a finite number, got {value!r}", code="param_finite", name=name,
                                value=value)
        value = float(value)
    elif spec.type is str and not isinstance(value, str):
        raise ExplorerError(f"{name} must be text, got {value!r}", code="param_type", name=name, value=value,
                            expected="str")
    if spec.choices is not None and value not in spec.choices:
        raise ExplorerError(f"{name} must be one of {', '.join(map(str, spec.choices))}, got {value!r}",
                            code="param_choice", name=name, value=value, choices=", ".join(map(str, spec.choices)))
    if spec.min is not None and (value < spec.min or (spec.min_exclusive and value == spec.min)):
        word = "greater than" if spec.min_exclusive else "at least"
        raise ExplorerError(f"{name} must be {word} {_fmt(spec.min)}, got {_fmt(value)}",
                            code="param_gt" if spec.min_exclusive else "param_min", name=name, min=spec.min,
                            value=value)
    if spec.max is not None and value > spec.max:
        raise ExplorerError(f"{name} must be at most {_fmt(spec.max)}, got {_fmt(value)}", code="param_max",
                            name=name, max=spec.max, value=value)
    return value


def check(cfg: Any) -> Any:
    """Check every declared field of ``cfg`` (in place: ints stay ints); returns ``cfg``."""
    for spec in field_specs(type(cfg)):
        object.__setattr__(cfg, spec.name, check_value(spec, getattr(cfg, spec.name)))
    return cfg


@dataclass
class CorpusConfig:
    """How a text corpus is read, cleaned and tokenized."""

    lang: str = param("auto", "language: auto picks by the share of CJK characters; pretokenized: split on spaces",
                      choices=("auto", "en", "zh", "pretokenized"))
    text_column: Optional[str] = param(None, "for .csv/.tsv: the column holding the text (default: guessed)", ui=False)
    remove_stopwords: bool = param(False, "drop built-in English / Chinese stopwords", flag="--stopwords")
    user_words: list[str] = param(None, "extra words for jieba's dictionary (the command line reads them from "
                                  "the --user-words file)", default_factory=list, ui=False, cli=False)
    dedupe_lines: bool = param(True, "drop duplicate lines after cleaning", ui=False)
    segmenter: str = param("jieba", "Chinese word segmenter: jieba, or THULAC (slower, Tsinghua's model)",
                           choices=("jieba", "thulac"))
    normalize: str = param("none", "English word forms: none, stem (Snowball: running -> run, studies -> studi) "
                           "or lemma (simplemma: mice -> mouse, was -> be)", choices=("none", "stem", "lemma"))
    phrases: int = param(0, "phrase detection passes, word2phrase style (0: off, 1: word pairs like new_york, "
                         "2: up to four words)", min=0, max=2)
    phrase_min_count: int = param(5, "phrases: ignore words and pairs seen fewer times; also the discount "
                                  "subtracted from each pair's count", min=1, max=1_000_000_000)
    phrase_threshold: float = param(100.0, "phrases: join a pair whose score (count(ab) - min_count) * N / "
                                    "(count(a) * count(b)) exceeds this", min=0.0, max=1e9, min_exclusive=True)

    def validate(self) -> CorpusConfig:
        for name in ("lang", "segmenter", "normalize", "phrases", "phrase_min_count", "phrase_threshold"):
            object.__setattr__(self, name, check_value(field_spec(CorpusConfig, name), getattr(self, name)))
        return self


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


@dataclass
class UserItemConfig:
    """User-item dot-product recommender hyperparameters."""

    dim: int = param(32, "vector size for users and items", min=1, max=1000)
    epochs: int = param(20, "passes over the training interactions", min=1, max=1000)
    loss: str = param("bce", "bce (k sampled negatives per positive) or bpr", choices=("bce", "bpr"))
    negatives: int = param(4, "sampled negatives per positive", min=1, max=1000)
    neg_sampling: str = param("uniform", "uniform, or popularity (popularity ** neg-alpha)",
                              choices=("uniform", "popularity"))
    neg_alpha: float = param(0.75, "exponent for popularity sampling", min=0.0, max=2.0)
    lr: float = param(0.01, "Adam learning rate", min=0.0, max=10.0, min_exclusive=True)
    weight_decay: float = param(0.001, "L2 penalty on the vectors used in each step", min=0.0, max=10.0)
    batch_size: int = param(1024, "positives per step", min=1, max=1 << 20)
    min_rating: Optional[float] = param(None, "keep only rows rated at least this (default: keep all)", ui=False)
    seed: int = param(0, "seeds every random choice", min=0, max=SEED_MAX)
    device: str = param("auto", "auto uses CUDA when torch sees a GPU", choices=DEVICES)
    workers: int = param(1, "CPU threads for torch (0: all cores); the small steps run fastest on one",
                         min=0, max=256)
    frames: int = param(0, "frames of the item vectors kept to watch the model learn (0: none)", min=0, max=200)

    def validate(self) -> UserItemConfig:
        return check(self)



@dataclass
class GraphConfig:
    """Node embeddings from random walks (DeepWalk / node2vec) trained with Skip-gram (explorer.training.graph)."""

    walk: str = param("deepwalk", "deepwalk (uniform walks) or node2vec (biased by p and q, weights honoured)",
                      choices=("deepwalk", "node2vec"))
    p: float = param(1.0, "node2vec return parameter: small p stays near the previous node", min=0.0, max=100.0,
                     min_exclusive=True)
    q: float = param(1.0, "node2vec in-out parameter: small q walks outward, large q stays local", min=0.0,
                     max=100.0, min_exclusive=True)
    walk_length: int = param(80, "nodes per walk", min=2, max=1000)
    walks_per_node: int = param(10, "walks started at every node (per epoch)", min=1, max=1000)
    window: int = param(10, "max distance between centre and context node in a walk", min=1, max=100)
    dim: int = param(64, "vector size", min=1, max=1000)
    epochs: int = param(1, "passes (each with fresh walks)", min=1, max=100)
    negatives: int = param(5, "negative samples per positive pair", min=1, max=100)
    lr: float = param(0.025, "starting learning rate, decays linearly to lr * 1e-4", min=0.0, max=10.0,
                      min_exclusive=True)
    sample: float = param(0.0, "frequent-node subsampling threshold (0 disables)", min=0.0, max=0.1)
    directed: bool = param(False, "follow edges only from source to target")
    holdout: float = param(0.1, "share of edges held out before walking, to score link prediction (0 disables)",
                           min=0.0, max=0.5)
    workers: int = param(0, "CPU threads (0: all cores)", min=0, max=256)
    seed: int = param(0, "seeds every random choice", min=0, max=SEED_MAX)

    def validate(self) -> GraphConfig:
        return check(self)


def to_dict(cfg: Any) -> dict[str, Any]:
    """A JSON-ready dict of a config dataclass."""
    return asdict(cfg)


def from_dict(cls: type, data: dict[str, Any]) -> Any:
    """Build ``cls`` from a dict, ignoring unknown keys (older/newer run directories)."""
    if not isinstance(data, dict):
        raise ExplorerError(f"{cls.__name__}: expected a JSON object, got {type(data).__name__}",
                            code="config_not_object", name=cls.__name__)
    names = {f.name for f in fields(cls)}
    return cls(**{k: v for k, v in data.items() if k in names})
