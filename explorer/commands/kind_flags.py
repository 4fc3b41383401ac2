"""The ``train``/``submit`` flags of every training kind, generated from the registry.

Each kind's data fields (:func:`explorer.kinds.data_field`), its config fields and -- for kinds
that read a corpus -- the corpus settings (:func:`explorer.configs.param`) become flags, with the
declared help, default, choices and bounds; :func:`spec_from_args` turns the parsed flags back into
a validated :class:`explorer.kinds.TrainingSpec`. A field added to a dataclass therefore appears on
the command line with no edit here.

    >>> import argparse
    >>> p = argparse.ArgumentParser()
    >>> add_kind_flags(p, "useritem")
    >>> "--neg-alpha" in p._option_string_actions and "--user-col" in p._option_string_actions
    True
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, Optional

from explorer.configs import CorpusConfig, FieldSpec, field_specs
from explorer.errors import ExplorerError
from explorer.kinds import DataFieldSpec, TrainingSpec, data_field_specs, spec_from_dict, training_kind

# argparse ``dest`` prefixes keep the three namespaces (data, config, corpus settings) apart
_DATA, _CONFIG, _CORPUS = "data__", "config__", "corpus__"


def _fmt(x: Any) -> str:
    return f"{x:g}" if isinstance(x, float) else str(x)


def bounds_text(spec: FieldSpec) -> str:
    """The declared bounds of a field as text: ``1..1000``, ``> 0``, ``>= 2`` (empty when unbounded)."""
    low = None if spec.min is None else ("> " if spec.min_exclusive else ">= ") + _fmt(spec.min)
    if spec.min is not None and spec.max is not None and not spec.min_exclusive:
        return f"{_fmt(spec.min)}..{_fmt(spec.max)}"
    if low and spec.max is not None:
        return f"{low}, <= {_fmt(spec.max)}"
    return low or ("" if spec.max is None else f"<= {_fmt(spec.max)}")


def config_help(spec: FieldSpec) -> str:
    """``--help`` text of a config field: what it does, its bounds, its default (choices show in the flag).

    >>> from explorer.configs import field_spec
    >>> from explorer.kinds import SkipGramConfig
    >>> config_help(field_spec(SkipGramConfig, "max_vocab"))
    'keep only the most frequent words [2..10000000] (default: no cap)'
    """
    text, _, said = spec.help.partition(" (default")  # a help may say what its default means
    bounds = bounds_text(spec)
    text += f" [{bounds}]" if bounds else ""
    if said:
        text += " (default" + said
    else:
        default = "off" if spec.default is False else "on" if spec.default is True else spec.default
        text += f" (default: {_fmt(default)})"
    return text.replace("%", "%%")


def _add_config_flag(group: Any, spec: FieldSpec, prefix: str) -> None:
    dest = prefix + spec.name
    help_ = config_help(spec)
    if spec.type is bool:
        if spec.default:
            group.add_argument(spec.flag, dest=dest, action=argparse.BooleanOptionalAction, default=True, help=help_)
        else:
            group.add_argument(spec.flag, dest=dest, action="store_true", help=help_)
        return
    metavar = None if spec.choices else {int: "N", float: "X", str: "TEXT"}.get(spec.type, "VALUE")
    group.add_argument(spec.flag, dest=dest, type=spec.type, default=spec.default, choices=spec.choices,
                       metavar=metavar, help=help_)


def _add_data_flag(group: Any, spec: DataFieldSpec) -> None:
    if spec.roles:
        for role, flag in spec.role_flags().items():
            group.add_argument(flag, dest=f"{_DATA}{spec.name}__{role}", default=None, metavar="COLUMN",
                               help=spec.roles[role])
        return
    group.add_argument(spec.flag, dest=_DATA + spec.name, required=spec.required, default=spec.default,
                       metavar="PATH" if spec.file else "VALUE",
                       help=spec.help + (" (required)" if spec.required else ""))


def add_kind_flags(parser: argparse.ArgumentParser, kind_name: str) -> None:
    """Add the data, corpus-setting and hyperparameter flags of training kind ``kind_name``."""
    kind = training_kind(kind_name)
    data = parser.add_argument_group("data")
    for spec in data_field_specs(kind.data_cls):
        _add_data_flag(data, spec)
    if kind.capabilities.corpus:
        corpus = parser.add_argument_group("corpus settings")
        for spec in field_specs(CorpusConfig):
            if spec.cli:
                _add_config_flag(corpus, spec, _CORPUS)
    hyper = parser.add_argument_group("hyperparameters")
    for spec in field_specs(kind.config_cls):
        if spec.cli:
            _add_config_flag(hyper, spec, _CONFIG)


def _existing_file(path: Optional[str], flag: str) -> Optional[str]:
    if path is None:
        return None
    p = Path(path)
    what = flag.lstrip("-").replace("-", " ")
    if not p.exists():
        raise ExplorerError(f"{path}: {what} file not found", code="file_not_found", path=str(path), what=what)
    if not p.is_file():
        raise ExplorerError(f"{path}: {what} is not a file", code="not_a_file", path=str(path), what=what)
    return str(p.resolve())


def _collect(args: argparse.Namespace, prefix: str) -> dict[str, Any]:
    return {k[len(prefix):]: v for k, v in vars(args).items() if k.startswith(prefix) and "__" not in k[len(prefix):]}


def spec_from_args(kind_name: str, args: argparse.Namespace) -> TrainingSpec:
    """The validated :class:`TrainingSpec` of the parsed ``train``/``submit`` flags of ``kind_name``.

    Hyperparameters are checked first (bounds, choices), then the data files must exist; file
    paths become absolute. Raises :class:`ExplorerError` (one line naming the parameter or file).
    """
    kind = training_kind(kind_name)
    data: dict[str, Any] = {}
    data_specs = data_field_specs(kind.data_cls)
    for spec in data_specs:
        if spec.roles:
            data[spec.name] = {role: getattr(args, f"{_DATA}{spec.name}__{role}", None) for role in spec.roles}
        else:
            data[spec.name] = getattr(args, _DATA + spec.name, spec.default)
    raw: dict[str, Any] = {"kind": kind.name, "data": data, "config": _collect(args, _CONFIG)}
    if kind.capabilities.corpus:
        raw["corpus_config"] = _collect(args, _CORPUS)
    typed = spec_from_dict(raw)  # built once; hyperparameters first: a bad value is reported before a missing file
    for spec in data_specs:  # contradictory options: two roles given the same column
        if spec.roles:
            seen: dict[str, str] = {}
            for role, col in (getattr(typed.data, spec.name) or {}).items():
                if col in (None, ""):
                    continue
                if str(col) in seen:
                    raise ExplorerError(f"--{seen[str(col)]}-col and --{role}-col: both name the column "
                                        f"{str(col)[:60]!r}; each role needs its own column", code="columns_same",
                                        first=seen[str(col)], second=role, column=str(col)[:60])
                seen[str(col)] = role
    for spec in data_specs:  # the data files must exist; they are kept as absolute paths
        if spec.file:
            setattr(typed.data, spec.name, _existing_file(getattr(typed.data, spec.name), spec.flag))
    main_file = next((s for s in data_specs if s.file and s.required), None)
    typed.name = Path(str(getattr(typed.data, main_file.name))).name if main_file else kind.name
    return typed
