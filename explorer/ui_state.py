"""Plain helpers behind the app's pages (no Streamlit here): the bundled sample that the Learn
page shows, job specs built from page choices, and the three similarity measures side by side.

The bundled sample
------------------
On the first start of a server, app.py calls :func:`ensure_sample_job`, which queues the
bundled bilingual sample corpus as an ordinary training job, owned by a *samples* workspace whose
token is generated once per data home and kept in ``EXPLORER_HOME/samples/state.json`` (students
never see that token, so nobody can cancel or delete the sample). The Learn page follows that
job's progress and, once it is done, shows real vectors from it; the finished run is published to
the read-only class gallery, so every workspace can explore it. Restarting the server reuses the finished run; a failed or lost
sample job is queued again.
"""

from __future__ import annotations

import fcntl
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

import numpy as np

from explorer.configs import CorpusConfig, SkipGramConfig, UserItemConfig, to_dict
from explorer.errors import ExplorerError
from explorer.paths import explorer_home

ACTIVE_STATES = ("queued", "running")
TERMINAL_STATES = ("done", "failed", "cancelled")
SAMPLE_NAME = "bundled sample"
SAMPLE_USERITEM_NAME = "bundled sample log"


# --------------------------------------------------------------------------- job specs


def skipgram_spec(
    corpus: Path,
    cfg: SkipGramConfig,
    corpus_cfg: Optional[CorpusConfig] = None,
    labels: Optional[Path] = None,
    name: str = "",
    file_name: Optional[str] = None,
) -> dict[str, Any]:
    """A Skip-gram job spec (see :mod:`explorer.training`); validates ``cfg``.

    ``file_name`` is the user's name for an uploaded corpus (stored under its hash), so that
    errors and the run's provenance name the file the user knows."""
    cfg.validate()
    return {
        "kind": "skipgram",
        "name": name or Path(corpus).name,
        "data": {"corpus": str(Path(corpus).resolve()), "labels": str(Path(labels).resolve()) if labels else None,
                 "user_words": None, "corpus_name": file_name},
        "corpus_config": to_dict(corpus_cfg or CorpusConfig()),
        "config": to_dict(cfg),
    }


def useritem_spec(
    interactions: Path,
    cfg: UserItemConfig,
    columns: Optional[dict[str, Optional[str]]] = None,
    items: Optional[Path] = None,
    name: str = "",
    file_name: Optional[str] = None,
    items_name: Optional[str] = None,
) -> dict[str, Any]:
    """A user-item job spec (see :mod:`explorer.training`); validates ``cfg``.

    ``file_name`` / ``items_name``: the user's names of uploaded files (stored under their hash)."""
    cfg.validate()
    roles = ("user", "item", "rating", "time", "label")
    return {
        "kind": "useritem",
        "name": name or Path(interactions).name,
        "data": {"interactions": str(Path(interactions).resolve()),
                 "items": str(Path(items).resolve()) if items else None,
                 "columns": {role: (columns or {}).get(role) for role in roles},
                 "interactions_name": file_name, "items_name": items_name},
        "config": to_dict(cfg),
    }


# --------------------------------------------------------------------------- bundled samples


@dataclass(frozen=True)
class SampleFiles:
    """Paths of the bundled samples, written once under ``EXPLORER_HOME/samples/data``."""

    corpus: Path
    labels: Path
    interactions: Path
    items: Path


def samples_dir() -> Path:
    path = explorer_home() / "samples"
    path.mkdir(parents=True, exist_ok=True)
    return path


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    """An exclusive lock between processes and threads (several servers may share a home)."""
    with open(path, "a+") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def sample_files() -> SampleFiles:
    """Write the bundled text and interaction samples once (generated, no download)."""
    from explorer.samples.corpus import write_sample_corpus
    from explorer.samples.interactions import write_sample_interactions

    base = samples_dir()
    data = base / "data"
    names = {"corpus": "corpus", "labels": "labels", "interactions": "interactions", "items": "items"}
    index = data / "files.json"
    with _locked(base / ".files.lock"):
        if index.is_file():
            paths = {k: Path(v) for k, v in json.loads(index.read_text(encoding="utf-8")).items()}
            if set(paths) == set(names) and all(p.is_file() for p in paths.values()):
                return SampleFiles(**paths)
        data.mkdir(parents=True, exist_ok=True)
        corpus, labels = write_sample_corpus(data)
        log, items = write_sample_interactions(data)
        paths = {"corpus": Path(corpus), "labels": Path(labels), "interactions": Path(log), "items": Path(items)}
        index.write_text(json.dumps({k: str(v) for k, v in paths.items()}), encoding="utf-8")
        return SampleFiles(**paths)


def _state_path() -> Path:
    return samples_dir() / "state.json"


def _read_state() -> dict[str, Any]:
    try:
        return json.loads(_state_path().read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return {}


def sample_workspace() -> str:
    """The samples workspace token (generated once per data home)."""
    from explorer.jobs import workspaces

    with _locked(samples_dir() / ".state.lock"):
        state = _read_state()
        if not workspaces.is_valid_token(state.get("workspace")):
            state = {"workspace": workspaces.new_token()}
            _state_path().write_text(json.dumps(state), encoding="utf-8")
        return state["workspace"]


#: the objective lesson compares the two Skip-gram objectives on the sample with this small config
COMPARE_CONFIG = {"dim": 50, "epochs": 3, "workers": 1}
#: sample jobs by state key: the text sample, the log, and the two objective-comparison runs
SAMPLE_KEYS = ("job", "useritem_job", "compare_negative-sampling_job", "compare_softmax_job")


def _sample_spec(key: str) -> dict[str, Any]:
    from explorer.training.frames import DEFAULT_FRAMES

    files = sample_files()
    if key == "useritem_job":
        return useritem_spec(files.interactions, UserItemConfig(frames=DEFAULT_FRAMES), items=files.items,
                             name=SAMPLE_USERITEM_NAME)
    if key.startswith("compare_"):
        loss = key[len("compare_"):-len("_job")]
        return skipgram_spec(files.corpus, SkipGramConfig(**COMPARE_CONFIG, loss=loss), labels=files.labels,
                             name=f"{SAMPLE_NAME} ({loss})")
    return skipgram_spec(files.corpus, SkipGramConfig(frames=DEFAULT_FRAMES), labels=files.labels, name=SAMPLE_NAME)


def _ensure_sample(key: str) -> str:
    from explorer import jobs
    from explorer.runs.frames import has_frames

    workspace = sample_workspace()
    with _locked(samples_dir() / ".state.lock"):
        state = _read_state()
        info = jobs.get(state.get(key, ""))
        if key not in SAMPLE_KEYS:
            raise ValueError(f"unknown sample job {key!r}")
        wants_frames = not key.startswith("compare_")  # a sample trained before frames existed is trained again
        if info is not None and (info.state in ACTIVE_STATES or
                                 (info.state == "done" and info.run_dir and Path(info.run_dir).is_dir()
                                  and (has_frames(Path(info.run_dir)) or not wants_frames))):
            return info.id
        job_id = jobs.submit(_sample_spec(key), workspace)
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
    ``key`` "useritem_job": the bundled interaction log's run.
    """
    from explorer import jobs
    from explorer.jobs import workspaces

    state = _read_state()
    info = jobs.get(state.get(key, ""))
    if info is None or info.state != "done" or not info.run_dir:
        return None
    run_dir = Path(info.run_dir)
    published = workspaces.gallery_dir() / run_dir.name
    if not published.is_dir():
        if not run_dir.is_dir():
            return None
        workspaces.publish(state["workspace"], run_dir.name)
    return published


# --------------------------------------------------------------------------- similarity


def pair_measures(u: np.ndarray, v: np.ndarray) -> dict[str, float]:
    """Cosine similarity, euclidean distance and dot product of two vectors (d,).

    >>> pair_measures(np.array([3.0, 4.0]), np.array([6.0, 8.0]))
    {'cosine': 1.0, 'euclidean': 5.0, 'dot': 50.0}
    """
    u = np.asarray(u, dtype=np.float64)
    v = np.asarray(v, dtype=np.float64)
    norms = float(np.linalg.norm(u) * np.linalg.norm(v))
    return {
        "cosine": round(float(u @ v) / norms, 6) if norms > 0 else 0.0,
        "euclidean": round(float(np.linalg.norm(u - v)), 6),
        "dot": round(float(u @ v), 6),
    }


def plane_coords(vectors: list[np.ndarray] | np.ndarray) -> np.ndarray:
    """2D coordinates of a few vectors (m, d) in the plane through the origin that fits them best.

    The plane is spanned by the top two right singular vectors of the (uncentred) matrix, so the
    origin stays the origin and the angles between the arrows are close to the true angles (exact
    when the vectors span at most two dimensions). Returns float (m, 2).
    """
    mat = np.asarray(vectors, dtype=np.float64)
    if mat.ndim != 2 or mat.shape[0] < 1:
        raise ExplorerError(f"vectors: expected a matrix (m, d), got shape {mat.shape}")
    _, _, vt = np.linalg.svd(mat, full_matrices=False)
    basis = vt[:2]
    coords = mat @ basis.T
    if coords.shape[1] < 2:
        coords = np.c_[coords, np.zeros(len(coords))]
    if coords[0, 0] < 0:  # the first word points right: a stable picture
        coords[:, 0] *= -1
    return coords


def log_columns(path: Path) -> list[str]:
    """Column names of an interaction log as :func:`explorer.recsys.interactions.read_interactions` sees
    them (``"1"``, ``"2"``, ... when the file has no header), for the column-mapping editor."""
    from explorer.recsys.interactions import read_columns

    return read_columns(Path(path))
