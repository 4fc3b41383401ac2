"""Lesson step 5, recommending with embeddings: one user and one item as numbers, and the model's picks.

The score of user u for item i is ``users[u] · items[i] + item_bias[i]``; under the BCE objective
``σ(score)`` is the predicted click probability, and the loss of a logged click is ``-log σ(score)``,
of a non-click ``-log(1 - σ(score))`` (:func:`models.user_item.bce_loss`).

    >>> n = score_numbers(np.array([1.0, 2.0]), np.array([0.5, 0.25]), 0.0)
    >>> n["dot"], round(n["p_click"], 4), round(n["bce_click"], 4), round(n["bce_skip"], 4)
    (1.0, 0.7311, 0.3133, 1.3133)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from explorer.lesson.objective import sigmoid


def score_numbers(u: np.ndarray, v: np.ndarray, bias: float) -> dict[str, float]:
    """dot, bias, score, p_click = σ(score), bce_click = -log σ(score), bce_skip = -log(1 - σ(score))."""
    u = np.asarray(u, np.float64)
    v = np.asarray(v, np.float64)
    dot = float(u @ v)
    score = dot + float(bias)
    return {"dot": dot, "bias": float(bias), "score": score, "p_click": float(sigmoid(score)),
            "bce_click": float(np.logaddexp(0.0, -score)), "bce_skip": float(np.logaddexp(0.0, score))}


def user_example(run: Any, user: str) -> dict[str, Any]:
    """A user's vector, one item they clicked and one they never saw, with :func:`score_numbers` for each.

    Returns ``{"user": row, "clicked": item row, "unseen": item row, "clicked_numbers": ..., "unseen_numbers": ...}``;
    the unseen item is the one the model scores lowest among the items the user never saw (a clear contrast).
    """
    from explorer.recsys.recommend import user_history

    u = run.user_ids.index(user)
    items, labels = user_history(run, user)
    users = np.asarray(run.users, np.float32)
    vecs = np.asarray(run.items, np.float32)
    bias = np.asarray(run.item_bias, np.float32)
    scores = vecs @ users[u] + bias
    positives = items[labels > 0]
    clicked = int(positives[np.argmax(scores[positives])]) if positives.size else int(np.argmax(scores))
    unseen_mask = np.ones(len(vecs), bool)
    unseen_mask[items] = False
    pool = np.flatnonzero(unseen_mask) if unseen_mask.any() else np.arange(len(vecs))
    unseen = int(pool[np.argmin(scores[pool])])
    return {"user": u, "clicked": clicked, "unseen": unseen,
            "clicked_numbers": score_numbers(users[u], vecs[clicked], float(bias[clicked])),
            "unseen_numbers": score_numbers(users[u], vecs[unseen], float(bias[unseen])),
            "n_history": int(items.size)}
