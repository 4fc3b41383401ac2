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

from explorer.errors import ExplorerError
from explorer.kinds import data_field_specs


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors follow the CLI contract: one line ``error: ...``, exit 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"error: {message} (see: {self.prog} --help)\n")


_FORMAT = argparse.RawDescriptionHelpFormatter

EXAMPLES = """examples:
  python -m explorer sample --out data
  python -m explorer train skipgram --corpus data/sample_corpus.txt --out runs/sg --epochs 3
  python -m explorer neighbors runs/sg 猫 -k 5
  python -m explorer train useritem --interactions data/sample_interactions.csv --items data/sample_items.csv --out runs/ui
  python -m explorer recommend runs/ui u1 -k 5
  python -m explorer submit skipgram --corpus data/sample_corpus.txt --workspace TOKEN
"""


def _kind_examples(command: str) -> str:
    from explorer.kinds import training_kinds

    lines = ["examples:"]
    for name, kind in training_kinds().items():
        main = next((s for s in data_field_specs(kind.data_cls) if s.required), None)
        data = f" {main.flag} FILE" if main else ""
        out = " --out runs/" + name if command == "train" else ""
        lines.append(f"  python -m explorer {command} {name}{data}{out} --epochs 3 --seed 1")
    if command == "submit":
        lines.append("  python -m explorer submit --workspace TOKEN skipgram --corpus FILE --out runs/sg")
    return "\n".join(lines) + "\n"


def _add_kind_subparsers(parent: argparse.ArgumentParser, command: str) -> None:
    """One sub-command per registered training kind, its flags generated from the kind's declarations."""
    from explorer.commands.kind_flags import add_kind_flags
    from explorer.kinds import training_kinds

    kinds = training_kinds()
    sub = parent.add_subparsers(dest="model", required=True, metavar="{" + ",".join(kinds) + "}")
    for name, kind in kinds.items():
        p = sub.add_parser(name, help=kind.help, description=kind.help, epilog=_kind_examples(command),
                           formatter_class=_FORMAT)
        if command == "train":
            p.add_argument("--out", required=True, metavar="DIR",
                           help="run directory to create (must not exist or be empty; missing parent folders "
                                "are created) (required)")
        else:
            p.add_argument("--out", default=None, metavar="DIR",
                           help="also copy the finished run here (must not exist or be empty; missing parent "
                                "folders are created) (default: the run stays in the workspace only)")
            p.add_argument("--workspace", default=argparse.SUPPRESS, metavar="TOKEN", help=_WORKSPACE_HELP)
        add_kind_flags(p, name)


_WORKSPACE_HELP = ("workspace token, e.g. a browser's (the ws=... part of the app's address), so the run shows up "
                   "there (default: $EXPLORER_WORKSPACE, else the command line's own workspace)")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m explorer", description="Embedding Explorer command line", epilog=EXAMPLES,
                     formatter_class=_FORMAT)
    sub = parser.add_subparsers(dest="command", required=True)

    _add_kind_subparsers(sub.add_parser("train", help="train a model in this process (progress on stderr)",
                                        epilog=_kind_examples("train"), formatter_class=_FORMAT), "train")

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

    p = sub.add_parser("submit", help="queue a training job; prints the job id and returns",
                       epilog=_kind_examples("submit"), formatter_class=_FORMAT)
    p.add_argument("--workspace", default=None, metavar="TOKEN", help=_WORKSPACE_HELP)
    _add_kind_subparsers(p, "submit")

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
