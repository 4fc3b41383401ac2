"""The user-item kind: a dot-product recommender trained on an interaction log (users and items as vectors).

    >>> KIND.required_files
    ('config.json', 'items.npy', 'users.npy', 'users.tsv', 'items.tsv', 'item_bias.npy')
    >>> model_bytes(n_users=10, n_items=20, dim=4)
    1920
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Optional

import explorer.kinds.files as F
from explorer.configs import DEVICES, SEED_MAX, check, param
from explorer.errors import ExplorerError
from explorer.kinds.base import JOB_OVERHEAD_S, Capabilities, DataInput, TrainingKind, TrainingSpec, data_field

INTERACTIONS_PER_S = 150_000.0  # rows per second and epoch on one busy core
BYTES_PER_ROW = 20.0
LOG_TYPES = ("csv", "tsv", "txt", "dat", "data", "inter", "jsonl", "json", "ndjson")  # interaction log uploads
ITEM_TYPES = ("csv", "tsv", "txt", "dat", "item", "user", "jsonl", "json", "ndjson")  # item metadata uploads

COLUMN_ROLES = ("user", "item", "rating", "time", "label")
COLUMN_HELP = {
    "user": "column holding the user id (default: guessed from the header)",
    "item": "column holding the item id (default: guessed from the header)",
    "rating": "column holding the rating (default: guessed; none: every row is a positive)",
    "time": "column holding the timestamp (default: guessed; none: a random split)",
    "label": "0/1 column: 0 = observed negative (default: guessed; none: every row is a positive)",
}


def _no_columns() -> dict[str, Optional[str]]:
    return dict.fromkeys(COLUMN_ROLES)


@dataclass
class UserItemData:
    """The interaction log (and optional item metadata) a user-item run reads."""

    interactions: str = data_field(help="interaction log: CSV/TSV, JSON lines, RecBole .inter, MovieLens u.data or "
                                        "ratings.dat (encoding and columns detected)", file=True)
    items: Optional[str] = data_field(None, "item metadata file (id, title, genre, ...): CSV/TSV, JSON lines, "
                                      "RecBole .item, MovieLens u.item or movies.dat (default: none)", file=True)
    columns: dict[str, Optional[str]] = data_field(help="role -> column name (None: guessed)", roles=COLUMN_HELP,
                                                   default_factory=_no_columns)
    interactions_name: Optional[str] = None
    items_name: Optional[str] = None
    title_col: Optional[str] = data_field(None, "item metadata column holding titles (default: guessed from "
                                          "names like title, movie_title, name)")
    category_col: Optional[str] = data_field(None, "item metadata column holding genres or categories, several "
                                             "separated by | or spaces (default: guessed from names like genre, "
                                             "genres, class, category)")

    def __post_init__(self) -> None:
        if not isinstance(self.columns, dict):
            raise ExplorerError("columns: expected a mapping of role to column name", code="spec_invalid",
                                what="columns")
        unknown = set(self.columns) - set(COLUMN_ROLES)
        if unknown:
            raise ExplorerError(f"columns: unknown role {sorted(unknown)[0]!r} (roles: {', '.join(COLUMN_ROLES)})",
                                code="spec_invalid", what="columns")
        self.columns = _no_columns() | {k: (None if v in (None, "") else str(v)) for k, v in self.columns.items()}


@dataclass
class UserItemConfig:
    """User-item dot-product recommender hyperparameters."""

    dim: int = param(32, "vector size for users and items", min=1, max=1000)
    epochs: int = param(20, "passes over the training interactions", min=1, max=1000)
    loss: str = param("bce", "bce (k sampled negatives per positive) or bpr", choices=("bce", "bpr"))
    negatives: int = param(4, "sampled negatives per positive", min=1, max=1000)
    neg_sampling: str = param("uniform", "uniform, or popularity (popularity ** neg-alpha)",
                              choices=("uniform", "popularity"))
    neg_alpha: float = param(0.75, "exponent for popularity sampling", min=0.0, max=2.0)
    lr: float = param(0.01, "Adam learning rate", min=0.0, max=10.0, min_exclusive=True)
    weight_decay: float = param(0.001, "L2 penalty on the vectors used in each step", min=0.0, max=10.0)
    batch_size: int = param(1024, "positives per step", min=1, max=1 << 20)
    min_rating: Optional[float] = param(None, "keep only rows rated at least this (default: keep all)", ui=False)
    seed: int = param(0, "seeds every random choice", min=0, max=SEED_MAX)
    device: str = param("auto", "auto uses CUDA when torch sees a GPU", choices=DEVICES)
    workers: int = param(1, "CPU threads for torch (0: all cores); the small steps run fastest on one",
                         min=0, max=256)
    frames: int = param(0, "frames of the item vectors kept to watch the model learn (0: none)", min=0, max=200)

    def validate(self) -> UserItemConfig:
        return check(self)



def model_bytes(n_users: int, n_items: int, dim: int) -> int:
    """Bytes of a user-item model: float32 (users + items, dim) tables, their gradients and Adam's
    two moments (4 copies)."""
    return 4 * (int(n_users) + int(n_items)) * int(dim) * 4


UserItemSpec = TrainingSpec[UserItemData, UserItemConfig]


class UserItemKind(TrainingKind):
    def estimate_seconds(self, spec: TrainingSpec, data_stats: Mapping[str, int]) -> float:
        rows = data_stats.get("interactions", 0) / BYTES_PER_ROW
        return JOB_OVERHEAD_S + rows * spec.config.epochs / INTERACTIONS_PER_S

    def key_numbers(self, metrics: Mapping[str, Any]) -> dict[str, float]:
        out = super().key_numbers(metrics)
        if isinstance(metrics.get("interactions_per_second"), (int, float)):
            out["interactions/s"] = float(metrics["interactions_per_second"])
        test = metrics.get("test") if isinstance(metrics.get("test"), dict) else {}
        for protocol in ("full", "sampled"):
            model = (test.get(protocol) or {}).get("model") if isinstance(test.get(protocol), dict) else None
            if isinstance(model, dict):
                for k in ("HR@10", "NDCG@10"):
                    if isinstance(model.get(k), (int, float)):
                        out.setdefault(k, float(model[k]))
        return out

    def sample_data(self) -> dict[str, Any]:
        from explorer.samples.files import sample_files

        files = sample_files()
        return {"path": str(files.interactions), "name": "sample_interactions.csv", "items": str(files.items),
                "sample": True}


KIND = UserItemKind(
    name="useritem", help="user-item dot-product recommender", data_cls=UserItemData, config_cls=UserItemConfig,
    runner="explorer.training.useritem:train_useritem_run",
    run_files=(F.CONFIG_FILE, F.METRICS_FILE,
               F.RunFile(F.ITEMS, "npy", ("items", "d"), "float32", finite=True, about="row i is item i"),
               F.RunFile(F.USERS, "npy", ("users", "d"), "float32", finite=True, about="row u is user u"),
               F.RunFile(F.USERS_TSV, "tsv", ("users",), header=("user",), about="user ids, one per row"),
               F.RunFile(F.ITEMS_TSV, "tsv", ("items",), header=("item",), header_prefix=True,
                         about="item ids, then metadata columns (title, category, ...)"),
               F.RunFile(F.ITEM_BIAS, "npy", ("items",), "float32", finite=True, about="score = users[u] @ items[i] + bias[i]"),
               F.RunFile(F.ITEM_COUNTS, "npy", ("items",), "int", required=False, about="training interactions per item"),
               F.RunFile(F.INTERACTIONS, "logged", ("users", "items"), required=False,
                         about="the log, its split and negatives (no pickles)"),
               F.LABELS_FILE,
               *F.frames_files("items")),
    capabilities=Capabilities(users=True, items=True, frames=True, labels=True), rate_unit="interactions",
    example="--interactions sample/sample_interactions.csv --items sample/sample_items.csv",
    data_input=DataInput("log", LOG_TYPES, shared="interactions", shared_extra=("items",), extra_types={"items": ITEM_TYPES}))
