"""The printable class report in the 中文 UI: the key numbers' column titles are translated (they were the raw
keys ``loss``, ``seconds``, ``words/s`` in an otherwise Chinese page)."""

from __future__ import annotations

import numpy as np

from explorer.i18n import t, value_text
from explorer.jobs import class_report, classes
from tests.support.runs import new_run_path, words_run


def test_key_number_titles_in_the_reports_language() -> None:
    klass = classes.create_class("初二（3）班")
    ann = classes.join(klass.code, "小红")
    words = [f"w{i}" for i in range(12)]
    words_run(new_run_path(ann.workspace), words, np.random.default_rng(0).normal(size=(12, 4)),
              config={"dim": 4, "epochs": 3, "arch": "cbow"}, name="小镇往事",
              metrics={"loss_per_epoch": [2.0, 0.5], "words_per_s": 100.0, "seconds": 0.2})
    page = class_report.to_html(klass.teacher_token, lambda k: t(f"class_report.{k}", "zh"),
                                label=lambda k: t(k, "zh"), number=lambda k: value_text("key_number", k, "zh"))
    head = page.split("<h2>", 2)[1]
    for name in ("loss", "seconds", "words/s"):
        assert f"<th>{value_text('key_number', name, 'zh')}</th>" in head, head
        assert f"<th>{name}</th>" not in head, head
