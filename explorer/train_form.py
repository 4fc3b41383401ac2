"""What the Train page's form needs besides widgets: its fields, their widget bounds, and the job spec.

The form is generated from the chosen kind's config declarations (:func:`explorer.configs.param`,
``ui=True`` fields); the Data page's choice (a plain dict in the session) becomes a validated
:class:`explorer.kinds.TrainingSpec` through :func:`page_spec`. Nothing here names a kind: kinds
differ only by their declarations and :class:`explorer.kinds.Capabilities`.

    >>> [s.name for s in form_fields("useritem")][:3]
    ['dim', 'epochs', 'loss']
    >>> number_options(next(s for s in form_fields("skipgram") if s.name == "lr"))
    {'min_value': 0.001, 'max_value': 10.0, 'step': 0.001, 'format': '%.4f'}
"""

from __future__ import annotations

import math
from dataclasses import fields
from pathlib import Path
from typing import Any, Optional

from explorer.configs import CorpusConfig, FieldSpec, check_value, field_specs
from explorer.errors import ExplorerError
from explorer.kinds import TrainingKind, TrainingSpec, spec_from_dict, training_kind, training_kinds


def form_fields(kind: str) -> list[FieldSpec]:
    """The config fields the Train form offers for ``kind`` (declared with ``ui=True``), in order."""
    return [s for s in field_specs(training_kind(kind).config_cls) if s.ui]


def widget_key(kind: str, spec: FieldSpec) -> str:
    """The widget key of a form field: ``<ConfigClass>_<field>`` (stable across languages)."""
    return f"{training_kind(kind).config_cls.__name__}_{spec.name}"


def _step(default: float) -> float:
    """A step one decade under the default's leading digit (0.025 -> 0.001, 0.75 -> 0.01)."""
    if not default:
        return 0.01
    return 10.0 ** (math.floor(math.log10(abs(default))) - 1)


def number_options(spec: FieldSpec) -> dict[str, Any]:
    """``st.number_input`` keyword arguments from the declared bounds of a numeric field.

    An optional field (None = not set) is shown as 0 = not set, so its minimum is 0; a bound that
    excludes its minimum (a learning rate > 0) starts one step above it.
    """
    if spec.type is int:
        low = 0 if spec.optional else (None if spec.min is None else int(spec.min) + int(spec.min_exclusive))
        return {"min_value": low, "max_value": None if spec.max is None else int(spec.max), "step": 1}
    step = _step(float(spec.default or 0))
    low = None if spec.min is None else float(spec.min) + (step if spec.min_exclusive else 0.0)
    decimals = max(2, -math.floor(math.log10(step)) + 1)
    return {"min_value": low, "max_value": None if spec.max is None else float(spec.max), "step": step,
            "format": f"%.{decimals}f"}


def widget_value(spec: FieldSpec, value: Any) -> Any:
    """The value a widget shows for a config value (None of an optional number: 0)."""
    if value is None and spec.type in (int, float):
        return spec.type(0)
    return value


def config_value(spec: FieldSpec, value: Any) -> Any:
    """The config value of a widget's value (0 of an optional number: None, i.e. not set)."""
    if spec.optional and spec.type in (int, float) and not value:
        return None
    return value


# --------------------------------------------------------------------------- the Data page's choice


def data_slot(kind: str) -> str:
    """The session key under which the Data page keeps its choice for ``kind``'s data (its Data-page input)."""
    data_input = training_kind(kind).data_input
    if data_input is None:
        raise ExplorerError(f"{kind}: no Data-page input", code="kind_no_data_input", kind=kind)
    return data_input.slot


def kind_of_slot(slot: str) -> str:
    """The first training kind whose data the Data page keeps under ``slot`` (the kind Train opens on).

    >>> kind_of_slot("data_log")
    'useritem'
    """
    return next(k.name for k in training_kinds().values() if k.data_input is not None and k.data_input.slot == slot)


def sample_data(kind: str) -> dict[str, Any]:
    """The Data page's dict for the bundled sample of ``kind``'s data (written once, no download)."""
    return training_kind(kind).sample_data()


def config_preset(kind: str, data: dict[str, Any]) -> dict[str, Any]:
    """Config values chosen on the Data page (e.g. ``min_count``, ``min_rating``) for ``kind``'s form.

    Only keys named like a config field whose value is valid for it count (the Data page's
    ``sample: True`` marker is not a subsampling threshold).
    """
    out = {}
    for spec in field_specs(training_kind(kind).config_cls):
        if spec.name in data:
            try:
                out[spec.name] = check_value(spec, data[spec.name])
            except ExplorerError:
                continue
    return out


def too_few_words(data: dict[str, Any], min_count: Optional[int]) -> bool:
    """Whether the Data page counted fewer than 2 words at this (or a lower) min_count."""
    kept, counted_at = data.get("vocab_kept"), data.get("vocab_min_count")
    return kept is not None and kept < 2 and min_count is not None and min_count >= counted_at


def too_little_data(spec: TrainingSpec, data: dict[str, Any]) -> Optional[dict[str, Any]]:
    """The ``train.too_few_words`` message's values when what the Data page counted cannot train ``spec``
    (the kind decides: :meth:`explorer.kinds.TrainingKind.too_little_data`); None when it can."""
    return spec.training_kind.too_little_data(spec, data)


def _data_fields(kind: TrainingKind, data: dict[str, Any]) -> dict[str, Any]:
    """The kind's data dataclass values from the Data page's dict.

    ``path`` fills the kind's first field (its main file) and ``name`` the user's name of it
    (``<field>_name``); other keys that name a data field (``labels``, ``items``, ``columns``,
    ``items_name``, ...) are taken as they are. Paths become absolute.
    """
    names = [f.name for f in fields(kind.data_cls)]
    main = names[0]
    out = {k: v for k, v in data.items() if k in names}
    out[main] = str(Path(data["path"]).resolve())
    if f"{main}_name" in names:
        out[f"{main}_name"] = data.get("name")
    return out


def _corpus_config(data: dict[str, Any]) -> dict[str, Any]:
    """Corpus settings from the Data page's dict: keys named like the field or its flag (``stopwords``)."""
    out = {}
    for spec in field_specs(CorpusConfig):
        for key in (spec.name, spec.flag.lstrip("-").replace("-", "_")):
            if data.get(key) is not None:
                out[spec.name] = data[key]
    return out


def page_spec(kind: str, data: dict[str, Any], config: dict[str, Any], name: str = "") -> TrainingSpec:
    """The validated spec of a Train-form submission: ``data`` from the Data page, ``config`` from the form.

    Raises :class:`explorer.errors.ExplorerError` (with a code) when a value is out of bounds.
    """
    k = training_kind(kind)
    raw: dict[str, Any] = {"kind": k.name, "name": name or Path(str(data.get("name") or data["path"])).name,
                           "data": _data_fields(k, data), "config": config_preset(kind, data) | config}
    if k.capabilities.corpus:
        raw["corpus_config"] = _corpus_config(data)
    return spec_from_dict(raw)


def form_preset(kind: str, data: dict[str, Any]) -> dict[str, Any]:
    """The Train form's starting values: frames kept for kinds that can keep them (the lesson's player
    needs them; 0 turns them off), what suits the data the Data page counted (e.g. more epochs for a small
    corpus), then the Data page's presets (:func:`config_preset`)."""
    out: dict[str, Any] = {}
    if training_kind(kind).capabilities.frames:
        from explorer.training.frames import DEFAULT_FRAMES

        out["frames"] = DEFAULT_FRAMES
    return out | training_kind(kind).counted_preset(data) | config_preset(kind, data)
