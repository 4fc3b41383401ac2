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


def test_every_bundled_sample_run_is_named_in_chinese() -> None:
    """The objective step's two comparison runs appeared in the 中文 pickers as "bundled sample
    (negative-sampling)"; the samples are called 自带样例 everywhere (the log's run said 内置样例日志)."""
    from explorer.i18n import t, value_text
    from explorer.jobs.sample_job import sample_run_names

    for name in sample_run_names():
        shown = value_text("run_name", name, "zh")
        assert shown.startswith(t("common.sample_run", "zh")), (name, shown)
