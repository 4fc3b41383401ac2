"""The registry of kinds: every training kind and job kind is declared here, once.

A training kind is a :class:`TrainingKind`: its data dataclass (the files it reads, and the user's
names for uploaded ones), its config dataclass (hyperparameters declared with
:func:`explorer.configs.param`), its runner, the files its run directory must hold and its
capabilities. The command line's ``train``/``submit`` flags and the Train page's form are generated
from the config's declarations; the job table stores :meth:`TrainingSpec.to_dict` and the worker
rebuilds it with :func:`spec_from_dict`, which refuses a spec that does not validate. Pages branch on
:class:`Capabilities`, never on a kind's name.

Adding a training kind: its dataclasses and runner, one :func:`register` call below, its Data-page
input and its strings.

    >>> sorted(training_kinds())
    ['graph', 'skipgram', 'useritem']
    >>> spec = spec_from_dict({"kind": "useritem", "name": "log", "data": {"interactions": "/tmp/log.csv"},
    ...                        "config": {"dim": 8}})
    >>> spec.config.dim, spec.config.epochs, spec.data.columns["user"]
    (8, 20, None)
    >>> spec_from_dict({"kind": "useritem", "data": {"interactions": "/x"}, "config": {"dim": -1}})
    Traceback (most recent call last):
    ...
    explorer.errors.ExplorerError: dim must be at least 1, got -1
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import MISSING, asdict, dataclass, field, fields
from pathlib import Path
from typing import Any, Optional

from explorer.configs import CorpusConfig, GraphConfig, SkipGramConfig, UserItemConfig, from_dict
from explorer.errors import ExplorerError

# --------------------------------------------------------------------------- data dataclasses


def data_field(default: Any = MISSING, help: str = "", *, flag: str = "", file: bool = False,
               roles: Optional[dict[str, str]] = None, default_factory: Any = MISSING) -> Any:
    """A data-dataclass field offered on the command line (``train``/``submit``).

    ``help``: one line for ``--help``; ``flag``: the flag (default ``--`` + name with dashes);
    ``file``: the value is a path that must name an existing file (made absolute);
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


@dataclass
class SkipGramData:
    """The files a Skip-gram run reads (absolute paths) and the user's name for the corpus."""

    corpus: str = data_field(help="text file: .txt, .csv/.tsv (see --text-column) or .zip of .txt files", file=True)
    labels: Optional[str] = data_field(None, "TSV/CSV file of word,label rows: ground-truth categories "
                                       "(default: none)", file=True)
    user_words: Optional[str] = data_field(None, "file of extra words for the Chinese tokenizer, one per line "
                                           "(default: none)", file=True)
    corpus_name: Optional[str] = None  # the user's file name of an upload stored under its hash


COLUMN_ROLES = ("user", "item", "rating", "time", "label")
COLUMN_HELP = {
    "user": "column holding the user id (default: guessed from the header)",
    "item": "column holding the item id (default: guessed from the header)",
    "rating": "column holding the rating (default: guessed; none: every row is a positive)",
    "time": "column holding the timestamp (default: guessed; none: a random split)",
    "label": "0/1 column: 0 = observed negative (default: guessed; none: every row is a positive)",
}


def _no_columns() -> dict[str, Optional[str]]:
    return dict.fromkeys(COLUMN_ROLES)


@dataclass
class UserItemData:
    """The interaction log (and optional item metadata) a user-item run reads."""

    interactions: str = data_field(help="interaction log: CSV/TSV, JSON lines, RecBole .inter, MovieLens u.data or "
                                        "ratings.dat (encoding and columns detected)", file=True)
    items: Optional[str] = data_field(None, "item metadata file (id, title, genre, ...): CSV/TSV, JSON lines, "
                                      "RecBole .item, MovieLens u.item or movies.dat (default: none)", file=True)
    columns: dict[str, Optional[str]] = data_field(help="role -> column name (None: guessed)", roles=COLUMN_HELP,
                                                   default_factory=_no_columns)
    interactions_name: Optional[str] = None
    items_name: Optional[str] = None
    title_col: Optional[str] = data_field(None, "item metadata column holding titles (default: guessed from "
                                          "names like title, movie_title, name)")
    category_col: Optional[str] = data_field(None, "item metadata column holding genres or categories, several "
                                             "separated by | or spaces (default: guessed from names like genre, "
                                             "genres, class, category)")

    def __post_init__(self) -> None:
        if not isinstance(self.columns, dict):
            raise ExplorerError("columns: expected a mapping of role to column name", code="spec_invalid",
                                what="columns")
        unknown = set(self.columns) - set(COLUMN_ROLES)
        if unknown:
            raise ExplorerError(f"columns: unknown role {sorted(unknown)[0]!r} (roles: {', '.join(COLUMN_ROLES)})",
                                code="spec_invalid", what="columns")
        self.columns = _no_columns() | {k: (None if v in (None, "") else str(v)) for k, v in self.columns.items()}


@dataclass
class GraphData:
    """The graph a node-embedding run reads (edge list, GraphML, GML or GEXF) and optional node labels."""

    edges: str = data_field(help="graph file: edge list (.csv/.tsv/.txt, lines 'source target [weight]'), "
                                 ".graphml, .gml or .gexf", file=True)
    labels: Optional[str] = data_field(None, "file of node,label rows: communities or classes, for colours and "
                                       "evaluation (default: none)", file=True)
    edges_name: Optional[str] = None  # the user's file names of uploads stored under their hash
    labels_name: Optional[str] = None


# --------------------------------------------------------------------------- kinds


@dataclass(frozen=True)
class Capabilities:
    """What a kind's runs offer; pages branch on these, never on the kind's name."""

    words: bool = False  # rows are tokens: neighbours of a typed word, analogies, word-pair tests
    users: bool = False  # users and items: recommendations, ranking metrics
    frames: bool = False  # can keep frames of the vectors during training ("watch it learn")
    corpus: bool = False  # reads a text corpus (a CorpusConfig applies)
    graph: bool = False  # rows are graph nodes: link prediction, node classification


@dataclass(frozen=True)
class TrainingKind:
    """One training kind, declared once."""

    name: str
    help: str  # one line for ``--help``
    data_cls: type
    config_cls: type
    runner: str  # "module:function", imported when a job runs: function(spec: dict, out_dir, callback) -> Path
    run_files: tuple[str, ...]  # files every finished run of this kind holds
    capabilities: Capabilities
    rate_unit: str = "words"  # what the progress rate counts (i18n ``train.<unit>_per_s``)
    example: str = ""  # data flags of a ``--help`` example on the bundled samples (``sample --out sample``)

    def load_runner(self) -> Callable[..., Path]:
        return load_runner(self.runner)


@dataclass(frozen=True)
class JobKind:
    """A job that is not training (projection, precompute, ...): it writes into an existing run's cache."""

    name: str
    runner: str  # "module:function": function(spec: dict, out_dir=None, callback) -> None

    def load_runner(self) -> Callable[..., None]:
        return load_runner(self.runner)


def load_runner(runner: str) -> Callable[..., Any]:
    """The function named by ``"module:function"`` (imported when a job runs)."""
    module, _, name = runner.partition(":")
    return getattr(importlib.import_module(module), name)


_TRAINING: dict[str, TrainingKind] = {}
_JOBS: dict[str, JobKind] = {}


def register(kind: TrainingKind | JobKind) -> None:
    """Add ``kind`` to the registry (a name is registered once)."""
    table: dict = _TRAINING if isinstance(kind, TrainingKind) else _JOBS
    if kind.name in _TRAINING or kind.name in _JOBS:
        raise ValueError(f"kind {kind.name!r} is registered already")
    table[kind.name] = kind


def unregister(name: str) -> None:
    """Remove kind ``name`` from the registry (tests that register throwaway kinds clean up with this)."""
    _TRAINING.pop(name, None)
    _JOBS.pop(name, None)


def training_kinds() -> dict[str, TrainingKind]:
    """Registered training kinds by name, in registration order."""
    return dict(_TRAINING)


def job_kinds() -> dict[str, JobKind]:
    """Registered non-training job kinds by name."""
    return dict(_JOBS)


def training_kind(name: object) -> TrainingKind:
    """The training kind called ``name``; an :class:`ExplorerError` naming the known ones otherwise."""
    kind = _TRAINING.get(name) if isinstance(name, str) else None
    if kind is None:
        raise ExplorerError(f"spec: unknown training kind {name!r} (expected one of {', '.join(_TRAINING)})",
                            code="unknown_kind", kind=str(name), known=", ".join(_TRAINING))
    return kind


# --------------------------------------------------------------------------- specs


@dataclass
class TrainingSpec:
    """A complete description of one training run: what the job table stores (as :meth:`to_dict`)."""

    kind: str
    data: Any  # the kind's data dataclass
    config: Any  # the kind's config dataclass
    name: str = ""
    corpus_config: Optional[CorpusConfig] = None  # kinds with ``capabilities.corpus``
    out: Optional[str] = None  # ``submit --out``: where the worker copies the finished run

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict (the documented job-spec layout; absent optional parts are left out)."""
        out = {"kind": self.kind, "name": self.name, "data": asdict(self.data), "config": asdict(self.config)}
        if self.corpus_config is not None:
            out["corpus_config"] = asdict(self.corpus_config)
        if self.out is not None:
            out["out"] = self.out
        return out


def _build(cls: type, data: Any, what: str) -> Any:
    if not isinstance(data, dict):
        raise ExplorerError(f"spec: {what} must be a JSON object", code="spec_invalid", what=what)
    required = [f.name for f in fields(cls) if f.default is f.default_factory]  # neither given: MISSING both
    missing = [n for n in required if data.get(n) in (None, "")]
    if missing:
        raise ExplorerError(f"spec: {what}.{missing[0]} is required", code="spec_invalid", what=f"{what}.{missing[0]}")
    try:
        return from_dict(cls, data)
    except TypeError as exc:
        raise ExplorerError(f"spec: {what}: {exc}", code="spec_invalid", what=what) from None


def spec_from_dict(spec: Any) -> TrainingSpec:
    """The typed, validated :class:`TrainingSpec` of a job-spec dict (from the job table or an API caller)."""
    if isinstance(spec, TrainingSpec):
        spec = spec.to_dict()
    if not isinstance(spec, dict):
        raise ExplorerError("spec: a job spec must be a JSON object", code="spec_invalid", what="spec")
    kind = training_kind(spec.get("kind"))
    data = _build(kind.data_cls, spec.get("data"), "data")
    config = _build(kind.config_cls, spec.get("config") or {}, "config").validate()
    corpus_config = None
    if kind.capabilities.corpus:
        corpus_config = _build(CorpusConfig, spec.get("corpus_config") or {}, "corpus_config").validate()
    name = spec.get("name") or ""
    out = spec.get("out")
    if not isinstance(name, str) or (out is not None and not isinstance(out, str)):
        raise ExplorerError("spec: name and out must be text", code="spec_invalid", what="name")
    return TrainingSpec(kind=kind.name, data=data, config=config, name=name, corpus_config=corpus_config, out=out)


def default_name(spec: TrainingSpec) -> str:
    """A run's display name when none was given: the data file's name."""
    first = getattr(spec.data, fields(spec.data)[0].name)
    return spec.name or Path(str(first)).name


# --------------------------------------------------------------------------- the registry

register(TrainingKind(
    name="skipgram", help="word2vec Skip-gram on a text corpus", data_cls=SkipGramData, config_cls=SkipGramConfig,
    runner="explorer.training.skipgram:train_skipgram_run", run_files=("config.json", "vectors.npy", "vocab.tsv"),
    capabilities=Capabilities(words=True, frames=True, corpus=True), rate_unit="words",
    example="--corpus sample/sample_corpus.txt --labels sample/sample_labels.tsv"))
register(TrainingKind(
    name="useritem", help="user-item dot-product recommender", data_cls=UserItemData, config_cls=UserItemConfig,
    runner="explorer.training.useritem:train_useritem_run",
    run_files=("config.json", "users.npy", "users.tsv", "items.npy", "items.tsv", "item_bias.npy"),
    capabilities=Capabilities(users=True, frames=True), rate_unit="interactions",
    example="--interactions sample/sample_interactions.csv --items sample/sample_items.csv"))
register(TrainingKind(
    name="graph", help="node vectors from DeepWalk / node2vec walks (Skip-gram)", data_cls=GraphData,
    config_cls=GraphConfig, runner="explorer.training.graph:train_graph_run",
    run_files=("config.json", "metrics.json", "vectors.npy", "vocab.tsv"),
    capabilities=Capabilities(words=True, graph=True), rate_unit="steps",
    example="--edges sample/karate_edges.tsv --labels sample/karate_labels.tsv"))
register(JobKind(name="projection", runner="explorer.jobs.execute:run_projection"))
