"""Lesson step 2, the objective: one real pair's numbers, one gradient step, and its relatives.

Negative sampling scores a centre vector ``u`` (input table), its context ``v`` and ``K`` negatives
``n_k`` (output table)::

    loss = -log σ(u·v) - Σ_k log σ(-u·n_k)

(:class:`models.skipgram.SkipGramNS`; the compiled trainer's ``sgns_pair_update`` takes the same
step; its default Skip-gram kernel, HogBatch, sums this loss over a window's pairs with the negatives shared
by the window and takes one step per window). One SGD step with learning rate ``lr`` moves ``u`` by ``-lr ∂loss/∂u`` with
``∂loss/∂u = (σ(u·v) - 1) v + Σ_k σ(u·n_k) n_k``, ``v`` by ``-lr (σ(u·v) - 1) u`` and each
``n_k`` by ``-lr σ(u·n_k) u``.

    >>> u = np.array([1.0, 0.0]); v = np.array([2.0, 0.0]); n = np.array([[0.0, 1.0]])
    >>> b = pair_breakdown(u, v, n, lr=0.1)
    >>> round(b.loss, 4), round(b.loss_after, 4) < round(b.loss, 4)
    (0.8201, True)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Optional

import numpy as np


def sigmoid(x: np.ndarray | float) -> np.ndarray | float:
    """σ(x) = 1 / (1 + e^-x), stable for large |x|."""
    return 0.5 * (1.0 + np.tanh(0.5 * np.asarray(x, dtype=np.float64)))


def _neg_log_sigmoid(x: np.ndarray | float) -> np.ndarray | float:
    return np.logaddexp(0.0, -np.asarray(x, dtype=np.float64))


@dataclass
class PairBreakdown:
    """The numbers of one training pair (all float64).

    pos_dot, pos_sigma, pos_term: u·v, σ(u·v), -log σ(u·v).
    neg_dots, neg_sigmas, neg_terms: (K,) u·n_k, σ(-u·n_k), -log σ(-u·n_k).
    loss: pos_term + Σ neg_terms. grad_u (d,), grad_v (d,), grad_n (K, d): the gradients.
    u_after, v_after, n_after: the vectors after one SGD step; loss_after: the loss there.
    u, v, n: the vectors before the step.
    """

    pos_dot: float
    pos_sigma: float
    pos_term: float
    neg_dots: np.ndarray
    neg_sigmas: np.ndarray
    neg_terms: np.ndarray
    loss: float
    grad_u: np.ndarray
    grad_v: np.ndarray
    grad_n: np.ndarray
    u_after: np.ndarray
    v_after: np.ndarray
    n_after: np.ndarray
    loss_after: float
    u: np.ndarray
    v: np.ndarray
    n: np.ndarray


def ns_loss(u: np.ndarray, v: np.ndarray, negs: np.ndarray) -> float:
    """The negative-sampling loss of one pair: u (d,), v (d,), negs (K, d)."""
    u = np.asarray(u, np.float64)
    return float(_neg_log_sigmoid(u @ np.asarray(v, np.float64)) +
                 np.sum(_neg_log_sigmoid(-(np.asarray(negs, np.float64).reshape(-1, u.size) @ u))))


def pair_breakdown(u: np.ndarray, v: np.ndarray, negs: np.ndarray, lr: float = 0.025) -> PairBreakdown:
    """Every number of one pair's loss and of one SGD step (see the module docstring).

    u: (d,) centre (input) vector; v: (d,) context (output) vector; negs: (K, d) negatives' output vectors.
    """
    u = np.asarray(u, np.float64)
    v = np.asarray(v, np.float64)
    n = np.asarray(negs, np.float64).reshape(-1, u.size)
    pos = float(u @ v)
    dots = n @ u
    g_pos = float(sigmoid(pos)) - 1.0
    g_neg = sigmoid(dots)
    grad_u = g_pos * v + g_neg @ n
    grad_v = g_pos * u
    grad_n = g_neg[:, None] * u[None, :]
    u2, v2, n2 = u - lr * grad_u, v - lr * grad_v, n - lr * grad_n
    terms = _neg_log_sigmoid(-dots)
    return PairBreakdown(
        pos_dot=pos, pos_sigma=float(sigmoid(pos)), pos_term=float(_neg_log_sigmoid(pos)),
        neg_dots=dots, neg_sigmas=sigmoid(-dots), neg_terms=terms,
        loss=float(_neg_log_sigmoid(pos) + terms.sum()),
        grad_u=grad_u, grad_v=grad_v, grad_n=grad_n, u_after=u2, v_after=v2, n_after=n2,
        loss_after=ns_loss(u2, v2, n2), u=u, v=v, n=n,
    )


def real_pair(tokens: list[str], vectors: np.ndarray, context: np.ndarray, counts: np.ndarray, centre: str,
              other: str, k: int = 5, seed: int = 0) -> tuple[list[str], PairBreakdown]:
    """One pair of a trained model: ``centre`` with context ``other`` and ``k`` negatives drawn from
    unigram^0.75 (seeded, never the centre or the context). Returns (negative words, breakdown)."""
    from explorer.text.vocab import negative_distribution

    index = {t: i for i, t in enumerate(tokens)}
    c, o = index[centre], index[other]
    probs = negative_distribution(np.asarray(counts, np.int64)).copy()
    probs[[c, o]] = 0.0
    rng = np.random.default_rng(seed)
    negs = rng.choice(len(probs), size=min(k, int(np.count_nonzero(probs))), replace=False, p=probs / probs.sum())
    return [tokens[i] for i in negs], pair_breakdown(vectors[c], context[o], context[negs])


def step_picture(b: PairBreakdown) -> np.ndarray:
    """2D coordinates of u, v, the negatives, then the same after the step, in the plane that fits them best.

    Rows: u, v, n_1..n_K, u', v', n_1'..n_K' -> float (2 * (2 + K), 2).
    """
    from explorer.analysis.similarity import plane_coords

    return plane_coords(np.vstack([b.u, b.v, b.n, b.u_after, b.v_after, b.n_after]))


def contrastive_losses(u: np.ndarray, v: np.ndarray, negs: np.ndarray, margin: float = 1.0,
                       temperature: float = 1.0) -> dict[str, float]:
    """The same pair under two relatives of negative sampling.

    - InfoNCE (contrastive): ``-log softmax`` of the positive among the positive and the negatives,
      scores ``u·x / temperature`` (a full softmax over a small sampled set);
    - triplet: ``max(0, |u - v| - |u - n| + margin)`` averaged over the negatives (distances, not dots).
    """
    u = np.asarray(u, np.float64)
    v = np.asarray(v, np.float64)
    n = np.asarray(negs, np.float64).reshape(-1, u.size)
    scores = np.concatenate([[u @ v], n @ u]) / temperature
    info_nce = float(np.logaddexp.reduce(scores) - scores[0])
    d_pos = float(np.linalg.norm(u - v))
    d_neg = np.linalg.norm(n - u, axis=1)
    triplet = float(np.mean(np.maximum(0.0, d_pos - d_neg + margin))) if d_neg.size else 0.0
    return {"info_nce": info_nce, "triplet": triplet, "d_pos": d_pos, "d_neg_mean": float(d_neg.mean()) if d_neg.size
            else 0.0}


def label_agreement(vectors: np.ndarray, tokens: list[str], labels: dict[str, str], k: int = 5) -> Optional[float]:
    """Share of each labelled word's ``k`` cosine neighbours (among labelled words) with its label.

    A simple quality score for comparing objectives on data with planted categories; None without labels.
    """
    rows = [i for i, t in enumerate(tokens) if t in labels]
    if len(rows) <= k:
        return None
    top = _top_neighbours(vectors, rows, k)
    lab = np.array([labels[tokens[i]] for i in rows])
    return float((lab[top] == lab[:, None]).mean())


def _top_neighbours(vectors: np.ndarray, rows: list[int], k: int) -> np.ndarray:
    """int (len(rows), k): for each of ``rows``, the positions (in ``rows``) of its ``k`` cosine nearest among
    ``rows``, itself excluded, nearest first."""
    x = np.asarray(vectors, np.float64)[rows]
    x /= np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-12)
    sims = x @ x.T
    np.fill_diagonal(sims, -np.inf)
    return np.argsort(-sims, axis=1, kind="stable")[:, :k]


def objective_summary(run: Any) -> dict[str, Any]:
    """Time, final loss and label agreement of one comparison run (a :class:`explorer.runs.Run`)."""
    m = run.metrics
    losses = m.get("loss_per_epoch") or [None]
    return {"loss": run.settings.loss, "seconds": m.get("seconds"), "final_loss": losses[-1],
            "agreement": label_agreement(np.asarray(run.vectors), run.tokens, run.labels)}


def likely_contexts(vectors: np.ndarray, context: np.ndarray, row: int, k: int = 10) -> list[int]:
    """The ``k`` rows the model scores highest as context of ``row`` (largest u·v), never ``row`` itself."""
    scores = np.asarray(context, np.float32) @ np.asarray(vectors[row], np.float32)
    scores[row] = -np.inf
    top = np.argpartition(-scores, min(k, len(scores) - 1) - 1)[:k]
    return [int(i) for i in top[np.argsort(-scores[top], kind="stable")]]


def trainer_loss(vectors: np.ndarray, context: np.ndarray, centre: int, other: int, negatives: list[int]) -> float:
    """The same pair's loss from the trainer's own model (:meth:`models.skipgram.SkipGramNS.pair_losses`),
    on the tables ``vectors`` / ``context`` (V, d); shown beside the lesson's numbers as a check."""
    import torch

    from models.skipgram import SkipGramNS

    rows = sorted({centre, other, *negatives})
    where = {r: i for i, r in enumerate(rows)}
    model = SkipGramNS(len(rows), np.asarray(vectors).shape[1])
    with torch.no_grad():
        model.in_embed.weight.copy_(torch.from_numpy(np.asarray(vectors, np.float32)[rows]))
        model.out_embed.weight.copy_(torch.from_numpy(np.asarray(context, np.float32)[rows]))
        loss = model.pair_losses(torch.tensor([where[centre]]), torch.tensor([where[other]]),
                                 torch.tensor([[where[n] for n in negatives]]))
    return float(loss[0])


@dataclass
class GloveParts:
    """What a GloVe run keeps for the lesson's cell: ``w`` / ``wc`` (V, d) word and context vectors, ``b`` /
    ``bc`` (V,) their biases, ``top`` (k, k) the co-occurrences among the ``k`` most frequent words (vocabulary
    rows ``0..k-1``), ``x_max`` and ``alpha`` of the weighting."""

    w: np.ndarray
    wc: np.ndarray
    b: np.ndarray
    bc: np.ndarray
    top: np.ndarray
    x_max: float
    alpha: float


def glove_parts(run: Any) -> Optional[GloveParts]:
    """The GloVe tables of a run (a :class:`explorer.runs.Run`), or None when it keeps none (another kind, or
    a GloVe run trained before these files were written). ``W`` is ``vectors - W̃`` for runs that saved
    ``W + W̃``."""
    from explorer.kinds.glove import BIASES, TOP_COOCCURRENCES
    from explorer.runs.arrays import open_npy
    from explorer.runs.frames import CONTEXT_FILE

    names = (CONTEXT_FILE, BIASES, TOP_COOCCURRENCES)
    settings = run.settings
    if settings is None or not hasattr(settings, "x_max") or not all((run.path / n).is_file() for n in names):
        return None
    wc, biases, top = (np.asarray(open_npy(run.path / n, n), np.float64) for n in names)
    vectors = np.asarray(run.vectors, np.float64)
    w = vectors - wc if settings.vectors == "sum" else vectors
    return GloveParts(w, wc, biases[:, 0], biases[:, 1], top, float(settings.x_max), float(settings.alpha))


@dataclass
class GloveCell:
    """One cell of GloVe's objective ``f(X_ij) (w_i·w̃_j + b_i + b̃_j - log X_ij)²`` (float64).

    x: ``X_ij`` (each time the two words met within the window, ``1/distance``); weight: ``f(X_ij) =
    min(1, (X_ij/x_max)^alpha)``; dot ``w_i·w̃_j``; b, bc the biases; prediction = dot + b + bc; log_x;
    error = prediction - log_x; loss = weight x error².
    """

    x: float
    weight: float
    dot: float
    b: float
    bc: float
    prediction: float
    log_x: float
    error: float
    loss: float


def glove_cell(parts: GloveParts, i: int, j: int) -> GloveCell:
    """Cell (i, j) of the run's objective; ``i`` and ``j`` are rows below ``parts.top``'s size and ``X_ij > 0``
    (GloVe skips cells whose words never met: log 0 has no value).

    >>> p = GloveParts(np.array([[1.0, 0.0]]), np.array([[2.0, 1.0]]), np.array([0.5]), np.array([-0.5]),
    ...                np.array([[np.e ** 2]]), 10.0, 0.75)
    >>> c = glove_cell(p, 0, 0)
    >>> round(c.prediction, 3), round(c.log_x, 3), round(c.error, 3), round(c.weight, 3)
    (2.0, 2.0, 0.0, 0.797)
    """
    x = float(parts.top[i, j])
    if not x > 0:
        raise ValueError(f"X[{i}, {j}] is 0: the two words never met")
    dot = float(parts.w[i] @ parts.wc[j])
    prediction = dot + float(parts.b[i]) + float(parts.bc[j])
    log_x = float(np.log(x))
    weight = float(min(1.0, (x / parts.x_max) ** parts.alpha))
    error = prediction - log_x
    return GloveCell(x, weight, dot, float(parts.b[i]), float(parts.bc[j]), prediction, log_x, error,
                     weight * error * error)


def cell_partners(parts: GloveParts, i: int, k: int = 10) -> list[int]:
    """The rows that met row ``i`` most (largest ``X_ij``, never ``i``), at most ``k``."""
    row = np.asarray(parts.top[i], np.float64).copy()
    row[i] = 0.0
    order = np.argsort(-row, kind="stable")
    return [int(j) for j in order[:k] if row[j] > 0]


def same_corpus(a: Any, b: Any) -> bool:
    """Whether two runs were trained on the same corpus file (the same SHA-256 recorded in their config)."""
    sha_a = text_sha256(a)
    return sha_a is not None and sha_a == text_sha256(b) and a.path != b.path


NEGATIVE_SAMPLING, SOFTMAX = "negative-sampling", "softmax"  # the two values of a word2vec run's ``loss``


def text_sha256(run: Any) -> Optional[str]:
    """The sha256 of the text a run was trained on (its config's ``data.sha256``), or None."""
    data = run.config.get("data") or {}
    sha = data.get("sha256") if isinstance(data, dict) else None
    return sha if isinstance(sha, str) and sha else None


def same_text_pair(chosen: Any, candidates: Iterable[Any]) -> Optional[tuple[Any, Any]]:
    """(negative-sampling run, full-softmax run) trained on the same text as ``chosen`` (the same corpus sha256)
    with the same architecture, so that the two objectives can be compared on it; None when that text has not
    been trained both ways.

    ``chosen`` and ``candidates``: :class:`explorer.runs.Run` of one word2vec kind, ``candidates`` newest first.
    ``chosen`` is one of the two when its loss is one of them; otherwise the newest of each is taken."""
    sha = text_sha256(chosen)
    if sha is None:
        return None
    same = [chosen] + [r for r in candidates if r.run_id != chosen.run_id and text_sha256(r) == sha]
    for softmax in (r for r in same if r.settings.loss == SOFTMAX):
        ns = next((r for r in same if r.settings.loss == NEGATIVE_SAMPLING and r.settings.arch == softmax.settings.arch),
                  None)
        if ns is not None:
            return ns, softmax
    return None


def neighbour_overlap(a: Any, b: Any, k: int = 10, n_words: int = 100) -> Optional[float]:
    """Mean share of the ``k`` cosine neighbours that two word runs agree on, over the ``n_words`` most frequent words
    both know (neighbours among those words); None when they share fewer than ``k + 2`` words.

    A way to compare two spaces of the same text without labels: 1.0 = the same neighbour lists.

        >>> from types import SimpleNamespace as R
        >>> x = np.eye(4)[[0, 0, 1, 1, 2, 3]] + 0.1 * np.arange(6)[:, None]
        >>> run = R(tokens=list("abcdef"), vectors=x, counts=[6, 5, 4, 3, 2, 1])
        >>> neighbour_overlap(run, run, k=2)
        1.0
    """
    index_b = {t: i for i, t in enumerate(b.tokens)}
    counts = np.asarray(a.counts if a.counts is not None else np.zeros(len(a.tokens)), np.float64)
    order = np.argsort(-counts, kind="stable")
    words = [int(i) for i in order if a.tokens[i] in index_b][:n_words]
    if len(words) < k + 2:
        return None
    top = [_top_neighbours(a.vectors, words, k), _top_neighbours(b.vectors, [index_b[a.tokens[i]] for i in words], k)]
    shared = [len(set(p.tolist()) & set(q.tolist())) / k for p, q in zip(top[0], top[1], strict=True)]
    return float(np.mean(shared))

