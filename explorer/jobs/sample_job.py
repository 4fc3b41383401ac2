"""The bundled sample's training job, which the Learn page follows and shows.

On the first start of a server, app.py calls :func:`ensure_sample_job`, which queues the
bundled bilingual sample corpus as an ordinary training job, owned by a *samples* workspace whose
token is generated once per data home and kept in ``EXPLORER_HOME/samples/state.json`` (students
never see that token, so nobody can cancel or delete the sample). The Learn page follows that
job's progress and, once it is done, shows real vectors from it; the finished run is published to
the read-only class gallery, so every workspace can open it. Restarting the server reuses the
finished run; a failed or lost sample job is queued again.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Optional

from explorer.configs import CorpusConfig, SkipGramConfig
from explorer.jobs import workspaces
from explorer.jobs.submission import submit
from explorer.jobs.table import get
from explorer.kinds import SkipGramData, TrainingSpec
from explorer.samples.files import locked, sample_files, samples_dir

SAMPLE_NAME = "bundled sample"


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


def ensure_sample_job() -> str:
    """Queue the bundled sample's training unless it is queued, running or done; its job id."""
    workspace = sample_workspace()
    with locked(samples_dir() / ".state.lock"):
        state = _read_state()
        info = get(state.get("job", ""))
        if info is not None and (info.active or
                                 (info.state == "done" and info.run_dir and Path(info.run_dir).is_dir())):
            return info.id
        files = sample_files()
        spec = TrainingSpec(kind="skipgram", name=SAMPLE_NAME, config=SkipGramConfig(), corpus_config=CorpusConfig(),
                            data=SkipGramData(corpus=str(files.corpus), labels=str(files.labels)))
        job_id = submit(spec, workspace)
        state.update(workspace=workspace, job=job_id)
        _state_path().write_text(json.dumps(state), encoding="utf-8")
        return job_id


def sample_job_id() -> Optional[str]:
    """The bundled sample's job id, or None before :func:`ensure_sample_job` ran."""
    return _read_state().get("job")


def sample_run_dir() -> Optional[Path]:
    """The bundled sample's run in the class gallery, or None while it is not trained.

    The finished run is published to the gallery the first time this is asked, so that every
    workspace can open it read-only (and queue t-SNE/UMAP projections of it).
    """
    state = _read_state()
    info = get(state.get("job", ""))
    if info is None or info.state != "done" or not info.run_dir:
        return None
    run_dir = Path(info.run_dir)
    published = workspaces.gallery_dir() / run_dir.name
    if not published.is_dir():
        if not run_dir.is_dir():
            return None
        workspaces.publish(state["workspace"], run_dir.name)
    return published
