"""``train skipgram|useritem``: build a job spec from the flags and train in this process."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

from explorer.commands.progress_bar import ProgressBar
from explorer.configs import CorpusConfig, SkipGramConfig, UserItemConfig, to_dict
from explorer.errors import ExplorerError
from explorer.runs import check_out_dir


def _existing_file(path: str | None, what: str) -> str | None:
    if path is None:
        return None
    p = Path(path)
    if not p.exists():
        raise ExplorerError(f"{path}: {what} file not found")
    if not p.is_file():
        raise ExplorerError(f"{path}: {what} is not a file")
    return str(p.resolve())


def spec_from_args(args: argparse.Namespace) -> dict[str, Any]:
    """The job spec (see :mod:`explorer.training`) for ``train``/``submit`` flags; validates them."""
    if args.model == "skipgram":
        config = SkipGramConfig(
            dim=args.dim, window=args.window, negatives=args.negatives, epochs=args.epochs,
            min_count=args.min_count, max_vocab=args.max_vocab, sample=args.sample, lr=args.lr,
            workers=args.workers, seed=args.seed, loss=args.loss, snapshots=args.snapshots,
            device=args.device,
        ).validate()
        corpus_cfg = CorpusConfig(lang=args.lang, text_column=args.text_column, remove_stopwords=args.stopwords)
        return {
            "kind": "skipgram",
            "name": Path(args.corpus).name,
            "data": {
                "corpus": _existing_file(args.corpus, "corpus"),
                "labels": _existing_file(args.labels, "labels"),
                "user_words": _existing_file(args.user_words, "user words"),
            },
            "corpus_config": to_dict(corpus_cfg),
            "config": to_dict(config),
        }
    config = UserItemConfig(
        dim=args.dim, epochs=args.epochs, loss=args.loss, negatives=args.negatives,
        neg_sampling=args.neg_sampling, lr=args.lr, weight_decay=args.weight_decay,
        batch_size=args.batch_size, min_rating=args.min_rating, seed=args.seed, device=args.device,
    ).validate()
    return {
        "kind": "useritem",
        "name": Path(args.interactions).name,
        "data": {
            "interactions": _existing_file(args.interactions, "interactions"),
            "items": _existing_file(args.items, "items metadata"),
            "columns": {"user": args.user_col, "item": args.item_col, "rating": args.rating_col,
                        "time": args.time_col, "label": args.label_col},
            "title_col": getattr(args, "title_col", None),
            "category_col": getattr(args, "category_col", None),
        },
        "config": to_dict(config),
    }


def run(args: argparse.Namespace) -> int:
    from explorer.training import run_training

    spec = spec_from_args(args)
    out = check_out_dir(Path(args.out))
    bar = ProgressBar(disable=None if os.environ.get("EXPLORER_NO_PROGRESS") is None else True)
    try:
        run_training(spec, out, bar)
    finally:
        bar.close()
    print(out)
    return 0
