"""The ``python -m explorer`` command line: a contract that teachers and benchmarks script.

Flags, exit codes and run-directory files are specified by the project's issues; keep them.
Exit status: 0 success, 2 bad input (one line ``error: ...`` on stderr), 1 unexpected failure,
130 interrupted. Each sub-command's work lives in ``explorer/commands/<module>.py`` as
``run(args) -> int``; this module only parses and dispatches (imports stay lazy so that quick
commands such as ``status`` do not pay for importing torch).
"""

from __future__ import annotations

import argparse
import functools
import importlib
import os
import signal
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import NoReturn, Optional

from explorer import settings
from explorer.errors import ExplorerError
from explorer.startup import long_lived


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors follow the CLI contract: one line ``error: ...``, exit 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"error: {message} (see: {self.prog} --help)\n")


_FORMAT = argparse.RawDescriptionHelpFormatter

EXAMPLES = """examples (the README's quick start; python -m explorer COMMAND --help lists a command's flags):
  python -m explorer sample --out sample
  python -m explorer train skipgram --corpus sample/sample_corpus.txt --labels sample/sample_labels.tsv --out runs/words
  python -m explorer neighbors runs/words 猫 -k 5
  python -m explorer project runs/words --method umap --dims 2 --out words-umap.csv
  python -m explorer train useritem --interactions sample/sample_interactions.csv --items sample/sample_items.csv --out runs/films
  python -m explorer recommend runs/films u001 -k 5
  python -m explorer submit skipgram --corpus sample/sample_corpus.txt --workspace TOKEN
"""

_WORKSPACE_HELP = ("workspace token, e.g. a browser's (the ws=... part of the app's address), so the run shows up "
                   "there (default: $EXPLORER_WORKSPACE, else the command line's own workspace)")


_OPERATOR_HELP = ("act on another workspace's job, as the server's operator (default: off: only the command line's "
                  "own workspace's jobs)")


class _Registry:
    """The names of a method registry (``"module:NAME"``), imported only when argparse needs them
    (a bad value, ``--help``), so that quick commands such as ``status`` stay quick."""

    def __init__(self, where: str) -> None:
        self.where = where

    def _names(self) -> list[str]:
        from explorer.kinds import load_runner

        return list(load_runner(self.where))

    def __contains__(self, value: object) -> bool:
        return value in self._names()

    def __iter__(self) -> Iterator[str]:
        return iter(self._names())


_PROJECTIONS = _Registry("explorer.analysis.projection:PROJECTION_METHODS")
_CLUSTERINGS = _Registry("explorer.analysis.clusters:CLUSTER_METHODS")


@functools.cache  # one text per command (each kind's sub-parser shows it): built once, not per kind
def _kind_examples(command: str) -> str:
    from explorer.kinds import training_kinds

    lines = ["examples (after: python -m explorer sample --out sample):"]
    from dataclasses import fields

    for name, kind in training_kinds().items():
        out = f" --out runs/{name}" if command == "train" else ""
        known = {f.name for f in fields(kind.config_cls)}
        extra = "".join(f" --{k} {v}" for k, v in (("epochs", 3), ("seed", 1)) if k in known)
        lines.append(f"  python -m explorer {command} {name} {kind.example}{out}{extra}")
    if command == "submit":
        first = next(iter(training_kinds().values()))
        lines.append(f"  python -m explorer submit --workspace TOKEN {first.name} {first.example} --out runs/copy")
        lines.append(f"  python -m explorer submit {first.name} --workspace TOKEN {first.example}")
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


def _command(sub: argparse._SubParsersAction, name: str, help: str, example: str) -> argparse.ArgumentParser:
    return sub.add_parser(name, help=help, description=help, epilog=f"example:\n  python -m explorer {example}\n",
                          formatter_class=_FORMAT)


def build_parser() -> argparse.ArgumentParser:
    """The whole command line; ``train``/``submit`` flags come from the registry (:mod:`explorer.kinds`)."""
    parser = _Parser(prog="python -m explorer", description="Embedding Explorer command line", epilog=EXAMPLES,
                     formatter_class=_FORMAT)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    _add_kind_subparsers(sub.add_parser("train", help="train a model in this process (progress on stderr)",
                                        epilog=_kind_examples("train"), formatter_class=_FORMAT), "train")

    p = _command(sub, "neighbors", "nearest tokens of a word", "neighbors runs/words 猫 -k 5")
    p.add_argument("run_dir", help="run directory")
    p.add_argument("word", help="the word (or item id) whose neighbours to list")
    p.add_argument("-k", type=int, default=10, help="how many neighbours (default: 10)")
    p.add_argument("--metric", default="cosine", choices=["cosine", "euclidean", "dot"],
                   help="similarity measure; euclidean scores are distances (default: cosine)")

    p = _command(sub, "export", "export vectors", "export runs/words --format word2vec-binary --out words.bin")
    p.add_argument("run_dir", help="run directory")
    p.add_argument("--format", required=True, choices=["projector", "word2vec", "word2vec-binary"],
                   help="TensorFlow Embedding Projector TSV, or word2vec text / binary (required)")
    p.add_argument("--out", required=True, metavar="PATH",
                   help="output file, never overwritten; missing parent folders are created (projector: the "
                        "vectors TSV, metadata beside it) (required)")

    p = _command(sub, "recommend", "top-k unseen items for a user, with the why", "recommend runs/films u001 -k 5")
    p.add_argument("run_dir", help="user-item run directory")
    p.add_argument("user", help="user id as in the interaction log")
    p.add_argument("-k", type=int, default=10, help="how many items (default: 10)")

    p = _command(sub, "search", "nearest documents of a text query in a run of documents",
                 'search runs/docs "cheap flights to Paris" -k 5')
    p.add_argument("run_dir", help="run directory of documents (doc2vec, ...)")
    p.add_argument("query", help="the query text")
    p.add_argument("-k", type=int, default=10, help="how many documents (default: 10)")

    _add_encode_parser(sub)
    p = _command(sub, "infer", "the vector of a new text for a run of documents (JSON)",
                 'infer runs/docs "a new document"')
    p.add_argument("run_dir", help="run directory of documents (doc2vec, ...)")
    p.add_argument("text", help="the text")

    p = _command(sub, "embed-node", "the vector of a node that was not in training, for a gnn run (JSON)",
                 'embed-node runs/karate-gcn --edges "0,1,2"')
    p.add_argument("run_dir", help="run directory of a graph neural network (gnn)")
    p.add_argument("--edges", required=True, metavar="IDS",
                   help="the run's nodes the new node is linked to, comma-separated (required)")
    p.add_argument("--features", default="", metavar="VALUES",
                   help="the new node's feature values, comma-separated, in the order of the run's features file "
                        "(default: the mean of each column)")

    p = _command(sub, "evaluate", "ranking metrics of a user-item run; label prediction (beside a TF-IDF baseline), "
                 "clusters against labels and rated pairs of a run of documents (JSON)", "evaluate runs/films")
    p.add_argument("run_dir", help="user-item run directory, or a run of documents")
    p.add_argument("--pairs", default=None, metavar="FILE",
                   help="runs of documents: a CSV/TSV of human-rated document pairs (id_a, id_b, score) (default: none)")
    p.add_argument("--folds", type=int, default=5, help="runs of documents: cross-validation folds (default: 5)")
    p.add_argument("--seed", type=int, default=0, help="runs of documents: seeds the folds (default: 0)")

    p = sub.add_parser("submit", help="queue a training job; prints the job id and returns",
                       description="queue a training job; prints the job id and returns (a worker is started "
                                   "when none is alive)", epilog=_kind_examples("submit"), formatter_class=_FORMAT)
    p.add_argument("--workspace", default=None, metavar="TOKEN", help=_WORKSPACE_HELP)
    _add_kind_subparsers(p, "submit")

    p = _command(sub, "status", "a job's state as JSON", "status 0123456789abcdef0123")
    p.add_argument("job", help="job id printed by submit")
    p.add_argument("--operator", action="store_true", help=_OPERATOR_HELP)

    p = _command(sub, "cancel", "cancel a queued or running job", "cancel 0123456789abcdef0123")
    p.add_argument("job", help="job id printed by submit")
    p.add_argument("--operator", action="store_true", help=_OPERATOR_HELP)

    p = _command(sub, "worker", "run training workers in the foreground", "worker --concurrency 2")
    p.add_argument("--concurrency", type=int, default=1, metavar="N", help="jobs at once [1..256] (default: 1)")

    p = _command(sub, "project", "2D/3D projection of a run's vectors to CSV",
                 "project runs/words --method umap --dims 2 --out words-umap.csv")
    p.add_argument("run_dir", help="run directory")
    p.add_argument("--method", default="pca", choices=_PROJECTIONS, metavar="METHOD",
                   help="projection method: %(choices)s (default: %(default)s)")
    p.add_argument("--dims", type=int, default=2, choices=[2, 3], help="2 or 3 coordinates per row (default: 2)")
    p.add_argument("--out", required=True, metavar="FILE.csv",
                   help="CSV file to write, never overwritten; missing parent folders are created (required)")
    p.add_argument("--seed", type=int, default=0, metavar="N", help="seed of t-SNE / UMAP (default: 0)")

    p = _command(sub, "import", "import vectors (word2vec, GloVe, Projector TSV, .npy) as a run",
                 "import vectors.txt --out runs/glove")
    p.add_argument("path", help="vector file")
    p.add_argument("--out", required=True, metavar="DIR",
                   help="run directory to create (must not exist or be empty; missing parent folders are "
                        "created) (required)")
    p.add_argument("--format", default="auto",
                   choices=["auto", "word2vec", "word2vec-binary", "glove", "projector", "npy"],
                   help="file format (default: auto, guessed from the file)")
    p.add_argument("--metadata", default=None, metavar="FILE",
                   help="labels/metadata file (Projector metadata TSV or labels CSV) (default: none)")

    p = _command(sub, "cluster", "cluster a run's vectors; metrics as JSON", "cluster runs/words --method kmeans --k 8")
    p.add_argument("run_dir", help="run directory")
    p.add_argument("--method", default="kmeans", choices=_CLUSTERINGS, metavar="METHOD",
                   help="clustering method: %(choices)s (default: %(default)s)")
    p.add_argument("--k", type=int, default=8, metavar="N", help="clusters for kmeans (default: 8)")
    p.add_argument("--seed", type=int, default=0, metavar="N", help="seed of kmeans (default: 0)")

    p = _command(sub, "sample", "write the bundled teaching samples to a directory", "sample --out sample")
    p.add_argument("--out", required=True, metavar="DIR",
                   help="folder to write into (created if missing; existing files are not overwritten) "
                        "(required)")

    _add_frames_parser(sub)
    _add_class_parsers(sub)
    return parser


def _add_frames_parser(sub: argparse._SubParsersAction) -> None:
    """``frames``: a run's frames (kept with --frames N), aligned, as CSV (explorer/commands/frames.py)."""
    p = _command(sub, "frames", "a run's training frames, aligned, as CSV (frame,epoch,label,x,y)",
                 "frames runs/words --out words-frames.csv")
    p.add_argument("run_dir", help="run directory trained with --frames N")
    p.add_argument("--out", required=True, metavar="FILE.csv", help="CSV file to write, never overwritten (required)")
    p.add_argument("--method", default="pca", choices=["pca", "umap"], metavar="METHOD",
                   help="fixed map of all frames: %(choices)s (default: %(default)s)")
    p.add_argument("--seed", type=int, default=0, metavar="N", help="seed of UMAP (default: 0)")


def _add_encode_parser(sub: argparse._SubParsersAction) -> None:
    """``encode``: ``train encoder`` under its own name (a contract: benchmarks and teachers script it); the flags
    are the encoder kind's (explorer/kinds/encoder.py)."""
    from explorer.commands.kind_flags import add_kind_flags

    p = _command(sub, "encode", "document vectors from a pretrained sentence encoder (multilingual E5, offline)",
                 "encode --documents docs.csv --out runs/e5 --text-column text --label-column label")
    p.add_argument("--out", required=True, metavar="DIR",
                   help="run directory to create (must not exist or be empty; missing parent folders are created) "
                        "(required)")
    add_kind_flags(p, "encoder")
    p.set_defaults(model="encoder")


def _add_class_parsers(sub: argparse._SubParsersAction) -> None:
    """``class ...`` (explorer.commands.classes); kept apart from the generated training flags."""
    from explorer.commands.classes import add_parser

    add_parser(sub)


# command -> module in explorer.commands holding run(args) -> int
_HANDLERS = {
    "train": "train",
    "encode": "train",
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
    "search": "documents",
    "infer": "documents",
    "embed-node": "embed_node",
    "class": "classes",
}


def _attach_dash_tokens(argv: Sequence[str]) -> list[str]:
    """``--workspace -Ab3…`` -> ``--workspace=-Ab3…``: a workspace token may start with ``-``, which
    argparse would take for a flag (a token is exactly 22 URL-safe characters, no flag looks like one).

    >>> _attach_dash_tokens(["submit", "--workspace", "-" * 22, "skipgram"])
    ['submit', '--workspace=----------------------', 'skipgram']
    """
    if "--workspace" not in argv:
        return list(argv)
    from explorer.jobs.workspaces import is_valid_token

    out: list[str] = []
    for arg in argv:
        if out and out[-1] == "--workspace" and arg.startswith("-") and is_valid_token(arg):
            out[-1] = f"--workspace={arg}"
        else:
            out.append(arg)
    return out


def main(argv: Optional[Sequence[str]] = None) -> int:
    with long_lived():  # the parser and the command's modules live as long as the process
        parser = build_parser()
        args = parser.parse_args(_attach_dash_tokens(sys.argv[1:] if argv is None else argv))
    try:
        with long_lived(freeze=True):
            module = importlib.import_module(f"explorer.commands.{_HANDLERS[args.command]}")
        status = int(module.run(args) or 0)
        sys.stdout.flush()  # a closed pipe shows here, not at exit
        return status
    except ExplorerError as exc:
        return _fail(str(exc))
    except BrokenPipeError:  # `... | head -1`: the reader has gone; end quietly, as Unix tools do
        _silence_stdout()
        return 128 + signal.SIGPIPE
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130
    except MemoryError:
        return _fail("not enough memory for this input (see docs/limits.md for the limits)")
    except OSError as exc:
        from explorer.resources import disk_full_error, is_disk_full

        if is_disk_full(exc):
            out = getattr(args, "out", None)
            folder = Path(out).parent if out else Path(exc.filename or settings.home())
            return _fail(str(disk_full_error(folder)))
        if exc.filename is None:
            raise
        return _fail(f"{exc.filename}: {exc.strerror or exc}")


def _fail(message: str) -> int:
    """Print the one ``error:`` line (stdout may be a closed pipe: stderr still works)."""
    print(f"error: {message}", file=sys.stderr)
    return 2


def _silence_stdout() -> None:
    """Point stdout at /dev/null so that the interpreter's final flush cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass

if __name__ == "__main__":
    sys.exit(main())
