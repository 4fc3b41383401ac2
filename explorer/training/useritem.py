"""Training the dot-product recommender (``models.user_item``) and writing its run directory.

Optimiser: Adam on all parameters (dense, torch's update rule), constant learning rate
``config.lr``. Each epoch visits every training positive once in a seeded random order, in batches
of ``config.batch_size`` positives. Gradients are computed in closed form
(:func:`models.user_item.pair_gradients`), which halves the cost of a CPU step against autograd.

* ``loss="bce"``: each positive is paired with ``config.negatives`` sampled items labelled 0; the
  log's observed negatives (label 0 rows) are added as 0-labelled pairs of their own.
* ``loss="bpr"``: each positive is compared with ``config.negatives`` sampled items,
  ``-log sigmoid(pos - neg)``.

Negatives are drawn uniformly or in proportion to ``max(count, 1) ** neg_alpha`` (training
popularity) and are never the user's own training positives on purpose: draws that hit one are
redrawn (a sorted ``user * n_items + item`` key array and ``np.searchsorted``) up to 20 times,
then drawn from the user's enumerated non-positive items (users who have seen most of the catalogue).
The L2 penalty ``weight_decay * sum of squared vectors used in the step / batch`` applies to the
user, positive and negative vectors of each step.

After each epoch the model is scored on the validation split (HR@10, NDCG@10, both protocols; the
progress report carries the sampled-protocol numbers). After fitting, NaN or infinite values stop
the run with a clear error. The run directory gets, besides the files every user-item run has
(see :mod:`explorer.runs`):

* ``interactions.npz`` (written and read by :mod:`explorer.runs.logged`): the log as the model saw it
  (``allow_pickle=False``): ``user`` int32 (n,),
  ``item`` int32 (n,) (rows of users.tsv / items.tsv), ``label`` float32 (n,) (1 positive,
  0 observed negative), ``split`` int8 (n,) (0 train, 1 validation, 2 test), ``split_seed``
  int64 scalar (the seed that broke time ties), ``timestamp``
  float64 (n,) (NaN when the log has none), ``validation_negatives`` and ``test_negatives``
  int64 (rows of that split in ascending order, 99) sampled evaluation negatives (-1 pads);
* ``item_counts.npy``: int64 (n_items,) positive interactions per item in the whole log;
* ``items.tsv`` with metadata: ``item``, then ``title`` and ``genre`` (the metadata's title and
  category columns, guessed or named by ``data.title_col`` / ``data.category_col``; genres
  separated by ``|``), then the metadata's other columns;
* ``labels.tsv``: ``token<TAB>label`` item id -> genre, when the metadata has a genre/category
  column (the first genre of ``A|B|C`` lists);
* ``frames.npy`` + ``frames.json`` when ``cfg.frames``: the item vectors during training
  (:mod:`explorer.training.frames`).
"""

from __future__ import annotations

import logging
import math
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional

import numpy as np

from explorer.configs import to_dict
from explorer.devices import resolve_device
from explorer.errors import ExplorerError, TrainingStopped
from explorer.kinds.useritem import UserItemConfig, UserItemSpec, model_bytes
from explorer.progress import Progress, ProgressCallback, Throttle, no_progress
from explorer.recsys.interactions import (
    Interactions,
    first_genre,
    genre_column,
    item_columns_for_run,
    metadata_mismatch,
    popularity,
    read_interactions,
    read_item_metadata,
)
from explorer.recsys.ranking import (
    DEFAULT_K,
    DEFAULT_NEGATIVES,
    Heldout,
    Split,
    describe_split,
    evaluate,
    evaluate_all,
    heldout_set,
    leave_latest_out,
)
from explorer.resources import check_model_memory, disk_space
from explorer.runs import atomic_run_dir, write_config, write_json, write_tsv
from explorer.runs import layout as L
from explorer.runs.logged import save_logged

if TYPE_CHECKING:  # torch loads lazily: ``evaluate`` and ``recommend`` read runs without it
    import torch

REPORT_EVERY_S = 0.2  # seconds between progress reports inside an epoch
MAX_EPOCH_VALIDATION = 2000  # validation instances scored after each epoch (a seeded subset beyond)


@dataclass
class FitResult:
    """A fitted model's arrays and its training history.

    users: float32 (n_users, dim); items: float32 (n_items, dim); item_bias: float32 (n_items,)
    """

    users: np.ndarray
    items: np.ndarray
    item_bias: np.ndarray
    loss_per_epoch: list[float] = field(default_factory=list)
    validation_per_epoch: list[dict] = field(default_factory=list)
    train_seconds: float = 0.0
    interactions_per_second: float = 0.0
    device: str = "cpu"
    frames: Optional[Any] = None  # a FrameRecorder of the item vectors (explorer.training.frames) when cfg.frames


class NegativeSampler:
    """Draws negative items for users, avoiding each user's training positives.

    positive_keys: sorted unique int64 ``user * n_items + item`` of the training positives.
    probs: None for uniform sampling, else float64 (n_items,) sampling distribution.
    """

    def __init__(self, positive_keys: np.ndarray, n_items: int, probs: Optional[np.ndarray],
                 rng: np.random.Generator, max_rounds: int = 20) -> None:
        self.keys = positive_keys
        self.n_items = n_items
        self.cdf = None if probs is None else np.cumsum(probs / probs.sum())
        self.rng = rng
        self.max_rounds = max_rounds

    def _draw(self, size: int | tuple[int, ...]) -> np.ndarray:
        if self.cdf is None:
            return self.rng.integers(0, self.n_items, size=size)
        idx = np.searchsorted(self.cdf, self.rng.random(size=size) * self.cdf[-1], side="right")
        return np.minimum(idx, self.n_items - 1)

    def is_positive(self, users: np.ndarray, items: np.ndarray) -> np.ndarray:
        """bool, same shape: (user, item) is a training positive."""
        flat = users * self.n_items + items
        hit = np.minimum(np.searchsorted(self.keys, flat), len(self.keys) - 1)
        return self.keys[hit] == flat

    def sample(self, users: np.ndarray, k: int) -> np.ndarray:
        """int64 (len(users), k) negatives, none a training positive of its user (unless the user
        has every item)."""
        users = np.asarray(users, dtype=np.int64)[:, None]
        neg = self._draw((users.shape[0], k))
        bad = self.is_positive(users, neg)
        for _ in range(self.max_rounds):
            if not bad.any():
                break
            rows, cols = np.nonzero(bad)
            fresh = self._draw(rows.size)
            neg[rows, cols] = fresh
            bad[rows, cols] = self.is_positive(users[rows, 0], fresh)
        if bad.any():  # users who have seen most items: draw from their enumerated non-positives
            rows, cols = np.nonzero(bad)
            for user in np.unique(users[rows, 0]):
                lo, hi = np.searchsorted(self.keys, [user * self.n_items, (user + 1) * self.n_items])
                free = np.setdiff1d(np.arange(self.n_items), self.keys[lo:hi] - user * self.n_items)
                if free.size == 0:
                    continue  # a user who has everything: nothing better to offer
                where = users[rows, 0] == user
                if self.cdf is None:
                    pick = self.rng.choice(free, size=int(where.sum()))
                else:
                    w = np.diff(np.concatenate([[0.0], self.cdf]))[free]
                    pick = self.rng.choice(free, size=int(where.sum()), p=w / w.sum())
                neg[rows[where], cols[where]] = pick
        return neg


def _sampling_probs(inter: Interactions, train_pos: np.ndarray, cfg: UserItemConfig) -> Optional[np.ndarray]:
    if cfg.neg_sampling == "uniform":
        return None
    counts = np.bincount(inter.items[train_pos], minlength=inter.n_items).astype(np.float64)
    return np.maximum(counts, 1.0) ** cfg.neg_alpha


def _validation_subset(val: Heldout, seed: int) -> Heldout:
    if len(val) <= MAX_EPOCH_VALIDATION:
        return val
    keep = np.sort(np.random.default_rng(seed).choice(len(val), MAX_EPOCH_VALIDATION, replace=False))
    return val.subset(keep)


def fit(
    inter: Interactions,
    split: Split,
    cfg: UserItemConfig,
    callback: ProgressCallback = no_progress,
    validation: Optional[Heldout] = None,
) -> FitResult:
    """Train on ``split``'s training rows; report progress and per-epoch validation metrics.

    Raises :class:`TrainingStopped` when ``callback`` returns True, :class:`ExplorerError` when
    the vectors diverge (NaN or inf).
    """
    import torch

    cfg.validate()
    device = torch.device(resolve_device(cfg.device))
    threads = torch.get_num_threads()
    if device.type == "cpu":
        torch.set_num_threads(cfg.workers if cfg.workers > 0 else (os.cpu_count() or 1))
    try:
        return _fit(inter, split, cfg, callback, validation, device)
    finally:
        torch.set_num_threads(threads)


def _fit(inter: Interactions, split: Split, cfg: UserItemConfig, callback: ProgressCallback,
         validation: Optional[Heldout], device: torch.device) -> FitResult:
    import torch

    rng = np.random.default_rng(cfg.seed)
    gen = torch.Generator().manual_seed(cfg.seed)
    torch.manual_seed(cfg.seed)

    from models.user_item import DotProductRecommender, observed_negative_gradients, pair_gradients

    train = split.train
    pos_rows = np.flatnonzero(train & inter.positive)
    obs_rows = np.flatnonzero(train & ~inter.positive) if cfg.loss == "bce" else np.zeros(0, np.int64)
    if pos_rows.size == 0:
        raise ExplorerError(f"{inter.source}: no positive interactions left for training", code="train_no_positive",
                            file=inter.source)
    pos_users = inter.users[pos_rows].astype(np.int64)
    pos_items = inter.items[pos_rows].astype(np.int64)
    keys = np.unique(pos_users * inter.n_items + pos_items)
    sampler = NegativeSampler(keys, inter.n_items, _sampling_probs(inter, train & inter.positive, cfg), rng)

    model = DotProductRecommender(inter.n_users, inter.n_items, cfg.dim, generator=gen).to(device)
    U, V = model.users.weight.data, model.items.weight.data
    B = model.item_bias.weight.data[:, 0]  # a view: updates land in the module
    opt = _Adam((U, V, B), cfg.lr)
    gU, gV, gB = torch.zeros_like(U), torch.zeros_like(V), torch.zeros_like(B)
    t_users = torch.from_numpy(pos_users).to(device)
    t_items = torch.from_numpy(pos_items).to(device)
    t_obs_u = torch.from_numpy(inter.users[obs_rows].astype(np.int64)).to(device)
    t_obs_i = torch.from_numpy(inter.items[obs_rows].astype(np.int64)).to(device)
    val_epoch = _validation_subset(validation, cfg.seed) if validation is not None and len(validation) else None
    recorder = None
    if cfg.frames:
        from explorer.training.frames import FrameRecorder, plan_frames

        by_popularity = np.argsort(-np.bincount(pos_items, minlength=inter.n_items), kind="stable")
        recorder = FrameRecorder(plan_frames(cfg.frames + 1, cfg.epochs, inter.n_items, cfg.dim, order=by_popularity),
                                 epochs=cfg.epochs)
        recorder.start(V.cpu().numpy())

    n_pos, bs, k = pos_rows.size, cfg.batch_size, cfg.negatives
    steps = math.ceil(n_pos / bs)
    obs_per_step = math.ceil(obs_rows.size / steps) if obs_rows.size else 0
    result = FitResult(np.empty(0), np.empty(0), np.empty(0), device=str(device))
    throttle = Throttle(REPORT_EVERY_S)
    last_metrics: Optional[dict] = None
    done = 0  # positives processed
    with torch.no_grad():
        for epoch in range(1, cfg.epochs + 1):
            order = torch.from_numpy(rng.permutation(n_pos)).to(device)
            negs = torch.from_numpy(sampler.sample(pos_users, k)).to(device)
            obs_order = torch.from_numpy(rng.permutation(obs_rows.size)).to(device) if obs_rows.size else None
            loss_sum = torch.zeros((), device=device)
            for step in range(steps):
                idx = order[step * bs:(step + 1) * bs]
                u_idx, p_idx, n_idx = t_users[idx], t_items[idx], negs[idx]
                loss, du, dvp, dvn, dbp, dbn = pair_gradients(
                    U[u_idx], V[p_idx], V[n_idx], B[p_idx], B[n_idx], cfg.loss, cfg.weight_decay)
                gU.zero_()
                gV.zero_()
                gB.zero_()
                flat_n = n_idx.reshape(-1)
                gU.index_add_(0, u_idx, du)
                gV.index_add_(0, p_idx, dvp)
                gV.index_add_(0, flat_n, dvn.reshape(-1, cfg.dim))
                gB.index_add_(0, p_idx, dbp)
                gB.index_add_(0, flat_n, dbn.reshape(-1))
                if obs_order is not None:
                    o = obs_order[step * obs_per_step:(step + 1) * obs_per_step]
                    if o.numel():
                        ou, oi = t_obs_u[o], t_obs_i[o]
                        o_loss, dou, dov, dob = observed_negative_gradients(U[ou], V[oi], B[oi], 1.0 / idx.numel())
                        loss = loss + o_loss
                        gU.index_add_(0, ou, dou)
                        gV.index_add_(0, oi, dov)
                        gB.index_add_(0, oi, dob)
                opt.step((gU, gV, gB))
                loss_sum += loss
                done += idx.numel()
                if recorder is not None and recorder.due(done / (n_pos * cfg.epochs)):
                    frame = recorder.add(V.cpu().numpy(), epoch, done / (n_pos * cfg.epochs), float(loss_sum) / (step + 1))
                    callback(Progress(stage="train", progress=min(1.0, done / (n_pos * cfg.epochs)), epoch=epoch,
                                      epochs=cfg.epochs, loss=float(loss_sum) / (step + 1), frame=frame))
                if throttle.due():
                    running = float(loss_sum) / (step + 1)
                    _report(callback, epoch, cfg.epochs, done, n_pos * cfg.epochs, throttle.elapsed, running,
                            last_metrics)
            epoch_loss = float(loss_sum) / steps
            if not math.isfinite(epoch_loss):
                raise _diverged(cfg)
            result.loss_per_epoch.append(epoch_loss)
            if val_epoch is not None:
                u, v, b = _arrays(model)
                sampled = evaluate(u, v, b, val_epoch, "sampled", DEFAULT_K)
                full = evaluate(u, v, b, val_epoch, "full", DEFAULT_K)
                result.validation_per_epoch.append({
                    "epoch": epoch,
                    "sampled": {key: sampled[key] for key in ("protocol", "negatives", "users", "HR@10", "NDCG@10")},
                    "full": {key: full[key] for key in ("protocol", "users", "HR@10", "NDCG@10")},
                })
                last_metrics = {"HR@10": sampled["HR@10"], "NDCG@10": sampled["NDCG@10"]}
            throttle.due(force=True)
            _report(callback, epoch, cfg.epochs, done, n_pos * cfg.epochs, throttle.elapsed, epoch_loss, last_metrics)

    result.users, result.items, result.item_bias = _arrays(model)
    result.train_seconds = throttle.elapsed
    if recorder is not None:
        recorder.finish(result.items, cfg.epochs, result.loss_per_epoch[-1] if result.loss_per_epoch else None)
        result.frames = recorder
    result.interactions_per_second = done / max(result.train_seconds, 1e-9)
    for arr in (result.users, result.items, result.item_bias):
        if not np.isfinite(arr).all():
            raise _diverged(cfg)
    return result


class _Adam:
    """Adam (Kingma & Ba; the update of ``torch.optim.Adam`` with its default betas and eps) on
    plain tensors with precomputed gradients. Written out because ``torch.optim`` pulls in
    ``torch._dynamo`` on first use, seconds of import time for a job that trains in seconds."""

    def __init__(self, params: tuple[torch.Tensor, ...], lr: float, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8) -> None:
        import torch

        self.params = params
        self.lr, self.b1, self.b2, self.eps = lr, betas[0], betas[1], eps
        self.m = [torch.zeros_like(p) for p in params]
        self.v = [torch.zeros_like(p) for p in params]
        self.t = 0

    def step(self, grads: tuple[torch.Tensor, ...]) -> None:
        self.t += 1
        c1 = 1 - self.b1 ** self.t
        c2 = math.sqrt(1 - self.b2 ** self.t)
        for p, g, m, v in zip(self.params, grads, self.m, self.v, strict=True):
            m.mul_(self.b1).add_(g, alpha=1 - self.b1)
            v.mul_(self.b2).addcmul_(g, g, value=1 - self.b2)
            p.addcdiv_(m, v.sqrt().div_(c2).add_(self.eps), value=-self.lr / c1)


def _diverged(cfg: UserItemConfig) -> ExplorerError:
    return ExplorerError(f"training diverged (NaN or inf in the vectors): lower --lr (now {cfg.lr:g}) "
                         f"or raise --weight-decay (now {cfg.weight_decay:g})", code="train_diverged_useritem",
                         lr=cfg.lr, weight_decay=cfg.weight_decay)


def _arrays(model: torch.nn.Module) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    import torch

    with torch.no_grad():
        return (model.users.weight.detach().cpu().numpy().astype(np.float32, copy=True),
                model.items.weight.detach().cpu().numpy().astype(np.float32, copy=True),
                model.item_bias.weight.detach().cpu().numpy()[:, 0].astype(np.float32, copy=True))


def _report(callback: ProgressCallback, epoch: int, epochs: int, done: int, total: int, elapsed: float,
            loss: float, metrics: Optional[dict]) -> None:
    frac = min(done / max(total, 1), 1.0)
    rate = done / max(elapsed, 1e-9)
    eta = (total - done) / rate if rate > 0 else None
    stop = callback(Progress(
        stage="train", progress=frac, epoch=epoch, epochs=epochs, loss=loss, rate=rate, eta_s=eta,
        message="validation HR@10 / NDCG@10: 99 sampled negatives" if metrics else "",
        metrics=dict(metrics) if metrics else None,
    ))
    if stop:
        raise TrainingStopped(None)


# --------------------------------------------------------------------------- the run directory


def _finite(obj: Any) -> Any:
    """NaN/inf -> None so that metrics.json stays valid JSON."""
    if isinstance(obj, float) and not math.isfinite(obj):
        return None
    if isinstance(obj, dict):
        return {k: _finite(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_finite(v) for v in obj]
    return obj


def prepare(
    inter: Interactions, seed: int = 0
) -> tuple[Split, Heldout, Heldout]:
    """The leave-latest-out split and its validation and test sets (seeded sampled negatives)."""
    split = leave_latest_out(inter, seed=seed)
    validation = heldout_set(inter, split, "validation", DEFAULT_NEGATIVES, seed=seed + 1)
    test = heldout_set(inter, split, "test", DEFAULT_NEGATIVES, seed=seed + 2)
    return split, validation, test


@contextmanager
def _named(path: Optional[Path], name: Optional[str]) -> Iterator[None]:
    """Re-raise ExplorerErrors that name ``path`` with ``name`` in its place (when both are given)."""
    try:
        yield
    except ExplorerError as exc:
        text = str(exc)
        if path is None or not name or str(path) not in text:
            raise
        # rename in place, so that the error keeps its code and params (the UI translates it)
        exc.args = (text.replace(str(path), name),)
        exc.params = {key: value.replace(str(path), name) if isinstance(value, str) else value
                      for key, value in exc.params.items()}
        exc.__context__ = None
        exc.__suppress_context__ = True
        raise


def train_useritem_run(spec: UserItemSpec, out_dir: Path, callback: ProgressCallback = no_progress) -> Path:
    """The user-item kind's runner: read the log in ``spec``, train, evaluate, write ``out_dir``.

    ``spec.data.interactions_name`` / ``items_name`` (optional): the user's names for the files, used
    in error messages instead of the stored copies' paths.
    """
    started = time.perf_counter()
    cfg, data = spec.config, spec.data
    if not data.interactions:
        raise ExplorerError("interactions: no interaction log given", code="interactions_missing")
    path = Path(data.interactions)
    # messages name the user's file, not the stored copy (uploads are stored under a hashed name)
    with _named(path, data.interactions_name):
        inter = read_interactions(path, data.columns, cfg.min_rating)
    items = Path(data.items) if data.items else None
    with _named(items, data.items_name):
        meta = (read_item_metadata(items, inter.item_ids, data.title_col, data.category_col)
                if items is not None else None)
    if meta is not None:
        mismatch = metadata_mismatch(meta, data.items_name or str(items), inter.item_ids[0])
        if mismatch is not None:  # trained all the same (the log is fine); said once, on stderr / in the worker log
            logging.getLogger("explorer.training").warning("warning: %s", mismatch)
    need = model_bytes(inter.n_users, inter.n_items, cfg.dim)
    check_model_memory(need, f"{inter.source}: {inter.n_users:,} users + {inter.n_items:,} items x dim {cfg.dim}",
                       "lower --dim")
    split, validation, test = prepare(inter, cfg.seed)
    result = fit(inter, split, cfg, callback, validation)
    callback(Progress(stage="evaluate", progress=0.0, message="test metrics, both protocols"))
    final = evaluate_all(result.users, result.items, result.item_bias, inter, split, test)
    callback(Progress(stage="evaluate", progress=1.0))

    metrics = {
        "loss": cfg.loss,
        "loss_per_epoch": result.loss_per_epoch,
        "validation_per_epoch": result.validation_per_epoch,
        "test": final,
        "split": describe_split(split),
        "n_users": inter.n_users,
        "n_items": inter.n_items,
        "n_interactions": len(inter),
        "density": inter.density,
        "device": result.device,
        "train_seconds": result.train_seconds,
        "interactions_per_second": result.interactions_per_second,
    }
    with disk_space(Path(out_dir).parent, need // 4 + 64 * (inter.n_users + inter.n_items)), \
            atomic_run_dir(Path(out_dir)) as tmp:
        write_config(tmp, spec.kind, to_dict(cfg), {
            "interactions": inter.source,
            "sha256": inter.sha256,
            "items": data.items,
            "columns": inter.columns,
            "title_col": meta.attrs.get("title_col") if meta is not None else None,
            "category_col": meta.attrs.get("category_col") if meta is not None else None,
            "n_users": inter.n_users,
            "n_items": inter.n_items,
            "n_interactions": len(inter),
        }, name=spec.name or Path(inter.source).name)
        save_arrays(tmp, inter, split, validation, test, result, meta)
        if result.frames is not None:
            from explorer.training.frames import save_frames

            save_frames(tmp, result.frames)
        metrics["seconds"] = time.perf_counter() - started
        write_json(tmp / L.METRICS, _finite(metrics))
    return Path(out_dir)


def save_arrays(run_dir: Path, inter: Interactions, split: Split, validation: Heldout, test: Heldout,
                result: FitResult, meta: Any = None) -> None:
    """Write the vectors, id tables, the log (interactions.npz), item counts and genre labels."""
    run_dir = Path(run_dir)
    np.save(run_dir / L.USERS, np.ascontiguousarray(result.users, dtype=np.float32))
    np.save(run_dir / L.ITEMS, np.ascontiguousarray(result.items, dtype=np.float32))
    np.save(run_dir / L.ITEM_BIAS, np.ascontiguousarray(result.item_bias, dtype=np.float32))
    np.save(run_dir / L.ITEM_COUNTS, popularity(inter))
    write_tsv(run_dir / L.USERS_TSV, ["user"], [[u] for u in inter.user_ids])
    if meta is not None:
        write_tsv(run_dir / L.ITEMS_TSV, *item_columns_for_run(meta))
        genre = genre_column(meta)
        if genre is not None:
            labels = [(i, first_genre(str(g))) for i, g in zip(inter.item_ids, meta[genre], strict=True)]
            write_tsv(run_dir / L.LABELS, ["token", "label"], [(i, g) for i, g in labels if g])
    else:
        write_tsv(run_dir / L.ITEMS_TSV, ["item"], [[i] for i in inter.item_ids])
    save_logged(run_dir, inter, split, validation.negatives, test.negatives)
