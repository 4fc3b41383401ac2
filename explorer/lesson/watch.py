"""Lesson step 3, watch it learn: a run's frames prepared for the player.

    >>> default_probes(["the", "cat", "猫", "dog", "香蕉"], {"cat": "animals", "猫": "animals", "香蕉": "fruit"}, "zh", 2)
    ['猫', '香蕉']
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

import numpy as np

#: the player draws at most this many points (the labelled words first, then the most frequent rows)
MAX_POINTS = 1000


def _is_cjk(token: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in token)


def default_probes(tokens: list[str], labels: dict[str, str], lang: str, n: int = 4) -> list[str]:
    """A few labelled words of different categories, in the UI's language when the data has both.

    Most frequent first (rows are sorted by frequency); falls back to the most frequent rows.
    """
    want_cjk = lang == "zh"
    picked: list[str] = []
    seen_labels: set[str] = set()
    for passes in (0, 1):
        for t in tokens:
            lab = labels.get(t)
            if lab is None or t in picked or (passes == 0 and (lab in seen_labels or _is_cjk(t) != want_cjk)):
                continue
            picked.append(t)
            seen_labels.add(lab)
            if len(picked) == n:
                return picked
    return picked + [t for t in content_words(tokens, n + len(picked)) if t not in picked][: n - len(picked)]


def content_words(tokens: list[str], n: int, scan: int = 5000) -> list[str]:
    """The ``n`` most frequent content words among the first ``scan`` rows (rows sorted by frequency).

    Left out: stopwords (English and Chinese function words), single characters (曰, 之, 也, 吾 in a classical
    novel), tokens without a letter (numbers, punctuation). Falls back to the most frequent rows when fewer remain.

        >>> content_words(["the", "之", "曰", "cat", "3", "孔明", "dog"], 3)
        ['cat', '孔明', 'dog']
    """
    from explorer.text.stopwords import STOPWORDS

    picked = [t for t in tokens[:scan] if len(t) > 1 and t.casefold() not in STOPWORDS and any(c.isalpha() for c in t)]
    picked = picked[:n]
    return picked + [t for t in tokens if t not in picked][: n - len(picked)]


@dataclass
class PlayerData:
    """What the player draws.

    coords: float32 (n_frames, m, 2) aligned 2D positions of the m points drawn; labels: m tokens;
    categories: m planted labels ("" when none); probes: indices into the m points;
    neighbours: [frame][probe] -> k tokens (cosine neighbours among all frame rows in the full space);
    meta: per frame {"epoch", "progress", "loss"}; loss_curve: (progress, loss) points of the whole run;
    n_rows: rows kept in the frames; limited_by: why the run kept fewer rows or frames ("" when not).
    """

    coords: np.ndarray
    labels: list[str]
    categories: list[str]
    probes: list[int]
    neighbours: list[list[list[str]]]
    meta: list[dict[str, Any]]
    loss_curve: list[tuple[float, float]]
    n_rows: int
    limited_by: str


def player_data(run_dir: Path, probes: list[str], k: int = 5, max_points: int = MAX_POINTS,
                method: str = "pca") -> PlayerData:
    """Aligned coordinates (cached in the run) and per-frame neighbours of ``probes`` (unknown ones dropped)."""
    from explorer.analysis.frames import cached_frame_coords, frame_neighbours, run_frames

    run, frames = run_frames(run_dir)
    coords = cached_frame_coords(run.path, method)
    tokens = [run.tokens[r] for r in frames.rows]  # probes and categories go by token (an item's id)
    shown = [run.display_labels[r] for r in frames.rows]  # what the player shows: an item's title when it has one
    labels = run.labels
    where = {t: i for i, t in enumerate(tokens)}
    probe_rows = [where[p] for p in probes if p in where]
    labelled = [i for i, t in enumerate(tokens) if t in labels]
    chosen = list(dict.fromkeys(probe_rows + labelled + list(range(len(tokens)))))[:max_points]
    chosen_set = {r: j for j, r in enumerate(chosen)}
    nbrs = [[[shown[j] for j in row] for row in frame_neighbours(frame, probe_rows, k)]
            for frame in frames.vectors]
    return PlayerData(
        coords=np.ascontiguousarray(coords[:, chosen]), labels=[shown[r] for r in chosen],
        categories=[labels.get(tokens[r], "") for r in chosen], probes=[chosen_set[r] for r in probe_rows],
        neighbours=nbrs, meta=frames.meta, loss_curve=_loss_curve(run.metrics, frames.meta),
        n_rows=int(frames.vectors.shape[1]), limited_by=frames.limited_by)


def _loss_curve(metrics: dict, meta: list[dict]) -> list[tuple[float, float]]:
    hist = metrics.get("loss_history")
    if hist:
        return [(float(p), float(v)) for p, v in hist if v is not None]
    per_epoch = metrics.get("loss_per_epoch") or []
    n = len(per_epoch)
    if n:
        return [((i + 1) / n, float(v)) for i, v in enumerate(per_epoch) if v is not None]
    return [(float(m["progress"]), float(m["loss"])) for m in meta if m.get("loss") is not None]


def live_picture(run_path: Path) -> Optional[dict[str, Any]]:
    """The latest frame of a job still training into ``run_path`` (see :mod:`explorer.runs.frames`)."""
    from explorer.runs.frames import read_live_frame

    return read_live_frame(run_path)


def live_jobs(workspace: str) -> list[tuple[str, dict[str, Any]]]:
    """(job name, live frame) of each training job of ``workspace`` and of the bundled samples that is
    running and has written a live frame."""
    from explorer import jobs
    from explorer.jobs import sample_job, workspaces

    infos = [j for j in jobs.list_jobs(workspace) if j.state == "running"]
    for key in ("job", "useritem_job"):
        job_id = sample_job.sample_job_id(key)
        info = jobs.get(job_id) if job_id else None
        if info is not None and info.state == "running":
            infos.append(info)
    out = []
    for info in infos:
        row = jobs.job_row(info.id) or {}
        if not row.get("run_id"):
            continue
        live = live_picture(workspaces.run_path(row["workspace"], row["run_id"]))
        if live is not None and len(live["xy"]):
            out.append((info.name, live))
    return out
