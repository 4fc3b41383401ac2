"""Small real runs of the bundled samples (text and log, with frames), and finishing the queued sample jobs with
them as a worker would: the lesson and 中文-UI page tests and bench/bench_lesson.py share them."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from explorer import jobs
from explorer.configs import to_dict
from explorer.jobs import sample_job, workspaces
from explorer.kinds import SkipGramConfig, UserItemConfig, spec_from_dict


def train_small_samples(base: Path) -> dict[str, Path]:
    """Small real runs of the bundled text and log, with frames, under ``base`` (also used by bench/)."""
    from explorer.samples.corpus import write_sample_corpus
    from explorer.samples.interactions import write_sample_interactions
    from explorer.training.skipgram import train_skipgram_run
    from explorer.training.useritem import train_useritem_run

    corpus, labels = write_sample_corpus(base)
    log, items = write_sample_interactions(base)
    text = train_skipgram_run(spec_from_dict({"kind": "skipgram", "name": "bundled sample", "corpus_config": {},
                               "data": {"corpus": str(corpus), "labels": str(labels)},
                               "config": to_dict(SkipGramConfig(dim=24, epochs=2, frames=6, workers=1))}),
                              base / "text", lambda p: None)
    recs = train_useritem_run(spec_from_dict({"kind": "useritem", "name": "bundled sample log",
                               "data": {"interactions": str(log), "items": str(items)},
                               "config": to_dict(UserItemConfig(dim=8, epochs=3, frames=6))}), base / "log",
                              lambda p: None)
    return {"job": text, "useritem_job": recs}


def finish_samples(trained: dict[str, Path], keys: tuple[str, ...] = ("job", "useritem_job")) -> None:
    """Claim the queued sample jobs and finish them with copies of the trained runs, as a worker would."""
    for key in keys:
        job_id = sample_job.sample_job_id(key)
        claim = jobs.claim(job_id, "test-worker", os.getpid())
        assert claim is not None, key
        out = workspaces.run_path(claim.workspace, claim.run_id)
        shutil.copytree(trained["job" if key.startswith("compare_") else key], out)
        assert jobs.finish(job_id, "done", run_dir=str(out))


def train_small_glove(base: Path) -> Path:
    """A small real GloVe run of the bundled text (the same corpus file as :func:`train_small_samples`'s), under
    ``base``/glove."""
    from explorer.kinds import GloveConfig
    from explorer.samples.corpus import write_sample_corpus
    from explorer.training.glove.run import train_glove_run

    corpus, labels = write_sample_corpus(base)
    return train_glove_run(spec_from_dict({"kind": "glove", "name": "bundled sample GloVe", "corpus_config": {},
                                           "data": {"corpus": str(corpus), "labels": str(labels)},
                                           "config": to_dict(GloveConfig(dim=16, epochs=10, workers=1))}),
                           base / "glove", lambda p: None)
