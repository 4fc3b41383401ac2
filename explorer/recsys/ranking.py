"""Honest ranking evaluation of user-item models: splits, protocols, metrics, popularity baseline.

Split (:func:`leave_latest_out`): each user's latest positive interaction (by timestamp; a seeded
random one when the log has no time) is the *test* item, the latest of the rest the *validation*
item; everything else trains. A user keeps at least one positive in training: users with one
positive hold nothing out, users with two hold out a test item only. Observed negatives (label 0)
always stay in training.

Protocols (every result names its own in the ``"protocol"`` key):

* ``"full"``: the held-out item is ranked against every item the user has not interacted with
  (all the user's other logged items, of any split or label, are removed from the candidates);
* ``"sampled"``: the held-out item is ranked against ``n_negatives`` (99) items drawn uniformly,
  with a fixed seed, from the items the user never interacted with (the NCF protocol).

Metrics per held-out item, averaged over users: HR@K (the item is in the top K), NDCG@K
(``1 / log2(rank + 2)`` for a 0-based rank below K), Recall@K (share of the user's held-out items
in the top K; with one held-out item per user it equals HR@K) and MRR (``1 / (rank + 1)``, no
cut-off). Ties are scored by their expectation under a random order: an item tied with ``e`` other
candidates and beaten by ``g`` is equally likely at ranks g..g+e. This keeps the popularity baseline,
whose scores tie a lot, from being flattered or punished by the order of the item table.

A model is scored as ``users[u] @ items[i] + item_bias[i]``; the popularity baseline is the same
formula with zero vectors and the training popularity as the bias (:func:`popularity_model`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

import numpy as np

from explorer.recsys.interactions import Interactions

TRAIN, VALIDATION, TEST = 0, 1, 2
DEFAULT_K = 10
DEFAULT_NEGATIVES = 99


@dataclass
class Split:
    """Which rows of an :class:`Interactions` train, validate or test.

    role:   int8 (n,) per interaction row: 0 train, 1 validation, 2 test
    method: "latest by timestamp" or "random (no timestamps)"
    seed:   the seed used to break timestamp ties (or pick the random item)
    """

    role: np.ndarray
    method: str
    seed: int = 0

    @property
    def train(self) -> np.ndarray:
        """bool (n,): training rows."""
        return self.role == TRAIN

    def rows(self, which: str) -> np.ndarray:
        """int64 row indices of ``"train"``, ``"validation"`` or ``"test"`` in ascending order."""
        code = {"train": TRAIN, "validation": VALIDATION, "test": TEST}[which]
        return np.flatnonzero(self.role == code)


def leave_latest_out(inter: Interactions, seed: int = 0, validation: bool = True) -> Split:
    """Hold out each user's latest positive for test and the next latest for validation.

    Ties in time (and logs without time) are broken by a random key drawn with ``seed``.
    """
    n = len(inter)
    rng = np.random.default_rng(seed)
    tiebreak = rng.random(n)
    time = inter.timestamps if inter.timestamps is not None else np.zeros(n)
    pos = inter.positive
    # positives sorted by user, then time, then the random key: the last rows of a user are latest
    idx = np.flatnonzero(pos)
    idx = idx[np.lexsort((tiebreak[idx], time[idx], inter.users[idx]))]
    users = inter.users[idx]
    n_pos = np.bincount(users, minlength=inter.n_users)
    end = np.cumsum(n_pos)  # one past each user's last positive in ``idx``
    role = np.zeros(n, dtype=np.int8)
    has_test = n_pos >= 2
    role[idx[end[has_test] - 1]] = TEST
    if validation:
        has_val = n_pos >= 3
        role[idx[end[has_val] - 2]] = VALIDATION
    method = "latest by timestamp" if inter.timestamps is not None else "random (no timestamps)"
    return Split(role=role, method=method, seed=seed)


def describe_split(split: Split) -> dict:
    """Method, seed and row counts of a split (for metrics.json and ``evaluate``).

    ``method`` is an English description; ``method_key`` is the same, machine-readable, for pages
    to translate: ``"latest-by-timestamp"`` (each user's latest positives held out) or ``"random"``
    (no timestamps: random positives held out).
    """
    return {
        "method": f"leave-latest-out ({split.method})",
        "method_key": "latest-by-timestamp" if split.method.startswith("latest") else "random",
        "seed": split.seed,
        "train": int((split.role == TRAIN).sum()),
        "validation": int((split.role == VALIDATION).sum()),
        "test": int((split.role == TEST).sum()),
    }


# --------------------------------------------------------------------------- held-out sets


@dataclass
class Heldout:
    """Evaluation instances: one held-out (user, item) each, with candidates to exclude.

    users:      int64 (m,) user index per instance
    targets:    int64 (m,) held-out item per instance
    exclude:    int64 (nnz,) items not to rank for each instance (the user's other logged items),
                instance j owns ``exclude[exclude_ptr[j]:exclude_ptr[j + 1]]``
    exclude_ptr:int64 (m + 1,)
    negatives:  int64 (m, n_neg) sampled negatives, -1 padded when a user has fewer unseen items
    """

    users: np.ndarray
    targets: np.ndarray
    exclude: np.ndarray
    exclude_ptr: np.ndarray
    negatives: np.ndarray

    def __len__(self) -> int:
        return int(self.users.shape[0])

    def subset(self, keep: np.ndarray) -> Heldout:
        """The instances at positions ``keep`` (int array)."""
        keep = np.asarray(keep, dtype=np.int64)
        starts, stops = self.exclude_ptr[keep], self.exclude_ptr[keep + 1]
        lengths = stops - starts
        ptr = np.concatenate([[0], np.cumsum(lengths)])
        gather = np.repeat(starts - ptr[:-1], lengths) + np.arange(ptr[-1])
        return Heldout(self.users[keep], self.targets[keep], self.exclude[gather], ptr, self.negatives[keep])


def _user_items(inter: Interactions) -> tuple[np.ndarray, np.ndarray]:
    """(sorted unique keys user * n_items + item of every logged pair, per-user pointer)."""
    keys = np.unique(inter.users.astype(np.int64) * inter.n_items + inter.items)
    ptr = np.searchsorted(keys, np.arange(inter.n_users + 1, dtype=np.int64) * inter.n_items)
    return keys, ptr


def heldout_set(
    inter: Interactions,
    split: Split,
    which: str = "test",
    n_negatives: int = DEFAULT_NEGATIVES,
    seed: int = 0,
    negatives: Optional[np.ndarray] = None,
) -> Heldout:
    """The evaluation instances of ``which`` ("validation" or "test") in ``split``.

    Sampled negatives come from the items the user never interacted with, drawn with ``seed``
    (or are given as ``negatives``, e.g. loaded from a run directory).
    """
    rows = split.rows(which)
    users = inter.users[rows].astype(np.int64)
    targets = inter.items[rows].astype(np.int64)
    keys, ptr = _user_items(inter)
    starts, stops = ptr[users], ptr[users + 1]
    # every logged item of the user except the target
    lengths = stops - starts
    gather = np.repeat(starts - np.concatenate([[0], np.cumsum(lengths)[:-1]]), lengths) + np.arange(lengths.sum())
    seen = keys[gather] - np.repeat(users, lengths) * inter.n_items
    keep = seen != np.repeat(targets, lengths)
    exclude = seen[keep]
    exclude_ptr = np.concatenate([[0], np.cumsum(lengths - 1)])
    if negatives is None:
        negatives = sample_negatives(keys, users, inter.n_items, n_negatives, seed)
    return Heldout(users, targets, exclude, exclude_ptr.astype(np.int64), np.asarray(negatives, dtype=np.int64))


def sample_negatives(keys: np.ndarray, users: np.ndarray, n_items: int, n: int, seed: int) -> np.ndarray:
    """int64 (len(users), n): distinct items each user never interacted with (-1 pads a shortfall).

    keys: sorted int64 ``user * n_items + item`` of every logged pair. Draws a pool of candidates
    per instance, drops seen items and repeats and keeps the first ``n``; instances whose pool runs
    short (users who have seen most of the catalogue) draw from their enumerated unseen items.
    """
    rng = np.random.default_rng(seed)
    users = np.asarray(users, dtype=np.int64)
    m = len(users)
    out = np.full((m, n), -1, dtype=np.int64)
    if m == 0 or n == 0:
        return out
    pool = 3 * n + 32
    cand = rng.integers(0, n_items, size=(m, pool))
    flat = users[:, None] * n_items + cand
    hit = np.minimum(np.searchsorted(keys, flat), len(keys) - 1)
    valid = keys[hit] != flat
    order = np.argsort(cand, axis=1, kind="stable")  # equal items: first occurrence first
    sorted_c = np.take_along_axis(cand, order, axis=1)
    repeat = np.zeros_like(valid)
    repeat[:, 1:] = sorted_c[:, 1:] == sorted_c[:, :-1]
    dup = np.zeros_like(valid)
    np.put_along_axis(dup, order, repeat, axis=1)
    valid &= ~dup
    rank = np.cumsum(valid, axis=1)
    take = valid & (rank <= n)
    rows, cols = np.nonzero(take)
    out[rows, rank[rows, cols] - 1] = cand[rows, cols]
    for inst in np.flatnonzero(rank[:, -1] < n):  # short pools: enumerate the unseen items
        lo, hi = np.searchsorted(keys, [users[inst] * n_items, (users[inst] + 1) * n_items])
        unseen = np.setdiff1d(np.arange(n_items), keys[lo:hi] - users[inst] * n_items)
        pick = rng.permutation(unseen)[:n]
        out[inst, :] = -1
        out[inst, : pick.size] = pick
    return out


# --------------------------------------------------------------------------- metrics


def rank_metrics(greater: np.ndarray, ties: np.ndarray, k: int = DEFAULT_K) -> dict[str, np.ndarray]:
    """Per-instance HR@k, NDCG@k and reciprocal rank from rank counts, ties in expectation.

    greater: int (m,) candidates scored strictly above the held-out item
    ties:    int (m,) other candidates scored exactly the same
    The held-out item's 0-based rank is uniform on ``greater .. greater + ties``.
    """
    greater = np.asarray(greater, dtype=np.int64)
    ties = np.asarray(ties, dtype=np.int64)
    top = int((greater + ties).max(initial=0)) + 2
    r = np.arange(top)
    hit = (r < k).astype(np.float64)
    disc = np.where(r < k, 1.0 / np.log2(r + 2.0), 0.0)
    recip = 1.0 / (r + 1.0)
    out = {}
    for name, gain in (("hit", hit), ("ndcg", disc), ("rr", recip)):
        cum = np.concatenate([[0.0], np.cumsum(gain)])
        out[name] = (cum[greater + ties + 1] - cum[greater]) / (ties + 1)
    return out


def _summary(greater: np.ndarray, ties: np.ndarray, users: np.ndarray, k: int) -> dict[str, float]:
    per = rank_metrics(greater, ties, k)
    # average per user first (a user with several held-out items counts once)
    uniq, inv = np.unique(users, return_inverse=True)
    counts = np.bincount(inv).astype(np.float64)

    def per_user(values: np.ndarray) -> float:
        return float(np.mean(np.bincount(inv, weights=values) / counts)) if len(uniq) else float("nan")

    return {
        f"HR@{k}": per_user(per["hit"]),
        f"NDCG@{k}": per_user(per["ndcg"]),
        f"Recall@{k}": per_user(per["hit"]),
        "MRR": per_user(per["rr"]),
    }


def evaluate(
    users: np.ndarray,
    items: np.ndarray,
    item_bias: Optional[np.ndarray],
    heldout: Heldout,
    protocol: str = "sampled",
    k: int = DEFAULT_K,
    chunk: int = 1024,
) -> dict:
    """Ranking metrics of the model ``users[u] @ items[i] + item_bias[i]`` on ``heldout``.

    users: float (n_users, d); items: float (n_items, d); item_bias: float (n_items,) or None.
    protocol: "full" or "sampled" (see the module docstring). Returns a dict with the metrics and
    ``protocol``, ``description``, ``k``, ``users`` (instances) and, when sampled, ``negatives``.
    """
    if protocol not in ("full", "sampled"):
        raise ValueError(f"protocol must be full or sampled, got {protocol!r}")
    users = np.asarray(users, dtype=np.float32)
    items = np.asarray(items, dtype=np.float32)
    bias = np.zeros(items.shape[0], np.float32) if item_bias is None else np.asarray(item_bias, np.float32)
    m = len(heldout)
    greater = np.zeros(m, dtype=np.int64)
    ties = np.zeros(m, dtype=np.int64)
    for lo in range(0, m, chunk):
        hi = min(lo + chunk, m)
        u = users[heldout.users[lo:hi]]
        t = heldout.targets[lo:hi]
        target = np.einsum("ij,ij->i", u, items[t]) + bias[t]
        if protocol == "full":
            scores = u @ items.T + bias[None, :]
            starts, stops = heldout.exclude_ptr[lo:hi], heldout.exclude_ptr[lo + 1:hi + 1]
            rows = np.repeat(np.arange(hi - lo), stops - starts)
            scores[rows, heldout.exclude[starts[0]:stops[-1]]] = -np.inf
            scores[np.arange(hi - lo), t] = -np.inf  # the target is not its own competitor
        else:
            neg = heldout.negatives[lo:hi]
            valid = neg >= 0
            safe = np.where(valid, neg, 0)
            scores = np.einsum("id,ijd->ij", u, items[safe]) + bias[safe]
            scores = np.where(valid, scores, -np.inf)
        greater[lo:hi] = (scores > target[:, None]).sum(axis=1)
        ties[lo:hi] = (scores == target[:, None]).sum(axis=1)
    out: dict = {"protocol": protocol, "description": _DESCRIPTIONS[protocol], "k": k, "users": m}
    if protocol == "sampled":
        out["negatives"] = int(heldout.negatives.shape[1])
    out.update(_summary(greater, ties, heldout.users, k) if m else
               {f"HR@{k}": float("nan"), f"NDCG@{k}": float("nan"), f"Recall@{k}": float("nan"), "MRR": float("nan")})
    return out


_DESCRIPTIONS = {
    "full": "held-out item ranked against every item the user has not interacted with",
    "sampled": "held-out item ranked against negatives sampled from items the user never interacted with",
}


def popularity_model(inter: Interactions, split: Split) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The most-popular baseline as a dot-product model: (zero users, zero items, training counts).

    Popularity is counted on the training rows' positives only (no peeking at held-out items).
    """
    train_pos = split.train & inter.positive
    counts = np.bincount(inter.items[train_pos], minlength=inter.n_items).astype(np.float32)
    return np.zeros((inter.n_users, 1), np.float32), np.zeros((inter.n_items, 1), np.float32), counts


def evaluate_all(
    users: np.ndarray,
    items: np.ndarray,
    item_bias: Optional[np.ndarray],
    inter: Interactions,
    split: Split,
    heldout: Heldout,
    k: int = DEFAULT_K,
) -> dict:
    """Both protocols for the model and the popularity baseline on the same instances.

    Returns ``{"full": {"model": {...}, "popularity": {...}}, "sampled": {...}}``.
    """
    pop = popularity_model(inter, split)
    return {
        protocol: {
            "model": evaluate(users, items, item_bias, heldout, protocol, k),
            "popularity": evaluate(*pop, heldout, protocol, k),
        }
        for protocol in ("full", "sampled")
    }
