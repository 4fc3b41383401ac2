"""How hyperparameters are declared (:func:`param`) and checked, and the corpus settings every text kind shares.

Each kind's config dataclass lives in its module (:mod:`explorer.kinds`); every hyperparameter is
declared once there with :func:`param`: its default, a one-line help, its choices or bounds. The
command line's flags (:mod:`explorer.cli`), the Train page's form and the checks of the job API are
all generated from these declarations, so a new hyperparameter is added in one place (plus its
translated label and help in ``explorer/i18n/train.py``).

    >>> @dataclass
    ... class Toy:
    ...     dim: int = param(8, "vector size", min=1, max=1000)
    >>> check(Toy(dim=64)).dim
    64
    >>> check(Toy(dim=10_000_000))
    Traceback (most recent call last):
    ...
    explorer.errors.ExplorerError: dim must be at most 1000, got 10000000
    >>> field_spec(Toy, "dim").max
    1000
    >>> from_dict(Toy, {"dims": 3})
    Traceback (most recent call last):
    ...
    explorer.errors.ExplorerError: dims is not a field of Toy (did you mean dim?)
"""

from __future__ import annotations

import difflib
import functools
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
    hints = _type_hints(cls)
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


@functools.cache
def _type_hints(cls: type) -> dict[str, Any]:
    """``get_type_hints(cls)``, once per class: it compiles every string annotation, and the command line asks
    about 35 times while it builds its parser (only field_specs reads it)."""
    return get_type_hints(cls)


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


def to_dict(cfg: Any) -> dict[str, Any]:
    """A JSON-ready dict of a config dataclass."""
    return asdict(cfg)


def from_dict(cls: type, data: dict[str, Any]) -> Any:
    """Build ``cls`` from a dict; a key that is not a field of ``cls`` is refused (one line naming it)."""
    if not isinstance(data, dict):
        raise ExplorerError(f"{cls.__name__}: expected a JSON object, got {type(data).__name__}",
                            code="config_not_object", name=cls.__name__)
    names = [f.name for f in fields(cls)]
    for key in data:
        if key not in names:
            close = difflib.get_close_matches(str(key), names, n=1)
            hint = f"did you mean {close[0]}?" if close else f"expected one of {', '.join(names)}"
            raise ExplorerError(f"{str(key)[:60]} is not a field of {cls.__name__} ({hint})", code="config_unknown_key",
                                key=str(key)[:60], owner=cls.__name__, hint=close[0] if close else ", ".join(names))
    return cls(**data)
