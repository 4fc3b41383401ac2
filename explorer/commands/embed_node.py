"""``embed-node RUN --edges "a,b,c" [--features "1.5,0,2"]``: the vector of a node that was not in training.

The run's kind computes it (:meth:`explorer.kinds.RunKind.node_vector`; graph neural networks are inductive, walk
methods are not and say so in one line). Prints the vector as a JSON list of numbers.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from explorer.kinds import run_kind
from explorer.runs import load_run


def run(args: argparse.Namespace) -> int:
    run_dir = Path(args.run_dir)
    kind = run_kind(load_run(run_dir).kind)
    vector = kind.node_vector(run_dir, args.edges.split(","), args.features or "")
    print(json.dumps([round(float(x), 6) for x in vector]))
    return 0
