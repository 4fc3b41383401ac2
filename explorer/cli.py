"""The ``python -m explorer`` command line: a contract that teachers and benchmarks script.

Flags, exit codes and run-directory files are specified by the project's issues; keep them.
Exit status: 0 success, 2 bad input (one line ``error: ...`` on stderr), 1 unexpected failure,
130 interrupted. Each sub-command's work lives in ``explorer/commands/<module>.py`` as
``run(args) -> int``; this module only parses and dispatches (imports stay lazy so that quick
commands such as ``status`` do not pay for importing torch).
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from typing import NoReturn, Optional

from explorer.configs import SkipGramConfig, UserItemConfig
from explorer.errors import ExplorerError

_SG = SkipGramConfig()
_UI = UserItemConfig()


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors follow the CLI contract: one line ``error: ...``, exit 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"error: {message} (see: {self.prog} --help)\n")


def _add_skipgram_flags(p: argparse.ArgumentParser) -> None:
    p.add_argument("--corpus", required=True, help="text file: .txt, .csv/.tsv (see --text-column) or .zip of .txt")
    p.add_argument("--out", required=True, help="run directory to create (must not exist or be empty)")
    p.add_argument("--lang", default="auto", choices=["auto", "en", "zh", "pretokenized"])
    p.add_argument("--text-column", default=None, help="for .csv/.tsv: the column with the text")
    p.add_argument("--stopwords", action="store_true", help="remove built-in English/Chinese stopwords")
    p.add_argument("--user-words", default=None, help="file with extra words for the Chinese tokenizer, one per line")
    p.add_argument("--labels", default=None, help="optional TSV/CSV word,label file (ground-truth categories)")
    p.add_argument("--dim", type=int, default=_SG.dim)
    p.add_argument("--window", type=int, default=_SG.window)
    p.add_argument("--negatives", type=int, default=_SG.negatives)
    p.add_argument("--epochs", type=int, default=_SG.epochs)
    p.add_argument("--min-count", type=int, default=_SG.min_count)
    p.add_argument("--max-vocab", type=int, default=None)
    p.add_argument("--sample", type=float, default=_SG.sample)
    p.add_argument("--lr", type=float, default=_SG.lr)
    p.add_argument("--workers", type=int, default=_SG.workers, help="CPU threads (0: all cores)")
    p.add_argument("--seed", type=int, default=_SG.seed)
    p.add_argument("--loss", default=_SG.loss, choices=["negative-sampling", "softmax"])
    p.add_argument("--snapshots", action="store_true", help="keep the vectors after every epoch")
    p.add_argument("--device", default=_SG.device, choices=["auto", "cpu", "cuda"])


def _add_useritem_flags(p: argparse.ArgumentParser) -> None:
    p.add_argument("--interactions", required=True, help="interaction log: .csv, .tsv, .dat or .txt")
    p.add_argument("--out", required=True, help="run directory to create (must not exist or be empty)")
    p.add_argument("--items", default=None, help="optional item metadata file (id, title, genre, ...)")
    p.add_argument("--user-col", default=None)
    p.add_argument("--item-col", default=None)
    p.add_argument("--rating-col", default=None)
    p.add_argument("--time-col", default=None)
    p.add_argument("--label-col", default=None, help="0/1 column: 0 = observed negative")
    p.add_argument("--min-rating", type=float, default=None)
    p.add_argument("--dim", type=int, default=_UI.dim)
    p.add_argument("--epochs", type=int, default=_UI.epochs)
    p.add_argument("--loss", default=_UI.loss, choices=["bce", "bpr"])
    p.add_argument("--negatives", type=int, default=_UI.negatives)
    p.add_argument("--neg-sampling", default=_UI.neg_sampling, choices=["uniform", "popularity"])
    p.add_argument("--lr", type=float, default=_UI.lr)
    p.add_argument("--weight-decay", type=float, default=_UI.weight_decay)
    p.add_argument("--batch-size", type=int, default=_UI.batch_size)
    p.add_argument("--seed", type=int, default=_UI.seed)
    p.add_argument("--device", default=_UI.device, choices=["auto", "cpu", "cuda"])


def _add_model_subparsers(parent: argparse.ArgumentParser, dest: str) -> None:
    sub = parent.add_subparsers(dest=dest, required=True, metavar="{skipgram,useritem}")
    _add_skipgram_flags(sub.add_parser("skipgram", help="word2vec Skip-gram on a text corpus"))
    _add_useritem_flags(sub.add_parser("useritem", help="user-item dot-product recommender"))


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m explorer", description="Embedding Explorer command line")
    sub = parser.add_subparsers(dest="command", required=True)

    _add_model_subparsers(sub.add_parser("train", help="train a model in this process (progress on stderr)"), "model")

    p = sub.add_parser("neighbors", help="nearest tokens of a word")
    p.add_argument("run_dir")
    p.add_argument("word")
    p.add_argument("-k", type=int, default=10)
    p.add_argument("--metric", default="cosine", choices=["cosine", "euclidean", "dot"])

    p = sub.add_parser("export", help="export vectors")
    p.add_argument("run_dir")
    p.add_argument("--format", required=True, choices=["projector", "word2vec", "word2vec-binary"])
    p.add_argument("--out", required=True, help="output path (projector: vectors TSV; metadata beside it)")

    p = sub.add_parser("recommend", help="top-k unseen items for a user, with the why")
    p.add_argument("run_dir")
    p.add_argument("user")
    p.add_argument("-k", type=int, default=10)

    p = sub.add_parser("evaluate", help="ranking metrics of a user-item run (JSON)")
    p.add_argument("run_dir")

    p = sub.add_parser("submit", help="queue a training job; prints the job id and returns")
    p.add_argument("--workspace", default=None, help="workspace token (default: the command line's own)")
    _add_model_subparsers(p, "model")

    p = sub.add_parser("status", help="a job's state as JSON")
    p.add_argument("job")

    p = sub.add_parser("cancel", help="cancel a queued or running job")
    p.add_argument("job")

    p = sub.add_parser("worker", help="run training workers in the foreground")
    p.add_argument("--concurrency", type=int, default=1)

    p = sub.add_parser("project", help="2D/3D projection of a run's vectors to CSV")
    p.add_argument("run_dir")
    p.add_argument("--method", default="pca", choices=["pca", "tsne", "umap"])
    p.add_argument("--dims", type=int, default=2, choices=[2, 3])
    p.add_argument("--out", required=True)
    p.add_argument("--seed", type=int, default=0)

    p = sub.add_parser("import", help="import vectors (word2vec, GloVe, Projector TSV, .npy) as a run")
    p.add_argument("path")
    p.add_argument("--out", required=True)
    p.add_argument("--format", default="auto",
                   choices=["auto", "word2vec", "word2vec-binary", "glove", "projector", "npy"])
    p.add_argument("--metadata", default=None, help="labels/metadata file (Projector metadata TSV or labels CSV)")

    p = sub.add_parser("cluster", help="cluster a run's vectors; metrics as JSON")
    p.add_argument("run_dir")
    p.add_argument("--method", default="kmeans", choices=["kmeans", "dbscan", "hdbscan"])
    p.add_argument("--k", type=int, default=8)
    p.add_argument("--seed", type=int, default=0)

    p = sub.add_parser("sample", help="write the bundled teaching samples to a directory")
    p.add_argument("--out", required=True)

    _add_frames_parser(sub)
    return parser


def _add_frames_parser(sub: argparse._SubParsersAction) -> None:
    """``frames``: a run's frames (kept with --frames N), aligned, as CSV (explorer/commands/frames.py)."""
    p = sub.add_parser("frames", help="a run's training frames, aligned, as CSV (frame,epoch,label,x,y)")
    p.add_argument("run_dir")
    p.add_argument("--out", required=True, help="CSV file to create (never overwritten)")
    p.add_argument("--method", default="pca", choices=["pca", "umap"])
    p.add_argument("--seed", type=int, default=0)


# command -> module in explorer.commands holding run(args) -> int
_HANDLERS = {
    "train": "train",
    "neighbors": "neighbors",
    "export": "export",
    "recommend": "recommend",
    "evaluate": "recommend",
    "submit": "jobs",
    "status": "jobs",
    "cancel": "jobs",
    "worker": "jobs",
    "project": "analysis",
    "import": "analysis",
    "cluster": "analysis",
    "sample": "sample",
    "frames": "frames",
}


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        module = importlib.import_module(f"explorer.commands.{_HANDLERS[args.command]}")
        return int(module.run(args) or 0)
    except ExplorerError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
