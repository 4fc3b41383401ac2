"""The SIF kind's Train-form widget: which word run's vectors to average (a picker of the runs this browser
may open, never a typed path)."""

from typing import Any

from explorer.jobs import sample_job
from pages._widgets import run_choices, tr


def word_run_ui(where: Any) -> dict[str, str]:
    """A picker of the visible word runs (the bundled sample's first); ``{"word_run": its folder}``."""
    choices = [c for c in run_choices() if c.capabilities.words]
    if not choices:  # the bundled sample's own word run (its data's preset) stays
        where.warning(tr("train.sif_no_word_run"), icon=":material/warning:")
        return {}
    sample = str(sample_job.sample_run_dir() or "")
    choices.sort(key=lambda c: c.path != sample)  # stable: the sample first, then newest first as listed
    seen: dict[str, int] = {}
    for c in choices:
        seen[c.label] = seen.get(c.label, 0) + 1
    labels = {c.path: c.label + (f" · {c.run_id[-6:]}" if seen[c.label] > 1 else "") for c in choices}
    path = where.selectbox(tr("train.sif_word_run"), [c.path for c in choices], format_func=labels.__getitem__,
                           help=tr("train.sif_word_run_help"), key="train_sif_word_run")
    return {"word_run": path}
