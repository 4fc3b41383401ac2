"""Every choice the Train and Data forms offer is shown in the UI's language (a select box of the 中文 UI showed
``auto`` for Doc2Vec's language, ``sum``/``word`` for GloVe's vectors, ``uniform``/``popularity`` for the
recommender's negatives and ``endpoint`` for the encoder)."""

from __future__ import annotations

from explorer.configs import CorpusConfig, field_specs
from explorer.i18n import table
from explorer.kinds.base import training_kinds
from explorer.train_form import form_fields


def test_every_form_choice_has_a_translated_label() -> None:
    values = table("values")
    missing = []
    for kind in training_kinds():
        for spec in form_fields(kind) + [s for s in field_specs(CorpusConfig) if s.ui]:
            missing += [f"{kind}: {spec.name}={c}" for c in spec.choices or () if f"{spec.name}={c}" not in values]
    assert not missing, missing
