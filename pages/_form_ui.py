"""One widget for one config field (the Train form and the teacher's assignment form share it)."""

from __future__ import annotations

from typing import Any, Optional

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from explorer import train_form
from explorer.configs import FieldSpec
from explorer.i18n import table, value_text
from explorer.kinds import training_kinds
from pages._widgets import lang, tr


def field_widget(where: DeltaGenerator, spec: FieldSpec, value: Any, key: str, *, disabled: bool = False,
                 bounds: Optional[tuple[Optional[float], Optional[float]]] = None, help_: Optional[str] = None) -> Any:
    """The widget of config field ``spec`` showing ``value``; returns the config value chosen.

    ``bounds`` (low, high) narrow the declared bounds of a number (a class's limits, an assignment's range);
    ``disabled`` shows a value fixed by the teacher.
    """
    value = train_form.widget_value(spec, value)
    label = tr(f"train.f_{spec.name}")
    default = value_text("default" if spec.default in (None, True, False) else spec.name, spec.default, lang())
    help_ = help_ or tr(f"train.help_{spec.name}", default=default)
    if spec.type is bool:
        value = where.checkbox(label, value=bool(value), help=help_, key=key, disabled=disabled)
    elif spec.choices:
        shown = {c: value_text(spec.name, c, lang()) for c in spec.choices}  # translated now, not when asked later
        value = where.selectbox(label, spec.choices, index=spec.choices.index(value), help=help_, key=key,
                                disabled=disabled, format_func=shown.__getitem__)
    else:
        options = train_form.number_options(spec)
        low, high = bounds or (None, None)
        if low is not None:
            options["min_value"] = spec.type(low if options["min_value"] is None else max(low, options["min_value"]))
        if high is not None:
            options["max_value"] = spec.type(high if options["max_value"] is None else min(high, options["max_value"]))
        shown = spec.type(value)
        if options["min_value"] is not None:
            shown = max(shown, options["min_value"])
        if options["max_value"] is not None:
            shown = min(shown, options["max_value"])
        value = where.number_input(label, value=shown, help=help_, key=key, disabled=disabled, **options)
    return train_form.config_value(spec, value)


def bounds_text(bounds: tuple[Optional[float], Optional[float]]) -> str:
    low, high = bounds
    return f"{'' if low is None else f'{low:g}'}…{'' if high is None else f'{high:g}'}"


def counted_note_ui(kind: str, data: dict, note: str = "train.counted_preset") -> dict[str, Any]:
    """Say why a starting value differs from the usual one (e.g. more epochs for a small corpus), from what the Data
    page counted (``data["vocab_tokens"]``); returns those values (field -> value), {} when none differs.

    ``note``: the string that says it (``{tokens}``, ``{changes}``); a kind may have its own (``<note>_<kind>``)."""
    changed = training_kinds()[kind].counted_preset(data)
    tokens = data.get("vocab_tokens")
    if changed and isinstance(tokens, int):
        usual = training_kinds()[kind].config_cls()
        changes = ", ".join(tr("train.counted_change", field=tr(f"train.f_{name}"), value=value,
                               usual=getattr(usual, name)) for name, value in changed.items())
        module, name = note.split(".", 1)
        own = f"{name}_{kind}"  # a kind may say it in its own words (documents, not a corpus)
        key = f"{module}.{own}" if own in table(module) else note
        st.caption(tr(key, tokens=f"{tokens:,}", changes=changes))
    return changed
