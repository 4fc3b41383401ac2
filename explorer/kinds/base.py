"""What every kind is made of, the registry, and the typed :class:`TrainingSpec`.

A *run kind* (:class:`RunKind`) is what a run directory's ``config.json`` names: its files
(:class:`explorer.kinds.files.RunFile`), its :class:`Capabilities` and its display name. A
*training kind* (:class:`TrainingKind`) is a run kind that a job trains: its data dataclass (the
files it reads), its config dataclass (hyperparameters declared with :func:`explorer.configs.param`),
its runner, and what the rest of the program asks about it -- :meth:`TrainingKind.estimate_seconds`
(the worker's lanes), :meth:`TrainingKind.limited_fields` (a class's limits), :meth:`TrainingKind.key_numbers`
(gallery and teacher dashboard), its Data-page input and bundled sample. Each kind lives in one
module of this package; nothing outside it compares a kind's name or reads a config field by name.

A job spec is stored as :meth:`TrainingSpec.to_dict` (JSON, with ``version`` :data:`SPEC_VERSION`)
and rebuilt once with :func:`spec_from_dict`, which refuses an unknown or misspelled key in one line.

    >>> from explorer.kinds import spec_from_dict
    >>> spec = spec_from_dict({"kind": "useritem", "name": "log", "data": {"interactions": "/tmp/log.csv"},
    ...                        "config": {"dim": 8}})
    >>> spec.config.dim, spec.config.epochs, spec.data.columns["user"]
    (8, 20, None)
    >>> spec_from_dict({"kind": "useritem", "data": {"interactions": "/x"}, "config": {"epoch": 3}})
    Traceback (most recent call last):
    ...
    explorer.errors.ExplorerError: spec: config.epoch is not a field of useritem (did you mean epochs?)
"""

from __future__ import annotations

import difflib
import importlib
from collections.abc import Callable, Mapping
from dataclasses import MISSING, asdict, dataclass, field, fields
from pathlib import Path
from typing import Any, ClassVar, Generic, Optional, TypeVar

from explorer.configs import CorpusConfig, from_dict
from explorer.errors import ExplorerError
from explorer.kinds.files import RunFile

SPEC_VERSION = 2  # 1: the layout before versions (no "version" key); 2: adds "version", refuses unknown keys
JOB_OVERHEAD_S = 2.0  # a job's start and end: imports, reading, writing the run

# --------------------------------------------------------------------------- data dataclasses


def data_field(default: Any = MISSING, help: str = "", *, flag: str = "", file: bool = False,
               roles: Optional[dict[str, str]] = None, default_factory: Any = MISSING) -> Any:
    """A data-dataclass field offered on the command line (``train``/``submit``).

    ``help``: one line for ``--help``; ``flag``: the flag (default ``--`` + name with dashes);
    ``file``: the value is a path that must name an existing file (made absolute); every such file
    is an input of the kind (a class's input-size limit applies to it);
    ``roles``: a mapping field (role -> column name), one flag ``--<role>-col`` per role, with its help.
    Fields declared without :func:`data_field` (e.g. the user's names of uploaded files) are not flags.
    """
    meta = {"help": help, "flag": flag, "file": file, "roles": roles}
    if default_factory is not MISSING:
        return field(default_factory=default_factory, metadata=meta)
    if default is MISSING:
        return field(metadata=meta)
    return field(default=default, metadata=meta)


@dataclass(frozen=True)
class DataFieldSpec:
    """What :func:`data_field` declares about one data field (read by the command line)."""

    name: str
    help: str
    flag: str  # "--corpus"; for a roles field, the flags are ``--<role>-col``
    required: bool
    default: Any
    file: bool = False
    roles: Optional[dict[str, str]] = None  # role -> help

    def role_flags(self) -> dict[str, str]:
        """role -> flag (``--user-col``) of a roles field; empty otherwise."""
        return {role: f"--{role}-col" for role in (self.roles or {})}


def data_field_specs(cls: type) -> list[DataFieldSpec]:
    """The command-line fields of data class ``cls``, in declaration order."""
    specs = []
    for f in fields(cls):
        if not f.metadata.get("help"):
            continue
        required = f.default is MISSING and f.default_factory is MISSING
        default = None if required else (f.default if f.default is not MISSING else f.default_factory())
        specs.append(DataFieldSpec(f.name, f.metadata["help"], f.metadata.get("flag") or "--" + f.name.replace("_", "-"),
                                   required, default, bool(f.metadata.get("file")), f.metadata.get("roles")))
    return specs


def input_files(data: Any) -> dict[str, Path]:
    """Data field -> path of every input file set in a data dataclass (fields declared ``file=True``)."""
    out = {}
    for f in fields(data):
        value = getattr(data, f.name)
        if f.metadata.get("file") and value:
            out[f.name] = Path(str(value))
    return out


# --------------------------------------------------------------------------- what a kind is


@dataclass(frozen=True)
class Capabilities:
    """What a kind's runs offer; pages branch on these, never on the kind's name."""

    words: bool = False  # rows are tokens: neighbours of a typed word, analogies, word-pair tests
    users: bool = False  # users and items: recommendations, ranking metrics
    items: bool = False  # rows are items (with titles from item metadata)
    nodes: bool = False  # rows are graph nodes: link prediction, node classification
    documents: bool = False  # rows are documents
    frames: bool = False  # can keep frames of the vectors during training ("watch it learn")
    labels: bool = False  # may carry ground-truth labels of its rows (labels.tsv)
    corpus: bool = False  # reads a text corpus (a CorpusConfig applies)
    inductive: bool = False  # embeds a node that was not in training (RunKind.node_vector)

    @property
    def graph(self) -> bool:
        """Rows are graph nodes (the name the graph pages use)."""
        return self.nodes


@dataclass(frozen=True)
class DataInput:
    """The Data page's input that provides a kind's data.

    ``name``: the Data page's choice (``data.kind_<name>`` its label) and session slot ``data_<name>``;
    ``upload_types``: file extensions the uploader accepts; ``page``: ``"module:function"`` rendering
    the whole input (empty: the Data page's own upload and preview of ``name``); ``shared``: what a
    teacher shares of it with the class ("" nothing), with its companion files ``shared_extra``.
    """

    name: str
    upload_types: tuple[str, ...] = ()
    page: str = ""
    shared: str = ""
    shared_extra: tuple[str, ...] = ()  # the companion files a shared dataset may come with (data fields: labels, items)
    extra_types: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # other data field -> its upload types

    @property
    def slot(self) -> str:
        return f"data_{self.name}"


@dataclass(frozen=True)
class Limited:
    """What a class's limits apply to in one spec: its epochs, its vector size, every input file."""

    epochs: Optional[float] = None
    dim: Optional[float] = None
    inputs: Mapping[str, Path] = field(default_factory=dict)  # data field -> file


#: How each key number is shown (the gallery's line and the teacher's runs table), in column order.
KEY_NUMBER_FORMATS: dict[str, str] = {
    "loss": "{:.4f}", "words/s": "{:,.0f}", "cells/s": "{:,.0f}", "interactions/s": "{:,.0f}", "steps/s": "{:,.0f}",
    "documents/s": "{:,.1f}", "nodes/s": "{:,.0f}",
    "HR@10": "{:.3f}", "NDCG@10": "{:.3f}", "AUC": "{:.3f}", "accuracy": "{:.3f}",
}


def _number(value: Any) -> Optional[float]:
    """``value`` when it is a number (ints stay ints), else None."""
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None


@dataclass(frozen=True)
class RunKind:
    """A kind a run directory's ``config.json`` may name: its files, capabilities and display name."""

    name: str
    run_files: tuple[RunFile, ...]  # a bare name declares a file that must be present (JSON when *.json)
    capabilities: Capabilities

    def __post_init__(self) -> None:
        files = tuple(f if isinstance(f, RunFile) else RunFile(f, "json" if f.endswith(".json") else "file")
                      for f in self.run_files)
        object.__setattr__(self, "run_files", files)

    @property
    def label_key(self) -> str:
        """The i18n key of the kind's display name (``common.kind_<name>``, English and Chinese)."""
        return f"common.kind_{self.name}"

    @property
    def required_files(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.run_files if f.required)

    @property
    def file_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.run_files)

    def recorded_config(self, hyper: Mapping[str, Any]) -> Any:
        """A run's recorded hyperparameters (``config.json["config"]``) as the kind's config dataclass, or
        None for a kind without one (imported vectors)."""
        return None

    def run_note(self, run_dir: Path) -> str:
        """One line on what a finished run read, printed by ``train`` on stderr ("" for none)."""
        return ""

    def query_vector(self, run_dir: Path, text: str) -> Any:
        """The vector (d,) of a search query ``text`` for a run of this kind whose rows are documents
        (Doc2Vec: inferred; sentence encoders: encoded as a query). Kinds that can search override it."""
        raise ExplorerError(f"{self.name}: runs of this kind cannot encode a query", code="kind_no_query",
                            kind=self.name)

    def node_vector(self, run_dir: Path, neighbours: list[str], features: str = "") -> Any:
        """The vector (d,) of a node that was not in training, from its edges to the run's nodes ``neighbours`` and
        its ``features`` (graph neural networks: inductive). Kinds that can embed new nodes override it."""
        raise ExplorerError(f"{self.name}: runs of this kind cannot embed a new node (train a gnn run)",
                            code="kind_no_node_vector", kind=self.name)

    def node_feature_columns(self, run_dir: Path) -> list[tuple[str, float]]:
        """The feature columns (name, training mean) a new node's :meth:`node_vector` takes values for; none here."""
        return []

    def family(self, settings: Any) -> tuple[str, ...]:
        """What a run's numbers are comparable within: runs of one family train the same objective (the kind, and
        for kinds with several architectures or losses, those). ``settings``: the run's recorded config or None."""
        return (self.name,)

    def family_label_keys(self, settings: Any) -> tuple[str, ...]:
        """i18n keys naming the run's family for people: the kind's name, then what :meth:`family` adds."""
        return (self.label_key,)

    def key_numbers(self, metrics: Mapping[str, Any]) -> dict[str, float]:
        """The run's key numbers (names in :data:`KEY_NUMBER_FORMATS`) from its metrics.json: the last loss
        and the seconds it took; kinds add their own."""
        out: dict[str, float] = {}
        losses = metrics.get("loss_per_epoch") or []
        if isinstance(losses, list) and losses and _number(losses[-1]) is not None:
            out["loss"] = float(losses[-1])
        if _number(metrics.get("seconds")) is not None:
            out["seconds"] = float(metrics["seconds"])
        return out


@dataclass(frozen=True)
class TrainingKind(RunKind):
    """A run kind that a job trains. Kind modules subclass it to say what differs from the defaults."""

    help: str = ""  # one line for ``--help``
    data_cls: type = object
    config_cls: type = object
    runner: str = ""  # "module:function", imported when a job runs: function(spec: TrainingSpec, out_dir, callback)
    rate_unit: str = "words"  # what the progress rate counts (i18n ``train.<unit>_per_s``)
    example: str = ""  # data flags of a ``--help`` example on the bundled samples (``sample --out sample``)
    data_input: Optional[DataInput] = None
    #: "module:function" of the Train form's widgets for config fields that are not typed (``ui=False``), e.g. a
    #: picker of runs: ``function(where) -> {field: value}``, called inside the form ("" none)
    form_page: str = ""

    def load_runner(self) -> Callable[..., Path]:
        return load_runner(self.runner)

    def recorded_config(self, hyper: Mapping[str, Any]) -> Any:
        """The config dataclass of a run's recorded hyperparameters: the fields this version knows (a run
        written by an older or newer version keeps its own), defaults for the others; not validated."""
        known = {f.name for f in fields(self.config_cls)}
        return self.config_cls(**{k: v for k, v in hyper.items() if k in known})

    #: a class limit -> the config field it bounds (a kind whose fields are named otherwise says so here)
    LIMITED_CONFIG: ClassVar[dict[str, str]] = {"epochs": "epochs", "dim": "dim"}

    def limited_config_fields(self) -> dict[str, str]:
        """Class limit (``epochs``, ``dim``) -> the name of the config field it bounds, for this kind's config."""
        known = {f.name for f in fields(self.config_cls)}
        return {limit: name for limit, name in self.LIMITED_CONFIG.items() if name in known}

    def limited_fields(self, spec: TrainingSpec) -> Limited:
        """The epochs, vector size and input files a class's limits apply to (every declared input file)."""
        names = self.limited_config_fields()
        return Limited(*(_number(getattr(spec.config, names[k], None)) if k in names else None
                         for k in ("epochs", "dim")), input_files(spec.data))

    def estimate_seconds(self, spec: TrainingSpec, data_stats: Mapping[str, int]) -> float:
        """A rough duration on one busy core (seconds; the worker's lanes). ``data_stats``: input field ->
        bytes. The default: the job's overhead (kinds estimate their training)."""
        return JOB_OVERHEAD_S

    def too_little_data(self, spec: TrainingSpec, counted: Mapping[str, Any]) -> Optional[dict[str, Any]]:
        """Values of the Train page's "too few words" message when what the Data page counted (``counted``:
        its dict) cannot train ``spec``; None when it can (the default)."""
        return None

    def counted_preset(self, counted: Mapping[str, Any]) -> dict[str, Any]:
        """Config values that suit what the Data page counted (``counted``: its dict), as the Train form's
        starting values; none by default."""
        return {}

    def sample_data(self) -> dict[str, Any]:
        """The Data page's dict of the kind's bundled sample (``path``, ``name``, ...)."""
        raise ExplorerError(f"{self.name}: no bundled sample", code="kind_no_sample", kind=self.name)


@dataclass(frozen=True)
class JobKind:
    """A job that is not training (projection, precompute, ...): it writes into an existing run's cache."""

    name: str
    runner: str  # "module:function": function(spec: dict, out_dir=None, callback) -> None

    def load_runner(self) -> Callable[..., None]:
        return load_runner(self.runner)

    def estimate_seconds(self, spec: Mapping[str, Any]) -> float:
        return JOB_OVERHEAD_S


def load_runner(runner: str) -> Callable[..., Any]:
    """The function named by ``"module:function"`` (imported when a job runs)."""
    module, _, name = runner.partition(":")
    return getattr(importlib.import_module(module), name)


def data_stats(spec: TrainingSpec) -> dict[str, int]:
    """Input data field -> size in bytes (0 when unreadable): what :meth:`TrainingKind.estimate_seconds` reads."""
    out = {}
    for name, path in input_files(spec.data).items():
        try:
            out[name] = path.stat().st_size
        except OSError:
            out[name] = 0
    return out


# --------------------------------------------------------------------------- the registry

_TRAINING: dict[str, TrainingKind] = {}
_JOBS: dict[str, JobKind] = {}
_RUNS: dict[str, RunKind] = {}  # run kinds that are not trained (imported vectors)


def register(kind: RunKind | JobKind) -> None:
    """Add ``kind`` to the registry (a name is registered once)."""
    if kind.name in _TRAINING or kind.name in _JOBS or kind.name in _RUNS:
        raise ValueError(f"kind {kind.name!r} is registered already")
    if isinstance(kind, TrainingKind):
        _TRAINING[kind.name] = kind
    elif isinstance(kind, JobKind):
        _JOBS[kind.name] = kind
    else:
        _RUNS[kind.name] = kind


def unregister(name: str) -> None:
    """Remove kind ``name`` from the registry (tests that register throwaway kinds clean up with this)."""
    _TRAINING.pop(name, None)
    _JOBS.pop(name, None)
    _RUNS.pop(name, None)


def training_kinds() -> dict[str, TrainingKind]:
    """Registered training kinds by name, in registration order."""
    return dict(_TRAINING)


def job_kinds() -> dict[str, JobKind]:
    """Registered non-training job kinds by name."""
    return dict(_JOBS)


def run_kinds() -> dict[str, RunKind]:
    """Kinds a run's ``config.json`` may name: every training kind, then the others (``imported``)."""
    return {**_TRAINING, **_RUNS}


def run_kind(name: object) -> RunKind:
    """The run kind called ``name``; an :class:`ExplorerError` naming the known ones otherwise."""
    kind = run_kinds().get(name) if isinstance(name, str) else None
    if kind is None:
        known = ", ".join(run_kinds())
        raise ExplorerError(f"unknown run kind {name!r} (expected one of {known})", code="unknown_kind",
                            kind=str(name)[:40], known=known)
    return kind


def training_kind(name: object) -> TrainingKind:
    """The training kind called ``name``; an :class:`ExplorerError` naming the known ones otherwise."""
    kind = _TRAINING.get(name) if isinstance(name, str) else None
    if kind is None:
        raise ExplorerError(f"spec: unknown training kind {name!r} (expected one of {', '.join(_TRAINING)})",
                            code="unknown_kind", kind=str(name), known=", ".join(_TRAINING))
    return kind


def data_inputs() -> dict[str, DataInput]:
    """The Data page's inputs, in the order of the kinds that read them (one entry per input)."""
    out: dict[str, DataInput] = {}
    for kind in _TRAINING.values():
        if kind.data_input is not None:
            out.setdefault(kind.data_input.name, kind.data_input)
    return out


# --------------------------------------------------------------------------- specs

D = TypeVar("D")
C = TypeVar("C")


@dataclass
class TrainingSpec(Generic[D, C]):
    """A complete description of one training run: what the job table stores (as :meth:`to_dict`)."""

    kind: str
    data: D  # the kind's data dataclass
    config: C  # the kind's config dataclass
    name: str = ""
    corpus_config: Optional[CorpusConfig] = None  # kinds with ``capabilities.corpus``
    out: Optional[str] = None  # ``submit --out``: where the worker copies the finished run

    @property
    def training_kind(self) -> TrainingKind:
        return training_kind(self.kind)

    def validate(self) -> TrainingSpec[D, C]:
        """Check the config and corpus settings in place (a spec built by hand); returns the spec."""
        self.config.validate()  # type: ignore[attr-defined]
        if self.corpus_config is not None:
            self.corpus_config.validate()
        return self

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict (the documented job-spec layout plus ``version``; absent optional parts are left out)."""
        out = {"version": SPEC_VERSION, "kind": self.kind, "name": self.name, "data": asdict(self.data),
               "config": asdict(self.config)}
        if self.corpus_config is not None:
            out["corpus_config"] = asdict(self.corpus_config)
        if self.out is not None:
            out["out"] = self.out
        return out


_SPEC_KEYS = ("version", "kind", "name", "data", "config", "corpus_config", "out")


def _unknown_key(key: str, known: list[str], what: str, owner: str) -> ExplorerError:
    close = difflib.get_close_matches(key, known, n=1)
    hint = f" (did you mean {close[0]}?)" if close else f" (expected one of {', '.join(known)})"
    where = f"{what}.{key}" if what else key
    return ExplorerError(f"spec: {where} is not a field of {owner}{hint}", code="spec_unknown_key", key=where[:60],
                         owner=owner, hint=close[0] if close else ", ".join(known))


def _build(cls: type, data: Any, what: str, owner: str) -> Any:
    if not isinstance(data, dict):
        raise ExplorerError(f"spec: {what} must be a JSON object", code="spec_invalid", what=what)
    known = [f.name for f in fields(cls)]
    for key in data:
        if key not in known:
            raise _unknown_key(str(key), known, what, owner)
    required = [f.name for f in fields(cls) if f.default is f.default_factory]  # neither given: MISSING both
    missing = [n for n in required if data.get(n) in (None, "")]
    if missing:
        raise ExplorerError(f"spec: {what}.{missing[0]} is required", code="spec_invalid", what=f"{what}.{missing[0]}")
    try:
        return from_dict(cls, data)
    except TypeError as exc:
        raise ExplorerError(f"spec: {what}: {exc}", code="spec_invalid", what=what) from None


def spec_from_dict(spec: Any) -> TrainingSpec:
    """The typed, validated :class:`TrainingSpec` of a job-spec dict (from the job table or an API caller).

    Specs stored before versions (no ``version`` key) load as they are; a newer version, an unknown
    key (top level, data, config or corpus settings) or a value out of bounds is refused in one line.
    """
    if isinstance(spec, TrainingSpec):
        spec = spec.to_dict()
    if not isinstance(spec, dict):
        raise ExplorerError("spec: a job spec must be a JSON object", code="spec_invalid", what="spec")
    for key in spec:
        if key not in _SPEC_KEYS:
            raise _unknown_key(str(key), list(_SPEC_KEYS), "", "a job spec")
    version = spec.get("version", 1)
    if isinstance(version, bool) or not isinstance(version, int) or not 1 <= version <= SPEC_VERSION:
        raise ExplorerError(f"spec: version {str(version)[:20]} is not one this program reads (1..{SPEC_VERSION})",
                            code="spec_version", version=str(version)[:20], newest=SPEC_VERSION)
    kind = training_kind(spec.get("kind"))
    data = _build(kind.data_cls, spec.get("data", {}), "data", kind.name)
    config = _build(kind.config_cls, spec.get("config") or {}, "config", kind.name).validate()
    corpus_config = None
    if kind.capabilities.corpus:
        corpus_config = _build(CorpusConfig, spec.get("corpus_config") or {}, "corpus_config", "the corpus settings")
        corpus_config = corpus_config.validate()
    elif spec.get("corpus_config"):
        raise _unknown_key("corpus_config", [k for k in _SPEC_KEYS if k != "corpus_config"], "", kind.name)
    name = spec.get("name") or ""
    out = spec.get("out")
    if not isinstance(name, str) or (out is not None and not isinstance(out, str)):
        raise ExplorerError("spec: name and out must be text", code="spec_invalid", what="name")
    return TrainingSpec(kind=kind.name, data=data, config=config, name=name, corpus_config=corpus_config, out=out)


def default_name(spec: TrainingSpec) -> str:
    """A run's display name when none was given: the data file's name."""
    first = getattr(spec.data, fields(spec.data)[0].name)
    return spec.name or Path(str(first)).name
