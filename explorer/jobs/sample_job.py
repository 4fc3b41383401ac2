"""The bundled samples' training jobs, which the Learn and lesson pages follow and show.

Besides the text sample (key ``job``), the bundled interaction log is trained for the recommender lesson
(``useritem_job``), both with frames; the objective lesson queues two small comparison runs on first use
(:data:`SAMPLE_KEYS`).

On the first start of a server, app.py calls :func:`ensure_sample_job`, which queues the
bundled bilingual sample corpus as an ordinary training job, owned by a *samples* workspace whose
token is generated once per data home and kept in ``EXPLORER_HOME/samples/state.json`` (students
never see that token, so nobody can cancel or delete the sample). The Learn page follows that
job's progress and, once it is done, shows real vectors from it; the finished run is published to
the read-only class gallery, so every workspace can open it. Restarting the server reuses the
finished run; a failed or lost sample job is queued again.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any, Optional

from explorer.configs import CorpusConfig
from explorer.jobs import workspaces
from explorer.jobs.submission import submit
from explorer.jobs.table import get
from explorer.kinds import TrainingSpec, skipgram, useritem
from explorer.samples.files import locked, sample_files, samples_dir

SAMPLE_NAME = "bundled sample"
SAMPLE_USERITEM_NAME = "bundled sample log"
#: the objective lesson compares the two Skip-gram objectives on the sample with this small config
COMPARE_CONFIG = skipgram.SkipGramConfig(dim=50, epochs=3, workers=1)
#: sample jobs by state key: the text sample, the log (recommender lesson), the two objective-comparison runs
SAMPLE_KEYS = ("job", "useritem_job", "compare_negative-sampling_job", "compare_softmax_job")


def _state_path() -> Path:
    return samples_dir() / "state.json"


def _read_state() -> dict[str, Any]:
    try:
        return json.loads(_state_path().read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return {}


def sample_workspace() -> str:
    """The samples workspace token (generated once per data home)."""
    with locked(samples_dir() / ".state.lock"):
        state = _read_state()
        if not workspaces.is_valid_token(state.get("workspace")):
            state = {"workspace": workspaces.new_token()}
            _state_path().write_text(json.dumps(state), encoding="utf-8")
        return state["workspace"]


def _sample_spec(key: str) -> TrainingSpec:
    from explorer.training.frames import DEFAULT_FRAMES

    files = sample_files()
    if key == "useritem_job":
        return TrainingSpec(kind=useritem.KIND.name, name=SAMPLE_USERITEM_NAME,
                            config=useritem.UserItemConfig(frames=DEFAULT_FRAMES),
                            data=useritem.UserItemData(interactions=str(files.interactions), items=str(files.items)))
    text = skipgram.SkipGramData(corpus=str(files.corpus), labels=str(files.labels))
    if key.startswith("compare_"):
        loss = key[len("compare_"):-len("_job")]
        return TrainingSpec(kind=skipgram.KIND.name, name=f"{SAMPLE_NAME} ({loss})", corpus_config=CorpusConfig(),
                            data=text, config=dataclasses.replace(COMPARE_CONFIG, loss=loss))
    return TrainingSpec(kind=skipgram.KIND.name, name=SAMPLE_NAME, config=skipgram.SkipGramConfig(frames=DEFAULT_FRAMES),
                        corpus_config=CorpusConfig(), data=text)


def sample_run_names() -> list[str]:
    """The names of the bundled samples' runs (what the UI translates: ``run_name=<name>`` in the values table)."""
    return [_sample_spec(key).name for key in SAMPLE_KEYS]


def _ensure_sample(key: str) -> str:
    from explorer.runs.frames import has_frames

    if key not in SAMPLE_KEYS:
        raise ValueError(f"unknown sample job {key!r}")
    wants_frames = not key.startswith("compare_")  # a sample trained before frames existed is trained again
    workspace = sample_workspace()
    with locked(samples_dir() / ".state.lock"):
        state = _read_state()
        info = get(state.get(key, ""))
        if info is not None and (info.active or
                                 (info.state == "done" and info.run_dir and Path(info.run_dir).is_dir()
                                  and (has_frames(Path(info.run_dir)) or not wants_frames))):
            return info.id
        job_id = submit(_sample_spec(key), workspace)
        state.update({"workspace": workspace, key: job_id})
        _state_path().write_text(json.dumps(state), encoding="utf-8")
        return job_id


def ensure_sample_job() -> str:
    """Queue the bundled sample's training (Skip-gram, with frames) unless it is queued, running or done; its job id."""
    return _ensure_sample("job")


def ensure_sample_useritem_job() -> str:
    """The same for the bundled interaction log (user-item, with frames), used by the recommender lesson."""
    return _ensure_sample("useritem_job")


def ensure_compare_jobs() -> list[str]:
    """The two small runs (negative sampling, full softmax) the objective lesson compares; their job ids."""
    return [_ensure_sample(key) for key in SAMPLE_KEYS[2:]]


def sample_job_id(key: str = "job") -> Optional[str]:
    """The bundled sample's job id (``key`` "useritem_job": the log's), or None before it was queued."""
    return _read_state().get(key)


def sample_run_dir(key: str = "job") -> Optional[Path]:
    """The bundled sample's run in the class gallery, or None while it is not trained.

    The finished run is published to the gallery the first time this is asked, so that every
    workspace can open it read-only (and queue t-SNE/UMAP projections of it).
    ``key`` "useritem_job": the bundled interaction log's run (see :data:`SAMPLE_KEYS`).
    """
    state = _read_state()
    info = get(state.get(key, ""))
    if info is None or info.state != "done" or not info.run_dir:
        return None
    run_dir = Path(info.run_dir)
    published = workspaces.gallery_dir() / run_dir.name
    if not published.is_dir():
        if not run_dir.is_dir():
            return None
        workspaces.publish(state["workspace"], run_dir.name)
    return published
