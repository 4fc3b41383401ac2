"""Recommending from a user-item run directory, with the "why".

Everything here reads the run's files only: ``users.npy``, ``items.npy``, ``item_bias.npy``, the
id tables and ``interactions.npz`` (what each user has seen). The score of user u for item i is
exactly ``users[u] @ items[i] + item_bias[i]``; a recommendation reports that score split into the
dot product and the bias, and "because": the user's past items whose vectors are most similar
(cosine) to the recommended item's.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np

from explorer.errors import ExplorerError
from explorer.runs import Run, load_run
from explorer.runs.logged import logged_arrays

BECAUSE = 3  # past items listed as the reason for a recommendation


def _check(run: Run) -> None:
    if not run.capabilities.users:
        raise ExplorerError(f"{run.path}: not a user-item run (kind {run.kind!r})", code="run_not_useritem",
                            path=str(run.path), kind=run.kind)


def _lookup(ids: list[str], value: str, what: str) -> int:
    try:
        return ids.index(value)
    except ValueError:
        examples = ", ".join(repr(v) for v in ids[:3])
        raise ExplorerError(f"{what} {value!r} is not in this run ({len(ids)} {what}s, e.g. {examples})",
                           code="unknown_id", role=what, value=value, n=len(ids), examples=examples) from None


@lru_cache(maxsize=8)
def _logged(run_path: str, stamp: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(user, item, label) arrays of a run's interactions.npz, sorted by user (cached per run and stamp)."""
    arrays = logged_arrays(load_run(Path(run_path)))
    users, items, labels = arrays["user"], arrays["item"], arrays["label"]
    order = np.argsort(users, kind="stable")
    return users[order], items[order], labels[order]


def user_history(run: Run, user: str) -> tuple[np.ndarray, np.ndarray]:
    """(items int64, labels float32) the user has in the run's log (all splits)."""
    _check(run)
    u = _lookup(run.user_ids, user, "user")
    users, items, labels = _logged(str(run.path), run.stamp)
    lo, hi = np.searchsorted(users, [u, u + 1])
    return items[lo:hi].astype(np.int64), labels[lo:hi]


def _unit(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=np.float32)
    norms = np.linalg.norm(x, axis=-1, keepdims=True)
    return x / np.where(norms > 0, norms, 1.0)


def recommend(run: Run, user: str, k: int = 10) -> list[dict]:
    """The top-``k`` items ``user`` has not interacted with, best first.

    Each dict: ``item`` (id), ``title`` (when the metadata has one), ``score`` (= ``dot + bias``),
    ``dot`` (users[u] @ items[i]), ``bias`` (item_bias[i]) and ``because``: up to 3
    ``(past item id, cosine similarity)`` pairs, the user's positives most similar to the item.
    """
    if k < 1:
        raise ExplorerError(f"-k must be >= 1, got {k}", code="param_min", name="k", min=1, value=k)
    _check(run)
    u = _lookup(run.user_ids, user, "user")
    items = np.asarray(run.items, dtype=np.float32)
    bias = np.asarray(run.item_bias, dtype=np.float32)
    dots = items @ np.asarray(run.users[u], dtype=np.float32)
    scores = dots + bias
    seen, labels = user_history(run, user)
    candidates = np.ones(len(scores), dtype=bool)
    candidates[seen] = False
    pool = np.flatnonzero(candidates)
    top = pool[np.argsort(-scores[pool], kind="stable")[:k]]
    past = seen[labels > 0]
    unit = _unit(items)
    sims = unit[top] @ unit[past].T if past.size else np.zeros((len(top), 0), np.float32)
    titles = run.item_titles
    ids = run.item_ids
    out = []
    for row, i in enumerate(top):
        best = np.argsort(-sims[row], kind="stable")[:BECAUSE]
        rec = {"item": ids[i]}
        if titles is not None:
            rec["title"] = titles[i]
        rec.update({
            "score": float(scores[i]),
            "dot": float(dots[i]),
            "bias": float(bias[i]),
            "because": [(ids[past[j]], float(sims[row, j])) for j in best],
        })
        out.append(rec)
    return out


def items_of_genre(run: Run, genre: str) -> list[int]:
    """Item rows whose ``genre`` column (genres separated by ``|``) holds ``genre`` (case-insensitive),
    most interacted-with first; empty when the run has no genres or none matches."""
    from explorer.recsys.log_formats import split_genres

    header, rows = run.item_table
    if "genre" not in header[1:] or not genre.strip():
        return []
    col, wanted = header.index("genre"), genre.strip().casefold()
    found = [i for i, r in enumerate(rows) if len(r) > col and wanted in {g.casefold() for g in split_genres(r[col])}]
    counts = np.asarray(run.counts) if found else np.zeros(0)
    return sorted(found, key=lambda i: (-int(counts[i]) if len(counts) > i else 0, i))
