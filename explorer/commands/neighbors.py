"""``neighbors DIR WORD [-k 10] [--metric cosine|euclidean|dot]``: nearest tokens, one per line.

Output: ``token<TAB>score`` nearest first. Scores are cosine similarity, dot product, or — for
``euclidean`` — the distance (lower is nearer).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from explorer.analysis.neighbors import neighbors_of
from explorer.errors import ExplorerError
from explorer.runs import load_run


def run(args: argparse.Namespace) -> int:
    if args.k < 1:
        raise ExplorerError(f"-k: must be >= 1, got {args.k}")
    found = neighbors_of(load_run(Path(args.run_dir)), args.word, k=args.k, metric=args.metric)
    for token, score in found:
        print(f"{token}\t{score:.4f}")
    return 0
